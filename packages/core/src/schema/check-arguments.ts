import { isSqlExpression } from "./sql-expression.js";

/**
 * Checks of the positional arguments of `op.*`, `batch.*` and the schema
 * builders (`column(...)`, `index(...)`), for migrations written in plain
 * JavaScript or not type-checked: a wrong argument throws a `TypeError`
 * naming the call, the argument and what was given, e.g.
 *
 * ```text
 * op.addColumn("users", ...): the column must be column(...), got the string "email"
 * ```
 *
 * instead of a JavaScript internal (`Cannot read properties of undefined`)
 * from deeper in the run. Each check is a `typeof` or two; the message is
 * only built on failure. `call` is the function's name (`op.addColumn`) and
 * `subject` its first argument, shown as in `UnknownOptionError`'s message.
 */

/** The kinds of `ColumnType` the type functions (`integer()`, `string(n)`, ...) make. */
const COLUMN_TYPE_KINDS: ReadonlySet<string> = new Set([
  "integer",
  "bigInteger",
  "smallInteger",
  "string",
  "text",
  "boolean",
  "date",
  "dateTime",
  "time",
  "numeric",
  "float",
  "json",
  "jsonb",
  "uuid",
  "enum",
  "binary",
  "custom",
]);

/** A value as a message shows it: `the string "email"`, `the number 42`, `undefined`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return `the ${typeof value} ${String(value)}`;
  }
  if (typeof value === "function") {
    return value.name === "" ? "a function" : `the function ${value.name} (not called: ${value.name}(...)?)`;
  }
  if (isSqlExpression(value)) return `sql\`${value.text}\``;
  if (typeof value === "object" && typeof (value as { kind?: unknown }).kind === "string") {
    const kind = (value as { kind: string }).kind;
    return COLUMN_TYPE_KINDS.has(kind) ? `the type ${kind}()` : `${kind}(...)`;
  }
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Throws the `TypeError` for `call`'s argument: `call(subject, ...): problem, got what`. */
export function badArgument(call: string, subject: unknown, problem: string, value: unknown): never {
  const args = typeof subject === "string" ? `${JSON.stringify(subject)}, ...` : "...";
  throw new TypeError(`${call}(${args}): ${problem}, got ${describeValue(value)}`);
}

/** A text argument (a comment): a string, empty or not. */
export function checkText(value: unknown, what: string, call: string, subject: unknown): void {
  if (typeof value !== "string") badArgument(call, subject, `${what} must be a string`, value);
}

/** A name argument (table, column, index, constraint): a string, not empty (no database takes `""` as a name). */
export function checkName(value: unknown, what: string, call: string, subject: unknown): void {
  checkText(value, what, call, subject);
  if (value === "") badArgument(call, subject, `${what} must not be empty`, value);
}

/**
 * A list of column names: an array of strings (or ``sql`...` `` expressions
 * where `expressions`), or one name where `single`.
 */
export function checkNameList(
  value: unknown,
  what: string,
  call: string,
  subject: unknown,
  allow: { readonly single?: boolean; readonly expressions?: boolean } = {},
): void {
  if (allow.single === true && typeof value === "string" && value !== "") return;
  const items = allow.expressions === true ? "column names or sql`...` expressions" : "column names";
  const wanted = `${what} must be ${allow.single === true ? "a column name or " : ""}an array of ${items}`;
  if (!Array.isArray(value)) badArgument(call, subject, wanted, value);
  for (let position = 0; position < value.length; position++) {
    const item: unknown = value[position];
    if ((typeof item === "string" && item !== "") || (allow.expressions === true && isSqlExpression(item))) continue;
    badArgument(
      call,
      subject,
      `${what}[${position}] must be a column name${allow.expressions === true ? " or sql`...`" : ""}`,
      item,
    );
  }
}

/** A column made by `column(...)`. */
export function checkColumnDefinition(value: unknown, call: string, subject: unknown): void {
  if (typeof value !== "object" || value === null || (value as { kind?: unknown }).kind !== "column") {
    badArgument(call, subject, "the column must be column(...)", value);
  }
}

