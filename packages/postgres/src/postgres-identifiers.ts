import { createHash } from "node:crypto";
import { PostgresIdentifierError } from "./postgres-errors.js";

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
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new PostgresIdentifierError(
      name,
      `"${name}" is ${bytes} bytes long; PostgreSQL keeps at most ${MAX_IDENTIFIER_BYTES} and would silently truncate it ` +
        "(https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS). Choose a shorter name",
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`, or `"name"` without a schema. */
export function qualifiedName(name: string, schema: string | undefined): string {
  const quoted = quotePostgresIdentifier(name);
  return schema === undefined ? quoted : `${quotePostgresIdentifier(schema)}.${quoted}`;
}

/**
 * A table named in a reference: `"users"` or, written `"app.users"`, the
 * schema-qualified `"app"."users"` (as SQLAlchemy reads
 * `ForeignKey("app.users.id")`).
 */
export function referencedTableName(table: string): string {
  const dot = table.indexOf(".");
  if (dot <= 0 || dot === table.length - 1) return quotePostgresIdentifier(table);
  return qualifiedName(table.slice(dot + 1), table.slice(0, dot));
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
  if ([...name].length <= MAX_IDENTIFIER_BYTES) return name;
  const digest = createHash("md5").update(name, "utf8").digest("hex");
  return `${[...name].slice(0, MAX_IDENTIFIER_BYTES - 8).join("")}_${digest.slice(-4)}`;
}
