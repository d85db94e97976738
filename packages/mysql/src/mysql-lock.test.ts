/** The migration lock (GET_LOCK on a session of its own) against the real server. */
import { LockLostError, LockTimeoutError } from "@retort/core";
import { afterEach, describe, expect, it } from "vitest";
import { lockName } from "./mysql-lock.js";
import { useTestConnections } from "./test-support/test-connections.js";
import { admin } from "./test-support/test-database.js";

const suite = useTestConnections("retort_my_lock");
const connect = () => suite.connect();
const KEY = ".alembic_version";
const locks: { release(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
});

async function holder(): Promise<number | null> {
  return admin(async (session) => {
    const [rows] = await session.query("SELECT IS_USED_LOCK(?) AS id", [lockName(suite.database.name, KEY)]);
    const id = (rows as { id: number | null }[])[0]?.id;
    return id === null || id === undefined ? null : Number(id);
  });
}

describe("MysqlLock", () => {
  it("names the lock after the database and the key, within 64 characters", () => {
    expect(lockName("app", KEY)).toBe("retort:app:app.alembic_version");
    // The same table named with its schema: the same lock.
    expect(lockName("app", "app.alembic_version")).toBe(lockName("app", KEY));
    expect(lockName("app", "other.alembic_version")).toBe("retort:app:other.alembic_version");
    expect(lockName("a".repeat(60), KEY)).toMatch(/^retort:[0-9a-f]{48}$/);
  });

  it("takes the lock on a session of its own and releases it", async () => {
    const connection = await connect();
    const lock = await connection.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(lock);
    const id = await holder();
    expect(id).not.toBeNull();
    const { rows } = await connection.query<{ id: number }>("SELECT CONNECTION_ID() AS id");
    expect(Number(rows[0]?.id)).not.toBe(id);
    await lock.verify?.();
    // Committing on the migration connection does not release it.
    await connection.begin();
    await connection.execute("CREATE TABLE lock_commit (id INT)");
    await connection.commit();
    expect(await holder()).toBe(id);
    await lock.release();
    expect(await holder()).toBeNull();
    await lock.release();
  });

  it("times out after timeoutMs naming the holder's connection", async () => {
    const first = await connect();
    const lock = await first.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(lock);
    const id = await holder();
    const second = await connect();
    const started = Date.now();
    const error = await second.acquireLock({ key: KEY, timeoutMs: 300 }).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(LockTimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      `Timed out after 300 ms waiting for the migration lock on database "${suite.database.name}"`,
    );
    // The version table named with its database when the key leaves the schema out.
    const table = KEY.startsWith(".") ? `${suite.database.name}${KEY}` : KEY;
    expect((error as Error).message).toContain(`for "${table}")`);
    expect((error as Error).message).toContain(`held by connection ${id}`);
    expect((error as Error).message).toContain(`KILL ${id};`);
    expect((error as LockTimeoutError).holder).toMatch(new RegExp(`^connection ${id}`));
    // Without waiting.
    const now = await second.acquireLock({ key: KEY, timeoutMs: 0 }).catch((caught: unknown) => caught);
    expect((now as Error).message).toContain("Could not take (without waiting)");
    await lock.release();
    const taken = await second.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(taken);
  });

  it("names the holder to a waiter while it waits (lockHolder on the waiter's own session)", async () => {
    const second = await connect();
    expect(await second.lockHolder(KEY)).toBeUndefined();
    const first = await connect();
    const lock = await first.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(lock);
    const id = await holder();
    const waiting = second.acquireLock({ key: KEY, timeoutMs: 10_000 });
    expect(await second.lockHolder(KEY)).toMatch(new RegExp(`^connection ${id} \\(user "`));
    await lock.release();
    locks.push(await waiting);
  });

  it("does not block a lock on another key", async () => {
    const connection = await connect();
    locks.push(await connection.acquireLock({ key: KEY, timeoutMs: 1000 }));
    locks.push(await connection.acquireLock({ key: ".other_version", timeoutMs: 0 }));
  });

  it("reports a lock whose session was killed as lost, and releases without throwing", async () => {
    const connection = await connect();
    const lock = await connection.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(lock);
    const id = await holder();
    await admin((session) => session.query(`KILL ${id}`));
    const error = await lock.verify?.().catch((caught: unknown) => caught);
    expect(LockLostError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/was lost: .*Check the database with 'retort current'/);
    expect(() => lock.assertHeld?.()).toThrow(/was lost/);
    await lock.release();
    // Another run can take it now.
    const other = await connect();
    locks.push(await other.acquireLock({ key: KEY, timeoutMs: 1000 }));
  });

  it("verifies through the read it is given (the run's statement sink)", async () => {
    const connection = await connect();
    const lock = await connection.acquireLock({ key: KEY, timeoutMs: 1000 });
    locks.push(lock);
    const seen: string[] = [];
    await lock.verify?.(async (sql, parameters) => {
      seen.push(sql);
      return connection.query(sql, parameters);
    });
    expect(seen).toEqual(["SELECT IS_USED_LOCK(?) AS holder"]);
  });
});
