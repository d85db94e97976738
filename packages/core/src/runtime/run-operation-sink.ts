import type { CompileOptions, LiveReadContext, QueryResult } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import type { OfflineNeed } from "../pipeline/offline-unavailable-error.js";
import type { CopyProgress, RunStatement, StatementSink } from "../pipeline/statement-sink.js";
import type { Operation } from "../operations/operation.js";
import type { OperationSink } from "../operations/operations.js";
import type { MigrationContext } from "./migration-context.js";
import { describeOperation, OperationTracker } from "./operation-tracker.js";
import { assertNoTransactionControl } from "./transaction-control.js";

const BIND_QUERY = {
  what: "op.getBind().query()",
  instead:
    "Skip the query when op.getContext().isOffline is true (and write the SQL it would lead to with op.execute), or run the command without --sql.",
};

/** The fields of a migration's context that come from the run (`-x` arguments, `--tag`). */
export type RunContextFields = Omit<MigrationContext, "dialect" | "autocommitBlock" | "isOffline">;

/** What the sink asks of the run around it. */
export interface SinkHooks {
  /** Throws when the run must not send another statement (lock lost, interrupted). */
  beforeStatement(): void | Promise<void>;
  /** Confirms the run may commit (not interrupted, lock still held), before an autocommit block commits. */
  beforeCommit(): Promise<void>;
  afterCommit(): void;
  /** Keeps the lock across an autocommit block where the lock is the transaction (`Connection.keepLockAcrossCommit`). */
  keepLockAcrossCommit?(): () => void;
  /** Receives the progress of a long copy (a SQLite batch rebuild in chunks). */
  onProgress?(progress: CopyProgress): void;
  /** Receives a dialect's warnings (a batch CAST that changes values). */
  onWarning?(message: string): void;
}

/**
 * Where one migration's `op.*` calls go: each operation is compiled by the
 * dialect and its statements sent, in order, to the run's statement sink
 * (a connection or a script). It keeps what the failure message needs (the
 * statement that failed, the statements that ran) and guards the run's
 * transaction: statements that would end it are refused, and one that
 * ended it anyway is caught at once.
 */
export class RunOperationSink implements OperationSink {
  /** The statement that failed; none when the failure came from elsewhere. */
  failedStatement: string | undefined;
  /**
   * Where the migration called the operation that failed: an error made at
   * the call, whose stack reaches the migration's line (the database's own
   * error is raised later, from a stack that does not).
   */
  failedCallSite: Error | undefined;
  readonly executed: string[] = [];
  /**
   * How many of `executed`, from the first, a commit has made permanent:
   * those before an autocommit block and in it, and on a database without
   * transactional DDL, every statement up to the last one after which the
   * server said no transaction was open (MySQL commits before and after
   * most DDL by itself). What a rollback undoes is the rest.
   */
  committedCount = 0;
  /**
   * The failed statement ended the transaction by committing it (MySQL
   * commits before a DDL statement, even one that fails): nothing of this
   * migration was rolled back, and part of the failed text may have run.
   */
  failureCommitted = false;
  /** Whether an autocommit block committed part of this migration. */
  autocommitted = false;
  readonly #statements: StatementSink;
  readonly #hooks: SinkHooks;
  readonly #tracker = new OperationTracker();
  #inAutocommitBlock = false;
  /** Whether the last statement `#track` ran left no transaction open: it committed, by itself or outside one. */
  #leftNoTransaction = false;
  #closed = false;
  readonly #contextFields: RunContextFields;
  #context: MigrationContext | undefined;
  /**
   * What a compile is given: the run's warning handler, else stderr. The
   * same `warn` for every migration of a run, so the dialect's filter of
   * repeated warnings is made once.
   */
  readonly #compileOptions: CompileOptions;
  readonly #warn: (message: string) => void;

  constructor(statements: StatementSink, context: RunContextFields, hooks: SinkHooks) {
    this.#statements = statements;
    this.#hooks = hooks;
    this.#contextFields = context;
    this.#warn = hooks.onWarning ?? warnOnStderr;
    this.#compileOptions = { warn: this.#warn };
  }

  /** What `op.getContext()` returns; made on first use (most migrations never ask). */
  get context(): MigrationContext {
    if (this.#context !== undefined) return this.#context;
    const dialect = this.#statements.dialect;
    const fields = this.#contextFields;
    this.#context = {
      ...fields,
      // A copy: what one migration does to its `xArgs` does not reach the next.
      xArgs: { ...fields.xArgs },
      dialect: {
        name: dialect.name,
        capabilities: dialect.capabilities,
        renderLiteral: (value) => dialect.renderLiteral(value),
        quoteIdentifier: (name) => dialect.quoteIdentifier(name),
      },
      isOffline: this.#statements.offline,
      autocommitBlock: (fn) => this.#autocommitBlock(fn),
    };
    return this.#context;
  }

