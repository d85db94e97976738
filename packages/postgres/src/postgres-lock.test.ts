/**
 * The migration lock on a real server, within one process and across
 * real processes (children use the built package, as concurrent
 * `retort upgrade` runs would).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LockHandle, LockTimeoutError, parseDatabaseUrl, RetortError } from "@retort/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { LOCK_NAMESPACE, lockKeys, resolvedLockKey } from "./postgres-lock.js";
import { createTestDatabase, type TestDatabase, urlFor } from "./test-support/test-database.js";

const here = dirname(fileURLToPath(import.meta.url));
const childScript = join(here, "test-support", "lock-child.mjs");
const driver = new PostgresDriver();
const KEY = ".alembic_version";
/** KEY as the server resolves it with the default search_path. */
const RESOLVED_KEY = "public.alembic_version";
let database: TestDatabase;
let other: TestDatabase;
const connections: PostgresConnection[] = [];
const locks: LockHandle[] = [];
let children: ChildProcess[] = [];

beforeAll(async () => {
  // The children import ../../dist: compile this package (incremental, and
  // against core's built declarations) so they run the code under test.
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", join(here, "..", "tsconfig.json")], { stdio: "inherit" });
  database = await createTestDatabase("retort_pg_lock");
  other = await createTestDatabase("retort_pg_lock_other");
}, 120_000);

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children = [];
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
});

afterAll(async () => {
  await database?.drop();
  await other?.drop();
});

async function connect(applicationName: string, target = database, options = {}): Promise<PostgresConnection> {
  const connection = await driver.connect(target.url, { applicationName, ...options });
  connections.push(connection);
  return connection;
}

/** A connection to the test database whose sessions start with `search_path` set (the URL's `options`). */
async function connectWithSearchPath(applicationName: string, searchPath: string): Promise<PostgresConnection> {
  const url = parseDatabaseUrl(urlFor(database.name, { options: `-c search_path=${searchPath}` }));
  const connection = await driver.connect(url, { applicationName });
  connections.push(connection);
  return connection;
}

async function lock(connection: PostgresConnection, timeoutMs: number, key = KEY): Promise<LockHandle> {
  const handle = await connection.acquireLock({ key, timeoutMs });
  locks.push(handle);
  return handle;
}

async function lockFailure(promise: Promise<unknown>): Promise<LockTimeoutError> {
  try {
    await promise;
  } catch (error) {
    if (LockTimeoutError.isInstance(error)) return error as LockTimeoutError;
    throw error;
  }
  throw new Error("the lock was granted");
}

