import { CommandError } from "../errors/retort-error.js";

/** A piece of raw SQL, written with the `sql` tag (``sql`lower(name)` ``), or a portable function. */
export interface SqlExpression {
  readonly kind: "sql";
  /** The SQL text; for a portable function, its standard spelling (`CURRENT_TIMESTAMP`). */
  readonly text: string;
  /** Set by `currentTimestamp()`, `currentDate()`, `currentTime()`: each dialect writes it its own way. */
  readonly portable?: PortableSqlFunction;
}

/** The functions every dialect writes natively (`Dialect.renderSqlFunction`). */
export type PortableSqlFunction = "currentTimestamp" | "currentDate" | "currentTime";

/** The SQL standard's spelling of each portable function, which SQLite, PostgreSQL and MySQL all accept. */
export const STANDARD_SQL_FUNCTIONS: Readonly<Record<PortableSqlFunction, string>> = {
  currentTimestamp: "CURRENT_TIMESTAMP",
  currentDate: "CURRENT_DATE",
  currentTime: "CURRENT_TIME",
};

/**
 * Marks the expressions `sql` and the portable functions make (a
 * non-enumerable property, under a registered symbol so that two copies of
 * the package agree). A value in `bulkInsert` is written as SQL only with
 * it: data that merely looks like one (a JSON document `{ "kind": "sql",
 * "text": ... }`) is bound as a value, never run.
 */
const WRITTEN = Symbol.for("retort.sqlExpression");

function written(expression: SqlExpression): SqlExpression {
  Object.defineProperty(expression, WRITTEN, { value: true });
  return expression;
}

/** Whether `value` was made by `sql` or a portable function (not data shaped like an expression). */
export function isWrittenSqlExpression(value: unknown): value is SqlExpression {
  return isSqlExpression(value) && (value as unknown as Record<symbol, unknown>)[WRITTEN] === true;
}

function portable(name: PortableSqlFunction): SqlExpression {
  return written({ kind: "sql", text: STANDARD_SQL_FUNCTIONS[name], portable: name });
}

/**
 * The current date and time, as each database writes it (`CURRENT_TIMESTAMP`
 * on SQLite, PostgreSQL and MySQL), where ``sql`now()` `` works on
 * PostgreSQL and MySQL only. For server defaults and values:
 *
 * ```ts
 * column("created_at", dateTime(), { serverDefault: currentTimestamp() })
 * await op.bulkInsert("audit", [{ event: "created", at: currentTimestamp() }]);
 * ```
 */
export function currentTimestamp(): SqlExpression {
  return portable("currentTimestamp");
}

/** The current date (`CURRENT_DATE`), as each database writes it; see `currentTimestamp`. */
export function currentDate(): SqlExpression {
  return portable("currentDate");
}

/** The current time of day (`CURRENT_TIME`), as each database writes it; see `currentTimestamp`. */
export function currentTime(): SqlExpression {
  return portable("currentTime");
}

/**
 * An expression's SQL for a dialect: a portable function as the dialect
 * renders it (its `renderSqlFunction`, else the standard spelling), any
 * other expression as written.
 */
export function expressionSql(
  expression: SqlExpression,
  dialect: { renderSqlFunction?(name: PortableSqlFunction): string },
): string {
  if (expression.portable === undefined) return expression.text;
  return dialect.renderSqlFunction?.(expression.portable) ?? expression.text;
}

/**
 * Marks text as raw SQL, e.g. a server default or a computed column:
 *
 * ```ts
 * column("created_at", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` })
 * ```
 *
 * Interpolated values are inserted verbatim: use it for SQL you wrote, never
 * for user input. A `sql` expression interpolated in another is inserted
 * as its SQL, so a literal from `op.inlineLiteral` composes:
 * ``sql`UPDATE t SET flag = ${op.inlineLiteral(true)}` `` (a portable
 * function as its standard spelling, `CURRENT_TIMESTAMP`). An object with
 * no text of its own is refused rather than written as `[object Object]`.
 */
export function sql(strings: TemplateStringsArray | string, ...values: unknown[]): SqlExpression {
  if (typeof strings === "string") return written({ kind: "sql", text: strings });
  let text = strings[0] ?? "";
  for (let index = 0; index < values.length; index++) {
    text += interpolatedText(values[index], strings, index) + (strings[index + 1] ?? "");
  }
  return written({ kind: "sql", text });
}

/**
 * The text a value takes in a `sql` template: a `sql` expression's SQL, or
 * `String(value)`. An object `String` would write as `[object …]` (data
 * shaped like an expression among them) throws, naming the template: that
 * text would reach the database, or a `--sql` script.
 */
function interpolatedText(value: unknown, strings: TemplateStringsArray, index: number): string {
  if (isWrittenSqlExpression(value)) return value.text;
  const text = String(value);
  if (typeof value !== "object" || value === null || !/^\[object [^\]]*\]$/.test(text)) return text;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows where each value went.
  const template = strings.join("${…}");
  const shown = template.length > 80 ? `${template.slice(0, 77)}...` : template;
  throw new CommandError(
    `sql\`${shown}\`: value ${index + 1} is an object with no SQL text (${text}). Interpolate SQL you wrote (a string, a number, a sql\`...\` expression, op.inlineLiteral(value)), or pass data as a bound parameter: op.execute(statement, [value])`,
    { code: "SQL_INTERPOLATION" },
  );
}

export function isSqlExpression(value: unknown): value is SqlExpression {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "sql";
}
