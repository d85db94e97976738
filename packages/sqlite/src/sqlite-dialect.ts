import type { CompiledStatement, Dialect, DialectCapabilities, Operation } from "@retort/core";
import { isSqlExpression } from "@retort/core";
import { SqliteDdlCompiler } from "./sqlite-ddl-compiler.js";
import { dateToIso, describe, isPlainObject } from "./sqlite-values.js";

/**
 * What SQLite can do, as core sees it.
 *
 * - `transactionalDdl`: SQLite's DDL is transactional (a `CREATE TABLE` rolls
 *   back with the transaction); Retort runs migrations inside `BEGIN
 *   IMMEDIATE ... COMMIT`. (Alembic says `False` only because of pysqlite's
 *   old implicit-commit behaviour, not because of SQLite.)
 * - `lockHeldByTransaction`: SQLite has no advisory lock; the migration lock
 *   is the write lock that `BEGIN IMMEDIATE` takes, released by COMMIT.
 * - `alterInPlace`: false. SQLite's ALTER TABLE only renames and adds or
 *   drops columns (https://sqlite.org/lang_altertable.html); the rest goes
 *   through batch mode (move-and-copy).
 * - `schemas`: false. Attached databases are out of scope.
 */
export const sqliteCapabilities: DialectCapabilities = Object.freeze({
  transactionalDdl: true,
  lockHeldByTransaction: true,
  alterInPlace: false,
  nativeEnum: false,
  schemas: false,
  ifNotExists: true,
});

/**
 * SQLite's syntax: identifier quoting, literals, the `?` placeholder and the
 * DDL compiler. Pure (no connection), so online runs and `--sql` output
 * share it.
 *
 * ```ts
 * const dialect = new SqliteDialect();
 * dialect.quoteIdentifier('my "table"'); // "my ""table"""
 * dialect.renderLiteral("it's");          // 'it''s'
 * ```
 */
export class SqliteDialect implements Dialect {
  readonly name = "sqlite";
  readonly capabilities: DialectCapabilities = sqliteCapabilities;
  readonly #compiler: SqliteDdlCompiler;

  constructor() {
    this.#compiler = new SqliteDdlCompiler(this);
  }

  /**
   * Always double-quotes, doubling embedded quotes
   * (https://sqlite.org/lang_keywords.html). Never relies on SQLite's
   * fallback of reading an unknown "identifier" as a string
   * (https://sqlite.org/quirks.html#dblquote).
   */
  quoteIdentifier(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  /**
   * Renders a value as a SQLite literal: strings quoted with `''` escaping,
   * numbers and bigints as written, booleans as 1/0 (SQLite has no boolean
   * storage class), `null`/`undefined` as NULL, a Date as ISO-8601 text, a
   * Buffer/Uint8Array as a blob `X'..'`, arrays and plain objects as JSON
   * text, and ``sql`...` `` verbatim.
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
        return value ? "1" : "0";
      default:
        break;
    }
    if (value instanceof Date) return quoteString(dateToIso(value));
    if (value instanceof Uint8Array)
      return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex").toUpperCase()}'`;
    if (isSqlExpression(value)) return value.text;
    if (Array.isArray(value) || isPlainObject(value)) return quoteString(JSON.stringify(value));
    throw new TypeError(`Cannot render a ${describe(value)} as a SQLite literal`);
  }

  /** SQLite takes `?` for every positional parameter. */
  placeholder(_index: number): string {
    return "?";
  }

  compile(operation: Operation): CompiledStatement[] {
    return this.#compiler.compile(operation);
  }
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function renderNumber(value: number): string {
  if (Number.isNaN(value)) throw new RangeError("Cannot render NaN as a SQLite literal (SQLite stores NaN as NULL)");
  // SQLite reads an out-of-range real as infinity: https://sqlite.org/lang_expr.html#literal_values_constants_
  if (value === Number.POSITIVE_INFINITY) return "9e999";
  if (value === Number.NEGATIVE_INFINITY) return "-9e999";
  return String(value);
}
