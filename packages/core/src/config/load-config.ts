import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigInvalidError, ModuleLoadError } from "./config-errors.js";
import { findConfigFile } from "./find-config-file.js";
import { jsonProblem } from "./json-error.js";
import { importModule } from "./module-loader.js";
import { resolveConfig, type ResolvedConfig, type RetortConfig } from "./retort-config.js";
import { assertScriptLocation } from "../script/load-script-headers.js";

export interface LoadConfigOptions {
  /** Folder searched for `retort.config.*`; default `process.cwd()`. */
  readonly cwd?: string;
  /** `-c/--config PATH`; wins over `RETORT_CONFIG`. */
  readonly configFile?: string;
  /** Where `RETORT_CONFIG` is read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Check that `scriptLocation` exists (Alembic's "Path doesn't exist"); default true. */
  readonly requireScriptLocation?: boolean;
}

/**
 * Finds and loads the configuration (see `findConfigFile`), and resolves
 * it: defaults applied, paths made absolute from the config file's folder.
 * TypeScript and JavaScript configs are imported without a build step
 * (through tsx) and give their default export (or, without one, their
 * named exports); JSON configs hold the same object. Unknown options and
 * wrong types throw `ConfigInvalidError` naming the file and the key.
 *
 * Load `.env` first (`loadDotEnv`) when the config reads the environment.
 *
 * A string argument is the config file itself (as `findConfigFile` returns it).
 *
 * ```ts
 * const config = await loadConfig({ configFile: argv.config });
 * config.versionLocations; // ["/app/migrations/versions"]
 * ```
 */
export async function loadConfig(fileOrOptions: string | LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const options: LoadConfigOptions = typeof fileOrOptions === "string" ? { configFile: fileOrOptions } : fileOrOptions;
  const cwd = options.cwd ?? process.cwd();
  const file = findConfigFile(cwd, options.configFile, options.env ?? process.env);
  const raw = await readConfigFile(file);
  const config = resolveConfig(raw as RetortConfig, path.dirname(file), file);
  if (options.requireScriptLocation ?? true) {
    const defaulted = (raw as { scriptLocation?: unknown } | null)?.scriptLocation === undefined;
    assertScriptLocation(config.scriptLocation, config.configFile, defaulted);
  }
  return config;
}

/** The configuration object a file holds, not yet checked. */
export async function readConfigFile(file: string): Promise<unknown> {
  if (file.endsWith(".json")) {
    // A byte-order mark (some Windows editors write one) is not JSON's, but Node's `require` allows it too.
    const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      // Not V8's message as it is: for some mistakes it quotes the text around them, which may be a password.
      const { reason, line, column } = jsonProblem(text, error as Error);
      const where = line === undefined ? "" : ` at line ${line}, column ${column}`;
      throw new ConfigInvalidError(
        `Invalid JSON in config file ${file}${where}: ${reason}. JSON allows no comments and no comma after the last item; or write the config as retort.config.ts`,
        { path: file },
      );
    }
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(file, { asScript: true });
  } catch (error) {
    if (!ModuleLoadError.isInstance(error)) throw error;
    throw new ConfigInvalidError(`Can't load config file ${error.message.replace(/^Can't load /, "")}`, {
      path: file,
      cause: error.cause,
    });
  }
  return configFromNamespace(namespace);
}

/**
 * The default export, unwrapping the `{ default }` a CommonJS build of an
 * ES module gives; without a default export, the named exports.
 */
function configFromNamespace(namespace: Record<string, unknown>): unknown {
  if ("default" in namespace && namespace.default !== undefined) {
    const value = namespace.default;
    if (typeof value === "object" && value !== null && "__esModule" in value && "default" in value) {
      return (value as { default: unknown }).default;
    }
    return value;
  }
  const named: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(namespace)) {
    if (key !== "default" && key !== "__esModule") named[key] = value;
  }
  return named;
}
