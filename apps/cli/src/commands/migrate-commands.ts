import { downgrade, downgradeSql, stamp, stampSql, upgrade, upgradeSql } from "@retort/core/commands";
import type { CommandOptions, OfflineResult, RunResult } from "@retort/core";
import { optionValue } from "../argv.js";
import type { Command, CommandContext } from "../command.js";
import { withInterrupts } from "../interrupt.js";
import { checkTypesOrFail } from "./check-types-command.js";

const sqlOption = {
  name: "sql",
  takesValue: false,
  help: "don't emit SQL to the database - print it to standard output instead (FROM:TO ranges)",
};

const tagOption = {
  name: "tag",
  takesValue: true,
  help: "arbitrary tag, available to migrations as op.getContext().tag",
  metavar: "TAG",
};

const typecheckOption = {
  name: "typecheck",
  takesValue: false,
  help: "type-check the migrations and the config first (as check-types); on a type error nothing is run",
};

/** `--typecheck`: the project's TypeScript over the migrations and config, before anything else. */
async function typecheckFirst(context: CommandContext): Promise<void> {
  if (!context.parsed.flags.has("typecheck")) return;
  const { config } = await context.project();
  await checkTypesOrFail(context, config, { beforeRun: true });
}

export const upgradeCommand: Command = {
  name: "upgrade",
  summary: "Upgrade to a later version.",
  usage: "TARGET",
  options: [sqlOption, tagOption, typecheckOption],
  positionals: [1, 1],
  async run(context) {
    await typecheckFirst(context);
    const target = context.parsed.positionals[0] as string;
    if (context.parsed.flags.has("sql"))
      return printScript(context, (config, options) => upgradeSql(config, target, options));
    await runWithProgress(context, (config, options) => upgrade(config, target, options));
  },
};

export const downgradeCommand: Command = {
  name: "downgrade",
  summary: "Revert to a previous version.",
  usage: "TARGET",
  options: [sqlOption, tagOption, typecheckOption],
  positionals: [1, 1],
  async run(context) {
    await typecheckFirst(context);
    const target = context.parsed.positionals[0] as string;
    if (context.parsed.flags.has("sql")) {
      return printScript(context, (config, options) => downgradeSql(config, target, options));
    }
    await runWithProgress(context, (config, options) => downgrade(config, target, options));
  },
};

export const stampCommand: Command = {
  name: "stamp",
  summary: "'stamp' the revision table with the given revision(s); don't run any migrations.",
  usage: "REVS...",
  options: [
    sqlOption,
    tagOption,
    { name: "purge", takesValue: false, help: "delete all entries in the version table before stamping" },
  ],
  positionals: [1, Number.POSITIVE_INFINITY],
  async run(context) {
    const revisions = context.parsed.positionals;
    const purge = context.parsed.flags.has("purge");
    if (context.parsed.flags.has("sql")) {
      return printScript(context, (config, options) => stampSql(config, revisions, { ...options, purge }));
    }
    await runWithProgress(context, (config, options) => stamp(config, revisions, { ...options, purge }));
  },
};

/**
 * `--sql`: builds the whole script first (a run that needs the database
 * fails before anything is printed), then prints it on stdout.
 */
async function printScript(
  context: CommandContext,
  run: (
    config: Awaited<ReturnType<CommandContext["project"]>>["config"],
    options: CommandOptions,
  ) => Promise<OfflineResult>,
): Promise<void> {
  const { config, options } = await context.project();
  const tag = optionValue(context.parsed, "tag");
  const result = await run(config, {
    ...options,
    ...(tag === undefined ? {} : { tag }),
    onWarning: (message) => context.reporter.warning(message),
  });
  context.output.data(result.script.trimEnd());
}

async function runWithProgress(
  context: CommandContext,
  run: (
    config: Awaited<ReturnType<CommandContext["project"]>>["config"],
    options: CommandOptions,
  ) => Promise<RunResult>,
): Promise<void> {
  const { config, options } = await context.project();
  const tag = optionValue(context.parsed, "tag");
  await withInterrupts(
    (signal) =>
      run(config, {
        ...options,
        ...(tag === undefined ? {} : { tag }),
        onWarning: (message) => context.reporter.warning(message),
        signal,
      }),
    (text) => context.reporter.notice(text),
  );
}
