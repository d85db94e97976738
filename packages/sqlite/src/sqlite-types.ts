import type { ColumnType, Dialect, ServerDefault } from "@retort/core";
import { isWrittenSqlExpression } from "@retort/core/dialect";
import { dateToIso, describeValue, isPlainObject } from "@retort/core/dialect";

/** The part of a dialect that renders SQL text: quoting and literals. */
export type SqliteQuoter = Pick<Dialect, "quoteIdentifier" | "renderLiteral">;

/**
 * SQLite's name for a column type. SQLite keeps the declared name and
 * derives a type affinity from it (https://sqlite.org/datatype3.html#determination_of_column_affinity),
 * so we write the names SQLAlchemy writes on SQLite: reflection and
 * autogenerate then see the same types Alembic users had.
 */
export function renderSqliteType(type: ColumnType): string {
  switch (type.kind) {
    case "integer":
      return "INTEGER";
    case "bigInteger":
      return "BIGINT";
    case "smallInteger":
      return "SMALLINT";
    case "string":
      return type.length === undefined ? "VARCHAR" : `VARCHAR(${type.length})`;
    case "text":
      return "TEXT";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "dateTime":
      // SQLite has no time-zone-aware type; the flag only matters elsewhere.
      return "DATETIME";
    case "time":
      return "TIME";
    case "numeric":
      if (type.precision === undefined) return "NUMERIC";
      return type.scale === undefined ? `NUMERIC(${type.precision})` : `NUMERIC(${type.precision}, ${type.scale})`;
    case "float":
      return "FLOAT";
    case "json":
    case "jsonb":
      return "JSON";
    case "uuid":
      return "VARCHAR(36)";
    case "enum":
      // No native enum: a VARCHAR wide enough for the longest value, plus a
      // CHECK constraint (see `enumCheckCondition`).
      if (type.values.length === 0) throw new TypeError(`enumType("${type.name}") needs at least one value`);
      return `VARCHAR(${Math.max(...type.values.map((value) => value.length))})`;
    case "binary":
      return "BLOB";
    case "custom":
      return type.sql;
    default:
      return assertNever(type);
  }
}

/** Integer types that SQLite stores as 64-bit integers, all of which can be the rowid. */
export function isIntegerType(type: ColumnType): boolean {
  return type.kind === "integer" || type.kind === "bigInteger" || type.kind === "smallInteger";
}

/** Keywords and literals SQLite accepts as a bare DEFAULT (https://sqlite.org/lang_createtable.html#the_default_clause). */
const bareDefault =
  /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|0x[0-9a-f]+|'(?:[^']|'')*'|x'(?:[0-9a-f]{2})*'|null|true|false|current_time|current_date|current_timestamp)$/i;

/** The values of the DEFAULT clause that are time-dependent, which ADD COLUMN refuses. */
const timeDefault = /^current_(?:time|date|timestamp)$/i;

/**
 * Renders a server default. A string is quoted (as SQLAlchemy's
 * `server_default="x"` is), a number written as is, a boolean as 1/0. Raw
 * ``sql`...` `` stays bare when it is a literal or keyword SQLite allows
 * there (`CURRENT_TIMESTAMP`, `-1`, `'x'`), and is put in parentheses
 * otherwise: SQLite only takes an expression DEFAULT in parentheses.
 */
export function renderServerDefault(value: ServerDefault, renderLiteral: (value: unknown) => string): string {
  // The dialect renders a sql`...` expression as its SQL (a portable function natively).
  if (typeof value !== "object") return renderLiteral(value);
  const text = renderLiteral(value).trim();
  return bareDefault.test(text) ? text : `(${text})`;
}

/**
 * True when ALTER TABLE ADD COLUMN accepts the default: it refuses
 * CURRENT_TIME/CURRENT_DATE/CURRENT_TIMESTAMP and any expression in
 * parentheses, even a constant one like `(1+1)`
 * (https://sqlite.org/lang_altertable.html#alter_table_add_column).
 */
export function isConstantDefault(value: ServerDefault): boolean {
  if (typeof value !== "object") return true;
  const text = value.text.trim();
  return bareDefault.test(text) && !timeDefault.test(text);
}

/** True when the default is NULL (no default at all counts as NULL too). */
export function isNullDefault(value: ServerDefault | undefined): boolean {
  return value === undefined || (typeof value === "object" && value.text.trim().toLowerCase() === "null");
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

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
  if (value instanceof Date) return dateToIso(value, "SQLite");
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (isWrittenSqlExpression(value)) {
    throw new TypeError("A sql`...` expression cannot be bound as a parameter: write it into the SQL text instead");
  }
  if (Array.isArray(value) || isPlainObject(value)) return JSON.stringify(value);
  throw new TypeError(`Cannot bind a ${describeValue(value)} as a SQLite parameter`);
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
      return value instanceof Date ? dateToIso(value, "SQLite").slice(0, 10) : toSqliteValue(value);
    case "time":
      return value instanceof Date ? dateToIso(value, "SQLite").slice(11, 23) : toSqliteValue(value);
    case "uuid":
      return typeof value === "string" ? value : String(value);
    default:
      return toSqliteValue(value);
  }
}
