import { findConfigFile, loadConfig, loadDotEnv } from "@retort/core/commands";
import type { CommandOptions, ResolvedConfig, RunReporter } from "@retort/core";

export interface ProjectArguments {
  readonly cwd: string;
  readonly configPath: string | undefined;
  readonly url: string | undefined;
  readonly xArgs: readonly string[];
  /** Told what the command does: every command that connects first names the database. */
  readonly reporter?: RunReporter;
}

/**
 * Loads `.env` (values already in the environment win), finds and loads
 * the configuration, and builds the API options from the global flags.
 */
export async function loadProject(
  args: ProjectArguments,
): Promise<{ config: ResolvedConfig; options: CommandOptions }> {
  loadDotEnv(args.cwd, process.env);
  const configFile = findConfigFile(args.cwd, args.configPath);
  const config = await loadConfig(configFile);
  const options: CommandOptions = {
    cwd: args.cwd,
    env: process.env,
    xArgs: args.xArgs,
    ...(args.reporter === undefined ? {} : { reporter: args.reporter }),
    ...(args.url === undefined ? {} : { url: args.url }),
  };
  return { config, options };
}
