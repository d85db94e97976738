import { createRequire } from "node:module";

/**
 * A convention's name as SQLAlchemy writes it for a database whose names
 * are at most `maxLength` characters (`Dialect.maxIdentifierLength`;
 * `SQLCompiler._truncate_and_render_maxlen_name`): a longer one keeps its
 * first `maxLength - 8` characters, then `_` and the last 4 hex digits of
 * the MD5 of the whole name (UTF-8). Without a limit, or within it, the
 * name is kept. Only names a convention made are shortened: SQLAlchemy
 * never shortens a name given explicitly.
 *
 * ```ts
 * shortenConventionName("ix_customer_notification_settings_preferred_delivery_window_code", 63);
 * // "ix_customer_notification_settings_preferred_delivery_wi_d1bf"
 * ```
 */
export function shortenConventionName(name: string, maxLength: number | undefined): string {
  if (maxLength === undefined || name.length <= maxLength) return name;
  const characters = [...name];
  if (characters.length <= maxLength) return name;
  // Loaded here: `node:crypto` is only needed for a name past the limit.
  const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  const digest = createHash("md5").update(name, "utf8").digest("hex");
  return `${characters.slice(0, maxLength - 8).join("")}_${digest.slice(-4)}`;
}

/**
 * The name of the index `index: true` makes on a column, as SQLAlchemy's
 * default naming convention (`ix_%(column_0_label)s`) writes it:
 * `ix_<table>_<column>`, `ix_<schema>_<table>_<column>` for a table in a
 * schema (dots in the schema as `_`). Not shortened (see
 * `shortenConventionName`).
 */
export function defaultIndexName(table: string, schema: string | undefined, column: string): string {
  return schema === undefined ? `ix_${table}_${column}` : `ix_${schema.replaceAll(".", "_")}_${table}_${column}`;
}
