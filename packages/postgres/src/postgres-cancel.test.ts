/**
 * `PostgresConnection.cancel()`: an interrupted run cancels the statement
 * running on the migration session, so that it gives up its locks at once
 * instead of running on in a session nobody waits for.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DatabaseError } from "@retort/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";

const driver = new PostgresDriver();
let database: TestDatabase;
const connections: PostgresConnection[] = [];

beforeAll(async () => {
  database = await createTestDatabase("retort_pg_cancel");
}, 60_000);

afterEach(async () => {
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

/** Waits until a session of `applicationName` is running `text`, at most 5 s. */
async function waitUntilRunning(applicationName: string, text: string): Promise<void> {
  await database.inspect(async (client) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const { rows } = await client.query(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query = $2",
        [applicationName, text],
      );
      if (rows.length > 0) return;
      if (Date.now() > deadline) throw new Error(`${applicationName} is not running ${text}`);
      await sleep(20);
    }
  });
}

describe("PostgresConnection.cancel()", () => {
  it("cancels a running statement within a second, and its transaction's locks go with the rollback", async () => {
    const connection = await connect("retort-cancel");
    await connection.execute("CREATE TABLE cancel_t (a integer)");
    await connection.begin();
    await connection.execute("LOCK TABLE cancel_t IN ACCESS EXCLUSIVE MODE");
    const running = connection.query("SELECT pg_sleep(30)").then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitUntilRunning("retort-cancel", "SELECT pg_sleep(30)");

    const started = Date.now();
    await connection.cancel();
    const error = await running;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(DatabaseError.isInstance(error)).toBe(true);
    expect((error as DatabaseError).message).toContain("canceling statement due to user request");
    expect((error as DatabaseError).sql).toBe("SELECT pg_sleep(30)");
    expect(((error as Error).cause as { code?: string }).code).toBe("57014");

    await connection.rollback();
    // The table lock is gone: another session reads the table at once.
    const other = await connect("retort-other");
    await other.execute("SET lock_timeout = 500");
    expect((await other.query("SELECT count(*)::int AS n FROM cancel_t")).rows).toEqual([{ n: 0 }]);
  });

  it("does nothing when no statement runs, and the next statement runs normally", async () => {
    const connection = await connect("retort-idle");
    await connection.begin();
    await connection.cancel();
    await sleep(100);
    expect((await connection.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await connection.commit();
  });

  it("cancels the statement even while the session holds the migration lock", async () => {
    const connection = await connect("retort-cancel-locked");
    const lock = await connection.acquireLock({ key: ".alembic_version", timeoutMs: 1000 });
    const running = connection.execute("SELECT pg_sleep(30)").then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitUntilRunning("retort-cancel-locked", "SELECT pg_sleep(30)");
    const started = Date.now();
    await connection.cancel();
    expect(DatabaseError.isInstance(await running)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    // Cancelling the statement leaves the lock's own session alone.
    expect(() => lock.assertHeld?.()).not.toThrow();
    await expect(lock.verify?.()).resolves.toBeUndefined();
    await lock.release();
  });
});
