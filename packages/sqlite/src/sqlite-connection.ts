import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import type { Connection, Dialect, ExecuteResult, LockHandle, LockOptions, QueryResult } from "@retort/core";
import { DatabaseError, LockTimeoutError } from "@retort/core/errors";
import { type ForeignKeyViolation, foreignKeyError } from "./batch/sqlite-batch-rebuild-checks.js";
import { isBusyError, toDatabaseError } from "./sqlite-errors.js";
import { SqliteLock, sqliteLockTimeoutError } from "./sqlite-lock.js";
import { type SqliteValue, toSqliteValue } from "./sqlite-types.js";

/** Prepared statements kept per connection; bulk inserts repeat the same text. */
const STATEMENT_CACHE_SIZE = 100;

/**
 * A Retort connection over one better-sqlite3 database handle.
 * better-sqlite3 is synchronous; the methods are async only to fit the
 * `Connection` interface, and each runs to completion before it returns.
 *
 * Parameters are converted for binding: booleans to 1/0, a Date to ISO text,
 * `undefined` to NULL, plain objects and arrays to JSON text.
 */
export class SqliteConnection implements Connection {
  readonly dialect: Dialect;
  /** better-sqlite3 runs each statement on this thread, to completion. */
  readonly blocking = true;
  /** The absolute path of the database file, or `:memory:`. */
  readonly filename: string;
  readonly #database: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  #busyTimeoutMs: number;
  readonly #timeoutFromUrl: boolean;
  /** True while `begin()` has turned enforced foreign keys off for the transaction. */
  #foreignKeysSuspended = false;
  /** What this connection wrote in the lock's marker file while it keeps the lock across a commit. */
  #ownMarker: string | undefined;
  /**
   * The driver's `onWarning` option. A batch rebuild's warnings (a CAST
   * that changes values) go through the run's `onWarning` instead: the
   * rebuild is compiled by the dialect, not run by the connection.
   */
  onWarning: ((message: string) => void) | undefined;

  constructor(
    database: Database.Database,
    dialect: Dialect,
    options: {
      filename: string;
      busyTimeoutMs: number;
      timeoutFromUrl?: boolean;
      onWarning?: ((message: string) => void) | undefined;
    },
  ) {
    this.#database = database;
    this.dialect = dialect;
    this.filename = options.filename;
    this.onWarning = options.onWarning;
    this.#busyTimeoutMs = options.busyTimeoutMs;
    this.#timeoutFromUrl = options.timeoutFromUrl ?? false;
  }

  /** The underlying better-sqlite3 handle, for code that needs SQLite-specific calls (batch mode). */
  get database(): Database.Database {
    return this.#database;
  }

  get inTransaction(): boolean {
    return this.#database.open && this.#database.inTransaction;
  }

  /** How long a statement waits for another connection's lock before SQLITE_BUSY, in milliseconds. */
  get busyTimeoutMs(): number {
    return this.#busyTimeoutMs;
  }

  /** Runs one statement and returns its rows (none for a statement that returns no data). */
  async query<Row = Record<string, unknown>>(
    sql: string,
    parameters: readonly unknown[] = [],
  ): Promise<QueryResult<Row>> {
    const statement = this.#prepare(sql, parameters, "query");
    if (statement === undefined) return { rows: [] };
    const values = bindValues(parameters);
    try {
      if (statement.reader) return { rows: statement.all(values) as Row[] };
      statement.run(values);
      return { rows: [] };
    } catch (error) {
      throw toDatabaseError(error, sql);
    }
  }

  /**
   * Runs SQL and returns how many rows it changed. Text with several
   * statements and no parameters (`op.execute("CREATE ...; INSERT ...")`)
   * runs as a script.
   */
  async execute(sql: string, parameters: readonly unknown[] = []): Promise<ExecuteResult> {
    const statement = this.#prepare(sql, parameters, "execute");
    if (statement === undefined) return this.#executeScript(sql);
    const values = bindValues(parameters);
    try {
      // run() also steps a statement that returns rows, and reports 0
      // changes for it unless it wrote (INSERT ... RETURNING).
      return { rowCount: statement.run(values).changes };
    } catch (error) {
      throw toDatabaseError(error, sql);
    }
  }

