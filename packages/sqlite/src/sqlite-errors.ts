import { ConnectionError, DatabaseError, UnsupportedOperationError } from "@retort/core/errors";

/**
 * An operation SQLite cannot do in place (a constraint change, a UNIQUE or
 * PRIMARY KEY column, a schema). Raised by the compiler before anything
 * reaches the database; the message names the way out, usually
 * `op.batchAlterTable`.
 */
export class SqliteUnsupportedOperationError extends UnsupportedOperationError {
  constructor(operation: string, message: string) {
    super(operation, message);
    this.name = "SqliteUnsupportedOperationError";
  }
}

/** The database file could not be opened: a missing folder, a file that is not SQLite, no permission. */
export class SqliteOpenError extends ConnectionError {
  /** The absolute path that was tried. */
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(path, message, options);
    this.name = "SqliteOpenError";
    this.path = path;
  }
}

/** better-sqlite3's error class carries SQLite's (extended) result code, e.g. `SQLITE_BUSY`. */
export function sqliteErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
}

/** True for SQLITE_BUSY and its extended codes: another connection holds a conflicting lock. */
export function isBusyError(error: unknown): boolean {
  return sqliteErrorCode(error)?.startsWith("SQLITE_BUSY") ?? false;
}

/**
 * Wraps a better-sqlite3 error in core's `DatabaseError`: the message is
 * SQLite's, prefixed with its result code (`SQLITE_ERROR: no such table:
 * x`), the statement is kept as `sql` and the original error as `cause`.
 * Parameters are never put in the message (they may hold secrets).
 */
export function toDatabaseError(error: unknown, sql: string): DatabaseError {
  const code = sqliteErrorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  return new DatabaseError(code === undefined ? text : `${code}: ${text}`, sql, { cause: error });
}
