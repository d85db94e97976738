import type { Connection, Dialect, ExecuteResult, LockHandle, LockOptions, QueryResult } from "@retort/core";
import { parameterMismatch } from "@retort/core/dialect";
import { CommandError, DatabaseError, ParameterMismatchError } from "@retort/core/errors";
import type mysql from "mysql2/promise";
import type { MysqlFlavor } from "./mysql-dialect.js";
import { describeError, maskSecrets, serverError, toDatabaseError } from "./mysql-errors.js";
import { describeLockHolder, findLockHolder, killQuery, lockName, MysqlLock } from "./mysql-lock.js";
import { queryWithParameters, SERVER_STATUS_NO_BACKSLASH_ESCAPES } from "./mysql-parameters.js";
import { toMysqlValue } from "./mysql-types.js";
import type { MysqlConnectionConfig } from "./mysql-url.js";

/** The server-status bit "a transaction is open" (SERVER_STATUS_IN_TRANS). */
const SERVER_STATUS_IN_TRANS = 0x0001;
/** Errors after which InnoDB has rolled the whole transaction back, not just the statement. */
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;

/** What a connection needs besides its session. */
export interface MysqlConnectionOptions {
  readonly config: MysqlConnectionConfig;
  /** Opens another session with the same settings: the migration lock takes one of its own. */
  readonly open: () => Promise<mysql.Connection>;
  /** The session's sql_mode holds NO_BACKSLASH_ESCAPES when it connected (see `queryWithParameters`). */
  readonly noBackslashEscapes?: boolean;
}

/**
 * A Retort connection over one mysql2 session (transactions and session
 * variables stay on it).
 *
 * MySQL commits implicitly before and after every DDL statement
 * (https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html), so
 * `inTransaction` is read from the server's status flag after each
 * statement: it turns false when a DDL statement ended the transaction.
 * Statements go through mysql2's `query` (parameters escaped into the
 * text), which runs any statement, DDL included; several statements in one
 * `op.execute` text are allowed. Those values are written for the
 * session's sql_mode as the server last reported it (a migration may `SET
 * sql_mode`): with NO_BACKSLASH_ESCAPES a backslash is kept as it is and a
 * quote doubled.
 */
export class MysqlConnection implements Connection {
  readonly dialect: Dialect;
  /** `host:port/database`, for messages. */
  readonly target: string;
  readonly #session: mysql.Connection;
  readonly #options: MysqlConnectionOptions;
  /** The server's kind (its dialect's), which names its errors (see `serverError`). */
  readonly #flavor: MysqlFlavor | undefined;
  readonly #locks = new Set<MysqlLock>();
  #inTransaction = false;
  /** Followed from the server's status flag after each statement, as `#inTransaction`. */
  #noBackslashEscapes: boolean;
  #lost: unknown;
  #closed: Promise<void> | undefined;
  /** Statements sent and not yet answered: `cancel()` does nothing when there are none. */
  #running = 0;

  constructor(session: mysql.Connection, dialect: Dialect, options: MysqlConnectionOptions) {
    this.#session = session;
    this.dialect = dialect;
    this.#options = options;
    this.#flavor = (dialect as { readonly flavor?: MysqlFlavor }).flavor;
    this.target = options.config.target;
    this.#noBackslashEscapes = options.noBackslashEscapes ?? false;
    session.on("error", (error: unknown) => {
      this.#lost = error;
    });
  }

  /** The underlying mysql2 connection. */
  get session(): mysql.Connection {
    return this.#session;
  }

  /** True between `begin()` and `commit()`/`rollback()`, until a statement (DDL) ends the transaction itself. */
  get inTransaction(): boolean {
    return this.#inTransaction && this.#lost === undefined && this.#closed === undefined;
  }

