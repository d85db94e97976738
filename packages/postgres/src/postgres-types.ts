import type { ColumnType, ServerDefault } from "@retort/core";
import { qualifiedName } from "./postgres-identifiers.js";

/**
 * PostgreSQL's name for a column type, as SQLAlchemy writes it on
 * PostgreSQL (https://www.postgresql.org/docs/current/datatype.html), so
 * that a database Retort created and one Alembic created look the same to
 * reflection and autogenerate. An enum is the native type named after it,
 * in the table's schema (see `PostgresTableCompiler.enumTypes`).
 *
 * ```ts
 * renderPostgresType(dateTime({ timezone: true })); // "TIMESTAMP WITH TIME ZONE"
 * renderPostgresType(enumType("mood", ["ok"]), "app"); // '"app"."mood"'
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
      return qualifiedName(type.name, schema);
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

/**
 * A server default: a string is quoted (as SQLAlchemy's
 * `server_default="x"` is), a number written as is, a boolean TRUE/FALSE,
 * and ``sql`...` `` verbatim (PostgreSQL takes any variable-free
 * expression after DEFAULT, without parentheses).
 */
export function renderServerDefault(value: ServerDefault, renderLiteral: (value: unknown) => string): string {
  return typeof value === "object" ? value.text : renderLiteral(value);
}

function positive(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${what} must be a positive integer; got ${value}`);
  return value;
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
