import type { Connection, Dialect, ExecuteResult, LockHandle, LockOptions, QueryResult } from "@retort/core";
import { CommandError, DatabaseError } from "@retort/core/errors";
import type pg from "pg";
import {
  describeError,
  maskSecrets,
  sqlState,
  type StatementErrorContext,
  toDatabaseError,
} from "./postgres-errors.js";
import { describeLockHolder, findLockHolders, lockKeys, PostgresLock, sessionLockKey } from "./postgres-lock.js";
import type { PostgresConnectionConfig } from "./postgres-url.js";
import { toPostgresValue } from "./postgres-types.js";

/** SQLSTATE `in_failed_sql_transaction`: every statement after an error in a transaction block. */
const FAILED_TRANSACTION = "25P02";

/** Commands whose row count is rows changed (for SELECT, pg counts rows returned). */
const CHANGING_COMMANDS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

/** `execute`'s result: the rows the statements changed. */
function changedRows(results: pg.QueryResult[]): ExecuteResult {
  let rowCount = 0;
  for (const result of results) if (CHANGING_COMMANDS.has(result.command)) rowCount += result.rowCount ?? 0;
  return { rowCount };
}

/** `query`'s result: the last statement's rows. */
function lastRows(results: pg.QueryResult[]): QueryResult<Record<string, unknown>> {
  return { rows: results[results.length - 1]?.rows ?? [] };
}

const allResults = (results: pg.QueryResult[]): pg.QueryResult[] => results;
const ignoreResults = (): void => undefined;

/** What a connection needs besides its client. */
export interface PostgresConnectionOptions {
  readonly config: PostgresConnectionConfig;
  /**
   * Opens another session with the same settings: the migration lock takes
   * one of its own, and `cancel()` a short-lived one.
   */
  readonly open: () => Promise<pg.Client>;
  /**
   * The server process of this session (`pg_backend_pid()`), read at
   * connect; `cancel()` signals it. pg's `processID` (from the protocol's
   * BackendKeyData) otherwise, which a pooler may replace with its own.
   */
  readonly backendPid?: number;
}

/**
 * A Retort connection over one `pg.Client` (one server session: session
 * settings, transactions and `SET`s stay on it).
 *
 * Each `query`/`execute` call sends its text as one query. The compiler
 * gives one statement per call, so statements that must run alone and
 * outside a transaction block (`CREATE INDEX CONCURRENTLY`, in an
 * `autocommitBlock`) work. Text with several statements and no parameters
 * (`op.execute("...; ...")`) runs through the simple-query protocol, which
 * PostgreSQL runs as one implicit transaction
 * (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT).
 *
 * ```ts
 * const connection = await driver.connect(parseDatabaseUrl("postgresql://app@localhost/app"));
 * await connection.begin();
 * await connection.execute('INSERT INTO "t" ("a") VALUES ($1)', [1]);
 * await connection.commit();
 * ```
 */
export class PostgresConnection implements Connection {
  readonly dialect: Dialect;
  /** `host:port/database`, for messages. */
  readonly target: string;
  readonly #client: pg.Client;
  readonly #options: PostgresConnectionOptions;
  readonly #errorContext: StatementErrorContext;
  readonly #locks = new Set<PostgresLock>();
  #lost: Error | undefined;
  #closed: Promise<void> | undefined;
  /** Statements sent and not yet answered: `cancel()` does nothing when there are none. */
  #running = 0;

  constructor(client: pg.Client, dialect: Dialect, options: PostgresConnectionOptions) {
    this.#client = client;
    this.dialect = dialect;
    this.#options = options;
    this.target = options.config.target;
    this.#errorContext = { secrets: options.config.secrets, sessionTimeouts: options.config.sessionTimeouts };
    client.on("error", (error) => {
      this.#lost = error;
    });
  }

  /** The underlying pg client, for code that needs PostgreSQL-specific calls. */
  get client(): pg.Client {
    return this.#client;
  }

