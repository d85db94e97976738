import { describe, expect, it } from "vitest";
import { stubDialect } from "../test-support/stub-dialect.js";
import type { Dialect } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import { versionRowStatement } from "./version-row-statements.js";

function dialectWith(placeholder: (index: number) => string): Dialect {
  return stubDialect({ placeholder });
}

const numbered = dialectWith((index) => `$${index}`);
const question = dialectWith(() => "?");
const table = { name: "alembic_version" };

describe("versionRowStatement", () => {
  it("writes a new branch as an INSERT with no row-count check", () => {
    const statement = versionRowStatement({ kind: "insert", revision: "a1" }, table, numbered);
    expect(statement.sql).toBe('INSERT INTO "alembic_version" (version_num) VALUES ($1)');
    expect(statement.parameters).toEqual(["a1"]);
    expect(statement.expectRows).toBeUndefined();
  });

  it("writes a step as an UPDATE of the old row (new value first), expecting one row", () => {
    const statement = versionRowStatement({ kind: "update", from: "a1", to: "b2" }, table, numbered);
    expect(statement.sql).toBe('UPDATE "alembic_version" SET version_num = $1 WHERE version_num = $2');
    expect(statement.parameters).toEqual(["b2", "a1"]);
    expect(statement.expectRows?.count).toBe(1);
    const error = statement.expectRows?.mismatch(0);
    expect(error).toBeInstanceOf(CommandError);
    expect(error?.message).toBe(
      "Online migration expected to match one row when updating 'a1' to 'b2' in 'alembic_version'; 0 found",
    );
    expect(error).toEqual(expect.objectContaining({ code: "VERSION_TABLE_MISMATCH" }));
  });

  it("writes a branch going to base as a DELETE, expecting one row", () => {
    const statement = versionRowStatement({ kind: "delete", revision: "a1" }, table, question);
    expect(statement.sql).toBe('DELETE FROM "alembic_version" WHERE version_num = ?');
    expect(statement.parameters).toEqual(["a1"]);
    expect(statement.expectRows?.count).toBe(1);
    expect(statement.expectRows?.mismatch(2).message).toBe(
      "Online migration expected to match one row when deleting 'a1' in 'alembic_version'; 2 found",
    );
  });

  it("uses the dialect's placeholders in order: `?` twice for an UPDATE", () => {
    const statement = versionRowStatement({ kind: "update", from: "a1", to: "b2" }, table, question);
    expect(statement.sql).toBe('UPDATE "alembic_version" SET version_num = ? WHERE version_num = ?');
    expect(statement.parameters).toEqual(["b2", "a1"]);
  });

  it("qualifies and quotes a table in a schema; the message names it schema.table", () => {
    const inSchema = { name: "my version", schema: "app" };
    const update = versionRowStatement({ kind: "update", from: "x", to: "y" }, inSchema, numbered);
    expect(update.sql).toBe('UPDATE "app"."my version" SET version_num = $1 WHERE version_num = $2');
    expect(update.expectRows?.mismatch(0).message).toContain("in 'app.my version'; 0 found");
    const insert = versionRowStatement({ kind: "insert", revision: "x" }, inSchema, numbered);
    expect(insert.sql).toBe('INSERT INTO "app"."my version" (version_num) VALUES ($1)');
  });

  it("passes revision ids as parameters, never in the SQL text", () => {
    const id = "x'); DROP TABLE t; --";
    const statement = versionRowStatement({ kind: "delete", revision: id }, table, numbered);
    expect(statement.sql).not.toContain(id);
    expect(statement.parameters).toEqual([id]);
  });
});
