import { UsageError } from "@retort/core/errors";

/** One option of a command: `--name` / `-n`, with a value or a flag, maybe repeatable. */
export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  readonly takesValue: boolean;
  readonly repeatable?: boolean;
  readonly help: string;
  readonly metavar?: string;
}

export interface ParsedOptions {
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
  readonly positionals: string[];
}

/**
 * Parses arguments against option specs. Written by hand rather than with
 * `util.parseArgs` because migration targets look like options: `-1`,
 * `-2:` and `base-3` must stay positional, as in `retort downgrade -1`.
 *
 * An option's value is written as with Alembic's argparse: `-r X`, `-rX`,
 * `-r=X`, `--rev-range X` and `--rev-range=X`. A separate value may not
 * look like an option (`-m --autogenerate` is a usage error), except that
 * a relative target may (`-r -3:`, which argparse refuses: an extension).
 * `suggest`, when given, names the option an unknown `--name` was meant to
 * be (`unrecognized argument: --sqll; did you mean '--sql'?`).
 */
export function parseOptions(
  args: readonly string[],
  specs: readonly OptionSpec[],
  suggest?: (name: string, candidates: readonly string[]) => string | undefined,
): ParsedOptions {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  const byLong = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(specs.filter((spec) => spec.short).map((spec) => [spec.short as string, spec]));
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === "--") {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const equals = arg.indexOf("=");
      const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      inline = equals === -1 ? undefined : arg.slice(equals + 1);
      spec = byLong.get(name) ?? abbreviated(name, specs);
    } else {
      spec = byShort.get(arg.slice(1, 2));
      // argparse reads `-r=X` as `-r X`.
      inline = arg.length > 2 ? arg.slice(arg[2] === "=" ? 3 : 2) : undefined;
    }
    if (!spec) {
      const meant = arg.startsWith("--")
        ? suggest?.(
            arg.slice(2).split("=")[0] as string,
            specs.map((candidate) => candidate.name),
          )
        : undefined;
      throw new UsageError(`unrecognized argument: ${arg}${meant === undefined ? "" : `; did you mean '--${meant}'?`}`);
    }
    if (!spec.takesValue) {
      if (inline !== undefined)
        throw new UsageError(`argument ${optionNames(spec)}: ignored explicit argument '${inline}'`);
      flags.add(spec.name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      index++;
      value = args[index];
      if (value === undefined || looksLikeOption(value)) {
        throw new UsageError(`argument ${optionNames(spec)}: expected one argument`);
      }
    }
    const list = values.get(spec.name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new UsageError(`option --${spec.name} given more than once`);
    list.push(value);
    values.set(spec.name, list);
  }
  return { values, flags, positionals };
}

/**
 * The option a long name abbreviates, as argparse allows (`--mess` for
 * `--message`): the one option it begins; an error when it begins several.
 */
function abbreviated(name: string, specs: readonly OptionSpec[]): OptionSpec | undefined {
  if (name === "") return undefined;
  const matches = specs.filter((spec) => spec.name.startsWith(name));
  if (matches.length > 1) {
    throw new UsageError(
      `ambiguous option: --${name} could match ${matches.map((spec) => `--${spec.name}`).join(", ")}`,
    );
  }
  return matches[0];
}

/** A word starting with `-` is an option, unless it is `-` or starts like a relative target (`-1`, `-3:`). */
function looksLikeOption(word: string): boolean {
  return word.startsWith("-") && word !== "-" && !/^-\d/.test(word);
}

/** The option as argparse names it in messages: `-r/--rev-range`, `--tag`. */
function optionNames(spec: OptionSpec): string {
  return spec.short === undefined ? `--${spec.name}` : `-${spec.short}/--${spec.name}`;
}

export function optionValue(parsed: ParsedOptions, name: string): string | undefined {
  return parsed.values.get(name)?.[0];
}

export function optionValues(parsed: ParsedOptions, name: string): string[] {
  return parsed.values.get(name) ?? [];
}
