import path from "node:path";
import { type Connection, current, type Driver, downgrade, type RetortConfig, stamp, upgrade } from "@retort/core";
import { afterAll, describe, expect, it } from "vitest";
import { type DialectHarness, harnesses, type TestDatabase } from "./dialects.js";
import { migrationSets } from "./support/migration-sets.js";
import { TestProject } from "./support/test-project.js";

/**
 * Every statement of a run passes through the run's statement sink: the
 * statements `onStatement` saw (the sink's view) equal the calls that
 * reached the connection's execute/query/begin/commit/rollback (the
 * database's view), in order.
 *
 * The connection is the driver's real one, its methods wrapped on the
 * instance, so calls the connection makes to itself are recorded too.
 * The version table lookup is the dialect's `relationKindQuery` read
 * through the sink, and the lock's `verify()` before each commit
 * (PostgreSQL asks `pg_locks`, MySQL `IS_USED_LOCK`: the harness's
 * `lockCheck`) reads through the sink's query too, so both
 * are among the statements seen. Calls of the connection's own
 * `relationKind`/`tableExists` are recorded apart (`catalog`): nothing in
 * a run may use them any more.
 * The PostgreSQL lock's own session is a separate connection and is not
 * wrapped. Batch operations (SQLite's rebuild still bypasses the sink)
 * are kept out of these migration sets.
 */

interface Recording {
  /** What reached execute/query/begin/commit/rollback outside the catalog lookups. */
  readonly received: string[];
  readonly catalog: string[];
}

/** A driver whose connections record every call that reaches them. */
function recordingDriver(real: Driver, recording: Recording): Driver {
  return {
    dialect: real.dialect,
    schemes: real.schemes,
    async connect(url, options) {
      const connection = await real.connect(url, options);
      wrap(connection, recording);
      return connection;
    },
  };
}

function wrap(connection: Connection, recording: Recording): void {
  let within: "catalog" | undefined;
  const log = (sql: string) => (within === undefined ? recording.received : recording[within]).push(sql);
  const tagged =
    <A extends unknown[], R>(kind: "catalog", fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const outer = within;
      within = kind;
      try {
        return await fn(...args);
      } finally {
        within = outer;
      }
    };
  const execute = connection.execute.bind(connection);
  const query = connection.query.bind(connection);
  const begin = connection.begin.bind(connection);
  const commit = connection.commit.bind(connection);
  const rollback = connection.rollback.bind(connection);
  const tableExists = connection.tableExists.bind(connection);
  const relationKind = connection.relationKind?.bind(connection);
  const overrides: Partial<Connection> = {
    execute: (sql, parameters) => {
      log(sql);
      return execute(sql, parameters);
    },
    query: (sql, parameters) => {
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
      if (connection.inTransaction) log("ROLLBACK");
      return rollback();
    },
    tableExists: tagged("catalog", tableExists),
    ...(relationKind ? { relationKind: tagged("catalog", relationKind) } : {}),
  };
  Object.assign(connection, overrides);
}

