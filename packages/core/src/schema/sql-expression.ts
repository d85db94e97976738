/** A piece of raw SQL, written with the `sql` tag: ``sql`now()` ``. */
export interface SqlExpression {
  readonly kind: "sql";
  readonly text: string;
}

/**
 * Marks text as raw SQL, e.g. a server default or a computed column:
 *
 * ```ts
 * column("created_at", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` })
 * ```
 *
 * Interpolated values are inserted verbatim: use it for SQL you wrote, never
 * for user input.
 */
export function sql(strings: TemplateStringsArray | string, ...values: unknown[]): SqlExpression {
  if (typeof strings === "string") return { kind: "sql", text: strings };
  let text = strings[0] ?? "";
  for (let index = 0; index < values.length; index++) {
    text += String(values[index]) + (strings[index + 1] ?? "");
  }
  return { kind: "sql", text };
}

export function isSqlExpression(value: unknown): value is SqlExpression {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "sql";
}
