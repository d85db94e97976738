import path from "node:path";
import { describe, expect, it } from "vitest";
import { MigrationFailedError } from "./migration-error.js";

const file = path.join(process.cwd(), "migrations", "versions", "ab12_add.ts");

function errorWithFrames(message: string, frames: readonly string[]): Error {
  const error = new Error(message);
  error.stack = [`Error: ${message}`, ...frames].join("\n");
  return error;
}

function failure(cause: unknown, callSite?: unknown, statement = "INSERT INTO nope VALUES (1)"): MigrationFailedError {
  return new MigrationFailedError({
    revision: "ab12",
    direction: "Upgrade",
    path: file,
    statement,
    reason: "no such table: nope",
    state: "The whole run was rolled back.",
    headsAfter: [],
    cause,
    callSite,
  });
}

describe("MigrationFailedError", () => {
  it("names the migration's line from the cause's stack, relative to the current folder", () => {
    const error = failure(errorWithFrames("boom", [`    at upgrade (${file}:14:11)`]));
    expect(error.location).toEqual({ file, line: 14, column: 11 });
    expect(error.message.split("\n")[1]).toBe(`  at ${path.join("migrations", "versions", "ab12_add.ts")}:14:11`);
  });

  it("falls back on the call site of the operation when the cause has no frame in the migration", () => {
    const databaseError = errorWithFrames("no such table: nope", [
      "    at Database.prepare (/app/node_modules/db.js:5:21)",
    ]);
    expect(failure(databaseError).location).toBeUndefined();
    expect(failure(databaseError).message).not.toContain("  at ");
    const callSite = errorWithFrames("call site", [
      "    at Operations.execute (/app/core.js:1:1)",
      `    at upgrade (${file}:9:5)`,
    ]);
    expect(failure(databaseError, callSite).location).toEqual({ file, line: 9, column: 5 });
  });

  it("indents every line of a statement of several lines inside the message", () => {
    const statement = "CREATE TABLE t (\n  id INTEGER NOT NULL\n)";
    const lines = failure(new Error("boom"), undefined, statement).message.split("\n");
    expect(lines.slice(1, 4)).toEqual(["  statement: CREATE TABLE t (", "      id INTEGER NOT NULL", "    )"]);
    expect(lines.slice(1).every((line) => line.startsWith("  "))).toBe(true);
  });

  it("quotes the first thousand characters of a long statement, saying how many more there were", () => {
    const statement = `INSERT INTO t (a) VALUES ${Array.from({ length: 5000 }, () => "(?)").join(", ")}`;
    const message = failure(new Error("boom"), undefined, statement).message;
    const quoted = message.split("\n")[1] as string;
    expect(quoted).toBe(`  statement: ${statement.slice(0, 1000)}… (${statement.length - 1000} more characters)`);
  });
});
