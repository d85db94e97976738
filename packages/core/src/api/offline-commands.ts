import { CommandError } from "../errors/retort-error.js";
import { parseRelative } from "../graph/relative-target.js";
import { resolveForCommand } from "../graph/revision-errors.js";
import { ScriptStatementSink } from "../pipeline/script-statement-sink.js";
import { planDowngrade, planStamp, planUpgrade, type MigrationStep } from "../runtime/migration-plan.js";
import { runMigrations, type RunResult } from "../runtime/migration-runner.js";
import { VersionTable } from "../runtime/version-table.js";
import type { ResolvedConfig, RetortConfig } from "../config/retort-config.js";
import { type CommandOptions, commandOptions, Environment } from "./environment.js";
import { explainAmbiguousDowngrade, explainAmbiguousUpgrade } from "./ambiguous-walk-hint.js";

/** What an offline command returns: the script, and the run it describes. */
export interface OfflineResult extends RunResult {
  /** The SQL script, as `--sql` prints it. */
  readonly script: string;
}

/**
 * `upgrade --sql [FROM:]TO`: the SQL script of an upgrade, for the URL's
 * dialect, without connecting. Without `FROM` the script starts from an
 * empty database (and creates the version table), as Alembic's does; a
 * relative target then counts from base (`+2`: the first two), with a
 * warning that says how to count from a revision.
 *
 * ```ts
 * const { script } = await upgradeSql(config, "ae1027a6acf:head");
 * ```
 */
export function upgradeSql(
  config: RetortConfig | ResolvedConfig,
  range: string,
  options: CommandOptions = {},
): Promise<OfflineResult> {
  const environment = new Environment(config, options, { runsMigrations: true, command: "upgradeSql" });
  const { start, target } = splitRange(range);
  if (start === undefined && parseRelative(target)) {
    // As Alembic: no FROM is an empty database, so `+2` counts from base (the script creates the version table).
    options.onWarning?.(
      `--sql without a starting revision starts from an empty database: ${target} counts from base. To count from a database's revision, give it: upgrade --sql <fromrev>:${target}`,
    );
  }
  const spell = (to: string) => `retort upgrade --sql ${start === undefined ? "" : `${start}:`}${to}`;
  return runOffline(environment, start, target, (graph, heads) =>
    explainAmbiguousUpgrade(graph, target, () => planUpgrade(graph, heads, target), spell),
  );
}

/** `downgrade --sql FROM:TO`: the SQL script of a downgrade; `FROM` is required, as in Alembic. */
export function downgradeSql(
  config: RetortConfig | ResolvedConfig,
  range: string,
  options: CommandOptions = {},
): Promise<OfflineResult> {
  const environment = new Environment(config, options, { runsMigrations: true, command: "downgradeSql" });
  if (!range.includes(":")) {
    throw new CommandError("downgrade with --sql requires <fromrev>:<torev>", { code: "OFFLINE_RANGE_REQUIRED" });
  }
  const { start, target } = splitRange(range);
  const warn = options.onWarning;
  const spell = (to: string) => `retort downgrade --sql ${start}:${to}`;
  return runOffline(environment, start, target, (graph, heads) =>
    explainAmbiguousDowngrade(
      graph,
      target,
      () => planDowngrade(graph, heads, target, warn ? { onWarning: warn } : {}),
      spell,
    ),
  );
}

/**
 * `stamp --sql [FROM:]REV...`: the version-row statements of a stamp. All
 * items share one starting revision, as Alembic requires.
 */
export function stampSql(
  config: RetortConfig | ResolvedConfig,
  revisions: string | readonly string[],
  options: CommandOptions & { purge?: boolean } = {},
): Promise<OfflineResult> {
  if (options.purge) throw new CommandError("Can't use --purge with --sql mode", { code: "OFFLINE_PURGE" });
  const environment = new Environment(config, options, { command: "stampSql", own: commandOptions("purge") });
  const items = (typeof revisions === "string" ? [revisions] : [...revisions]).map((item) => {
    const colon = item.indexOf(":");
    return colon === -1
      ? { start: undefined, target: item }
      : { start: item.slice(0, colon), target: item.slice(colon + 1) };
  });
  const starts = new Set(items.map((item) => item.start).filter((start) => start !== undefined));
  if (starts.size > 1) {
    throw new CommandError("Stamp operation with --sql only supports a single starting revision at a time", {
      code: "OFFLINE_STAMP_START",
    });
  }
  const [start] = [...starts];
  const targets = items.map((item) => item.target);
  return runOffline(environment, start, targets.join(" "), (graph, heads) => planStamp(graph, heads, targets));
}

/** `ensure-version --sql`: the `CREATE TABLE` of the version table. */
export async function ensureVersionSql(
  config: RetortConfig | ResolvedConfig,
  options: CommandOptions = {},
): Promise<string> {
  const environment = new Environment(config, options, { command: "ensureVersionSql" });
  const sink = new ScriptStatementSink(await environment.offlineDialect());
  await sink.begin();
  await new VersionTable(sink, environment.versionTable).create();
  await sink.commit();
  return sink.script;
}

/** `FROM:TO` → its parts (`FROM` may be left out). */
function splitRange(range: string): { start: string | undefined; target: string } {
  const colon = range.indexOf(":");
  return colon === -1
    ? { start: undefined, target: range }
    : { start: range.slice(0, colon), target: range.slice(colon + 1) };
}

/** Runs the plan through a script sink: no connection, no lock, heads from `start`. */
async function runOffline(
  environment: Environment,
  start: string | undefined,
  target: string,
  plan: (graph: Environment["scripts"]["graph"], heads: readonly string[]) => MigrationStep[],
): Promise<OfflineResult> {
  const scripts = environment.scripts;
  const graph = scripts.graph;
  // One revision, as Alembic's `get_revision` reads it: `heads` (or a label's) naming several is refused
  // rather than a script written from one of them.
  const startRevision = start === undefined ? null : resolveForCommand(start, () => graph.getRevision(start));
  const startHeads = startRevision === null ? [] : [startRevision.id];
  const sink = new ScriptStatementSink(await environment.offlineDialect());
  const result = await runMigrations({
    sink,
    startHeads,
    graph,
    versionTable: environment.versionTable,
    transactionPerMigration: environment.config.transactionPerMigration,
    lock: { enabled: false, timeoutMs: 0, key: "" },
    plan: (heads) => plan(graph, heads),
    replannable: !parseRelative(target),
    loadModule: (header) => scripts.loadModule(header),
    prepareModules: (headers) => scripts.prepareModules(headers),
    xArgList: environment.options.xArgs ?? [],
    tag: environment.options.tag,
    ...(environment.options.onWarning ? { onWarning: environment.options.onWarning } : {}),
  });
  return { ...result, script: sink.script };
}
