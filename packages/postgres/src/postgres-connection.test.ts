import { type DatabaseError, parseDatabaseUrl, RetortError, sql } from "@retort/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { createTestDatabase, type TestDatabase, urlFor } from "./test-support/test-database.js";

const driver = new PostgresDriver();
let database: TestDatabase;
let connection: PostgresConnection;
const extra: PostgresConnection[] = [];

beforeAll(async () => {
  database = await createTestDatabase("retort_pg_conn");
  connection = await driver.connect(database.url, { applicationName: "retort-test" });
});

afterEach(async () => {
  if (connection.inTransaction) await connection.rollback();
  await Promise.all(extra.splice(0).map((other) => other.close()));
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

async function connect(query: Record<string, string> = {}, options = {}): Promise<PostgresConnection> {
  const other = await driver.connect(parseDatabaseUrl(urlFor(database.name, query)), options);
  extra.push(other);
  return other;
}

async function failure(promise: Promise<unknown>): Promise<DatabaseError> {
  try {
    await promise;
  } catch (error) {
    return error as DatabaseError;
  }
  throw new Error("expected a failure");
}

describe("PostgresConnection: statements", () => {
  it("returns rows from query and changed rows from execute", async () => {
    expect((await connection.execute("CREATE TABLE counts (a integer, b text)")).rowCount).toBe(0);
    expect(
      (
        await connection.execute("INSERT INTO counts (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)", [
          1,
          "x",
          2,
          "y",
          3,
          null,
        ])
      ).rowCount,
    ).toBe(3);
    expect((await connection.execute("UPDATE counts SET b = $1 WHERE a > $2", ["z", 1])).rowCount).toBe(2);
    expect((await connection.execute("SELECT * FROM counts")).rowCount).toBe(0);
    expect((await connection.query("SELECT a, b FROM counts ORDER BY a")).rows).toEqual([
      { a: 1, b: "x" },
      { a: 2, b: "z" },
      { a: 3, b: "z" },
    ]);
    expect((await connection.execute("DELETE FROM counts WHERE a = $1", [1])).rowCount).toBe(1);
  });

  it("runs text with several statements and no parameters, as op.execute scripts do", async () => {
    const result = await connection.execute(
      "CREATE TABLE script_t (a integer); INSERT INTO script_t VALUES (1), (2); UPDATE script_t SET a = a + 1",
    );
    expect(result.rowCount).toBe(4);
    expect((await connection.query("SELECT 1 AS one; SELECT 2 AS two")).rows).toEqual([{ two: 2 }]);
  });

  it("sends a Date in UTC and undefined as NULL, and refuses a sql`` value", async () => {
    const { rows } = await connection.query("SELECT $1::timestamp::text AS stamp, $2::text IS NULL AS missing", [
      new Date("2024-01-02T03:04:05.678Z"),
      undefined,
    ]);
    expect(rows).toEqual([{ stamp: "2024-01-02 03:04:05.678", missing: true }]);
    const error = await failure(connection.query("SELECT $1", [sql`now()`]));
    expect(error.code).toBe("DATABASE");
    expect(error.message).toMatch(/cannot be bound as a parameter/);
  });

  it("reports PostgreSQL's message, SQLSTATE, detail and hint, with the statement and the cause", async () => {
    const missing = await failure(connection.query('SELECT * FROM "no_such_table" WHERE a = $1', ["top-secret-value"]));
    expect(RetortError.isInstance(missing)).toBe(true);
    expect(missing.name).toBe("DatabaseError");
    expect(missing.message).toMatch(/^relation "no_such_table" does not exist \(42P01\)/);
    expect(missing.message).not.toContain("top-secret-value");
    expect(missing.sql).toBe('SELECT * FROM "no_such_table" WHERE a = $1');
    expect((missing.cause as { code?: string }).code).toBe("42P01");

    await connection.execute("CREATE TABLE uniq (id integer PRIMARY KEY)");
    await connection.execute("INSERT INTO uniq VALUES (1)");
    const duplicate = await failure(connection.execute("INSERT INTO uniq VALUES (1)"));
    expect(duplicate.message).toBe(
      'duplicate key value violates unique constraint "uniq_pkey" (23505). Detail: Key (id)=(1) already exists.',
    );
    const hinted = await failure(connection.query("SELECT no_such_function(1)"));
    expect(hinted.message).toMatch(
      /^function no_such_function\(integer\) does not exist \(42883\) at character 8 of the statement\. Hint: No function matches/,
    );
  });
});

describe("PostgresConnection: transactions", () => {
  it("tracks begin, commit and rollback", async () => {
    expect(connection.inTransaction).toBe(false);
    await connection.rollback(); // nothing open: does nothing
    await connection.begin();
    expect(connection.inTransaction).toBe(true);
    await expect(connection.begin()).rejects.toThrow(/already open/);
    await connection.execute("CREATE TABLE tx_kept (a integer)");
    await connection.commit();
    expect(connection.inTransaction).toBe(false);
    expect(await connection.tableExists("tx_kept")).toBe(true);
  });

  it("rolls transactional DDL back: a CREATE TABLE then a failing statement leave nothing", async () => {
    await connection.begin();
    await connection.execute('CREATE TABLE "tx_doomed" (a integer)');
    await connection.execute('CREATE INDEX "ix_tx_doomed_a" ON "tx_doomed" ("a")');
    await expect(connection.execute('ALTER TABLE "tx_doomed" ADD COLUMN "a" integer')).rejects.toThrow(/42701/);
    expect(connection.inTransaction).toBe(true);
    await expect(connection.execute("SELECT 1")).rejects.toThrow(/current transaction is aborted.*\(25P02\)/);
    await connection.rollback();
    expect(connection.inTransaction).toBe(false);
    expect(await connection.tableExists("tx_doomed")).toBe(false);
  });

  it("reports a COMMIT of a failed transaction as an error, not a success", async () => {
    await connection.begin();
    await connection.execute("CREATE TABLE tx_failed (a integer)");
    await expect(connection.execute("SELECT * FROM nowhere")).rejects.toThrow(/42P01/);
    await expect(connection.commit()).rejects.toThrow(/COMMIT rolled the transaction back/);
    expect(connection.inTransaction).toBe(false);
    expect(await connection.tableExists("tx_failed")).toBe(false);
  });

  it("follows the server when a migration commits by itself", async () => {
    await connection.begin();
    await connection.execute("COMMIT");
    expect(connection.inTransaction).toBe(false);
  });

  it("runs CREATE INDEX CONCURRENTLY alone outside a transaction, and refuses it inside one", async () => {
    await connection.execute("CREATE TABLE concurrent_t (a integer)");
    await connection.begin();
    await expect(connection.execute('CREATE INDEX CONCURRENTLY "ix_c_a" ON "concurrent_t" ("a")')).rejects.toThrow(
      /CREATE INDEX CONCURRENTLY cannot run inside a transaction block \(25001\)/,
    );
    await connection.rollback();
    // As autocommitBlock does: commit, run outside a transaction, begin again.
    await connection.begin();
    await connection.commit();
    for (const statement of driver.dialect.compile({
      kind: "createIndex",
      name: "ix_c_a",
      table: "concurrent_t",
      columns: ["a"],
    })) {
      await connection.execute(statement.sql.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY"));
    }
    const { rows } = await connection.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_c_a'::regclass");
    expect(rows).toEqual([{ indisvalid: true }]);
  });
});

describe("PostgresConnection: tableExists", () => {
  it("finds tables by exact name, through the search path or in a schema", async () => {
    await connection.execute('CREATE SCHEMA "meta"');
    await connection.execute('CREATE TABLE "meta"."alembic_version" (version_num varchar(32))');
    await connection.execute('CREATE TABLE "MixedCase" (a integer)');
    expect(await connection.tableExists("alembic_version", "meta")).toBe(true);
    expect(await connection.tableExists("alembic_version")).toBe(false);
    expect(await connection.tableExists("alembic_version", "public")).toBe(false);
    expect(await connection.tableExists("MixedCase")).toBe(true);
    expect(await connection.tableExists("mixedcase")).toBe(false);

    // With ?options=-c search_path=meta the unqualified name resolves there.
    const onMeta = await connect({ options: "-c search_path=meta" });
    expect((await onMeta.query("SELECT current_schema() AS schema")).rows).toEqual([{ schema: "meta" }]);
    expect(await onMeta.tableExists("alembic_version")).toBe(true);
    expect(await onMeta.tableExists("MixedCase")).toBe(false);
  });
});

describe("PostgresConnection: session settings", () => {
  it("sets application_name from the options unless the URL names one", async () => {
    expect((await connection.query("SELECT current_setting('application_name') AS name")).rows).toEqual([
      { name: "retort-test" },
    ]);
    const named = await connect({ application_name: "from-url" }, { applicationName: "retort" });
    expect((await named.query("SELECT current_setting('application_name') AS name")).rows).toEqual([
      { name: "from-url" },
    ]);
  });

  it("sets lock_timeout and statement_timeout from sessionTimeouts, and explains them when they fire", async () => {
    const limited = await connect({}, { sessionTimeouts: { lockTimeoutMs: 200, statementTimeoutMs: 1500 } });
    expect(
      (
        await limited.query(
          "SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS statement",
        )
      ).rows,
    ).toEqual([{ lock: "200ms", statement: "1500ms" }]);

    await connection.execute("CREATE TABLE busy_t (a integer)");
    await connection.begin();
    await connection.execute("LOCK TABLE busy_t IN ACCESS EXCLUSIVE MODE");
    const started = Date.now();
    const locked = await failure(limited.execute('ALTER TABLE "busy_t" ADD COLUMN "b" integer'));
    expect(Date.now() - started).toBeLessThan(1400);
    expect(locked.message).toMatch(
      /^canceling statement due to lock timeout \(55P03\)\. The statement waited longer than lock_timeout \(sessionTimeouts\.lockTimeoutMs = 200 ms\)/,
    );
    await connection.rollback();

    const slow = await failure(limited.query("SELECT pg_sleep(3)"));
    expect(slow.message).toMatch(
      /^canceling statement due to statement timeout \(57014\)\. The statement ran longer than statement_timeout \(sessionTimeouts\.statementTimeoutMs = 1500 ms\)/,
    );
  });
});

describe("PostgresConnection: lifecycle", () => {
  it("closes twice without error and refuses statements afterwards", async () => {
    const other = await connect();
    await other.close();
    await other.close();
    expect(other.inTransaction).toBe(false);
    await expect(other.query("SELECT 1")).rejects.toThrow(/connection is closed/);
  });

  it("survives the server ending its session, and says so on the next statement", async () => {
    const other = await connect({}, { applicationName: "to-be-terminated" });
    const { rows } = await other.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await connection.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const error = await failure(other.query("SELECT 1"));
    expect(error.code).toBe("DATABASE");
    expect(error.message).toMatch(/connection|terminat/i);
    expect(other.inTransaction).toBe(false);
  });
});
