import type { ColumnType } from "../schema/column-type.js";
import type { ServerDefault } from "../schema/table-elements.js";

/**
 * A type reduced to a name and its arguments, for comparison: `varchar`
 * with `["255"]`. Synonyms (`int4`/`integer`, `character varying`/`varchar`,
 * `decimal`/`numeric`) give the same name, so a freshly migrated database
 * shows no difference.
 */
export interface TypeKey {
  readonly name: string;
  readonly args: readonly string[];
}

/** Synonyms per dialect: each spelling maps to one name. Applied after lower-casing and collapsing spaces. */
const SYNONYMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  postgresql: {
    int: "integer",
    int4: "integer",
    serial: "integer",
    serial4: "integer",
    int8: "bigint",
    bigserial: "bigint",
    serial8: "bigint",
    int2: "smallint",
    smallserial: "smallint",
    serial2: "smallint",
    "character varying": "varchar",
    character: "char",
    bpchar: "char",
    decimal: "numeric",
    "double precision": "float8",
    real: "float4",
    bool: "boolean",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    "time without time zone": "time",
    "time with time zone": "timetz",
  },
  sqlite: {
    int: "integer",
    "character varying": "varchar",
    decimal: "numeric",
    "double precision": "double",
    bool: "boolean",
    timestamp: "datetime",
  },
  mysql: {
    int: "integer",
    decimal: "numeric",
    bool: "tinyint",
    boolean: "tinyint",
  },
};

/** Parses SQL type text (`character varying(255)`, `NUMERIC(10, 2)`, `timestamp(6) with time zone`). */
export function typeKeyFromText(text: string, dialect: string): TypeKey {
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
  normalized = normalized.replace(/\[\]$/, "[]");
  let name = SYNONYMS[dialect]?.[normalized] ?? normalized;
  if (dialect === "postgresql" && name === "float") {
    // FLOAT is DOUBLE PRECISION; FLOAT(p) is REAL for p <= 24.
    const precision = args[0] === undefined ? 53 : Number(args[0]);
    name = precision <= 24 ? "float4" : "float8";
    args = [];
  }
  if (
    dialect === "postgresql" &&
    (name === "timestamp" || name === "timestamptz" || name === "time" || name === "timetz")
  ) {
    // Precision 6 is the default: `timestamp(6)` and `timestamp` are the same type.
    if (args.length === 1 && args[0] === "6") args = [];
  }
  return { name, args };
}

/** The SQL text a dialect writes for a core type (the names the drivers' DDL compilers use). */
export function typeText(type: ColumnType, dialect: string): string {
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
      if (dialect === "sqlite") return "DATETIME";
      return type.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
    case "time":
      if (dialect === "sqlite") return "TIME";
      return type.timezone ? "TIME WITH TIME ZONE" : "TIME";
    case "numeric":
      if (type.precision === undefined) return "NUMERIC";
      return type.scale === undefined ? `NUMERIC(${type.precision})` : `NUMERIC(${type.precision}, ${type.scale})`;
    case "float":
      return type.precision === undefined ? "FLOAT" : `FLOAT(${type.precision})`;
    case "json":
      return "JSON";
    case "jsonb":
      return dialect === "sqlite" ? "JSON" : "JSONB";
    case "uuid":
      if (dialect === "sqlite") return "VARCHAR(36)";
      if (dialect === "mysql") return "CHAR(36)";
      return "UUID";
    case "enum":
      if (dialect === "postgresql") return type.name;
      if (dialect === "mysql") return `ENUM(${type.values.map((value) => `'${value}'`).join(", ")})`;
      return `VARCHAR(${Math.max(0, ...type.values.map((value) => value.length))})`;
    case "binary":
      if (dialect === "postgresql") return "BYTEA";
      return dialect === "sqlite" ? "BLOB" : type.length === undefined ? "BLOB" : `VARBINARY(${type.length})`;
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

/** A server default as comparable text: literals quoted, casts and outer parentheses removed, keywords lower-cased. */
export function defaultText(value: ServerDefault | null | undefined, dialect: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return normalizeDefault(`'${value.replaceAll("'", "''")}'`);
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return dialect === "postgresql" ? String(value) : value ? "1" : "0";
  return normalizeDefault(value.text);
}

/** SQL expression text compared loosely: casts, double quotes and outer parentheses removed, lower case outside strings. */
export function expressionText(text: string): string {
  let result = normalizeDefault(text.replace(/"([a-z_][a-z0-9_]*)"/gi, "$1"));
  // Parentheses around a bare name that are not a call's: `lower((label))` is `lower(label)`.
  for (let before = ""; before !== result; ) {
    before = result;
    result = result.replace(/(^|[^\w\s]|\s)\(\s*([a-z_][\w.]*)\s*\)/gi, "$1$2");
  }
  return result;
}

function normalizeDefault(text: string): string {
  let result = text.trim();
  for (;;) {
    const before = result;
    // PostgreSQL's casts: 'x'::character varying, 0::numeric(10,2), '{}'::text[].
    result = result.replace(/::[a-z_][a-z0-9_ ]*(\(\d+(\s*,\s*\d+)?\))?(\[\])?/gi, "").trim();
    if (result.startsWith("(") && result.endsWith(")") && balanced(result.slice(1, -1))) {
      result = result.slice(1, -1).trim();
    }
    if (result === before) break;
  }
  // Lower-case what is outside quotes; collapse spaces.
  return result
    .split(/('(?:[^']|'')*')/)
    .map((part) => (part.startsWith("'") ? part : part.toLowerCase().replace(/\s+/g, " ")))
    .join("");
}

function balanced(text: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (quoted) continue;
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}