  /**
   * True while a transaction is open, including one PostgreSQL has marked
   * failed (it still needs a ROLLBACK). Read from the server's
   * ReadyForQuery status, so it stays right even when a migration runs
   * `COMMIT` itself.
   */
  get inTransaction(): boolean {
    if (this.#lost !== undefined || this.#closed !== undefined) return false;
    const status = this.#client.getTransactionStatus();
    return status === "T" || status === "E";
  }

  /** Runs SQL and returns its rows (the last statement's, for several statements). */
  query<Row = Record<string, unknown>>(sql: string, parameters: readonly unknown[] = []): Promise<QueryResult<Row>> {
    return this.#send(sql, parameters, lastRows as (results: pg.QueryResult[]) => QueryResult<Row>);
  }

  /** Runs SQL and returns the rows it changed (0 for statements that change none). */
  execute(sql: string, parameters: readonly unknown[] = []): Promise<ExecuteResult> {
    return this.#send(sql, parameters, changedRows);
  }

  async begin(): Promise<void> {
    if (this.inTransaction) {
      throw new CommandError("Cannot begin a transaction: one is already open on this connection", {
        code: "TRANSACTION_STATE",
      });
    }
    await this.#send("BEGIN", [], ignoreResults);
  }

  /**
   * Commits. PostgreSQL answers COMMIT in a failed transaction with a
   * silent ROLLBACK (https://www.postgresql.org/docs/current/sql-commit.html);
   * that is reported as an error here, never as a successful commit.
   */
  async commit(): Promise<void> {
    const failed = this.#client.getTransactionStatus() === "E";
    const results = await this.#send("COMMIT", [], allResults);
    if (failed || results[0]?.command === "ROLLBACK") {
      throw new DatabaseError(
        "COMMIT rolled the transaction back: a statement in it had failed earlier (SQLSTATE 25P02 for later statements). Nothing of the transaction was kept.",
        "COMMIT",
      );
    }
  }

  /** Rolls back the open transaction; does nothing when none is open. */
  async rollback(): Promise<void> {
    if (this.inTransaction) await this.#send("ROLLBACK", [], ignoreResults);
  }

  /**
   * True when the table exists. With a schema, in that schema; without one,
   * when the name as written resolves to a table through the search path
   * (`pg_table_is_visible`), which is where core's unqualified statements
   * on the version table will find it (SQLAlchemy's `has_table` does the
   * same). Names are compared exactly: Retort always quotes them.
   */
  async tableExists(name: string, schema?: string): Promise<boolean> {
    return (await this.relationKind(name, schema)) !== undefined;
  }

  /** `"table"` for tables (partitioned ones too), `"view"` for views, materialized and foreign tables. */
  async relationKind(name: string, schema?: string): Promise<"table" | "view" | undefined> {
    const query = this.dialect.relationKindQuery?.(name, schema);
    if (query === undefined) throw new Error(`dialect ${this.dialect.name} has no relationKindQuery`);
    const { sql, parameters } = query;
    const { rows } = await this.query<{ kind: "table" | "view" }>(sql, parameters);
    return rows[0]?.kind;
  }

  /**
   * Takes the migration lock on a session of its own (see `PostgresLock`):
   * a session-level advisory lock keyed on the database and `key` (an
   * unqualified version table with the schema it resolves to), waiting
   * at most `timeoutMs` (server-side `lock_timeout`), else
   * `LockTimeoutError` naming the holder.
   */
  async acquireLock(options: LockOptions): Promise<LockHandle> {
    const lock = await PostgresLock.acquire({
      open: this.#options.open,
      // verify() asks pg_locks here: the lock's own session may be the dead one.
      check: (sql, parameters) => this.query(sql, parameters),
      key: options.key,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      secrets: this.#options.config.secrets,
    });
    this.#locks.add(lock);
    return {
      release: async () => {
        this.#locks.delete(lock);
        await lock.release();
      },
      assertHeld: () => lock.assertHeld(),
      // The runner passes its statement sink's query, so the check is one of
      // the run's statements; without it, this connection's own query.
      verify: async (read) => {
        // In a failed transaction the server answers every query with 25P02,
        // and COMMIT rolls back anyway (commit() says so): nothing can be
        // committed without the lock, so only the local check runs, and the
        // real failure is the one reported.
        if (this.#client.getTransactionStatus() === "E") return lock.assertHeld();
        try {
          await lock.verify(read);
        } catch (error) {
          // The transaction status comes with the server's ReadyForQuery,
          // which can arrive after the failed statement's error was
          // delivered: the check's own 25P02 then tells the same.
          if (
            sqlState(error) === FAILED_TRANSACTION ||
            sqlState((error as { cause?: unknown }).cause) === FAILED_TRANSACTION
          ) {
            return lock.assertHeld();
          }
          throw error;
        }
      },
    };
  }

  /**
   * Who holds the migration lock `key`: the sessions `findLockHolders`
   * finds in `pg_locks` and `pg_stat_activity` (pid, application name,
   * client, user), asked on this session while the lock's own waits. An
   * unqualified `key` is resolved here as the lock's session resolves it
   * (both sessions are opened with the same settings).
   */
  async lockHolder(key: string): Promise<string | undefined> {
    const resolved = await sessionLockKey(this.#client, key);
    const holders = await findLockHolders(this.#client, lockKeys(resolved.database, resolved.key));
    return holders.length === 0 ? undefined : holders.map(describeLockHolder).join("; ");
  }

  /**
   * Cancels the statement running on this session, as `pg_cancel_backend`
   * from a short-lived session of its own (this one is busy): the statement
   * fails with SQLSTATE 57014 and gives up its locks with the rollback. Does
   * nothing when no statement runs. PostgreSQL ignores a cancel that
   * arrives between statements, so a race with the statement's end is
   * harmless.
   *
   * ```ts
   * process.once("SIGINT", () => void connection.cancel());
   * ```
   */
  async cancel(): Promise<void> {
    if (this.#running === 0 || this.#lost !== undefined || this.#closed !== undefined) return;
    // pg sets processID from BackendKeyData; @types/pg does not declare it.
    const pid = this.#options.backendPid ?? (this.#client as { processID?: number | null }).processID;
    if (pid === null || pid === undefined) return;
    const sql = "SELECT pg_cancel_backend($1::int4)";
    const canceller = await this.#options.open();
    try {
      await canceller.query(sql, [pid]);
    } catch (error) {
      throw toDatabaseError(error, sql, this.#errorContext);
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }

  /**
   * Closes the session (the server rolls back an open transaction) and
   * releases any lock taken through this connection. Closing twice is
   * harmless.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      const locks = [...this.#locks];
      this.#locks.clear();
      await Promise.all(locks.map((lock) => lock.release()));
      await this.#client.end().catch(() => undefined);
    })();
    return this.#closed;
  }

  /**
   * Sends one query, as `shape` gives back its results (one per statement
   * of the text). `query` and `execute` return this promise itself, not one
   * awaiting it: a migration's statement settles a turn of the microtask
   * queue sooner.
   */
  async #send<T>(sql: string, parameters: readonly unknown[], shape: (results: pg.QueryResult[]) => T): Promise<T> {
    if (this.#closed !== undefined) throw new DatabaseError("The PostgreSQL connection is closed", sql);
    if (this.#lost !== undefined) {
      const reason = maskSecrets(describeError(this.#lost), this.#options.config.secrets);
      throw new DatabaseError(
        `The connection to PostgreSQL at ${this.target} was lost (${reason}); nothing more can run on it. Run the command again.`,
        sql,
        { cause: this.#lost },
      );
    }
    let values: unknown[] | undefined;
    try {
      values = parameters.length === 0 ? undefined : parameters.map(toPostgresValue);
    } catch (error) {
      throw new DatabaseError(error instanceof Error ? error.message : String(error), sql, { cause: error });
    }
    this.#running++;
    try {
      const result = (await this.#client.query(sql, values)) as pg.QueryResult | pg.QueryResult[];
      return shape(Array.isArray(result) ? result : [result]);
    } catch (error) {
      throw toDatabaseError(error, sql, this.#errorContext);
    } finally {
      this.#running--;
    }
  }
}

/**
 * `SET lock_timeout` / `SET statement_timeout` for the migration session,
 * in milliseconds (https://www.postgresql.org/docs/current/runtime-config-client.html).
 * A `lock_timeout` keeps a DDL statement from queueing behind a long
 * transaction while blocking every query that arrives after it.
 */
export async function applySessionTimeouts(
  client: pg.Client,
  timeouts: { readonly lockTimeoutMs?: number; readonly statementTimeoutMs?: number },
): Promise<string | undefined> {
  const settings: string[] = [];
  if (timeouts.lockTimeoutMs !== undefined) settings.push(`SET lock_timeout = ${milliseconds(timeouts.lockTimeoutMs)}`);
  if (timeouts.statementTimeoutMs !== undefined) {
    settings.push(`SET statement_timeout = ${milliseconds(timeouts.statementTimeoutMs)}`);
  }
  if (settings.length === 0) return undefined;
  const sql = settings.join("; ");
  await client.query(sql);
  return sql;
}

function milliseconds(value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`a timeout must be 0 or more milliseconds; got ${value}`);
  return Math.round(value);
}