/** The pids holding Retort's advisory lock for the resolved key `key` in the test database. */
async function holderPids(key = RESOLVED_KEY): Promise<number[]> {
  const [first, second] = lockKeys(database.name, key);
  return database.inspect(async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND classid = ($1::int4)::oid AND objid = ($2::int4)::oid`,
      [first, second],
    );
    return rows.map((row) => row.pid);
  });
}

describe("lock keys", () => {
  it("are stable: a fixed namespace and a SHA-256 of database and key", () => {
    expect(LOCK_NAMESPACE).toBe(1380275282);
    // Pinned: changing the scheme would let an old and a new Retort migrate at once.
    expect(lockKeys("app", ".alembic_version")).toEqual([1380275282, 14704014]);
    expect(lockKeys("app", "meta.alembic_version")).not.toEqual(lockKeys("app", ".alembic_version"));
    expect(lockKeys("other", ".alembic_version")).not.toEqual(lockKeys("app", ".alembic_version"));
    // What an unqualified table resolves to; the key older versions used for an explicit schema.
    expect(lockKeys("app", "public.alembic_version")).toEqual([1380275282, -775110898]);
  });

  it("name an unqualified table with the schema it resolves to, and keep a qualified key as written", () => {
    expect(resolvedLockKey(".alembic_version", "public")).toBe("public.alembic_version");
    // The leading dot marks the missing schema, whatever dots the table's name holds.
    expect(resolvedLockKey(".my.version", "app")).toBe("app.my.version");
    expect(resolvedLockKey("meta.alembic_version", "public")).toBe("meta.alembic_version");
    // Names are quoted, so case is kept: "Public" is another schema.
    expect(resolvedLockKey(".alembic_version", "Public")).not.toBe(resolvedLockKey(".alembic_version", "public"));
    // No schema to resolve to (a search_path naming none that exists): the key as given.
    expect(resolvedLockKey(".alembic_version", null)).toBe(".alembic_version");
  });
});

describe("PostgresLock keys on the version table the server means", () => {
  beforeAll(async () => {
    await database.inspect(async (client) => {
      await client.query('CREATE SCHEMA "meta"; CREATE SCHEMA "first"; CREATE SCHEMA "Meta"');
    });
  });

  it("excludes a run with versionTableSchema public and one without it, either way round", async () => {
    const qualified = await connect("retort-qualified");
    const unqualified = await connect("retort-unqualified");
    const held = await lock(qualified, 1000, "public.alembic_version");
    const error = await lockFailure(lock(unqualified, 300, ".alembic_version"));
    expect(error.message).toContain('for "public.alembic_version"): it is held by pid');
    expect(error.holder).toMatch(/^pid \d+ \(application "retort-qualified"/);
    await held.release();

    const first = await lock(unqualified, 1000, ".alembic_version");
    await lockFailure(lock(qualified, 300, "public.alembic_version"));
    await first.release();
    await lock(qualified, 1000, "public.alembic_version");
  });

  it("resolves an unqualified table through the session's search_path", async () => {
    const unqualified = await connectWithSearchPath("retort-meta-path", "meta");
    const handle = await lock(unqualified, 1000, KEY);
    expect(await holderPids("meta.alembic_version")).toHaveLength(1);
    const other = await connect("retort-other");
    await lockFailure(lock(other, 200, "meta.alembic_version"));
    // public.alembic_version and "Meta".alembic_version are other tables.
    await lock(other, 200, "public.alembic_version");
    await lock(other, 200, "Meta.alembic_version");
    await handle.release();
  });

  it("follows an existing version table to the schema search_path finds it in", async () => {
    const session = await connectWithSearchPath("retort-two-schemas", "first,meta");
    const other = await connect("retort-other");
    // No version table yet: an unqualified CREATE TABLE would put it in the first schema.
    const before = await lock(session, 1000, KEY);
    await lockFailure(lock(other, 200, "first.alembic_version"));
    await before.release();

    await database.inspect((client) => client.query('CREATE TABLE "meta"."alembic_version" (version_num varchar(32))'));
    try {
      const after = await lock(session, 1000, KEY);
      await lockFailure(lock(other, 200, "meta.alembic_version"));
      await lock(other, 200, "first.alembic_version");
      await after.release();
    } finally {
      await database.inspect((client) => client.query('DROP TABLE "meta"."alembic_version"'));
    }
  });

  it("names the holder to a waiter that spells the table otherwise (lockHolder resolves the key)", async () => {
    const holder = await connect("retort-qualified");
    await lock(holder, 1000, "public.alembic_version");
    const waiter = await connect("retort-unqualified");
    expect(await waiter.lockHolder(KEY)).toMatch(/^pid \d+ \(application "retort-qualified"/);
    expect(await waiter.lockHolder("meta.alembic_version")).toBeUndefined();
  });
});

describe("PostgresLock in one process", () => {
  it("times out after about timeoutMs, naming the holder's pid and application_name", async () => {
    const holder = await connect("retort-holder");
    await lock(holder, 1000);
    const [pid] = await holderPids();
    const holderMain = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid;
    expect(pid).toBeDefined();
    expect(pid).not.toBe(holderMain); // the lock has a session of its own

    const waiter = await connect("retort-waiter");
    const started = Date.now();
    const error = await lockFailure(lock(waiter, 400));
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(350);
    expect(waited).toBeLessThan(3000);
    expect(RetortError.isInstance(error)).toBe(true);
    expect(error.code).toBe("LOCK_TIMEOUT");
    expect(error.message).toMatch(
      new RegExp(
        `^Timed out after 400 ms waiting for the migration lock on database "${database.name}" \\(advisory lock 1380275282, -?\\d+ for "public\\.alembic_version"\\): it is held by pid ${pid} \\(application "retort-holder", client 127\\.0\\.0\\.1:\\d+, user "\\w+", connected since [0-9T:.-]+Z, state "idle"\\)\\.`,
      ),
    );
    expect(error.message).toContain("wait for it to finish and run the command again, or raise lock.timeoutMs");
    expect(error.message).toContain(`SELECT pg_terminate_backend(${pid});`);
    expect(error.holder).toMatch(new RegExp(`^pid ${pid} \\(application "retort-holder"`));
    // The waiter's lock session was closed: only the holder remains.
    expect(await holderPids()).toEqual([pid]);
  });

  it("names the holder to a waiter while it waits (lockHolder on the waiter's own session)", async () => {
    const waiter = await connect("retort-waiter");
    expect(await waiter.lockHolder(KEY)).toBeUndefined();
    const holder = await connect("retort-holder");
    const handle = await lock(holder, 1000);
    const [pid] = await holderPids();
    const waiting = lock(waiter, 10_000);
    // The waiter's migration session is free while its lock session waits.
    const described = await waiter.lockHolder(KEY);
    expect(described).toMatch(new RegExp(`^pid ${pid} \\(application "retort-holder", client 127\\.0\\.0\\.1:\\d+`));
    await handle.release();
    await waiting;
  });

  it("lets a waiter in as soon as the holder releases", async () => {
    const holder = await connect("retort-holder");
    const handle = await lock(holder, 1000);
    const waiter = await connect("retort-waiter");
    const started = Date.now();
    const waiting = lock(waiter, 10_000);
    setTimeout(() => void handle.release(), 300);
    await waiting;
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3000);
    expect(await holderPids()).toHaveLength(1);
  });

  it("does not conflict on different keys or different databases", async () => {
    const first = await connect("first");
    const second = await connect("second");
    const elsewhere = await connect("elsewhere", other);
    await lock(first, 500, ".alembic_version");
    await lock(second, 500, "meta.alembic_version");
    await lock(elsewhere, 500, ".alembic_version");
    expect(await holderPids("public.alembic_version")).toHaveLength(1);
    expect(await holderPids("meta.alembic_version")).toHaveLength(1);
  });

  it("holds across the migration connection's commits, and release is safe twice", async () => {
    const holder = await connect("retort-holder");
    const handle = await lock(holder, 1000);
    await holder.begin();
    await holder.execute("CREATE TABLE lock_commit_t (a integer)");
    await holder.commit();
    await holder.begin();
    await holder.rollback();
    expect(await holderPids()).toHaveLength(1);
    await handle.release();
    await handle.release();
    expect(await holderPids()).toEqual([]);
  });

  it("bounds the wait by the lock timeout, not the session's statement_timeout", async () => {
    const holder = await connect("retort-holder");
    await lock(holder, 1000);
    const waiter = await connect("retort-waiter", database, { sessionTimeouts: { statementTimeoutMs: 100 } });
    const started = Date.now();
    const error = await lockFailure(lock(waiter, 600));
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(error.message).toMatch(/^Timed out after 600 ms/);
  });

  it("lets the holder's CREATE INDEX CONCURRENTLY finish while others wait for the lock", async () => {
    // A waiter inside pg_advisory_lock would be a transaction with a snapshot, which
    // CREATE INDEX CONCURRENTLY waits for: the holder would wait for its waiters until they timed out.
    const holder = await connect("retort-holder");
    const handle = await lock(holder, 1000);
    await holder.execute("CREATE TABLE lock_cic_t (a integer)");
    const waiter = await connect("retort-waiter");
    const waiting = lock(waiter, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await holder.execute("CREATE INDEX CONCURRENTLY lock_cic_ix ON lock_cic_t (a)");
    expect(Date.now() - started).toBeLessThan(3000);
    await handle.release();
    await waiting;
    expect(await holderPids()).toHaveLength(1);
  }, 40_000);

  it("with timeoutMs 0 fails at once instead of waiting", async () => {
    const holder = await connect("retort-holder");
    await lock(holder, 1000);
    const waiter = await connect("retort-waiter");
    const started = Date.now();
    const error = await lockFailure(lock(waiter, 0));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.message).toMatch(
      /^Could not take \(without waiting\) the migration lock .* held by pid \d+ \(application "retort-holder"/,
    );
  });

  it("is released when the connection closes or its session is terminated", async () => {
    const holder = await connect("retort-holder");
    const handle = await lock(holder, 1000);
    await holder.close();
    expect(await holderPids()).toEqual([]);
    await handle.release();

    const again = await connect("retort-again");
    const second = await lock(again, 1000);
    const [pid] = await holderPids();
    await database.inspect((client) => client.query("SELECT pg_terminate_backend($1)", [pid]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await second.release(); // the session is gone: releasing does not throw
    const waiter = await connect("retort-waiter");
    await lock(waiter, 1000);
  });
});

describe("PostgresLock across processes", () => {
  interface Child {
    readonly child: ChildProcess;
    readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
    output(): string;
  }

  function startChild(args: string[]): Child {
    const child = spawn(process.execPath, [childScript, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
      (resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, output }));
      },
    );
    return { child, done, output: () => output };
  }

  async function waitForOutput(read: () => string, text: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!read().includes(text)) {
      if (Date.now() > deadline) throw new Error(`child did not print ${text}; printed: ${read()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it("a holder killed with SIGKILL does not block the next acquirer", async () => {
    const holder = startChild(["hold", database.urlText, KEY]);
    await waitForOutput(holder.output, "LOCKED");
    const [pid] = await holderPids();

    const waiter = await connect("retort-waiter");
    const error = await lockFailure(lock(waiter, 300));
    expect(error.message).toContain(`held by pid ${pid} (application "lock-child-hold"`);

    holder.child.kill("SIGKILL");
    expect((await holder.done).signal).toBe("SIGKILL");
    const started = Date.now();
    await lock(waiter, 5000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("lets one process at a time through; the others wait and succeed", async () => {
    await database.inspect(async (client) => {
      await client.query("CREATE TABLE counter (id integer PRIMARY KEY, value integer NOT NULL)");
      await client.query("INSERT INTO counter VALUES (1, 0)");
      await client.query("CREATE TABLE log (pid integer, value integer, started bigint, ended bigint)");
    });
    const runs = Array.from({ length: 4 }, () => startChild(["counter", database.urlText, KEY, "20000", "150"]));
    const results = await Promise.all(runs.map((run) => run.done));
    for (const result of results) expect(result.output).toContain('"ok":true');
    const { value, log } = await database.inspect(async (client) => ({
      value: (await client.query("SELECT value FROM counter WHERE id = 1")).rows[0]?.value,
      log: (await client.query<{ started: string; ended: string }>("SELECT started, ended FROM log ORDER BY started"))
        .rows,
    }));
    expect(value).toBe(4);
    for (let index = 1; index < log.length; index++) {
      expect(Number(log[index]?.started)).toBeGreaterThanOrEqual(Number(log[index - 1]?.ended));
    }
  }, 60_000);
});
