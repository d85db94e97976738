import { describe, expect, it } from "vitest";
import { castChangedCondition, castColumns, castCountSql } from "./sqlite-batch-cast.js";
import { brokenObjectMessage, dependentObjects, parseSchemaError, validationSql } from "./sqlite-batch-dependents.js";
import { parseCreateTable, parseTriggerEvent } from "./sqlite-batch-parse.js";
import { pragmaDefault } from "./sqlite-batch-reflect.js";
import { planColumnRenames } from "./sqlite-batch-renames.js";
import { renderCreateTable } from "./sqlite-batch-render.js";
import { renameClauseColumns } from "./sqlite-batch-sql.js";
import type { BatchColumn, BatchTable, SchemaObject } from "./sqlite-batch-types.js";

// The pure parse / plan / render pieces of the rebuild (no database).

const column = (name: string, source: string | undefined = name, type = "TEXT"): BatchColumn => ({
  name,
  source,
  key: source ?? name,
  type,
  sourceType: source === undefined ? undefined : "TEXT",
  notNull: false,
  defaultSql: undefined,
  collate: undefined,
  generated: undefined,
});
const tableOf = (...columns: BatchColumn[]): BatchTable => ({
  name: "t",
  columns,
  primaryKey: undefined,
  constraints: [],
  indexes: [],
  tableOptions: "",
});

describe("parseCreateTable", () => {
  it("keeps each clause as written", () => {
    const parsed = parseCreateTable(
      `CREATE TABLE t (id INTEGER PRIMARY KEY DESC ON CONFLICT REPLACE AUTOINCREMENT,
        a TEXT NOT NULL ON CONFLICT IGNORE DEFAULT (lower(hex(randomblob(4)))) COLLATE NOCASE,
        b BLOB DEFAULT X'0A', c INT DEFAULT -1 UNIQUE ON CONFLICT FAIL,
        d INT CONSTRAINT fk_d REFERENCES p (id) ON DELETE SET NULL NOT DEFERRABLE,
        CONSTRAINT uq_a UNIQUE (a COLLATE NOCASE, c DESC) ON CONFLICT ABORT)`,
    );
    expect(parsed.columns.get("a")).toMatchObject({
      defaultSql: "(lower(hex(randomblob(4))))",
      notNullSql: "NOT NULL ON CONFLICT IGNORE",
      collate: "NOCASE",
    });
    expect(parsed.columns.get("b")?.defaultSql).toBe("X'0A'");
    expect(parsed.columns.get("c")?.defaultSql).toBe("-1");
    expect(parsed.primaryKey).toMatchObject({
      sql: "PRIMARY KEY DESC ON CONFLICT REPLACE AUTOINCREMENT",
      column: "id",
    });
    expect(parsed.constraints.map(({ name, sql, column }) => ({ name, sql, column }))).toEqual([
      { name: undefined, sql: "UNIQUE ON CONFLICT FAIL", column: "c" },
      { name: "fk_d", sql: "REFERENCES p (id) ON DELETE SET NULL NOT DEFERRABLE", column: "d" },
      { name: "uq_a", sql: "UNIQUE (a COLLATE NOCASE, c DESC) ON CONFLICT ABORT", column: undefined },
    ]);
  });
});

describe("renderCreateTable", () => {
  it("writes reflected clauses back on their column or the table, and renders added ones", () => {
    const table: BatchTable = {
      ...tableOf({ ...column("a"), notNull: true, notNullSql: "NOT NULL ON CONFLICT IGNORE" }, column("b")),
      primaryKey: { name: undefined, columns: ["a"], autoincrement: false, sql: "PRIMARY KEY DESC", column: "a" },
      constraints: [
        { kind: "unique", name: "uq", columns: ["a", "b"], sql: "UNIQUE (a COLLATE NOCASE, b)" },
        { kind: "unique", name: undefined, columns: ["b"] },
      ],
    };
    expect(renderCreateTable(table, "x")).toBe(
      'CREATE TABLE "x" (\n  "a" TEXT PRIMARY KEY DESC NOT NULL ON CONFLICT IGNORE,\n  "b" TEXT,\n' +
        '  CONSTRAINT "uq" UNIQUE (a COLLATE NOCASE, b),\n  UNIQUE ("b")\n)',
    );
  });
});

