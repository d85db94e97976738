/**
 * The compiled DDL run on real database files, read back through SQLite's
 * own catalog (PRAGMA table_info, index_list, foreign_key_list, sqlite_master).
 */
import {
  type Operation,
  type TableElement,
  type TableOptions,
  boolean,
  check,
  column,
  dateTime,
  enumType,
  foreignKey,
  index,
  integer,
  json,
  numeric,
  primaryKey,
  sql,
  string,
  table,
  text,
  unique,
  uuid,
} from "@retort/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "./sqlite-connection.js";
import { SqliteDriver } from "./sqlite-driver.js";
import { sqliteUrl, temporaryFolder } from "./test-support/temp-database.js";

const driver = new SqliteDriver();
let folder: ReturnType<typeof temporaryFolder>;
let connection: SqliteConnection;

beforeEach(async () => {
  folder = temporaryFolder();
  connection = await driver.connect(sqliteUrl(folder.file()));
});

afterEach(async () => {
  await connection.close();
  folder.remove();
});

/** Compiles and runs an operation, as a migration run does. */
async function run(operation: Operation): Promise<void> {
  for (const statement of driver.dialect.compile(operation)) {
    await connection.execute(statement.sql, statement.parameters);
  }
}

function createTable(name: string, ...elements: (TableElement | TableOptions)[]): Operation {
  return { kind: "createTable", table: table(name, ...elements) };
}

async function rows(sqlText: string, parameters: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await connection.query(sqlText, parameters)).rows;
}

async function columnsOf(tableName: string): Promise<Record<string, unknown>[]> {
  return rows('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?) ORDER BY cid', [tableName]);
}

