import type { ColumnType, TypeKey, TypeSide } from "@retort/core";

/**
 * A MySQL/MariaDB column type in core's vocabulary: what
 * `information_schema.COLUMNS.COLUMN_TYPE` reports (`int(11)`,
 * `varchar(255)`, `tinyint(1)`, `decimal(10,2)`, `enum('a','b')`) and what
 * the server makes of the type text the compiler writes (`NUMERIC` is
 * `decimal(10,0)`, `FLOAT(53)` is `double`, `BLOB(100)` is `tinyblob`,
 * `BOOL` is `tinyint(1)`), so that a declared type and the reflected one
 * meet in the same place:
 *
 * - integer display widths are ignored (`int(11)` on MariaDB and MySQL 5.7,
 *   `int` on MySQL 8.0.19+); `tinyint(1)` is a boolean; `unsigned` and
 *   `zerofill` types are `customType`;
 * - `decimal(p)` is `numeric(p, 0)` and a bare `decimal` `numeric(10, 0)`
 *   (https://dev.mysql.com/doc/refman/8.0/en/fixed-point-types.html);
 * - `float` is `float()`, `double` `float(53)`;
 * - `json` is `json()` (MariaDB's JSON is a `longtext` with a
 *   `json_valid` check: `jsonColumn` says so);
 * - `enum('a','b')` is an enum named after its column (MySQL's enums have
 *   no name of their own);
 * - `blob` is `binary()`; `tinyblob`, `mediumblob`, `longblob` (other
 *   types, not sizes of one: see `comparableMysqlType`), `char(n)`,
 *   fractional-second `datetime(n)` and the rest are `customType` with the
 *   server's text.
 *
 * ```ts
 * mysqlColumnType("int(11)");       // integer()
 * mysqlColumnType("tinyint(1)");    // boolean()
 * mysqlColumnType("decimal(10,2)"); // numeric(10, 2)
 * ```
 */
