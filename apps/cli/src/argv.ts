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
 */
export function parseOptions(args: readonly string[], specs: readonly OptionSpec[]): ParsedOptions {
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
      spec = byLong.get(name);
    } else {
      spec = byShort.get(arg.slice(1, 2));
      inline = arg.length > 2 ? arg.slice(2) : undefined;
    }
    if (!spec) throw new UsageError(`unrecognized argument: ${arg}`);
    if (!spec.takesValue) {
      if (inline !== undefined) throw new UsageError(`option --${spec.name} takes no value`);
      flags.add(spec.name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      index++;
      value = args[index];
      if (value === undefined) throw new UsageError(`option --${spec.name} expects a value`);
    }
    const list = values.get(spec.name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new UsageError(`option --${spec.name} given more than once`);
    list.push(value);
    values.set(spec.name, list);
  }
  return { values, flags, positionals };
}

export function optionValue(parsed: ParsedOptions, name: string): string | undefined {
  return parsed.values.get(name)?.[0];
}

export function optionValues(parsed: ParsedOptions, name: string): string[] {
  return parsed.values.get(name) ?? [];
}