  /**
   * `BEGIN IMMEDIATE`: starts a write transaction and takes the database's
   * write lock now rather than at the first write, waiting up to the busy
   * timeout (https://sqlite.org/lang_transaction.html). Past it, throws
   * `LockTimeoutError`.
   *
   * When the connection enforces foreign keys (`?foreign_keys=on`), they are
   * turned off first and back on after COMMIT/ROLLBACK: a batch rebuild's
   * DROP TABLE would otherwise fire ON DELETE CASCADE in child tables, and
   * `PRAGMA foreign_keys` is a no-op inside a transaction
   * (https://sqlite.org/pragma.html#pragma_foreign_keys,
   * lang_altertable.html §7 steps 1 and 12). `commit()` runs
   * `PRAGMA foreign_key_check` instead. Inside a run, cascades therefore do
   * not fire: a migration that deletes parent rows must delete the children
   * too, or the commit fails naming them.
   */
  async begin(): Promise<void> {
    const sql = "BEGIN IMMEDIATE";
    if (!this.inTransaction && this.#database.pragma("foreign_keys", { simple: true }) === 1) {
      this.#run("PRAGMA foreign_keys = OFF");
      this.#foreignKeysSuspended = true;
    }
    try {
      await this.#beginImmediate();
    } catch (error) {
      this.#restoreForeignKeys();
      if (LockTimeoutError.isInstance(error)) throw error;
      if (isBusyError(error)) throw sqliteLockTimeoutError(this.filename, this.#busyTimeoutMs, error);
      throw toDatabaseError(error, sql);
    }
  }

  /**
   * Keeps the migration lock across an autocommit block's commit (see
   * `Connection.keepLockAcrossCommit`): the write transaction is the lock,
   * and the commit releases it before the migration's version row is
   * written. A marker file beside the database (`<file>-retort-lock`,
   * this process's pid and a token) stands for the lock meanwhile: another
   * connection's `begin()` that finds it, written by a live process, rolls
   * back and waits as for the lock itself. Called with the lock held, so a
   * file found there is a dead run's and is replaced. The function
   * returned removes it. An in-memory database has no other connection.
   */
  keepLockAcrossCommit(): () => void {
    const file = this.#markerFile;
    if (file === undefined) return () => undefined;
    // node:crypto (about 4 ms) is loaded here only: every SQLite command loads this module.
    const { randomUUID } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
    const token = `${process.pid} ${randomUUID()}`;
    writeFileSync(file, token, { mode: 0o600 });
    this.#ownMarker = token;
    return () => {
      if (this.#ownMarker !== token) return;
      this.#ownMarker = undefined;
      removeMarker(file, token);
    };
  }

  get #markerFile(): string | undefined {
    return this.filename === "" || this.filename === ":memory:" ? undefined : `${this.filename}-retort-lock`;
  }

  /** Another run that keeps the lock across a commit (its marker, from a live process), or `undefined`; a dead run's marker is removed. */
  #markerHolder(): { readonly pid: number; readonly file: string } | undefined {
    const file = this.#markerFile;
    if (file === undefined) return undefined;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
    if (text === this.#ownMarker) return undefined;
    const pid = Number(text.split(" ")[0]);
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) return { pid, file };
    removeMarker(file, text);
    return undefined;
  }

