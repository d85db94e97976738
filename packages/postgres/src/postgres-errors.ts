import { ConnectionError, DatabaseError, RetortError, UnsupportedOperationError } from "@retort/core/errors";

/**
 * An operation PostgreSQL cannot do as asked (an option that contradicts
 * another, a type that cannot autoincrement). Raised by the compiler before
 * anything reaches the database; the message names the way out.
 */
export class PostgresUnsupportedOperationError extends UnsupportedOperationError {
  constructor(operation: string, message: string) {
    super(operation, message);
    this.name = "PostgresUnsupportedOperationError";
  }
}

/** A name PostgreSQL would not keep as written: empty, with a NUL, or longer than 63 bytes. */
export class PostgresIdentifierError extends RetortError {
  readonly identifier: string;

  constructor(identifier: string, message: string) {
    super("BAD_IDENTIFIER", message);
    this.name = "PostgresIdentifierError";
    this.identifier = identifier;
  }
}

/**
 * The server could not be reached, refused the login, or has no such
 * database. `target` is `host:port/database`; the message never holds a
 * password.
 */
export class PostgresConnectionError extends ConnectionError {
  /** PostgreSQL's SQLSTATE (`3D000`, `28P01`) or Node's error code (`ECONNREFUSED`), when there is one. */
  readonly reason: string | undefined;

  constructor(target: string, message: string, reason: string | undefined, options?: { cause?: unknown }) {
    super(target, message, options);
    this.name = "PostgresConnectionError";
    this.reason = reason;
  }
}

/** The fields of an error from the server, as pg's `DatabaseError` carries them. */
export interface ServerErrorFields {
  readonly message: string;
  /** SQLSTATE, e.g. `42P01` (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
  readonly code: string;
  readonly detail?: string | undefined;
  readonly hint?: string | undefined;
  /** 1-based character position in the statement, as text. */
  readonly position?: string | undefined;
}

/** The server's fields when `error` is an error PostgreSQL sent (it has a five-character SQLSTATE). */
export function serverError(error: unknown): ServerErrorFields | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const fields = error as { message?: unknown; code?: unknown; detail?: unknown; hint?: unknown; position?: unknown };
  if (typeof fields.code !== "string" || !/^[0-9A-Z]{5}$/.test(fields.code)) return undefined;
  return {
    message: typeof fields.message === "string" ? fields.message : String(error),
    code: fields.code,
    detail: typeof fields.detail === "string" ? fields.detail : undefined,
    hint: typeof fields.hint === "string" ? fields.hint : undefined,
    position: typeof fields.position === "string" ? fields.position : undefined,
  };
}

/** SQLSTATE of a server error, or undefined. */
export function sqlState(error: unknown): string | undefined {
  return serverError(error)?.code;
}

/**
 * PostgreSQL's message with its SQLSTATE, then DETAIL and HINT where the
 * server sent them: `relation "x" does not exist (42P01)`.
 */
export function describeServerError(fields: ServerErrorFields): string {
  let text = `${fields.message} (${fields.code})`;
  if (fields.position !== undefined) text += ` at character ${fields.position} of the statement`;
  if (fields.detail !== undefined) text += `. Detail: ${fields.detail}`;
  if (fields.hint !== undefined) text += `. Hint: ${fields.hint}`;
  return text;
}

/** A server error as `describeServerError` writes it, any other error by its message. */
export function describeError(error: unknown): string {
  const fields = serverError(error);
  if (fields !== undefined) return describeServerError(fields);
  return error instanceof Error ? error.message : String(error);
}

/** Context that makes a statement error actionable. */
export interface StatementErrorContext {
  /** Text that must never appear in a message (the password). */
  readonly secrets?: readonly string[];
  /** The session's `lock_timeout` / `statement_timeout`, to explain 55P03 and 57014. */
  readonly sessionTimeouts?: { readonly lockTimeoutMs?: number; readonly statementTimeoutMs?: number };
}

/**
 * Wraps an error from pg in core's `DatabaseError`: PostgreSQL's message,
 * SQLSTATE, detail and hint; the statement as `sql`; pg's error as `cause`.
 * Retort never puts parameter values in the message (PostgreSQL's own
 * text may quote a value, as a unique violation's DETAIL does).
 *
 * ```ts
 * toDatabaseError(pgError, "SELECT * FROM x").message; // 'relation "x" does not exist (42P01) at character 15 of the statement'
 * ```
 */
export function toDatabaseError(error: unknown, sql: string, context: StatementErrorContext = {}): DatabaseError {
  const fields = serverError(error);
  let message: string;
  if (fields === undefined) {
    const text = error instanceof Error ? error.message : String(error);
    message = /terminated|not queryable|ECONNRESET|EPIPE/i.test(text)
      ? `The connection to PostgreSQL was lost: ${text}`
      : text;
  } else {
    message = describeServerError(fields);
    const timeouts = context.sessionTimeouts;
    if (fields.code === "55P03" && timeouts?.lockTimeoutMs !== undefined) {
      message +=
        `. The statement waited longer than lock_timeout (sessionTimeouts.lockTimeoutMs = ${timeouts.lockTimeoutMs} ms) ` +
        "for a lock another session holds on the same object: run the command again when it is free, or raise sessionTimeouts.lockTimeoutMs";
    } else if (fields.code === "57014" && timeouts?.statementTimeoutMs !== undefined) {
      message += `. The statement ran longer than statement_timeout (sessionTimeouts.statementTimeoutMs = ${timeouts.statementTimeoutMs} ms): raise it for this migration`;
    } else {
      const wayOut = WAYS_OUT[fields.code];
      if (wayOut !== undefined) message += `. ${wayOut}`;
    }
  }
  return new DatabaseError(maskSecrets(message, context.secrets), sql, { cause: error });
}

/** The way out of server errors a migration run commonly meets, by SQLSTATE. */
const WAYS_OUT: Readonly<Record<string, string>> = {
  // insufficient_privilege: PostgreSQL 15 no longer lets every user create in the public schema.
  "42501":
    "The database user lacks a privilege this statement needs (PostgreSQL 15 and later no longer let every user " +
    "create tables in the public schema): GRANT it to the user Retort connects as (e.g. GRANT CREATE ON SCHEMA " +
    "public TO <user>, or GRANT SELECT, INSERT, UPDATE, DELETE ON <table>), or connect as the owner",
  // in_failed_sql_transaction: an earlier statement failed and its error was caught.
  "25P02":
    "An earlier statement of this transaction failed, and its error was caught (a try/catch around an operation), " +
    "so PostgreSQL refuses every statement after it: let the error end the migration, or make the statement unable " +
    "to fail (IF NOT EXISTS, a check with op.getBind().query() first)",
};

/** Replaces every occurrence of a secret with `***` (drivers can echo connection details). */
export function maskSecrets(text: string, secrets: readonly string[] | undefined): string {
  let masked = text;
  for (const secret of secrets ?? []) {
    if (secret !== "") masked = masked.split(secret).join("***");
  }
  return masked;
}
