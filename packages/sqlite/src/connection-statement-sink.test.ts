import {
  CommandError,
  ConnectionStatementSink,
  type MigrationModule,
  MigrationFailedError,
  planDowngrade,
  planUpgrade,
  RevisionGraph,
  type RevisionSource,
  runMigrations,
  type StatementSink,
} from "@retort/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "./sqlite-connection.js";
import { SqliteDriver } from "./sqlite-driver.js";
import { sqliteUrl, temporaryFolder } from "./test-support/temp-database.js";

/**
 * `ConnectionStatementSink` on a real SQLite connection: statements and
 * parameters reach the database, row-count expectations raise their
 * mismatch error, transaction control passes through, and `onStatement`
 * sees exactly what the connection received.
 */

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

/**
 * Records every call that reaches the connection's execute/query/begin/
 * commit/rollback (also the calls the connection makes to itself), and
 * separately those made inside its catalog lookup `relationKind`.
 */
function record(target: SqliteConnection): { received: string[]; catalog: string[] } {
  const received: string[] = [];
  const catalog: string[] = [];
  let inCatalog = 0;
  const log = (sql: string) => (inCatalog > 0 ? catalog : received).push(sql);
  const execute = target.execute.bind(target);
  const query = target.query.bind(target);
  const begin = target.begin.bind(target);
  const commit = target.commit.bind(target);
  const rollback = target.rollback.bind(target);
  const relationKind = target.relationKind.bind(target);
  Object.assign(target, {
    execute: (sql: string, parameters?: readonly unknown[]) => {
      log(sql);
      return execute(sql, parameters);
    },
    query: (sql: string, parameters?: readonly unknown[]) => {
      log(sql);
      return query(sql, parameters);
    },
    begin: () => {
      log("BEGIN");
      return begin();
    },
    commit: () => {
      log("COMMIT");
      return commit();
    },
    rollback: () => {
      if (target.inTransaction) log("ROLLBACK");
      return rollback();
    },
    relationKind: async (name: string, schema?: string) => {
      inCatalog++;
      try {
        return await relationKind(name, schema);
      } finally {
        inCatalog--;
      }
    },
  });
  return { received, catalog };
}

async function versionRows(): Promise<string[]> {
  const { rows } = await connection.query<{ version_num: string }>("SELECT version_num FROM alembic_version");
  return rows.map((row) => row.version_num);
}

describe("ConnectionStatementSink on SQLite", () => {
  it("runs statements with their parameters and returns the row count", async () => {
    const sink: StatementSink = new ConnectionStatementSink(connection);
    expect(sink.offline).toBe(false);
    expect(sink.dialect).toBe(connection.dialect);
    await sink.execute({ sql: "CREATE TABLE t (a TEXT)", parameters: [] });
    const inserted = await sink.execute({ sql: "INSERT INTO t (a) VALUES (?), (?)", parameters: ["it's", "?"] });
    expect(inserted.rowCount).toBe(2);
    const { rows } = await sink.query<{ a: string }>(
      { sql: "SELECT a FROM t WHERE a <> ? ORDER BY a", parameters: ["x"] },
      {
        what: "test",
        instead: "none",
      },
    );
    expect(rows).toEqual([{ a: "?" }, { a: "it's" }]);
  });

  it("passes a statement whose row count matches its expectation", async () => {
    const sink = new ConnectionStatementSink(connection);
    await sink.execute({ sql: "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)", parameters: [] });
    await sink.execute({ sql: "INSERT INTO alembic_version (version_num) VALUES (?)", parameters: ["a1"] });
    const mismatch = () => new Error("not expected");
    const result = await sink.execute({
      sql: "UPDATE alembic_version SET version_num = ? WHERE version_num = ?",
      parameters: ["b2", "a1"],
      expectRows: { count: 1, mismatch },
    });
    expect(result.rowCount).toBe(1);
    expect(await versionRows()).toEqual(["b2"]);
  });

  it("raises the statement's mismatch error when the row count differs (none, or two)", async () => {
    const sink = new ConnectionStatementSink(connection);
    await sink.execute({ sql: "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)", parameters: [] });
    const found: number[] = [];
    const expectOne = {
      count: 1,
      mismatch: (count: number) => {
        found.push(count);
        return new CommandError(`expected one row; ${count} found`, { code: "VERSION_TABLE_MISMATCH" });
      },
    };
    const update = {
      sql: "UPDATE alembic_version SET version_num = ? WHERE version_num = ?",
      parameters: ["b2", "a1"],
    };
    await expect(sink.execute({ ...update, expectRows: expectOne })).rejects.toThrow("expected one row; 0 found");
    await sink.execute({ sql: "INSERT INTO alembic_version VALUES ('a1'), ('a1')", parameters: [] });
    const error = await sink
      .execute({ sql: "DELETE FROM alembic_version WHERE version_num = ?", parameters: ["a1"], expectRows: expectOne })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toEqual(expect.objectContaining({ code: "VERSION_TABLE_MISMATCH" }));
    expect(found).toEqual([0, 2]);
  });

  it("passes BEGIN/COMMIT/ROLLBACK to the connection and announces each; a rollback with no transaction is silent", async () => {
    const seen: string[] = [];
    const sink = new ConnectionStatementSink(connection, { onStatement: (sql) => seen.push(sql) });
    await sink.execute({ sql: "CREATE TABLE t (a INTEGER)", parameters: [] });
    await sink.begin();
    expect(sink.inTransaction).toBe(true);
    await sink.execute({ sql: "INSERT INTO t VALUES (1)", parameters: [] });
    await sink.rollback();
    expect(sink.inTransaction).toBe(false);
    await sink.rollback();
    await sink.begin();
    await sink.execute({ sql: "INSERT INTO t VALUES (2)", parameters: [] });
    await sink.commit();
    expect((await connection.query("SELECT a FROM t")).rows).toEqual([{ a: 2 }]);
    expect(seen).toEqual([
      "CREATE TABLE t (a INTEGER)",
      "BEGIN",
      "INSERT INTO t VALUES (1)",
      "ROLLBACK",
      "BEGIN",
      "INSERT INTO t VALUES (2)",
      "COMMIT",
    ]);
  });

  it("tells a table from a view and from nothing", async () => {
    const sink: StatementSink = new ConnectionStatementSink(connection);
    const need = { what: "test", instead: "none" };
    await connection.execute("CREATE TABLE t (a INTEGER)");
    await connection.execute("CREATE VIEW v AS SELECT a FROM t");
    expect(await sink.relationKind("t", undefined, need)).toBe("table");
    expect(await sink.relationKind("V", undefined, need)).toBe("view");
    expect(await sink.relationKind("missing", undefined, need)).toBeUndefined();
  });
});

