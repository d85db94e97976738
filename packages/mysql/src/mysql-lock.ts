import { createRequire } from "node:module";
import type { LockHandle } from "@retort/core";
import { DatabaseError, LockLostError, LockTimeoutError } from "@retort/core/errors";
import type mysql from "mysql2/promise";
import type { MysqlFlavor } from "./mysql-dialect.js";
import { describeError, maskSecrets, toDatabaseError } from "./mysql-errors.js";
import { hasNoBackslashEscapes, queryWithParameters } from "./mysql-parameters.js";

/** The longest name `GET_LOCK` takes (https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html). */
export const MAX_LOCK_NAME = 64;

/**
 * The name of the migration lock for `key` (`"<schema>.<table>"`, the
 * schema empty when none is configured) in `database`: user locks are
 * server-wide, so the database is part of it. A key without its schema
 * names the table in the connection's database, and is written so: a run
 * configured with `versionTableSchema: "app"` and one without it, both on
 * `app.alembic_version`, take the same lock. `retort:<database>:<key>`
 * when it fits in 64 characters, else `retort:` and a SHA-256 prefix of it.
 *
 * ```ts
 * lockName("app", ".alembic_version"); // "retort:app:app.alembic_version"
 * ```
 */
export function lockName(database: string, key: string): string {
  const table = key.startsWith(".") ? `${database}${key}` : key;
  const plain = `retort:${database}:${table}`;
  if ([...plain].length <= MAX_LOCK_NAME) return plain;
  // node:crypto (about 4 ms) is loaded when a lock is taken, not by every command.
  const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return `retort:${createHash("sha256").update(plain, "utf8").digest("hex").slice(0, 48)}`;
}

/** Runs a read on the migration connection: how `verify()` asks the server about the lock. */
export type LockCheck = (sql: string, parameters: readonly unknown[]) => Promise<{ readonly rows: readonly unknown[] }>;

export interface MysqlLockOptions {
  /** Opens a new session with the connection's settings (the lock's own). */
  readonly open: () => Promise<mysql.Connection>;
  /** Runs a query on the migration connection, for `verify()`. */
  readonly check: LockCheck;
  /** What is locked: the version table, `"<schema>.<table>"`. */
  readonly key: string;
  /** How long to wait; 0 does not wait. */
  readonly timeoutMs: number;
  readonly secrets?: readonly string[];
  /** The server's kind, which names its errors (see `serverError`). */
  readonly flavor?: MysqlFlavor | undefined;
  /** Stops the wait when aborted (an interrupted run): `KILL QUERY` ends the `GET_LOCK` on the server. */
  readonly signal?: AbortSignal | undefined;
}

/** The session holding a lock, from `IS_USED_LOCK()` and the process list where readable. */
export interface LockHolder {
  readonly connectionId: number;
  readonly user: string | null;
  readonly host: string | null;
  readonly command: string | null;
  readonly seconds: number | null;
}

/**
 * The migration lock on MySQL and MariaDB: a user lock
 * (`GET_LOCK(name, timeout)`, https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html)
 * taken on a session of its own, so that it is held across the run's
 * commits (every DDL statement commits on MySQL) and released when that
 * session ends, also when the process is killed.
 *
 * `GET_LOCK` returns 1 when the lock is taken, 0 when the wait timed out
 * (`LockTimeoutError` naming the holder's connection id, user and host from
 * `IS_USED_LOCK()` and the process list) and NULL on an error (a
 * `DatabaseError`). `release()` runs `RELEASE_LOCK` and closes the session;
 * it is safe to call twice and after the session was lost.
 *
 * A lost lock session (`KILL`, a cut network, `wait_timeout`) is seen by
 * `assertHeld()` from the session's `error`/`end` events, and by `verify()`,
 * which asks the server through the migration connection whether
 * `IS_USED_LOCK(name)` is still the lock session's `CONNECTION_ID()`.
 */
export class MysqlLock implements LockHandle {
  readonly key: string;
  readonly name: string;
  readonly database: string;
  /** `CONNECTION_ID()` of the session that holds the lock. */
  readonly connectionId: number;
  readonly #session: mysql.Connection;
  readonly #check: LockCheck;
  readonly #secrets: readonly string[];
  /** The lock session's sql_mode holds NO_BACKSLASH_ESCAPES (see `queryWithParameters`). */
  readonly #noBackslashEscapes: boolean;
  #lost: { readonly reason: string; readonly cause: unknown } | undefined;
  #released: Promise<void> | undefined;