  /**
   * `BEGIN IMMEDIATE`, waiting up to the busy timeout without blocking the
   * event loop: SQLite's own busy handler sleeps inside the call
   * (https://sqlite.org/c3ref/busy_handler.html), which better-sqlite3 runs
   * synchronously, so nothing else (a signal handler, the
   * `Waiting for the migration lock` notice) could run meanwhile. Here each
   * try does not wait (`busy_timeout = 0`) and the pauses between tries
   * are timers. Throws the last SQLITE_BUSY once the timeout has passed.
   */
  async #beginImmediate(): Promise<void> {
    const timeoutMs = this.#busyTimeoutMs;
    const deadline = performance.now() + timeoutMs;
    let pause = 5;
    for (;;) {
      let holder: { readonly pid: number; readonly file: string } | undefined;
      try {
        this.#database.pragma("busy_timeout = 0");
        this.#database.exec("BEGIN IMMEDIATE");
        holder = this.#markerHolder();
        if (holder === undefined) return;
        // Another run keeps the lock across its autocommit block: wait for it as for the lock.
        this.#database.exec("ROLLBACK");
      } catch (error) {
        const remaining = deadline - performance.now();
        if (!isBusyError(error) || remaining <= 0) throw error;
      } finally {
        this.#database.pragma(`busy_timeout = ${timeoutMs}`);
      }
      const remaining = deadline - performance.now();
      if (holder !== undefined && remaining <= 0) throw markerTimeoutError(this.filename, timeoutMs, holder);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(pause, remaining))));
      pause = Math.min(pause * 2, 100);
    }
  }

  /**
   * SQLite cannot tell who holds its write lock (https://sqlite.org/lockingv3.html):
   * this names the file, which another connection is writing to.
   */
  async lockHolder(_key: string): Promise<string | undefined> {
    return `another connection to ${this.filename} (SQLite cannot tell which process)`;
  }

  /**
   * COMMIT. If `begin()` suspended foreign keys, `PRAGMA foreign_key_check`
   * runs first (lang_altertable.html §7 step 10): on a violation the
   * transaction is rolled back and the error names table, rowid and parent.
   */
  async commit(): Promise<void> {
    if (this.#foreignKeysSuspended && this.inTransaction) {
      const violations = this.#database.prepare("PRAGMA foreign_key_check").all() as ForeignKeyViolation[];
      if (violations.length > 0) {
        await this.rollback();
        const error = foreignKeyError(violations, "at commit");
        throw new DatabaseError(error.message, "PRAGMA foreign_key_check", { cause: error });
      }
    }
    try {
      this.#run("COMMIT");
    } finally {
      if (!this.inTransaction) this.#restoreForeignKeys();
    }
  }

  /**
   * Rolls back the open transaction. Does nothing when there is none: SQLite
   * rolls back by itself on some errors (https://sqlite.org/lang_transaction.html#response_to_errors_within_a_transaction),
   * and a second ROLLBACK would hide the first error behind "no transaction is active".
   */
  async rollback(): Promise<void> {
    try {
      if (this.inTransaction) this.#run("ROLLBACK");
    } finally {
      this.#restoreForeignKeys();
    }
  }

  /** True when the main database has a table of that name (names compare case-insensitively, as SQLite's do). */
  async tableExists(name: string, schema?: string): Promise<boolean> {
    return (await this.relationKind(name, schema)) === "table";
  }

  async relationKind(name: string, schema?: string): Promise<"table" | "view" | undefined> {
    const query = this.dialect.relationKindQuery?.(name, schema);
    if (query === undefined) throw new Error(`dialect ${this.dialect.name} has no relationKindQuery`);
    const { sql, parameters } = query;
    const { rows } = await this.query<{ kind: "table" | "view" }>(sql, parameters);
    return rows[0]?.kind;
  }

  /**
   * Sets the busy timeout to `timeoutMs` (unless the URL's `?timeout=` set
   * it) and returns a handle whose release does nothing: on SQLite the lock
   * is the write transaction that `begin()` takes (see `SqliteLock`).
   */
  async acquireLock(options: LockOptions): Promise<LockHandle> {
    if (!this.#timeoutFromUrl) this.setBusyTimeout(options.timeoutMs);
    return new SqliteLock(options.key);
  }

  /** Sets `PRAGMA busy_timeout` (https://sqlite.org/pragma.html#pragma_busy_timeout). */
  setBusyTimeout(timeoutMs: number): void {
    const milliseconds = Math.max(0, Math.round(timeoutMs));
    this.#run(`PRAGMA busy_timeout = ${milliseconds}`);
    this.#busyTimeoutMs = milliseconds;
  }

  /** Closes the database; an open transaction is rolled back by SQLite. Closing twice is harmless. */
  async close(): Promise<void> {
    this.#statements.clear();
    if (this.#database.open) this.#database.close();
  }

  /**
   * Prepares one statement (cached). Returns undefined for text with no
   * statement, and for several statements when `execute` has no parameters
   * (run as a script); refuses several statements otherwise.
   */
  #prepare(sql: string, parameters: readonly unknown[], method: "query" | "execute"): Database.Statement | undefined {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      // Move to the end: the map's order is the eviction order.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    let statement: Database.Statement;
    try {
      statement = this.#database.prepare(sql);
    } catch (error) {
      // better-sqlite3 refuses text with several statements (or none) in prepare().
      if (error instanceof RangeError && error.message.includes("contains no statements")) return undefined;
      if (error instanceof RangeError && error.message.includes("contains more than one statement")) {
        if (method === "execute" && parameters.length === 0) return undefined;
        const advice =
          method === "query"
            ? "query() runs one statement; run the others with execute()"
            : "SQL with bound parameters must be one statement; split it into several execute() calls";
        throw new DatabaseError(`${error.message}: ${advice}`, sql, { cause: error });
      }
      throw toDatabaseError(error, sql);
    }
    this.#statements.set(sql, statement);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#statements.keys().next();
      if (oldest.done !== true) this.#statements.delete(oldest.value);
    }
    return statement;
  }

  /** Several statements in one text, through `exec` (https://sqlite.org/c3ref/exec.html). */
  #executeScript(sql: string): ExecuteResult {
    try {
      const before = this.#totalChanges();
      this.#database.exec(sql);
      return { rowCount: this.#totalChanges() - before };
    } catch (error) {
      throw toDatabaseError(error, sql);
    }
  }

  #restoreForeignKeys(): void {
    if (!this.#foreignKeysSuspended || !this.#database.open) return;
    this.#foreignKeysSuspended = false;
    this.#run("PRAGMA foreign_keys = ON");
  }

  #totalChanges(): number {
    return this.#database.prepare("SELECT total_changes()").pluck().get() as number;
  }

  #run(sql: string): void {
    try {
      this.#database.exec(sql);
    } catch (error) {
      throw toDatabaseError(error, sql);
    }
  }
}

function bindValues(parameters: readonly unknown[]): SqliteValue[] {
  return parameters.map(toSqliteValue);
}

/** Removes the marker file if it still holds `text` (another run may have replaced it meanwhile). */
function removeMarker(file: string, text: string): void {
  try {
    if (readFileSync(file, "utf8") === text) rmSync(file, { force: true });
  } catch {
    // Gone already.
  }
}

/** Whether a process of that pid runs (one of another user's counts: signalling it is refused, not impossible). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** The lock timeout while another run keeps the lock across its autocommit block. */
function markerTimeoutError(
  filename: string,
  timeoutMs: number,
  holder: { pid: number; file: string },
): LockTimeoutError {
  return new LockTimeoutError(
    `Another Retort run (process ${holder.pid}) has held the migration lock on ${filename} for longer than ${timeoutMs} ms: ` +
      `it is running a migration's autocommitBlock, outside a transaction (${holder.file} says so). ` +
      "Wait for it to finish and run the command again, or raise lock.timeoutMs in the Retort config. " +
      `If process ${holder.pid} is not a Retort run, delete ${holder.file}.`,
    `process ${holder.pid}`,
  );
}
