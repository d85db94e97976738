import { ensureVersion } from "@retort/core";
import type { Command } from "../command.js";

export const ensureVersionCommand: Command = {
  name: "ensure-version",
  summary: "Create the version table if it does not exist.",
  usage: "",
  options: [],
  positionals: [0, 0],
  async run(context) {
    const { config, options } = await context.project();
    const created = await ensureVersion(config, options);
    context.output.message(
      created
        ? `Created version table ${config.versionTable}.`
        : `Version table ${config.versionTable} already exists.`,
    );
  },
};
