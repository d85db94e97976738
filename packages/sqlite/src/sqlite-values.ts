import type { ColumnType } from "@retort/core";
import { isSqlExpression } from "@retort/core";

/** What better-sqlite3 can bind: https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#binding-parameters */
export type SqliteValue = null | number | bigint | string | Buffer;

/**
 * Converts a JavaScript value to one better-sqlite3 can bind. SQLite has
 * five storage classes (https://sqlite.org/datatype3.html), so:
 * booleans become 1/0, a Date its ISO-8601 text in UTC, `undefined` NULL,
 * plain objects and arrays their JSON text, a Uint8Array a Buffer (BLOB).
 */
export function toSqliteValue(value: unknown): SqliteValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "bigint":
      return value;
    case "boolean":
      return value ? 1 : 0;
    default:
      break;
  }
  if (value instanceof Date) return dateToIso(value);
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (isSqlExpression(value)) {
    throw new TypeError("A sql`...` expression cannot be bound as a parameter: write it into the SQL text instead");
  }
  if (Array.isArray(value) || isPlainObject(value)) return JSON.stringify(value);
  throw new TypeError(`Cannot bind a ${describe(value)} as a SQLite parameter`);
}

/**
 * Converts a value for a column of a declared type, as SQLAlchemy's types do
 * on SQLite: booleans 1/0; a Date as `YYYY-MM-DD` for `date`, `HH:MM:SS.sss`
 * for `time` and full ISO-8601 (UTC) otherwise; any non-null value of a
 * `json`/`jsonb` column serialized with `JSON.stringify` (a string too, as
 * SQLAlchemy's JSON type does); a `uuid` as text.
 */
export function toColumnValue(value: unknown, type: ColumnType): SqliteValue {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "json":
    case "jsonb":
      return JSON.stringify(value);
    case "date":
      return value instanceof Date ? dateToIso(value).slice(0, 10) : toSqliteValue(value);
    case "time":
      return value instanceof Date ? dateToIso(value).slice(11, 23) : toSqliteValue(value);
    case "uuid":
      return typeof value === "string" ? value : String(value);
    default:
      return toSqliteValue(value);
  }
}

/** ISO-8601 in UTC (`2024-01-02T03:04:05.000Z`), which SQLite's date functions read. */
export function dateToIso(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new RangeError("Cannot use an invalid Date as a SQLite value");
  return value.toISOString();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A short name of a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value as object).constructor?.name ?? "object";
}
