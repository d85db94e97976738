import type { ColumnType, TypeKey, TypeSide } from "@retort/core";

/**
 * A PostgreSQL type name in core's vocabulary: what `format_type` reports
 * (`character varying(255)`, `timestamp with time zone`, `numeric(10,2)`)
 * and the usual synonyms (`int4`, `varchar(255)`, `timestamptz`,
 * `float8`); anything else (arrays, `character(n)`, precisions core has no
 * place for, extension types) is `customType(<name>)`.
 *
 * ```ts
 * postgresColumnType("int4");                     // integer()
 * postgresColumnType("character varying(255)");   // string(255)
 * postgresColumnType("timestamp with time zone"); // dateTime({ timezone: true })
 * ```
 */
export function postgresColumnType(reported: string): ColumnType {
  const text = reported.trim().replace(/\s+/g, " ");
  const custom: ColumnType = { kind: "custom", sql: reported };
  const match = /^([a-z_][a-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?( with(?:out)? time zone)?$/i.exec(text);
  if (match === null) return custom;
  const name = (match[1] as string).toLowerCase();
  const first = match[2] === undefined ? undefined : Number(match[2]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  const zone = match[4]?.trim().toLowerCase();
  const bare = first === undefined && zone === undefined;
  switch (name) {
    case "integer":
    case "int":
    case "int4":
      return bare ? { kind: "integer" } : custom;
    case "bigint":
    case "int8":
      return bare ? { kind: "bigInteger" } : custom;
    case "smallint":
    case "int2":
      return bare ? { kind: "smallInteger" } : custom;
    case "character varying":
    case "varchar":
      if (second !== undefined || zone !== undefined) return custom;
      return first === undefined ? { kind: "string" } : { kind: "string", length: first };
    case "text":
      return bare ? { kind: "text" } : custom;
    case "boolean":
    case "bool":
      return bare ? { kind: "boolean" } : custom;
    case "date":
      return bare ? { kind: "date" } : custom;
    case "timestamp":
    case "time":
      if (first !== undefined) return custom;
      return { kind: name === "timestamp" ? "dateTime" : "time", timezone: zone === "with time zone" };
    case "timestamptz":
    case "timetz":
      return bare ? { kind: name === "timestamptz" ? "dateTime" : "time", timezone: true } : custom;
    case "numeric":
    case "decimal":
      if (zone !== undefined) return custom;
      if (first === undefined) return { kind: "numeric" };
      // NUMERIC(p) is NUMERIC(p, 0) (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-NUMERIC-DECIMAL).
      return { kind: "numeric", precision: first, scale: second ?? 0 };
    case "double precision":
    case "float8":
      return bare ? { kind: "float" } : custom;
    case "real":
    case "float4":
      return bare ? { kind: "float", precision: 24 } : custom;
    case "float":
      // FLOAT(1..24) is REAL, FLOAT(25..53) and FLOAT are DOUBLE PRECISION.
      if (zone !== undefined || second !== undefined) return custom;
      return first !== undefined && first <= 24 ? { kind: "float", precision: 24 } : { kind: "float" };
    case "json":
      return bare ? { kind: "json" } : custom;
    case "jsonb":
      return bare ? { kind: "jsonb" } : custom;
    case "uuid":
      return bare ? { kind: "uuid" } : custom;
    case "bytea":
      return bare ? { kind: "binary" } : custom;
    default:
      return custom;
  }
}

/** Types with a fractional-seconds precision (after the synonyms), 6 unless one is given. */
const FRACTIONAL_SECONDS = new Set([
  "timestamp",
  "timestamptz",
  "time",
  "timetz",
  "interval",
  "interval second",
  "interval day to second",
  "interval hour to second",
  "interval minute to second",
]);

/** Synonyms: each spelling maps to one name (lower case, spaces collapsed). */
const POSTGRES_TYPE_SYNONYMS: Readonly<Record<string, string>> = {
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
};

/**
 * A type key in PostgreSQL's own words, for autogenerate's type comparison
 * (`DatabaseIntrospector.comparableType`): `int4` is `integer`,
 * `character varying` `varchar`, `float(p)` `float4` or `float8`, an array
 * its element's name with one `[]` (whatever its dimensions and sizes). A column of `timestamp`, `time` or `interval` without
 * a precision has the default one, 6 (what `TIMESTAMP` creates): its key
 * says so, so that a declared `TIMESTAMP(3)` differs from it as from a
 * `timestamp(6)`, while a declared `TIMESTAMP` (no precision stated)
 * matches any.
 */
export function comparablePostgresType(key: TypeKey, side: TypeSide): TypeKey {
  // An array compares by its element's name: `int[]`, `int4[]` and `integer[]` are one type.
  const dimensions = /(?:\s*\[\s*\d*\s*\])+$/.exec(key.name)?.[0];
  if (dimensions !== undefined) {
    const element = comparablePostgresType(
      { name: key.name.slice(0, -dimensions.length).trim(), args: key.args },
      side,
    );
    // PostgreSQL keeps neither sizes nor a number of dimensions: arrays of one element type are one
    // type (https://www.postgresql.org/docs/current/arrays.html), so `integer[][]` reads back `integer[]`.
    return { name: `${element.name}[]`, args: element.args };
  }
  const name = POSTGRES_TYPE_SYNONYMS[key.name] ?? key.name;
  if (name === "float") {
    // FLOAT is DOUBLE PRECISION; FLOAT(p) is REAL for p <= 24.
    const precision = key.args[0] === undefined ? 53 : Number(key.args[0]);
    return { name: precision <= 24 ? "float4" : "float8", args: [] };
  }
  if (side === "reflected" && key.args.length === 0 && FRACTIONAL_SECONDS.has(name)) {
    // https://www.postgresql.org/docs/current/datatype-datetime.html: "By default, there is no explicit
    // bound on precision", which is microseconds: `timestamp` keeps what `timestamp(6)` keeps.
    return { name, args: ["6"] };
  }
  return { name, args: key.args };
}
