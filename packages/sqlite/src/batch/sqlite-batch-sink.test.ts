import type { BatchAlterTableOperation, BatchStep, CompiledStatement } from "@retort/core";
import { column, text } from "@retort/core";
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "../sqlite-connection.js";
import { SqliteDriver } from "../sqlite-driver.js";
import { runOperation } from "../test-support/run-batch.js";
import { sqliteUrl, temporaryFolder } from "../test-support/temp-database.js";

// Issue 8: a rebuild is statements sent through the run's statement sink,
// reads included; nothing reaches the connection another way.

let folder: ReturnType<typeof temporaryFolder>;
let connection: SqliteConnection;

afterEach(async () => {
  await connection.close();
  folder.remove();
});

function batch(table: string, steps: Omit<BatchStep, "table">[]): BatchAlterTableOperation {
  return { kind: "batchAlterTable", table, options: {}, steps: steps.map((step) => ({ ...step, table }) as BatchStep) };
}

/** The statements of a live rebuild of `operation` on `connection` (the table is read from it). */
async function rebuildStatements(
  connection: SqliteConnection,
  operation: BatchAlterTableOperation,
): Promise<readonly CompiledStatement[]> {
  return (
    (await connection.dialect.compileRebuild?.(operation, {
      offline: false,
      read: async (sql, parameters) => (await connection.query(sql, parameters)).rows as never[],
      warn: () => {},
      progress: false,
    })) ?? []
  );
}

/** Wraps the connection's execute and query on the instance, recording every call. */
function record(target: SqliteConnection): string[] {
  const received: string[] = [];
  const execute = target.execute.bind(target);
  const query = target.query.bind(target);
  target.execute = (sql, parameters) => {
    received.push(sql);
    return execute(sql, parameters);
  };
  target.query = (sql, parameters) => {
    received.push(sql);
    return query(sql, parameters);
  };
  return received;
}

describe("a batch rebuild through the statement sink", () => {
  it("sends every read and write through the sink, and the checks as statements", async () => {
    folder = temporaryFolder();
    connection = await new SqliteDriver().connect(sqliteUrl(folder.file()));
    await connection.execute(
      `CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT, name TEXT);
       CREATE TABLE audit (email TEXT);
       CREATE INDEX ix_users_name ON users (name);
       CREATE TRIGGER trg_audit AFTER INSERT ON users BEGIN INSERT INTO audit (email) VALUES (NEW.email); END;
       CREATE VIEW v_users AS SELECT id, email FROM users;
       WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 25) INSERT INTO users (email, name) SELECT 'u' || x, 'n' || x FROM c;`,
    );
    const received = record(connection);
    const seen: string[] = [];
    const progress: number[] = [];
    await connection.begin();
    const statements = await runOperation(
      connection,
      batch("users", [
        { kind: "alterColumn", column: "email", newColumnName: "mail" },
        { kind: "addColumn", column: column("bio", text()) },
        { kind: "alterColumn", column: "name", nullable: false },
      ]),
      { chunkSize: 10, onProgress: ({ copied }) => progress.push(copied), onStatement: (sql) => seen.push(sql) },
    );
    await connection.commit();

    expect(received).toEqual(seen);
    expect(received.some((sql) => sql.startsWith("SELECT type, name, tbl_name, sql FROM sqlite_master"))).toBe(true);
    const writes = statements.map((statement) => statement.sql);
    expect(seen.filter((sql) => writes.includes(sql))).toEqual(writes);
    expect(writes[0]).toBe("SAVEPOINT retort_batch");
    expect(writes.at(-1)).toBe("RELEASE retort_batch");
    expect(writes).toContain('ALTER TABLE "users" RENAME COLUMN "email" TO "mail"');
    expect(writes).toContain('DROP TABLE "users"');
    expect(writes.some((sql) => sql.startsWith('INSERT INTO temp."retort_batch_check" ("rows_kept")'))).toBe(true);
    expect(writes.some((sql) => sql.includes("pragma_foreign_key_check"))).toBe(true);
    expect(progress).toEqual([10, 20, 25]);

    const rows = async (sql: string) => (await connection.query(sql)).rows;
    expect(await rows("SELECT count(*) AS n FROM users")).toEqual([{ n: 25 }]);
    expect(await rows("SELECT sql FROM sqlite_master WHERE name = 'v_users'")).toEqual([
      { sql: 'CREATE VIEW v_users AS SELECT id, "mail" FROM users' },
    ]);
    await connection.execute("INSERT INTO users (mail, name) VALUES ('new', 'x')");
    expect(await rows("SELECT id FROM users WHERE mail = 'new'")).toEqual([{ id: 26 }]);
    expect(await rows("SELECT count(*) AS n FROM audit")).toEqual([{ n: 26 }]);
    expect(await rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%retort%'")).toEqual([]);
  });

  it("fails the run with a check statement when the row count changes", async () => {
    folder = temporaryFolder();
    connection = await new SqliteDriver().connect(sqliteUrl(folder.file()));
    await connection.execute(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);
       INSERT INTO t (a) VALUES (1), (2);`,
    );
    const operation = batch("t", [{ kind: "alterColumn", column: "a", nullable: false }]);
    const statements = await rebuildStatements(connection, operation);
    // A statement slipped in after the copy loses a row: the count check catches it.
    const list = [...statements];
    const copy = list.findIndex((statement) => statement.sql.startsWith('INSERT INTO "_alembic_tmp_t"'));
    list.splice(copy + 1, 0, { sql: 'DELETE FROM "_alembic_tmp_t" WHERE id = 2', parameters: [] });
    await connection.begin();
    const sink = new (await import("@retort/core")).ConnectionStatementSink(connection);
    await expect(
      (async () => {
        for (const statement of list) await sink.execute(statement);
      })(),
    ).rejects.toThrow(/Batch rebuild of "t": the new table does not have as many rows as the old one had; rolled back/);
    await connection.rollback();
    expect((await connection.query("SELECT count(*) AS n FROM t")).rows).toEqual([{ n: 2 }]);
  });

  it("fails the rebuild on orphan rows in a table that references it, naming the PRAGMA that lists them", async () => {
    folder = temporaryFolder();
    connection = await new SqliteDriver().connect(sqliteUrl(folder.file()));
    // Foreign keys off (SQLite's default): the orphan row got in before the migration.
    await connection.execute(
      `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
       CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));
       INSERT INTO users (email) VALUES ('a@x');
       INSERT INTO posts (user_id) VALUES (1), (7);`,
    );
    const operation = batch("users", [{ kind: "alterColumn", column: "email", nullable: false }]);
    const statements = await rebuildStatements(connection, operation);
    await connection.begin();
    const sink = new (await import("@retort/core")).ConnectionStatementSink(connection);
    await expect(
      (async () => {
        for (const statement of statements) await sink.execute(statement);
      })(),
    ).rejects.toThrow(
      `Batch rebuild of "users": foreign key violations after the rebuild, in 'users' or a table whose foreign keys point at it (PRAGMA foreign_key_check lists them); rolled back`,
    );
    await connection.rollback();
    expect((await connection.query("SELECT count(*) AS n FROM posts")).rows).toEqual([{ n: 2 }]);
  });
});
