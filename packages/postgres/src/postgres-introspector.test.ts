/**
 * The introspector on a real server: tables created by the dialect's own
 * compiler read back as declared (no false positives), constraints,
 * indexes, comments, enums, identity/SERIAL, computed columns and
 * defaults, in a fixed number of catalog queries.
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
  compareSchemas,
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
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type ComparisonProfile,
  normalizeForComparison,
} from "../../core/src/introspection/test-support/reflection-equality.js";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { type PostgresIntrospector, postgresDefault } from "./postgres-introspector.js";
import { postgresColumnType } from "./postgres-type-names.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";

const driver = new PostgresDriver();
const dialect = driver.dialect;
const introspector = dialect.introspector as PostgresIntrospector;
let database: TestDatabase;
let connection: PostgresConnection;
let queries: string[] = [];

const read: ReadQuery = async (sqlText, parameters = []) => {
  queries.push(sqlText);
  return (await connection.query(sqlText, parameters)).rows as never[];
};

const profile: ComparisonProfile = {
  renderLiteral: (value) => dialect.renderLiteral(value),
  normalizeType: (type) => introspector.normalizeType(type),
  normalizeDefault: (text, type) => introspector.normalizeDefault(text, type),
  comments: true,
  defaultIndexMethod: "btree",
};

beforeAll(async () => {
  database = await createTestDatabase("retort_pg_introspect");
  connection = await driver.connect(database.url);
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

beforeEach(async () => {
  await connection.execute("DROP SCHEMA IF EXISTS public CASCADE");
  await connection.execute("DROP SCHEMA IF EXISTS app CASCADE");
  await connection.execute("CREATE SCHEMA public");
  queries = [];
});

async function create(name: string, ...elements: (TableElement | TableOptions)[]): Promise<TableDefinition> {
  const declared = table(name, ...elements);
  for (const statement of dialect.compile({ kind: "createTable", table: declared })) {
    await connection.execute(statement.sql, statement.parameters);
  }
  return declared;
}

async function reflect(name: string, schema?: string) {
  const found = (await introspector.introspect(read, schema === undefined ? {} : { schema })).tables.find(
    (candidate) => candidate.name === name,
  );
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
  ["c_float_40", float(40)],
  ["c_json", json()],
  ["c_jsonb", jsonb()],
  ["c_uuid", uuid()],
  ["c_enum", enumType("mood", ["happy", "sad", "it's"])],
  ["c_binary", binary()],
  ["c_binary_16", binary(16)],
  ["c_custom", customType("INT4")],
  ["c_custom_array", customType("integer[]")],
];

describe("wiring", () => {
  it("is the dialect's introspector, exported by the package", async () => {
    const entry = await import("./index.js");
    expect(entry.driver.dialect.introspector).toBeInstanceOf(entry.PostgresIntrospector);
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
    expect(byName.get("c_integer")?.type).toEqual(integer());
    expect(byName.get("c_integer")?.reportedType).toBe("integer");
    expect(byName.get("c_string_255")?.type).toEqual(string(255));
    expect(byName.get("c_string_255")?.reportedType).toBe("character varying(255)");
    expect(byName.get("c_datetime_tz")?.type).toEqual(dateTime({ timezone: true }));
    expect(byName.get("c_time")?.type).toEqual(time());
    expect(byName.get("c_numeric_10_2")?.type).toEqual(numeric(10, 2));
    expect(byName.get("c_float")?.type).toEqual(float());
    expect(byName.get("c_uuid")?.type).toEqual(uuid());
    expect(byName.get("c_jsonb")?.type).toEqual(jsonb());
    expect(byName.get("c_enum")?.type).toEqual(enumType("mood", ["happy", "sad", "it's"]));
    expect(byName.get("c_custom_array")?.type).toEqual(customType("integer[]"));
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
      column("d_text", text(), { serverDefault: "x" }),
      column("d_number", integer(), { serverDefault: 42 }),
      column("d_negative", integer(), { serverDefault: -1 }),
      column("d_negative_small", smallInteger(), { serverDefault: -1 }),
      column("d_negative_big", bigInteger(), { serverDefault: -1 }),
      column("d_negative_numeric", numeric(10, 2), { serverDefault: -1 }),
      column("d_negative_float", float(), { serverDefault: -0.5 }),
      column("d_large_float", float(), { serverDefault: 1e20 }),
      column("d_numeric", numeric(10, 2), { serverDefault: 1.5 }),
      column("d_true", boolean(), { serverDefault: true }),
      // Strings where numbers and booleans go: PostgreSQL stores 5, 0 and false.
      column("d_string_number", integer(), { serverDefault: "5" }),
      column("d_string_numeric", numeric(10, 2), { serverDefault: "0" }),
      column("d_string_false", boolean(), { serverDefault: "false" }),
      column("d_now", dateTime({ timezone: true }), { serverDefault: sql`now()` }),
      column("d_current", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` }),
      column("d_uuid", uuid(), { serverDefault: sql`gen_random_uuid()` }),
      column("d_json", jsonb(), { serverDefault: sql`'{}'::jsonb` }),
      column("d_enum", enumType("state", ["on", "off"]), { serverDefault: "on" }),
      column("u", string(30), { unique: true }),
      column("ix", integer(), { index: true }),
      column("uix", string(30), { unique: true, index: true }),
      column("commented", text(), { comment: "it's a comment" }),
      column("doubled", integer(), { computed: sql`d_number * 2` }),
      column("parent_id", integer(), { references: "parents.id" }),
      column("parent_code", string(10), {
        references: { table: "parents", column: "code", onDelete: "SET NULL", onUpdate: "CASCADE" },
      }),
      { comment: "the options table" },
    );
    await expectRoundTrip(declared);
    const reflected = await reflect("options");
    expect(reflected.options).toEqual({ comment: "the options table" });
    expect(reflected.columns[0]?.options).toEqual({ nullable: false, autoincrement: true });
  });
});

describe("server defaults with backslashes and quotes", () => {
  /** The defaults' diffs between `declared` and the database, as `retort check` compares them. */
  async function defaultDiffs(...declared: TableDefinition[]) {
    const reflected = await introspector.introspect(read);
    return compareSchemas({ tables: declared }, reflected, { dialect, compareServerDefault: true });
  }

  const columns = (note: string) =>
    table(
      "paths",
      column("id", integer(), { primaryKey: true }),
      column("note", string(20), { serverDefault: note }),
      column("quoted", string(20), { serverDefault: "it's" }),
      column("mixed", text(), { serverDefault: "C:\\it's \\n" }),
      column("trailing", string(20), { serverDefault: "ends\\" }),
      column("kind", enumType("slash_kind", ["x\\y", "plain"]), { serverDefault: "x\\y" }),
      column("escape_written", text(), { serverDefault: sql`E'a\\\\b \\u00e9 \\303\\251'` }),
      column("plain_written", text(), { serverDefault: sql`'a\\b'` }),
      column("cast_written", string(20), { serverDefault: sql`E'a\\\\b'::text` }),
    );

  it("reads them back as declared: no diff", async () => {
    const declared = columns("C:\\temp");
    await create("paths", ...declared.columns);
    expect(await defaultDiffs(declared)).toEqual([]);
    const note = (await reflect("paths")).columns.find((item) => item.name === "note");
    // The catalogs' 'C:\temp' in the spelling Retort writes, which reads the same whatever
    // standard_conforming_strings says (a migration's downgrade restores it so).
    expect(note?.options.serverDefault).toEqual(sql`E'C:\\\\temp'`);
  });

  it("reads them with the session's standard_conforming_strings: off, the catalogs double the backslashes", async () => {
    const declared = columns("C:\\temp");
    await create("paths", ...declared.columns);
    await connection.execute("SET standard_conforming_strings = off");
    try {
      const { rows } = await connection.query<{ text: string }>(
        "SELECT pg_get_expr(adbin, adrelid) AS text FROM pg_attrdef WHERE adrelid = 'paths'::regclass AND adnum = 2",
      );
      expect(rows[0]?.text).toBe("'C:\\\\temp'::character varying");
      expect(await defaultDiffs(declared)).toEqual([]);
      const note = (await reflect("paths")).columns.find((item) => item.name === "note");
      expect(note?.options.serverDefault).toEqual(sql`E'C:\\\\temp'`);
    } finally {
      await connection.execute("SET standard_conforming_strings = on");
    }
  });

  it("still reports a changed one", async () => {
    await create("paths", ...columns("C:\\temp").columns);
    const diffs = await defaultDiffs(columns("C:\\tmp"));
    expect(diffs).toEqual([
      expect.objectContaining({ kind: "modify_default", column: "note", from: sql`E'C:\\\\temp'`, to: "C:\\tmp" }),
    ]);
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

describe("identity added by alterColumn", () => {
  it("reads a column made autoincrement by alterColumn as an identity", async () => {
    const declared = await create("counted", column("id", integer(), { primaryKey: true }), column("n", integer()));
    for (const statement of dialect.compile({
      kind: "alterColumn",
      table: "counted",
      column: "id",
      autoincrement: true,
    })) {
      await connection.execute(statement.sql, statement.parameters);
    }
    const reflected = await reflect("counted");
    expect(reflected.columns[0]).toMatchObject({ identity: "byDefault", options: { autoincrement: true } });
    const withIdentity = table(
      "counted",
      column("id", integer(), { primaryKey: true, autoincrement: true }),
      ...declared.columns.slice(1),
    );
    await expectRoundTrip(withIdentity);
  });
});

describe("names past 63 bytes", () => {
  const longIndex = "ix_items_a_this_is_a_very_long_index_name_that_goes_past_the_limit";
  const accented = `ix_items_${"é".repeat(30)}`; // 39 characters, 69 bytes
  const longUnique = "uq_items_b_this_is_a_very_long_unique_name_that_goes_past_the_limit";
  const longCheck = `ck_items_${"ä".repeat(28)}_positive`; // 46 characters, 74 bytes
  const items = table(
    "items",
    column("id", integer(), { primaryKey: true }),
    column("a", integer()),
    column("b", integer()),
    index(longIndex, ["a"]),
    index(accented, ["b"]),
    unique(["b"], { name: longUnique }),
    check(sql`a > 0`, { name: longCheck }),
  );

  it("cuts a name as the server does, at 63 bytes of UTF-8 and before a character that does not fit", () => {
    expect(introspector.indexName("ix_short", false)).toBe("ix_short");
    expect(introspector.indexName(longIndex, false)).toBe(longIndex.slice(0, 63));
    // 9 ASCII bytes, then 27 two-byte characters (54 bytes): 63; the 28th would make 65.
    expect(introspector.indexName(accented, false)).toBe(`ix_items_${"é".repeat(27)}`);
    expect(introspector.indexName(`${"x".repeat(62)}é`, false)).toBe("x".repeat(62));
    expect(introspector.indexName(`ix_${"€".repeat(21)}`, false)).toBe(`ix_${"€".repeat(20)}`);
  });

  it("compares declared names with the ones the server truncated: no difference, and a warning for each", async () => {
    // Created as another tool would (Retort refuses such names), and truncated by the server.
    await connection.execute(
      `CREATE TABLE items (id integer PRIMARY KEY, a integer, b integer, CONSTRAINT "${longUnique}" UNIQUE (b), CONSTRAINT "${longCheck}" CHECK (a > 0))`,
    );
    await connection.execute(`CREATE INDEX "${longIndex}" ON items (a)`);
    await connection.execute(`CREATE INDEX "${accented}" ON items (b)`);
    const reflected = await reflect("items");
    expect(reflected.indexes.map((item) => item.name).sort()).toEqual(
      [longIndex.slice(0, 63), `ix_items_${"é".repeat(27)}`].sort(),
    );
    const warnings: string[] = [];
    const diffs = compareSchemas(
      { tables: [items] },
      { tables: [reflected], enums: [] },
      { dialect, onWarning: (message) => warnings.push(message) },
    );
    expect(diffs).toEqual([]);
    expect(warnings).toHaveLength(4);
    expect(warnings).toContainEqual(expect.stringContaining(`index "${accented}" on table "items"`));
    expect(warnings).toContainEqual(expect.stringContaining(`compared as "ix_items_${"é".repeat(27)}"`));
    expect(warnings).toContainEqual(expect.stringContaining(`unique constraint "${longUnique}"`));
    expect(warnings).toContainEqual(expect.stringContaining(`CHECK constraint "${longCheck}"`));
  });
});

describe("constraints, indexes, enums, identity", () => {
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
      foreignKey(["b", "a"], "p", ["b", "a"], { deferrable: true, match: "SIMPLE" }),
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
    expect(reflected.constraints).toContainEqual({ kind: "primaryKey", name: "c_pkey", columns: ["id"] });
    expect(reflected.constraints).toContainEqual({ kind: "check", name: "ck_c_qty", condition: sql`qty > 0` });
  });

  it("reads unique, partial and expression indexes, the method and INCLUDE columns", async () => {
    const declared = await create(
      "people",
      column("id", integer(), { primaryKey: true }),
      column("email", text()),
      column("name", text()),
      column("deleted", boolean()),
      column("tags", jsonb()),
      index("ix_people_email", ["email"], { unique: true }),
      index("ix_people_live", ["name", "email"], { where: sql`deleted IS NOT TRUE` }),
      index("ix_people_lower", [sql`lower(name)`, "email"]),
      index("ix_people_sorted", [sql`"name" DESC`, sql`email NULLS FIRST`, sql`lower(email) DESC NULLS LAST`]),
    );
    await expectRoundTrip(declared);
    for (const statement of dialect.compile({
      kind: "createIndex",
      name: "ix_people_tags",
      table: "people",
      columns: ["tags"],
      dialectOptions: { postgresql: { using: "gin" } },
    })) {
      await connection.execute(statement.sql, statement.parameters);
    }
    for (const statement of dialect.compile({
      kind: "createIndex",
      name: "ix_people_covering",
      table: "people",
      columns: ["email"],
      unique: true,
      dialectOptions: { postgresql: { include: ["name", "id"] } },
    })) {
      await connection.execute(statement.sql, statement.parameters);
    }
    const reflected = await reflect("people");
    expect(reflected.indexes).toContainEqual({
      kind: "index",
      name: "ix_people_tags",
      columns: ["tags"],
      unique: false,
      method: "gin",
    });
    expect(reflected.indexes).toContainEqual({
      kind: "index",
      name: "ix_people_covering",
      columns: ["email"],
      unique: true,
      method: "btree",
      include: ["name", "id"],
    });
    expect(reflected.indexes).toContainEqual({
      kind: "index",
      name: "ix_people_lower",
      columns: [sql`lower(name)`, "email"],
      unique: false,
      method: "btree",
    });
    expect(reflected.indexes.map((found) => found.name)).not.toContain("people_pkey");
  });

  it("names the columns of constraints and indexes after a dropped column, and leaves out constraint indexes", async () => {
    await create("base", column("k", integer()), column("id", integer()), unique("id", { name: "uq_base_id" }));
    await create(
      "gaps",
      column("gone", integer()),
      column("id", integer(), { primaryKey: true }),
      column("a", integer()),
      column("b", text()),
    );
    await connection.execute('ALTER TABLE "gaps" DROP COLUMN "gone"');
    await connection.execute('ALTER TABLE "base" DROP COLUMN "k"');
    await connection.execute('ALTER TABLE "gaps" ADD CONSTRAINT "uq_gaps_b_a" UNIQUE ("b", "a")');
    await connection.execute(
      'ALTER TABLE "gaps" ADD CONSTRAINT "fk_gaps_a" FOREIGN KEY ("a") REFERENCES "base" ("id")',
    );
    await connection.execute('ALTER TABLE "gaps" ADD CONSTRAINT "ex_gaps_a" EXCLUDE USING btree ("a" WITH =)');
    await connection.execute('CREATE INDEX "ix_gaps_b_a" ON "gaps" ("b", "a" DESC)');
    const reflected = await reflect("gaps");
    expect(reflected.columns.map((found) => found.name)).toEqual(["id", "a", "b"]);
    expect(reflected.constraints).toContainEqual({ kind: "primaryKey", name: "gaps_pkey", columns: ["id"] });
    expect(reflected.constraints).toContainEqual({ kind: "unique", name: "uq_gaps_b_a", columns: ["b", "a"] });
    expect(reflected.constraints).toContainEqual({
      kind: "foreignKey",
      name: "fk_gaps_a",
      columns: ["a"],
      referredTable: "base",
      referredColumns: ["id"],
    });
    expect(reflected.indexes).toEqual([
      { kind: "index", name: "ix_gaps_b_a", columns: ["b", sql`a DESC`], unique: false, method: "btree" },
    ]);
  });

  it("tells identity from SERIAL and reads computed columns and expression defaults", async () => {
    await connection.execute(`CREATE TABLE handmade (
      a integer GENERATED ALWAYS AS IDENTITY,
      b bigint GENERATED BY DEFAULT AS IDENTITY,
      c bigserial,
      d integer DEFAULT nextval('handmade_c_seq'),
      e numeric GENERATED ALWAYS AS (a * 2 + 1) STORED,
      f timestamp(3) DEFAULT (now() AT TIME ZONE 'utc'),
      g character(4) DEFAULT 'ab',
      h real
    )`);
    const handmade = await reflect("handmade");
    expect(handmade.columns.map((found) => [found.name, found.type, found.identity, found.options])).toEqual([
      ["a", integer(), "always", { nullable: false, autoincrement: true }],
      ["b", bigInteger(), "byDefault", { nullable: false, autoincrement: true }],
      ["c", bigInteger(), undefined, { nullable: false, autoincrement: true }],
      ["d", integer(), undefined, { nullable: true, serverDefault: sql`nextval('handmade_c_seq'::regclass)` }],
      ["e", numeric(), undefined, { nullable: true, computed: sql`a * 2 + 1` }],
      [
        "f",
        customType("timestamp(3) without time zone"),
        undefined,
        { nullable: true, serverDefault: sql`now() AT TIME ZONE 'utc'::text` },
      ],
      ["g", customType("character(4)"), undefined, { nullable: true, serverDefault: sql`'ab'` }],
      ["h", float(24), undefined, { nullable: true }],
    ]);
  });

  it("reads enums and another schema, leaves out the version table", async () => {
    await connection.execute("CREATE SCHEMA app");
    await create("owners", column("id", integer(), { primaryKey: true }));
    for (const statement of dialect.compile({
      kind: "createTable",
      table: table(
        "things",
        column("id", integer(), { primaryKey: true }),
        column("mood", enumType("mood", ["ok", "meh"], { inheritSchema: true })),
        column("shared", enumType("state", ["a", "b"])),
        column("owner_id", integer(), { references: "public.owners.id" }),
        { schema: "app", comment: "in app" },
      ),
    })) {
      await connection.execute(statement.sql, statement.parameters);
    }
    await create("alembic_version", column("version_num", string(32), { primaryKey: true }));
    // "state" exists already (things.shared created it in the default schema).
    await create("kept", column("state", customType('"state"')));
    const main = await introspector.introspect(read, { excludeTables: ["alembic_version"] });
    expect(main.tables.map((found) => found.name).sort()).toEqual(["kept", "owners"]);
    expect(main.enums).toEqual([{ name: "state", values: ["a", "b"] }]);
    const app = await introspector.introspect(read, { schema: "app" });
    expect(app.enums).toEqual([{ name: "mood", schema: "app", values: ["ok", "meh"] }]);
    // A column's type says its schema when it is not the default one.
    const things = app.tables.find((found) => found.name === "things");
    expect(things?.columns.map((found) => found.type).filter((type) => type.kind === "enum")).toEqual([
      { kind: "enum", name: "mood", values: ["ok", "meh"], schema: "app" },
      { kind: "enum", name: "state", values: ["a", "b"] },
    ]);
    expect(app.defaultSchema).toBe("public");
    expect(app.tables).toHaveLength(1);
    expect(app.tables[0]?.options).toEqual({ schema: "app", comment: "in app" });
    expect(app.tables[0]?.columns[1]?.type).toEqual(enumType("mood", ["ok", "meh"], { schema: "app" }));
    expect(app.tables[0]?.constraints).toContainEqual({
      kind: "foreignKey",
      name: "things_owner_id_fkey",
      columns: ["owner_id"],
      // In the current schema: unqualified, as REFERENCES resolves it.
      referredTable: "owners",
      referredColumns: ["id"],
    });
  });

  it("issues as many queries for 50 tables as for one", async () => {
    await create("one", column("id", integer(), { primaryKey: true }));
    await introspector.introspect(read);
    const single = queries.length;
    for (let at = 0; at < 49; at++) {
      await create(
        `t${at}`,
        column("id", integer(), { primaryKey: true, autoincrement: true }),
        column("one_id", integer(), { references: "one.id", index: true }),
        column("code", string(10), { unique: true }),
        check(sql`id > 0`, { name: `ck_t${at}` }),
      );
    }
    queries = [];
    const schema = await introspector.introspect(read);
    expect(schema.tables).toHaveLength(50);
    expect(queries.length).toBe(single);
    expect(single).toBe(4);
  });
});

