import type { ColumnType } from "@retort/core";
import { NUMBER_TEXT, withoutOuterParentheses } from "@retort/core/dialect";
import type { MysqlFlavor } from "./mysql-dialect.js";

const NUMERIC_KINDS: ReadonlySet<string> = new Set([
  "integer",
  "bigInteger",
  "smallInteger",
  "numeric",
  "float",
  "boolean",
]);

/**
 * A column's default from `information_schema.COLUMNS` as SQL text, or
 * undefined when it has none:
 *
 * - MariaDB (10.2.7+) reports SQL: a string literal quoted (`'abc'`), a
 *   number bare, an expression as text (`current_timestamp()`), and
 *   `NULL` for a nullable column without a default;
 * - MySQL 8 reports a literal's bare value (`abc`), and an expression's
 *   text with `DEFAULT_GENERATED` in EXTRA; a string literal is quoted
 *   here, a number on a numeric column kept bare.
 *
 * `CURRENT_TIMESTAMP`, `current_timestamp()` and `now()` all read as
 * `CURRENT_TIMESTAMP`; identifiers lose their backticks.
 */
export function reflectedDefault(
  value: string | null,
  extra: string,
  type: ColumnType,
  flavor: MysqlFlavor,
): string | undefined {
  // `ON UPDATE CURRENT_TIMESTAMP` is in EXTRA: part of the default as a migration writes it,
  // so that a MODIFY restating the default keeps it.
  const onUpdate = ON_UPDATE.exec(extra)?.[1];
  const base = defaultValue(value, extra, type, flavor);
  if (onUpdate === undefined) return base;
  return `${base ?? "NULL"} ON UPDATE ${canonicalDefault(onUpdate)}`;
}

/** `on update current_timestamp()` in EXTRA (MySQL writes `on update CURRENT_TIMESTAMP`). */
const ON_UPDATE = /\bon update ((?:current_timestamp|now|localtimestamp|localtime)\s*(?:\(\s*\d*\s*\))?)/i;

function defaultValue(value: string | null, extra: string, type: ColumnType, flavor: MysqlFlavor): string | undefined {
  if (value === null) return undefined;
  if (flavor === "mariadb") {
    if (value.toUpperCase() === "NULL") return undefined;
    return canonicalDefault(unquoteIdentifiers(value));
  }
  if (/default_generated/i.test(extra) || isCurrentTimestamp(value)) {
    // MySQL 8 escapes the quotes of an expression default: concat(_utf8mb4\'a\').
    return canonicalDefault(unquoteIdentifiers(value.replaceAll("\\'", "'")));
  }
  if (NUMERIC_KINDS.has(type.kind) && NUMBER_TEXT.test(value)) return value;
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/**
 * A declared default's SQL text as MySQL/MariaDB report it back for a
 * column of `type` (already through the introspector's `normalizeType`):
 * a boolean literal is `1`/`0`; a number on a `numeric(p, s)` column is
 * written with `s` decimals (`1.5` is `1.50`); a number in quotes on a
 * numeric column is the number; the current time is `CURRENT_TIMESTAMP`
 * (`CURRENT_DATE`, `CURRENT_TIME` for MariaDB's `curdate()`, `curtime()`).
 *
 * ```ts
 * mysqlDefault("FALSE", boolean());     // "0"
 * mysqlDefault("1.5", numeric(10, 2));  // "1.50"
 * mysqlDefault("now()", dateTime());    // "CURRENT_TIMESTAMP"
 * ```
 */
export function mysqlDefault(sqlText: string, type: ColumnType): string {
  const [value, onUpdate] = splitOnUpdate(sqlText);
  if (onUpdate !== undefined) return `${mysqlDefault(value, type)} ON UPDATE ${canonicalDefault(onUpdate)}`;
  let text = withoutOuterParentheses(sqlText);
  if (isCurrentTimestamp(text)) return canonicalDefault(text);
  if (/^true$/i.test(text)) return "1";
  if (/^false$/i.test(text)) return "0";
  const quoted = /^'((?:[^'\\]|''|\\.)*)'$/s.exec(text);
  if (quoted !== null && NUMERIC_KINDS.has(type.kind) && NUMBER_TEXT.test(quoted[1] as string))
    text = quoted[1] as string;
  if (!NUMBER_TEXT.test(text)) return text;
  if (type.kind === "numeric" && type.scale !== undefined) return fixed(text, type.scale);
  return text;
}

/**
 * The current time as one spelling: `current_timestamp()`, `now()`,
 * `localtimestamp` are `CURRENT_TIMESTAMP` (a precision kept), MariaDB's
 * `curdate()` and `curtime()` are `CURRENT_DATE` and `CURRENT_TIME`.
 */
