import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { OnResolveArgs, Plugin, PluginBuild } from "esbuild";
import { resolvePackageDirectly } from "./package-exports.js";

/** What compiling one file gave: its ES module code, or why it must go through the loader hooks. */
export type CompileOutcome = { readonly code: string } | { readonly hooks: string };

/**
 * Source text that only the loader hooks run faithfully: `import.meta` and
 * CommonJS's names mean the file's own location or module system, which a
 * module compiled to the cache folder does not have.
 */
const NEEDS_OWN_LOCATION =
  /\bimport\.meta\b|\b__dirname\b|\b__filename\b|\brequire\s*\(|\bmodule\.exports\b|\bexports\s*(?:\.|\[)/;

const builtins = new Set(builtinModules);
/**
 * Package URLs found so far in this process (by importing folder and
 * specifier): the batches of a run share them, and a package does not move
 * while a command runs.
 */
const resolvedUrls = new Map<string, string>();
/** Resolutions under way, by the same key: a second batch asking for one waits for it. */
const resolving = new Map<string, Promise<void>>();
const RESOLVING = Symbol("retort-resolving");

/** An import or re-export of esbuild's output (one statement per line, double quotes). */
const IMPORT_SPECIFIER = /(\bfrom\s*|^\s*import\s*)"([^"\n]+)"/gm;
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/**
 * Compiles TypeScript (and JavaScript) modules to ES modules with esbuild's
 * transform (all files of a batch at once, on esbuild's service), for files
 * that import only packages and Node's built-ins: the common migration
 * (`import { column } from "@retort/core"`) and config. A package import is
 * resolved as Node resolves it from the file's folder (conditions `node`,
 * `import`, `default`; one esbuild resolve per folder for all its files)
 * and written as the absolute `file:` URL of what it found, so the compiled
 * code runs from any folder and shares module instances with everything
 * else that imports the package. A file that imports another local file
 * (or anything dynamically), reads its own location, is CommonJS or does
 * not compile is left to the loader hooks (its outcome says why), so its
 * behaviour and its error messages stay what they are there.
 *
 * The inline source maps name the source by its absolute path: stack
 * traces show the `.ts` file and line wherever the code is written.
 * `tsconfigOf` gives the text of the `tsconfig.json` that applies to a file.
 */
export async function compileModules(
  files: readonly string[],
  sources: ReadonlyMap<string, string>,
  tsconfigOf: (file: string) => string,
): Promise<Map<string, CompileOutcome>> {
  const outcomes = new Map<string, CompileOutcome>();
  const esbuild = loadEsbuild();
  if (typeof esbuild === "string") {
    for (const file of files) outcomes.set(file, { hooks: esbuild });
    return outcomes;
  }
  const compiled = new Map<string, string>();
  await Promise.all(
    files.map(async (file) => {
      const source = sources.get(file) ?? "";
      if (NEEDS_OWN_LOCATION.test(source)) {
        outcomes.set(file, { hooks: "uses its own location or CommonJS" });
        return;
      }
      try {
        const tsconfig = tsconfigOf(file);
        const result = await esbuild.transform(source, {
          loader: /\.m?ts$/.test(file) ? "ts" : "js",
          format: "esm",
          platform: "node",
          target: "node20",
          sourcemap: "inline",
          sourcesContent: false,
          sourcefile: file,
          logLevel: "silent",
          ...(tsconfig === "" ? {} : { tsconfigRaw: tsconfig }),
        });
        if (result.warnings.length > 0) outcomes.set(file, { hooks: "esbuild warned about it" });
        else if (DYNAMIC_IMPORT.test(result.code)) outcomes.set(file, { hooks: "imports dynamically" });
        else compiled.set(file, result.code);
      } catch {
        outcomes.set(file, { hooks: "did not compile" });
      }
    }),
  );
  const urls = await resolvePackages(esbuild, compiled);
  for (const [file, code] of compiled) {
    const folder = path.dirname(file);
    let reason: string | undefined;
    const rewritten = code.replace(IMPORT_SPECIFIER, (whole, before: string, specifier: string) => {
      if (isBuiltin(specifier)) return whole;
      const url = urls.get(`${folder}\0${specifier}`);
      if (url === undefined) {
        reason ??= `imports ${specifier}`;
        return whole;
      }
      return `${before}${JSON.stringify(url)}`;
    });
    outcomes.set(file, reason === undefined ? { code: rewritten } : { hooks: reason });
  }
  return outcomes;
}

/**
 * esbuild, or why it cannot be used (a platform without its binary: then
 * everything takes the loader hooks). Required rather than imported:
 * esbuild's entry is CommonJS, and an import() makes Node scan its whole
 * text for named exports first (about 30 ms of a cold run).
 */
