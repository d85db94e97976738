import { RetortError } from "../errors/retort-error.js";
import { formatLocation, locationIn, type SourceLocation } from "../errors/source-location.js";

/**
 * A migration that failed. Says which revision, where in its file the error
 * was thrown, the statement that failed, the database's message, and in
 * what state the database was left.
 */
export class MigrationFailedError extends RetortError {
  readonly revision: string;
  readonly direction: string;
  readonly statement: string | undefined;
  /**
   * The line of the migration's file the error went through (the `.ts`
   * source's line), from the stack of `cause` or of its causes; `undefined`
   * when no frame is in the file (a database error raised in the driver
   * without one).
   */
  readonly location: SourceLocation | undefined;
  /** The heads the version table holds after the rollback. */
  readonly headsAfter: readonly string[];

  constructor(details: {
    revision: string;
    direction: string;
    path: string | undefined;
    statement: string | undefined;
    reason: string;
    state: string;
    headsAfter: readonly string[];
    cause: unknown;
    /**
     * An error made (`new Error()`) when the migration called the operation
     * that failed: its stack holds the migration's line when the cause's
     * does not, as for a database error raised off the migration's call
     * chain.
     */
    callSite?: unknown;
  }) {
    const where = details.path === undefined ? "" : ` (${details.path})`;
    const location =
      details.path === undefined
        ? undefined
        : (locationIn(details.cause, details.path) ?? locationIn(details.callSite, details.path));
    const lines = [`${details.direction} of revision ${details.revision}${where} failed: ${details.reason}`];
    if (location !== undefined) lines.push(`  at ${formatLocation(location)}`);
    if (details.statement !== undefined) lines.push(`  statement: ${quoteStatement(details.statement, "    ")}`);
    lines.push(`  ${details.state}`);
    super("MIGRATION_FAILED", lines.join("\n"), { cause: details.cause });
    this.name = "MigrationFailedError";
    this.revision = details.revision;
    this.direction = details.direction;
    this.statement = details.statement;
    this.location = location;
    this.headsAfter = details.headsAfter;
  }
}

/** How much of a statement a message quotes (a bulk insert's can run to megabytes). */
const QUOTED_STATEMENT_LENGTH = 1000;

/**
 * A statement as a message quotes it: cut after `QUOTED_STATEMENT_LENGTH`
 * characters (saying how many more there were), and every line after its
 * first indented by `indent`, so that a statement of several lines (a
 * `CREATE TABLE`) stays inside the message block it is quoted in.
 */
export function quoteStatement(text: string, indent: string): string {
  const cut =
    text.length > QUOTED_STATEMENT_LENGTH
      ? `${text.slice(0, QUOTED_STATEMENT_LENGTH)}… (${text.length - QUOTED_STATEMENT_LENGTH} more characters)`
      : text;
  return cut.replace(/\n/g, `\n${indent}`);
}
