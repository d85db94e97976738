import type { BatchAlterTableOperation, BatchStep } from "@retort/core";
import { column, integer, string } from "@retort/core";
import { describe, expect, it } from "vitest";
import { SqliteDialect } from "../sqlite-dialect.js";
import { parseCreateTable } from "./sqlite-batch-parse.js";
import { applyBatchSteps } from "./sqlite-batch-plan.js";
import { copyColumns, renderCreateTable } from "./sqlite-batch-render.js";
import type { BatchColumn, BatchTable } from "./sqlite-batch-types.js";

const dialect = new SqliteDialect();
const existing = (name: string, type = "INTEGER"): BatchColumn => ({
  name,
  source: name,
  key: name,
  type,
  sourceType: type,
  notNull: false,
  defaultSql: undefined,
  collate: undefined,
  generated: undefined,
});
const table: BatchTable = {
  name: "t",
  columns: ["a", "b", "c", "d"].map((name) => existing(name)),
  primaryKey: { name: undefined, columns: ["a"], autoincrement: false },
  constraints: [{ kind: "check", name: "ck_b", condition: '"b" > 0' }],
  indexes: [
    { name: "ix_c", unique: false, terms: [{ column: "c", expression: undefined, suffix: "" }], where: "b > 1" },
  ],
  tableOptions: "",
};
const run = (steps: Omit<BatchStep, "table">[], options: BatchAlterTableOperation["options"] = {}) =>
  applyBatchSteps(
    table,
    {
      kind: "batchAlterTable",
      table: "t",
      options,
      steps: steps.map((step) => ({ ...step, table: "t" }) as BatchStep),
    },
    dialect,
  );
const names = (result: BatchTable) => result.columns.map((item) => item.name);

describe("batch table model (no database)", () => {
  it("appends a new column, or places it with insertBefore/insertAfter", () => {
    expect(names(run([{ kind: "addColumn", column: column("e", integer()) }]))).toEqual(["a", "b", "c", "d", "e"]);
    expect(names(run([{ kind: "addColumn", column: column("e", integer()), insertBefore: "b" }]))).toEqual([
      "a",
      "e",
      "b",
      "c",
      "d",
    ]);
    expect(names(run([{ kind: "addColumn", column: column("e", integer()), insertAfter: "c" }]))).toEqual([
      "a",
      "b",
      "c",
      "e",
      "d",
    ]);
  });

  it("reorders with partialReordering", () => {
    const result = run([], { recreate: "always", partialReordering: [["d", "c", "b", "a"]] });
    expect(names(result)).toEqual(["d", "c", "b", "a"]);
  });

  it("refuses a partialReordering that names a column the table does not have (a typo was ignored)", () => {
    expect(() => run([], { recreate: "always", partialReordering: [["d", "cc", "a"]] })).toThrow(
      'partialReordering names column "cc", which table "t" does not have after the batch (its columns: a, b, c, d)',
    );
  });

  it("renames everywhere and still copies from the old name, with a CAST when the affinity changes", () => {
    const result = run([{ kind: "alterColumn", column: "b", newColumnName: "bee", type: string(5) }]);
    expect(names(result)).toEqual(["a", "bee", "c", "d"]);
    expect(result.constraints).toEqual([{ kind: "check", name: "ck_b", condition: '"bee" > 0' }]);
    expect(result.indexes[0]?.where).toBe('"bee" > 1');
    expect(copyColumns(result, false)).toEqual({
      targets: ['"a"', '"bee"', '"c"', '"d"'],
      sources: ['"a"', 'CAST("b" AS VARCHAR(5))', '"c"', '"d"'],
    });
  });

  it("renames a column to its own name in another case, but not onto another column", () => {
    const result = run([{ kind: "alterColumn", column: "b", newColumnName: "B" }]);
    expect(names(result)).toEqual(["a", "B", "c", "d"]);
    expect(result.constraints).toEqual([{ kind: "check", name: "ck_b", condition: '"B" > 0' }]);
    expect(copyColumns(result, false).sources).toEqual(['"a"', '"b"', '"c"', '"d"']);
    expect(() => run([{ kind: "alterColumn", column: "b", newColumnName: "C" }])).toThrow(
      'Column "C" already exists in "t"',
    );
  });

  it("drops a column with its indexes, constraints and primary key membership", () => {
    expect(run([{ kind: "dropColumn", column: "b" }]).indexes).toEqual([]);
    expect(run([{ kind: "dropColumn", column: "b" }]).constraints).toEqual([]);
    expect(run([{ kind: "dropColumn", column: "a" }]).primaryKey).toBeUndefined();
  });

  it("refuses unknown columns, constraints and indexes", () => {
    expect(() => run([{ kind: "dropColumn", column: "zz" }])).toThrow(/No such column/);
    expect(() => run([{ kind: "dropConstraint", name: "zz" }])).toThrow(/No such constraint: 'zz'/);
    expect(() => run([{ kind: "dropIndex", name: "zz" }])).toThrow(/No such index: 'zz'/);
  });

  it("adds tableArgs and overrides columns with reflectArgs", () => {
    const result = run([], {
      tableArgs: [{ kind: "unique", columns: ["c", "d"], name: "uq_cd" }],
      reflectArgs: [column("d", string(3), { nullable: false })],
    });
    expect(renderCreateTable(result, "x")).toBe(
      'CREATE TABLE "x" (\n  "a" INTEGER,\n  "b" INTEGER,\n  "c" INTEGER,\n  "d" VARCHAR(3) NOT NULL,\n' +
        '  PRIMARY KEY ("a"),\n  CONSTRAINT "ck_b" CHECK ("b" > 0),\n  CONSTRAINT "uq_cd" UNIQUE ("c", "d")\n)',
    );
  });

  it("parses names, CHECKs, AUTOINCREMENT, generated columns and table options from CREATE TABLE", () => {
    const parsed = parseCreateTable(
      `CREATE TABLE "t" (id INTEGER CONSTRAINT pk PRIMARY KEY AUTOINCREMENT, "a b" TEXT COLLATE NOCASE CHECK (length("a b") < 5),
        g INTEGER GENERATED ALWAYS AS (id * 2) STORED, CONSTRAINT "ck, x" CHECK (id > 0 AND ')' <> '(')) STRICT`,
    );
    expect(parsed.autoincrement).toBe(true);
    expect(parsed.primaryKeyName).toBe("pk");
    expect(parsed.tableOptions).toBe("STRICT");
    expect(parsed.columns.get("a b")?.collate).toBe("NOCASE");
    expect(parsed.columns.get("g")?.generated).toEqual({ expression: "id * 2", stored: true });
    expect(parsed.constraints.map((constraint) => [constraint.name, constraint.condition])).toEqual([
      [undefined, 'length("a b") < 5'],
      ["ck, x", "id > 0 AND ')' <> '('"],
    ]);
  });
});
