import type { ColumnType } from "../schema/column-type.js";
import type { ServerDefault } from "../schema/table-elements.js";
import { withoutOuterParentheses } from "../dialect/sql-text.js";

import type { TypeKey } from "../introspection/reflected-schema.js";

export type { TypeKey };

/**
 * Parses SQL type text (`character varying(255)`, `NUMERIC(10, 2)`,
 * `timestamp(6) with time zone`) into a name and its arguments, lower-cased
 * with spaces collapsed. The dialect's synonyms are applied after, by its
 * introspector's `comparableType` (`int4` is `integer` on PostgreSQL); core
 * knows none.
 */
export function typeKeyFromText(text: string, comparable?: (key: TypeKey) => TypeKey): TypeKey {
  let normalized = text.trim().toLowerCase().replace(/\s+/g, " ").replace(/"/g, "");
  let args: string[] = [];
  const match = /^([^(]*)\(([^)]*)\)(.*)$/.exec(normalized);
  if (match) {
    args = (match[2] ?? "")
      .split(",")
      .map((arg) => arg.trim())
      .filter((arg) => arg !== "");
    normalized = `${(match[1] ?? "").trim()}${match[3] ?? ""}`.trim();
  }
  const key = { name: normalized, args };
  return comparable === undefined ? key : comparable(key);
}

/**
 * Standard SQL text for a core type: what messages show for a dialect that
 * renders no type text of its own (`Dialect.typeText`, which a `DialectBase`
 * dialect takes from its DDL compiler).
 */
export function standardTypeText(type: ColumnType): string {
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
      return type.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
    case "time":
      return type.timezone ? "TIME WITH TIME ZONE" : "TIME";
    case "numeric":
      if (type.precision === undefined) return "NUMERIC";
      return type.scale === undefined ? `NUMERIC(${type.precision})` : `NUMERIC(${type.precision}, ${type.scale})`;
    case "float":
      return type.precision === undefined ? "FLOAT" : `FLOAT(${type.precision})`;
    case "json":
      return "JSON";
    case "jsonb":
      return "JSONB";
    case "uuid":
      return "UUID";
    case "enum":
      return type.name;
    case "binary":
      return type.length === undefined ? "BLOB" : `VARBINARY(${type.length})`;
    case "custom":
      return type.sql;
    default: {
      const unreachable: never = type;
      throw new Error(`unknown column type ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Whether two types differ, Alembic's way: names after synonyms, and
 * arguments only when both sides give the same number of them.
 */
export function typesDiffer(declared: TypeKey, reflected: TypeKey): boolean {
  if (declared.name !== reflected.name) return true;
  if (declared.args.length !== reflected.args.length) return false;
  return declared.args.some((arg, index) => arg !== reflected.args[index]);
}

/** A server default as comparable text (a boolean as the dialect writes it): literals quoted, casts and outer parentheses removed, keywords lower-cased. */
export function defaultText(
  value: ServerDefault | null | undefined,
  renderLiteral: (value: unknown) => string,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return normalizeDefault(`'${value.replaceAll("'", "''")}'`);
  if (typeof value === "number") return String(value);
  // The dialect's own literal: `true` on PostgreSQL, `1` on SQLite.
  if (typeof value === "boolean") return normalizeDefault(renderLiteral(value));
  return normalizeDefault(value.text);
}

/** SQL expression text compared loosely: casts, double quotes and outer parentheses removed, lower case outside strings. */
export function expressionText(text: string): string {
  const normalized = normalizeDefault(text.replace(/"([a-z_][a-z0-9_]*)"/gi, "$1"));
  // Parentheses around a bare name that are not a call's: `lower((label))` is `lower(label)`; not in a string.
  return normalized
    .split(/('(?:[^']|'')*')/)
    .map((part) => {
      if (part.startsWith("'")) return part;
      let result = part;
      for (let before = ""; before !== result; ) {
        before = result;
        result = result.replace(/(^|[^\w\s]|\s)\(\s*([a-z_][\w.]*)\s*\)/gi, "$1$2");
      }
      return result;
    })
    .join("");
}

/**
 * A PostgreSQL `::type` cast: a name (quoted, or with its schema), or one of
 * the types of several words (`character varying`, `double precision`,
 * `timestamp(3) with time zone`), a length or precision, `[]`. Only those
 * words: `a::text || 'x'` keeps its `||`, `a::text IS NOT NULL` its `IS`.
 */
export const POSTGRES_CAST =
  /::(?:"[^"]+"|[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?: varying| precision| with(?:out)? time zone)?(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])*/gi;

/** A type name before a string, as in `interval '1 day'`: PostgreSQL gives it back as `'1 day'::interval`. */
const TYPED_LITERAL_PREFIX = /\b(?:interval|date|time|timestamp|timestamptz)\s*$/;

/** The current time's spellings: `now()` and `CURRENT_TIMESTAMP` are one function (PostgreSQL, MySQL). */
const CURRENT_TIMESTAMP = /\b(?:now\(\s*\)|current_timestamp\(\s*\)|transaction_timestamp\(\s*\))/g;

function normalizeDefault(text: string): string {
  let result = text.trim();
  for (;;) {
    const before = result;
    // PostgreSQL's casts: 'x'::character varying, 0::numeric(10,2), '{}'::text[].
    result = withoutOuterParentheses(result.replace(POSTGRES_CAST, ""));
    if (result === before) break;
  }
  // Lower-case what is outside quotes; collapse spaces; one spelling of a typed literal and of now().
  const parts = result.split(/('(?:[^']|'')*')/);
  return parts
    .map((part, index) => {
      if (part.startsWith("'")) return part;
      let plain = part.toLowerCase().replace(/\s+/g, " ").replace(CURRENT_TIMESTAMP, "current_timestamp");
      if (parts[index + 1]?.startsWith("'")) plain = plain.replace(TYPED_LITERAL_PREFIX, "");
      return plain;
    })
    .join("");
}
