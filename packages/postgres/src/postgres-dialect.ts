import type { CompiledStatement, Dialect, DialectCapabilities, Operation } from "@retort/core";
import { isSqlExpression } from "@retort/core";
import { PostgresDdlCompiler } from "./postgres-ddl-compiler.js";
import { quotePostgresIdentifier } from "./postgres-identifiers.js";
import { dateToIso, describe, isPlainObject } from "./postgres-values.js";

/**
 * What PostgreSQL can do, as core sees it.
 *
 * - `transactionalDdl`: DDL rolls back with the transaction (except the
 *   statements that refuse a transaction block, such as
 *   `CREATE INDEX CONCURRENTLY`: run those in `autocommitBlock`).
 * - `lockHeldByTransaction`: false. The migration lock is a session-level
 *   advisory lock on a connection of its own (see `PostgresLock`), held
 *   across commits.
 * - `alterInPlace`, `nativeEnum` (`CREATE TYPE ... AS ENUM`), `schemas`,
 *   `ifNotExists`: all true.
 */
export const postgresCapabilities: DialectCapabilities = Object.freeze({
  transactionalDdl: true,
  lockHeldByTransaction: false,
  alterInPlace: true,
  nativeEnum: true,
  schemas: true,
  ifNotExists: true,
  comments: true,
  indexMethods: true,
});

/**
 * PostgreSQL's syntax: identifier quoting, literals, `$1` placeholders and
 * the DDL compiler. Pure (no connection), so online runs and `--sql`
 * output share it.
 *
 * ```ts
 * const dialect = new PostgresDialect();
 * dialect.quoteIdentifier('my "table"'); // "my ""table"""
 * dialect.renderLiteral("it's");          // 'it''s'
 * dialect.placeholder(2);                 // $2
 * ```
 */
export class PostgresDialect implements Dialect {
  readonly name = "postgresql";
  readonly capabilities: DialectCapabilities = postgresCapabilities;
  readonly #compiler: PostgresDdlCompiler;

  constructor() {
    this.#compiler = new PostgresDdlCompiler(this);
  }

  /**
   * Always double-quotes, doubling embedded quotes; refuses names PostgreSQL
   * would truncate (over 63 bytes) or cannot store (NUL).
   */
  quoteIdentifier(name: string): string {
    return quotePostgresIdentifier(name);
  }

  /**
   * Renders a value as a PostgreSQL literal:
   * - strings in single quotes with `''` doubling; a string holding a
   *   backslash is written as an escape string `E'...'` with the backslash
   *   doubled, which reads the same whatever `standard_conforming_strings`
   *   says (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE);
   * - numbers and bigints as written, `NaN`/`Infinity` as `'NaN'`/`'Infinity'`;
   * - booleans `TRUE`/`FALSE`; `null`/`undefined` `NULL`;
   * - a Date as its ISO-8601 text in UTC;
   * - a Buffer/Uint8Array as `E'\\x…'::bytea` (hex format);
   * - arrays as `ARRAY[...]`, plain objects as their JSON text;
   * - ``sql`...` `` verbatim.
   */
  renderLiteral(value: unknown): string {
    if (value === null || value === undefined) return "NULL";
    switch (typeof value) {
      case "string":
        return quoteString(value);
      case "number":
        return renderNumber(value);
      case "bigint":
        return value.toString();
      case "boolean":
        return value ? "TRUE" : "FALSE";
      default:
        break;
    }
    if (value instanceof Date) return quoteString(dateToIso(value));
    if (value instanceof Uint8Array) {
      return `E'\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}'::bytea`;
    }
    if (isSqlExpression(value)) return value.text;
    if (Array.isArray(value)) {
      return value.length === 0 ? "'{}'" : `ARRAY[${value.map((item) => this.renderLiteral(item)).join(", ")}]`;
    }
    if (isPlainObject(value)) return quoteString(JSON.stringify(value));
    throw new TypeError(`Cannot render a ${describe(value)} as a PostgreSQL literal`);
  }

  /** PostgreSQL numbers its parameters: `$1`, `$2`, ... */
  placeholder(index: number): string {
    if (!Number.isInteger(index) || index < 1)
      throw new RangeError(`placeholder index must be 1 or more; got ${index}`);
    return `$${index}`;
  }

  compile(operation: Operation): CompiledStatement[] {
    return this.#compiler.compile(operation);
  }
}

function quoteString(text: string): string {
  if (text.includes("\u0000")) {
    throw new RangeError("PostgreSQL text cannot contain the NUL character (\\u0000)");
  }
  const doubled = text.replaceAll("'", "''");
  return text.includes("\\") ? `E'${doubled.replaceAll("\\", "\\\\")}'` : `'${doubled}'`;
}

function renderNumber(value: number): string {
  // Special float values are only accepted as quoted strings
  // (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT).
  if (Number.isNaN(value)) return "'NaN'";
  if (value === Number.POSITIVE_INFINITY) return "'Infinity'";
  if (value === Number.NEGATIVE_INFINITY) return "'-Infinity'";
  return String(value);
}
