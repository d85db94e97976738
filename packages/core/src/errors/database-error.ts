import { RetortError } from "./retort-error.js";

/**
 * A statement the database refused. Keeps the driver's error as `cause` and
 * the SQL that failed; never a password (drivers mask URLs before building
 * messages).
 */
export class DatabaseError extends RetortError {
  readonly sql: string;

  constructor(message: string, sql: string, options?: { cause?: unknown }) {
    super("DATABASE", message, options);
    this.name = "DatabaseError";
    this.sql = sql;
  }
}

/** The migration lock could not be taken in time. */
export class LockTimeoutError extends RetortError {
  readonly holder: string | undefined;

  constructor(message: string, holder?: string) {
    super("LOCK_TIMEOUT", message);
    this.name = "LockTimeoutError";
    this.holder = holder;
  }
}