describe("createTable round trip", () => {
  it("creates the SPEC's user_settings table; SQLite accepts DEFAULT (now()) and DEFAULT (CURRENT_TIMESTAMP)", async () => {
    await run(createTable("users", column("id", integer(), { primaryKey: true })));
    await run(
      createTable(
        "user_settings",
        column("id", integer(), { nullable: false }),
        column("user_id", integer(), { nullable: false, references: "users.id" }),
        column("language", string(10), { serverDefault: "en" }),
        column("timezone", string(50), { serverDefault: "UTC" }),
        column("created_at", dateTime({ timezone: true }), { serverDefault: sql`now()` }),
        column("updated_at", dateTime(), { serverDefault: sql`(CURRENT_TIMESTAMP)` }),
        primaryKey("id"),
      ),
    );
    await run({ kind: "createIndex", name: "ix_user_settings_user_id", table: "user_settings", columns: ["user_id"] });

    expect(await columnsOf("user_settings")).toEqual([
      { name: "id", type: "INTEGER", notnull: 1, dflt_value: null, pk: 1 },
      { name: "user_id", type: "INTEGER", notnull: 1, dflt_value: null, pk: 0 },
      { name: "language", type: "VARCHAR(10)", notnull: 0, dflt_value: "'en'", pk: 0 },
      { name: "timezone", type: "VARCHAR(50)", notnull: 0, dflt_value: "'UTC'", pk: 0 },
      { name: "created_at", type: "DATETIME", notnull: 0, dflt_value: "now()", pk: 0 },
      { name: "updated_at", type: "DATETIME", notnull: 0, dflt_value: "(CURRENT_TIMESTAMP)", pk: 0 },
    ]);
    expect(await rows('SELECT "table", "from", "to" FROM pragma_foreign_key_list(\'user_settings\')')).toEqual([
      { table: "users", from: "user_id", to: "id" },
    ]);
    expect(await rows("SELECT name FROM pragma_index_list('user_settings') WHERE origin = 'c'")).toEqual([
      { name: "ix_user_settings_user_id" },
    ]);
    // SQLite has no now(): the default is only evaluated when used.
    await expect(connection.execute("INSERT INTO user_settings (id, user_id) VALUES (1, 1)")).rejects.toThrow(
      /unknown function: now\(\)/,
    );
    await connection.execute("INSERT INTO user_settings (id, user_id, created_at) VALUES (1, 1, 'x')");
    const [row] = await rows("SELECT language, timezone, updated_at FROM user_settings");
    expect(row).toMatchObject({ language: "en", timezone: "UTC" });
    expect(row?.updated_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it("makes an AUTOINCREMENT rowid key that never reuses ids", async () => {
    await run(
      createTable("t", column("id", integer(), { primaryKey: true, autoincrement: true }), column("v", text())),
    );
    await connection.execute("INSERT INTO t (v) VALUES ('a'), ('b')");
    await connection.execute("DELETE FROM t WHERE id = 2");
    await connection.execute("INSERT INTO t (v) VALUES ('c')");
    expect(await rows("SELECT id, v FROM t ORDER BY id")).toEqual([
      { id: 1, v: "a" },
      { id: 3, v: "c" },
    ]);
    expect(await rows("SELECT seq FROM sqlite_sequence WHERE name = 't'")).toEqual([{ seq: 3 }]);
  });

  it("keeps constraints, enum checks, computed columns and indexes", async () => {
    await run(createTable("customers", column("id", integer(), { primaryKey: true })));
    await run(
      createTable(
        "orders",
        column("id", integer(), { primaryKey: true }),
        column("customer_id", integer(), { nullable: false }),
        column("code", string(20), { unique: true }),
        column("status", enumType("order_status", ["new", "paid"]), { nullable: false, serverDefault: "new" }),
        column("total", numeric(10, 2), { serverDefault: 0 }),
        column("paid", boolean(), { serverDefault: false }),
        column("double_total", numeric(10, 2), { computed: sql`total * 2` }),
        column("ref", uuid(), { index: true }),
        column("meta", json()),
        unique(["customer_id", "code"], { name: "uq_orders_customer_code" }),
        foreignKey("customer_id", "customers", "id", { name: "fk_orders_customer", onDelete: "CASCADE" }),
        check(sql`total >= 0`, { name: "ck_orders_total" }),
        index("ix_orders_lower_code", [sql`lower(code)`], { where: "code IS NOT NULL" }),
      ),
    );
    const [master] = await rows("SELECT sql FROM sqlite_master WHERE name = 'orders'");
    expect(master?.sql).toContain("CONSTRAINT \"order_status\" CHECK (\"status\" IN ('new', 'paid'))");
    expect(master?.sql).toContain('CONSTRAINT "ck_orders_total" CHECK (total >= 0)');

    expect(
      await rows("SELECT name, \"unique\", origin, partial FROM pragma_index_list('orders') ORDER BY name"),
    ).toEqual([
      { name: "ix_orders_lower_code", unique: 0, origin: "c", partial: 1 },
      { name: "ix_orders_ref", unique: 0, origin: "c", partial: 0 },
      { name: "sqlite_autoindex_orders_1", unique: 1, origin: "u", partial: 0 },
      { name: "sqlite_autoindex_orders_2", unique: 1, origin: "u", partial: 0 },
    ]);
    expect(await rows('SELECT "table", "from", on_delete FROM pragma_foreign_key_list(\'orders\')')).toEqual([
      { table: "customers", from: "customer_id", on_delete: "CASCADE" },
    ]);

    await connection.execute("INSERT INTO customers (id) VALUES (1)");
    await connection.execute("INSERT INTO orders (customer_id, code, total) VALUES (1, 'A', 5)");
    expect(await rows("SELECT status, paid, double_total FROM orders")).toEqual([
      { status: "new", paid: 0, double_total: 10 },
    ]);
    await expect(connection.execute("INSERT INTO orders (customer_id, status) VALUES (1, 'lost')")).rejects.toThrow(
      /CHECK constraint failed: order_status/,
    );
    await expect(connection.execute("INSERT INTO orders (customer_id, total) VALUES (1, -1)")).rejects.toThrow(
      /CHECK constraint failed: ck_orders_total/,
    );
    await expect(connection.execute("INSERT INTO orders (customer_id, code) VALUES (1, 'A')")).rejects.toThrow(
      /UNIQUE/,
    );
  });

  it("rolls back a half-created table with its transaction", async () => {
    await connection.begin();
    await run(createTable("t", column("a", integer(), { index: true })));
    await connection.rollback();
    expect(await rows("SELECT name FROM sqlite_master")).toEqual([]);
  });

  it("is idempotent with ifNotExists", async () => {
    const operation: Operation = {
      kind: "createTable",
      ifNotExists: true,
      table: table("t", column("a", integer(), { index: true })),
    };
    await run(operation);
    await run(operation);
    expect(await rows("SELECT type, name FROM sqlite_master ORDER BY name")).toEqual([
      { type: "index", name: "ix_t_a" },
      { type: "table", name: "t" },
    ]);
  });
});

describe("other operations round trip", () => {
  beforeEach(async () => {
    await run(createTable("orgs", column("id", integer(), { primaryKey: true })));
    await run(createTable("users", column("id", integer(), { primaryKey: true }), column("email", string(100))));
    await connection.execute("INSERT INTO users (id, email) VALUES (1, 'A@x'), (2, 'b@x')");
  });

  it("adds columns that SQLite accepts, filling existing rows with the default", async () => {
    await run({
      kind: "addColumn",
      table: "users",
      column: column("verified", boolean(), { nullable: false, serverDefault: false }),
    });
    await run({
      kind: "addColumn",
      table: "users",
      column: column("org_id", integer(), { references: "orgs.id", index: true }),
    });
    await run({
      kind: "addColumn",
      table: "users",
      column: column("tier", enumType("tier", ["free", "pro"]), { serverDefault: "free" }),
    });
    await run({
      kind: "addColumn",
      table: "users",
      column: column("id2", integer(), { computed: sql`id * 2`, nullable: false }),
    });
    expect(await columnsOf("users")).toEqual([
      { name: "id", type: "INTEGER", notnull: 1, dflt_value: null, pk: 1 },
      { name: "email", type: "VARCHAR(100)", notnull: 0, dflt_value: null, pk: 0 },
      { name: "verified", type: "BOOLEAN", notnull: 1, dflt_value: "0", pk: 0 },
      { name: "org_id", type: "INTEGER", notnull: 0, dflt_value: null, pk: 0 },
      { name: "tier", type: "VARCHAR(4)", notnull: 0, dflt_value: "'free'", pk: 0 },
      { name: "id2", type: "INTEGER", notnull: 1, dflt_value: null, pk: 0 },
    ]);
    expect(await rows("SELECT id, verified, org_id, tier, id2 FROM users ORDER BY id")).toEqual([
      { id: 1, verified: 0, org_id: null, tier: "free", id2: 2 },
      { id: 2, verified: 0, org_id: null, tier: "free", id2: 4 },
    ]);
    expect(await rows('SELECT "table", "from", "to" FROM pragma_foreign_key_list(\'users\')')).toEqual([
      { table: "orgs", from: "org_id", to: "id" },
    ]);
    expect(await rows("SELECT name FROM pragma_index_list('users')")).toEqual([{ name: "ix_users_org_id" }]);
    await expect(connection.execute("UPDATE users SET tier = 'gold'")).rejects.toThrow(/CHECK constraint failed: tier/);
  });

  it("refuses what ADD COLUMN cannot do without touching the database", async () => {
    const before = await rows("SELECT sql FROM sqlite_master");
    expect(() =>
      driver.dialect.compile({
        kind: "addColumn",
        table: "users",
        column: column("name", text(), { nullable: false }),
      }),
    ).toThrow(/op\.batchAlterTable/);
    expect(await rows("SELECT sql FROM sqlite_master")).toEqual(before);
  });

  it("creates and drops unique, expression and partial indexes", async () => {
    await run({
      kind: "createIndex",
      name: "ux_users_email",
      table: "users",
      columns: [sql`lower(email)`],
      unique: true,
      where: "email IS NOT NULL",
    });
    await expect(connection.execute("INSERT INTO users (id, email) VALUES (3, 'a@X')")).rejects.toThrow(
      /UNIQUE constraint failed/,
    );
    await run({ kind: "createIndex", name: "ux_users_email", table: "users", columns: ["email"], ifNotExists: true });
    expect(await rows("SELECT sql FROM sqlite_master WHERE name = 'ux_users_email'")).toEqual([
      { sql: 'CREATE UNIQUE INDEX "ux_users_email" ON "users" (lower(email)) WHERE email IS NOT NULL' },
    ]);
    await run({ kind: "dropIndex", name: "ux_users_email", table: "users" });
    await run({ kind: "dropIndex", name: "ux_users_email", ifExists: true });
    expect(await rows("SELECT name FROM sqlite_master WHERE type = 'index'")).toEqual([]);
  });

  it("drops tables, with IF EXISTS", async () => {
    await run({ kind: "dropTable", table: "users" });
    await run({ kind: "dropTable", table: "users", ifExists: true });
    await expect(run({ kind: "dropTable", table: "users" })).rejects.toThrow("SQLITE_ERROR: no such table: users");
    expect(await connection.tableExists("users")).toBe(false);
  });

  it("bulk-inserts typed rows, keeping defaults for left-out columns", async () => {
    await run(
      createTable(
        "events",
        column("id", integer(), { primaryKey: true }),
        column("kind", string(10), { serverDefault: "misc" }),
        column("active", boolean()),
        column("at", dateTime()),
        column("payload", json()),
      ),
    );
    const events = table(
      "events",
      column("id", integer()),
      column("kind", string(10)),
      column("active", boolean()),
      column("at", dateTime()),
      column("payload", json()),
    );
    await run({
      kind: "bulkInsert",
      table: events,
      rows: [
        { id: 1, kind: "a", active: true, at: new Date("2024-01-01T00:00:00Z"), payload: { x: 1 } },
        { id: 2, active: false, payload: ["y"] },
        { id: 3, active: null },
      ],
    });
    expect(await rows("SELECT id, kind, active, at, payload FROM events ORDER BY id")).toEqual([
      { id: 1, kind: "a", active: 1, at: "2024-01-01T00:00:00.000Z", payload: '{"x":1}' },
      { id: 2, kind: "misc", active: 0, at: null, payload: '["y"]' },
      { id: 3, kind: "misc", active: null, at: null, payload: null },
    ]);
    expect(await rows("SELECT json_extract(payload, '$.x') AS x FROM events WHERE id = 1")).toEqual([{ x: 1 }]);
  });

  it("bulk-inserts more rows than one statement can bind", async () => {
    await run(createTable("wide", column("a", integer()), column("b", integer()), column("c", text())));
    const many = Array.from({ length: 25_000 }, (_, position) => ({ a: position, b: position * 2, c: `r${position}` }));
    const statements = driver.dialect.compile({ kind: "bulkInsert", table: "wide", rows: many });
    expect(statements.length).toBe(3);
    await run({ kind: "bulkInsert", table: "wide", rows: many });
    expect(await rows("SELECT count(*) AS n, sum(a) AS s, max(c) AS m FROM wide")).toEqual([
      { n: 25_000, s: (24_999 * 25_000) / 2, m: "r9999" },
    ]);
  });

  it("executes raw SQL with parameters", async () => {
    await run({ kind: "execute", sql: "UPDATE users SET email = lower(email) WHERE id = ?", parameters: [1] });
    expect(await rows("SELECT email FROM users WHERE id = 1")).toEqual([{ email: "a@x" }]);
  });
});
