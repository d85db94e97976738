import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { checkWithTsc } from "./typecheck-tsc.js";
import {
  CommandError,
  findRevisionFiles,
  isDefaultVersionLocation,
  VersionLocationNotFoundError,
} from "@retort/core/commands";
import type { ResolvedConfig } from "@retort/core";

/**
 * The part of the TypeScript compiler API used here. Typed by hand: the
 * compiler is the project's own (`typescript` in its node_modules), loaded
 * at run time, never a dependency of Retort.
 */
interface TypeScriptApi {
  readonly version: string;
  readonly sys: object;
  readConfigFile(file: string, read: (file: string) => string | undefined): { config?: unknown; error?: Diagnostic };
  parseJsonConfigFileContent(
    json: unknown,
    host: object,
    basePath: string,
    existingOptions?: object,
    configFileName?: string,
  ): { options: Record<string, unknown>; errors: readonly Diagnostic[] };
  createProgram(rootNames: readonly string[], options: Record<string, unknown>): object;
  getPreEmitDiagnostics(program: object): readonly Diagnostic[];
  flattenDiagnosticMessageText(message: unknown, newLine: string): string;
}

interface Diagnostic {
  readonly file?: { readonly fileName: string; getLineAndCharacterOfPosition(position: number): LineAndColumn };
  readonly start?: number;
  readonly code: number;
  readonly category: number;
  readonly messageText: unknown;
}

interface LineAndColumn {
  readonly line: number;
  readonly character: number;
}

/** TypeScript's `DiagnosticCategory.Error`. */
const ERROR_CATEGORY = 1;

export interface TypeCheckResult {
  /** The TypeScript version that checked (the project's). */
  readonly version: string;
  /** The files checked: the migrations, then the config and the schema modules that are TypeScript. */
  readonly files: readonly string[];
  /** The compiler options' source: the script folder's tsconfig.json, or the shipped preset. */
  readonly tsconfig: string;
  /** One line per error, `file:line:column - error TS2367: message`, paths relative to `cwd`. */
  readonly errors: readonly string[];
}

/**
 * Type-checks the migration files, a TypeScript config and the config's
 * schema modules (autogenerate's `schema`) with the
 * project's own compiler, with the options of the script folder's
 * `tsconfig.json` (which `retort init` writes, extending
 * `@retort/core/tsconfig`), or of the preset itself when there is none.
 * Without `typescript` installed it says how to install it.
 */
export async function typeCheck(config: ResolvedConfig, cwd: string): Promise<TypeCheckResult> {
  const { api: ts, packageFile } = await loadTypeScript(config.directory, cwd);
  const schemas = config.schema === undefined ? [] : Array.isArray(config.schema) ? config.schema : [config.schema];
  const files = [
    ...revisionFiles(config),
    ...(config.configFile === undefined ? [] : [config.configFile]),
    ...schemas.filter((schema): schema is string => typeof schema === "string"),
  ].filter((file, index, all) => /\.[cm]?ts$/.test(file) && !file.endsWith(".d.ts") && all.indexOf(file) === index);
  const local = path.join(config.scriptLocation, "tsconfig.json");
  const tsconfig = existsSync(local) ? local : presetPath(config.directory);
  if (typeof ts.createProgram !== "function") {
    // TypeScript 7 (the native compiler) has no such API in its package: its own `tsc` checks.
    const errors = files.length === 0 ? [] : checkWithTsc(packageFile, files, tsconfig, config.scriptLocation, cwd);
    return { version: ts.version, files, tsconfig, errors };
  }
  const read = ts.readConfigFile(tsconfig, (file) =>
    (ts.sys as { readFile(f: string): string | undefined }).readFile(file),
  );
  const diagnostics: Diagnostic[] = read.error ? [read.error] : [];
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, path.dirname(tsconfig), undefined, tsconfig);
  diagnostics.push(...parsed.errors.filter((diagnostic) => diagnostic.code !== NO_INPUTS));
  if (diagnostics.length === 0 && files.length > 0) {
    const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
    diagnostics.push(...ts.getPreEmitDiagnostics(program));
  }
  const errors = diagnostics
    .filter((diagnostic) => diagnostic.category === ERROR_CATEGORY)
    .map((diagnostic) => formatDiagnostic(ts, diagnostic, cwd));
  return { version: ts.version, files, tsconfig, errors };
}

/** The migration files; a missing version location fails as the graph commands do. */
function revisionFiles(config: ResolvedConfig): string[] {
  try {
    return findRevisionFiles(config.versionLocations, {
      recursive: config.recursiveVersionLocations,
      requireLocations: !isDefaultVersionLocation(config),
    });
  } catch (error) {
    if (error instanceof VersionLocationNotFoundError) throw error.inConfig(config);
    throw error;
  }
}

/** `No inputs were found in config file`: the files are given here, not by the tsconfig's `include`. */
const NO_INPUTS = 18003;

function formatDiagnostic(ts: TypeScriptApi, diagnostic: Diagnostic, cwd: string): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  const text = `error TS${diagnostic.code}: ${message}`;
  if (diagnostic.file === undefined) return text;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  const file = path.relative(cwd, diagnostic.file.fileName) || diagnostic.file.fileName;
  return `${file}:${line + 1}:${character + 1} - ${text}`;
}

async function loadTypeScript(
  projectDirectory: string,
  cwd: string,
): Promise<{ api: TypeScriptApi; packageFile: string }> {
  const packageFile = resolveFrom([projectDirectory, cwd], "typescript/package.json");
  const resolved = packageFile === undefined ? undefined : resolveFrom([path.dirname(packageFile)], "typescript");
  if (packageFile === undefined || resolved === undefined) {
    throw new CommandError(
      `TypeScript is not installed in this project (no 'typescript' package found from ${projectDirectory}). Type-checking uses the project's own compiler: install it with 'npm install --save-dev typescript' (or 'pnpm add -D typescript', 'yarn add -D typescript'), then run the command again.`,
      { code: "TYPESCRIPT_MISSING" },
    );
  }
  // TypeScript's package is CommonJS; `require` also keeps `import()` out of the CLI's bundle (see src/code-cache.ts).
  const module = createRequire(import.meta.url)(resolved) as { default?: TypeScriptApi } & TypeScriptApi;
  return { api: module.default ?? module, packageFile };
}

/** The shipped preset, from the project's `@retort/core` (else the one this CLI runs with). */
function presetPath(projectDirectory: string): string {
  const found = resolveFrom([projectDirectory], "@retort/core/tsconfig");
  return found ?? createRequire(import.meta.url).resolve("@retort/core/tsconfig");
}

function resolveFrom(directories: readonly string[], specifier: string): string | undefined {
  for (const directory of directories) {
    try {
      return createRequire(path.join(directory, "noop.js")).resolve(specifier);
    } catch {
      // Not found from there.
    }
  }
  return undefined;
}
