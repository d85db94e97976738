/**
 * The introspector on real database files: tables created by the
 * dialect's own compiler read back as declared (no false positives), and
 * what the pragmas lose recovered from the CREATE TABLE text.
 */
import {
  type ColumnType,
  type ReadQuery,
  type TableDefinition,
  type TableElement,
  type TableOptions,
  bigInteger,
  binary,
  boolean,
  check,
  column,
  customType,
  date,
  dateTime,
  enumType,
  float,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  numeric,
  primaryKey,
  smallInteger,
  sql,
  string,
  table,
  text,
  time,
  unique,
  uuid,
} from "@retort/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ComparisonProfile,
  normalizeForComparison,
} from "../../core/src/introspection/test-support/reflection-equality.js";
import type { SqliteConnection } from "./sqlite-connection.js";
import { SqliteDriver } from "./sqlite-driver.js";
import { type SqliteIntrospector, sqliteColumnType, unwrap } from "./sqlite-introspector.js";
import { sqliteUrl, temporaryFolder } from "./test-support/temp-database.js";

const driver = new SqliteDriver();
const dialect = driver.dialect;
const introspector = dialect.introspector as SqliteIntrospector;
let folder: ReturnType<typeof temporaryFolder>;
let connection: SqliteConnection;
let queries: string[];

const read: ReadQuery = async (sqlText, parameters = []) => {
  queries.push(sqlText);
  return (await connection.query(sqlText, parameters)).rows as never[];
};

const profile: ComparisonProfile = {
  renderLiteral: (value) => dialect.renderLiteral(value),
  normalizeType: (type) => introspector.normalizeType(type),
  normalizeDefault: (text) => introspector.normalizeDefault(text),
  comments: false,
};

beforeEach(async () => {
  folder = temporaryFolder();
  connection = await driver.connect(sqliteUrl(folder.file()));
  queries = [];
});

afterEach(async () => {
  await connection.close();
  folder.remove();
});

async function create(name: string, ...elements: (TableElement | TableOptions)[]): Promise<TableDefinition> {
  const declared = table(name, ...elements);
  for (const statement of dialect.compile({ kind: "createTable", table: declared })) {
    await connection.execute(statement.sql, statement.parameters);
  }
  return declared;
}

async function reflect(name: string) {
  const schema = await introspector.introspect(read);
  const found = schema.tables.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`table ${name} not reflected`);
  return found;
}

async function expectRoundTrip(declared: TableDefinition): Promise<void> {
  const { expected, actual } = normalizeForComparison(declared, await reflect(declared.name), profile);
  expect(actual).toEqual(expected);
}

const vocabulary: [string, ColumnType][] = [
  ["c_integer", integer()],
  ["c_big", bigInteger()],
  ["c_small", smallInteger()],
  ["c_string", string()],
  ["c_string_255", string(255)],
  ["c_text", text()],
  ["c_boolean", boolean()],
  ["c_date", date()],
  ["c_datetime", dateTime()],
  ["c_datetime_tz", dateTime({ timezone: true })],
  ["c_time", time()],
  ["c_time_tz", time({ timezone: true })],
  ["c_numeric", numeric()],
  ["c_numeric_10", numeric(10)],
  ["c_numeric_10_2", numeric(10, 2)],
  ["c_float", float()],
  ["c_float_10", float(10)],
  ["c_json", json()],
  ["c_jsonb", jsonb()],
  ["c_uuid", uuid()],
  ["c_enum", enumType("mood", ["happy", "sad", "it's"])],
  ["c_binary", binary()],
  ["c_binary_16", binary(16)],
  ["c_custom", customType("CITEXT")],
  ["c_custom_int", customType("INT")],
];

describe("wiring", () => {
  it("is the dialect's introspector, exported by the package", async () => {
    const entry = await import("./index.js");
    expect(entry.driver.dialect.introspector).toBeInstanceOf(entry.SqliteIntrospector);
  });
});

