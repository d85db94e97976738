import { CommandError } from "../errors/retort-error.js";
import { planDowngrade, planStamp, planUpgrade, type MigrationStep } from "../runtime/migration-plan.js";
import { runMigrations, type RunResult } from "../runtime/migration-runner.js";
import type { ResolvedConfig, RetortConfig } from "../config/retort-config.js";
import { type CommandOptions, Environment } from "./environment.js";

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
  return migrate(new Environment(config, options), (graph, heads) => planUpgrade(graph, heads, target), target);
}

/** Downgrades the database to `target` (`-1`, `base`, a revision, `label@rev`, ...). */
export function downgrade(
  config: RetortConfig | ResolvedConfig,
  target: string,
  options: CommandOptions = {},
): Promise<RunResult> {
  rejectRange(target);
  const warn = options.onWarning;
  return migrate(
    new Environment(config, options),
    (graph, heads) => planDowngrade(graph, heads, target, warn ? { onWarning: warn } : {}),
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
  return migrate(
    new Environment(config, options),
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
      connection,
      graph: scripts.graph,
      versionTable: environment.versionTable,
      transactionPerMigration: environment.config.transactionPerMigration,
      lock: {
        enabled: lockConfig.enabled,
        timeoutMs: lockConfig.timeoutMs,
        key: `${environment.config.versionTableSchema ?? ""}.${environment.config.versionTable}`,
      },
      plan: (heads) => plan(scripts.graph, heads),
      replannable: !relativeTarget.test(target),
      purge,
      loadModule: (header) => scripts.loadModule(header),
      xArgList: environment.options.xArgs ?? [],
      tag: environment.options.tag,
      ...(environment.options.onPlan ? { onPlan: environment.options.onPlan } : {}),
      ...(environment.options.onStepStart ? { onStepStart: environment.options.onStepStart } : {}),
      ...(environment.options.onStepDone ? { onStepDone: environment.options.onStepDone } : {}),
      ...(environment.options.signal ? { signal: environment.options.signal } : {}),
    }),
  );
}

function rejectRange(target: string): void {
  if (target.includes(":")) {
    throw new CommandError("Range revision not allowed", { code: "RANGE_NOT_ALLOWED" });
  }
}