describe("postgresColumnType and postgresDefault", () => {
  it("maps format_type output and synonyms to core's types", () => {
    expect(postgresColumnType("int4")).toEqual(integer());
    expect(postgresColumnType("varchar(255)")).toEqual(string(255));
    expect(postgresColumnType("character varying")).toEqual(string());
    expect(postgresColumnType("timestamptz")).toEqual(dateTime({ timezone: true }));
    expect(postgresColumnType("timestamp without time zone")).toEqual(dateTime());
    expect(postgresColumnType("time with time zone")).toEqual(time({ timezone: true }));
    expect(postgresColumnType("numeric(10,0)")).toEqual(numeric(10, 0));
    expect(postgresColumnType("float8")).toEqual(float());
    expect(postgresColumnType("bytea")).toEqual(binary());
    expect(postgresColumnType("citext")).toEqual(customType("citext"));
  });

  it("compares an array type by its element's name, whatever synonym names it", () => {
    const key = (name: string, args: string[] = []) => introspector.comparableType({ name, args });
    expect(key("int[]")).toEqual(key("integer[]"));
    expect(key("int4[][]")).toEqual(key("integer[][]"));
    // PostgreSQL keeps no dimensions: a declared VARCHAR(10)[][] is the character varying(10)[] read back.
    expect(key("varchar[][]", ["10"])).toEqual(key("character varying[]", ["10"]));
    expect(key("integer[3][4]")).toEqual(key("int4[]"));
    expect(key("varchar[]", ["20"])).toEqual(key("character varying[]", ["20"]));
    expect(key("integer [3]")).toEqual(key("integer[]"));
    expect(key("int[]")).not.toEqual(key("bigint[]"));
  });

  it("drops the cast PostgreSQL adds to a literal of the column's type only", () => {
    expect(postgresDefault("'x'::character varying", string(20))).toBe("'x'");
    expect(postgresDefault("'x'::text", string(20))).toBe("'x'::text");
    expect(postgresDefault("'-1'::integer", integer())).toBe("-1");
    // PostgreSQL casts a negative or large number to its literal's type, not the column's.
    expect(postgresDefault("'-1'::integer", smallInteger())).toBe("-1");
    expect(postgresDefault("'-1'::integer", bigInteger())).toBe("-1");
    expect(postgresDefault("'-1'::integer", numeric(10, 2))).toBe("-1");
    expect(postgresDefault("'-0.5'::numeric", float())).toBe("-0.5");
    expect(postgresDefault("'100000000000000000000'::numeric", float())).toBe("100000000000000000000");
    expect(postgresDefault("'-1'::integer", string(5))).toBe("'-1'::integer");
    expect(postgresDefault("('{}'::jsonb)", jsonb())).toBe("'{}'");
    expect(postgresDefault("'on'::state", enumType("state", ["on"]))).toBe("'on'");
  });

  it("writes a string constant one way, whichever way it came", () => {
    // The catalogs' standard string and Retort's escape string are one value.
    expect(postgresDefault("'C:\\temp'::character varying", string(20))).toBe("E'C:\\\\temp'");
    expect(postgresDefault("E'C:\\\\temp'", string(20))).toBe("E'C:\\\\temp'");
    expect(postgresDefault("e'it''s'", string(20))).toBe("'it''s'");
    expect(postgresDefault("E'it\\'s'", text())).toBe("'it''s'");
    expect(postgresDefault("'x\\y'::kind", enumType("kind", ["x\\y"]))).toBe("E'x\\\\y'");
    // A cast to another type stays, after the constant written the same way.
    expect(postgresDefault("'a\\b'::text", string(20))).toBe("E'a\\\\b'::text");
    // Not a lone constant: left as it is.
    expect(postgresDefault("'a\\b' || 'c'", text())).toBe("'a\\b' || 'c'");
    expect(postgresDefault("E'\\u12'", text())).toBe("E'\\u12'");
  });

  it("reads a declared quoted number or boolean as PostgreSQL stores it", () => {
    expect(introspector.normalizeDefault("'5'", integer())).toBe("5");
    expect(introspector.normalizeDefault("'0'", numeric(10, 2))).toBe("0");
    expect(introspector.normalizeDefault("'false'", boolean())).toBe("false");
    expect(introspector.normalizeDefault("'YES'", boolean())).toBe("true");
    expect(introspector.normalizeDefault("'maybe'", boolean())).toBe("'maybe'");
    expect(introspector.normalizeDefault("'5'", string(10))).toBe("'5'");
  });
});
