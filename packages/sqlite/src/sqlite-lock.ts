import type { LockHandle } from "@retort/core";
import { LockTimeoutError } from "@retort/core/errors";

/**
 * The migration lock on SQLite.
 *
 * SQLite has no advisory lock. Its locks are on the database file
 * (https://sqlite.org/lockingv3.html): `BEGIN IMMEDIATE` takes the RESERVED
 * lock (in WAL mode, the write lock) at once, and only one connection in any
 * process can hold it (https://sqlite.org/lang_transaction.html). So the
 * transaction *is* the lock (`capabilities.lockHeldByTransaction`):
 * `acquireLock` only sets how long `BEGIN IMMEDIATE` waits (the busy
 * timeout, https://sqlite.org/c3ref/busy_timeout.html), `begin()` takes the
 * lock, and COMMIT or ROLLBACK releases it. `release()` therefore does
 * nothing. The one commit inside a migration, an `autocommitBlock`'s, is
 * bridged by a marker file (`SqliteConnection.keepLockAcrossCommit`).
 *
 * A deferred `BEGIN` would not do: two readers that both try to upgrade to
 * a write lock fail with SQLITE_BUSY at once instead of waiting, since
 * SQLite cannot let either go on (reliability notes §1.2, measured).
 *
 * The OS releases file locks when a process dies, so a run killed with
 * SIGKILL mid-migration does not block the next one; its hot journal is
 * rolled back by the next connection that reads the file.
 */
export class SqliteLock implements LockHandle {
  /** What the caller said it locks; SQLite can only lock the whole file. */
  readonly key: string;

  constructor(key: string) {
    this.key = key;
  }

  async release(): Promise<void> {
    // The lock is the write transaction: COMMIT or ROLLBACK releases it.
  }
}

/**
 * The error for a `BEGIN IMMEDIATE` that got SQLITE_BUSY after waiting the
 * whole busy timeout. SQLite cannot tell who holds the lock.
 */
export function sqliteLockTimeoutError(filename: string, timeoutMs: number, cause: unknown): LockTimeoutError {
  return new LockTimeoutError(
    `Another process holds the write lock on ${filename} for longer than ${timeoutMs} ms ` +
      "(BEGIN IMMEDIATE got SQLITE_BUSY). Another migration run, or an application writing to the database, " +
      "is still in a transaction: wait for it to finish and try again, or raise lock.timeoutMs in the Retort " +
      "config (or ?timeout=<seconds> in the URL).",
    undefined,
    { cause },
  );
}
