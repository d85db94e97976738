/**
 * `MysqlConnection.cancel()`: an interrupted run stops the statement
 * running on the migration session (`KILL QUERY`), so that it does not run
 * on, holding its locks, in a session nobody waits for.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DatabaseError } from "@retort/core";
import { describe, expect, it } from "vitest";
import { useTestConnections } from "./test-support/test-connections.js";
import { admin } from "./test-support/test-database.js";

const suite = useTestConnections("retort_my_cancel");
const connect = () => suite.connect();

/** Waits until the session `threadId` is running a statement that starts with `text`, at most 5 s. */
async function waitUntilRunning(threadId: number, text: string): Promise<void> {
  await admin(async (session) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const [rows] = await session.query(
        "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND COMMAND = 'Query' AND INFO LIKE ?",
        [threadId, `${text}%`],
      );
      if ((rows as unknown[]).length > 0) return;
      if (Date.now() > deadline) throw new Error(`session ${threadId} is not running ${text}`);
      await sleep(20);
    }
  });
}

describe("MysqlConnection.cancel()", () => {
  it("stops a statement waiting for a lock within a second; the transaction stays open for the rollback", async () => {
    const holder = await connect();
    await holder.execute(`CREATE TABLE cancel_t (id INT PRIMARY KEY)`);
    await holder.execute("INSERT INTO cancel_t VALUES (1)");
    await holder.begin();
    await holder.query("SELECT id FROM cancel_t WHERE id = 1 FOR UPDATE");

    const connection = await connect();
    await connection.execute("SET SESSION innodb_lock_wait_timeout = 60");
    await connection.begin();
    await connection.execute("INSERT INTO cancel_t VALUES (2)");
    const sql = "UPDATE cancel_t SET id = 10 WHERE id = 1";
    const running = connection.execute(sql).then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitUntilRunning(connection.session.threadId, sql);

    const started = Date.now();
    await connection.cancel();
    const error = await running;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(DatabaseError.isInstance(error)).toBe(true);
    expect((error as DatabaseError).sql).toBe(sql);
    expect(((error as Error).cause as { errno?: number }).errno).toBe(1317);
    // Only the statement stopped: the transaction, with its first INSERT, is there to roll back.
    expect(connection.inTransaction).toBe(true);
    expect((await connection.query("SELECT id FROM cancel_t ORDER BY id")).rows).toEqual([{ id: 1 }, { id: 2 }]);
    await connection.rollback();
    await holder.rollback();
    expect((await holder.query("SELECT id FROM cancel_t ORDER BY id")).rows).toEqual([{ id: 1 }]);
    await holder.execute("DROP TABLE cancel_t");
  });

  it("ends a SLEEP() at once", async () => {
    const connection = await connect();
    const running = connection.query("SELECT SLEEP(30) AS slept").then(
      (result) => result,
      (error: unknown) => error,
    );
    await waitUntilRunning(connection.session.threadId, "SELECT SLEEP(30)");
    const started = Date.now();
    await connection.cancel();
    const outcome = await running;
    expect(Date.now() - started).toBeLessThan(1000);
    // MySQL's SLEEP() returns 1 when it is interrupted; a server may report the interruption as an error.
    if (DatabaseError.isInstance(outcome)) {
      expect(((outcome as Error).cause as { errno?: number }).errno).toBe(1317);
    } else {
      expect(outcome).toEqual({ rows: [{ slept: 1 }] });
    }
  });

  it("does nothing when no statement runs, and the next statement runs normally", async () => {
    const connection = await connect();
    await connection.begin();
    await connection.cancel();
    await sleep(100);
    expect((await connection.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await connection.commit();
  });

  it("stops the statement and leaves the migration lock's own session alone", async () => {
    const connection = await connect();
    const lock = await connection.acquireLock({ key: ".alembic_version", timeoutMs: 1000 });
    const running = connection.execute("DO SLEEP(30)").then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitUntilRunning(connection.session.threadId, "DO SLEEP(30)");
    const started = Date.now();
    await connection.cancel();
    await running;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(() => lock.assertHeld?.()).not.toThrow();
    await expect(lock.verify?.()).resolves.toBeUndefined();
    await lock.release();
  });
});