describe("renameClauseColumns", () => {
  const renames = new Map([["email", "mail"]]);
  it("renames the column list only, never a collation or another table's column", () => {
    expect(renameClauseColumns("UNIQUE (email COLLATE email, x)", renames)).toBe('UNIQUE ("mail" COLLATE email, x)');
    expect(renameClauseColumns("FOREIGN KEY (email) REFERENCES users (email)", renames)).toBe(
      'FOREIGN KEY ("mail") REFERENCES users (email)',
    );
    expect(renameClauseColumns("FOREIGN KEY (email) REFERENCES t (email)", renames, { selfReference: true })).toBe(
      'FOREIGN KEY ("mail") REFERENCES t ("mail")',
    );
    expect(renameClauseColumns("REFERENCES users (email) ON DELETE CASCADE", renames)).toBe(
      "REFERENCES users (email) ON DELETE CASCADE",
    );
  });
});

describe("pragmaDefault", () => {
  it("puts back the parentheses PRAGMA table_xinfo drops from an expression", () => {
    expect(pragmaDefault("lower(hex(randomblob(4)))")).toBe("(lower(hex(randomblob(4))))");
    expect(pragmaDefault("datetime('now')")).toBe("(datetime('now'))");
    for (const literal of ["-1", "1.5e3", "'a''b'", "X'0A'", "NULL", "CURRENT_TIMESTAMP", "TRUE"]) {
      expect(pragmaDefault(literal)).toBe(literal);
    }
    expect(pragmaDefault(null)).toBeUndefined();
  });
});

describe("planColumnRenames", () => {
  it("renames in place, moving a column in the way aside first", () => {
    const original = tableOf(column("id"), column("a"), column("b"));
    const swap = planColumnRenames(original, tableOf(column("id"), column("b", "a"), column("a", "b")));
    expect(swap.steps.map((step) => step.sql)).toEqual([
      'ALTER TABLE "t" RENAME COLUMN "b" TO "_retort_tmp_0"',
      'ALTER TABLE "t" RENAME COLUMN "a" TO "b"',
      'ALTER TABLE "t" RENAME COLUMN "_retort_tmp_0" TO "a"',
    ]);
    expect(swap.currentName).toEqual(
      new Map([
        ["id", "id"],
        ["a", "b"],
        ["b", "a"],
      ]),
    );
    const reuse = planColumnRenames(original, tableOf(column("id"), column("b", "a")));
    expect(reuse.steps.map((step) => step.label)).toEqual(['moving column "b" aside', 'renaming column "a" to "b"']);
    expect(reuse.temporaryNames).toEqual(new Map([["_retort_tmp_0", "b"]]));
    expect(planColumnRenames(original, tableOf(column("id"), column("A", "a"))).steps).toHaveLength(1);
    expect(planColumnRenames(original, original).steps).toEqual([]);
  });
});

