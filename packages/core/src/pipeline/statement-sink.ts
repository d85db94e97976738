import type { Dialect, ExecuteResult, QueryResult } from "../driver/driver.js";
import type { CompiledStatement } from "../operations/operation.js";
import type { OfflineNeed } from "./offline-unavailable-error.js";

/** A statement of a run, with what it must do to count as done. */
export interface RunStatement extends CompiledStatement {
  /**
   * Online, the statement must change exactly `count` rows, else
   * `mismatch(found)` is thrown (Alembic's row-count check on version rows).
   * A script cannot check; it writes the statement as it is.
   */
  readonly expectRows?: { readonly count: number; readonly mismatch: (found: number) => Error };
  /**
   * Online, the error to throw when the statement fails, made from the
   * database's (a batch rebuild names the step and the table). A script
   * writes the statement as it is.
   */
  readonly failure?: (error: unknown) => Error;
  /**
   * The statement copies rows of a long copy (a SQLite batch rebuild in
   * chunks): once it has run, `copied` of `total` rows of `table` are done.
   * The run reports it to its reporter (`RunReporter.copyProgress`).
   */
  readonly progress?: CopyProgress;
}

/** How far a long copy is, after one of its statements. */
export interface CopyProgress {
  readonly table: string;
  readonly copied: number;
  readonly total: number;
}

/**
 * Where every statement of a run goes: the one path from core's plan to a
 * database or a script, as every statement of Alembic passes through
 * `impl._exec`. Operations, bulk inserts, version-table DDL and rows, batch
 * rebuilds and transaction control all pass here, in order; nothing else
 * talks to the connection during a run.
 *
 * Two sinks: `ConnectionStatementSink` runs each statement on a live
 * connection; `ScriptStatementSink` writes it to an offline (`--sql`)
 * script, values rendered as escaped literals.
 */
export interface StatementSink {
  readonly dialect: Dialect;
  /** True when writing a script: nothing can be read back. */
  readonly offline: boolean;
  /**
   * True when statements run on this thread (SQLite through
   * better-sqlite3, and a script offline): the event loop does not turn
   * until each is done. False when they are sent to a server and awaited.
   */
  readonly blocking: boolean;
  execute(statement: RunStatement): Promise<ExecuteResult>;
  /**
   * Reads rows. Offline there is nothing to read: it throws an
   * `OfflineUnavailableError` saying that `need` requires a live database.
   */
  query<Row = Record<string, unknown>>(statement: CompiledStatement, need: OfflineNeed): Promise<QueryResult<Row>>;
  /** What `name` is (`"table"`, `"view"`), or `undefined` when nothing has that name; online only. */
  relationKind(name: string, schema: string | undefined, need: OfflineNeed): Promise<"table" | "view" | undefined>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Whether a transaction is open (the server's word online, the script's state offline). */
  readonly inTransaction: boolean;
  /** A comment in the script (`-- Running upgrade a -> b`); nothing online. */
  comment(text: string): void;
}
