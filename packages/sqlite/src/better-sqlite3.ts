import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

/**
 * better-sqlite3's `Database` class, required rather than imported. It is
 * a CommonJS package: an `import` from this ES module makes Node scan its
 * source for named exports first, about 1.5 ms of every command that
 * opens a SQLite database (15 M instructions, measured), for a default
 * export only. Types come from `import type`, as before.
 */
export const Database: typeof BetterSqlite3 = createRequire(import.meta.url)("better-sqlite3");
