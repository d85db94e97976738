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
  RetortError,
  smallInteger,
  sql,
  string,
  table,
  text,
  time,
  unique,
  uuid,
  versionTableOperation,
} from "@retort/core";
import { describe, expect, it } from "vitest";
import { PostgresDialect } from "./postgres-dialect.js";
import { PostgresUnsupportedOperationError } from "./postgres-errors.js";

const dialect = new PostgresDialect();

function createTable(name: string, ...elements: (TableElement | TableOptions)[]): Operation {
  return { kind: "createTable", table: table(name, ...elements) };
}

/** The SQL texts an operation compiles to. */
function compile(operation: Operation): string[] {
  return dialect.compile(operation).map((statement) => statement.sql);
}

describe("createTable", () => {
  it("writes the SPEC's user_settings example", () => {
    expect(
      compile(
        createTable(
          "user_settings",
          column("id", integer(), { nullable: false }),
          column("user_id", integer(), { nullable: false, references: "users.id" }),
          column("language", string(10), { serverDefault: "en" }),
          column("timezone", string(50), { serverDefault: "UTC" }),
          column("created_at", dateTime({ timezone: true }), { serverDefault: sql`now()` }),
          primaryKey("id"),
        ),
      ),
    ).toEqual([
      [
        'CREATE TABLE "user_settings" (',
        '  "id" INTEGER NOT NULL,',
        '  "user_id" INTEGER NOT NULL,',
        `  "language" VARCHAR(10) DEFAULT 'en',`,
        `  "timezone" VARCHAR(50) DEFAULT 'UTC',`,
        '  "created_at" TIMESTAMP WITH TIME ZONE DEFAULT now(),',
        '  PRIMARY KEY ("id"),',
        '  FOREIGN KEY ("user_id") REFERENCES "users" ("id")',
        ")",
      ].join("\n"),
    ]);
  });

  it("writes Alembic's version table", () => {
    expect(compile(versionTableOperation({ name: "alembic_version", primaryKey: true }))).toEqual([
      'CREATE TABLE "alembic_version" (\n  "version_num" VARCHAR(32) NOT NULL,\n  CONSTRAINT "alembic_version_pkc" PRIMARY KEY ("version_num")\n)',
    ]);
    expect(compile(versionTableOperation({ name: "alembic_version", schema: "meta", primaryKey: false }))).toEqual([
      'CREATE TABLE "meta"."alembic_version" (\n  "version_num" VARCHAR(32) NOT NULL\n)',
    ]);
  });

  it.each([
    [integer(), "INTEGER"],
    [bigInteger(), "BIGINT"],
    [smallInteger(), "SMALLINT"],
    [string(), "VARCHAR"],
    [string(255), "VARCHAR(255)"],
    [text(), "TEXT"],
    [boolean(), "BOOLEAN"],
    [date(), "DATE"],
    [dateTime(), "TIMESTAMP"],
    [dateTime({ timezone: true }), "TIMESTAMP WITH TIME ZONE"],
    [time(), "TIME"],
    [time({ timezone: true }), "TIME WITH TIME ZONE"],
    [numeric(), "NUMERIC"],
    [numeric(10), "NUMERIC(10)"],
    [numeric(10, 2), "NUMERIC(10, 2)"],
    [float(), "FLOAT"],
    [float(53), "FLOAT(53)"],
    [json(), "JSON"],
    [jsonb(), "JSONB"],
    [uuid(), "UUID"],
    [binary(), "BYTEA"],
    [binary(16), "BYTEA"],
    [customType("CITEXT"), "CITEXT"],
  ])("renders the type %o as %s", (type, expected) => {
    expect(compile(createTable("t", column("c", type)))).toEqual([`CREATE TABLE "t" (\n  "c" ${expected}\n)`]);
  });

  it("refuses a numeric scale without a precision", () => {
    expect(() => compile(createTable("t", column("c", numeric(undefined, 2))))).toThrow(/needs a precision/);
  });

  it("creates a native enum type before the table, once per type", () => {
    expect(
      compile(
        createTable(
          "t",
          column("mood", enumType("mood", ["sad", "ok", "it's"]), { nullable: false }),
          column("previous_mood", enumType("mood", ["sad", "ok", "it's"])),
        ),
      ),
    ).toEqual([
      `CREATE TYPE "mood" AS ENUM ('sad', 'ok', 'it''s')`,
      'CREATE TABLE "t" (\n  "mood" "mood" NOT NULL,\n  "previous_mood" "mood"\n)',
    ]);
  });

  it("puts an enum type in the default schema as SQLAlchemy, or where it says", () => {
    const sqlOf = (type: ReturnType<typeof enumType>) =>
      dialect
        .compile({ kind: "createTable", table: table("t", column("mood", type), { schema: "app" }) })
        .map((statement) => statement.sql);
    expect(sqlOf(enumType("mood", ["a"]))).toEqual([
      `CREATE TYPE "mood" AS ENUM ('a')`,
      'CREATE TABLE "app"."t" (\n  "mood" "mood"\n)',
    ]);
    expect(sqlOf(enumType("mood", ["a"], { schema: "types" }))).toEqual([
      `CREATE TYPE "types"."mood" AS ENUM ('a')`,
      'CREATE TABLE "app"."t" (\n  "mood" "types"."mood"\n)',
    ]);
  });

  it("puts an enum type that inherits its table's schema there, and ignores an existing one with ifNotExists", () => {
    expect(
      dialect
        .compile({
          kind: "createTable",
          table: table("t", column("mood", enumType("mood", ["a"], { inheritSchema: true })), { schema: "app" }),
          ifNotExists: true,
        })
        .map((statement) => statement.sql),
    ).toEqual([
      `DO $retort$ BEGIN CREATE TYPE "app"."mood" AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN NULL; END $retort$`,
      'CREATE TABLE IF NOT EXISTS "app"."t" (\n  "mood" "app"."mood"\n)',
    ]);
  });

  it("refuses one enum name with two value lists", () => {
    expect(() =>
      compile(createTable("t", column("a", enumType("e", ["x"])), column("b", enumType("e", ["y"])))),
    ).toThrow(/declared twice with different values/);
  });

  it.each<[unknown, string]>([
    ["en", "DEFAULT 'en'"],
    ["it's", "DEFAULT 'it''s'"],
    ["C:\\dir", "DEFAULT E'C:\\\\dir'"],
    ["false", "DEFAULT 'false'"],
    [0, "DEFAULT 0"],
    [-1.5, "DEFAULT -1.5"],
    [true, "DEFAULT TRUE"],
    [false, "DEFAULT FALSE"],
    [sql`CURRENT_TIMESTAMP`, "DEFAULT CURRENT_TIMESTAMP"],
    [sql`gen_random_uuid()`, "DEFAULT gen_random_uuid()"],
    [sql`'{}'::jsonb`, "DEFAULT '{}'::jsonb"],
  ])("renders the server default %o as %s", (serverDefault, expected) => {
    expect(
      compile(createTable("t", column("c", text(), { serverDefault: serverDefault as string | number | boolean }))),
    ).toEqual([`CREATE TABLE "t" (\n  "c" TEXT ${expected}\n)`]);
  });

  it("writes an autoincrement integer primary key as SERIAL, BIGSERIAL or SMALLSERIAL", () => {
    expect(compile(createTable("t", column("id", integer(), { primaryKey: true, autoincrement: true })))).toEqual([
      'CREATE TABLE "t" (\n  "id" SERIAL NOT NULL,\n  PRIMARY KEY ("id")\n)',
    ]);
    expect(
      compile(createTable("t", column("id", bigInteger(), { autoincrement: true }), primaryKey("id", { name: "pk" }))),
    ).toEqual(['CREATE TABLE "t" (\n  "id" BIGSERIAL NOT NULL,\n  CONSTRAINT "pk" PRIMARY KEY ("id")\n)']);
    expect(compile(createTable("t", column("id", smallInteger(), { autoincrement: true })))).toEqual([
      'CREATE TABLE "t" (\n  "id" SMALLSERIAL\n)',
    ]);
  });

  it("refuses autoincrement on a non-integer column or with a server default, before touching the database", () => {
    const attempt = (options: object) => () =>
      compile(createTable("t", column("id", uuid(), { primaryKey: true, autoincrement: true, ...options })));
    expect(attempt({})).toThrow(PostgresUnsupportedOperationError);
    expect(attempt({})).toThrow(/Column "id" of table "t": autoincrement needs an integer type .*gen_random_uuid\(\)/);
    expect(() => compile(createTable("t", column("id", integer(), { autoincrement: true, serverDefault: 1 })))).toThrow(
      /autoincrement and serverDefault cannot both be set/,
    );
    try {
      attempt({})();
    } catch (error) {
      expect(RetortError.isInstance(error) && error.code).toBe("UNSUPPORTED_OPERATION");
    }
  });

  it("writes a computed column as a stored generated column", () => {
    expect(
      compile(
        createTable(
          "t",
          column("price", numeric(10, 2), { nullable: false }),
          column("total", numeric(10, 2), { computed: sql`price * 1.2` }),
        ),
      ),
    ).toEqual([
      'CREATE TABLE "t" (\n  "price" NUMERIC(10, 2) NOT NULL,\n  "total" NUMERIC(10, 2) GENERATED ALWAYS AS (price * 1.2) STORED\n)',
    ]);
    expect(() => compile(createTable("t", column("total", integer(), { computed: sql`1`, serverDefault: 2 })))).toThrow(
      /generated \(computed\) column cannot have a server default/,
    );
  });

  it("writes column-level primary key, unique, references and index", () => {
    expect(
      compile(
        createTable(
          "orders",
          column("id", integer(), { primaryKey: true }),
          column("code", string(20), { unique: true }),
          column("email", string(100), { unique: true, index: true }),
          column("user_id", integer(), {
            index: true,
            references: { table: "users", column: "id", onDelete: "CASCADE", onUpdate: "SET NULL" },
          }),
          column("account_id", integer(), { references: "billing.accounts.id" }),
        ),
      ),
    ).toEqual([
      [
        'CREATE TABLE "orders" (',
        '  "id" INTEGER NOT NULL,',
        '  "code" VARCHAR(20),',
        '  "email" VARCHAR(100),',
        '  "user_id" INTEGER,',
        '  "account_id" INTEGER,',
        '  PRIMARY KEY ("id"),',
        '  UNIQUE ("code"),',
        '  FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE SET NULL,',
        '  FOREIGN KEY ("account_id") REFERENCES "billing"."accounts" ("id")',
        ")",
      ].join("\n"),
      'CREATE UNIQUE INDEX "ix_orders_email" ON "orders" ("email")',
      'CREATE INDEX "ix_orders_user_id" ON "orders" ("user_id")',
    ]);
  });

  it("writes named and unnamed table constraints", () => {
    expect(
      compile(
        createTable(
          "t",
          column("a", integer()),
          column("b", integer()),
          primaryKey(["a", "b"], { name: "pk_t" }),
          unique(["b"], { name: "uq_t_b" }),
          unique("a"),
          foreignKey(["a", "b"], "other", ["x", "y"], {
            name: "fk_t_other",
            onDelete: "RESTRICT",
            onUpdate: "NO ACTION",
            match: "FULL",
            deferrable: true,
            initially: "DEFERRED",
          }),
          foreignKey("a", "other2", "x", { deferrable: false }),
          foreignKey("b", "other3", "y", { initially: "IMMEDIATE" }),
          check(sql`a > 0`, { name: "ck_t_a" }),
          check("b <> a"),
        ),
      ),
    ).toEqual([
      [
        'CREATE TABLE "t" (',
        '  "a" INTEGER NOT NULL,',
        '  "b" INTEGER NOT NULL,',
        '  CONSTRAINT "pk_t" PRIMARY KEY ("a", "b"),',
        '  CONSTRAINT "uq_t_b" UNIQUE ("b"),',
        '  UNIQUE ("a"),',
        '  CONSTRAINT "fk_t_other" FOREIGN KEY ("a", "b") REFERENCES "other" ("x", "y") MATCH FULL ON DELETE RESTRICT ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED,',
        '  FOREIGN KEY ("a") REFERENCES "other2" ("x") NOT DEFERRABLE,',
        '  FOREIGN KEY ("b") REFERENCES "other3" ("y") INITIALLY IMMEDIATE,',
        '  CONSTRAINT "ck_t_a" CHECK (a > 0),',
        "  CHECK (b <> a)",
        ")",
      ].join("\n"),
    ]);
  });

  it("refuses MATCH PARTIAL, which PostgreSQL does not implement", () => {
    expect(() =>
      compile(createTable("t", column("a", integer()), foreignKey("a", "o", "x", { match: "PARTIAL" }))),
    ).toThrow(/MATCH PARTIAL .* not implemented by PostgreSQL/);
  });

  it("refuses two primary keys that disagree", () => {
    expect(() =>
      compile(createTable("t", column("a", integer(), { primaryKey: true }), column("b", integer()), primaryKey("b"))),
    ).toThrow(/declare the primary key once/);
  });

  it("writes the schema, declared indexes, and comments as COMMENT statements", () => {
    expect(
      compile(
        createTable(
          "accounts",
          column("id", integer(), { primaryKey: true, comment: "the id" }),
          column("email", text(), { comment: "it's private", index: true }),
          index("ix_accounts_lower_email", [sql`lower(email)`], { unique: true, where: "email IS NOT NULL" }),
          { schema: "app", comment: "User accounts" },
        ),
      ),
    ).toEqual([
      'CREATE TABLE "app"."accounts" (\n  "id" INTEGER NOT NULL,\n  "email" TEXT,\n  PRIMARY KEY ("id")\n)',
      'CREATE INDEX "ix_app_accounts_email" ON "app"."accounts" ("email")',
      'CREATE UNIQUE INDEX "ix_accounts_lower_email" ON "app"."accounts" (lower(email)) WHERE email IS NOT NULL',
      `COMMENT ON TABLE "app"."accounts" IS 'User accounts'`,
      `COMMENT ON COLUMN "app"."accounts"."id" IS 'the id'`,
      `COMMENT ON COLUMN "app"."accounts"."email" IS 'it''s private'`,
    ]);
  });

  it("shortens a generated index name past 63 characters as SQLAlchemy does", () => {
    const longTable = "a_table_with_a_rather_long_name_for_testing";
    const [, indexSql] = compile(createTable(longTable, column("and_a_long_column_name", integer(), { index: true })));
    // SQLAlchemy: name[:55] + "_" + md5(name)[-4:]
    expect(indexSql).toBe(
      `CREATE INDEX "ix_a_table_with_a_rather_long_name_for_testing_and_a_lo_de5f" ON "${longTable}" ("and_a_long_column_name")`,
    );
  });

  it("quotes every identifier, including reserved words and embedded quotes", () => {
    expect(compile(createTable('my "table"', column("select", integer())))).toEqual([
      'CREATE TABLE "my ""table""" (\n  "select" INTEGER\n)',
    ]);
  });

  it("refuses a table without columns and a name PostgreSQL would truncate", () => {
    expect(() => compile(createTable("t"))).toThrow(/at least one column/);
    expect(() => compile(createTable("x".repeat(64), column("a", integer())))).toThrow(/64 bytes long/);
  });
});

