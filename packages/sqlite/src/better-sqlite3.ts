import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

const require = createRequire(import.meta.url);

/**
 * better-sqlite3's `Database` class, required rather than imported. It is
 * a CommonJS package: an `import` from this ES module makes Node scan its
 * source for named exports first, about 1.5 ms of every command that
 * opens a SQLite database (15 M instructions, measured), for a default
 * export only. Types come from `import type`, as before.
 */
export const Database: typeof BetterSqlite3 = require("better-sqlite3");

let addon: string | null | undefined;

/**
 * better-sqlite3's options with `nativeBinding` set to its compiled addon
 * where its install puts it (`build/Release`, whether built here or
 * downloaded prebuilt). Without it better-sqlite3 asks the `bindings`
 * package, which loads itself, reads the caller's file from a stack trace
 * and tries a list of folders: 2-5 ms of every command that opens a
 * database, measured. Where the addon is elsewhere (a debug build), the
 * options are left as they are and better-sqlite3 searches as it always did.
 */
export function databaseOptions(options: BetterSqlite3.Options = {}): BetterSqlite3.Options {
  if (addon === undefined) {
    try {
      addon = require.resolve("better-sqlite3/build/Release/better_sqlite3.node");
    } catch {
      addon = null;
    }
  }
  return addon === null ? options : { ...options, nativeBinding: addon };
}
