import { readFileSync } from "node:fs";
import { RetortError, UsageError } from "@retort/core/errors";
import { type OptionSpec, optionValue, optionValues, parseOptions } from "./argv.js";
import type { Command, CommandContext } from "./command.js";
import { bugNote, maskSecretsInText, stackReport, wantsStacks } from "./error-report.js";
import { favourMemoryOnLongRuns } from "./memory-policy.js";
import { processOutput } from "./output.js";
import { ignoreClosedPipes, stderr, stdout } from "./stdio.js";
import { type Palette, paletteFor } from "./style.js";

const globalOptions: readonly OptionSpec[] = [
  {
    name: "config",
    short: "c",
    takesValue: true,
    help: "configuration file (default: retort.config.*; env RETORT_CONFIG)",
    metavar: "FILE",
  },
  { name: "url", takesValue: true, help: "database URL (wins over DATABASE_URL and the config's url)", metavar: "URL" },
  {
    name: "x",
    short: "x",
    takesValue: true,
    repeatable: true,
    help: "additional arguments for migrations, KEY[=VALUE]",
    metavar: "ARG",
  },
  { name: "quiet", short: "q", takesValue: false, help: "do not log to standard output" },
  {
    name: "no-color",
    takesValue: false,
    help: "no colour, even on a terminal (colour is off when not a terminal or with NO_COLOR set)",
  },
  {
    name: "verbose",
    short: "v",
    takesValue: false,
    help: "the verbose output of heads, history, current, show and branches; on failure, the stack of the error and its causes (env RETORT_DEBUG=1)",
  },
  { name: "help", short: "h", takesValue: false, help: "show help" },
  { name: "version", takesValue: false, help: "show the version" },
];

/**
 * Runs the `retort` command with `args` (without `node` and the script)
 * and returns the exit status: 0, 1 for errors, 2 for wrong usage. Every
 * failure ends with one `FAILED: <message>` line on stderr.
 */
export async function main(args: readonly string[]): Promise<number> {
  ignoreClosedPipes();
  const commandIndex = args.findIndex((arg, index) => !arg.startsWith("-") && !takesValue(args[index - 1]));
  const commandName = commandIndex === -1 ? undefined : args[commandIndex];
  let command: Command | undefined;
  let renderer: { abandon(): void } | undefined;
  try {
    // Start-up imports only what parsing the global options needs: the
    // commands (and with them @retort/core's commands, the run renderer
    // and project loading) run their module code once a command is named or
    // help is asked for, so `retort --version` costs little more than Node.
    const loaded = commandName === undefined ? undefined : await loadCommands();
    const commands = loaded?.commands ?? [];
    command = commands.find((candidate) => candidate.name === commandName);
    const parsed = parseArguments(args, commandIndex, command, loaded?.closestName);
    if (parsed.flags.has("version")) {
      stdout.write(`retort ${version()}\n`);
      return 0;
    }
    if (parsed.flags.has("help") || commandName === "help") {
      const all = (loaded ?? (await loadCommands())).commands;
      const topic = commandName === "help" ? all.find((c) => c.name === parsed.positionals[0]) : command;
      stdout.write(topic ? commandHelp(topic) : generalHelp(all));
      return 0;
    }
    if (commandName === undefined || loaded === undefined) {
      throw new UsageError("no command given; run 'retort --help' for the list");
    }
    if (!command) {
      // Alembic spells two commands with an underscore (ensure_version, list_templates); a typo is a typo.
      const names = commands.map((candidate) => candidate.name);
      const closest = loaded.closestName(commandName, names);
      const hint = closest === undefined ? "" : `; did you mean '${closest}'?`;
      throw new UsageError(`invalid command '${commandName}'${hint} (choose from ${names.join(", ")})`);
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min) {
      throw new UsageError(`${command.name}: missing argument ${command.usage}`);
    }
    if (parsed.positionals.length > max) {
      throw new UsageError(`${command.name}: unrecognized arguments: ${parsed.positionals.slice(max).join(" ")}`);
    }
    const quiet = parsed.flags.has("quiet");
    const output = processOutput(quiet, { noColor: parsed.flags.has("no-color") });
    const { RunRenderer, loadProject } = loaded;
    const reporter = new RunRenderer({
      stream: stderr,
      paint: output.stderrPaint,
      quiet,
      // Made only when a migration starts: a command that runs none needs neither stream.
      sharedStreams: () => [process.stdout, process.stderr],
      onPlanned: favourMemoryOnLongRuns,
    });
    renderer = reporter;
    const cwd = process.cwd();
    const context: CommandContext = {
      output,
      reporter,
      parsed,
      cwd,
      project: async () =>
        loadProject({
          cwd,
          configPath: optionValue(parsed, "config"),
          url: optionValue(parsed, "url"),
          xArgs: optionValues(parsed, "x"),
          reporter,
        }),
    };
    await command.run(context);
    return 0;
  } catch (error) {
    renderer?.abandon();
    const paint = paletteFor(stderr, process.env, noColorFlag(args));
    return reportFailure(error, command, wantsStacks(args, process.env), paint);
  }
}

