/**
 * A migration lock whose session dies under the run (pg_terminate_backend,
 * a pooler, a firewall): `assertHeld()` and `verify()` report it, and
 * `release()` neither throws nor hangs afterwards.
 */
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { LockLostError, RetortError } from "@retort/core";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openClient } from "./postgres-driver.js";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { PostgresLock } from "./postgres-lock.js";
import { resolvePostgresUrl } from "./postgres-url.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";

const driver = new PostgresDriver();
const KEY = ".alembic_version";
let database: TestDatabase;
const connections: PostgresConnection[] = [];
const locks: { release(): Promise<void> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase("retort_pg_lost");
}, 60_000);

afterEach(async () => {
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
});

afterAll(async () => {
  await database?.drop();
});

async function connect(applicationName: string): Promise<PostgresConnection> {
  const connection = await driver.connect(database.url, { applicationName });
  connections.push(connection);
  return connection;
}

/** The pids holding an advisory lock with Retort's namespace in the test database. */
async function lockPids(): Promise<number[]> {
  return database.inspect(async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = 1380275282
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows.map((row) => row.pid);
  });
}

/** Terminates `pid` from a third session and waits until the server has ended it (and freed its locks). */
async function terminate(pid: number): Promise<void> {
  await database.inspect(async (client) => {
    await client.query("SELECT pg_terminate_backend($1)", [pid]);
    const deadline = Date.now() + 5000;
    while ((await client.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rows.length > 0) {
      if (Date.now() > deadline) throw new Error(`pid ${pid} did not end`);
      await sleep(20);
    }
  });
}

/** Calls `assertHeld()` until it throws, at most `timeoutMs`; returns what it threw. */
async function untilLost(lock: { assertHeld?(): void }, timeoutMs = 5000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      lock.assertHeld?.();
    } catch (error) {
      return error;
    }
    if (Date.now() > deadline) throw new Error(`assertHeld() still passes after ${timeoutMs} ms`);
    await sleep(10);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

function lockMessage(pid: number, reason: string): RegExp {
  return new RegExp(
    `^The migration lock on database "${database.name}" \\(advisory lock 1380275282, -?\\d+ for "public\\.alembic_version"\\) was lost: its session \\(pid ${pid}\\) ${reason}\\. Another process may be migrating this database; nothing more is run or committed\\. Check the database with 'retort current' and run the command again\\.$`,
  );
}

describe("a lost migration lock", () => {
  it("passes assertHeld() and verify() while its session holds it", async () => {
    const connection = await connect("retort-held");
    const lock = await connection.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(lock);
    expect(() => lock.assertHeld?.()).not.toThrow();
    await connection.begin();
    await expect(lock.verify?.()).resolves.toBeUndefined();
    await connection.rollback();
  });

  it("leaves a failed transaction's error to commit() instead of failing verify() with 25P02", async () => {
    const connection = await connect("retort-failed-transaction");
    const lock = await connection.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(lock);
    await connection.begin();
    await rejection(connection.execute("SELECT * FROM no_such_table"));
    await expect(lock.verify?.()).resolves.toBeUndefined();
    const error = await rejection(connection.commit());
    expect((error as Error).message).toMatch(/^COMMIT rolled the transaction back/);
  });

  it("fails assertHeld() once its terminated session's error arrives, and verify() too", async () => {
    const connection = await connect("retort-terminated");
    const lock = await connection.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(lock);
    const [pid] = await lockPids();
    expect(pid).toBeDefined();
    await terminate(pid as number);

    const error = await untilLost(lock);
    expect(LockLostError.isInstance(error)).toBe(true);
    expect(RetortError.isInstance(error) && error.code).toBe("LOCK_LOST");
    expect((error as Error).message).toMatch(
      lockMessage(pid as number, "ended \\(terminating connection due to administrator command \\(57P01\\)\\)"),
    );
    expect(((error as Error).cause as { code?: string }).code).toBe("57P01");
    const verified = await rejection(lock.verify?.() ?? Promise.resolve());
    expect(LockLostError.isInstance(verified)).toBe(true);

    // The migration connection is untouched, and another run can take the lock.
    expect((await connection.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    const next = await connect("retort-next");
    locks.push(await next.acquireLock({ key: KEY, timeoutMs: 1000 }));
    // The lost lock still fails: the lock now held is someone else's.
    expect(LockLostError.isInstance(await rejection(lock.verify?.() ?? Promise.resolve()))).toBe(true);
  });

  it("fails verify() from pg_locks before the lock's client has noticed anything", async () => {
    const connection = await connect("retort-unnoticed");
    const config = resolvePostgresUrl(database.url, { applicationName: "retort-unnoticed-lock" });
    let lockClient: pg.Client | undefined;
    const lock = await PostgresLock.acquire({
      open: async () => {
        lockClient = await openClient(config, { keepAlive: true });
        return lockClient;
      },
      check: (sql, parameters) => connection.query(sql, parameters),
      key: KEY,
      timeoutMs: 1000,
    });
    locks.push(lock);
    // Stop reading the lock's socket: its client cannot hear the server end
    // the session, as on a network that drops packets.
    const socket = (lockClient as unknown as { connection: { stream: Socket } }).connection.stream;
    socket.pause();
    await terminate(lock.pid);

    expect(() => lock.assertHeld()).not.toThrow();
    const error = await rejection(lock.verify());
    expect(LockLostError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      lockMessage(lock.pid, "no longer holds it in pg_locks \\(the session was terminated or its connection cut\\)"),
    );
    // From then on the cheap check fails too, without a round trip.
    expect(() => lock.assertHeld()).toThrow(/was lost/);
    expect(lock.held).toBe(false);

    socket.resume();
    const started = Date.now();
    await lock.release();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("releases without throwing or hanging after the session was lost, twice", async () => {
    const connection = await connect("retort-release");
    const lock = await connection.acquireLock({ key: KEY, timeoutMs: 1000 });
    const [pid] = await lockPids();
    await terminate(pid as number);
    await untilLost(lock);
    const started = Date.now();
    await lock.release();
    await lock.release();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await lockPids()).toEqual([]);
    await connection.close();
  });

  it("is not reported lost after release() ends its session", async () => {
    const connection = await connect("retort-released");
    const config = resolvePostgresUrl(database.url, {});
    const lock = await PostgresLock.acquire({
      open: () => openClient(config),
      check: (sql, parameters) => connection.query(sql, parameters),
      key: KEY,
      timeoutMs: 1000,
    });
    await lock.release();
    await sleep(50);
    expect(() => lock.assertHeld()).not.toThrow();
    expect(await lockPids()).toEqual([]);
  });
});
