import { describe, expect, it } from "vitest";
import { integer, string } from "../schema/column-type.js";
import { sql } from "../schema/sql-expression.js";
import { column } from "../schema/table-elements.js";
import { table } from "../schema/table.js";
import type { Operation } from "./operation.js";
import { reverseOperation } from "./reverse-operation.js";

describe("reverseOperation", () => {
  it.each<[string, Operation, Operation | undefined]>([
    [
      "createTable",
      { kind: "createTable", table: table("t", column("id", integer())) },
      { kind: "dropTable", table: "t" },
    ],
    [
      "renameTable",
      { kind: "renameTable", table: "a", newName: "b" },
      { kind: "renameTable", table: "b", newName: "a" },
    ],
    [
      "addColumn",
      { kind: "addColumn", table: "t", column: column("c", string(5)) },
      { kind: "dropColumn", table: "t", column: "c", existingType: string(5) },
    ],
    [
      "dropColumn with its type",
      { kind: "dropColumn", table: "t", column: "c", existingType: integer() },
      { kind: "addColumn", table: "t", column: column("c", integer()) },
    ],
    ["dropColumn without its type", { kind: "dropColumn", table: "t", column: "c" }, undefined],
    [
      "createIndex",
      { kind: "createIndex", name: "ix", table: "t", columns: ["c"] },
      { kind: "dropIndex", name: "ix", table: "t" },
    ],
    [
      "createForeignKey",
      {
        kind: "createForeignKey",
        name: "fk",
        sourceTable: "a",
        referentTable: "b",
        localColumns: ["b_id"],
        remoteColumns: ["id"],
      },
      { kind: "dropConstraint", name: "fk", table: "a", type: "foreignkey" },
    ],
    [
      "createUniqueConstraint",
      { kind: "createUniqueConstraint", name: "uq", table: "t", columns: ["c"], schema: "s" },
      { kind: "dropConstraint", name: "uq", table: "t", type: "unique", schema: "s" },
    ],
    ["dropTable", { kind: "dropTable", table: "t" }, undefined],
    ["execute", { kind: "execute", sql: "SELECT 1" }, undefined],
    ["createSchema", { kind: "createSchema", name: "s" }, { kind: "dropSchema", name: "s" }],
  ])("%s", (_, operation, expected) => {
    expect(reverseOperation(operation)).toEqual(expected);
  });

  it("reverses alterColumn from its existing values, renames included", () => {
    expect(
      reverseOperation({
        kind: "alterColumn",
        table: "t",
        column: "name",
        newColumnName: "full_name",
        nullable: false,
        existingNullable: true,
        type: string(200),
        existingType: string(100),
      }),
    ).toEqual({
      kind: "alterColumn",
      table: "t",
      column: "full_name",
      newColumnName: "name",
      nullable: true,
      type: string(100),
      existingType: string(200),
      existingNullable: false,
    });
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "c", nullable: false })).toBeUndefined();
  });

  it("keeps what an alterColumn does not change in its reverse (existingNullable, existingComputed: the column stays generated)", () => {
    const existingComputed = { expression: sql`price * qty`, stored: false };
    expect(
      reverseOperation({
        kind: "alterColumn",
        table: "t",
        column: "total",
        comment: "derived",
        existingComment: null,
        existingType: integer(),
        existingNullable: true,
        existingComputed,
      }),
    ).toEqual({
      kind: "alterColumn",
      table: "t",
      column: "total",
      comment: null,
      existingType: integer(),
      existingNullable: true,
      existingComment: "derived",
      existingComputed,
    });
  });

  it("reverses table comments from the existing comment", () => {
    expect(
      reverseOperation({ kind: "createTableComment", table: "t", comment: "new", existingComment: "old" }),
    ).toEqual({ kind: "createTableComment", table: "t", comment: "old", existingComment: "new" });
    expect(reverseOperation({ kind: "createTableComment", table: "t", comment: "new", existingComment: null })).toEqual(
      {
        kind: "dropTableComment",
        table: "t",
        existingComment: "new",
      },
    );
  });
});