export function mysqlColumnType(reported: string, options: { column?: string; jsonColumn?: boolean } = {}): ColumnType {
  const text = reported.trim().replace(/\s+/g, " ");
  const lower = text.toLowerCase();
  const custom: ColumnType = { kind: "custom", sql: lower };
  if (options.jsonColumn === true && lower === "longtext") return { kind: "json" };
  const enumMatch = /^enum\s*\((.*)\)$/is.exec(text);
  if (enumMatch !== null) {
    const values = parseQuotedList(enumMatch[1] as string);
    return values === undefined ? custom : { kind: "enum", name: options.column ?? "enum", values };
  }
  const match =
    /^([a-z]+(?: [a-z]+)?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?((?: (?:unsigned|signed|zerofill))*)$/i.exec(lower);
  if (match === null) return custom;
  const name = match[1] as string;
  const first = match[2] === undefined ? undefined : Number(match[2]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  const modifiers = (match[4] ?? "").trim();
  if (/unsigned|zerofill/.test(modifiers)) {
    // An integer's display width is no part of its type: `int(10) unsigned` is `int unsigned`.
    return DISPLAY_WIDTH.has(name) || name === "tinyint" || name === "integer"
      ? { kind: "custom", sql: `${name === "integer" ? "int" : name} ${modifiers}` }
      : custom;
  }
  const bare = first === undefined;
  switch (name) {
    case "int":
    case "integer":
      return second === undefined ? { kind: "integer" } : custom;
    case "bigint":
      return second === undefined ? { kind: "bigInteger" } : custom;
    case "smallint":
      return second === undefined ? { kind: "smallInteger" } : custom;
    case "tinyint":
      return first === 1 && second === undefined ? { kind: "boolean" } : custom;
    case "bool":
    case "boolean":
      return bare ? { kind: "boolean" } : custom;
    case "varchar":
    case "character varying":
      return first !== undefined && second === undefined ? { kind: "string", length: first } : custom;
    case "text":
      return bare ? { kind: "text" } : custom;
    case "date":
      return bare ? { kind: "date" } : custom;
    case "datetime":
      return bare ? { kind: "dateTime", timezone: false } : custom;
    case "time":
      return bare ? { kind: "time", timezone: false } : custom;
    case "decimal":
    case "numeric":
    case "dec":
    case "fixed":
      return { kind: "numeric", precision: first ?? 10, scale: second ?? 0 };
    case "float":
      if (second !== undefined) return custom;
      // FLOAT(p) is FLOAT for p <= 24, DOUBLE for 25..53 (https://dev.mysql.com/doc/refman/8.0/en/floating-point-types.html).
      return first !== undefined && first > 24 ? { kind: "float", precision: 53 } : { kind: "float" };
    case "double":
    case "double precision":
    case "real":
      return bare ? { kind: "float", precision: 53 } : custom;
    case "json":
      return bare ? { kind: "json" } : custom;
    case "blob":
      if (first === undefined) return { kind: "binary" };
      // BLOB(n) is the smallest BLOB type that holds n bytes.
      return { kind: "custom", sql: blobFor(first) };
    default:
      return custom;
  }
}

function blobFor(length: number): string {
  if (length <= 255) return "tinyblob";
  if (length <= 65_535) return "blob";
  if (length <= 16_777_215) return "mediumblob";
  return "longblob";
}

/** `'a','it''s'` as `["a", "it's"]` (MySQL doubles quotes in COLUMN_TYPE; a backslash escape is read too). */
export function parseQuotedList(text: string): string[] | undefined {
  const values: string[] = [];
  let at = 0;
  while (at < text.length) {
    while (text[at] === " " || text[at] === ",") at++;
    if (at >= text.length) break;
    if (text[at] !== "'") return undefined;
    let value = "";
    at++;
    for (;;) {
      if (at >= text.length) return undefined;
      const char = text[at] as string;
      if (char === "\\" && at + 1 < text.length) {
        value += text[at + 1];
        at += 2;
      } else if (char === "'" && text[at + 1] === "'") {
        value += "'";
        at += 2;
      } else if (char === "'") {
        at++;
        break;
      } else {
        value += char;
        at++;
      }
    }
    values.push(value);
  }
  return values;
}

/** Spellings of one type, each mapped to one name. */
const MYSQL_TYPE_SYNONYMS: Readonly<Record<string, string>> = {
  integer: "int",
  numeric: "decimal",
  dec: "decimal",
  fixed: "decimal",
  bool: "tinyint",
  boolean: "tinyint",
  "double precision": "double",
  real: "double",
  "character varying": "varchar",
  character: "char",
};

/** Integer types whose argument is a display width, not part of the type. */
const DISPLAY_WIDTH = new Set(["int", "bigint", "smallint", "mediumint"]);

/**
 * A type key in MySQL's own words, for autogenerate's type comparison:
 * `integer` is `int`, `numeric` `decimal`, `bool` `tinyint(1)`, `float(p)`
 * for p > 24 `double`, `blob(n)` the BLOB type the server makes of it
 * (`blob(16)` is `tinyblob`); an integer's display width (`int(11)`) is
 * dropped, and MariaDB's `longtext` behind a JSON column is reported by the
 * introspector as `json`. The BLOB types themselves stay apart, as the TEXT
 * types do: `tinyblob`, `blob`, `mediumblob` and `longblob` hold up to
 * 255 B, 64 KB, 16 MB and 4 GB, so a change between them is a change of
 * type (Alembic reports `MEDIUMBLOB()` -> `LargeBinary()`).
 *
 * A `datetime`, `timestamp` or `time` column without fractional seconds
 * has precision 0 (`side` "reflected": the column's), so a declared
 * `DATETIME(3)` over it differs; a declaration without a precision
 * (`dateTime()`) still matches a column of any.
 */
/** Types whose argument is a fractional-seconds precision, 0 when not given. */
const FRACTIONAL_SECONDS = new Set(["datetime", "timestamp", "time"]);

/**
 * A column's `CHARACTER SET x` / `CHARSET x` / `COLLATE x` after its type
 * (`VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci` in a
 * `customType`): column collations are not compared (the server's type text
 * has none), so they are no part of the type.
 */
const CHARSET_CLAUSE = /\s+(?:character set|charset|collate)\s+[a-z0-9_]+/g;

export function comparableMysqlType(key: TypeKey, side: TypeSide = "declared"): TypeKey {
  const bare = key.name.replace(CHARSET_CLAUSE, "").trim();
  const name = MYSQL_TYPE_SYNONYMS[bare] ?? bare;
  // A SET's values are one argument: a value added or removed is a change, as for an ENUM.
  if (name === "set") return { name, args: [key.args.join(",")] };
  if (side === "reflected" && FRACTIONAL_SECONDS.has(name) && key.args.length === 0) return { name, args: ["0"] };
  if (name === "tinyint" && (key.name === "bool" || key.name === "boolean")) return { name, args: ["1"] };
  if (DISPLAY_WIDTH.has(name)) return { name, args: [] };
  if (name === "float") {
    const precision = key.args[0] === undefined ? 0 : Number(key.args[0]);
    return precision > 24 ? { name: "double", args: [] } : { name: "float", args: [] };
  }
  if (name === "decimal" && key.args.length === 1) return { name, args: [key.args[0] as string, "0"] };
  if (name === "decimal" && key.args.length === 0) return { name, args: ["10", "0"] };
  // BLOB(n) is the smallest BLOB type that holds n bytes: `binary(16)` creates a `tinyblob`.
  if (name === "blob" && key.args.length === 1) return { name: blobFor(Number(key.args[0])), args: [] };
  return { name, args: key.args };
}
