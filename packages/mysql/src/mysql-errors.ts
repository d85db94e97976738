import { ConnectionError, DatabaseError, RetortError, UnsupportedOperationError } from "@retort/core/errors";
import { MARIADB_ERROR_NAMES } from "./mariadb-error-names.js";
import type { MysqlFlavor } from "./mysql-dialect.js";

/**
 * An operation MySQL or MariaDB cannot do as asked (a MODIFY without the
 * column's existing type, a partial index, a deferrable constraint). Raised
 * by the compiler before anything reaches the database; the message names
 * the way out.
 */
export class MysqlUnsupportedOperationError extends UnsupportedOperationError {
  constructor(operation: string, message: string) {
    super(operation, message);
    this.name = "MysqlUnsupportedOperationError";
  }
}

/** A name MySQL would not keep as written: empty, or longer than 64 characters. */
export class MysqlIdentifierError extends RetortError {
  readonly identifier: string;

  constructor(identifier: string, message: string) {
    super("BAD_IDENTIFIER", message);
    this.name = "MysqlIdentifierError";
    this.identifier = identifier;
  }
}

/**
 * The server could not be reached, refused the login, or has no such
 * database. `target` is `host:port/database`; the message never holds a
 * password.
 */
export class MysqlConnectionError extends ConnectionError {
  /** The server's error code (`ER_ACCESS_DENIED_ERROR`) or Node's (`ECONNREFUSED`), when there is one. */
  readonly reason: string | undefined;

  constructor(target: string, message: string, reason: string | undefined, options?: { cause?: unknown }) {
    super(target, message, options);
    this.name = "MysqlConnectionError";
    this.reason = reason;
  }
}

/** The fields of an error the server sent, as mysql2 carries them. */
export interface ServerErrorFields {
  /**
   * The error's symbolic name, e.g. `ER_NO_SUCH_TABLE`: mysql2's, except for
   * MariaDB's own numbers (see `serverError`).
   */
  readonly code: string;
  /** The server's error number, e.g. 1146. */
  readonly errno: number;
  readonly sqlState: string | undefined;
  readonly message: string;
}

/** Where MariaDB's error numbers stop meaning what MySQL's mean (see `serverError`). */
const MARIADB_OWN_ERRORS = 1900;

/**
 * The server's fields when `error` is an error MySQL/MariaDB sent (it has
 * an `errno` and a `sqlMessage`). mysql2 names every number by MySQL's
 * list; from 1900 on MariaDB's numbers mean other things (its 4025 is
 * `ER_CONSTRAINT_FAILED`, MySQL's `ER_INNODB_AUTOEXTEND_SIZE_OUT_OF_RANGE`),
 * so on a MariaDB server (`flavor`) those are named by MariaDB's list, or
 * `MariaDB error` for a number it does not have.
 */
export function serverError(error: unknown, flavor?: MysqlFlavor): ServerErrorFields | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const fields = error as { code?: unknown; errno?: unknown; sqlState?: unknown; sqlMessage?: unknown };
  if (typeof fields.errno !== "number" || typeof fields.sqlMessage !== "string") return undefined;
  const mariadbOwn = flavor === "mariadb" && fields.errno >= MARIADB_OWN_ERRORS;
  return {
    code: mariadbOwn
      ? (MARIADB_ERROR_NAMES[fields.errno] ?? "MariaDB error")
      : typeof fields.code === "string"
        ? fields.code
        : String(fields.errno),
    errno: fields.errno,
    sqlState: typeof fields.sqlState === "string" ? fields.sqlState : undefined,
    message: fields.sqlMessage,
  };
}

/**
 * `ER_NO_SUCH_TABLE (1146): Table 'app.x' doesn't exist`, or any other
 * error's message. `flavor` is the server's, when known (see `serverError`).
 */
export function describeError(error: unknown, flavor?: MysqlFlavor): string {
  const fields = serverError(error, flavor);
  if (fields !== undefined) return `${fields.code} (${fields.errno}): ${fields.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Node's codes of a connection that died under a statement. */
const LOST = /PROTOCOL_CONNECTION_LOST|ECONNRESET|EPIPE|closed state|Connection lost/i;

/**
 * Wraps an error from mysql2 in core's `DatabaseError`: the server's code,
 * number and message; the statement as `sql`; mysql2's error as `cause`.
 * Parameter values never go into the message, and the password is masked.
 *
 * ```ts
 * toDatabaseError(error, "SELECT * FROM x").message; // "ER_NO_SUCH_TABLE (1146): Table 'app.x' doesn't exist"
 * ```
 *
 * `flavor` is the server's, when known: MariaDB's own error numbers are
 * named by MariaDB's list (see `serverError`).
 */
export function toDatabaseError(
  error: unknown,
  sql: string,
  secrets: readonly string[] = [],
  transactionEnded?: "committed" | "rolledBack",
  flavor?: MysqlFlavor,
): DatabaseError {
  let message = describeError(error, flavor);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (serverError(error) === undefined && (LOST.test(message) || (typeof code === "string" && LOST.test(code)))) {
    message =
      `The connection to the MySQL server was lost: ${message}` +
      " (the server also closes it on a statement larger than its max_allowed_packet)";
  }
  const hint = WAYS_OUT[serverError(error)?.errno ?? -1];
  if (hint !== undefined) message += `. ${hint}`;
  return new DatabaseError(maskSecrets(message, secrets), sql, { cause: error, transactionEnded });
}

/** The way out of server errors a migration commonly meets, by error number. */
const WAYS_OUT: Readonly<Record<number, string>> = {
  // ER_DROP_INDEX_FK: InnoDB keeps an index for every foreign key, and the
  // one it made for the key is dropped when another index can serve it.
  1553:
    "MySQL keeps an index on a foreign key's columns: drop the foreign key first " +
    '(op.dropConstraint(name, table, { type: "foreignkey" })), or drop the table, whose indexes go with it',
};

/** Replaces every occurrence of a secret with `***` (drivers can echo connection details). */
export function maskSecrets(text: string, secrets: readonly string[] | undefined): string {
  let masked = text;
  for (const secret of secrets ?? []) {
    if (secret !== "") masked = masked.split(secret).join("***");
  }
  return masked;
}
