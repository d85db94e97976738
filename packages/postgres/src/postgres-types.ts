import type { ColumnType } from "@retort/core";
import { enumSchemaOf, isWrittenSqlExpression } from "@retort/core/dialect";
import { dateToIso } from "@retort/core/dialect";
import { qualifiedName } from "./postgres-dialect.js";

/**
 * PostgreSQL's name for a column type, as SQLAlchemy writes it on
 * PostgreSQL (https://www.postgresql.org/docs/current/datatype.html), so
 * that a database Retort created and one Alembic created look the same to
 * reflection and autogenerate. An enum is the native type named after it,
 * in its own schema (`enumSchemaOf`: the default one unless it says; the
 * table's, `schema`, when it inherits it), created by
 * `PostgresDdlCompiler.createEnumType`.
 *
 * ```ts
 * renderPostgresType(dateTime({ timezone: true })); // "TIMESTAMP WITH TIME ZONE"
 * renderPostgresType(enumType("mood", ["ok"], { inheritSchema: true }), "app"); // '"app"."mood"'
 * ```
 */
export function renderPostgresType(type: ColumnType, schema?: string): string {
  switch (type.kind) {
    case "integer":
      return "INTEGER";
    case "bigInteger":
      return "BIGINT";
    case "smallInteger":
      return "SMALLINT";
    case "string":
      return type.length === undefined ? "VARCHAR" : `VARCHAR(${positive(type.length, "string length")})`;
    case "text":
      return "TEXT";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "dateTime":
      return type.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
    case "time":
      return type.timezone ? "TIME WITH TIME ZONE" : "TIME";
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
      // FLOAT(p) is REAL for p <= 24 and DOUBLE PRECISION for 25..53
      // (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT).
      return type.precision === undefined ? "FLOAT" : `FLOAT(${positive(type.precision, "float precision")})`;
    case "json":
      return "JSON";
    case "jsonb":
      return "JSONB";
    case "uuid":
      return "UUID";
    case "enum":
      return qualifiedName(type.name, enumSchemaOf(type, schema));
    case "binary":
      // BYTEA has no length; SQLAlchemy's LargeBinary(length) writes BYTEA too.
      return "BYTEA";
    case "custom":
      return type.sql;
    default:
      return assertNever(type);
  }
}

/**
 * The pseudo-type of an autoincrement column: SERIAL, BIGSERIAL or
 * SMALLSERIAL (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-SERIAL),
 * as SQLAlchemy writes an autoincrement integer primary key. Undefined for
 * a type that cannot autoincrement.
 *
 * ```ts
 * serialType(bigInteger()); // "BIGSERIAL"
 * ```
 */
export function serialType(type: ColumnType): string | undefined {
  switch (type.kind) {
    case "integer":
      return "SERIAL";
    case "bigInteger":
      return "BIGSERIAL";
    case "smallInteger":
      return "SMALLSERIAL";
    default:
      return undefined;
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
  if (value instanceof Date) return dateToIso(value, "PostgreSQL");
  if (isWrittenSqlExpression(value)) {
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
      return value instanceof Date ? dateToIso(value, "PostgreSQL").slice(0, 10) : toPostgresValue(value);
    case "time":
      if (!(value instanceof Date)) return toPostgresValue(value);
      return `${dateToIso(value, "PostgreSQL").slice(11, 23)}${type.timezone ? "+00" : ""}`;
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