  async query<Row = Record<string, unknown>>(
    sql: string,
    parameters: readonly unknown[] = [],
  ): Promise<QueryResult<Row>> {
    const result = await this.#send(sql, parameters);
    const results = Array.isArray(result) && isMulti(result) ? result : [result];
    for (let index = results.length - 1; index >= 0; index--) {
      const item = results[index];
      if (Array.isArray(item)) return { rows: item as Row[] };
    }
    return { rows: [] };
  }

  async execute(sql: string, parameters: readonly unknown[] = []): Promise<ExecuteResult> {
    const result = await this.#send(sql, parameters);
    const results = Array.isArray(result) && isMulti(result) ? result : [result];
    let rowCount = 0;
    for (const item of results) {
      if (!Array.isArray(item) && typeof (item as mysql.ResultSetHeader).affectedRows === "number") {
        rowCount += (item as mysql.ResultSetHeader).affectedRows;
      }
    }
    return { rowCount };
  }

  async begin(): Promise<void> {
    if (this.inTransaction) {
      throw new CommandError("Cannot begin a transaction: one is already open on this connection", {
        code: "TRANSACTION_STATE",
      });
    }
    await this.#send("START TRANSACTION", []);
    this.#inTransaction = true;
  }

  async commit(): Promise<void> {
    await this.#send("COMMIT", []);
    this.#inTransaction = false;
  }

  /** Rolls back the open transaction; does nothing when none is open. */
  async rollback(): Promise<void> {
    if (!this.inTransaction) return;
    try {
      await this.#send("ROLLBACK", []);
    } finally {
      this.#inTransaction = false;
    }
  }

  async tableExists(name: string, schema?: string): Promise<boolean> {
    const query = this.dialect.relationKindQuery?.(name, schema);
    if (query === undefined) throw new Error(`dialect ${this.dialect.name} has no relationKindQuery`);
    const { rows } = await this.query<{ kind: string }>(query.sql, query.parameters);
    return rows.length > 0;
  }

  /** Takes the migration lock with `GET_LOCK` on a session of its own (see `MysqlLock`). */
  async acquireLock(options: LockOptions): Promise<LockHandle> {
    const lock = await MysqlLock.acquire({
      open: this.#options.open,
      check: (sql, parameters) => this.query(sql, parameters),
      key: options.key,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      secrets: this.#options.config.secrets,
      flavor: this.#flavor,
    });
    this.#locks.add(lock);
    return {
      release: async () => {
        this.#locks.delete(lock);
        await lock.release();
      },
      assertHeld: () => lock.assertHeld(),
      verify: (read) => lock.verify(read),
    };
  }

