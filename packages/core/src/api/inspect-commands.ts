import { CommandError } from "../errors/retort-error.js";
import type { Revision } from "../graph/revision.js";
import { resolveForCommand } from "../graph/revision-errors.js";
import { historyRevisions } from "../runtime/history-range.js";
import { ConnectionStatementSink } from "../pipeline/connection-statement-sink.js";
import { assertConsistentHeads, assertKnownRevisions, VersionTable } from "../runtime/version-table.js";
import type { ResolvedConfig, RetortConfig } from "../config/retort-config.js";
import type { RevisionHeader } from "../script/revision-header.js";
import { type CommandOptions, commandOptions, Environment, statementOptions } from "./environment.js";

export type ScriptRevision = Revision<RevisionHeader>;

export interface CurrentResult {
  /** The URL, password masked. */
  readonly url: string;
  /** The rows of the version table. */
  readonly databaseHeads: readonly string[];
  /** What `current` lists: the rows plus dependency ancestors reduced to tips. */
  readonly revisions: readonly ScriptRevision[];
}

/** Reads the version table without changing anything (the table is not created). */
export async function current(
  config: RetortConfig | ResolvedConfig,
  options: CommandOptions & { checkHeads?: boolean } = {},
): Promise<CurrentResult> {
  const environment = new Environment(config, options, { command: "current", own: commandOptions("checkHeads") });
  const databaseHeads = await readDatabaseHeads(environment);
  const graph = environment.scripts.graph;
  const revisions = graph.getAllCurrent(databaseHeads);
  if (options.checkHeads) {
    // Unlike Alembic, a head consumed only through dependsOn (shown as
    // "effective head") counts as reached: its row is merged away on upgrade.
    const shown = new Set(revisions.map((revision) => revision.id));
    const atHeads =
      graph.heads.every((head) => shown.has(head)) && databaseHeads.every((head) => graph.get(head)?.isHead);
    if (!atHeads) {
      const missing = graph.heads.filter((head) => !shown.has(head));
      const at = databaseHeads.length === 0 ? "base (empty)" : databaseHeads.join(", ");
      throw new CommandError(
        `Database is not on all head revisions: it is at ${at}; ${missing.length === 0 ? "the heads are" : `not at ${missing.join(", ")} of the heads`} ${graph.heads.join(", ")}. Run 'retort upgrade heads' to reach them.`,
        { code: "NOT_AT_HEADS" },
      );
    }
  }
  return { url: environment.maskedUrl(), databaseHeads, revisions };
}

export interface HistoryResult {
  readonly revisions: readonly ScriptRevision[];
  /** The database's heads, read when `indicateCurrent` is set or the range names `current`. */
  readonly currentHeads: readonly string[] | undefined;
}

/** Revisions newest first, optionally within `range` (`start:end`). */
export async function history(
  config: RetortConfig | ResolvedConfig,
  options: CommandOptions & { range?: string; indicateCurrent?: boolean } = {},
): Promise<HistoryResult> {
  const environment = new Environment(config, options, {
    command: "history",
    own: commandOptions("range", "indicateCurrent"),
  });
  const needsDatabase = options.indicateCurrent === true || (options.range ?? "").split(":").includes("current");
  const currentHeads = needsDatabase ? await readDatabaseHeads(environment) : undefined;
  const revisions = historyRevisions(environment.scripts.graph, options.range, currentHeads);
  return { revisions, currentHeads };
}

/** The heads of the script directory (`--resolve-dependencies`: the real heads). */
export function heads(
  config: RetortConfig | ResolvedConfig,
  options: CommandOptions & { resolveDependencies?: boolean } = {},
): ScriptRevision[] {
  const graph = new Environment(config, options, { command: "heads", own: commandOptions("resolveDependencies") })
    .scripts.graph;
  const ids = options.resolveDependencies ? graph.realHeads : graph.heads;
  return ids.map((id) => graph.get(id) as ScriptRevision);
}

export interface BranchPoint {
  readonly revision: ScriptRevision;
  /** Its children along `downRevision` edges. */
  readonly children: readonly ScriptRevision[];
}

/** Branch points, newest first, each with its children. */
export function branches(config: RetortConfig | ResolvedConfig, options: CommandOptions = {}): BranchPoint[] {
  const graph = new Environment(config, options, { command: "branches" }).scripts.graph;
  return historyRevisions(graph, undefined)
    .filter((revision) => revision.isBranchPoint)
    .map((revision) => ({
      revision,
      children: [...revision.nextRevisions].map((id) => graph.get(id) as ScriptRevision),
    }));
}

/**
 * The revisions an identifier names (`current` means the database's heads).
 * `base`, and `current` on an empty database, name none: the list is empty,
 * as Alembic's `show` then prints nothing.
 */
export async function show(
  config: RetortConfig | ResolvedConfig,
  identifier: string,
  options: CommandOptions = {},
): Promise<ScriptRevision[]> {
  const environment = new Environment(config, options, { command: "show" });
  const graph = environment.scripts.graph;
  if (identifier === "current") {
    return graph.getRevisions(await readDatabaseHeads(environment));
  }
  return resolveForCommand(identifier, () => graph.getRevisions(identifier));
}

/** Creates the version table if it is missing; returns whether it was created. */
export async function ensureVersion(
  config: RetortConfig | ResolvedConfig,
  options: CommandOptions = {},
): Promise<boolean> {
  const environment = new Environment(config, options, { command: "ensureVersion" });
  return environment.withConnection(async ({ connection }) => {
    const sink = new ConnectionStatementSink(connection, statementOptions(environment));
    // Under the migration lock, as upgrade, downgrade and stamp (on SQLite the write transaction is the lock).
    const { enabled, timeoutMs } = environment.config.lock;
    const lock =
      enabled && !connection.dialect.capabilities.lockHeldByTransaction
        ? await connection.acquireLock({ key: environment.lockKey, timeoutMs })
        : undefined;
    try {
      await sink.begin();
      try {
        const created = await new VersionTable(sink, environment.versionTable).ensure();
        await sink.commit();
        return created;
      } catch (error) {
        await sink.rollback();
        throw error;
      }
    } finally {
      await lock?.release();
    }
  });
}

async function readDatabaseHeads(environment: Environment): Promise<string[]> {
  const heads = await environment.withConnection(({ connection }) =>
    new VersionTable(
      new ConnectionStatementSink(connection, statementOptions(environment)),
      environment.versionTable,
    ).readHeads(),
  );
  assertKnownRevisions(environment.scripts.graph, heads, environment.config.versionTable);
  assertConsistentHeads(environment.scripts.graph, heads, environment.config.versionTable);
  return heads;
}