export function loadEsbuild(): typeof import("esbuild") | string {
  try {
    return createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  } catch (error) {
    return `esbuild is unavailable: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
  }
}

export function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtins.has(specifier);
}

/**
 * The `file:` URL of each package import of `compiled`, keyed by the
 * importing folder and the specifier: one esbuild build per folder whose
 * entry imports every specifier that folder's files use, with a plugin that
 * records what esbuild's resolver finds. A relative import, a package that
 * does not resolve, and a TypeScript file (a tsconfig `paths` alias) get no
 * URL: their files go to the hooks.
 */
async function resolvePackages(
  esbuild: typeof import("esbuild"),
  compiled: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  return packageUrls(esbuild, packageImportsByFolder(compiled, IMPORT_SPECIFIER, 2));
}

/**
 * Per folder, the package specifiers the texts (by file) import, as
 * capture `group` of `pattern` finds them; built-ins and local files left out.
 */
function packageImportsByFolder(
  texts: Iterable<readonly [file: string, text: string]>,
  pattern: RegExp,
  group: number,
): Map<string, Set<string>> {
  const byFolder = new Map<string, Set<string>>();
  for (const [file, text] of texts) {
    const folder = path.dirname(file);
    let specifiers = byFolder.get(folder);
    if (specifiers === undefined) {
      specifiers = new Set();
      byFolder.set(folder, specifiers);
    }
    for (const match of text.matchAll(pattern)) {
      const specifier = match[group] as string;
      if (!isBuiltin(specifier) && !isLocal(specifier)) specifiers.add(specifier);
    }
  }
  return byFolder;
}

/**
 * The `file:` URL Node's resolver finds for each package specifier of
 * `byFolder` (folder → specifiers imported from it), keyed by
 * `${folder}\0${specifier}`; remembered for the life of the process. A
 * package that does not resolve, or resolves to a TypeScript file (a
 * tsconfig `paths` alias), has no entry. With `direct`, for files whose
 * tsconfig has no `paths` or `baseUrl`, a package found by
 * `resolvePackageDirectly` is not asked of esbuild (nor is esbuild
 * started when all are found).
 */
export async function packageUrls(
  esbuild: typeof import("esbuild") | (() => typeof import("esbuild") | string),
  byFolder: ReadonlyMap<string, Set<string>>,
  direct = false,
): Promise<Map<string, string>> {
  const urls = resolvedUrls;
  const waits: Promise<void>[] = [];
  for (const [folder, wanted] of byFolder) {
    const specifiers = new Set<string>();
    for (const specifier of wanted) {
      const key = `${folder}\0${specifier}`;
      const pending = resolving.get(key);
      if (pending !== undefined) waits.push(pending);
      else if (!resolvedUrls.has(key)) {
        const file = direct ? resolvePackageDirectly(folder, specifier) : undefined;
        if (file !== undefined) resolvedUrls.set(key, pathToFileURL(file).href);
        else specifiers.add(specifier);
      }
    }
    if (specifiers.size === 0) continue;
    const service = typeof esbuild === "function" ? esbuild() : esbuild;
    if (typeof service === "string") continue;
    const resolved = service
      .build({
        stdin: {
          contents: [...specifiers].map((specifier) => `import ${JSON.stringify(specifier)};`).join("\n"),
          resolveDir: folder,
          sourcefile: path.join(folder, "retort-resolve.js"),
        },
        bundle: true,
        write: false,
        platform: "node",
        format: "esm",
        conditions: [],
        mainFields: ["main"],
        logLevel: "silent",
        plugins: [recordResolutions(folder, urls)],
      })
      .then(
        () => undefined,
        () => undefined,
      );
    for (const specifier of specifiers) resolving.set(`${folder}\0${specifier}`, resolved);
    waits.push(
      resolved.then(() => {
        for (const specifier of specifiers) resolving.delete(`${folder}\0${specifier}`);
      }),
    );
  }
  await Promise.all(waits);
  return urls;
}

/**
 * Starts resolving the packages `files` import, read from their source
 * texts (`sources`), so that the answer is there when esbuild's bundle of
 * them is: the bundle's metafile, which says exactly what each file
 * imports, then finds them resolved instead of waiting for a second build.
 * A guess: what it misses is resolved after the bundle, what it adds
 * (a type-only import) costs a lookup.
 */
export function resolveImportedPackages(
  esbuild: typeof import("esbuild"),
  files: readonly string[],
  sources: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const texts = files.map((file) => [file, sources.get(file) ?? ""] as const);
  return packageUrls(esbuild, packageImportsByFolder(texts, SOURCE_IMPORT, 1));
}

/**
 * A static import or re-export in TypeScript source, at the start of a
 * line: `from "x"` or `import "x"`, either quotes. Not a type-only one
 * (`import type { RetortConfig } from "@retort/core"`, which the compiled
 * code does not hold: looking it up would cost a config that imports
 * nothing else a resolve, about 20 ms on a fresh esbuild). `import type
 * from "x"` imports a default named `type`, and is kept.
 */
const SOURCE_IMPORT =
  /^[ \t]*(?:(?:import|export)\b(?!\s+type\s+(?:[{*]|(?!from\b)[A-Za-z_$]))[^;'"]*?\bfrom\s*|import\s*)["']([^"'\n]+)["']/gm;

export function isLocal(specifier: string): boolean {
  return specifier.startsWith(".") || path.isAbsolute(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier);
}

function recordResolutions(folder: string, urls: Map<string, string>): Plugin {
  return {
    name: "retort-record-resolutions",
    setup(build: PluginBuild) {
      build.onResolve({ filter: /.*/ }, async (args: OnResolveArgs) => {
        if (args.kind === "entry-point" || args.pluginData === RESOLVING) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: RESOLVING,
        });
        if (resolved.errors.length === 0 && !resolved.external && !/\.[cm]?tsx?$/.test(resolved.path)) {
          urls.set(`${folder}\0${args.path}`, pathToFileURL(resolved.path).href);
        }
        return { path: args.path, external: true };
      });
    },
  };
}