describe("no false positives: every type and column option reads back as declared", () => {
  it("reads every type of core's vocabulary back (nullable and NOT NULL)", async () => {
    const declared = await create(
      "every_type",
      column("id", integer(), { primaryKey: true }),
      ...vocabulary.map(([name, type]) => column(name, type)),
      ...vocabulary.map(([name, type]) => column(`${name}_nn`, type, { nullable: false })),
    );
    await expectRoundTrip(declared);
    const reflected = await reflect("every_type");
    const byName = new Map(reflected.columns.map((found) => [found.name, found]));
    // The mapping itself, not only its agreement with normalizeType.
    expect(byName.get("c_integer")?.type).toEqual(integer());
    expect(byName.get("c_string_255")?.type).toEqual(string(255));
    expect(byName.get("c_string_255")?.reportedType).toBe("VARCHAR(255)");
    expect(byName.get("c_numeric_10_2")?.type).toEqual(numeric(10, 2));
    expect(byName.get("c_datetime")?.type).toEqual(dateTime());
    expect(byName.get("c_enum")?.type).toEqual(enumType("mood", ["happy", "sad", "it's"]));
    expect(byName.get("c_uuid")?.type).toEqual(string(36));
    expect(byName.get("c_custom")?.type).toEqual(customType("CITEXT"));
    expect(reflected.constraints.filter((constraint) => constraint.kind === "check")).toEqual([]);
  });

  it("reads every column option back", async () => {
    await create(
      "parents",
      column("id", integer(), { primaryKey: true }),
      column("code", string(10), { unique: true }),
    );
    const declared = await create(
      "options",
      column("id", integer(), { primaryKey: true, autoincrement: true }),
      column("required", text(), { nullable: false }),
      column("d_string", string(20), { serverDefault: "it's" }),
      column("d_number", integer(), { serverDefault: 42 }),
      column("d_negative", integer(), { serverDefault: -1 }),
      column("d_float", float(), { serverDefault: 1.5 }),
      column("d_true", boolean(), { serverDefault: true }),
      column("d_false", boolean(), { serverDefault: false }),
      column("d_now", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` }),
      column("d_expr", string(8), { serverDefault: sql`lower(hex(randomblob(4)))` }),
      column("d_null", text(), { serverDefault: sql`NULL` }),
      column("d_paren", dateTime(), { serverDefault: sql`(CURRENT_TIMESTAMP)` }),
      column("d_sum", integer(), { serverDefault: sql`(1) + (2)` }),
      column("u", string(30), { unique: true }),
      column("ix", integer(), { index: true }),
      column("uix", string(30), { unique: true, index: true }),
      column("commented", text(), { comment: "SQLite drops it" }),
      column("doubled", integer(), { computed: sql`d_number * 2` }),
      column("parent_id", integer(), { references: "parents.id" }),
      column("parent_code", string(10), {
        references: { table: "parents", column: "code", onDelete: "SET NULL", onUpdate: "CASCADE" },
      }),
      { comment: "SQLite drops it too" },
    );
    await expectRoundTrip(declared);
  });
});

describe("columns added by later migrations", () => {
  it("reads columns added with addColumn as if the table had been created with them", async () => {
    await create("targets", column("id", integer(), { primaryKey: true }));
    await create("grown", column("id", integer(), { primaryKey: true }));
    const added = [
      column("mood", enumType("grown_mood", ["up", "down"])),
      column("label", string(20), { serverDefault: "none", nullable: false }),
      column("target_id", integer(), { references: { table: "targets", column: "id", onDelete: "CASCADE" } }),
      column("rank", integer(), { index: true }),
      column("at", dateTime({ timezone: true })),
    ];
    for (const definition of added) {
      for (const statement of dialect.compile({ kind: "addColumn", table: "grown", column: definition })) {
        await connection.execute(statement.sql, statement.parameters);
      }
    }
    await expectRoundTrip(table("grown", column("id", integer(), { primaryKey: true }), ...added));
  });
});

describe("constraints, indexes and what the pragmas lose", () => {
  it("reads named and unnamed primary keys, uniques, foreign keys with actions and deferrable, named checks", async () => {
    await create("p", column("a", integer()), column("b", integer()), primaryKey(["a", "b"], { name: "pk_p" }));
    const declared = await create(
      "c",
      column("id", string(10)),
      column("a", integer()),
      column("b", integer()),
      column("qty", integer()),
      primaryKey("id"),
      unique(["a", "b"], { name: "uq_c_ab" }),
      unique("qty"),
      foreignKey(["a", "b"], "p", ["a", "b"], {
        name: "fk_c_p",
        onDelete: "CASCADE",
        onUpdate: "RESTRICT",
        deferrable: true,
        initially: "DEFERRED",
        match: "FULL",
      }),
      foreignKey("a", "p", "a", { deferrable: true }),
      check(sql`qty > 0`, { name: "ck_c_qty" }),
      check("a <> b"),
    );
    await expectRoundTrip(declared);
    const reflected = await reflect("c");
    expect(reflected.constraints).toContainEqual({
      kind: "foreignKey",
      name: "fk_c_p",
      columns: ["a", "b"],
      referredTable: "p",
      referredColumns: ["a", "b"],
      onDelete: "CASCADE",
      onUpdate: "RESTRICT",
      deferrable: true,
      initially: "DEFERRED",
      match: "FULL",
    });
    expect(reflected.constraints).toContainEqual({ kind: "check", name: "ck_c_qty", condition: sql`qty > 0` });
    const p = await reflect("p");
    expect(p.constraints).toEqual([{ kind: "primaryKey", name: "pk_p", columns: ["a", "b"] }]);
    expect(p.columns.map((found) => found.options.nullable)).toEqual([false, false]);
  });

  it("reads unique, partial and expression indexes", async () => {
    const declared = await create(
      "people",
      column("id", integer(), { primaryKey: true }),
      column("email", text()),
      column("name", text()),
      column("deleted", boolean()),
      index("ix_people_email", ["email"], { unique: true }),
      index("ix_people_live", ["name", "email"], { where: sql`deleted = 0` }),
      index("ix_people_lower", [sql`lower(name)`, "email"]),
      index("ix_people_sorted", [sql`"name" DESC`, sql`email COLLATE NOCASE`]),
    );
    await expectRoundTrip(declared);
    const reflected = await reflect("people");
    expect(reflected.indexes).toContainEqual({
      kind: "index",
      name: "ix_people_lower",
      columns: [sql`lower(name)`, "email"],
      unique: false,
    });
    expect(reflected.indexes).toContainEqual({
      kind: "index",
      name: "ix_people_live",
      columns: ["name", "email"],
      unique: false,
      where: sql`deleted = 0`,
    });
  });

  it("tells AUTOINCREMENT from a plain rowid key, keeps DEFAULT expressions, computed columns", async () => {
    await create("plain", column("id", integer(), { primaryKey: true }));
    await create("auto", column("id", integer(), { primaryKey: true, autoincrement: true }));
    await connection.execute(
      "CREATE TABLE handmade (id INTEGER PRIMARY KEY, v TEXT DEFAULT (upper('x')), w INT GENERATED ALWAYS AS (id + 1) STORED, z REAL DEFAULT 0.5)",
    );
    const plain = await reflect("plain");
    expect(plain.columns[0]?.options).toEqual({ nullable: false });
    const auto = await reflect("auto");
    expect(auto.columns[0]?.options).toEqual({ nullable: false, autoincrement: true });
    const handmade = await reflect("handmade");
    expect(handmade.columns.map((found) => [found.name, found.type, found.options])).toEqual([
      ["id", integer(), { nullable: false }],
      ["v", text(), { nullable: true, serverDefault: sql`upper('x')` }],
      ["w", integer(), { nullable: true, computed: sql`id + 1` }],
      ["z", float(), { nullable: true, serverDefault: sql`0.5` }],
    ]);
  });

  it("leaves out the version table, SQLite's own tables and the excluded ones", async () => {
    await create("alembic_version", column("version_num", string(32), { primaryKey: true }));
    await create("kept", column("id", integer(), { primaryKey: true, autoincrement: true }));
    const schema = await introspector.introspect(read, { excludeTables: ["alembic_version"] });
    expect(schema.tables.map((found) => found.name)).toEqual(["kept"]);
    expect(schema.enums).toEqual([]);
  });

  it("reads the whole schema in a constant number of queries", async () => {
    await create("one", column("id", integer(), { primaryKey: true }));
    await introspector.introspect(read);
    const single = queries.length;
    for (let at = 0; at < 30; at++) {
      await create(
        `t${at}`,
        column("id", integer(), { primaryKey: true }),
        column("one_id", integer(), { references: "one.id", index: true }),
      );
    }
    queries = [];
    const schema = await introspector.introspect(read);
    expect(schema.tables).toHaveLength(31);
    expect(queries.length).toBe(single);
  });
});

describe("sqliteColumnType", () => {
  it("maps declared types and synonyms to core's types", () => {
    expect(sqliteColumnType("INTEGER")).toEqual(integer());
    expect(sqliteColumnType("int")).toEqual(integer());
    expect(sqliteColumnType("varchar(255)")).toEqual(string(255));
    expect(sqliteColumnType("CHARACTER VARYING (12)")).toEqual(string(12));
    expect(sqliteColumnType("DECIMAL(10, 2)")).toEqual(numeric(10, 2));
    expect(sqliteColumnType("TIMESTAMP")).toEqual(dateTime());
    expect(sqliteColumnType("DOUBLE PRECISION")).toEqual(float());
    expect(sqliteColumnType("MEDIUMINT")).toEqual(customType("MEDIUMINT"));
    expect(sqliteColumnType("")).toEqual(customType(""));
  });

  it("unwraps parentheses around a whole default only", () => {
    expect(unwrap("(lower(x))")).toBe("lower(x)");
    expect(unwrap("(1) + (2)")).toBe("(1) + (2)");
    expect(unwrap("('(')")).toBe("'('");
  });
});
