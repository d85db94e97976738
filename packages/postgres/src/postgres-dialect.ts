import type { ColumnType, CompiledStatement, DialectCapabilities } from "@retort/core";
import {
  type DdlCompilerBase,
  DialectBase,
  defineCapabilities,
  LiteralRenderer,
  shortenConventionName,
} from "@retort/core/dialect";
import { PostgresDdlCompiler } from "./postgres-ddl-compiler.js";
import { PostgresIdentifierError } from "./postgres-errors.js";
import { PostgresIntrospector } from "./postgres-introspector.js";
import { postgresStringLiteral } from "./postgres-string-literal.js";

/**
 * What PostgreSQL can do, as core sees it.
 *
 * - `transactionalDdl`: DDL rolls back with the transaction (except the
 *   statements that refuse a transaction block, such as
 *   `CREATE INDEX CONCURRENTLY`: run those in `autocommitBlock`).
 * - `lockHeldByTransaction`: false. The migration lock is a session-level
 *   advisory lock on a connection of its own (see `PostgresLock`), held
 *   across commits.
 * - `alterInPlace`, `nativeEnum` and `enumTypes` (`CREATE TYPE ... AS ENUM`), `schemas`,
 *   `ifNotExists`, `comments` (`COMMENT ON`), `indexMethods` (`USING gin`,
 *   `CONCURRENTLY`): all true.
 */
export const postgresCapabilities: DialectCapabilities = defineCapabilities({
  transactionalDdl: true,
  lockHeldByTransaction: false,
  alterInPlace: true,
  nativeEnum: true,
  enumTypes: true,
  schemas: true,
  ifNotExists: true,
  comments: true,
  indexMethods: true,
});

/**
 * PostgreSQL's syntax on the dialect base: identifier quoting that refuses
 * names the server would truncate, literals, `$1` placeholders and the DDL
 * compiler. Pure (no connection), so online runs and `--sql` output share
 * it. `onWarning` receives the compiler's deprecation warnings (the
 * driver passes the run's).
 *
 * ```ts
 * const dialect = new PostgresDialect();
 * dialect.quoteIdentifier('my "table"'); // "my ""table"""
 * dialect.renderLiteral("it's");          // 'it''s'
 * dialect.placeholder(2);                 // $2
 * ```
 */
export class PostgresDialect extends DialectBase {
  readonly name = "postgresql";
  readonly databaseName = "PostgreSQL";
  override readonly capabilities: DialectCapabilities = postgresCapabilities;
  readonly introspector = new PostgresIntrospector();
  /** PostgreSQL keeps 63 bytes of a name; SQLAlchemy shortens convention names past 63 characters. */
  readonly maxIdentifierLength = MAX_IDENTIFIER_BYTES;

  protected override createCompiler(): DdlCompilerBase {
    return new PostgresDdlCompiler(this);
  }

  protected override createLiteralRenderer(): LiteralRenderer {
    return new PostgresLiteralRenderer(this.databaseName);
  }

  /** The compiler's type text; an enum by its bare name, as autogenerate's messages give it. */
  override typeText(type: ColumnType): string {
    return type.kind === "enum" ? type.name : super.typeText(type);
  }

  /**
   * Always double-quotes, doubling embedded quotes; refuses names PostgreSQL
   * would truncate (over 63 bytes) or cannot store (NUL).
   */
  override quoteIdentifier(name: string): string {
    return quotePostgresIdentifier(name);
  }

  /**
   * `pg_class`: `table` for tables (partitioned ones too), `view` for views,
   * materialized views and foreign tables. Without a schema, the name as
   * written resolves through the search path (`pg_table_is_visible`), where
   * core's unqualified statements will find it (SQLAlchemy's `has_table`
   * does the same).
   */
  override relationKindQuery(name: string, schema?: string): CompiledStatement {
    const condition = schema === undefined ? "pg_catalog.pg_table_is_visible(c.oid)" : "n.nspname = $2";
    return {
      sql: `SELECT CASE WHEN c.relkind IN ('r', 'p') THEN 'table' ELSE 'view' END AS kind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${condition}`,
      parameters: schema === undefined ? [name] : [name, schema],
    };
  }

