import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE_NAMES } from "../config/find-config-file.js";
import { listTemplates } from "./list-templates.js";
import { InitError } from "./script-errors.js";
import { literal, renderTemplate } from "./script-template.js";

export interface InitProjectOptions {
  /** The script folder to create; default `"migrations"`, relative to `cwd`. */
  readonly directory?: string;
  /** Template name (see `listTemplates`); default `"generic"`. */
  readonly template?: string;
  /** Where the config goes and relative paths start; default `process.cwd()`. */
  readonly cwd?: string;
  /** Write the config here instead of `retort.config.ts` in `cwd` (`-c PATH`). */
  readonly configFile?: string;
}

/** One thing `init` did, in order. */
export interface InitStep {
  readonly action: "create-directory" | "generate-file" | "skip-file";
  /** Absolute path. */
  readonly path: string;
}

export interface InitResult {
  readonly steps: readonly InitStep[];
  /**
   * What to print, Alembic style: one line per step
   * (`Creating directory /abs ...  done`, `Generating /abs ...  done`,
   * `File /abs already exists, skipping`), then `Please edit ... before proceeding.`
   */
  readonly lines: readonly string[];
  /** The config file written, or the existing one that was kept. */
  readonly configFile: string;
  /** Absolute path of the script folder. */
  readonly scriptLocation: string;
}

/**
 * `retort init`: creates the script folder with an empty `versions/` and
 * `script.ts.template`, and `retort.config.ts` in `cwd` unless a
 * `retort.config.*` is already there. Refuses a folder that exists and is
 * not empty (`Directory <dir> already exists and is not empty`) and an
 * unknown template (`No such template <name>`).
 *
 * ```ts
 * const result = initProject({ directory: "migrations", template: "generic" });
 * for (const line of result.lines) console.log(line);
 * ```
 */
export function initProject(options: InitProjectOptions = {}): InitResult {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const directory = options.directory ?? "migrations";
  const scriptLocation = path.resolve(cwd, directory);
  // Where the config goes: checked before anything is written.
  const existingConfig = findExistingConfig(cwd, options.configFile);
  const configFile = existingConfig ?? path.resolve(cwd, options.configFile ?? "retort.config.ts");
  if (existingConfig === undefined && !/\.(?:ts|mts|js|mjs)$/.test(configFile)) {
    throw new InitError(
      `init writes a TypeScript config (an ES module), which ${configFile} cannot hold: name it with .ts, .mts, .js or .mjs (e.g. retort.config.ts)`,
      "INIT_CONFIG_NAME",
    );
  }
  if (existsSync(scriptLocation)) {
    if (!statSync(scriptLocation).isDirectory()) {
      throw new InitError(`${directory} already exists and is not a directory`, "INIT_DIRECTORY_EXISTS");
    }
    if (readdirSync(scriptLocation).length > 0) {
      throw new InitError(`Directory ${directory} already exists and is not empty`, "INIT_DIRECTORY_EXISTS");
    }
  }
  const templateName = options.template ?? "generic";
  const templates = listTemplates();
  const template = templates.find((candidate) => candidate.name === templateName);
  if (template === undefined) {
    throw new InitError(
      `No such template ${templateName}; available templates: ${templates.map((candidate) => candidate.name).join(", ")} (see retort list-templates)`,
      "UNKNOWN_TEMPLATE",
    );
  }

  const steps: InitStep[] = [];
  if (!existsSync(scriptLocation)) {
    mkdirSync(scriptLocation, { recursive: true });
    steps.push({ action: "create-directory", path: scriptLocation });
  }
  const versions = path.join(scriptLocation, "versions");
  mkdirSync(versions);
  steps.push({ action: "create-directory", path: versions });

  const scriptTemplate = path.join(scriptLocation, "script.ts.template");
  copyFileSync(path.join(template.path, "script.ts.template"), scriptTemplate);
  steps.push({ action: "generate-file", path: scriptTemplate });

  const tsconfig = path.join(scriptLocation, "tsconfig.json");
  writeFileSync(tsconfig, migrationsTsconfig(scriptLocation, configFile), { flag: "wx" });
  steps.push({ action: "generate-file", path: tsconfig });
  if (existingConfig !== undefined) {
    steps.push({ action: "skip-file", path: existingConfig });
  } else {
    const configTemplatePath = path.join(template.path, "retort.config.ts.template");
    const relative = relativeLocation(path.dirname(configFile), scriptLocation);
    const text = renderTemplate(
      readFileSync(configTemplatePath, "utf8"),
      { scriptLocation: literal(relative), versionsLocation: literal(`${relative}/versions`) },
      configTemplatePath,
    );
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, text, { flag: "wx" });
    steps.push({ action: "generate-file", path: configFile });
  }
  const lines = [...steps.map(formatInitStep), initDoneMessage(configFile)];
  return { steps, lines, configFile, scriptLocation };
}

/** A step as Alembic prints it: `Creating directory /abs ...  done`, `Generating /abs ...  done`, `File /abs already exists, skipping`. */
export function formatInitStep(step: InitStep): string {
  switch (step.action) {
    case "create-directory":
      return `Creating directory ${step.path} ...  done`;
    case "generate-file":
      return `Generating ${step.path} ...  done`;
    case "skip-file":
      return `File ${step.path} already exists, skipping`;
  }
}

/** The closing line of `init`, Alembic's text. */
export function initDoneMessage(configFile: string): string {
  return `Please edit configuration/connection/logging settings in ${configFile} before proceeding.`;
}

function findExistingConfig(cwd: string, configFile: string | undefined): string | undefined {
  if (configFile !== undefined) {
    const wanted = path.resolve(cwd, configFile);
    return existsSync(wanted) ? wanted : undefined;
  }
  return CONFIG_FILE_NAMES.map((name) => path.join(cwd, name)).find((candidate) => existsSync(candidate));
}

/**
 * The script folder's `tsconfig.json`: the shipped preset, over the
 * migrations and a TypeScript config. Editors use it for the migration
 * files, and `retort check-types` type-checks with its options.
 */
function migrationsTsconfig(scriptLocation: string, configFile: string): string {
  const include = ["**/*.ts"];
  if (/\.[cm]?ts$/.test(configFile)) include.push(relativeLocation(scriptLocation, configFile));
  return `${JSON.stringify({ extends: "@retort/core/tsconfig", include }, null, 2)}\n`;
}

/** `scriptLocation` as written in the config: relative to its folder, with `/`. */
function relativeLocation(from: string, to: string): string {
  const relative = path.relative(from, to);
  if (relative === "") return ".";
  if (path.isAbsolute(relative)) return relative;
  return relative.split(path.sep).join("/");
}
