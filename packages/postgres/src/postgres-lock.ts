import { createRequire } from "node:module";
import type { LockHandle } from "@retort/core";
import { LockLostError, LockTimeoutError } from "@retort/core/errors";
import type pg from "pg";
import { describeError, maskSecrets, toDatabaseError } from "./postgres-errors.js";

/**
 * The first of the two int4 keys of every Retort advisory lock: "RETR" in
 * ASCII (0x52455452). In `pg_locks` a two-key advisory lock shows its first
 * key as `classid`, its second as `objid`, and `objsubid = 2`
 * (https://www.postgresql.org/docs/current/view-pg-locks.html), so Retort's
 * locks are found with `classid = 1380275282 AND objsubid = 2`.
 */
export const LOCK_NAMESPACE = 0x52455452;

/** The first pause between two tries for a held lock, doubling up to `MAX_POLL_MS`. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 250;

/**
 * The two int4 keys of the migration lock for `key` (as `resolvedLockKey`
 * gives it: `"<schema>.<table>"`) in `database`:
 * `[LOCK_NAMESPACE, the first 4 bytes of SHA-256(database + NUL + key) as
 * a signed big-endian int4]`. Computed here rather than with the server's
 * `hashtext()`, whose output PostgreSQL does not promise to keep across
 * versions; this one is stable across Retort and PostgreSQL versions.
 * (Advisory locks are per database anyway; the name keeps keys distinct
 * when a pooler or a tool compares them across databases.)
 *
 * ```ts
 * lockKeys("app", "public.alembic_version"); // [1380275282, <int4>]
 * ```
 */
export function lockKeys(database: string, key: string): readonly [number, number] {
  // node:crypto (about 4 ms) is loaded when a lock is taken, not by every command.
  const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  const digest = createHash("sha256").update(`${database}\u0000${key}`, "utf8").digest();
  return [LOCK_NAMESPACE, digest.readInt32BE(0)];
}

/**
 * What an unqualified version table name means on this session, for the
 * lock key: the schema of the relation the name resolves to through
 * `search_path` (the one Retort reads, as `relationKindQuery` finds it with
 * `pg_table_is_visible`), else `current_schema()`, where an unqualified
 * `CREATE TABLE` puts it. `$1` is the table's name, or NULL when the key
 * names its schema; the column is NULL then, and when `search_path` names
 * no existing schema.
 */
const RESOLVED_SCHEMA_SQL = `CASE WHEN $1::text IS NULL THEN NULL ELSE COALESCE(
   (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relname = $1::text AND pg_catalog.pg_table_is_visible(c.oid) LIMIT 1),
   pg_catalog.current_schema()) END`;

/**
 * The table of a lock key written without its schema: core's
 * `Environment.lockKey` is `"<versionTableSchema>.<versionTable>"` with an
 * empty schema when none is configured, so a leading dot says "unqualified"
 * whatever dots the table's own name holds. Undefined for a key that names
 * its schema.
 */
export function unqualifiedTable(key: string): string | undefined {
  return key.startsWith(".") ? key.slice(1) : undefined;
}

/**
 * The lock key naming the table PostgreSQL means: an unqualified key
 * (`".alembic_version"`) gets the schema the session resolves it to
 * (`schema`, from `RESOLVED_SCHEMA_SQL`), so that a run configured with
 * `versionTableSchema: "public"` and one without it, both on
 * `public.alembic_version`, take the same lock. A key naming its schema is
 * kept as it is (the key older Retort versions used for it); so is an
 * unqualified one when the session resolves no schema (nothing can be
 * created or read there anyway). Retort always quotes names, so the
 * comparison is exact: `"Public"` is another schema than `"public"`.
 *
 * ```ts
 * resolvedLockKey(".alembic_version", "public"); // "public.alembic_version"
 * resolvedLockKey("meta.alembic_version", null); // "meta.alembic_version"
 * ```
 */
export function resolvedLockKey(key: string, schema: string | null): string {
  const table = unqualifiedTable(key);
  return table === undefined || schema === null ? key : `${schema}.${table}`;
}

/**
 * The database and the resolved lock key (see `resolvedLockKey`) as the
 * session `client` sees them: one query. Used where nothing else is asked
 * of the server anyway (`PostgresConnection.lockHolder`); `acquire` folds
 * the same question into its first query.
 */
export async function sessionLockKey(client: pg.Client, key: string): Promise<{ database: string; key: string }> {
  const { rows } = await client.query<{ database: string; schema: string | null }>(
    `SELECT current_database() AS database, ${RESOLVED_SCHEMA_SQL} AS schema`,
    [unqualifiedTable(key) ?? null],
  );
  const row = rows[0] as { database: string; schema: string | null };
  return { database: row.database, key: resolvedLockKey(key, row.schema) };
}