  /**
   * `pg_attribute`: a `varchar(n)`/`char(n)` column's `n` (its type modifier
   * less the 4-byte header, as `information_schema.columns` computes it),
   * null for `text` or an unbounded `varchar`. The table is found as
   * `relationKindQuery` finds it: through the search path without a schema.
   */
  override columnWidthQuery(table: string, column: string, schema?: string): CompiledStatement {
    const condition = schema === undefined ? "pg_catalog.pg_table_is_visible(c.oid)" : "n.nspname = $3";
    return {
      sql: `SELECT CASE WHEN a.atttypid IN ('pg_catalog.varchar'::regtype, 'pg_catalog.bpchar'::regtype) AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS width FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND ${condition}`,
      parameters: schema === undefined ? [table, column] : [table, column, schema],
    };
  }

  /** PostgreSQL numbers its parameters: `$1`, `$2`, ... */
  override placeholder(index: number): string {
    if (!Number.isInteger(index) || index < 1)
      throw new RangeError(`placeholder index must be 1 or more; got ${index}`);
    return `$${index}`;
  }
}

/**
 * PostgreSQL's literals:
 * - strings in single quotes with `''` doubling; a string holding a
 *   backslash is written as an escape string `E'...'` with the backslash
 *   doubled, which reads the same whatever `standard_conforming_strings`
 *   says (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE);
 * - `NaN`/`Infinity` as `'NaN'`/`'Infinity'`;
 * - a Buffer/Uint8Array as `E'\\x…'::bytea` (hex format);
 * - arrays as `ARRAY[...]` (`'{}'` when empty).
 */
class PostgresLiteralRenderer extends LiteralRenderer {
  protected override string(text: string): string {
    if (text.includes("\u0000")) {
      throw new RangeError("PostgreSQL text cannot contain the NUL character (\\u0000)");
    }
    return postgresStringLiteral(text);
  }

  protected override number(value: number): string {
    // Special float values are only accepted as quoted strings
    // (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT).
    if (Number.isNaN(value)) return "'NaN'";
    if (value === Number.POSITIVE_INFINITY) return "'Infinity'";
    if (value === Number.NEGATIVE_INFINITY) return "'-Infinity'";
    return String(value);
  }

  protected override bytes(value: Uint8Array): string {
    return `E'\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}'::bytea`;
  }

  protected override array(values: readonly unknown[]): string {
    return values.length === 0 ? "'{}'" : `ARRAY[${values.map((item) => this.render(item)).join(", ")}]`;
  }
}

/**
 * The longest identifier PostgreSQL keeps: NAMEDATALEN - 1 = 63 bytes.
 * Longer names are silently truncated by the server
 * (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS),
 * so two long names could collide; Retort refuses them instead.
 */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Double-quotes an identifier, doubling embedded quotes. Always quotes, so
 * names keep their case and reserved words work as names.
 *
 * ```ts
 * quotePostgresIdentifier('my "table"'); // "my ""table"""
 * ```
 *
 * @throws PostgresIdentifierError for an empty name, a NUL character, or
 *   more than 63 bytes (the server would truncate it).
 */
export function quotePostgresIdentifier(name: string): string {
  if (name.length === 0) throw new PostgresIdentifierError(name, "an identifier cannot be empty");
  if (name.includes("\u0000")) {
    throw new PostgresIdentifierError(name, "PostgreSQL identifiers cannot contain the NUL character");
  }
  // A UTF-16 unit is at most 3 bytes in UTF-8: a short name needs no count.
  const bytes = name.length * 3 <= MAX_IDENTIFIER_BYTES ? name.length : Buffer.byteLength(name, "utf8");
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new PostgresIdentifierError(
      name,
      `"${name}" is ${bytes} bytes long; PostgreSQL keeps at most ${MAX_IDENTIFIER_BYTES} and would silently truncate it ` +
        "(https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS). Choose a shorter name",
    );
  }
  return name.includes('"') ? `"${name.replaceAll('"', '""')}"` : `"${name}"`;
}

/** `"schema"."name"`, or `"name"` without a schema. */
export function qualifiedName(name: string, schema: string | undefined): string {
  const quoted = quotePostgresIdentifier(name);
  return schema === undefined ? quoted : `${quotePostgresIdentifier(schema)}.${quoted}`;
}

/**
 * Shortens a name Retort generated (such as `ix_<table>_<column>`) the way
 * SQLAlchemy shortens convention names, so that a database created by
 * Alembic and one created by Retort have the same index names: past 63
 * characters, the first 55 are kept, then `_` and the last 4 hex digits of
 * the name's MD5 (`SQLCompiler._truncate_and_render_maxlen_name`).
 *
 * ```ts
 * conventionName("ix_users_email"); // "ix_users_email" (short names are kept)
 * ```
 */
export function conventionName(name: string): string {
  return shortenConventionName(name, MAX_IDENTIFIER_BYTES);
}
