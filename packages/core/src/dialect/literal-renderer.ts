import { isWrittenSqlExpression } from "../schema/sql-expression.js";

/**
 * Renders JavaScript values as SQL literals, for offline scripts and DDL
 * defaults. The defaults are standard SQL: strings in single quotes with
 * `''` doubling, numbers and bigints as written, `TRUE`/`FALSE`, `NULL`, a
 * Date as its ISO-8601 text in UTC, arrays and plain objects as JSON text,
 * ``sql`...` `` verbatim. A dialect overrides the hook of the kind it writes
 * differently (SQLite's booleans are 1/0, PostgreSQL's arrays `ARRAY[...]`).
 *
 * ```ts
 * new LiteralRenderer("SQL").render("it's"); // 'it''s'
 * ```
 */
export class LiteralRenderer {
  /** The database's name, for messages (`SQLite`, `PostgreSQL`). */
  readonly databaseName: string;

  constructor(databaseName: string) {
    this.databaseName = databaseName;
  }

  render(value: unknown): string {
    if (value === null || value === undefined) return "NULL";
    switch (typeof value) {
      case "string":
        return this.string(value);
      case "number":
        return this.number(value);
      case "bigint":
        return value.toString();
      case "boolean":
        return this.boolean(value);
      default:
        break;
    }
    if (value instanceof Date) return this.string(dateToIso(value, this.databaseName));
    if (value instanceof Uint8Array) return this.bytes(value);
    if (isWrittenSqlExpression(value)) return value.text;
    if (Array.isArray(value)) return this.array(value);
    if (isPlainObject(value)) return this.string(JSON.stringify(value));
    throw new TypeError(`Cannot render a ${describeValue(value)} as a ${this.databaseName} literal`);
  }

  /** `'text'`, embedded quotes doubled. */
  protected string(text: string): string {
    return `'${text.replaceAll("'", "''")}'`;
  }

  protected number(value: number): string {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot render ${value} as a ${this.databaseName} literal`);
    return String(value);
  }

  protected boolean(value: boolean): string {
    return value ? "TRUE" : "FALSE";
  }

  /** Standard SQL's binary string literal: `X'0AFF'`. */
  protected bytes(value: Uint8Array): string {
    return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex").toUpperCase()}'`;
  }

  /** An array as its JSON text (a database with array literals overrides this). */
  protected array(values: readonly unknown[]): string {
    return this.string(JSON.stringify(values));
  }
}

/** ISO-8601 in UTC (`2024-01-02T03:04:05.000Z`); an invalid Date is a `RangeError`. */
export function dateToIso(value: Date, databaseName: string): string {
  if (Number.isNaN(value.getTime())) throw new RangeError(`Cannot use an invalid Date as a ${databaseName} value`);
  return value.toISOString();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A short name of a value's type for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value as object).constructor?.name ?? "object";
}