describe("dropTable", () => {
  it("drops a table, with IF EXISTS and a schema", () => {
    expect(compile({ kind: "dropTable", table: "users" })).toEqual(['DROP TABLE "users"']);
    expect(compile({ kind: "dropTable", table: "users", schema: "app", ifExists: true })).toEqual([
      'DROP TABLE IF EXISTS "app"."users"',
    ]);
  });
});

describe("addColumn", () => {
  it("writes the column with its constraints inline", () => {
    expect(
      compile({
        kind: "addColumn",
        table: "users",
        column: column("verified", boolean(), { serverDefault: "false", nullable: false }),
      }),
    ).toEqual([`ALTER TABLE "users" ADD COLUMN "verified" BOOLEAN DEFAULT 'false' NOT NULL`]);
    expect(
      compile({
        kind: "addColumn",
        table: "orders",
        schema: "app",
        ifNotExists: true,
        column: column("user_id", integer(), {
          unique: true,
          references: { table: "users", column: "id", onDelete: "SET NULL" },
        }),
      }),
    ).toEqual([
      'ALTER TABLE "app"."orders" ADD COLUMN IF NOT EXISTS "user_id" INTEGER UNIQUE REFERENCES "users" ("id") ON DELETE SET NULL',
    ]);
    expect(
      compile({
        kind: "addColumn",
        table: "t",
        column: column("id", bigInteger(), { primaryKey: true, autoincrement: true }),
      }),
    ).toEqual(['ALTER TABLE "t" ADD COLUMN "id" BIGSERIAL NOT NULL PRIMARY KEY']);
  });

  it("creates the enum type first, then adds the index and the comment", () => {
    expect(
      compile({
        kind: "addColumn",
        table: "users",
        column: column("mood", enumType("mood", ["sad", "happy"]), { index: true, comment: "how they feel" }),
      }),
    ).toEqual([
      `CREATE TYPE "mood" AS ENUM ('sad', 'happy')`,
      'ALTER TABLE "users" ADD COLUMN "mood" "mood"',
      'CREATE INDEX "ix_users_mood" ON "users" ("mood")',
      `COMMENT ON COLUMN "users"."mood" IS 'how they feel'`,
    ]);
  });
});