/** A column type made by `integer()`, `string(n)`, ... (`undefined` where `optional`). */
export function checkColumnType(value: unknown, what: string, call: string, subject: unknown, optional = false): void {
  if (optional && value === undefined) return;
  const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kind === "string" && COLUMN_TYPE_KINDS.has(kind)) return;
  badArgument(call, subject, `${what} must be a column type such as integer() or string(255)`, value);
}

/** SQL text: a string or ``sql`...` ``. */
export function checkSqlText(value: unknown, what: string, call: string, subject: unknown): void {
  if (typeof value !== "string" && !isSqlExpression(value)) {
    badArgument(call, subject, `${what} must be a string or sql\`...\``, value);
  }
}

/** `bulkInsert`'s rows: an array of objects, one per row, keyed by column name. */
export function checkRows(value: unknown, call: string, subject: unknown): void {
  if (!Array.isArray(value)) badArgument(call, subject, "rows must be an array of objects (one per row)", value);
  for (let position = 0; position < value.length; position++) {
    const row: unknown = value[position];
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      badArgument(call, subject, `rows[${position}] must be an object of column values`, row);
    }
  }
}

/**
 * Options, when given, are an object (`column("id", integer(), "primaryKey")`
 * would otherwise be a column without them): `true` when there are some
 * to look at, `false` for none (`undefined` or `null`).
 */
function checkOptionsObject(options: unknown, call: string, subject: unknown): options is object {
  if (options === undefined || options === null) return false;
  if (typeof options !== "object" || Array.isArray(options)) {
    badArgument(call, subject, "the options must be an object ({ name: value, ... })", options);
  }
  return true;
}

/**
 * The options among `keys` that must be `true` or `false` when given
 * (`nullable: "no"` would otherwise be truthy, and create a nullable column).
 */
export function checkBooleanOptions(options: unknown, keys: readonly string[], call: string, subject: unknown): void {
  if (!checkOptionsObject(options, call, subject)) return;
  const values = options as Readonly<Record<string, unknown>>;
  for (const key of keys) {
    const value = values[key];
    if (value === undefined || typeof value === "boolean") continue;
    badArgument(call, subject, `${key} must be true or false`, value);
  }
}

/** The options of `op.alterColumn` (and `batch.alterColumn`) that are true or false. */
const ALTER_COLUMN_BOOLEANS = ["nullable", "autoincrement", "existingNullable", "existingAutoincrement"];

/** The values of `op.alterColumn`'s and `batch.alterColumn`'s options: the booleans and the column types. */
export function checkAlterColumnValues(options: unknown, call: string, subject: unknown): void {
  if (!checkOptionsObject(options, call, subject)) return;
  const { type, existingType } = options as { readonly type?: unknown; readonly existingType?: unknown };
  checkBooleanOptions(options, ALTER_COLUMN_BOOLEANS, call, subject);
  checkColumnType(type, "type", call, subject, true);
  checkColumnType(existingType, "existingType", call, subject, true);
  checkExistingComputed((options as { readonly existingComputed?: unknown }).existingComputed, call, subject);
}

/** `existingComputed`: ``sql`...` ``, or `{ expression: sql`...`, stored: true | false }`. */
function checkExistingComputed(value: unknown, call: string, subject: unknown): void {
  if (value === undefined || isSqlExpression(value)) return;
  const wanted = "existingComputed must be sql`...` (the expression) or { expression: sql`...`, stored: true | false }";
  if (typeof value !== "object" || value === null || Array.isArray(value)) badArgument(call, subject, wanted, value);
  const { expression, stored, ...others } = value as { expression?: unknown; stored?: unknown };
  const unknown = Object.keys(others)[0];
  if (unknown !== undefined) badArgument(call, subject, `${wanted}; unknown key ${JSON.stringify(unknown)}`, value);
  if (!isSqlExpression(expression))
    badArgument(call, subject, "existingComputed.expression must be sql`...`", expression);
  if (typeof stored !== "boolean") badArgument(call, subject, "existingComputed.stored must be true or false", stored);
}
