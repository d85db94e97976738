import type { AlterColumnOperation } from "../operations/operation.js";
import { CommandError } from "../errors/retort-error.js";
import type { RevisionGraph } from "../graph/revision-graph.js";
import type { RevisionSource } from "../graph/revision-source.js";
import type { StatementSink } from "../pipeline/statement-sink.js";
import { string } from "../schema/column-type.js";
import { HeadMaintainer } from "./head-maintainer.js";
import type { MigrationStep } from "./migration-plan.js";
import type { VersionTableOptions } from "./version-table.js";

/**
 * The width of `version_num` in the version table Retort creates:
 * `VARCHAR(32)`, as in Alembic (see `versionTableOperation`). Revision ids
 * may be longer (Alembic accepts any length); they fit once the column is
 * widened, and on SQLite, which does not enforce the width.
 */
export const DEFAULT_VERSION_NUM_WIDTH = 32;

/** The width suggested to widen the column to: 64, or the longest id when that is longer. */
function suggestedWidth(length: number): number {
  return Math.max(64, length);
}

export interface VersionIdWidthCheck<S extends RevisionSource> {
  readonly sink: StatementSink;
  readonly graph: RevisionGraph<S>;
  readonly versionTable: VersionTableOptions;
  /** The rows the plan starts from. */
  readonly heads: readonly string[];
  readonly steps: readonly MigrationStep[];
  /** Offline: whether the script creates the version table (it starts from base). */
  readonly scriptCreatesTable: boolean;
}

/**
 * Refuses, before anything runs, a plan that would write a revision id
 * longer than the version table's `version_num` holds: on PostgreSQL the
 * run would otherwise fail at its last row with a bare `value too long`,
 * after every migration ran (MySQL would fail or, outside strict mode,
 * truncate the id). Once per run: a scan of the plan's ids, and only when
 * one is longer than 32 characters one catalog read (the dialect's
 * `columnWidthQuery`) of the existing column's width; a table about to be
 * created will be 32 wide. A dialect that enforces no width (SQLite), an
 * unlimited column, or offline an existing table (its width is unknown, as
 * in Alembic) are accepted.
 */
export async function assertVersionIdsFit<S extends RevisionSource>(check: VersionIdWidthCheck<S>): Promise<void> {
  if (longestCandidate(check.steps) <= DEFAULT_VERSION_NUM_WIDTH) return;
  const { sink, versionTable } = check;
  const query = sink.dialect.columnWidthQuery?.(versionTable.name, "version_num", versionTable.schema);
  if (query === undefined) return;
  let width: number | undefined;
  let creates: boolean;
  if (sink.offline) {
    if (!check.scriptCreatesTable) return;
    width = DEFAULT_VERSION_NUM_WIDTH;
    creates = true;
  } else {
    const need = { what: "Reading the version table's column width", instead: "" };
    const row = (await sink.query<{ width: unknown }>(query, need)).rows[0];
    // No row: the table does not exist yet (a table without version_num failed reading the heads).
    creates = row === undefined;
    width = creates ? DEFAULT_VERSION_NUM_WIDTH : toWidth(row?.width);
    if (width === undefined) return;
  }
  const tooLong = firstTooLong(check, width);
  if (tooLong !== undefined) throw tooLongError(check, tooLong, width, creates);
}

/** The longest id any step could write: an upgrade's revision, a downgrade's parents, a stamp's destinations. */
function longestCandidate(steps: readonly MigrationStep[]): number {
  let longest = 0;
  for (const step of steps) {
    if (step.kind === "stamp") {
      for (const id of step.to) longest = Math.max(longest, id.length);
    } else if (step.direction === "upgrade") {
      longest = Math.max(longest, step.revision.id.length);
    } else {
      for (const parent of step.revision.links.normalizedDown) longest = Math.max(longest, parent.id.length);
    }
  }
  return longest;
}

/** The first id the plan's row changes write that is longer than `width` (the rows as the run will write them). */
function firstTooLong<S extends RevisionSource>(check: VersionIdWidthCheck<S>, width: number): string | undefined {
  const maintainer = new HeadMaintainer(check.graph, check.heads);
  try {
    for (const step of check.steps) {
      for (const change of maintainer.apply(step)) {
        const written = change.kind === "insert" ? change.revision : change.kind === "update" ? change.to : undefined;
        if (written !== undefined && written.length > width) return written;
      }
    }
  } catch {
    // A plan the rows do not fit fails in the run itself, with its own message.
  }
  return undefined;
}

function toWidth(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const width = Number(value);
  return Number.isFinite(width) && width > 0 ? width : undefined;
}

function tooLongError<S extends RevisionSource>(
  check: VersionIdWidthCheck<S>,
  id: string,
  width: number,
  creates: boolean,
): CommandError {
  const { sink, versionTable } = check;
  const table = versionTable.schema === undefined ? versionTable.name : `${versionTable.schema}.${versionTable.name}`;
  const path = check.graph.get(id)?.source.path;
  const where = path === undefined ? "" : ` (in ${path})`;
  const alter = widenStatement(check, suggestedWidth(id.length), width);
  const column = `version_num VARCHAR(${width})`;
  const shorten = `shorten the id${path === undefined ? "" : " in that file"} (and every downRevision and dependsOn that names it)`;
  let state: string;
  let widen: string;
  if (sink.offline) {
    state = `the script creates the version table '${table}' with ${column}, as Alembic does, so it would fail when run. Nothing was written`;
    widen =
      "run the command online instead, after creating the table with 'retort ensure-version' and widening its column";
  } else if (creates) {
    state = `the version table '${table}' does not exist yet and Retort creates it with ${column}, as Alembic does. Nothing was run`;
    widen = "create the table first with 'retort ensure-version', widen its column, then run the command again";
  } else {
    state = `the version table '${table}' holds at most ${width} characters (${column}). Nothing was run`;
    widen = "widen the column, then run the command again";
  }
  return new CommandError(
    `Revision identifier '${id}'${where} is ${id.length} characters long, but ${state}. Either ${shorten}, or ${widen}: ${alter}`,
    { code: "REVISION_ID_TOO_LONG" },
  );
}

/** The dialect's own ALTER that widens `version_num` (PostgreSQL's `ALTER COLUMN ... TYPE`, MySQL's `MODIFY`). */
function widenStatement<S extends RevisionSource>(check: VersionIdWidthCheck<S>, to: number, from: number): string {
  const { versionTable } = check;
  const operation: AlterColumnOperation = {
    kind: "alterColumn",
    table: versionTable.name,
    column: "version_num",
    ...(versionTable.schema === undefined ? {} : { schema: versionTable.schema }),
    type: string(to),
    existingType: string(from),
    existingNullable: false,
  };
  const dialect = check.sink.dialect;
  let statements: readonly { readonly sql: string }[];
  try {
    statements = dialect.compile(operation);
  } catch {
    // A dialect whose DDL takes no schema (its DML may qualify the table): the table unqualified.
    const { schema: _schema, ...unqualified } = operation;
    statements = dialect.compile(unqualified);
  }
  return `${statements.map((statement) => statement.sql).join("; ")};`;
}
