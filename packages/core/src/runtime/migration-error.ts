import { RetortError } from "../errors/retort-error.js";

/**
 * A migration that failed. Says which revision, the statement that failed,
 * the database's message, and in what state the database was left.
 */
export class MigrationFailedError extends RetortError {
  readonly revision: string;
  readonly direction: string;
  readonly statement: string | undefined;
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
  }) {
    const where = details.path === undefined ? "" : ` (${details.path})`;
    const lines = [`${details.direction} of revision ${details.revision}${where} failed: ${details.reason}`];
    if (details.statement !== undefined) lines.push(`  statement: ${details.statement}`);
    lines.push(`  ${details.state}`);
    super("MIGRATION_FAILED", lines.join("\n"), { cause: details.cause });
    this.name = "MigrationFailedError";
    this.revision = details.revision;
    this.direction = details.direction;
    this.statement = details.statement;
    this.headsAfter = details.headsAfter;
  }
}
