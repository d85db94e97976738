import { ensureVersion, ensureVersionSql } from "@retort/core/commands";
import type { Command } from "../command.js";

export const ensureVersionCommand: Command = {
  name: "ensure-version",
  summary: "Create the version table if it does not exist.",
  usage: "",
  options: [{ name: "sql", takesValue: false, help: "print the SQL (CREATE TABLE) instead of running it" }],
  positionals: [0, 0],
  async run(context) {
    const { config, options } = await context.project();
    if (context.parsed.flags.has("sql")) {
      context.output.data((await ensureVersionSql(config, options)).trimEnd());
      return;
    }
    const created = await ensureVersion(config, options);
    context.output.message(
      created
        ? `Created version table ${config.versionTable}.`
        : `Version table ${config.versionTable} already exists.`,
    );
  },
};
