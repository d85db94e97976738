import { RetortError } from "../errors/retort-error.js";

// What a failed migration threw, read for its message: the statement a
// database error carries, and any thrown value (an Error or not) as text.

/** The SQL a database error carries, if any. */
export function statementOf(error: unknown): string | undefined {
  if (!RetortError.isInstance(error) || error.code !== "DATABASE") return undefined;
  const sql = (error as { sql?: unknown }).sql;
  return typeof sql === "string" ? sql : undefined;
}

/**
 * What a migration threw, as an Error: a value that is not one (`throw
 * { code: 42 }`, a string, an object without a prototype, a proxy whose
 * traps throw) becomes an Error that describes it, so that the report can
 * print it and never fails on it itself.
 */
export function asError(thrown: unknown): unknown {
  try {
    if (thrown instanceof Error || RetortError.isInstance(thrown)) return thrown;
  } catch {
    return new Error("the migration threw a value that cannot be read (a proxy whose traps throw)");
  }
  return new Error(describeThrown(thrown));
}

function describeThrown(thrown: unknown): string {
  if (typeof thrown === "string") return thrown;
  if (thrown === null || (typeof thrown !== "object" && typeof thrown !== "function")) {
    return `the migration threw ${String(thrown)}, not an Error`;
  }
  try {
    const json = JSON.stringify(thrown);
    if (json !== undefined)
      return `the migration threw ${json.length > 500 ? `${json.slice(0, 500)}...` : json}, not an Error`;
  } catch {
    // Circular, or a getter that throws: no text of it.
  }
  return "the migration threw a value that is not an Error and cannot be printed";
}

export function errorMessage(error: unknown): string {
  if (RetortError.isInstance(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
