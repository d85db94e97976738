import type { ColumnType } from "@retort/core";
import { isSqlExpression } from "@retort/core";

/**
 * Converts a parameter before pg sends it. pg already turns booleans into
 * `true`/`false`, Buffers into bytea, arrays into PostgreSQL arrays and
 * plain objects into JSON (https://node-postgres.com/features/queries#parameterized-query);
 * two values are converted here instead:
 * - a `Date` becomes its ISO-8601 text in UTC, whatever the process's time
 *   zone (pg would send local time, which a `timestamp without time zone`
 *   column keeps as local wall-clock time);
 * - `undefined` becomes NULL.
 * A ``sql`...` `` expression is refused: it must be written into the SQL text.
 *
 * ```ts
 * toPostgresValue(new Date("2024-01-02T03:04:05Z")); // "2024-01-02T03:04:05.000Z"
 * ```
 */
export function toPostgresValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return dateToIso(value);
  if (isSqlExpression(value)) {
    throw new TypeError("A sql`...` expression cannot be bound as a parameter: write it into the SQL text instead");
  }
  return value;
}

/**
 * Converts a value for a column of a declared type (`bulkInsert` with a
 * `table(...)`), as SQLAlchemy's types do on PostgreSQL:
 * - `json`/`jsonb`: any non-null value serialized with `JSON.stringify`
 *   (a string too, as SQLAlchemy's JSON type does; an array must not become
 *   a PostgreSQL array);
 * - `date`: a Date as `YYYY-MM-DD` (UTC); `time`: `HH:MM:SS.sss` (UTC, with
 *   `+00` for `time with time zone`); `dateTime`: full ISO-8601 in UTC;
 * - `boolean`: JavaScript booleans as they are, 0/1 as false/true;
 * - `uuid`, `enum`, `string`, `text`: as text;
 * - `binary`: a Uint8Array as a Buffer (bytea).
 *
 * ```ts
 * toColumnValue([1, 2], jsonb());                         // "[1,2]"
 * toColumnValue(new Date("2024-01-02T03:04:05Z"), date()); // "2024-01-02"
 * ```
 */
export function toColumnValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "json":
    case "jsonb":
      return JSON.stringify(value);
    case "date":
      return value instanceof Date ? dateToIso(value).slice(0, 10) : toPostgresValue(value);
    case "time":
      if (!(value instanceof Date)) return toPostgresValue(value);
      return `${dateToIso(value).slice(11, 23)}${type.timezone ? "+00" : ""}`;
    case "boolean":
      return value === 0 || value === 1 ? value === 1 : toPostgresValue(value);
    case "uuid":
    case "enum":
    case "string":
    case "text":
      return typeof value === "string" ? value : String(toPostgresValue(value));
    case "binary":
      return value instanceof Uint8Array && !Buffer.isBuffer(value)
        ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
        : toPostgresValue(value);
    case "bigInteger":
      return typeof value === "bigint" ? value.toString() : toPostgresValue(value);
    default:
      return toPostgresValue(value);
  }
}

/** ISO-8601 in UTC: `2024-01-02T03:04:05.000Z`. */
export function dateToIso(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new RangeError("Cannot use an invalid Date as a PostgreSQL value");
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