/**
 * Runs a query on the migration connection and returns its rows: how
 * `verify()` asks the server about the lock. Not the lock's own session,
 * which is the one that may have died.
 */
export type LockCheck = (sql: string, parameters: readonly unknown[]) => Promise<{ readonly rows: readonly unknown[] }>;

/**
 * Whether the session `$3` still holds the advisory lock (`$1`, `$2`) in
 * this database. A two-key advisory lock shows its keys as `classid` and
 * `objid` with `objsubid = 2`; the int4 keys are cast to oid as the server
 * does.
 */
const HELD_SQL = `SELECT 1 AS held FROM pg_catalog.pg_locks
 WHERE locktype = 'advisory' AND granted AND objsubid = 2
   AND classid = ($1::int4)::oid AND objid = ($2::int4)::oid AND pid = $3::int4
   AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())`;

/** What `PostgresLock.acquire` needs. */
export interface PostgresLockOptions {
  /**
   * Opens a new session with the connection's settings (the lock's own
   * connection). Give it TCP keepalive, so that a cut network ends it.
   */
  readonly open: () => Promise<pg.Client>;
  /** Runs a query on the migration connection, for `verify()`. */
  readonly check: LockCheck;
  /**
   * What is locked: the version table, `"<schema>.<table>"`, the schema
   * empty when not configured (core's `Environment.lockKey`). The lock's
   * key names the schema the session resolves an unqualified table to.
   */
  readonly key: string;
  /** How long to wait; 0 does not wait at all (`pg_try_advisory_lock`). */
  readonly timeoutMs: number;
  readonly secrets?: readonly string[];
  /** Stops the wait when aborted (an interrupted run): the polling ends and the session closes. */
  readonly signal?: AbortSignal | undefined;
}

/** The lock session's first query: who it is, and what an unqualified key names there (`$1`). */
const SESSION_SQL = `SELECT current_database() AS database, pg_backend_pid() AS pid,
  current_setting('idle_session_timeout', true) AS idle, ${RESOLVED_SCHEMA_SQL} AS schema`;

/** The answer to `SESSION_SQL`. */
interface SessionInfo {
  readonly database: string;
  readonly pid: number;
  readonly idle: string | null;
  readonly schema: string | null;
}

/** A session holding the lock, from `pg_locks` joined with `pg_stat_activity`. */
export interface LockHolder {
  readonly pid: number;
  readonly applicationName: string | null;
  readonly clientAddress: string | null;
  readonly clientPort: number | null;
  readonly user: string | null;
  readonly backendStart: Date | null;
  readonly state: string | null;
}

