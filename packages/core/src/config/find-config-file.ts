import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigNotFoundError } from "./config-errors.js";

/** The names a config file is looked for under, in this order. */
export const CONFIG_FILE_NAMES = [
  "retort.config.ts",
  "retort.config.mts",
  "retort.config.js",
  "retort.config.mjs",
  "retort.config.json",
] as const;

/**
 * The config file to use: `explicit` (`-c/--config PATH`), else the
 * `RETORT_CONFIG` environment variable, else the first of
 * `retort.config.{ts,mts,js,mjs,json}` in `cwd`. Returns an absolute path.
 * A named file that does not exist, or no file at all, throws
 * `ConfigNotFoundError` saying what to do.
 *
 * ```ts
 * findConfigFile(process.cwd(), options.config); // "/app/retort.config.ts"
 * ```
 */
export function findConfigFile(
  cwd: string,
  explicit?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const fromEnvironment = env.RETORT_CONFIG !== undefined && env.RETORT_CONFIG !== "" ? env.RETORT_CONFIG : undefined;
  const named = explicit ?? fromEnvironment;
  if (named !== undefined) {
    const file = path.resolve(cwd, named);
    const source = explicit !== undefined ? "-c/--config" : "the RETORT_CONFIG environment variable";
    if (!existsSync(file)) {
      throw new ConfigNotFoundError(
        `Config file ${file} (given by ${source}) does not exist; check the path, or run 'retort init' to create one`,
        file,
      );
    }
    if (statSync(file).isDirectory()) {
      throw new ConfigNotFoundError(
        `Config file ${file} (given by ${source}) is a folder; name the file itself, e.g. ${path.join(file, "retort.config.ts")}`,
        file,
      );
    }
    return file;
  }
  const directory = path.resolve(cwd);
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(directory, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new ConfigNotFoundError(
    `No config file found: no retort.config.{ts,mts,js,mjs,json} in ${directory}. Run 'retort init' to create one, or pass -c/--config PATH (or set RETORT_CONFIG)`,
    directory,
  );
}