function canonicalDefault(text: string): string {
  const day = /^(?:curdate|current_date)\s*(?:\(\s*\))?$/i.test(text.trim());
  if (day) return "CURRENT_DATE";
  const clock = /^(?:curtime|current_time)\s*(?:\(\s*(\d*)\s*\))?$/i.exec(text.trim());
  if (clock !== null)
    return clock[1] === undefined || clock[1] === "" || clock[1] === "0" ? "CURRENT_TIME" : `CURRENT_TIME(${clock[1]})`;
  const match = /^(?:current_timestamp|now|localtimestamp|localtime)\s*(?:\(\s*(\d*)\s*\))?$/i.exec(text.trim());
  if (match === null) return text;
  const precision = match[1];
  return precision === undefined || precision === "" || precision === "0"
    ? "CURRENT_TIMESTAMP"
    : `CURRENT_TIMESTAMP(${precision})`;
}

/**
 * An expression default as MySQL takes it after DEFAULT: the current time
 * bare (`CURRENT_TIMESTAMP`, followed by its `ON UPDATE` clause, bare too),
 * a literal, a number or NULL as it is, anything else in parentheses
 * (`(1) + (2)` becomes `((1) + (2))`).
 */
export function defaultExpression(text: string): string {
  const [base, onUpdate] = splitOnUpdate(text);
  if (onUpdate !== undefined) return `${defaultExpression(base.trim())} ON UPDATE ${onUpdate}`;
  if (/^(CURRENT_TIMESTAMP|NOW|LOCALTIME|LOCALTIMESTAMP)(\s*\(\s*\d*\s*\))?$/i.test(text)) return text;
  const bare =
    withoutOuterParentheses(text) !== text ||
    /^'(?:[^']|'')*'$/s.test(text) ||
    /^-?\d+(\.\d+)?$/.test(text) ||
    /^NULL$/i.test(text);
  return bare ? text : `(${text})`;
}

/**
 * `CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP` as its default and its
 * ON UPDATE clause; a text without the clause as itself.
 */
function splitOnUpdate(text: string): [value: string, onUpdate: string | undefined] {
  const match =
    /^(.*?)\s+ON\s+UPDATE\s+((?:current_timestamp|now|localtimestamp|localtime)\s*(?:\(\s*\d*\s*\))?)\s*$/is.exec(
      text.trim(),
    );
  return match === null ? [text, undefined] : [match[1] as string, match[2] as string];
}

function isCurrentTimestamp(text: string): boolean {
  return /^(?:current_timestamp|now|localtimestamp|localtime|curdate|current_date|curtime|current_time)\s*(?:\(\s*\d*\s*\))?$/i.test(
    text.trim(),
  );
}

/** A decimal number written with `scale` digits after the point, as DECIMAL(p, s) keeps it. */
function fixed(text: string, scale: number): string {
  if (/e/i.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value.toFixed(scale) : text;
  }
  const negative = text.startsWith("-");
  const unsigned = text.replace(/^[+-]/, "");
  const [whole = "", fraction = ""] = unsigned.split(".");
  if (fraction.length > scale) return text;
  const digits =
    scale === 0 ? (whole === "" ? "0" : whole) : `${whole === "" ? "0" : whole}.${fraction.padEnd(scale, "0")}`;
  return `${negative ? "-" : ""}${digits}`;
}

/**
 * SQL text as the server gives it back (CHECK clauses, generated columns,
 * expression defaults and key parts) in the form declared expressions are
 * written: backticks removed around plain identifiers (`` `small` >= 0 ``
 * is `small >= 0`) and MySQL 8's character set introducers dropped
 * (`_utf8mb4'a'` is `'a'`); quoted strings are left alone.
 */
export function unquoteIdentifiers(text: string): string {
  let result = "";
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (char === "'" || char === '"') {
      let end = at + 1;
      while (end < text.length) {
        if (text[end] === "\\") end += 2;
        else if (text[end] === char && text[end + 1] === char) end += 2;
        else if (text[end] === char) break;
        else end++;
      }
      result += text.slice(at, end + 1);
      at = end + 1;
    } else if (char === "_" && !/[\w$]/.test(text[at - 1] ?? "")) {
      const introducer = /^_[a-z0-9]+(?=')/i.exec(text.slice(at));
      const length = introducer === null ? 1 : introducer[0].length;
      if (introducer === null) result += char;
      at += length;
    } else if (char === "`") {
      const end = text.indexOf("`", at + 1);
      if (end === -1) return result + text.slice(at);
      const name = text.slice(at + 1, end);
      result += /^[a-z_][a-z0-9_]*$/i.test(name) ? name : text.slice(at, end + 1);
      at = end + 1;
    } else {
      result += char;
      at++;
    }
  }
  return result;
}