/**
 * The migration lock on PostgreSQL: a session-level advisory lock
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS)
 * taken on a connection of its own, so that it is held across the run's
 * commits and `autocommitBlock`s, and so that the migration session's
 * `statement_timeout` never cuts the wait short.
 *
 * The wait polls `pg_try_advisory_lock` (10 ms, doubling to 250 ms) until
 * `timeoutMs` has passed, rather than waiting inside `pg_advisory_lock`: a
 * statement waiting for the lock is a transaction with a snapshot, and a
 * `CREATE INDEX CONCURRENTLY` in the holder's migration waits for every
 * such transaction to end, so the holder would wait for its waiters until
 * they timed out. Between two polls the session runs nothing. Past
 * `timeoutMs` the error names the holder(s) from `pg_locks` and
 * `pg_stat_activity`.
 *
 * The lock dies with its session: if the process is killed, the server
 * releases it when the socket closes. `release()` unlocks and closes the
 * session; it is safe to call twice and after the connection was lost.
 *
 * The session can also die under a running migration
 * (`pg_terminate_backend`, a pooler, a firewall): the server then releases
 * the lock and another run may take it. pg reports that as an `error` (the
 * server's FATAL 57P01 on an idle client) or an `end` event on the lock's
 * client; from then on `assertHeld()` throws `LockLostError`. `verify()`
 * asks `pg_locks` through the migration connection, so it also catches a
 * loss whose event has not arrived yet (or never will, on a cut network).
 *
 * ```ts
 * const lock = await PostgresLock.acquire({ open, check, key: ".alembic_version", timeoutMs: 60_000 });
 * lock.key; // "public.alembic_version", with the default search_path
 * try {
 *   lock.assertHeld(); // before each statement
 *   await lock.verify(); // before each commit
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export class PostgresLock implements LockHandle {
  /** The key as resolved on the lock's session (`resolvedLockKey`): `"public.alembic_version"`. */
  readonly key: string;
  readonly database: string;
  readonly keys: readonly [number, number];
  /** The backend pid of the session that holds the lock (as `pg_locks.pid` shows it). */
  readonly pid: number;
  readonly #client: pg.Client;
  readonly #check: LockCheck;
  readonly #secrets: readonly string[];
  /** Why the lock was lost (the session's end), once it was. */
  #lost: { readonly reason: string; readonly cause: unknown } | undefined;
  #released: Promise<void> | undefined;

  private constructor(
    client: pg.Client,
    options: PostgresLockOptions,
    database: string,
    key: string,
    keys: readonly [number, number],
    pid: number,
  ) {
    this.#client = client;
    this.#check = options.check;
    this.#secrets = options.secrets ?? [];
    this.key = key;
    this.database = database;
    this.keys = keys;
    this.pid = pid;
    // The session is gone, and the server released the lock with it. pg
    // emits `error` when the server ends an idle session (57P01 for
    // pg_terminate_backend) or the socket fails, then `end`.
    client.on("error", (error) => this.#markLost(`its session (pid ${pid}) ended (${describeError(error)})`, error));
    client.on("end", () => this.#markLost(`its session (pid ${pid}) ended (the connection closed)`, undefined));
  }

  /** Opens the lock's session and waits for the lock, at most `timeoutMs`. */
  static async acquire(options: PostgresLockOptions): Promise<PostgresLock> {
    const client = await options.open();
    // The schema of an unqualified version table comes with the session's
    // first query rather than a round trip of its own.
    let sql = SESSION_SQL;
    let database = "";
    let key = options.key;
    let keys: readonly [number, number] = [LOCK_NAMESPACE, 0];
    try {
      const { rows } = await client.query<SessionInfo>(sql, [unqualifiedTable(options.key) ?? null]);
      const info = rows[0] as SessionInfo;
      database = info.database;
      key = resolvedLockKey(options.key, info.schema);
      keys = lockKeys(database, key);
      // No statement_timeout on this session (the server's default may
      // have one). An idle_session_timeout (PostgreSQL 14+) would end this
      // idle session, and the lock with it, in the middle of a long migration.
      sql = [
        "SET statement_timeout = 0",
        ...(info.idle !== null && info.idle !== "0" ? ["SET idle_session_timeout = 0"] : []),
      ].join("; ");
      await client.query(sql);
      sql = "SELECT pg_try_advisory_lock($1::int4, $2::int4) AS locked";
      const deadline = Date.now() + Math.max(0, options.timeoutMs);
      for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
        const result = await client.query<{ locked: boolean }>(sql, [...keys]);
        if (result.rows[0]?.locked === true) break;
        const left = deadline - Date.now();
        if (left <= 0) throw await timeoutError(client, options, database, key, keys, undefined);
        await pauseUnlessAborted(Math.min(pause, left), options.signal);
        if (options.signal?.aborted) throw new LockWaitAbortedError();
      }
      return new PostgresLock(client, options, database, key, keys, info.pid);
    } catch (error) {
      try {
        if (LockTimeoutError.isInstance(error) || error instanceof LockWaitAbortedError) throw error;
        throw toDatabaseError(error, sql, { secrets: options.secrets ?? [] });
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  /** False once released, or once the session was lost (the server released the lock then). */
  get held(): boolean {
    return this.#released === undefined && this.#lost === undefined;
  }

  /** Throws `LockLostError` when the lock's session is known to have ended. No round trip. */
  assertHeld(): void {
    if (this.#lost !== undefined) throw this.#lostError(this.#lost.reason, this.#lost.cause);
  }

  /**
   * Asks the server, on the migration connection, whether the lock's
   * session still holds the lock (one query on `pg_locks`); throws
   * `LockLostError` when it does not, even if the lock's client has not
   * noticed yet. A failure of the query itself is thrown as it is.
   */
  async verify(read: LockCheck = this.#check): Promise<void> {
    this.assertHeld();
    const { rows } = await read(HELD_SQL, [this.keys[0], this.keys[1], this.pid]);
    if (rows.length > 0) return;
    const reason = `its session (pid ${this.pid}) no longer holds it in pg_locks (the session was terminated or its connection cut)`;
    this.#markLost(reason, undefined);
    // An `error` event may have come first, with the server's own reason.
    throw this.#lostError(this.#lost?.reason ?? reason, this.#lost?.cause);
  }

  /** Unlocks and closes the lock's session. Safe to call twice; never throws. */
  release(): Promise<void> {
    this.#released ??= this.#release();
    return this.#released;
  }

  async #release(): Promise<void> {
    try {
      if (this.#lost === undefined)
        await this.#client.query("SELECT pg_advisory_unlock($1::int4, $2::int4)", [...this.keys]);
    } catch {
      // Closing the session below releases the lock anyway.
    } finally {
      await this.#client.end().catch(() => undefined);
    }
  }

  /** Records the first reason the lock was lost; an end after `release()` is not a loss. */
  #markLost(reason: string, cause: unknown): void {
    if (this.#released !== undefined || this.#lost !== undefined) return;
    this.#lost = { reason: maskSecrets(reason, this.#secrets), cause };
  }

  #lostError(reason: string, cause: unknown): LockLostError {
    return new LockLostError(
      `The migration lock on database "${this.database}" (advisory lock ${this.keys[0]}, ${this.keys[1]} for "${this.key}") was lost: ${reason}. ` +
        "Another process may be migrating this database; nothing more is run or committed. " +
        "Check the database with 'retort current' and run the command again.",
      cause === undefined ? undefined : { cause },
    );
  }
}

/**
 * The sessions holding the advisory lock `keys` in the current database,
 * from `pg_locks` joined with `pg_stat_activity` (columns other than the
 * pid are NULL for other users' sessions without `pg_read_all_stats`).
 *
 * ```ts
 * const holders = await findLockHolders(client, lockKeys("app", "public.alembic_version"));
 * holders.map(describeLockHolder); // ['pid 4242 (application "retort", ...)']
 * ```
 */
export async function findLockHolders(client: pg.Client, keys: readonly [number, number]): Promise<LockHolder[]> {
  const { rows } = await client.query<{
    pid: number;
    application_name: string | null;
    client_addr: string | null;
    client_port: number | null;
    usename: string | null;
    backend_start: Date | null;
    state: string | null;
  }>(
    `SELECT l.pid, a.application_name, host(a.client_addr) AS client_addr, a.client_port, a.usename,
            a.backend_start, a.state
       FROM pg_catalog.pg_locks l
       LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
        AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
        AND l.classid = ($1::int4)::oid AND l.objid = ($2::int4)::oid
      ORDER BY l.pid`,
    [...keys],
  );
  return rows.map((row) => ({
    pid: row.pid,
    applicationName: row.application_name,
    clientAddress: row.client_addr,
    clientPort: row.client_port,
    user: row.usename,
    backendStart: row.backend_start,
    state: row.state,
  }));
}

/** `pid 4242 (application "retort", client 10.0.0.5:51234, user "app", connected since ..., state "idle")`. */
export function describeLockHolder(holder: LockHolder): string {
  const details: string[] = [];
  if (holder.applicationName !== null) details.push(`application "${holder.applicationName}"`);
  if (holder.clientAddress !== null) {
    details.push(`client ${holder.clientAddress}${holder.clientPort === null ? "" : `:${holder.clientPort}`}`);
  } else if (holder.backendStart !== null) {
    details.push("client on a local Unix socket");
  }
  if (holder.user !== null) details.push(`user "${holder.user}"`);
  if (holder.backendStart !== null) details.push(`connected since ${holder.backendStart.toISOString()}`);
  if (holder.state !== null) details.push(`state "${holder.state}"`);
  if (holder.backendStart === null && holder.state === null) {
    details.push("other details hidden: they need the pg_read_all_stats role");
  }
  return `pid ${holder.pid}${details.length === 0 ? "" : ` (${details.join(", ")})`}`;
}

async function timeoutError(
  client: pg.Client,
  options: PostgresLockOptions,
  database: string,
  key: string,
  keys: readonly [number, number],
  cause: unknown,
): Promise<LockTimeoutError> {
  let holders: LockHolder[] | undefined;
  try {
    holders = await findLockHolders(client, keys);
  } catch {
    holders = undefined;
  }
  const waited =
    options.timeoutMs > 0 ? `Timed out after ${options.timeoutMs} ms waiting for` : "Could not take (without waiting)";
  const lock = `the migration lock on database "${database}" (advisory lock ${keys[0]}, ${keys[1]} for "${key}")`;
  const holder = holders === undefined || holders.length === 0 ? undefined : holders.map(describeLockHolder).join("; ");
  let message: string;
  if (holders === undefined) {
    message = `${waited} ${lock}; the session holding it could not be looked up in pg_locks. `;
  } else if (holder === undefined) {
    message = `${waited} ${lock}; its holder released it just now. Run the command again. `;
  } else {
    message = `${waited} ${lock}: it is held by ${holder}. `;
  }
  message +=
    "Another Retort run is probably migrating this database: wait for it to finish and run the command again, " +
    "or raise lock.timeoutMs in the Retort config.";
  const first = holders?.[0];
  if (first !== undefined) {
    message += ` If that session is stuck or its process is gone, end it with: SELECT pg_terminate_backend(${first.pid});`;
  }
  return new LockTimeoutError(message, holder, cause === undefined ? undefined : { cause });
}

/** The wait for the lock was given up: the run was interrupted (core reports the interruption itself). */
class LockWaitAbortedError extends Error {
  constructor() {
    super("The wait for the migration lock was interrupted");
    this.name = "LockWaitAbortedError";
  }
}

/** Waits `ms`, or less when `signal` aborts meanwhile. */
function pauseUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
