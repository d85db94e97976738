/**
 * The introspector on a real server (the local MariaDB, or MySQL 8 through
 * RETORT_TEST_MYSQL_URL): tables created by the dialect's own compiler read
 * back as declared (no false positives), constraints, indexes, comments,
 * enums, autoincrement, computed columns and defaults, in a fixed number
 * of information_schema queries.
 */
import {
  bigInteger,
  binary,
  boolean,
  type ColumnType,
  check,
  column,
  currentDate,
  currentTime,
  currentTimestamp,
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
  type ReadQuery,
  type ReflectedTable,
  smallInteger,
  sql,
  string,
  type TableDefinition,
  type TableElement,
  type TableOptions,
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
import type { MysqlConnection } from "./mysql-connection.js";
import { MysqlDriver } from "./mysql-driver.js";
import type { MysqlIntrospector } from "./mysql-introspector.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";

const driver = new MysqlDriver();
let database: TestDatabase;
let connection: MysqlConnection;
let introspector: MysqlIntrospector;
let queries: string[] = [];

const read: ReadQuery = async (sqlText, parameters = []) => {
  queries.push(sqlText);
  return (await connection.query(sqlText, parameters)).rows as never[];
};

const profile: ComparisonProfile = {
  renderLiteral: (value) => connection.dialect.renderLiteral(value),
  normalizeType: (type) => introspector.normalizeType(type),
  normalizeDefault: (text, type) => introspector.normalizeDefault(text, type),
  comments: true,
};

beforeAll(async () => {
  database = await createTestDatabase("retort_my_introspect");
  connection = await driver.connect(database.url);
  introspector = connection.dialect.introspector;
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

beforeEach(async () => {
  const rows = (
    await connection.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.TABLES WHERE table_schema = DATABASE()",
    )
  ).rows;
  await connection.execute("SET FOREIGN_KEY_CHECKS = 0");
  for (const row of rows) await connection.execute(`DROP TABLE ${connection.dialect.quoteIdentifier(row.name)}`);
  await connection.execute("SET FOREIGN_KEY_CHECKS = 1");
  queries = [];
});

async function create(name: string, ...elements: (TableElement | TableOptions)[]): Promise<TableDefinition> {
  const declared = table(name, ...elements);
  for (const statement of connection.dialect.compile({ kind: "createTable", table: declared })) {
    await connection.execute(statement.sql, statement.parameters);
  }
  return declared;
}

async function reflect(name: string): Promise<ReflectedTable> {
  const found = (await introspector.introspect(read)).tables.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`table ${name} not reflected`);
  return found;
}

/**
 * The declared table and the reflected one, equal. The indexes InnoDB made
 * for foreign keys are checked to carry their key's name, then left out,
 * as autogenerate leaves them out.
 */
async function expectRoundTrip(declared: TableDefinition): Promise<void> {
  const reflected = await reflect(declared.name);
  const keys = new Set(reflected.constraints.flatMap((item) => (item.kind === "foreignKey" ? [item.name] : [])));
  for (const item of reflected.indexes) if (item.foreignKey !== undefined) expect(keys.has(item.foreignKey)).toBe(true);
  const own = { ...reflected, indexes: reflected.indexes.filter((item) => item.foreignKey === undefined) };
  const { expected, actual } = normalizeForComparison(declared, own, profile);
  expect(actual).toEqual(expected);
}

const vocabulary: [string, ColumnType][] = [
  ["c_integer", integer()],
  ["c_big", bigInteger()],
  ["c_small", smallInteger()],
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
  ["c_binary", binary()],
  ["c_binary_16", binary(16)],
  ["c_binary_70000", binary(70_000)],
  ["c_custom", customType("MEDIUMTEXT")],
  ["c_custom_unsigned", customType("INT UNSIGNED")],
];

describe("wiring", () => {
  it("is the dialect's introspector, for the server's flavour, exported by the package", async () => {
    const entry = await import("./index.js");
    expect(entry.driver.dialect.introspector).toBeInstanceOf(entry.MysqlIntrospector);
    expect(connection.dialect.introspector.flavor).toBe(connection.dialect.flavor);
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
    expect(byName.get("c_integer")?.reportedType).toMatch(/^int(\(11\))?$/);
    expect(byName.get("c_boolean")?.type).toEqual(boolean());
    expect(byName.get("c_boolean")?.reportedType).toBe("tinyint(1)");
    expect(byName.get("c_string_255")?.type).toEqual(string(255));
    expect(byName.get("c_numeric")?.type).toEqual(numeric(10, 0));
    expect(byName.get("c_numeric_10_2")?.type).toEqual(numeric(10, 2));
    expect(byName.get("c_float")?.type).toEqual(float());
    expect(byName.get("c_float_40")?.type).toEqual(float(53));
    // MariaDB's JSON is a LONGTEXT with a json_valid CHECK: read as json, the check not reported.
    expect(byName.get("c_json")?.type).toEqual(json());
    expect(byName.get("c_json")?.reportedType).toBe("json");
    expect(reflected.constraints.filter((item) => item.kind === "check")).toEqual([]);
    expect(byName.get("c_uuid")?.type).toEqual(customType("char(36)"));
    expect(byName.get("c_binary")?.type).toEqual(binary());
    expect(byName.get("c_binary_16")?.type).toEqual(customType("tinyblob"));
    expect(byName.get("c_binary_70000")?.type).toEqual(customType("mediumblob"));
    expect(byName.get("c_custom_unsigned")?.type).toEqual(customType("int unsigned"));
  });

  it("reads an ENUM column as an enum named after the column, its values in order", async () => {
    const declared = await create(
      "moods",
      column("id", integer(), { primaryKey: true }),
      column("mood", enumType("mood", ["happy", "sad", "it's", "back\\slash"]), { nullable: false }),
    );
    await expectRoundTrip(declared);
    const reflected = await reflect("moods");
    expect(reflected.columns[1]?.type).toEqual(enumType("mood", ["happy", "sad", "it's", "back\\slash"]));
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
      column("d_numeric", numeric(10, 2), { serverDefault: 1.5 }),
      column("d_true", boolean(), { serverDefault: true }),
      column("d_false", boolean(), { serverDefault: false }),
      column("d_now", dateTime(), { serverDefault: sql`now()` }),
      column("d_current", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` }),
      column("d_portable", dateTime(), { serverDefault: currentTimestamp() }),
      column("d_day", date(), { serverDefault: currentDate() }),
      column("d_clock", time(), { serverDefault: currentTime() }),
      column("d_expression", string(40), { serverDefault: sql`concat('a', 'b')` }),
      column("d_enum", enumType("d_enum", ["on", "off"]), { serverDefault: "on" }),
      column("u", string(30), { unique: true }),
      column("ix", integer(), { index: true }),
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
    const byName = new Map(reflected.columns.map((found) => [found.name, found]));
    expect(byName.get("id")?.options.autoincrement).toBe(true);
    expect(byName.get("d_string")?.options.serverDefault).toEqual(sql`'it''s'`);
    expect(byName.get("d_numeric")?.options.serverDefault).toEqual(sql`1.50`);
    expect(byName.get("d_true")?.options.serverDefault).toEqual(sql`1`);
    expect(byName.get("d_now")?.options.serverDefault).toEqual(sql`CURRENT_TIMESTAMP`);
    // MariaDB says curdate() and curtime().
    expect(byName.get("d_day")?.options.serverDefault).toEqual(sql`CURRENT_DATE`);
    expect(byName.get("d_clock")?.options.serverDefault).toEqual(sql`CURRENT_TIME`);
    expect(byName.get("doubled")?.options.computed).toEqual(sql`d_number * 2`);
    expect(byName.get("doubled")?.options.serverDefault).toBeUndefined();
    expect(byName.get("required")?.options.serverDefault).toBeUndefined();
    expect(byName.get("u")?.options.serverDefault).toBeUndefined();
    expect(reflected.options.comment).toBe("the options table");
  });
});

describe("generated columns", () => {
  it("reads whether a generated column is STORED or VIRTUAL (EXTRA), for a MODIFY to restate it", async () => {
    await connection.execute(
      "CREATE TABLE gen (price INT, stored_total INT GENERATED ALWAYS AS (price * 2) STORED, " +
        "virtual_total INT GENERATED ALWAYS AS (price * 3) VIRTUAL, plain INT)",
    );
    const byName = new Map((await reflect("gen")).columns.map((found) => [found.name, found]));
    expect(byName.get("stored_total")?.options.computed).toEqual(sql`price * 2`);
    expect(byName.get("stored_total")?.computedStored).toBe(true);
    expect(byName.get("virtual_total")?.options.computed).toEqual(sql`price * 3`);
    expect(byName.get("virtual_total")?.computedStored).toBe(false);
    expect(byName.get("plain")?.computedStored).toBeUndefined();
  });
});

describe("constraints and indexes", () => {
  it("reads named keys, checks, foreign keys with actions, and indexes", async () => {
    await create(
      "accounts",
      column("id", integer()),
      column("region", string(8)),
      primaryKey(["id", "region"], { name: "pk_accounts" }),
    );
    const declared = await create(
      "orders",
      column("id", bigInteger(), { primaryKey: true, autoincrement: true }),
      column("account_id", integer(), { nullable: false }),
      column("account_region", string(8), { nullable: false }),
      column("total", numeric(12, 2)),
      column("label", string(40)),
      unique(["label", "total"], { name: "uq_orders_label_total" }),
      check(sql`total >= 0`, { name: "ck_orders_total" }),
      foreignKey(["account_id", "account_region"], "accounts", ["id", "region"], {
        name: "fk_orders_account",
        onDelete: "CASCADE",
      }),
      index("ix_orders_label", ["label", "total"]),
    );
    await expectRoundTrip(declared);
    // MySQL calls every primary key PRIMARY: the declared name is not kept, and none is reported.
    expect((await reflect("accounts")).constraints).toContainEqual({ kind: "primaryKey", columns: ["id", "region"] });
    const reflected = await reflect("orders");
    expect(reflected.constraints).toContainEqual({
      kind: "foreignKey",
      name: "fk_orders_account",
      columns: ["account_id", "account_region"],
      referredTable: "accounts",
      referredColumns: ["id", "region"],
      onDelete: "CASCADE",
    });
    expect(reflected.constraints).toContainEqual({
      kind: "check",
      name: "ck_orders_total",
      condition: sql`total >= 0`,
    });
    // MySQL has one kind of unique: a UNIQUE constraint, whether it was made as one or as a unique index.
    expect(reflected.constraints).toContainEqual({
      kind: "unique",
      name: "uq_orders_label_total",
      columns: ["label", "total"],
    });
  });

  it("reads a descending key part as the column with DESC", async () => {
    await create("events", column("id", integer(), { primaryKey: true }), column("at", dateTime()));
    await connection.execute("CREATE INDEX `ix_events_at` ON `events` (`at` DESC, `id`)");
    expect((await reflect("events")).indexes).toEqual([
      { kind: "index", name: "ix_events_at", columns: [sql`at DESC`, "id"], unique: false },
    ]);
  });

  it("reads a key part's prefix length (SUB_PART) as the index's { mysql: { length } }", async () => {
    await create(
      "posts",
      column("id", integer(), { primaryKey: true }),
      column("title", string(200)),
      column("body", text()),
      index("ix_posts_body", ["body"], { mysql: { length: 100 } }),
      index("ix_posts_title_body", ["title", "body"], { mysql: { length: { body: 20 } } }),
    );
    expect((await reflect("posts")).indexes).toEqual([
      {
        kind: "index",
        name: "ix_posts_body",
        columns: ["body"],
        unique: false,
        dialectOptions: { mysql: { length: { body: 100 } } },
      },
      {
        kind: "index",
        name: "ix_posts_title_body",
        columns: ["title", "body"],
        unique: false,
        dialectOptions: { mysql: { length: { body: 20 } } },
      },
    ]);
  });

  it("marks the index InnoDB made for a foreign key with the key's name (or its column's, for a key without one)", async () => {
    await create("owners", column("id", integer(), { primaryKey: true }));
    await create(
      "pets",
      column("id", integer(), { primaryKey: true }),
      column("owner_id", integer()),
      column("sitter_id", integer(), { references: "owners.id" }),
      foreignKey("owner_id", "owners", "id", { name: "fk_pets_owner" }),
    );
    const reflected = await reflect("pets");
    const unnamed = reflected.constraints.find(
      (item) => item.kind === "foreignKey" && item.columns[0] === "sitter_id",
    ) as { name: string };
    expect(reflected.indexes).toContainEqual({
      kind: "index",
      name: "fk_pets_owner",
      columns: ["owner_id"],
      unique: false,
      foreignKey: "fk_pets_owner",
    });
    expect(reflected.indexes).toContainEqual({
      kind: "index",
      name: "sitter_id",
      columns: ["sitter_id"],
      unique: false,
      foreignKey: unnamed.name,
    });
    // Once the key is dropped the index stays, an index of its own.
    await connection.execute("ALTER TABLE `pets` DROP FOREIGN KEY `fk_pets_owner`");
    expect((await reflect("pets")).indexes.find((item) => item.name === "fk_pets_owner")).toEqual({
      kind: "index",
      name: "fk_pets_owner",
      columns: ["owner_id"],
      unique: false,
    });
  });

  it("RESTRICT and NO ACTION read back as no action", async () => {
    await create("targets", column("id", integer(), { primaryKey: true }));
    await create(
      "sources",
      column("id", integer(), { primaryKey: true }),
      column("a", integer()),
      column("b", integer()),
      foreignKey("a", "targets", "id", { name: "fk_a", onDelete: "RESTRICT" }),
      foreignKey("b", "targets", "id", { name: "fk_b", onUpdate: "NO ACTION" }),
    );
    const keys = (await reflect("sources")).constraints.filter((item) => item.kind === "foreignKey");
    expect(keys.map((key) => [key.name, key.onDelete, key.onUpdate])).toEqual([
      ["fk_a", undefined, undefined],
      ["fk_b", undefined, undefined],
    ]);
  });
});

describe("the whole schema", () => {
  it("reads any number of tables in five queries, the excluded tables left out", async () => {
    for (let at = 0; at < 6; at++) {
      await create(`t${at}`, column("id", integer(), { primaryKey: true }), column("v", string(10), { index: true }));
    }
    await create("alembic_version", column("version_num", string(32), { primaryKey: true }));
    queries = [];
    const schema = await introspector.introspect(read, { excludeTables: ["alembic_version"] });
    expect(queries).toHaveLength(5);
    expect(schema.tables.map((item) => item.name).sort()).toEqual(["t0", "t1", "t2", "t3", "t4", "t5"]);
    expect(schema.enums).toEqual([]);
    expect(queries.every((text) => /information_schema/i.test(text) && /DATABASE\(\)/.test(text))).toBe(true);
  });

  it("reads only the connection's database", async () => {
    await create("mine", column("id", integer(), { primaryKey: true }));
    const other = await createTestDatabase("retort_my_other");
    try {
      await connection.execute(`CREATE TABLE ${connection.dialect.quoteIdentifier(other.name)}.theirs (id INT)`);
      const names = (await introspector.introspect(read)).tables.map((item) => item.name);
      expect(names).toEqual(["mine"]);
    } finally {
      await other.drop();
    }
  });
});
