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
    const name =
      config.versionTableSchema === undefined
        ? config.versionTable
        : `${config.versionTableSchema}.${config.versionTable}`;
    context.output.message(created ? `Created version table ${name}.` : `Version table ${name} already exists.`);
  },
};