/** `--no-color` anywhere before `--`: read even when parsing the arguments failed. */
function noColorFlag(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).includes("--no-color");
}

/**
 * Global options may come before the command; after it, the command's own
 * options win where a short name is taken twice (`current -c` is
 * `--check-heads`, as in Alembic, while `retort -c FILE current` is the
 * config).
 */
function parseArguments(
  args: readonly string[],
  commandIndex: number,
  command: Command | undefined,
  suggest?: (name: string, candidates: readonly string[]) => string | undefined,
) {
  if (commandIndex === -1) return parseOptions(args, globalOptions, suggest);
  const before = parseOptions(args.slice(0, commandIndex), globalOptions, suggest);
  const own = command?.options ?? [];
  const taken = new Set(own.flatMap((spec) => [spec.name, spec.short]));
  const globalsAfter = globalOptions
    .filter((spec) => !taken.has(spec.name))
    .map((spec) => (spec.short !== undefined && taken.has(spec.short) ? { ...spec, short: undefined } : spec));
  const after = parseOptions(args.slice(commandIndex + 1), [...own, ...globalsAfter], suggest);
  const values = new Map(before.values);
  for (const [name, list] of after.values) values.set(name, [...(values.get(name) ?? []), ...list]);
  return {
    values,
    flags: new Set([...before.flags, ...after.flags]),
    positionals: [...before.positionals, ...after.positionals],
  };
}

function reportFailure(error: unknown, command: Command | undefined, stacks: boolean, paint: Palette): number {
  const failed = paint.failure("FAILED:");
  if (RetortError.isInstance(error)) {
    const usage = error instanceof UsageError || error.code === "USAGE";
    if (usage) {
      const synopsis = command ? `${command.name} [options] ${command.usage}`.trim() : "[options] <command> [args]";
      const help = command ? `retort ${command.name} --help` : "retort --help";
      stderr.write(`usage: retort ${synopsis} (see ${help})\n`);
    }
    // SPEC: every failure ends with the FAILED line, so a stack comes before it.
    stderr.write(maskSecretsInText(`${stacks ? stackReport(error) : ""}${failed} ${error.message}\n`));
    // An interrupted run exits as the shell expects of a signal (130, 143).
    const exitStatus = (error as { exitStatus?: unknown }).exitStatus;
    return usage ? 2 : typeof exitStatus === "number" ? exitStatus : 1;
  }
  // Anything else is unexpected (a bug, here or in a library): the stack always.
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(maskSecretsInText(`${stackReport(error)}${bugNote(error)}${failed} ${message}\n`));
  return 1;
}

function takesValue(previous: string | undefined): boolean {
  if (previous === undefined) return false;
  return globalOptions.some(
    (spec) =>
      spec.takesValue && (previous === `--${spec.name}` || (spec.short !== undefined && previous === `-${spec.short}`)),
  );
}

function version(): string {
  const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return packageJson.version;
}

function formatOption(spec: OptionSpec): string {
  const names = [spec.short ? `-${spec.short}` : undefined, spec.name !== spec.short ? `--${spec.name}` : undefined]
    .filter(Boolean)
    .join(", ");
  const value = spec.takesValue ? ` ${spec.metavar ?? "VALUE"}` : "";
  return `  ${`${names}${value}`.padEnd(30)} ${spec.help}`;
}

type CommandsModule = typeof import("./commands/index.js");

async function loadCommands(): Promise<CommandsModule> {
  return import("./commands/index.js");
}

function generalHelp(commands: readonly Command[]): string {
  const lines = [
    "usage: retort [options] <command> [args]",
    "",
    "Database migrations for TypeScript, with Alembic's revision graph.",
    "",
    "commands:",
    ...commands.map((command) => `  ${command.name.padEnd(16)} ${command.summary}`),
    "",
    "options:",
    ...globalOptions.map(formatOption),
    "",
    "Run 'retort <command> --help' for a command's options.",
  ];
  return `${lines.join("\n")}\n`;
}

function commandHelp(command: Command): string {
  const lines = [
    `usage: retort ${command.name}${command.options.length > 0 ? " [options]" : ""}${command.usage ? ` ${command.usage}` : ""}`,
    "",
    command.summary,
  ];
  if (command.options.length > 0) lines.push("", "options:", ...command.options.map(formatOption));
  lines.push("", "global options:", ...globalOptions.map(formatOption));
  return `${lines.join("\n")}\n`;
}
