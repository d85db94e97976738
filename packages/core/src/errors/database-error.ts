import { RetortError } from "./retort-error.js";

/**
 * A statement the database refused. Keeps the driver's error as `cause` and
 * the SQL that failed; never a password (drivers mask URLs before building
 * messages).
 */
export class DatabaseError extends RetortError {
  readonly sql: string;
  /**
   * What became of the open transaction when the statement failed, where
   * the driver knows it ended: `committed` (MySQL commits before a DDL
   * statement, even one that then fails) or `rolledBack` (a deadlock).
   * Undefined when it is still open, or none was.
   */
  readonly transactionEnded: "committed" | "rolledBack" | undefined;

  constructor(
    message: string,
    sql: string,
    options?: { cause?: unknown; transactionEnded?: "committed" | "rolledBack" | undefined },
  ) {
    super("DATABASE", message, options);
    this.name = "DatabaseError";
    this.sql = sql;
    this.transactionEnded = options?.transactionEnded;
  }
}

/** The migration lock could not be taken in time. */
export class LockTimeoutError extends RetortError {
  /** Who holds it, where the database can tell (pid, application, client address). */
  readonly holder: string | undefined;

  constructor(message: string, holder?: string, options?: { cause?: unknown }) {
    super("LOCK_TIMEOUT", message, options);
    this.name = "LockTimeoutError";
    this.holder = holder;
  }
}

/**
 * The migration lock was lost while the run held it (its session was
 * terminated or cut off). The run stops before its next statement and never
 * commits: another process may already hold the lock.
 */
export class LockLostError extends RetortError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("LOCK_LOST", message, options);
    this.name = "LockLostError";
  }
}

/**
 * An operation the database cannot do (in place). Raised by a dialect's
 * compiler before anything reaches the database; the message names the way
 * out (batch mode on SQLite, a dialect check in the migration, ...).
 */
export class UnsupportedOperationError extends RetortError {
  /** The operation's `kind`, e.g. `addColumn`. */
  readonly operation: string;

  constructor(operation: string, message: string) {
    super("UNSUPPORTED_OPERATION", message);
    this.name = "UnsupportedOperationError";
    this.operation = operation;
  }
}

/** The database could not be reached or opened. The message names the host or file, never a password. */
export class ConnectionError extends RetortError {
  /** The file path, or `host:port/database`. */
  readonly target: string;

  constructor(target: string, message: string, options?: { cause?: unknown }) {
    super("CONNECTION", message, options);
    this.name = "ConnectionError";
    this.target = target;
  }
}
