/**
 * `@retort/core/commands`: the command functions of `@retort/core` for a
 * process that runs one command and exits, as the `retort` CLI does.
 * Importing the whole package costs every command the compile of all of
 * it (autogenerate, the migration runner, operations, offline SQL) before
 * it starts; here the commands that only read (`heads`, `history`,
 * `current`, `branches`, `show`) and config loading come with what they
 * use, and the others load their machinery when first called. Every
 * function is the one `@retort/core` exports, or awaits it: the results,
 * errors and classes are the same objects.
 *
 * ```ts
 * import { heads, loadConfig } from "@retort/core/commands";
 * console.log(heads(await loadConfig()));
 * ```
 */
import type * as Autogenerate from "./autogenerate/autogenerate-api.js";
import type * as Migrate from "./api/migrate-commands.js";
import type * as Offline from "./api/offline-commands.js";
import type * as Revision from "./api/revision-command.js";

export { branches, current, ensureVersion, heads, history, show } from "./api/inspect-commands.js";
export { isDefaultVersionLocation, VersionLocationNotFoundError } from "./config/config-errors.js";
export { findConfigFile } from "./config/find-config-file.js";
export { loadConfig } from "./config/load-config.js";
export { loadDotEnv } from "./config/dot-env.js";
export { findRevisionFiles } from "./script/find-revision-files.js";
export { initProject } from "./script/init-project.js";
export { listTemplates } from "./script/list-templates.js";
export { describeStep } from "./runtime/describe-step.js";
/** The closest of some names to a misspelt one (the CLI's "did you mean"). */
export { closestName } from "./schema/check-options.js";
export { CommandError } from "./errors/retort-error.js";

/** `upgrade` of `@retort/core`, its runner loaded on the first call. */
export async function upgrade(...args: Parameters<typeof Migrate.upgrade>): ReturnType<typeof Migrate.upgrade> {
  return (await import("./index.js")).upgrade(...args);
}

/** `downgrade` of `@retort/core`, its runner loaded on the first call. */
export async function downgrade(...args: Parameters<typeof Migrate.downgrade>): ReturnType<typeof Migrate.downgrade> {
  return (await import("./index.js")).downgrade(...args);
}

/** `stamp` of `@retort/core`, its runner loaded on the first call. */
export async function stamp(...args: Parameters<typeof Migrate.stamp>): ReturnType<typeof Migrate.stamp> {
  return (await import("./index.js")).stamp(...args);
}

/** `upgradeSql` of `@retort/core`: offline SQL, loaded on the first call. */
export async function upgradeSql(
  ...args: Parameters<typeof Offline.upgradeSql>
): ReturnType<typeof Offline.upgradeSql> {
  return (await import("./index.js")).upgradeSql(...args);
}

/** `downgradeSql` of `@retort/core`: offline SQL, loaded on the first call. */
export async function downgradeSql(
  ...args: Parameters<typeof Offline.downgradeSql>
): ReturnType<typeof Offline.downgradeSql> {
  return (await import("./index.js")).downgradeSql(...args);
}

/** `stampSql` of `@retort/core`: offline SQL, loaded on the first call. */
export async function stampSql(...args: Parameters<typeof Offline.stampSql>): ReturnType<typeof Offline.stampSql> {
  return (await import("./index.js")).stampSql(...args);
}

/** `ensureVersionSql` of `@retort/core`: offline SQL, loaded on the first call. */
export async function ensureVersionSql(
  ...args: Parameters<typeof Offline.ensureVersionSql>
): ReturnType<typeof Offline.ensureVersionSql> {
  return (await import("./index.js")).ensureVersionSql(...args);
}

/** `revision` of `@retort/core` (autogenerate included), loaded on the first call. */
export async function revision(...args: Parameters<typeof Revision.revision>): ReturnType<typeof Revision.revision> {
  return (await import("./index.js")).revision(...args);
}

/** `merge` of `@retort/core`, loaded on the first call. */
export async function merge(...args: Parameters<typeof Revision.merge>): ReturnType<typeof Revision.merge> {
  return (await import("./index.js")).merge(...args);
}

/** `checkSchema` of `@retort/core` (autogenerate's comparison), loaded on the first call. */
export async function checkSchema(
  ...args: Parameters<typeof Autogenerate.checkSchema>
): ReturnType<typeof Autogenerate.checkSchema> {
  return (await import("./index.js")).checkSchema(...args);
}
