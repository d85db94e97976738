import type { CommandOptions, ResolvedConfig } from "@retort/core";
import type { OptionSpec, ParsedOptions } from "./argv.js";
import type { RunRenderer } from "./format/run-renderer.js";
import type { Output } from "./output.js";

export interface CommandContext {
  readonly output: Output;
  /** Renders what a run tells (the database, the lock wait, each migration, the summary) and warnings on stderr. */
  readonly reporter: RunRenderer;
  readonly parsed: ParsedOptions;
  readonly cwd: string;
  /** Loads the configuration (found or given with -c) and the API options from the global flags, `reporter` included. */
  project(): Promise<{ config: ResolvedConfig; options: CommandOptions }>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments for the usage line, e.g. `TARGET` or `REVS...`. */
  readonly usage: string;
  readonly options: readonly OptionSpec[];
  /** Minimum and maximum positional arguments (max: Infinity for `...`). */
  readonly positionals: readonly [number, number];
  run(context: CommandContext): Promise<void>;
}

export const jsonOption: OptionSpec = { name: "json", takesValue: false, help: "print JSON instead of text" };
export const verboseOption: OptionSpec = {
  name: "verbose",
  short: "v",
  takesValue: false,
  help: "use more verbose output",
};
