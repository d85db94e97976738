import { parseDatabaseUrl } from "@retort/core";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type DialectHarness,
  harnesses,
  mysqlHarness,
  postgresHarness,
  sqliteHarness,
  type TestDatabase,
} from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";
import { until } from "./support/until.js";

/**
 * A run never leaves the database lying: a migration that forgets `await`,
 * ends the transaction itself or calls `process.exit()` fails, rolls back,
 * and says so; a version table Retort cannot trust is refused with the way
 * out. Each case fails on a run that merely hopes for the best. Without
 * transactional DDL (MySQL) the migrations before the failing one stay
 * committed and what of the failing one already ran is listed and kept.
 */
for (const harness of harnesses) {
  const transactional = harness.driver.dialect.capabilities.transactionalDdl;
  describe(`run safety on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeEach(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
    });
    afterEach(async () => {
      project?.cleanup();
      await database?.drop();
    });

    function failure(stderr: string): string {
      return stderr.slice(stderr.indexOf("FAILED: "));
    }

    /**
     * What a failed run says and leaves. With transactional DDL: the whole
     * run rolled back, no version row, none of `tables`. Without it: the
     * version table at `versionAt` (the last complete migration), the
     * statements of the failed migration that ran listed (`ran`, each the
     * start of one; none when empty), and of `tables` the ones in `left`.
     */
    async function expectFailureOutcome(
      text: string,
      expected: {
        readonly tables: readonly string[];
        readonly versionAt: string | null;
        readonly ran: readonly string[];
        readonly left: readonly string[];
      },
    ): Promise<void> {
      if (transactional) {
        expect(text).toContain("The whole run was rolled back");
        expect(await probe.versionRows()).toEqual([]);
        expect(await probe.existingTables(expected.tables)).toEqual([]);
        return;
      }
      if (expected.ran.length === 0) {
        expect(text).toContain("No statement of this migration ran.");
        expect(text).not.toContain("Undo those statements");
      }
      const listed = text.slice(text.indexOf("Statements of this migration that already ran:"));
      for (const statement of expected.ran) expect(listed).toContain(`\n    ${statement}`);
      expect(text).toContain(
        `The version table is at ${expected.versionAt ?? "base (empty)"} (the last complete migration)`,
      );
      expect(await probe.versionRows()).toEqual(expected.versionAt === null ? [] : [expected.versionAt]);
      expect(await probe.existingTables(expected.tables)).toEqual(expected.left);
    }

    it("fails a migration whose operations were not awaited, before its version row", async () => {
      project.addRevision({ id: "a000", down: null });
      project.addRevision({
        id: "a1",
        down: "a000",
        upgrade: ['  op.createTable("t", column("id", integer()));', '  op.createIndex("ix", "t", ["nope"]);'].join(
          "\n",
        ),
      });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      const text = failure(result.stderr);
      expect(text).toMatch(/Upgrade of revision a1 \(\S*migrations\/versions\/a1_m\.ts\) failed/);
      expect(text).toContain('op.createTable("t"), op.createIndex("ix") were not awaited');
      expect(text).toContain("nope");
      // Its start was told; it never finished.
      expect(result.stderr).toContain("Running upgrade a000 -> a1, m a1\n");
      expect(result.stderr).not.toContain("Finished upgrade a000 -> a1");
      expect(result.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
      await expectFailureOutcome(text, {
        tables: ["t_a000", "t"],
        versionAt: "a000",
        ran: [`CREATE TABLE ${harness.driver.dialect.quoteIdentifier("t")}`],
        left: ["t_a000", "t"],
      });
    });

    it("fails a migration that does not await op.batchAlterTable", async () => {
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: [
          '  await op.createTable("t", column("id", integer(), { primaryKey: true }), column("a", integer()));',
          '  op.batchAlterTable("t", {}, async (batch) => { await batch.dropColumn("a"); });',
        ].join("\n"),
      });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      const text = failure(result.stderr);
      expect(text).toMatch(/Upgrade of revision a1 .* failed: .*(not awaited|after its migration had finished)/);
      const t = harness.driver.dialect.quoteIdentifier("t");
      await expectFailureOutcome(text, {
        tables: ["t"],
        versionAt: null,
        ran: [`CREATE TABLE ${t}`, `ALTER TABLE ${t} DROP COLUMN`],
        left: ["t"],
      });
    });

    it("reports a promise the migration left rejected as that migration's failure", async () => {
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: [
          '  await op.createTable("t", column("id", integer()));',
          '  void Promise.reject(new Error("background job failed"));',
        ].join("\n"),
      });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      expect(failure(result.stderr)).toContain("background job failed");
      expect(result.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
      await expectFailureOutcome(failure(result.stderr), {
        tables: ["t"],
        versionAt: null,
        ran: [`CREATE TABLE ${harness.driver.dialect.quoteIdentifier("t")}`],
        left: ["t"],
      });
    });

    it("refuses COMMIT in op.execute and rolls the whole run back", async () => {
      project.addRevision({ id: "a000", down: null });
      project.addRevision({
        id: "a1",
        down: "a000",
        upgrade: ['  await op.execute("CREATE TABLE t1 (id INTEGER)");', '  await op.execute("COMMIT");'].join("\n"),
      });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      const text = failure(result.stderr);
      expect(text).toContain("Upgrade of revision a1");
      expect(text).toContain("'COMMIT' in op.execute()");
      expect(text).toContain("autocommitBlock");
      await expectFailureOutcome(text, {
        tables: ["t_a000", "t1"],
        versionAt: "a000",
        ran: ["CREATE TABLE t1 (id INTEGER);"],
        left: ["t_a000", "t1"],
      });
    });

    it("refuses transaction control hidden in a script or sent through getBind()", async () => {
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: '  await op.execute("CREATE TABLE t1 (id INTEGER); /* done */ END;");',
      });
      project.addRevision({ id: "b1", down: "a1", upgrade: '  await op.getBind().query("ROLLBACK");' });
      const first = project.run("upgrade", "a1");
      expect(first.status).toBe(1);
      expect(failure(first.stderr)).toContain("'END' in op.execute()");
      expect(await probe.existingTables(["t1"])).toEqual([]);
      project.addRevision({ id: "a1", down: null, upgrade: '  await op.execute("CREATE TABLE t1 (id INTEGER)");' });
      const second = project.run("upgrade", "head");
      expect(second.status).toBe(1);
      expect(failure(second.stderr)).toContain("Upgrade of revision b1");
      expect(failure(second.stderr)).toContain("'ROLLBACK'");
      await expectFailureOutcome(failure(second.stderr), {
        tables: ["t1"],
        versionAt: "a1",
        ran: [],
        left: ["t1"],
      });
    });

    it("keeps COMMIT allowed inside autocommitBlock", async () => {
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: [
          "  await op.getContext().autocommitBlock(async () => {",
          '    await op.execute("BEGIN");',
          '    await op.execute("CREATE TABLE in_block (id INTEGER)");',
          '    await op.execute("COMMIT");',
          "  });",
        ].join("\n"),
      });
      project.ok("upgrade", "head");
      expect(await probe.versionRows()).toEqual(["a1"]);
      expect(await probe.existingTables(["in_block"])).toEqual(["in_block"]);
    });

    it("fails a migration that calls process.exit() and rolls back", async () => {
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: ['  await op.createTable("t", column("id", integer()));', "  process.exit(0);"].join("\n"),
      });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      const text = failure(result.stderr);
      expect(text).toContain("Upgrade of revision a1");
      expect(text).toContain("process.exit(0)");
      await expectFailureOutcome(text, {
        tables: ["t"],
        versionAt: null,
        ran: [`CREATE TABLE ${harness.driver.dialect.quoteIdentifier("t")}`],
        left: ["t"],
      });
    });

    it("reports a version table holding a revision and its ancestor as inconsistent", async () => {
      project.addRevision({ id: "a1", down: null });
      project.addRevision({ id: "b2", down: "a1" });
      project.addRevision({ id: "c3", down: "b2" });
      project.ok("upgrade", "b2");
      await probe.use((connection) => connection.execute("INSERT INTO alembic_version (version_num) VALUES ('a1')"));
      for (const args of [["current"], ["upgrade", "head"]]) {
        const result = project.run(...args);
        expect(result.status, args.join(" ")).toBe(1);
        const text = failure(result.stderr);
        expect(text).toContain("is inconsistent: it holds both a1 and b2");
        expect(text).toContain("retort stamp --purge b2");
      }
      expect(await probe.existingTables(["t_c3"])).toEqual([]);
      project.ok("stamp", "--purge", "b2");
      project.ok("upgrade", "head");
      expect(await probe.versionRows()).toEqual(["c3"]);
    });

    it("refuses a view named like the version table", async () => {
      project.addRevision({ id: "a1", down: null });
      await probe.use((connection) => connection.execute("CREATE VIEW alembic_version AS SELECT 'a1' AS version_num"));
      for (const args of [["current"], ["upgrade", "head"]]) {
        const result = project.run(...args);
        expect(result.status, args.join(" ")).toBe(1);
        expect(failure(result.stderr)).toContain("'alembic_version' is a view, not a table");
      }
      expect(await probe.existingTables(["t_a1"])).toEqual([]);
    });

    it("refuses a version table of the wrong shape", async () => {
      project.addRevision({ id: "a1", down: null });
      await probe.use((connection) => connection.execute("CREATE TABLE alembic_version (id INTEGER)"));
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      const text = failure(result.stderr);
      expect(text).toContain("The table 'alembic_version' is not a version table Retort can read");
      expect(text).toContain("set versionTable in the config to another name");
      expect(await probe.existingTables(["t_a1"])).toEqual([]);
    });

    it("stops at SIGTERM between statements, rolls back and exits 143", async () => {
      project.addRevision({ id: "a000", down: null });
      project.addRevision({
        id: "a1",
        down: "a000",
        upgrade: [
          '  await op.execute("CREATE TABLE slow (id INTEGER)");',
          '  process.stderr.write("STARTED\\n");',
          "  for (let i = 0; i < 600; i++) {",
          '    await op.execute("INSERT INTO slow (id) VALUES (" + i + ")");',
          "    await new Promise((resolve) => setTimeout(resolve, 50));",
          "  }",
        ].join("\n"),
      });
      const result = await runUntilStarted(project, "SIGTERM");
      expect(result.status).toBe(143);
      const text = failure(result.stderr);
      expect(text).toContain("FAILED: interrupted by SIGTERM during upgrade of revision a1");
      await expectFailureOutcome(text, {
        tables: ["t_a000", "slow"],
        versionAt: "a000",
        ran: ["CREATE TABLE slow (id INTEGER);", "INSERT INTO slow (id) VALUES (0);"],
        left: ["t_a000", "slow"],
      });
      // The lock was released: the next run goes through at once.
      project.ok("upgrade", "a000");
    });

    it("stops waiting for the migration lock at SIGINT at once, while another run holds it", async () => {
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: [
          '  process.stderr.write("STARTED\\n");',
          "  await new Promise((resolve) => setTimeout(resolve, 6000));",
        ].join("\n"),
      });
      const output = (child: ReturnType<TestProject["spawn"]>) => {
        const seen = { stderr: "" };
        child.stderr.on("data", (chunk) => {
          seen.stderr += chunk;
        });
        child.stdout.resume();
        return { seen, closed: new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1))) };
      };
      const holder = output(project.spawn("upgrade", "head"));
      await until("the holding run starts its migration", () => holder.seen.stderr.includes("STARTED"));
      const waiterProcess = project.spawn("upgrade", "head");
      const waiter = output(waiterProcess);
      await until("the second run waits for the lock", () =>
        waiter.seen.stderr.includes("Waiting for the migration lock held by"),
      );
      const interrupted = performance.now();
      waiterProcess.kill("SIGINT");
      expect(await waiter.closed).toBe(130);
      // Not when the holder is done (or the lock's timeout): the wait itself was stopped.
      expect(performance.now() - interrupted).toBeLessThan(2500);
      expect(waiter.seen.stderr).toContain(
        "FAILED: interrupted by SIGINT while waiting for the migration lock; nothing was changed.",
      );
      expect(await holder.closed).toBe(0);
      expect(await probe.versionRows()).toEqual(["a1"]);
      // Nothing was left holding the lock: the next run goes through at once.
      project.ok("upgrade", "head");
    });

    /** A run of a000, then a1 (creates t3, prints STARTED, runs `wait`), interrupted by SIGINT during `wait`. */
    async function interruptedWhileWaiting(wait: string): Promise<void> {
      project.addRevision({ id: "a000", down: null });
      project.addRevision({
        id: "a1",
        down: "a000",
        upgrade: [
          '  await op.execute("CREATE TABLE t3 (id INTEGER)");',
          '  process.stderr.write("STARTED\\n");',
          wait,
        ].join("\n"),
      });
      const result = await runUntilStarted(project, "SIGINT");
      expect(result.status).toBe(130);
      // Interrupted, not finished: no Finished line, the FAILED line names the migration.
      expect(result.stderr).toContain("Finished upgrade  -> a000");
      expect(result.stderr).not.toContain("Finished upgrade a000 -> a1");
      const text = failure(result.stderr);
      expect(text).toContain("FAILED: interrupted by SIGINT during upgrade of revision a1");
      expect(text).not.toContain("before the commit");
      await expectFailureOutcome(text, {
        tables: ["t_a000", "t3"],
        versionAt: "a000",
        ran: ["CREATE TABLE t3 (id INTEGER);"],
        left: ["t_a000", "t3"],
      });
      // The revision to record once the work is finished by hand is named.
      if (!transactional) expect(text).toContain("record it with 'retort stamp a1')");
    }

    it("stops at SIGINT during a migration's last wait (no statement after it) and says what stayed applied", async () => {
      await interruptedWhileWaiting("  await new Promise((resolve) => setTimeout(resolve, 1500));");
    });

    // MySQL's own wait (a statement the other databases have not).
    if (!transactional) {
      it("stops at SIGINT during SELECT SLEEP and says what stayed applied", async () => {
        await interruptedWhileWaiting('  await op.execute("SELECT SLEEP(5)");');
      });
    }
  });
}

/** Starts `upgrade head`, sends `signal` once the migration printed STARTED, and waits for the exit. */
async function runUntilStarted(
  project: TestProject,
  signal: NodeJS.Signals,
): Promise<{ status: number; stderr: string; elapsedMs: number }> {
  const child = project.spawn("upgrade", "head");
  let stderr = "";
  let sent: number | undefined;
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    if (sent === undefined && stderr.includes("STARTED")) {
      sent = performance.now();
      setTimeout(() => child.kill(signal), 200);
    }
  });
  child.stdout.resume();
  const status = await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  return { status, stderr, elapsedMs: sent === undefined ? Number.NaN : performance.now() - sent };
}

/**
 * A project on a new database of `harness` whose migration a1 creates the
 * table `slow`, prints STARTED on stderr, then runs `wait` (a line of its
 * upgrade) for a long time.
 */
async function slowMigrationProject(harness: DialectHarness, wait: string) {
  const database = await harness.create();
  const project = new TestProject({ url: database.url });
  const probe = new DatabaseProbe(harness, database.url, project.dir);
  project.addRevision({
    id: "a1",
    down: null,
    upgrade: [
      '  await op.execute("CREATE TABLE slow (id INTEGER)");',
      '  process.stderr.write("STARTED\\n");',
      wait,
    ].join("\n"),
  });
  return { database, project, probe };
}

describe("interrupting a statement on postgresql", () => {
  it("cancels the running statement at SIGINT, rolls back, releases the lock and exits 130", async () => {
    const { database, project, probe } = await slowMigrationProject(
      postgresHarness,
      '  await op.execute("SELECT pg_sleep(60)");',
    );
    try {
      const result = await runUntilStarted(project, "SIGINT");
      expect(result.status).toBe(130);
      expect(result.elapsedMs).toBeLessThan(15_000);
      expect(result.stderr).toContain("FAILED: interrupted by SIGINT during upgrade of revision a1");
      expect(result.stderr).toContain("The whole run was rolled back");
      expect(result.stderr).toContain("\n  stopped: SELECT pg_sleep(60)\n");
      expect(await probe.versionRows()).toEqual([]);
      expect(await probe.existingTables(["slow"])).toEqual([]);
      const running = await probe.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()",
      );
      expect(running[0]?.n).toBe(0);
    } finally {
      project.cleanup();
      await database.drop();
    }
  });
});

describe("interrupting a statement on mysql", () => {
  it("stops the statement waiting for a lock at SIGINT (KILL QUERY), keeps what MySQL committed, releases the lock and exits 130", async () => {
    const { database, project, probe } = await slowMigrationProject(
      mysqlHarness,
      [
        '  await op.execute("INSERT INTO slow VALUES (1)");',
        // Waits for the row lock the test's own session holds (60 s at most).
        '  await op.execute("SET SESSION innodb_lock_wait_timeout = 60");',
        '  await op.execute("UPDATE held SET id = 2 WHERE id = 1");',
      ].join("\n"),
    );
    // The test's own session holds the row the migration waits for.
    const holder = await mysqlHarness.driver.connect(parseDatabaseUrl(database.url), { cwd: project.dir });
    try {
      await holder.execute("CREATE TABLE held (id INTEGER PRIMARY KEY)");
      await holder.execute("INSERT INTO held VALUES (1)");
      await holder.begin();
      await holder.query("SELECT id FROM held WHERE id = 1 FOR UPDATE");
      const result = await runUntilStarted(project, "SIGINT");
      expect(result.status).toBe(130);
      expect(result.elapsedMs).toBeLessThan(15_000);
      const text = result.stderr.slice(result.stderr.indexOf("FAILED: "));
      expect(text).toContain("FAILED: interrupted by SIGINT during upgrade of revision a1");
      // CREATE TABLE committed by itself; the INSERT after it was rolled back with the run.
      expect(text).toContain("CREATE TABLE slow (id INTEGER);");
      expect(text).toContain("\n  stopped: UPDATE held SET id = 2 WHERE id = 1");
      expect(await probe.versionRows()).toEqual([]);
      expect(await probe.existingTables(["slow"])).toEqual(["slow"]);
      expect(await probe.query("SELECT count(*) AS n FROM slow")).toEqual([{ n: 0 }]);
      const running = await probe.query(
        "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE held%'",
      );
      expect(running).toEqual([{ n: 0 }]);
      // The migration lock was released: the next command takes it at once.
      await holder.rollback();
      project.ok("stamp", "a1");
    } finally {
      await holder.close();
      project.cleanup();
      await database.drop();
    }
  });
});

describe("interrupting a long statement on sqlite", () => {
  it("sees SIGINT once the statement returns, before the next one, rolls back and exits 130", async () => {
    // better-sqlite3 runs the statement synchronously: the signal can only be seen after it.
    const { database, project, probe } = await slowMigrationProject(
      sqliteHarness,
      [
        '  await op.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) INSERT INTO slow SELECT x FROM c");',
        '  await op.execute("CREATE TABLE after_slow (id INTEGER)");',
      ].join("\n"),
    );
    try {
      const result = await runUntilStarted(project, "SIGINT");
      expect(result.status).toBe(130);
      expect(result.stderr).toContain("FAILED: interrupted by SIGINT during upgrade of revision a1");
      expect(result.stderr).toContain("The whole run was rolled back");
      expect(await probe.versionRows()).toEqual([]);
      expect(await probe.existingTables(["slow", "after_slow"])).toEqual([]);
    } finally {
      project.cleanup();
      await database.drop();
    }
  });
});

describe("a second signal during a migration", () => {
  for (const [signal, status] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`ends the process at once with status ${status} (${signal} twice), and the run leaves nothing`, async () => {
      // The first signal stops the run before its next statement; the
      // migration's own wait goes on, so only the second one ends it.
      const { database, project, probe } = await slowMigrationProject(
        sqliteHarness,
        "  await new Promise((resolve) => setTimeout(resolve, 60_000));",
      );
      try {
        const child = project.spawn("upgrade", "head");
        let stderr = "";
        let secondAt: number | undefined;
        child.stderr.on("data", (chunk) => {
          stderr += chunk;
          if (!stderr.includes("STARTED")) return;
          if (!stderr.includes("Interrupted by")) {
            if (!child.killed) child.kill(signal);
          } else if (secondAt === undefined) {
            secondAt = performance.now();
            child.kill(signal);
          }
        });
        child.stdout.resume();
        const exitStatus = await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
        expect(exitStatus).toBe(status);
        expect(performance.now() - (secondAt ?? Number.NaN)).toBeLessThan(10_000);
        expect(stderr).toContain(`Interrupted by ${signal}: stopping the run and rolling back...`);
        expect(stderr).toContain(`Interrupted again by ${signal}: exiting now`);
        // Not the runner's guard against a migration calling process.exit().
        expect(stderr).not.toContain("process.exit");
        expect(stderr).not.toMatch(/^\s+at /m);
        expect(await probe.versionRows()).toEqual([]);
        expect(await probe.existingTables(["slow"])).toEqual([]);
      } finally {
        project.cleanup();
        await database.drop();
      }
    });
  }
});

describe("failures at commit keep their context", () => {
  it("names the migrations, the COMMIT and the state when SQLite is busy at commit", async () => {
    const database = await sqliteHarness.create();
    const project = new TestProject({ url: database.url, config: { lock: { timeoutMs: 300 } } });
    const probe = new DatabaseProbe(sqliteHarness, database.url, project.dir);
    project.addRevision({ id: "a1", down: null });
    project.ok("upgrade", "a1");
    project.addRevision({ id: "b2", down: "a1" });
    // A reader in an open transaction holds a SHARED lock: the writer's
    // BEGIN IMMEDIATE succeeds, its COMMIT cannot.
    const reader = new Database(database.url.replace(/^sqlite:\/\/\//, ""));
    try {
      reader.exec("BEGIN");
      reader.prepare("SELECT count(*) FROM alembic_version").get();
      const result = await project.runAsync("upgrade", "head");
      expect(result.status).toBe(1);
      const text = result.stderr.slice(result.stderr.indexOf("FAILED: "));
      expect(text).toMatch(/Commit of upgrade of revision b2 \(\S*b2_m\.ts\) failed/);
      expect(text).toMatch(/locked|busy/i);
      expect(text).toContain("statement: COMMIT");
      expect(text).toContain("The whole run was rolled back");
    } finally {
      reader.exec("ROLLBACK");
      reader.close();
    }
    expect(await probe.versionRows()).toEqual(["a1"]);
    expect(await probe.existingTables(["t_b2"])).toEqual([]);
    project.cleanup();
    await database.drop();
  });

  it("names the migrations and the state when PostgreSQL refuses the COMMIT (deferred constraint)", async () => {
    const { database, project, probe } = await postgresTwoRevisions([
      '  await op.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");',
      '  await op.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent DEFERRABLE INITIALLY DEFERRED)");',
      '  await op.execute("INSERT INTO child VALUES (1)");',
    ]);
    try {
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      const text = result.stderr.slice(result.stderr.indexOf("FAILED: "));
      expect(text).toMatch(/Commit of 2 migrations, the last upgrade of revision b2 \(\S*b2_m\.ts\) failed/);
      expect(text).toContain("foreign key");
      expect(text).toContain("statement: COMMIT");
      expect(text).toContain("The whole run was rolled back");
      expect(await probe.versionRows()).toEqual([]);
      expect(await probe.existingTables(["t_a1", "parent", "child"])).toEqual([]);
    } finally {
      project.cleanup();
      await database.drop();
    }
  });
});

describe("PostgreSQL errors with their way out", () => {
  it("says an error was caught earlier in the transaction (25P02), and that a missing privilege is one (42501)", async () => {
    const role = `retort_noperm_${process.pid}`;
    const { database, project, probe } = await postgresTwoRevisions([
      '  try { await op.execute("CREATE TABLE t_a1 (id INTEGER)"); } catch { /* already there */ }',
      '  await op.execute("CREATE TABLE after_catch (id INTEGER)");',
    ]);
    try {
      project.ok("upgrade", "a1");
      const caught = project.run("upgrade", "head");
      expect(caught.status).toBe(1);
      expect(caught.stderr).toContain("(25P02)");
      expect(caught.stderr).toContain("its error was caught");

      // A user that may connect, but not read the version table.
      await probe.use(async (connection) => {
        await connection.execute(`CREATE ROLE ${role} LOGIN`);
      });
      const url = database.url.replace("postgres@", `${role}@`);
      const denied = project.run("--url", url, "current");
      expect(denied.status).toBe(1);
      expect(denied.stderr).toContain("Cannot read the version table 'alembic_version': permission denied");
      expect(denied.stderr).toContain("The database user lacks a privilege");
      expect(denied.stderr).not.toContain("set versionTable in the config to another name");
    } finally {
      project.cleanup();
      await probe.use((connection) => connection.execute(`DROP ROLE IF EXISTS ${role}`));
      await database.drop();
    }
  });
});

/** A project on a new PostgreSQL database with revision a1 and b2 after it, whose upgrade runs `upgrade`. */
async function postgresTwoRevisions(upgrade: readonly string[]) {
  const database = await postgresHarness.create();
  const project = new TestProject({ url: database.url });
  const probe = new DatabaseProbe(postgresHarness, database.url, project.dir);
  project.addRevision({ id: "a1", down: null });
  project.addRevision({ id: "b2", down: "a1", upgrade: upgrade.join("\n") });
  return { database, project, probe };
}
