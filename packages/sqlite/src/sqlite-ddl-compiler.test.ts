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
import { describe, expect, it } from "vitest";
import { SqliteDialect } from "./sqlite-dialect.js";

const dialect = new SqliteDialect();

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
        '  "created_at" DATETIME DEFAULT (now()),',
        '  PRIMARY KEY ("id"),',
        '  FOREIGN KEY ("user_id") REFERENCES "users" ("id")',
        ")",
      ].join("\n"),
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
    [dateTime(), "DATETIME"],
    [dateTime({ timezone: true }), "DATETIME"],
    [time(), "TIME"],
    [numeric(), "NUMERIC"],
    [numeric(10), "NUMERIC(10)"],
    [numeric(10, 2), "NUMERIC(10, 2)"],
    [float(), "FLOAT"],
    [float(53), "FLOAT"],
    [json(), "JSON"],
    [jsonb(), "JSON"],
    [uuid(), "VARCHAR(36)"],
    [binary(), "BLOB"],
    [binary(16), "BLOB"],
    [customType("CITEXT"), "CITEXT"],
  ])("renders the type %o as %s", (type, expected) => {
    expect(compile(createTable("t", column("c", type)))).toEqual([`CREATE TABLE "t" (\n  "c" ${expected}\n)`]);
  });

  it("renders an enum as VARCHAR of the longest value plus a CHECK named after the enum", () => {
    expect(
      compile(createTable("t", column("mood", enumType("mood", ["sad", "ok", "happy"]), { nullable: false }))),
    ).toEqual([
      `CREATE TABLE "t" (\n  "mood" VARCHAR(5) NOT NULL,\n  CONSTRAINT "mood" CHECK ("mood" IN ('sad', 'ok', 'happy'))\n)`,
    ]);
  });

  it("names an enum's CHECK by its checkName (a naming convention's, as SQLAlchemy names it)", () => {
    expect(
      compile(createTable("users", column("mood", enumType("mood", ["sad", "ok"], { checkName: "ck_users_mood" })))),
    ).toEqual([
      `CREATE TABLE "users" (\n  "mood" VARCHAR(3),\n  CONSTRAINT "ck_users_mood" CHECK ("mood" IN ('sad', 'ok'))\n)`,
    ]);
  });

  it.each<[unknown, string]>([
    ["en", "DEFAULT 'en'"],
    ["it's", "DEFAULT 'it''s'"],
    ["false", "DEFAULT 'false'"],
    [0, "DEFAULT 0"],
    [-1.5, "DEFAULT -1.5"],
    [true, "DEFAULT 1"],
    [false, "DEFAULT 0"],
    [sql`CURRENT_TIMESTAMP`, "DEFAULT CURRENT_TIMESTAMP"],
    [sql`current_date`, "DEFAULT current_date"],
    [sql`NULL`, "DEFAULT NULL"],
    [sql`'x'`, "DEFAULT 'x'"],
    [sql`42`, "DEFAULT 42"],
    [sql`now()`, "DEFAULT (now())"],
    [sql`(CURRENT_TIMESTAMP)`, "DEFAULT ((CURRENT_TIMESTAMP))"],
    [sql`datetime('now')`, "DEFAULT (datetime('now'))"],
    [sql`1 + 1`, "DEFAULT (1 + 1)"],
  ])("renders the server default %o as %s", (serverDefault, expected) => {
    const operation = createTable("t", column("c", text(), { serverDefault: serverDefault as never }));
    expect(compile(operation)).toEqual([`CREATE TABLE "t" (\n  "c" TEXT ${expected}\n)`]);
  });

  it("renders a computed column as GENERATED ALWAYS AS", () => {
    expect(
      compile(
        createTable(
          "t",
          column("a", integer()),
          column("double_a", integer(), { computed: sql`a * 2`, nullable: false }),
        ),
      ),
    ).toEqual([`CREATE TABLE "t" (\n  "a" INTEGER,\n  "double_a" INTEGER GENERATED ALWAYS AS (a * 2) NOT NULL\n)`]);
  });

  it("writes a single integer autoincrement key inline as INTEGER PRIMARY KEY AUTOINCREMENT", () => {
    expect(
      compile(
        createTable("t", column("id", integer(), { primaryKey: true, autoincrement: true }), column("name", text())),
      ),
    ).toEqual([`CREATE TABLE "t" (\n  "id" INTEGER PRIMARY KEY AUTOINCREMENT,\n  "name" TEXT\n)`]);
  });

  it("writes AUTOINCREMENT on a bigInteger key as INTEGER, the only type that is the rowid", () => {
    expect(compile(createTable("t", column("id", bigInteger(), { primaryKey: true, autoincrement: true })))).toEqual([
      `CREATE TABLE "t" (\n  "id" INTEGER PRIMARY KEY AUTOINCREMENT\n)`,
    ]);
  });

  it("keeps a named primary key's name on an AUTOINCREMENT column", () => {
    expect(
      compile(createTable("t", column("id", integer(), { autoincrement: true }), primaryKey("id", { name: "pk_t" }))),
    ).toEqual([`CREATE TABLE "t" (\n  "id" INTEGER CONSTRAINT "pk_t" PRIMARY KEY AUTOINCREMENT\n)`]);
  });

  it("writes column primary keys as one table constraint, NOT NULL", () => {
    expect(
      compile(
        createTable("t", column("a", integer(), { primaryKey: true }), column("b", string(5), { primaryKey: true })),
      ),
    ).toEqual([`CREATE TABLE "t" (\n  "a" INTEGER NOT NULL,\n  "b" VARCHAR(5) NOT NULL,\n  PRIMARY KEY ("a", "b")\n)`]);
  });

  it("names a named primary key, as the version table needs", () => {
    expect(
      compile(
        createTable(
          "alembic_version",
          column("version_num", string(32), { nullable: false }),
          primaryKey("version_num", { name: "alembic_version_pkc" }),
        ),
      ),
    ).toEqual([
      `CREATE TABLE "alembic_version" (\n  "version_num" VARCHAR(32) NOT NULL,\n  CONSTRAINT "alembic_version_pkc" PRIMARY KEY ("version_num")\n)`,
    ]);
  });

  it("writes UNIQUE, FOREIGN KEY and CHECK constraints, named when named", () => {
    expect(
      compile(
        createTable(
          "orders",
          column("id", integer(), { primaryKey: true }),
          column("customer_id", integer()),
          column("code", string(20), { unique: true }),
          column("parent_id", integer(), {
            references: { table: "orders", column: "id", onDelete: "CASCADE", onUpdate: "SET NULL" },
          }),
          column("qty", integer()),
          unique(["customer_id", "code"], { name: "uq_orders_customer_code" }),
          foreignKey("customer_id", "customers", "id", {
            name: "fk_orders_customer",
            onDelete: "RESTRICT",
            deferrable: true,
            initially: "DEFERRED",
          }),
          foreignKey(["customer_id"], "customers", ["id"], { match: "FULL", deferrable: false }),
          check("qty > 0", { name: "ck_orders_qty" }),
          check(sql`qty < 1000`),
        ),
      ),
    ).toEqual([
      [
        'CREATE TABLE "orders" (',
        '  "id" INTEGER NOT NULL,',
        '  "customer_id" INTEGER,',
        '  "code" VARCHAR(20),',
        '  "parent_id" INTEGER,',
        '  "qty" INTEGER,',
        '  PRIMARY KEY ("id"),',
        '  UNIQUE ("code"),',
        '  FOREIGN KEY ("parent_id") REFERENCES "orders" ("id") ON DELETE CASCADE ON UPDATE SET NULL,',
        '  CONSTRAINT "uq_orders_customer_code" UNIQUE ("customer_id", "code"),',
        '  CONSTRAINT "fk_orders_customer" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED,',
        '  FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") MATCH FULL NOT DEFERRABLE,',
        '  CONSTRAINT "ck_orders_qty" CHECK (qty > 0),',
        "  CHECK (qty < 1000)",
        ")",
      ].join("\n"),
    ]);
  });

  it("adds CREATE INDEX statements for index: true columns and declared indexes", () => {
    expect(
      compile(
        createTable(
          "users",
          column("id", integer(), { primaryKey: true }),
          column("email", string(255), { index: true, unique: true }),
          column("name", text(), { index: true }),
          index("ix_users_lower_email", [sql`lower(email)`], { unique: true, where: "email IS NOT NULL" }),
        ),
      ),
    ).toEqual([
      `CREATE TABLE "users" (\n  "id" INTEGER NOT NULL,\n  "email" VARCHAR(255),\n  "name" TEXT,\n  PRIMARY KEY ("id")\n)`,
      'CREATE UNIQUE INDEX "ix_users_email" ON "users" ("email")',
      'CREATE INDEX "ix_users_name" ON "users" ("name")',
      'CREATE UNIQUE INDEX "ix_users_lower_email" ON "users" (lower(email)) WHERE email IS NOT NULL',
    ]);
  });

  it("uses IF NOT EXISTS for the table and its indexes", () => {
    const operation: Operation = {
      kind: "createTable",
      ifNotExists: true,
      table: table("t", column("a", integer(), { index: true })),
    };
    expect(compile(operation)).toEqual([
      `CREATE TABLE IF NOT EXISTS "t" (\n  "a" INTEGER\n)`,
      'CREATE INDEX IF NOT EXISTS "ix_t_a" ON "t" ("a")',
    ]);
  });

  it("ignores comments: SQLite has none", () => {
    expect(compile(createTable("t", column("a", integer(), { comment: "the a" }), { comment: "a table" }))).toEqual([
      `CREATE TABLE "t" (\n  "a" INTEGER\n)`,
    ]);
  });

  it("quotes names with quotes and spaces", () => {
    expect(compile(createTable('my "t"', column("a b", integer(), { index: true })))).toEqual([
      `CREATE TABLE "my ""t""" (\n  "a b" INTEGER\n)`,
      'CREATE INDEX "ix_my ""t""_a b" ON "my ""t""" ("a b")',
    ]);
  });

  it("refuses a schema, AUTOINCREMENT that SQLite cannot do, and conflicting primary keys", () => {
    expect(() => compile(createTable("t", column("a", integer()), { schema: "other" }))).toThrow(
      /SQLite has no schemas: createTable on "t" was given schema "other"/,
    );
    expect(() => compile(createTable("t", column("a", string(5), { primaryKey: true, autoincrement: true })))).toThrow(
      /AUTOINCREMENT only on a table whose primary key is one integer column/,
    );
    expect(() =>
      compile(
        createTable(
          "t",
          column("a", integer(), { primaryKey: true, autoincrement: true }),
          column("b", integer(), { primaryKey: true }),
        ),
      ),
    ).toThrow(/AUTOINCREMENT/);
    expect(() =>
      compile(createTable("t", column("a", integer(), { primaryKey: true }), column("b", integer()), primaryKey("b"))),
    ).toThrow(/declare the primary key once/);
    expect(() => compile(createTable("t"))).toThrow(/at least one column/);
    expect(() => compile(createTable("t", column("e", enumType("e", []))))).toThrow(/at least one value/);
  });
});

