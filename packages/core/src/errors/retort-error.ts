const brand = Symbol.for("retort.error");

/**
 * Base class of every error Retort raises on purpose. Each subclass has a
 * stable `code` a program can switch on; the message says what happened, to
 * which revision or object, and what to do.
 *
 * Packages may be loaded twice (a CLI and a project each with their own
 * copy), so test with `RetortError.isInstance(e)` rather than `instanceof`.
 */
export class RetortError extends Error {
  readonly [brand] = true;
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetortError";
    this.code = code;
  }

  static isInstance(value: unknown): value is RetortError {
    return typeof value === "object" && value !== null && brand in value;
  }
}

/** Wrong use of a command: a bad argument or option (exit status 2). */
export class UsageError extends RetortError {
  constructor(message: string) {
    super("USAGE", message);
    this.name = "UsageError";
  }
}

/** A generic failure of a command with a message for the user (Alembic's CommandError). */
export class CommandError extends RetortError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? "COMMAND", message, options);
    this.name = "CommandError";
  }
}
