import { CommandError } from "../errors/retort-error.js";
import { parseRelative } from "../graph/relative-target.js";
import { MultipleHeadsError } from "../graph/revision-errors.js";
import {
  checkUpgradeTarget,
  planDowngrade,
  planStamp,
  planUpgrade,
  type MigrationStep,
} from "../runtime/migration-plan.js";
import { runMigrations, type RunResult } from "../runtime/migration-runner.js";
import { ConnectionStatementSink } from "../pipeline/connection-statement-sink.js";
import type { ResolvedConfig, RetortConfig } from "../config/retort-config.js";
import { type CommandOptions, commandOptions, Environment, statementOptions } from "./environment.js";
import { explainAmbiguousDowngrade, explainAmbiguousUpgrade } from "./ambiguous-walk-hint.js";

const relativeTarget = /[+-]\d+$/;

/**
 * Upgrades the database to `target` (`head`, `heads`, a revision, `label@head`, `+2`, ...).
 *
 * ```ts
 * import { upgrade } from "@retort/core";
 * await upgrade(config, "head");
 * ```
 */
export function upgrade(
  config: RetortConfig | ResolvedConfig,
  target: string,
  options: CommandOptions = {},
): Promise<RunResult> {
  rejectRange(target);
  const environment = new Environment(config, options, { runsMigrations: true, command: "upgrade" });
  // An absolute target resolves the same from any database state: an
  // unknown revision or `head` among several heads fails before connecting.
  if (!parseRelative(target)) checkUpgradeTarget(environment.scripts.graph, target);
  return migrate(
    environment,
    (graph, heads) => explainAmbiguousUpgrade(graph, target, () => planUpgrade(graph, heads, target)),
    target,
  );
}

/** Downgrades the database to `target` (`-1`, `base`, a revision, `label@rev`, ...). */
export function downgrade(
  config: RetortConfig | ResolvedConfig,
  target: string,
  options: CommandOptions = {},
): Promise<RunResult> {
  rejectRange(target);
  const warn = options.onWarning;
  const environment = new Environment(config, options, { runsMigrations: true, command: "downgrade" });
  checkDowngradeTarget(environment.scripts.graph, target);
  return migrate(
    environment,
    (graph, heads) =>
      explainAmbiguousDowngrade(graph, target, () =>
        planDowngrade(graph, heads, target, warn ? { onWarning: warn } : {}),
      ),
    target,
  );
}

/**
 * Writes the version table to `revisions` without running migrations.
 * `purge` first deletes every row (the way out when the table names a
 * revision that no longer exists).
 */
export function stamp(
  config: RetortConfig | ResolvedConfig,
  revisions: string | readonly string[],
  options: CommandOptions & { purge?: boolean } = {},
): Promise<RunResult> {
  const targets = typeof revisions === "string" ? [revisions] : [...revisions];
  for (const target of targets) rejectRange(target);
  const environment = new Environment(config, options, { command: "stamp", own: commandOptions("purge") });
  // Destinations are absolute: they resolve the same from any database state.
  planStamp(environment.scripts.graph, [], targets);
  return migrate(
    environment,
    (graph, heads) => planStamp(graph, heads, targets),
    targets.join(" "),
    options.purge ?? false,
  );
}

async function migrate(
  environment: Environment,
  plan: (graph: Environment["scripts"]["graph"], heads: readonly string[]) => MigrationStep[],
  target: string,
  purge = false,
): Promise<RunResult> {
  const scripts = environment.scripts;
  const lockConfig = environment.config.lock;
  return environment.withConnection(({ connection }) =>
    runMigrations({
      sink: new ConnectionStatementSink(connection, statementOptions(environment)),
      connection,
      graph: scripts.graph,
      versionTable: environment.versionTable,
      transactionPerMigration: environment.config.transactionPerMigration,
      lock: {
        enabled: lockConfig.enabled,
        timeoutMs: lockConfig.timeoutMs,
        key: environment.lockKey,
      },
      plan: (heads) => plan(scripts.graph, heads),
      replannable: !relativeTarget.test(target),
      purge,
      // On a server the first call of each migration's functions compiles
      // them between two statements; a repeated run loads that code from
      // the CLI's code cache instead. On SQLite the batches compile as
      // before, so a fresh deploy stays as fast next to a repeated run.
      loadModule: (header) => scripts.loadModule(header, { codeCache: connection.blocking !== true }),
      prepareModules: (headers) => scripts.prepareModules(headers),
      xArgList: environment.options.xArgs ?? [],
      tag: environment.options.tag,
      ...(environment.options.reporter ? { reporter: environment.options.reporter } : {}),
      ...(environment.options.signal ? { signal: environment.options.signal } : {}),
      ...(environment.options.onWarning ? { onWarning: environment.options.onWarning } : {}),
    }),
  );
}

/**
 * Resolves an absolute downgrade target from the scripts alone, as the
 * planner does first (`label@rev` looks up `rev`), so a typo fails before
 * connecting. Whether it is below the current heads needs the database.
 */
function checkDowngradeTarget(graph: Environment["scripts"]["graph"], target: string): void {
  if (parseRelative(target)) return;
  const at = target.lastIndexOf("@");
  try {
    graph.getRevision(target.slice(at + 1));
  } catch (error) {
    // The planner names the whole target in this message.
    if (MultipleHeadsError.isInstance(error)) throw MultipleHeadsError.forCommand(error.heads, target);
    throw error;
  }
}

function rejectRange(target: string): void {
  if (target.includes(":")) {
    throw new CommandError("Range revision not allowed", { code: "RANGE_NOT_ALLOWED" });
  }
}
