import { type ColumnType, enumSchemaOf } from "../schema/column-type.js";
import { qualified } from "./plan-enums.js";

/**
 * PostgreSQL's `USING` for a change of `column`'s type from `from` to `to`
 * (in a table of `schema`), or undefined where the server converts the
 * values by itself. `ALTER COLUMN ... TYPE` without `USING` applies an
 * implicit or assignment cast only (`pg_cast.castcontext` `i` or `a`, or
 * the conversion through text that turns any type into `text`, `varchar`
 * or `char`); anything else fails with `column "c" cannot be cast
 * automatically to type integer`. The rules, a static table of
 * PostgreSQL's built-in casts between the common types (see
 * `ASSIGNMENT_CASTS` and `EXPLICIT_CASTS`; checked against the server's
 * `pg_cast` by an integration test):
 *
 * - none between spellings of one type (a length, precision or scale only
 *   changes), to `text`, `varchar` or `char` from anything, between the
 *   number types, `json` and `jsonb`, and the date/time types with an
 *   assignment cast (`date` to `timestamp`, `timestamp` to `date`, ...);
 * - to an enum type (from anything but itself): `"c"::text::"type"`;
 * - where PostgreSQL has an explicit cast (`integer` to `boolean` and
 *   back, `jsonb` to a number or `boolean`) and from `text`, `varchar` or
 *   `char` (their conversion through text): `"c"::integer`;
 * - `boolean` to `smallint` or `bigint` and back, through `integer`, the
 *   one integer type with a cast to `boolean`: `"c"::integer::bigint`;
 * - anything else (an enum to a number, `date` to `integer`, `uuid` to
 *   `bytea`): through text, `"c"::text::integer`, which converts the
 *   values whose text the new type reads and fails on the others.
 *
 * An array follows its element type (`integer[]` to `bigint[]` needs none,
 * `text[]` to `integer[]` is `"c"::integer[]`); between an array and a
 * scalar that is not a string, through text. A type outside this table
 * (a domain, an extension's type) gets none, as before.
 */
export function postgresUsing(
  column: string,
  from: ColumnType,
  to: ColumnType,
  schema: string | undefined,
): string | undefined {
  const cast = postgresCast(from, to, schema);
  if (cast === undefined) return undefined;
  return [qualified(column, undefined), ...cast.through, postgresTypeName(to, schema)].join("::");
}

/**
 * What PostgreSQL needs to change a column from `from` to `to`: undefined
 * where it casts by itself (or a type is not in the table), else the
 * types the `USING` expression goes through before the new one (none for
 * a direct cast, `["text"]` through text).
 */
export function postgresCast(
  from: ColumnType,
  to: ColumnType,
  schema: string | undefined,
): { readonly through: readonly string[] } | undefined {
  if (to.kind === "enum") {
    if (from.kind === "enum" && from.name === to.name && enumSchemaOf(from, schema) === enumSchemaOf(to, schema))
      return undefined;
    return { through: ["text"] };
  }
  const source = catalogType(from);
  const target = catalogType(to);
  if (source === undefined || target === undefined) return undefined;
  if (STRING_TYPES.has(target.name) && !target.array) return undefined;
  if (source.array !== target.array) {
    return STRING_TYPES.has(source.name) && !source.array ? { through: [] } : { through: ["text"] };
  }
  return elementCast(source.name, target.name);
}

/** The cast between two element types (both arrays or both not). */
function elementCast(source: string, target: string): { readonly through: readonly string[] } | undefined {
  if (source === target || STRING_TYPES.has(target)) return undefined;
  if (ASSIGNMENT_CASTS.get(source)?.includes(target) === true) return undefined;
  if (STRING_TYPES.has(source) || EXPLICIT_CASTS.get(source)?.includes(target) === true) return { through: [] };
  if ((source === "bool" && (target === "int2" || target === "int8")) || (target === "bool" && INTEGERS.has(source)))
    return { through: ["integer"] };
  return { through: ["text"] };
}

/** A type as `pg_type` names it (`int4`, `timestamptz`), and whether it is an array of it; `enum` for any enum type. */
export interface CatalogType {
  readonly name: string;
  readonly array: boolean;
}

/**
 * `type` in `pg_type`'s words, undefined for a type outside the cast
 * table (a domain, an extension's type, a quoted name).
 */
export function catalogType(type: ColumnType): CatalogType | undefined {
  switch (type.kind) {
    case "integer":
      return { name: "int4", array: false };
    case "bigInteger":
      return { name: "int8", array: false };
    case "smallInteger":
      return { name: "int2", array: false };
    case "string":
      return { name: "varchar", array: false };
    case "text":
      return { name: "text", array: false };
    case "boolean":
      return { name: "bool", array: false };
    case "date":
      return { name: "date", array: false };
    case "dateTime":
      return { name: type.timezone ? "timestamptz" : "timestamp", array: false };
    case "time":
      return { name: type.timezone ? "timetz" : "time", array: false };
    case "numeric":
      return { name: "numeric", array: false };
    case "float":
      return { name: type.precision !== undefined && type.precision <= 24 ? "float4" : "float8", array: false };
    case "json":
    case "jsonb":
    case "uuid":
      return { name: type.kind, array: false };
    case "binary":
      return { name: "bytea", array: false };
    case "enum":
      return { name: "enum", array: false };
    case "custom":
      return customCatalogType(type.sql);
  }
}

