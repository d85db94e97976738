import { quoteStatement } from "./migration-error.js";

/** What the run knows when a migration failed or was interrupted. */
export interface FailureContext {
  /** A `--sql` run: nothing touched a database. */
  readonly offline: boolean;
  readonly transactionalDdl: boolean;
  /** Whether anything was committed before the failure (per-migration commits, autocommit blocks). */
  readonly committedMidRun: boolean;
  /** The heads the version table holds after the rollback. */
  readonly heads: readonly string[];
  /** What `retort stamp` records once the failed migration's work is finished by hand (its revision, or a downgrade's parents). */
  readonly stampTo?: readonly string[] | undefined;
  /** The failed migration's statements, and how many of them a commit made permanent. */
  readonly sink: {
    readonly executed: readonly string[];
    readonly committedCount: number;
    readonly failureCommitted: boolean;
  };
}

/** Says what a rollback leaves, for the message of a failed (or interrupted) migration. */
export function stateAfterFailure(context: FailureContext): string {
  const { sink } = context;
  // Offline, the script is written only when the whole run succeeded.
  if (context.offline)
    return "No script was written and no database was touched (--sql): fix the migration, then generate the script again.";
  const heads = context.heads.join(", ") || "base (empty)";
  const stampTo =
    context.stampTo === undefined || context.stampTo.length === 0 ? "<revision>" : context.stampTo.join(" ");
  const lines = (statements: readonly string[]) =>
    statements.map((sql) => `\n    ${quoteStatement(sql, "      ")};`).join("");
  // What a commit made permanent, as the connection saw it: an autocommit block's and, without
  // transactional DDL, each statement after which the server said no transaction was open.
  const committed = sink.executed.slice(0, sink.committedCount);
  const rolledBack = sink.executed.slice(sink.committedCount);
  if (!context.transactionalDdl) {
    const partly = sink.failureCommitted
      ? "The failed statement committed the transaction before it failed (MySQL commits before a DDL statement, even one that fails); if its text held several statements, those before the error ran and stay applied too. "
      : "";
    if (sink.executed.length === 0) {
      return `No statement of this migration ran${partly === "" ? "." : ` before the failed one. ${partly.trimEnd()}`} The version table is at ${heads} (the last complete migration): fix the migration, then run the command again.`;
    }
    const undone = rolledBack.length === 0 ? "" : `Rolled back with the failure:${lines(rolledBack)}\n  `;
    if (committed.length === 0) {
      return `No statement of this migration stays applied. ${undone}The version table is at ${heads} (the last complete migration): fix the migration, then run the command again.`;
    }
    return (
      "This database commits every DDL statement by itself: of this migration, only what ran after its last commit (a DDL statement or an autocommit block) was rolled back. " +
      `Statements of this migration that already ran:${lines(committed)}\n  ` +
      undone +
      partly +
      `The version table is at ${heads} (the last complete migration). ` +
      `Undo those statements by hand (or finish the migration's work by hand and record it with 'retort stamp ${stampTo}'), fix the migration, then run the command again.`
    );
  }
  if (!context.committedMidRun) {
    return "The whole run was rolled back: schema and version table are as they were before this command.";
  }
  // An autocommit block starts with a commit: what ran before it in this migration stays too.
  const kept =
    committed.length === 0
      ? ""
      : ` Of this migration, what ran before and in its autocommit block stays applied (it runs again on the next attempt):${lines(committed)}`;
  return `Rolled back to the last commit: the version table is at ${heads}, with every migration before it applied.${kept}`;
}