  run(operation: Operation): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new CommandError(
          `${describeOperation(operation)} was called after its migration had finished (a missing 'await'); it was not run.`,
          { code: "OPERATION_NOT_AWAITED" },
        ),
      );
    }
    // Few frames: see CALL_SITE_FRAMES. Here, not in a helper, which would take a frame itself.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = CALL_SITE_FRAMES;
    const callSite = new Error("called here");
    Error.stackTraceLimit = limit;
    return this.#tracker.track(() => describeOperation(operation), this.#send(operation, callSite));
  }

  track(description: string, work: Promise<void>): Promise<void> {
    return this.#tracker.track(description, work);
  }

  async query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<QueryResult<Row>> {
    if (!this.#inAutocommitBlock) assertNoTransactionControl(sql, BIND_QUERY.what);
    const statement = { sql, parameters: parameters ?? [] };
    const result = await this.#track(sql, () => this.#statements.query<Row>(statement, BIND_QUERY));
    // A statement of the migration like any other: it may have been a DDL statement that committed.
    this.#ran(sql);
    return result;
  }

  /**
   * Called when the migration's function returned: waits for operations it
   * did not await and fails naming them; later calls are refused.
   * `undefined` when every operation was awaited (nothing to wait for).
   */
  finish(): Promise<void> | undefined {
    const settling = this.#tracker.settle();
    if (settling === undefined) {
      this.#closed = true;
      return undefined;
    }
    return settling.finally(() => {
      this.#closed = true;
    });
  }

  /**
   * Compiles `operation` and sends its statements, one after the other. A
   * failure keeps `callSite`. Each statement is awaited here, not through
   * `#track` (whose steps it takes): a turn of the microtask queue less
   * between a statement settling and the next one, for every migration.
   */
  async #send(operation: Operation, callSite: Error): Promise<void> {
    try {
      // `await` only where there is a promise: each costs a turn of the microtask queue.
      const compiled = this.#compile(operation);
      const statements = compiled instanceof Promise ? await compiled : compiled;
      for (const statement of statements) {
        const before = this.#beforeTracked();
        const inTransaction = typeof before === "boolean" ? before : await before;
        try {
          await this.#statements.execute(statement);
        } catch (error) {
          throw this.#trackedFailure(statement.sql, inTransaction, error);
        }
        const begun = this.#afterTracked(statement.sql, inTransaction);
        if (begun !== undefined) await begun;
        this.#ran(statement.sql);
        if (statement.progress !== undefined) this.#hooks.onProgress?.(statement.progress);
      }
    } catch (error) {
      this.failedCallSite ??= callSite;
      throw error;
    }
  }

  /** The statements of `operation`: its dialect's compile, after the reads the dialect asks for. */
  #compile(operation: Operation): readonly RunStatement[] | Promise<readonly RunStatement[]> {
    if (operation.kind === "execute" && !this.#inAutocommitBlock) assertNoTransactionControl(operation.sql);
    const dialect = this.#statements.dialect;
    // The common case: no reads before the compile.
    if (operation.kind !== "batchAlterTable" && dialect.checkOperation === undefined) {
      return dialect.compile(operation, this.#compileOptions);
    }
    return this.#compileAfterReads(operation);
  }

  async #compileAfterReads(operation: Operation): Promise<readonly RunStatement[]> {
    const dialect = this.#statements.dialect;
    const context = this.#readContext(operation);
    if (dialect.checkOperation !== undefined) await dialect.checkOperation(operation, context);
    // A batch the dialect cannot ALTER is rebuilt (SQLite's move and copy):
    // compiled after reading the table, its statements sent like any other.
    // One it can ALTER is its steps, each compiled as the plain operation.
    if (operation.kind === "batchAlterTable" && dialect.requiresRecreate?.(operation) === false) {
      return operation.steps.flatMap((step) => dialect.compile(step, this.#compileOptions));
    }
    if (operation.kind === "batchAlterTable" && dialect.requiresRecreate !== undefined && dialect.compileRebuild) {
      return dialect.compileRebuild(operation, context);
    }
    return dialect.compile(operation, this.#compileOptions);
  }

  /** Reads for a dialect's compiler, through the statement sink: offline they fail saying what to pass instead. */
  #readContext(operation: Operation): LiveReadContext {
    const dialect = this.#statements.dialect;
    // Said only when a read is refused (offline): built on the first read.
    const offlineNeed = (): OfflineNeed =>
      operation.kind === "batchAlterTable"
        ? {
            what: `Batch mode with dialect ${dialect.name} (reflecting table "${operation.table}" to rebuild it)`,
            instead:
              'To generate a batch SQL migration script using table "move and copy", pass the complete table definition as the copyFrom option of op.batchAlterTable() ' +
              `(op.batchAlterTable("${operation.table}", { copyFrom: table("${operation.table}", ...) }, ...)), so that table reflection can be skipped.`,
          }
        : { what: `${describeOperation(operation)} on ${dialect.name}`, instead: "Run the command without --sql." };
    let need: OfflineNeed | undefined;
    return {
      offline: this.#statements.offline,
      read: async <Row>(sql: string, parameters?: readonly unknown[]) => {
        const statement = { sql, parameters: parameters ?? [] };
        need ??= offlineNeed();
        const reason = need;
        return (await this.#track(sql, () => this.#statements.query<Row>(statement, reason))).rows;
      },
      warn: this.#warn,
      progress: this.#hooks.onProgress !== undefined,
    };
  }

  /** Records a statement of the migration that ran, and what of the migration it committed. */
  #ran(sql: string): void {
    this.executed.push(sql);
    if (this.#leftNoTransaction) this.committedCount = this.executed.length;
  }

  /** Runs one statement of the migration (`run` sends it) between the checks every statement gets. */
  async #track<T>(sql: string, run: () => Promise<T>): Promise<T> {
    const before = this.#beforeTracked();
    const inTransaction = typeof before === "boolean" ? before : await before;
    let result: T;
    try {
      result = await run();
    } catch (error) {
      throw this.#trackedFailure(sql, inTransaction, error);
    }
    const begun = this.#afterTracked(sql, inTransaction);
    if (begun !== undefined) await begun;
    return result;
  }

  /**
   * Before a statement: the run's turn (it may refuse the statement), then
   * whether a transaction is open. No promise when the run takes no turn.
   */
  #beforeTracked(): boolean | Promise<boolean> {
    const turn = this.#hooks.beforeStatement();
    if (turn !== undefined) return turn.then(() => this.#statements.inTransaction);
    return this.#statements.inTransaction;
  }

  /** What a failed statement leaves to know: the statement, and whether its failure committed. */
  #trackedFailure(sql: string, inTransaction: boolean, error: unknown): unknown {
    this.failedStatement = sql;
    if (inTransaction && (error as { transactionEnded?: unknown } | null)?.transactionEnded === "committed") {
      this.failureCommitted = true;
      this.committedCount = this.executed.length;
    }
    return error;
  }

  /**
   * After a statement: whether it ended the run's transaction. Throws where
   * that is a failure (transactional DDL); a new transaction's `BEGIN`
   * where the database commits DDL by itself.
   */
  #afterTracked(sql: string, inTransaction: boolean): Promise<void> | undefined {
    this.#leftNoTransaction = !this.#statements.inTransaction;
    if (!inTransaction || this.#inAutocommitBlock || this.#statements.inTransaction) return undefined;
    if (this.#statements.dialect.capabilities.transactionalDdl) {
      this.failedStatement = sql;
      throw new TransactionEndedError(sql);
    }
    // Without transactional DDL (MySQL) a DDL statement commits by itself:
    // what follows, up to the version row, goes in a new transaction, so
    // the version row is still committed after the lock check.
    return this.#statements.begin();
  }

  async #autocommitBlock<T>(fn: () => Promise<T>): Promise<T> {
    const statements = this.#statements;
    if (!statements.inTransaction) {
      // No transaction to split (offline, or MySQL after a DDL statement's
      // implicit commit): the block's own COMMIT/BEGIN are still allowed.
      this.#inAutocommitBlock = true;
      try {
        return await fn();
      } finally {
        this.#inAutocommitBlock = false;
      }
    }
    // Committing here splits the run: what ran before is kept even if a
    // later migration fails. That is the price of statements that refuse
    // transactions (Alembic behaves the same way).
    await this.#hooks.beforeCommit();
    // Where the commit releases the lock (SQLite), another run could take
    // it before this migration's version row is written, and run the
    // migration again: the lock is kept across the block.
    const giveBack = this.#hooks.keepLockAcrossCommit?.();
    try {
      await statements.commit();
    } catch (error) {
      giveBack?.();
      throw error;
    }
    this.#hooks.afterCommit();
    this.committedCount = this.executed.length;
    this.autocommitted = true;
    this.#inAutocommitBlock = true;
    try {
      return await fn();
    } finally {
      this.#inAutocommitBlock = false;
      try {
        await statements.begin();
      } finally {
        giveBack?.();
      }
    }
  }
}

/**
 * The run's transaction ended while a migration ran (a `COMMIT` or
 * `ROLLBACK` it sent some other way than `op.execute`). The runner turns
 * it into a failure saying what may be committed.
 */
export class TransactionEndedError extends CommandError {
  readonly statement: string | undefined;

  constructor(statement: string | undefined) {
    const by = statement === undefined ? "" : ` (by: ${statement.replace(/\s+/g, " ").slice(0, 120)})`;
    super(`the run's transaction was ended behind Retort's back${by}`, { code: "TRANSACTION_ENDED" });
    this.name = "TransactionEndedError";
    this.statement = statement;
  }
}

/**
 * Frames kept of an operation's call site: this sink's `run`, `invoke`,
 * the operation's method, then the migration's function, or up to two
 * helpers (in any file) that lead to the call before it. Each frame beyond
 * costs time on every operation: the run's frames below the migration are
 * async frames, which V8 collects by walking their promises; with the
 * usual 50, the capture took about a tenth of a migration's own time
 * between two statements on PostgreSQL.
 */
const CALL_SITE_FRAMES = 6;

/** A dialect's warning when the run has no handler for it. */
function warnOnStderr(message: string): void {
  process.stderr.write(`WARNING: ${message}\n`);
}