/** A type written as SQL (`character(5)`, `interval day to second`, `integer[]`, `timestamp(3) with time zone`). */
function customCatalogType(sqlText: string): CatalogType | undefined {
  const text = sqlText.trim().toLowerCase().replace(/\s+/g, " ");
  const dimensions = /(?:\s*\[\s*\d*\s*\])+$/.exec(text)?.[0] ?? "";
  const base = text.slice(0, text.length - dimensions.length);
  const precision = /\(\s*(\d+)\s*\)/.exec(base)?.[1];
  const bare = base
    .replace(/\s*\(\s*\d+\s*(?:,\s*-?\d+\s*)?\)/g, "")
    .replace(/\s+/g, " ")
    .trim();
  let name = CUSTOM_NAMES[bare];
  if (
    name === undefined &&
    /^interval(?: (?:year|month|day|hour|minute|second)(?: to (?:month|hour|minute|second))?)?$/.test(bare)
  )
    name = "interval";
  if ((bare === "float" || bare === "float8") && precision !== undefined && Number(precision) <= 24) name = "float4";
  return name === undefined ? undefined : { name, array: dimensions !== "" };
}

/** Spellings of the table's types (lower case, sizes left out) and their `pg_type` names. */
const CUSTOM_NAMES: Readonly<Record<string, string>> = {
  smallint: "int2",
  int2: "int2",
  integer: "int4",
  int: "int4",
  int4: "int4",
  bigint: "int8",
  int8: "int8",
  numeric: "numeric",
  decimal: "numeric",
  real: "float4",
  float4: "float4",
  "double precision": "float8",
  float8: "float8",
  float: "float8",
  text: "text",
  varchar: "varchar",
  "character varying": "varchar",
  char: "bpchar",
  character: "bpchar",
  bpchar: "bpchar",
  boolean: "bool",
  bool: "bool",
  date: "date",
  time: "time",
  "time without time zone": "time",
  "time with time zone": "timetz",
  timetz: "timetz",
  timestamp: "timestamp",
  "timestamp without time zone": "timestamp",
  "timestamp with time zone": "timestamptz",
  timestamptz: "timestamptz",
  uuid: "uuid",
  json: "json",
  jsonb: "jsonb",
  bytea: "bytea",
};

/** The string types: any type is cast to them (in an assignment) through its text. */
const STRING_TYPES: ReadonlySet<string> = new Set(["text", "varchar", "bpchar"]);

const INTEGERS: ReadonlySet<string> = new Set(["int2", "int4", "int8"]);

/**
 * PostgreSQL's implicit and assignment casts between the table's types
 * that are not string types (`pg_cast` with `castcontext` `i` or `a`),
 * the casts `ALTER COLUMN ... TYPE` applies without `USING`.
 */
export const ASSIGNMENT_CASTS: ReadonlyMap<string, readonly string[]> = new Map([
  ["int2", ["int4", "int8", "numeric", "float4", "float8"]],
  ["int4", ["int2", "int8", "numeric", "float4", "float8"]],
  ["int8", ["int2", "int4", "numeric", "float4", "float8"]],
  ["numeric", ["int2", "int4", "int8", "float4", "float8"]],
  ["float4", ["int2", "int4", "int8", "numeric", "float8"]],
  ["float8", ["int2", "int4", "int8", "numeric", "float4"]],
  ["date", ["timestamp", "timestamptz"]],
  ["time", ["timetz", "interval"]],
  ["timetz", ["time"]],
  ["timestamp", ["date", "time", "timestamptz"]],
  ["timestamptz", ["date", "time", "timetz", "timestamp"]],
  ["interval", ["time"]],
  ["json", ["jsonb"]],
  ["jsonb", ["json"]],
]);

/** PostgreSQL's explicit casts between the table's types (`castcontext` `e`): `USING "c"::type`. */
export const EXPLICIT_CASTS: ReadonlyMap<string, readonly string[]> = new Map([
  ["int4", ["bool"]],
  ["bool", ["int4"]],
  ["jsonb", ["bool", "int2", "int4", "int8", "numeric", "float4", "float8"]],
]);

/**
 * `type` as PostgreSQL's `format_type` writes it (`integer`,
 * `timestamp with time zone`, `numeric(10,2)`); an enum by its name, with
 * its schema when it has one; a custom type as written.
 */
export function postgresTypeName(type: ColumnType, schema: string | undefined): string {
  switch (type.kind) {
    case "integer":
      return "integer";
    case "bigInteger":
      return "bigint";
    case "smallInteger":
      return "smallint";
    case "string":
      return type.length === undefined ? "character varying" : `character varying(${type.length})`;
    case "text":
    case "boolean":
    case "date":
    case "json":
    case "jsonb":
    case "uuid":
      return type.kind;
    case "dateTime":
      return type.timezone ? "timestamp with time zone" : "timestamp without time zone";
    case "time":
      return type.timezone ? "time with time zone" : "time without time zone";
    case "numeric":
      if (type.precision === undefined) return "numeric";
      return `numeric(${type.precision},${type.scale ?? 0})`;
    case "float":
      return type.precision !== undefined && type.precision <= 24 ? "real" : "double precision";
    case "binary":
      return "bytea";
    case "enum":
      return qualified(type.name, enumSchemaOf(type, schema));
    case "custom":
      return type.sql;
  }
}
