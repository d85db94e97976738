import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresHarness, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";
import { until } from "./support/until.js";

/** Waits until `file` exists (the run's migration wrote it), at most `timeoutMs`. */
async function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${file}`);
    await sleep(50);
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL's migration lock is a session-level advisory lock on a session
 * of its own. When that session dies under a run (pg_terminate_backend, a
 * pooler, a firewall), another run can take the lock: the first must stop
 * before its next statement and never commit. And an interrupted run
 * cancels its running statement instead of leaving it holding locks.
 */
describe("a lost or interrupted run on postgresql", () => {
  let database: TestDatabase;
  let project: TestProject;
  let probe: DatabaseProbe;

  beforeAll(async () => {
    database = await postgresHarness.create();
    // No primary key on version_num: nothing in the database stops two runs
    // from inserting the same row, only the lock does.
    project = new TestProject({ url: database.url, config: { versionTablePk: false } });
    probe = new DatabaseProbe(postgresHarness, database.url, project.dir);
    // With -x hold=<file>, the migration says that it runs (the lock is
    // held) and then works until <file>.go exists, as a long data migration
    // would; with -x sleep=<file>, it takes a table lock and sleeps in a
    // statement.
    project.addRevision({
      id: "m1",
      down: null,
      upgrade: [
        '  const { writeFileSync, existsSync } = await import("node:fs");',
        "  const { hold, sleep } = op.getContext().xArgs;",
        '  await op.execute("SELECT 1");',
        "  if (hold) {",
        '    writeFileSync(hold, "running");',
        '    while (!existsSync(hold + ".go")) await new Promise((resolve) => setTimeout(resolve, 50));',
        '    await op.execute("SELECT pg_sleep(0.1)");',
        "  }",
        "  if (sleep) {",
        '    await op.execute("CREATE TABLE held (id integer)");',
        '    await op.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");',
        '    writeFileSync(sleep, "sleeping");',
        '    await op.execute("SELECT pg_sleep(60)");',
        "  }",
      ].join("\n"),
      downgrade: '  await op.execute("SELECT 1");',
    });
  });

  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
  });

  it("stops a run whose lock session was terminated: it commits nothing, and m1 is applied once", async () => {
    // The version table exists and is empty, so that both runs start from base.
    await withClient(database.url, (client) =>
      client.query("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL)"),
    );
    const marker = path.join(project.dir, `holding-${Date.now()}`);
    const first = project.runAsync("-x", `hold=${marker}`, "upgrade", "head");
    let terminated: number;
    try {
      await waitForFile(marker);
      // The lock's session is the one holding Retort's advisory lock in
      // this database (its first key is "RETR"); the migration runs on
      // another session.
      terminated = await withClient(database.url, async (client) => {
        const { rows } = await client.query<{ pid: number }>(
          `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 1380275282 AND objsubid = 2
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        expect(rows).toHaveLength(1);
        const pid = rows[0]?.pid as number;
        await client.query("SELECT pg_terminate_backend($1)", [pid]);
        return pid;
      });

      // Another run takes the free lock and applies m1 while the first is still in it.
      const second = await project.runAsync("upgrade", "head");
      expect(second.status, second.stderr).toBe(0);
      expect(await probe.versionRows()).toEqual(["m1"]);
    } finally {
      // Let the first run go on to its next statement (and end).
      writeFileSync(`${marker}.go`, "go");
    }
    const result = await first;
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `was lost: its session (pid ${terminated}) ended (terminating connection due to administrator command (57P01)). ` +
        "Another process may be migrating this database; nothing more is run or committed. " +
        "Check the database with 'retort current' and run the command again.",
    );
    expect(await probe.versionRows()).toEqual(["m1"]);
  }, 60_000);

  it("cancels the running statement on SIGINT, so its table lock goes at once", async () => {
    project.ok("downgrade", "base");
    const marker = path.join(project.dir, `sleeping-${Date.now()}`);
    const run = project.spawn("-x", `sleep=${marker}`, "upgrade", "head");
    let stderr = "";
    run.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => run.on("close", (code) => resolve(code)));
    try {
      await waitForFile(marker);
      await withClient(database.url, (client) =>
        until("the migration runs pg_sleep", async () => {
          const { rows } = await client.query(
            "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(60)' AND datname = current_database()",
          );
          return rows.length > 0;
        }),
      );
      const started = Date.now();
      run.kill("SIGINT");
      // The server stops the statement (not just the client waiting for it):
      // the sleeping statement and its table lock are gone within seconds.
      await withClient(database.url, (client) =>
        until(
          "the statement is cancelled",
          async () => {
            const { rows } = await client.query(
              "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(60)' AND datname = current_database()",
            );
            return rows.length === 0;
          },
          5000,
        ),
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await exited).not.toBe(0);
    } finally {
      if (run.exitCode === null) run.kill("SIGKILL");
    }
    expect(stderr).toMatch(/interrupt|SIGINT/i);
    // Nothing of the interrupted run was committed.
    expect(await probe.versionRows()).toEqual([]);
    expect(await probe.tableExists("held")).toBe(false);
  }, 60_000);
});