describe("dependents", () => {
  const object = (type: SchemaObject["type"], name: string, tableName: string, sql: string): SchemaObject => ({
    type,
    name,
    tableName,
    sql,
  });
  const schema = [
    object("trigger", "on_t", "t", "CREATE TRIGGER on_t AFTER INSERT ON t BEGIN SELECT 1; END"),
    object("view", "v", "v", "CREATE VIEW v AS SELECT a FROM t"),
    object("view", "v2", "v2", "CREATE VIEW v2 AS SELECT a FROM v"),
    object("trigger", "on_v2", "v2", "CREATE TRIGGER on_v2 INSTEAD OF DELETE ON v2 BEGIN SELECT 1; END"),
    object("trigger", "other", "log", "CREATE TRIGGER other AFTER INSERT ON log BEGIN UPDATE t SET a = 1; END"),
    object("view", "unrelated", "unrelated", "CREATE VIEW unrelated AS SELECT 't' FROM log"),
  ];

  it("finds triggers and views on the table or naming it, transitively through views", () => {
    expect(dependentObjects(schema, "T").map((found) => found.name)).toEqual(["on_t", "v", "v2", "on_v2", "other"]);
  });

  it("prepares a statement that compiles each", () => {
    const columns = () => [
      { name: "g", generated: true },
      { name: "a", generated: false },
    ];
    expect(schema.map((found) => validationSql(found, columns))).toEqual([
      'INSERT INTO "t" DEFAULT VALUES',
      'SELECT * FROM "v" LIMIT 0',
      'SELECT * FROM "v2" LIMIT 0',
      'DELETE FROM "v2"',
      'INSERT INTO "log" DEFAULT VALUES',
      'SELECT * FROM "unrelated" LIMIT 0',
    ]);
    const update = object(
      "trigger",
      "u",
      "t",
      'CREATE TRIGGER IF NOT EXISTS main.u BEFORE UPDATE OF "x", y ON t BEGIN SELECT 1; END',
    );
    expect(parseTriggerEvent(update.sql)).toEqual({ event: "UPDATE", columns: ["x", "y"] });
    expect(validationSql(update, columns)).toBe('UPDATE "t" SET "x" = "x", "y" = "y"');
    expect(validationSql({ ...update, sql: "CREATE TRIGGER u UPDATE ON t BEGIN SELECT 1; END" }, columns)).toBe(
      'UPDATE "t" SET "a" = "a"',
    );
  });

  it("explains a failure with the column and what the batch did to it", () => {
    const trigger = schema[0] as SchemaObject;
    const changes = { dropped: new Set(["email"]), temporaryNames: new Map([["_retort_tmp_0", "old"]]) };
    expect(brokenObjectMessage(trigger, "no such column: NEW.email", changes)).toBe(
      'trigger "on_t" uses column "email", which the batch drops (no such column: NEW.email)',
    );
    expect(brokenObjectMessage(trigger, "no such column: _retort_tmp_0", changes)).toBe(
      'trigger "on_t" uses column "old", which no longer exists (no such column: old)',
    );
    expect(parseSchemaError("error in view v2 after rename: no such column: email")).toEqual({
      type: "view",
      name: "v2",
      caused: true,
      reason: "no such column: email",
    });
    expect(parseSchemaError("error in view stale: no such table: main.gone")?.caused).toBe(false);
  });
});

describe("cast check", () => {
  it("counts, in one scan, the values each affinity-changing CAST changes", () => {
    // Every source column here was TEXT: INTEGER changes affinity, VARCHAR does not.
    const target = tableOf(column("id", "id", "INTEGER"), column("n", "a", "INTEGER"), column("s", "s", "VARCHAR(5)"));
    expect(castColumns(target).map((cast) => `${cast.source} -> ${cast.name}`)).toEqual(["id -> id", "a -> n"]);
    const changed = (name: string) =>
      `("${name}" IS NOT CAST("${name}" AS INTEGER) OR (typeof("${name}") = 'text' AND ltrim("${name}", ' +-') GLOB '0[0-9]*'))`;
    expect(castCountSql("t", castColumns(target))).toBe(
      `SELECT coalesce(sum(${changed("id")}), 0) AS "c0", coalesce(sum(${changed("a")}), 0) AS "c1" FROM "t"`,
    );
  });

  it("counts leading zeros lost only where the new type is a number", () => {
    const cast = (toType: string) => ({ name: "a", source: "a", fromType: "INTEGER", toType });
    expect(castChangedCondition(cast("TEXT"))).toBe('"a" IS NOT CAST("a" AS TEXT)');
    expect(castChangedCondition(cast("REAL"))).toContain("GLOB '0[0-9]*'");
    expect(castChangedCondition(cast("NUMERIC(10, 2)"))).toContain("GLOB '0[0-9]*'");
  });
});