describe("runMigrations through ConnectionStatementSink on SQLite", () => {
  const graph = RevisionGraph.build<RevisionSource>([
    { revision: "a", downRevision: null },
    { revision: "b", downRevision: "a" },
    { revision: "x", downRevision: null },
    { revision: "m", downRevision: ["b", "x"] },
  ]);
  const modules: Record<string, MigrationModule> = {
    a: {
      upgrade: async (op) => op.execute("CREATE TABLE ta (id INTEGER)"),
      downgrade: async (op) => op.execute("DROP TABLE ta"),
    },
    b: {
      upgrade: async (op) => op.execute("INSERT INTO ta VALUES (?)", [1]),
      downgrade: async (op) => op.execute("DELETE FROM ta"),
    },
    x: { upgrade: async () => undefined, downgrade: async () => undefined },
    m: { upgrade: async () => undefined, downgrade: async () => undefined },
  };

  function run(
    plan: (heads: readonly string[]) => ReturnType<typeof planUpgrade>,
    onStatement: (sql: string) => void,
    modulesById: Record<string, MigrationModule> = modules,
  ) {
    return runMigrations<RevisionSource>({
      sink: new ConnectionStatementSink(connection, { onStatement }),
      connection,
      graph,
      versionTable: { name: "alembic_version", primaryKey: true },
      transactionPerMigration: false,
      lock: { enabled: true, timeoutMs: 1000, key: ".alembic_version" },
      plan,
      replannable: true,
      loadModule: async (source) => modulesById[source.revision] ?? {},
      xArgList: [],
      tag: undefined,
    });
  }

  it("sends every statement of a run through the sink: onStatement saw what the connection received", async () => {
    const { received, catalog } = record(connection);
    const seen: string[] = [];
    await run(
      (heads) => planUpgrade(graph, heads, "m"),
      (sql) => seen.push(sql),
    );
    await run(
      (heads) => planDowngrade(graph, heads, "a"),
      (sql) => seen.push(sql),
    );
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual(received);
    // upgrade m from base: the table is created (no SELECT: it did not exist); x (R2 INSERT),
    // a (R2 INSERT), b (UPDATE a->b), m (merge: DELETE b, UPDATE x->m). downgrade a from [m]:
    // SELECT; m (unmerge: INSERT b, UPDATE m->x); b (UPDATE b->a); x is not above a and stays.
    const insert = 'INSERT INTO "alembic_version" (version_num) VALUES (?)';
    const update = 'UPDATE "alembic_version" SET version_num = ? WHERE version_num = ?';
    const remove = 'DELETE FROM "alembic_version" WHERE version_num = ?';
    const select = 'SELECT version_num FROM "alembic_version"';
    expect(seen.filter((sql) => sql.includes("alembic_version"))).toEqual([
      expect.stringMatching(/^CREATE TABLE "alembic_version" \(/),
      insert,
      insert,
      update,
      remove,
      update,
      select,
      insert,
      update,
      update,
    ]);
    // The version table lookups (sink.relationKind) are the dialect's query,
    // read through the sink: seen like the rest, nothing outside it.
    expect(catalog).toEqual([]);
    expect(seen.filter((sql) => sql.includes("sqlite_master")).length).toBeGreaterThan(0);
    expect(await versionRows()).toEqual(["x", "a"]);
  });

  it("fails a step on the database's error, rolls back and leaves the rows as committed", async () => {
    const seen: string[] = [];
    await run(
      (heads) => planUpgrade(graph, heads, "a"),
      (sql) => seen.push(sql),
    );
    const failing: Record<string, MigrationModule> = {
      ...modules,
      b: { upgrade: async (op) => op.execute("INSERT INTO no_such_table VALUES (1)") },
    };
    const error = await run(
      (heads) => planUpgrade(graph, heads, "b"),
      (sql) => seen.push(sql),
      failing,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as MigrationFailedError).revision).toBe("b");
    expect((error as MigrationFailedError).statement).toBe("INSERT INTO no_such_table VALUES (1)");
    expect(connection.inTransaction).toBe(false);
    expect(await versionRows()).toEqual(["a"]);
    expect(seen.at(-1)).toBe("ROLLBACK");
  });
});