  /**
   * Who holds the migration lock `key`: the session `IS_USED_LOCK()`
   * names, with its user and host where the process list shows them,
   * asked on this session while the lock's own waits.
   */
  async lockHolder(key: string): Promise<string | undefined> {
    const [rows] = await this.#session.query("SELECT DATABASE() AS db");
    const database = (rows as { db: string | null }[])[0]?.db ?? "";
    const holder = await findLockHolder(this.#session, lockName(database, key), this.#noBackslashEscapes);
    return holder === undefined ? undefined : maskSecrets(describeLockHolder(holder), this.#options.config.secrets);
  }

  /**
   * Cancels the statement running on this session, with `KILL QUERY` from a
   * short-lived session of its own (this one is busy): the statement stops
   * with error 1317 (`Query execution was interrupted`; a `SLEEP()` returns
   * early instead), and a transaction stays open for the rollback. Does
   * nothing when no statement runs. The server forgets a `KILL QUERY` that
   * arrives between statements when the next one starts, so a race with
   * the statement's end is harmless.
   *
   * ```ts
   * process.once("SIGINT", () => void connection.cancel());
   * ```
   */
  async cancel(): Promise<void> {
    if (this.#running === 0 || this.#lost !== undefined || this.#closed !== undefined) return;
    const threadId = this.#session.threadId;
    if (typeof threadId !== "number") return;
    try {
      await killQuery(this.#options.open, threadId);
    } catch (error) {
      throw toDatabaseError(error, `KILL QUERY ${threadId}`, this.#options.config.secrets, undefined, this.#flavor);
    }
  }

  /** Closes the session (the server rolls back an open transaction) and releases the locks taken through it. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      const locks = [...this.#locks];
      this.#locks.clear();
      await Promise.all(locks.map((lock) => lock.release()));
      await this.#session.end().catch(() => this.#session.destroy());
    })();
    return this.#closed;
  }

  async #send(sql: string, parameters: readonly unknown[]): Promise<unknown> {
    if (this.#closed !== undefined) throw new DatabaseError("The MySQL connection is closed", sql);
    if (this.#lost !== undefined) {
      const reason = maskSecrets(describeError(this.#lost, this.#flavor), this.#options.config.secrets);
      throw new DatabaseError(
        `The connection to MySQL at ${this.target} was lost (${reason}); nothing more can run on it. Run the command again.`,
        sql,
        { cause: this.#lost },
      );
    }
    if (parameters.length > 0) {
      // mysql2 would run the statement anyway, the values left over dropped: refused as --sql refuses it.
      const binding = { mysqlSyntax: true, backslashEscapes: !this.#noBackslashEscapes };
      const problem = parameterMismatch(sql, parameters, this.dialect, binding);
      if (problem !== undefined) throw new ParameterMismatchError(problem, this.dialect.name, { online: true });
    }
    let values: unknown[];
    try {
      values = parameters.map(toMysqlValue);
    } catch (error) {
      throw new DatabaseError(error instanceof Error ? error.message : String(error), sql, { cause: error });
    }
    this.#running++;
    try {
      const [result] = await queryWithParameters(this.#session, sql, values, this.#noBackslashEscapes);
      this.#readStatus(result);
      return result;
    } catch (error) {
      const transactionEnded = this.#inTransaction ? await this.#transactionEndedBy(error) : undefined;
      throw toDatabaseError(error, sql, this.#options.config.secrets, transactionEnded, this.#flavor);
    } finally {
      this.#running--;
    }
  }

  /**
   * Whether the statement that failed with `error` ended the open
   * transaction, as the server's status says after it (an error packet
   * carries none: `DO 0` asks). MySQL commits before a DDL statement even
   * when the statement then fails, and a deadlock (or a lock wait timeout
   * under innodb_rollback_on_timeout) rolls the whole transaction back;
   * any other failure leaves the transaction open. Undefined when it is
   * still open or the session cannot tell.
   */
  async #transactionEndedBy(error: unknown): Promise<"committed" | "rolledBack" | undefined> {
    if (this.#lost !== undefined) return undefined;
    try {
      const [result] = await this.#session.query("DO 0");
      this.#readStatus(result);
    } catch {
      return undefined;
    }
    if (this.#inTransaction) return undefined;
    const errno = serverError(error)?.errno;
    return errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT ? "rolledBack" : "committed";
  }

  /** Follows the server's "in transaction" flag from OK packets (a DDL statement commits implicitly). */
  #readStatus(result: unknown): void {
    const results = Array.isArray(result) && isMulti(result) ? result : [result];
    const last = results[results.length - 1] as { serverStatus?: unknown } | undefined;
    if (last !== undefined && !Array.isArray(last) && typeof last.serverStatus === "number") {
      this.#inTransaction = (last.serverStatus & SERVER_STATUS_IN_TRANS) !== 0;
      this.#noBackslashEscapes = (last.serverStatus & SERVER_STATUS_NO_BACKSLASH_ESCAPES) !== 0;
    }
  }
}

/**
 * True when mysql2 returned the results of several statements (an array of
 * results, each an array of rows or a ResultSetHeader) rather than one
 * statement's rows (plain objects).
 */
function isMulti(result: readonly unknown[]): boolean {
  return result.length > 0 && result.every((item) => Array.isArray(item) || isHeader(item));
}

function isHeader(item: unknown): boolean {
  return typeof item === "object" && item !== null && item.constructor?.name === "ResultSetHeader";
}
