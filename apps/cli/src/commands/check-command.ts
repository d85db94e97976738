import { CommandError, checkSchema } from "@retort/core/commands";
import { type Command, jsonOption } from "../command.js";

/**
 * `retort check`: compares the declared schema (the config's `schema`)
 * with the database, as `revision --autogenerate` would. No differences:
 * `No new upgrade operations detected.` and exit 0. Differences: one line
 * each on stdout (`--json`: a JSON array), then `FAILED: New upgrade
 * operations detected.` and exit 1, for CI.
 */
export const checkCommand: Command = {
  name: "check",
  summary: "Check if revision command with autogenerate has pending upgrade ops.",
  usage: "",
  options: [jsonOption],
  positionals: [0, 0],
  async run(context) {
    const { config, options } = await context.project();
    const result = await checkSchema(config, {
      ...options,
      onWarning: (message) => context.reporter.warning(message),
    });
    const json = context.parsed.flags.has("json");
    if (json) {
      const data = result.diffs.map((diff, index) => ({ description: result.lines[index], ...diff }));
      context.output.data(JSON.stringify(data, null, 2));
    }
    if (result.diffs.length === 0) {
      if (!json) context.output.message("No new upgrade operations detected.");
      return;
    }
    if (!json) for (const line of result.lines) context.output.data(line);
    throw new CommandError(
      `New upgrade operations detected: ${result.diffs.length} difference${result.diffs.length === 1 ? "" : "s"} between the declared schema and the database`,
      { code: "CHECK_FAILED" },
    );
  },
};
