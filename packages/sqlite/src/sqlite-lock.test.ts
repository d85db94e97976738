/**
 * The migration lock across real processes: each child is a separate
 * `node` process using the built package, as concurrent `retort upgrade`
 * runs would be.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { LockTimeoutError, RetortError } from "@retort/core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SqliteDriver } from "./sqlite-driver.js";
import { sqliteUrl, temporaryFolder } from "./test-support/temp-database.js";

const here = dirname(fileURLToPath(import.meta.url));
const childScript = join(here, "test-support", "lock-child.mjs");
const driver = new SqliteDriver();
let folder: ReturnType<typeof temporaryFolder>;
let children: ChildProcess[] = [];

beforeAll(() => {
  // The children import ../../dist: compile this package (incremental, and
  // against core's built declarations) so they run the code under test.
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", join(here, "..", "tsconfig.json")], { stdio: "inherit" });
}, 120_000);

beforeEach(() => {
  folder = temporaryFolder("retort-sqlite-lock-");
});

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children = [];
  folder.remove();
});

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

function startChild(args: string[]): { child: ChildProcess; done: Promise<ChildResult>; output: () => string } {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, output }));
  });
  return { child, done, output: () => output };
}

async function waitForOutput(read: () => string, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!read().includes(text)) {
    if (Date.now() > deadline) throw new Error(`child did not print ${text}; printed: ${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function prepareCounter(path: string, journalMode: string): void {
  const database = new Database(path);
  database.pragma(`journal_mode = ${journalMode}`);
  database.exec(`
    CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO counter (id, value) VALUES (1, 0);
    CREATE TABLE log (pid INTEGER, value INTEGER, started INTEGER, ended INTEGER);
  `);
  database.close();
}

describe.each(["delete", "wal"])("SQLite lock (journal_mode=%s)", (journalMode) => {
  it("lets one process at a time through BEGIN IMMEDIATE; the others wait and succeed", async () => {
    const path = folder.file();
    prepareCounter(path, journalMode);
    const processes = 6;
    const holdMs = 150;
    const runs = Array.from({ length: processes }, () => startChild(["counter", path, "20000", String(holdMs)]));
    const results = await Promise.all(runs.map((run) => run.done));

    for (const result of results) {
      expect(result.code, result.output).toBe(0);
      expect(JSON.parse(result.output)).toMatchObject({ ok: true });
    }
    const reader = new Database(path, { readonly: true });
    const counter = reader.prepare("SELECT value FROM counter WHERE id = 1").pluck().get();
    const log = reader.prepare("SELECT pid, value, started, ended FROM log ORDER BY value").all() as {
      value: number;
      started: number;
      ended: number;
    }[];
    reader.close();

    // Read-sleep-write by 6 processes loses no update only if they ran one at a time.
    expect(counter).toBe(processes);
    expect(log.map((entry) => entry.value)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let position = 1; position < log.length; position++) {
      const previous = log[position - 1];
      const current = log[position];
      expect(current?.started).toBeGreaterThanOrEqual(previous?.ended ?? Number.POSITIVE_INFINITY);
    }
    // Some processes had to wait for others, and did so within the timeout.
    const waits = results.map((result) => (JSON.parse(result.output) as { waited: number }).waited);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(holdMs);
  }, 60_000);

  it("fails with LockTimeoutError naming the file and the timeout when the wait is too long", async () => {
    const path = folder.file();
    prepareCounter(path, journalMode);
    const holder = await driver.connect(sqliteUrl(path));
    const waiter = await driver.connect(sqliteUrl(path));
    try {
      await holder.begin();
      await waiter.acquireLock({ key: "alembic_version", timeoutMs: 200 });
      const started = Date.now();
      const error = await waiter.begin().catch((caught: unknown) => caught);
      const waited = Date.now() - started;

      expect(error).toBeInstanceOf(LockTimeoutError);
      expect(RetortError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: "LOCK_TIMEOUT" });
      expect((error as Error).message).toContain(
        `Another process holds the write lock on ${path} for longer than 200 ms`,
      );
      expect((error as Error).message).toContain("lock.timeoutMs");
      expect((error as Error).cause).toMatchObject({ code: "SQLITE_BUSY" });
      expect(waited).toBeGreaterThanOrEqual(150);
      expect(waiter.inTransaction).toBe(false);

      await holder.commit();
      await waiter.begin();
      expect(waiter.inTransaction).toBe(true);
      await waiter.commit();
    } finally {
      await holder.close();
      await waiter.close();
    }
  });

  it("does not stay locked after the holder is killed with SIGKILL, and drops its uncommitted work", async () => {
    const path = folder.file();
    prepareCounter(path, journalMode);
    const holder = startChild(["hold", path]);
    await waitForOutput(holder.output, "LOCKED");

    const connection = await driver.connect(sqliteUrl(path));
    try {
      await connection.acquireLock({ key: "alembic_version", timeoutMs: 100 });
      await expect(connection.begin()).rejects.toBeInstanceOf(LockTimeoutError);

      holder.child.kill("SIGKILL");
      const result = await holder.done;
      expect(result.signal).toBe("SIGKILL");

      await connection.acquireLock({ key: "alembic_version", timeoutMs: 5000 });
      const started = Date.now();
      await connection.begin();
      expect(Date.now() - started).toBeLessThan(1000);
      expect((await connection.query("SELECT id FROM counter ORDER BY id")).rows).toEqual([{ id: 1 }]);
      await connection.commit();
    } finally {
      await connection.close();
    }
  }, 30_000);
});

describe("the lock kept across an autocommit block's commit", () => {
  const marker = (path: string) => `${path}-retort-lock`;

  it("makes another connection wait while it is kept, and lets it in once given back", async () => {
    const path = folder.file();
    const holder = await driver.connect(sqliteUrl(path));
    const waiter = await driver.connect(sqliteUrl(path));
    try {
      await holder.begin();
      const giveBack = holder.keepLockAcrossCommit();
      await holder.commit();
      expect(existsSync(marker(path))).toBe(true);
      // The write transaction is free, the lock is not.
      await waiter.acquireLock({ key: "alembic_version", timeoutMs: 200 });
      const error = await waiter.begin().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect((error as Error).message).toContain(
        `Another Retort run (process ${process.pid}) has held the migration lock on ${path} for longer than 200 ms`,
      );
      expect((error as Error).message).toContain(marker(path));
      expect(waiter.inTransaction).toBe(false);
      // The holder's own next transaction is not held up by its marker.
      await holder.begin();
      giveBack();
      expect(existsSync(marker(path))).toBe(false);
      await holder.commit();
      await waiter.begin();
      await waiter.commit();
    } finally {
      await holder.close();
      await waiter.close();
    }
  });

  it("removes a marker a dead process left and goes on", async () => {
    const path = folder.file();
    // A pid whose process has ended.
    const { pid } = spawnSync(process.execPath, ["-e", "0"]);
    writeFileSync(marker(path), `${pid} stale`);
    const connection = await driver.connect(sqliteUrl(path));
    try {
      await connection.acquireLock({ key: "alembic_version", timeoutMs: 200 });
      await connection.begin();
      expect(existsSync(marker(path))).toBe(false);
      await connection.commit();
    } finally {
      await connection.close();
    }
  });
});
