import type { ColumnType } from "@retort/core";
import { isWrittenSqlExpression } from "@retort/core/dialect";
import { dateToIso, isPlainObject } from "@retort/core/dialect";

/**
 * MySQL's name for a column type, as SQLAlchemy writes it on MySQL and
 * MariaDB (https://dev.mysql.com/doc/refman/8.0/en/data-types.html):
 * booleans are `TINYINT(1)` (what `BOOL` means there), a UUID `CHAR(36)`,
 * an enum the column's own `ENUM('a', 'b')` (MySQL has no named enum
 * types), JSON `JSON` (on MariaDB an alias of LONGTEXT with a JSON check).
 * `VARCHAR` needs a length on MySQL, as SQLAlchemy says too.
 *
 * ```ts
 * renderMysqlType(boolean());                 // "TINYINT(1)"
 * renderMysqlType(enumType("mood", ["ok"]), q); // "ENUM('ok')"
 * ```
 */
export function renderMysqlType(type: ColumnType, literal: (value: string) => string): string {
  switch (type.kind) {
    case "integer":
      return "INTEGER";
    case "bigInteger":
      return "BIGINT";
    case "smallInteger":
      return "SMALLINT";
    case "string":
      if (type.length === undefined) {
        throw new TypeError(
          "string() needs a length on MySQL: VARCHAR requires one (https://dev.mysql.com/doc/refman/8.0/en/char.html). " +
            "Use string(255), or text() for text without a limit",
        );
      }
      return `VARCHAR(${positive(type.length, "string length")})`;
    case "text":
      return "TEXT";
    case "boolean":
      return "TINYINT(1)";
    case "date":
      return "DATE";
    case "dateTime":
      // MySQL's DATETIME has no time zone; SQLAlchemy writes DATETIME for DateTime(timezone=True) too.
      return "DATETIME";
    case "time":
      return "TIME";
    case "numeric":
      if (type.precision === undefined) {
        if (type.scale !== undefined) {
          throw new TypeError(`numeric(precision, scale): a scale (${type.scale}) needs a precision`);
        }
        return "NUMERIC";
      }
      return type.scale === undefined
        ? `NUMERIC(${positive(type.precision, "numeric precision")})`
        : `NUMERIC(${positive(type.precision, "numeric precision")}, ${type.scale})`;
    case "float":
      return type.precision === undefined ? "FLOAT" : `FLOAT(${positive(type.precision, "float precision")})`;
    case "json":
    case "jsonb":
      return "JSON";
    case "uuid":
      return "CHAR(36)";
    case "enum":
      if (type.values.length === 0) throw new TypeError(`enumType("${type.name}") needs at least one value`);
      return `ENUM(${type.values.map(literal).join(", ")})`;
    case "binary":
      return type.length === undefined ? "BLOB" : `BLOB(${positive(type.length, "binary length")})`;
    case "custom":
      return type.sql;
    default:
      return assertNever(type);
  }
}

function positive(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${what} must be a positive integer; got ${value}`);
  return value;
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

/**
 * A Date as MySQL's DATETIME text in UTC, `YYYY-MM-DD HH:MM:SS.fff`
 * (MySQL refuses ISO-8601's `T` and `Z` in strict mode).
 */
export function mysqlDateTime(value: Date): string {
  return dateToIso(value, "MySQL").slice(0, 23).replace("T", " ");
}

/**
 * Converts a parameter before mysql2 sends it (the connection uses
 * mysql2's `query`, which writes parameters into the text escaped):
 * - a `Date` becomes DATETIME text in UTC;
 * - arrays and plain objects become JSON text (mysql2 would write a list or
 *   `key = value` pairs);
 * - a Uint8Array becomes a Buffer, a bigint its decimal text;
 * - `undefined` becomes NULL.
 * A ``sql`...` `` expression is refused: it must be written into the SQL text.
 */
export function toMysqlValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return mysqlDateTime(value);
  if (typeof value === "bigint") return value.toString();
  if (isWrittenSqlExpression(value)) {
    throw new TypeError("A sql`...` expression cannot be bound as a parameter: write it into the SQL text instead");
  }
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value) || isPlainObject(value)) return JSON.stringify(value);
  return value;
}

/**
 * Converts a value for a column of a declared type (`bulkInsert` with a
 * `table(...)`), as SQLAlchemy's types do on MySQL:
 * - `json`: any non-null value as JSON text (a string too);
 * - `boolean`: 1/0;
 * - `date`: `YYYY-MM-DD`, `time`: `HH:MM:SS.fff`, `dateTime`: DATETIME text, all UTC;
 * - `uuid`, `enum`, `string`, `text`: as text.
 */
export function toColumnValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "json":
    case "jsonb":
      return JSON.stringify(value);
    case "boolean":
      return typeof value === "boolean" ? (value ? 1 : 0) : toMysqlValue(value);
    case "date":
      return value instanceof Date ? mysqlDateTime(value).slice(0, 10) : toMysqlValue(value);
    case "time":
      return value instanceof Date ? mysqlDateTime(value).slice(11) : toMysqlValue(value);
    case "uuid":
    case "enum":
    case "string":
    case "text":
      return typeof value === "string" ? value : String(toMysqlValue(value));
    default:
      return toMysqlValue(value);
  }
}
