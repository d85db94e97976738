import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseUrl } from "@retort/core";

/** A `sqlite:` URL object as core's parser builds it, for a path as written after `sqlite:///`. */
export function sqliteUrl(database: string, query: Record<string, string> = {}): DatabaseUrl {
  const search = new URLSearchParams(query).toString();
  return { scheme: "sqlite", database, query, raw: `sqlite:///${database}${search === "" ? "" : `?${search}`}` };
}

/** A fresh temporary folder for database files; `remove()` deletes it. */
export function temporaryFolder(prefix = "retort-sqlite-"): {
  path: string;
  file(name?: string): string;
  remove(): void;
} {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name = "test.db") => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