for (const harness of harnesses) {
  describe(`every statement passes through the sink on ${harness.name}`, () => {
    const databases: TestDatabase[] = [];
    const projects: TestProject[] = [];
    afterAll(async () => {
      for (const project of projects) project.cleanup();
      for (const database of databases) await database.drop();
    });

    async function setUp(
      set: (typeof migrationSets)[number],
    ): Promise<{ config: RetortConfig; options: ReturnType<typeof commandOptions> }> {
      const database = await harness.create();
      databases.push(database);
      const project = new TestProject({ url: database.url });
      projects.push(project);
      set.write(project);
      const config: RetortConfig = { scriptLocation: path.join(project.dir, "migrations"), url: database.url };
      return { config, options: commandOptions(harness, project.dir) };
    }

    for (const set of migrationSets) {
      const supported = (set.needs ?? []).every((need) => harness.driver.dialect.capabilities[need]);
      if (!supported) continue;
      it(`"${set.name}": upgrade, current, stamp and downgrade send what onStatement saw`, async () => {
        const { config, options } = await setUp(set);
        const { recording, seen } = options;

        await upgrade(config, set.target, options.command);
        expect(seen.length).toBeGreaterThan(5);
        expect(seen).toEqual(recording.received);
        // The migrations' own statements are there, not only version rows.
        expect(seen.filter((sql) => !/alembic_version|^(BEGIN|COMMIT|ROLLBACK)$/.test(sql)).length).toBeGreaterThan(2);

        const read = await current(config, options.command);
        expect(read.databaseHeads.length).toBeGreaterThan(0);
        await stamp(config, "base", options.command);
        await stamp(config, set.target, options.command);
        await downgrade(config, "base", options.command);
        expect(seen).toEqual(recording.received);

        // Nothing reached the connection without onStatement: the version
        // table lookups and the lock checks are among the statements seen.
        expect(recording.catalog).toEqual([]);
        const lookup = harness.driver.dialect.relationKindQuery?.("alembic_version");
        expect(lookup).toBeDefined();
        expect(seen).toContain(lookup?.sql);
        const lockCheck = harness.lockCheck;
        if (lockCheck !== undefined) expect(seen.some((sql) => lockCheck.test(sql))).toBe(true);
      });
    }

    it("writes one version-row UPDATE per stretch of one branch in one transaction, one per migration otherwise", async () => {
      const database = await harness.create();
      databases.push(database);
      const project = new TestProject({ url: database.url });
      projects.push(project);
      project.addRevision({ id: "a000", down: null });
      project.addRevision({ id: "b000", down: "a000" });
      project.addRevision({ id: "c000", down: "b000" });
      project.addRevision({ id: "x000", down: null, labels: ["side"] });
      const updates = (seen: readonly string[]) => seen.filter((sql) => /^UPDATE .*alembic_version/.test(sql));
      const transactional = harness.driver.dialect.capabilities.transactionalDdl;
      for (const transactionPerMigration of [false, true]) {
        const config: RetortConfig = {
          scriptLocation: path.join(project.dir, "migrations"),
          url: database.url,
          transactionPerMigration,
        };
        const options = commandOptions(harness, project.dir);
        await upgrade(config, "heads", options.command);
        expect(options.seen).toEqual(options.recording.received);
        // a000 and x000 are INSERTed; b000 and c000 move a000's row on.
        expect(updates(options.seen)).toHaveLength(transactional && !transactionPerMigration ? 1 : 2);
        expect([...(await current(config, options.command)).databaseHeads].sort()).toEqual(["c000", "x000"]);
        await downgrade(config, "base", options.command);
      }
    });

    it("tells a reporter whether the statements run on this thread (SQLite) or are awaited from a server", async () => {
      const set = migrationSets[0] as (typeof migrationSets)[number];
      const { config, options } = await setUp(set);
      const blocking: (boolean | undefined)[] = [];
      await upgrade(config, set.target, {
        ...options.command,
        reporter: { migrationStarted: (start) => blocking.push(start.blocking) },
      });
      expect(blocking.length).toBeGreaterThan(1);
      expect(new Set(blocking)).toEqual(new Set([harness.name === "sqlite"]));
    });

    it("a failed run's statements, up to its ROLLBACK, are what the connection received", async () => {
      const set = migrationSets[0] as (typeof migrationSets)[number];
      const { config, options } = await setUp(set);
      const project = projects.at(-1) as TestProject;
      project.addRevision({
        id: "z999",
        down: "c000",
        upgrade:
          '  await op.execute("CREATE TABLE z (id INTEGER)");\n  await op.execute("INSERT INTO no_such_table VALUES (1)");',
      });
      await expect(upgrade(config, "head", options.command)).rejects.toThrow(/no_such_table/);
      expect(options.seen).toEqual(options.recording.received);
      expect(options.seen).toContain("INSERT INTO no_such_table VALUES (1)");
      expect(options.seen.at(-1)).toBe("ROLLBACK");
    });
  });
}

function commandOptions(harness: DialectHarness, cwd: string) {
  const recording: Recording = { received: [], catalog: [] };
  const seen: string[] = [];
  return {
    recording,
    seen,
    command: {
      cwd,
      env: {},
      driver: recordingDriver(harness.driver, recording),
      onStatement: (sql: string) => seen.push(sql),
    },
  };
}
