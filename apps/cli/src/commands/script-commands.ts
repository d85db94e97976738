import path from "node:path";
import { createRequire } from "node:module";
import { CommandError, initProject, listTemplates, merge, revision, show } from "@retort/core/commands";
import { optionValue, optionValues } from "../argv.js";
import type { Command } from "../command.js";

export const initCommand: Command = {
  name: "init",
  summary: "Initialize a new scripts directory.",
  usage: "[DIRECTORY]",
  options: [
    {
      name: "template",
      short: "t",
      takesValue: true,
      help: "setup template for use with 'init' (default: generic)",
      metavar: "TEMPLATE",
    },
  ],
  positionals: [0, 1],
  async run(context) {
    const directory = context.parsed.positionals[0] ?? "migrations";
    const template = optionValue(context.parsed, "template") ?? "generic";
    // The config goes where later commands will look for it: -c, else RETORT_CONFIG (as Alembic's -c).
    const given = optionValue(context.parsed, "config") ?? process.env.RETORT_CONFIG;
    const configFile = given === undefined || given === "" ? undefined : given;
    const result = initProject({
      directory,
      template,
      cwd: context.cwd,
      ...(configFile === undefined ? {} : { configFile }),
    });
    for (const line of result.lines) context.output.message(line);
  },
};

export const listTemplatesCommand: Command = {
  name: "list-templates",
  summary: "List available templates.",
  usage: "",
  options: [],
  positionals: [0, 0],
  async run(context) {
    context.output.message("Available templates:\n");
    for (const template of listTemplates()) context.output.message(`${template.name} - ${template.description}`);
    context.output.message(
      "\nTemplates are used via the 'init' command, e.g.:\n\n  retort init --template generic ./scripts",
    );
  },
};

export const revisionCommand: Command = {
  name: "revision",
  summary: "Create a new revision file.",
  usage: "",
  options: [
    {
      name: "message",
      short: "m",
      takesValue: true,
      help: "message string to use with 'revision'",
      metavar: "MESSAGE",
    },
    {
      name: "head",
      takesValue: true,
      help: "head revision to build the new revision upon as a parent (default: head)",
      metavar: "HEAD",
    },
    { name: "splice", takesValue: false, help: "allow a non-head revision as the 'head' to splice onto" },
    { name: "branch-label", takesValue: true, help: "branch label to apply to the new revision", metavar: "LABEL" },
    {
      name: "depends-on",
      takesValue: true,
      repeatable: true,
      help: "revision(s) this revision depends on",
      metavar: "REV",
    },
    { name: "rev-id", takesValue: true, help: "hardcoded revision id instead of generating one", metavar: "ID" },
    { name: "version-path", takesValue: true, help: "version folder to put the revision file in", metavar: "PATH" },
    {
      name: "autogenerate",
      takesValue: false,
      help: "populate revision script with candidate migration operations, based on comparison of database to the declared schema",
    },
    {
      name: "sql",
      takesValue: false,
      help: "accepted as Alembic's, and refused: revision sends nothing to the database",
    },
  ],
  positionals: [0, 0],
  async run(context) {
    const { config, options } = await context.project();
    const parsed = context.parsed;
    const autogenerate = parsed.flags.has("autogenerate");
    await revision(config, {
      autogenerate,
      sql: parsed.flags.has("sql"),
      ...options,
      ...definedEntries({
        message: optionValue(parsed, "message"),
        head: optionValue(parsed, "head"),
        branchLabel: optionValue(parsed, "branch-label"),
        revId: optionValue(parsed, "rev-id"),
        versionPath: optionValue(parsed, "version-path"),
      }),
      splice: parsed.flags.has("splice"),
      dependsOn: optionValues(parsed, "depends-on"),
      // Printed once the file is written, before the post-write hooks' own output (as Alembic).
      onWritten: (file, detected) => {
        if (autogenerate) {
          for (const line of detected ?? []) context.output.message(`Detected ${line}`);
          if ((detected ?? []).length === 0) context.output.message("No changes in schema detected.");
        }
        context.output.message(`Generating ${file} ...  done`);
      },
      onHook: (line) => context.output.message(line),
      onWarning: (message) => context.reporter.warning(message),
    });
  },
};

export const mergeCommand: Command = {
  name: "merge",
  summary: "Merge two revisions together. Creates a new migration file.",
  usage: "REVS...",
  options: [
    { name: "message", short: "m", takesValue: true, help: "message string to use with 'merge'", metavar: "MESSAGE" },
    { name: "branch-label", takesValue: true, help: "branch label to apply to the new revision", metavar: "LABEL" },
    { name: "rev-id", takesValue: true, help: "hardcoded revision id instead of generating one", metavar: "ID" },
    { name: "splice", takesValue: false, help: "allow merging revisions that are not heads (a new branch point)" },
  ],
  positionals: [1, Number.POSITIVE_INFINITY],
  async run(context) {
    const { config, options } = await context.project();
    const parsed = context.parsed;
    await merge(config, parsed.positionals, {
      ...options,
      ...definedEntries({
        message: optionValue(parsed, "message"),
        branchLabel: optionValue(parsed, "branch-label"),
        revId: optionValue(parsed, "rev-id"),
      }),
      splice: parsed.flags.has("splice"),
      onWritten: (file) => context.output.message(`Generating ${file} ...  done`),
      onHook: (line) => context.output.message(line),
      onWarning: (message) => context.reporter.warning(message),
    });
  },
};

export const editCommand: Command = {
  name: "edit",
  summary: "Edit revision script(s) using $EDITOR.",
  usage: "REV",
  options: [],
  positionals: [1, 1],
  async run(context) {
    const { config, options } = await context.project();
    const identifier = context.parsed.positionals[0] as string;
    const revisions = await show(config, identifier, options);
    if (revisions.length === 0) {
      throw identifier === "current"
        ? new CommandError("No current revisions", { code: "NO_CURRENT" })
        : new CommandError(`No revision files indicated by symbol '${identifier}'`, { code: "NO_REVISION_FILES" });
    }
    // node:child_process is loaded here only: every command loads this module.
    const { spawnSync } = createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");
    for (const target of revisions) openInEditor(spawnSync, target.source.path);
  },
};

/** $EDITOR, then $VISUAL, then the usual editors, as Alembic's `open_in_editor`. */
function openInEditor(spawnSync: typeof import("node:child_process").spawnSync, file: string): void {
  const candidates = [
    process.env.EDITOR,
    process.env.VISUAL,
    "sensible-editor",
    "editor",
    "nano",
    "vim",
    "code",
  ].filter((value): value is string => value !== undefined && value !== "");
  for (const candidate of candidates) {
    const [executable, ...args] = candidate.split(/\s+/) as [string, ...string[]];
    const result = spawnSync(executable, [...args, file], { stdio: "inherit" });
    if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") continue;
    if (result.error) throw new CommandError(`Error executing editor (${result.error.message})`);
    if (result.status !== 0)
      throw new CommandError(`Editor ${executable} exited with status ${result.status} on ${path.basename(file)}`);
    return;
  }
  throw new CommandError("No suitable editor found. Please set the 'EDITOR' or 'VISUAL' environment variables", {
    code: "NO_EDITOR",
  });
}

function definedEntries<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: string;
  };
}
