/**
 * Runs compiled DDL on a real server and reads the schema back from
 * pg_catalog / information_schema.
 */
import {
  type Operation,
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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";

const driver = new PostgresDriver();
let database: TestDatabase;
let connection: PostgresConnection;

beforeAll(async () => {
  database = await createTestDatabase("retort_pg_ddl");
  connection = await driver.connect(database.url);
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

async function run(operation: Operation): Promise<void> {
  for (const statement of driver.dialect.compile(operation)) {
    await connection.execute(statement.sql, statement.parameters);
  }
}

function createTable(name: string, ...elements: (TableElement | TableOptions)[]): Operation {
  return { kind: "createTable", table: table(name, ...elements) };
}

async function rows<Row = Record<string, unknown>>(text: string, parameters: unknown[] = []): Promise<Row[]> {
  return (await connection.query<Row>(text, parameters)).rows;
}

/** Column name -> `format_type`, NOT NULL, default and generation expression. */
async function describeColumns(qualifiedTable: string) {
  const result = await rows<{
    name: string;
    type: string;
    not_null: boolean;
    default: string | null;
    generated: string;
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default, a.attgenerated AS generated
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [qualifiedTable],
  );
  return Object.fromEntries(result.map((row) => [row.name, row]));
}

async function constraintsOf(qualifiedTable: string): Promise<Record<string, string>> {
  const result = await rows<{ conname: string; definition: string }>(
    "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass ORDER BY conname",
    [qualifiedTable],
  );
  return Object.fromEntries(result.map((row) => [row.conname, row.definition]));
}

async function indexesOf(tableName: string, schema = "public"): Promise<Record<string, string>> {
  const result = await rows<{ indexname: string; indexdef: string }>(
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 AND schemaname = $2 ORDER BY indexname",
    [tableName, schema],
  );
  return Object.fromEntries(result.map((row) => [row.indexname, row.indexdef]));
}

describe("DDL round trips on a real server", () => {
  it("creates the SPEC's user_settings table and index", async () => {
    await run(createTable("users", column("id", integer(), { primaryKey: true, autoincrement: true })));
    await run(
      createTable(
        "user_settings",
        column("id", integer(), { nullable: false }),
        column("user_id", integer(), { nullable: false, references: "users.id" }),
        column("language", string(10), { serverDefault: "en" }),
        column("timezone", string(50), { serverDefault: "UTC" }),
        column("created_at", dateTime({ timezone: true }), { serverDefault: sql`now()` }),
        primaryKey("id"),
      ),
    );
    await run({ kind: "createIndex", name: "ix_user_settings_user_id", table: "user_settings", columns: ["user_id"] });
    await run({ kind: "addColumn", table: "users", column: column("verified", boolean(), { serverDefault: "false" }) });

    expect(await describeColumns("user_settings")).toMatchObject({
      id: { type: "integer", not_null: true, default: null },
      user_id: { type: "integer", not_null: true },
      language: { type: "character varying(10)", not_null: false, default: "'en'::character varying" },
      timezone: { type: "character varying(50)", default: "'UTC'::character varying" },
      created_at: { type: "timestamp with time zone", default: "now()" },
    });
    expect(await constraintsOf("user_settings")).toEqual({
      user_settings_pkey: "PRIMARY KEY (id)",
      user_settings_user_id_fkey: "FOREIGN KEY (user_id) REFERENCES users(id)",
    });
    expect(await indexesOf("user_settings")).toMatchObject({
      ix_user_settings_user_id: "CREATE INDEX ix_user_settings_user_id ON public.user_settings USING btree (user_id)",
    });
    expect(await describeColumns("users")).toMatchObject({
      id: { type: "integer", not_null: true, default: "nextval('users_id_seq'::regclass)" },
      verified: { type: "boolean", default: "false" },
    });

    await connection.execute("INSERT INTO users DEFAULT VALUES");
    await connection.execute("INSERT INTO user_settings (id, user_id) VALUES (1, 1)");
    const [settings] = await rows<{ language: string; timezone: string; created_at: Date }>(
      "SELECT language, timezone, created_at FROM user_settings",
    );
    expect(settings?.language).toBe("en");
    expect(settings?.timezone).toBe("UTC");
    expect(settings?.created_at).toBeInstanceOf(Date);
  });

  it("creates every column type as PostgreSQL names it", async () => {
    await run(
      createTable(
        "all_types",
        column("c_integer", integer()),
        column("c_big", bigInteger()),
        column("c_small", smallInteger()),
        column("c_varchar", string()),
        column("c_varchar_255", string(255)),
        column("c_text", text()),
        column("c_boolean", boolean()),
        column("c_date", date()),
        column("c_timestamp", dateTime()),
        column("c_timestamptz", dateTime({ timezone: true })),
        column("c_time", time()),
        column("c_timetz", time({ timezone: true })),
        column("c_numeric", numeric()),
        column("c_numeric_10", numeric(10)),
        column("c_numeric_10_2", numeric(10, 2)),
        column("c_float", float()),
        column("c_float_10", float(10)),
        column("c_json", json()),
        column("c_jsonb", jsonb()),
        column("c_uuid", uuid()),
        column("c_binary", binary(16)),
        column("c_mood", enumType("mood", ["sad", "ok", "happy"])),
        column("c_custom", customType("INTERVAL")),
      ),
    );
    const types = Object.fromEntries(
      Object.entries(await describeColumns("all_types")).map(([name, row]) => [name, row.type]),
    );
    expect(types).toEqual({
      c_integer: "integer",
      c_big: "bigint",
      c_small: "smallint",
      c_varchar: "character varying",
      c_varchar_255: "character varying(255)",
      c_text: "text",
      c_boolean: "boolean",
      c_date: "date",
      c_timestamp: "timestamp without time zone",
      c_timestamptz: "timestamp with time zone",
      c_time: "time without time zone",
      c_timetz: "time with time zone",
      c_numeric: "numeric",
      c_numeric_10: "numeric(10,0)",
      c_numeric_10_2: "numeric(10,2)",
      c_float: "double precision",
      c_float_10: "real",
      c_json: "json",
      c_jsonb: "jsonb",
      c_uuid: "uuid",
      c_binary: "bytea",
      c_mood: "mood",
      c_custom: "interval",
    });
    const labels = await rows<{ enumlabel: string }>(
      "SELECT enumlabel FROM pg_enum WHERE enumtypid = 'mood'::regtype ORDER BY enumsortorder",
    );
    expect(labels.map((row) => row.enumlabel)).toEqual(["sad", "ok", "happy"]);
  });

  it("keeps enum types when the table is dropped", async () => {
    await run(createTable("feelings", column("mood", enumType("feeling", ["a", "b"]))));
    await run({ kind: "dropTable", table: "feelings" });
    expect(await rows("SELECT 1 FROM pg_type WHERE typname = 'feeling'")).toHaveLength(1);
  });

  it("creates serial columns, computed columns and defaults that work on insert", async () => {
    await run(
      createTable(
        "items",
        column("id", bigInteger(), { primaryKey: true, autoincrement: true }),
        column("price", numeric(10, 2), { nullable: false, serverDefault: 0 }),
        column("with_tax", numeric(12, 2), { computed: sql`price * 1.2` }),
        column("active", boolean(), { serverDefault: true }),
        column("tags", jsonb(), { serverDefault: sql`'[]'::jsonb` }),
        column("label", text(), { serverDefault: "it's \\ fine" }),
      ),
    );
    await connection.execute("INSERT INTO items (price) VALUES (10)");
    await connection.execute("INSERT INTO items DEFAULT VALUES");
    expect(await rows("SELECT id, price, with_tax, active, tags, label FROM items ORDER BY id")).toEqual([
      { id: "1", price: "10.00", with_tax: "12.00", active: true, tags: [], label: "it's \\ fine" },
      { id: "2", price: "0.00", with_tax: "0.00", active: true, tags: [], label: "it's \\ fine" },
    ]);
    expect((await describeColumns("items")).with_tax).toMatchObject({ generated: "s" });
  });

  it("creates named and unnamed constraints with referential actions", async () => {
    await run(
      createTable(
        "parents",
        column("a", integer()),
        column("b", integer()),
        primaryKey(["a", "b"], { name: "pk_parents" }),
      ),
    );
    await run(
      createTable(
        "children",
        column("id", integer(), { primaryKey: true }),
        column("a", integer()),
        column("b", integer()),
        column("code", string(10), { unique: true }),
        unique(["a", "code"], { name: "uq_children_a_code" }),
        foreignKey(["a", "b"], "parents", ["a", "b"], {
          name: "fk_children_parents",
          onDelete: "CASCADE",
          onUpdate: "SET NULL",
          match: "FULL",
          deferrable: true,
          initially: "DEFERRED",
        }),
        check(sql`id > 0`, { name: "ck_children_id" }),
        check("a <> b"),
      ),
    );
    expect(await constraintsOf("children")).toEqual({
      children_check: "CHECK ((a <> b))",
      children_code_key: "UNIQUE (code)",
      children_pkey: "PRIMARY KEY (id)",
      ck_children_id: "CHECK ((id > 0))",
      fk_children_parents:
        "FOREIGN KEY (a, b) REFERENCES parents(a, b) MATCH FULL ON UPDATE SET NULL ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
      uq_children_a_code: "UNIQUE (a, code)",
    });
    expect(await constraintsOf("parents")).toEqual({ pk_parents: "PRIMARY KEY (a, b)" });
  });

  it("creates indexes: unique, expression, partial, IF NOT EXISTS, column index; and drops them", async () => {
    await run(
      createTable(
        "accounts",
        column("id", integer(), { primaryKey: true }),
        column("email", text(), { index: true, unique: true }),
        column("tenant", integer(), { index: true }),
        column("deleted_at", dateTime()),
        index("ix_accounts_lower_email", [sql`lower(email)`], { unique: true, where: sql`deleted_at IS NULL` }),
      ),
    );
    await run({ kind: "createIndex", name: "ix_accounts_tenant_id", table: "accounts", columns: ["tenant", "id"] });
    await run({
      kind: "createIndex",
      name: "ix_accounts_tenant_id",
      table: "accounts",
      columns: ["tenant", "id"],
      ifNotExists: true,
    });
    expect(await indexesOf("accounts")).toEqual({
      accounts_pkey: "CREATE UNIQUE INDEX accounts_pkey ON public.accounts USING btree (id)",
      ix_accounts_email: "CREATE UNIQUE INDEX ix_accounts_email ON public.accounts USING btree (email)",
      ix_accounts_lower_email:
        "CREATE UNIQUE INDEX ix_accounts_lower_email ON public.accounts USING btree (lower(email)) WHERE (deleted_at IS NULL)",
      ix_accounts_tenant: "CREATE INDEX ix_accounts_tenant ON public.accounts USING btree (tenant)",
      ix_accounts_tenant_id: "CREATE INDEX ix_accounts_tenant_id ON public.accounts USING btree (tenant, id)",
    });
    await run({ kind: "dropIndex", name: "ix_accounts_tenant_id", table: "accounts" });
    await run({ kind: "dropIndex", name: "ix_accounts_tenant_id", ifExists: true });
    expect(Object.keys(await indexesOf("accounts"))).not.toContain("ix_accounts_tenant_id");
  });

  it("writes table and column comments", async () => {
    await run(
      createTable("documented", column("id", integer(), { comment: "the id's \\ comment" }), {
        comment: "A documented table",
      }),
    );
    await run({ kind: "addColumn", table: "documented", column: column("extra", text(), { comment: "added later" }) });
    const [comments] = await rows(
      `SELECT obj_description('documented'::regclass, 'pg_class') AS table_comment,
              col_description('documented'::regclass, 1) AS id_comment,
              col_description('documented'::regclass, 2) AS extra_comment`,
    );
    expect(comments).toEqual({
      table_comment: "A documented table",
      id_comment: "the id's \\ comment",
      extra_comment: "added later",
    });
  });

  it("adds columns with inline constraints, enum types and indexes", async () => {
    await run(createTable("owners", column("id", integer(), { primaryKey: true })));
    await run(createTable("pets", column("name", text())));
    await run({
      kind: "addColumn",
      table: "pets",
      column: column("owner_id", integer(), { references: { table: "owners", column: "id", onDelete: "SET NULL" } }),
    });
    await run({
      kind: "addColumn",
      table: "pets",
      column: column("tag", string(20), { unique: true, nullable: false, serverDefault: "none" }),
    });
    await run({
      kind: "addColumn",
      table: "pets",
      column: column("kind", enumType("pet_kind", ["cat", "dog"]), { index: true }),
    });
    await run({
      kind: "addColumn",
      table: "pets",
      column: column("id", integer(), { primaryKey: true, autoincrement: true }),
    });
    await run({ kind: "addColumn", table: "pets", column: column("id", integer()), ifNotExists: true });
    expect(await constraintsOf("pets")).toEqual({
      pets_owner_id_fkey: "FOREIGN KEY (owner_id) REFERENCES owners(id) ON DELETE SET NULL",
      pets_pkey: "PRIMARY KEY (id)",
      pets_tag_key: "UNIQUE (tag)",
    });
    expect(await describeColumns("pets")).toMatchObject({
      tag: { type: "character varying(20)", not_null: true, default: "'none'::character varying" },
      kind: { type: "pet_kind" },
      id: { type: "integer", not_null: true, default: "nextval('pets_id_seq'::regclass)" },
    });
    expect(Object.keys(await indexesOf("pets"))).toContain("ix_pets_kind");
  });

  it("creates and drops schemas, with tables, enums and indexes inside", async () => {
    await run({ kind: "createSchema", name: "app" });
    await run({ kind: "createSchema", name: "app", ifNotExists: true });
    await run(
      createTable(
        "things",
        column("id", integer(), { primaryKey: true, autoincrement: true }),
        column("state", enumType("state", ["new", "done"], { inheritSchema: true }), {
          serverDefault: "new",
          index: true,
        }),
        column("owner_id", integer(), { references: "public.owners.id" }),
        { schema: "app", comment: "in app" },
      ),
    );
    await run({ kind: "bulkInsert", table: "things", schema: "app", rows: [{ state: "done" }, {}] });
    expect(await rows("SELECT id, state FROM app.things ORDER BY id")).toEqual([
      { id: 1, state: "done" },
      { id: 2, state: "new" },
    ]);
    expect(
      await rows(
        "SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE nspname = 'app' AND typname = 'state'",
      ),
    ).toHaveLength(1);
    // `index: true` in a schema: SQLAlchemy's default convention, `ix_%(column_0_label)s`, names the schema.
    expect(Object.keys(await indexesOf("things", "app"))).toEqual(["ix_app_things_state", "things_pkey"]);
    expect(await connection.tableExists("things", "app")).toBe(true);
    expect(await connection.tableExists("things")).toBe(false);
    await run({ kind: "dropIndex", name: "ix_app_things_state", schema: "app" });
    await run({ kind: "dropTable", table: "things", schema: "app" });
    expect(await connection.tableExists("things", "app")).toBe(false);
    await expect(run({ kind: "dropSchema", name: "app" })).rejects.toThrow(
      /cannot drop schema app because other objects depend on it \(2BP01\)/,
    );
    await run({ kind: "dropSchema", name: "app", cascade: true });
    await run({ kind: "dropSchema", name: "app", ifExists: true });
    expect(await rows("SELECT 1 FROM pg_namespace WHERE nspname = 'app'")).toHaveLength(0);
  });

  it("rolls DDL back with the transaction", async () => {
    await connection.begin();
    await run(createTable("doomed", column("id", integer()), column("mood", enumType("doomed_mood", ["x"]))));
    await run({ kind: "createIndex", name: "ix_doomed_id", table: "doomed", columns: ["id"] });
    await expect(connection.execute("INSERT INTO no_such_table VALUES (1)")).rejects.toThrow(/42P01/);
    await connection.rollback();
    expect(await connection.tableExists("doomed")).toBe(false);
    expect(await rows("SELECT 1 FROM pg_type WHERE typname = 'doomed_mood'")).toHaveLength(0);
  });
});