describe("dropTable", () => {
  it("drops, with IF EXISTS when asked", () => {
    expect(compile({ kind: "dropTable", table: "users" })).toEqual(['DROP TABLE "users"']);
    expect(compile({ kind: "dropTable", table: "users", ifExists: true })).toEqual(['DROP TABLE IF EXISTS "users"']);
    expect(() => compile({ kind: "dropTable", table: "users", schema: "s" })).toThrow(/no schemas/);
  });
});

describe("addColumn", () => {
  const add = (definition: ReturnType<typeof column>): string[] =>
    compile({ kind: "addColumn", table: "users", column: definition });

  it("adds a column with ALTER TABLE ... ADD COLUMN", () => {
    expect(add(column("verified", boolean(), { serverDefault: "false" }))).toEqual([
      `ALTER TABLE "users" ADD COLUMN "verified" BOOLEAN DEFAULT 'false'`,
    ]);
    expect(add(column("age", integer(), { nullable: false, serverDefault: 0 }))).toEqual([
      'ALTER TABLE "users" ADD COLUMN "age" INTEGER DEFAULT 0 NOT NULL',
    ]);
    expect(add(column("note", text(), { comment: "ignored" }))).toEqual(['ALTER TABLE "users" ADD COLUMN "note" TEXT']);
  });

  it("writes a reference inline and an enum CHECK on the column", () => {
    expect(
      add(column("org_id", integer(), { references: { table: "orgs", column: "id", onDelete: "SET NULL" } })),
    ).toEqual(['ALTER TABLE "users" ADD COLUMN "org_id" INTEGER REFERENCES "orgs" ("id") ON DELETE SET NULL']);
    expect(add(column("mood", enumType("mood", ["sad", "happy"]), { nullable: false, serverDefault: "sad" }))).toEqual([
      `ALTER TABLE "users" ADD COLUMN "mood" VARCHAR(5) DEFAULT 'sad' NOT NULL CONSTRAINT "mood" CHECK ("mood" IN ('sad', 'happy'))`,
    ]);
  });

  it("adds a virtual computed column, NOT NULL without a default", () => {
    expect(add(column("twice", integer(), { computed: sql`id * 2`, nullable: false }))).toEqual([
      'ALTER TABLE "users" ADD COLUMN "twice" INTEGER GENERATED ALWAYS AS (id * 2) NOT NULL',
    ]);
  });

  it("creates the index of an index: true column", () => {
    expect(add(column("email", string(100), { index: true }))).toEqual([
      'ALTER TABLE "users" ADD COLUMN "email" VARCHAR(100)',
      'CREATE INDEX "ix_users_email" ON "users" ("email")',
    ]);
  });

  it.each([
    [column("id2", integer(), { primaryKey: true }), /cannot add a PRIMARY KEY column/],
    [column("email", string(100), { unique: true }), /cannot add a UNIQUE column.*op\.createIndex/],
    [column("name", text(), { nullable: false }), /NOT NULL column .* needs a non-NULL server default/],
    [column("name", text(), { nullable: false, serverDefault: sql`NULL` }), /NOT NULL/],
    [column("created", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` }), /non-constant default/],
    [column("created", dateTime(), { serverDefault: sql`now()` }), /non-constant default/],
  ])("refuses %o before touching the database, pointing to batch mode", (definition, reason) => {
    let message = "";
    try {
      add(definition);
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code?: string }).code).toBe("UNSUPPORTED_OPERATION");
    }
    expect(message).toMatch(reason);
    expect(message).toContain('op.batchAlterTable("users"');
    expect(message).toContain("https://sqlite.org/lang_altertable.html");
  });

  it("refuses ifNotExists and a schema", () => {
    expect(() => compile({ kind: "addColumn", table: "t", column: column("a", text()), ifNotExists: true })).toThrow(
      /no ADD COLUMN IF NOT EXISTS/,
    );
    expect(() => compile({ kind: "addColumn", table: "t", column: column("a", text()), schema: "s" })).toThrow(
      /no schemas/,
    );
  });
});

describe("createIndex and dropIndex", () => {
  it("creates plain, unique, expression and partial indexes", () => {
    expect(
      compile({ kind: "createIndex", name: "ix_user_settings_user_id", table: "user_settings", columns: ["user_id"] }),
    ).toEqual(['CREATE INDEX "ix_user_settings_user_id" ON "user_settings" ("user_id")']);
    expect(
      compile({
        kind: "createIndex",
        name: "ux_email",
        table: "users",
        columns: [sql`lower(email)`, "tenant_id"],
        unique: true,
        ifNotExists: true,
        where: sql`deleted_at IS NULL`,
      }),
    ).toEqual([
      'CREATE UNIQUE INDEX IF NOT EXISTS "ux_email" ON "users" (lower(email), "tenant_id") WHERE deleted_at IS NULL',
    ]);
    expect(() => compile({ kind: "createIndex", name: "ix", table: "t", columns: [] })).toThrow(/at least one column/);
  });

  it("compiles index(...) in createTable ignoring the other databases' blocks, refusing a key in its own", () => {
    const statements = compile(
      createTable(
        "docs",
        column("id", integer(), { primaryKey: true }),
        column("body", string(2000)),
        index("ix_docs_body", ["body"], { mysql: { length: 10 }, postgresql: { using: "hash" } }),
      ),
    );
    expect(statements.slice(1)).toEqual(['CREATE INDEX "ix_docs_body" ON "docs" ("body")']);
    expect(() =>
      compile(createTable("docs", column("id", integer()), index("ix_docs_id", "id", { sqlite: { where: "id > 0" } }))),
    ).toThrow(`Unknown option 'where' in sqlite of index("ix_docs_id", ...)`);
  });

  it("drops an index by name, with IF EXISTS when asked", () => {
    expect(compile({ kind: "dropIndex", name: "ix_a", table: "t" })).toEqual(['DROP INDEX "ix_a"']);
    expect(compile({ kind: "dropIndex", name: "ix_a", ifExists: true })).toEqual(['DROP INDEX IF EXISTS "ix_a"']);
  });
});

describe("execute", () => {
  it("passes SQL and parameters through", () => {
    expect(dialect.compile({ kind: "execute", sql: "UPDATE t SET a = ? WHERE b = ?", parameters: [1, "x"] })).toEqual([
      { sql: "UPDATE t SET a = ? WHERE b = ?", parameters: [1, "x"] },
    ]);
    expect(dialect.compile({ kind: "execute", sql: "DELETE FROM t" })).toEqual([
      { sql: "DELETE FROM t", parameters: [] },
    ]);
  });
});