  private constructor(
    session: mysql.Connection,
    options: MysqlLockOptions,
    database: string,
    name: string,
    connectionId: number,
    noBackslashEscapes: boolean,
  ) {
    this.#session = session;
    this.#noBackslashEscapes = noBackslashEscapes;
    this.#check = options.check;
    this.#secrets = options.secrets ?? [];
    this.key = options.key;
    this.database = database;
    this.name = name;
    this.connectionId = connectionId;
    session.on("error", (error: unknown) =>
      this.#markLost(`its session (connection ${connectionId}) ended (${describeError(error, options.flavor)})`, error),
    );
    session.on("end", () => this.#markLost(`its session (connection ${connectionId}) ended`, undefined));
  }

  /** Opens the lock's session and waits for the lock, at most `timeoutMs`. */
  static async acquire(options: MysqlLockOptions): Promise<MysqlLock> {
    const session = await options.open();
    const secrets = options.secrets ?? [];
    let sql = "SELECT DATABASE() AS db, CONNECTION_ID() AS id, @@SESSION.sql_mode AS sql_mode";
    try {
      const [infoRows] = await session.query(sql);
      const info = (infoRows as { db: string | null; id: number; sql_mode: unknown }[])[0] as {
        db: string | null;
        id: number;
        sql_mode: unknown;
      };
      const noBackslashEscapes = hasNoBackslashEscapes(info.sql_mode);
      const database = info.db ?? "";
      const name = lockName(database, options.key);
      // The session idles through the whole run: keep the server from closing it.
      sql = "SET SESSION wait_timeout = 31536000";
      await session.query(sql);
      const seconds = Math.max(0, options.timeoutMs) / 1000;
      sql = "SELECT GET_LOCK(?, ?) AS locked";
      if (options.signal?.aborted) throw new LockWaitAbortedError();
      // Interrupted while waiting (Ctrl-C): the wait is stopped on the server, as a statement's is by
      // cancel(), so the process can exit now.
      const stopWaiting = () => void killQuery(options.open, Number(info.id)).catch(() => session.destroy());
      options.signal?.addEventListener("abort", stopWaiting, { once: true });
      let rows: unknown;
      try {
        [rows] = await queryWithParameters(session, sql, [name, seconds], noBackslashEscapes);
      } finally {
        options.signal?.removeEventListener("abort", stopWaiting);
      }
      if (options.signal?.aborted) throw new LockWaitAbortedError();
      const locked = (rows as { locked: number | string | null }[])[0]?.locked;
      if (locked === null || locked === undefined) {
        throw new DatabaseError(
          `GET_LOCK('${name}') returned NULL: the server could not take the lock (an error such as running out of memory, or the session was killed). Run the command again.`,
          sql,
        );
      }
      if (Number(locked) !== 1) throw await timeoutError(session, options, database, name, noBackslashEscapes);
      return new MysqlLock(session, options, database, name, Number(info.id), noBackslashEscapes);
    } catch (error) {
      await session.end().catch(() => session.destroy());
      if (options.signal?.aborted) throw new LockWaitAbortedError();
      if (LockTimeoutError.isInstance(error) || error instanceof DatabaseError) throw error;
      throw toDatabaseError(error, sql, secrets, undefined, options.flavor);
    }
  }

  /** False once released, or once the session was lost. */
  get held(): boolean {
    return this.#released === undefined && this.#lost === undefined;
  }

  /** Throws `LockLostError` when the lock's session is known to have ended. No round trip. */
  assertHeld(): void {
    if (this.#lost !== undefined) throw this.#lostError(this.#lost.reason, this.#lost.cause);
  }

  /**
   * Asks the server, through `read` (the migration connection), whether
   * the lock is still held by the lock's session: `IS_USED_LOCK(name)` must
   * be its `CONNECTION_ID()`. Throws `LockLostError` otherwise.
   */
  async verify(read: LockCheck = this.#check): Promise<void> {
    this.assertHeld();
    const { rows } = await read("SELECT IS_USED_LOCK(?) AS holder", [this.name]);
    const holder = (rows[0] as { holder?: number | string | null } | undefined)?.holder;
    if (holder !== null && holder !== undefined && Number(holder) === this.connectionId) return;
    const reason =
      holder === null || holder === undefined
        ? `no session holds it any more (its session, connection ${this.connectionId}, was killed or its connection cut)`
        : `connection ${holder} holds it now, not its session (connection ${this.connectionId})`;
    this.#markLost(reason, undefined);
    throw this.#lostError(this.#lost?.reason ?? reason, this.#lost?.cause);
  }

  /** Releases the lock and closes its session. Safe to call twice; never throws. */
  release(): Promise<void> {
    this.#released ??= this.#release();
    return this.#released;
  }

  async #release(): Promise<void> {
    try {
      if (this.#lost === undefined) {
        await queryWithParameters(this.#session, "SELECT RELEASE_LOCK(?)", [this.name], this.#noBackslashEscapes);
      }
    } catch {
      // Closing the session releases the lock anyway.
    } finally {
      await this.#session.end().catch(() => this.#session.destroy());
    }
  }

  #markLost(reason: string, cause: unknown): void {
    if (this.#released !== undefined || this.#lost !== undefined) return;
    this.#lost = { reason: maskSecrets(reason, this.#secrets), cause };
  }

  #lostError(reason: string, cause: unknown): LockLostError {
    return new LockLostError(
      `The migration lock on database "${this.database}" (GET_LOCK '${this.name}') was lost: ${reason}. ` +
        "Another process may be migrating this database; nothing more is run or committed. " +
        "Check the database with 'retort current' and run the command again.",
      cause === undefined ? undefined : { cause },
    );
  }
}

/**
 * The session holding the user lock `name`: `IS_USED_LOCK()` gives its
 * connection id; user, host, command and time come from
 * `information_schema.PROCESSLIST` when this user may see that session
 * (the PROCESS privilege, or the same user). Undefined when nobody holds it.
 */
export async function findLockHolder(
  session: mysql.Connection,
  name: string,
  noBackslashEscapes: boolean,
): Promise<LockHolder | undefined> {
  const [rows] = await queryWithParameters(session, "SELECT IS_USED_LOCK(?) AS id", [name], noBackslashEscapes);
  const id = (rows as { id: number | string | null }[])[0]?.id;
  if (id === null || id === undefined) return undefined;
  const connectionId = Number(id);
  try {
    const [processes] = await queryWithParameters(
      session,
      "SELECT USER AS user, HOST AS host, COMMAND AS command, TIME AS seconds FROM information_schema.PROCESSLIST WHERE ID = ?",
      [connectionId],
      noBackslashEscapes,
    );
    const row = (processes as { user: string; host: string; command: string; seconds: number }[])[0];
    if (row !== undefined) {
      return { connectionId, user: row.user, host: row.host, command: row.command, seconds: Number(row.seconds) };
    }
  } catch {
    // Not readable: the connection id alone.
  }
  return { connectionId, user: null, host: null, command: null, seconds: null };
}

/** `connection 42 (user "app", host "10.0.0.5:51234", command "Sleep" for 30 s)`. */
export function describeLockHolder(holder: LockHolder): string {
  const details: string[] = [];
  if (holder.user !== null) details.push(`user "${holder.user}"`);
  if (holder.host !== null) details.push(`host "${holder.host}"`);
  if (holder.command !== null) {
    details.push(`command "${holder.command}"${holder.seconds === null ? "" : ` for ${holder.seconds} s`}`);
  }
  if (holder.user === null) details.push("other details hidden: reading them needs the PROCESS privilege");
  return `connection ${holder.connectionId}${details.length === 0 ? "" : ` (${details.join(", ")})`}`;
}

async function timeoutError(
  session: mysql.Connection,
  options: MysqlLockOptions,
  database: string,
  name: string,
  noBackslashEscapes: boolean,
): Promise<LockTimeoutError> {
  let holder: LockHolder | undefined;
  let looked = true;
  try {
    holder = await findLockHolder(session, name, noBackslashEscapes);
  } catch {
    looked = false;
  }
  const waited =
    options.timeoutMs > 0 ? `Timed out after ${options.timeoutMs} ms waiting for` : "Could not take (without waiting)";
  // A key without its schema names the version table in the connection's database (see `lockName`).
  const table = options.key.startsWith(".") ? `${database}${options.key}` : options.key;
  const lock = `the migration lock on database "${database}" (GET_LOCK '${name}' for "${table}")`;
  let message: string;
  if (!looked) message = `${waited} ${lock}; the session holding it could not be looked up. `;
  else if (holder === undefined)
    message = `${waited} ${lock}; its holder released it just now. Run the command again. `;
  else message = `${waited} ${lock}: it is held by ${describeLockHolder(holder)}. `;
  message +=
    "Another Retort run is probably migrating this database: wait for it to finish and run the command again, " +
    "or raise lock.timeoutMs in the Retort config.";
  if (holder !== undefined)
    message += ` If that session is stuck or its process is gone, end it with: KILL ${holder.connectionId};`;
  return new LockTimeoutError(
    maskSecrets(message, options.secrets),
    holder === undefined ? undefined : describeLockHolder(holder),
  );
}

/** The wait for the migration lock was given up: the run was interrupted (core reports it). */
class LockWaitAbortedError extends Error {
  constructor() {
    super("The wait for the migration lock was interrupted");
    this.name = "LockWaitAbortedError";
  }
}

/**
 * `KILL QUERY id` from a short-lived session of its own (`open`): ends the
 * statement session `id` runs, or its wait (`GET_LOCK`), and leaves the
 * session open.
 */
export async function killQuery(open: () => Promise<mysql.Connection>, id: number): Promise<void> {
  const killer = await open();
  try {
    await killer.query(`KILL QUERY ${id}`);
  } finally {
    await killer.end().catch(() => killer.destroy());
  }
}