describe("createIndex and dropIndex", () => {
  it("writes UNIQUE, IF NOT EXISTS, expressions, a partial WHERE and the table's schema", () => {
    expect(
      compile({ kind: "createIndex", name: "ix_user_settings_user_id", table: "user_settings", columns: ["user_id"] }),
    ).toEqual(['CREATE INDEX "ix_user_settings_user_id" ON "user_settings" ("user_id")']);
    expect(
      compile({
        kind: "createIndex",
        name: "uq_email",
        table: "users",
        schema: "app",
        columns: [sql`lower(email)`, "tenant_id"],
        unique: true,
        ifNotExists: true,
        where: sql`deleted_at IS NULL`,
      }),
    ).toEqual([
      'CREATE UNIQUE INDEX IF NOT EXISTS "uq_email" ON "app"."users" (lower(email), "tenant_id") WHERE deleted_at IS NULL',
    ]);
  });

  it("compiles index(...) in createTable with its { postgresql: {...} } block as createIndex does, ignoring MySQL's", () => {
    const statements = compile(
      createTable(
        "docs",
        column("id", integer(), { primaryKey: true }),
        column("tags", customType("text[]")),
        index("ix_docs_tags", ["tags"], { postgresql: { using: "gin" }, mysql: { length: 10 } }),
        index("ix_docs_id", ["id"], { postgresql: { include: ["tags"] }, where: sql`id > 0` }),
      ),
    );
    expect(statements.slice(1)).toEqual([
      'CREATE INDEX "ix_docs_tags" ON "docs" USING gin ("tags")',
      'CREATE INDEX "ix_docs_id" ON "docs" ("id") INCLUDE ("tags") WHERE id > 0',
    ]);
    expect(() =>
      compile(
        createTable("docs", column("id", integer()), index("ix_docs_id", "id", { postgresql: { usign: "gin" } })),
      ),
    ).toThrow(`Unknown option 'usign' in postgresql of index("ix_docs_id", ...): did you mean 'using'?`);
  });

  it("drops an index by its schema-qualified name", () => {
    expect(compile({ kind: "dropIndex", name: "ix_a", table: "t" })).toEqual(['DROP INDEX "ix_a"']);
    expect(compile({ kind: "dropIndex", name: "ix_a", schema: "app", ifExists: true })).toEqual([
      'DROP INDEX IF EXISTS "app"."ix_a"',
    ]);
  });
});

describe("execute, createSchema and dropSchema", () => {
  it("passes SQL and parameters through", () => {
    expect(dialect.compile({ kind: "execute", sql: "UPDATE t SET a = $1", parameters: [1] })).toEqual([
      { sql: "UPDATE t SET a = $1", parameters: [1] },
    ]);
    expect(dialect.compile({ kind: "execute", sql: "SELECT 1" })).toEqual([{ sql: "SELECT 1", parameters: [] }]);
  });

  it("creates and drops schemas", () => {
    expect(compile({ kind: "createSchema", name: "app" })).toEqual(['CREATE SCHEMA "app"']);
    expect(compile({ kind: "createSchema", name: "app", ifNotExists: true })).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "app"',
    ]);
    expect(compile({ kind: "dropSchema", name: "app" })).toEqual(['DROP SCHEMA "app"']);
    expect(compile({ kind: "dropSchema", name: "app", ifExists: true, cascade: true })).toEqual([
      'DROP SCHEMA IF EXISTS "app" CASCADE',
    ]);
  });
});
