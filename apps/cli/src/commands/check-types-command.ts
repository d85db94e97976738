import { CommandError } from "@retort/core/commands";
import type { ResolvedConfig } from "@retort/core";
import type { Command, CommandContext } from "../command.js";
import { stderr } from "../stdio.js";
import { typeCheck } from "../typecheck.js";

/**
 * `retort check-types`: type-checks the migrations and the config with the
 * project's own TypeScript (see `typeCheck`). Errors are printed one a
 * line, `file:line:column - error TS...`, then the command fails.
 */
export const checkTypesCommand: Command = {
  name: "check-types",
  summary: "Type-check the migration files and the config with the project's TypeScript.",
  usage: "",
  options: [],
  positionals: [0, 0],
  async run(context) {
    const { config } = await context.project();
    await checkTypesOrFail(context, config);
  },
};

/**
 * Runs the type check; prints the errors and throws when there are some.
 * `beforeRun` (`--typecheck`) keeps stdout for the command's own output
 * (an `--sql` script): the lines go to stderr, and the failure message ends
 * with `; nothing was run`.
 */
export async function checkTypesOrFail(
  context: CommandContext,
  config: ResolvedConfig,
  options: { beforeRun?: boolean } = {},
): Promise<void> {
  const result = await typeCheck(config, context.cwd);
  const checked = `${result.files.length} file${result.files.length === 1 ? "" : "s"}`;
  const beforeRun = options.beforeRun ?? false;
  if (result.errors.length === 0) {
    const line = `No type errors in ${checked} (TypeScript ${result.version}).`;
    if (beforeRun) context.output.progress(line);
    else context.output.message(line);
    return;
  }
  for (const line of result.errors) {
    if (beforeRun) stderr.write(`${line}\n`);
    else context.output.data(line);
  }
  const after = beforeRun ? "; nothing was run" : "";
  const files = new Set(result.errors.map((line) => line.split(":")[0]));
  throw new CommandError(
    `${result.errors.length} type error${result.errors.length === 1 ? "" : "s"} in ${files.size} file${files.size === 1 ? "" : "s"} (TypeScript ${result.version}, ${checked} checked)${after}`,
    { code: "TYPE_ERRORS" },
  );
}
