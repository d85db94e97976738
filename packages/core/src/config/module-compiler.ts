import { realpathSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Message, Metafile, OnResolveArgs, Plugin, PluginBuild } from "esbuild";

/** What compiling one file gave: its ES module code, or why it must go through the loader hooks. */
export type CompileOutcome = { readonly code: string } | { readonly hooks: string };

/**
 * Source text that only the loader hooks run faithfully: `import.meta` and
 * CommonJS's names mean the file's own location or module system, which a
 * module compiled to the cache folder does not have.
 */
const NEEDS_OWN_LOCATION = /\bimport\.meta\b|\b__dirname\b|\b__filename\b|\brequire\s*\(|\bmodule\.exports\b/;

const builtins = new Set(builtinModules);
const RESOLVING = Symbol("retort-resolving");

/**
 * Compiles TypeScript (and JavaScript) modules to ES modules in one call of
 * esbuild, for files that import only packages and Node's built-ins: the
 * common migration (`import { column } from "@retort/core"`) and config. A
 * package import is resolved as Node resolves it from the file (conditions
 * `node`, `import`, `default`) and written as the absolute `file:` URL of
 * what it found, so the compiled code runs from any folder and shares
 * module instances with everything else that imports the package. A file
 * that imports another local file, reads its own location, is CommonJS or
 * does not compile is left to the loader hooks (its outcome says why), so
 * its behaviour and its error messages stay what they are there.
 *
 * `outdir` is where the code will be written: the inline source maps name
 * the sources relative to it, so stack traces show the `.ts` file and line.
 */
export async function compileModules(
  files: readonly string[],
  sources: ReadonlyMap<string, string>,
  outdir: string,
): Promise<Map<string, CompileOutcome>> {
  const outcomes = new Map<string, CompileOutcome>();
  let pending = files.filter((file) => {
    const source = sources.get(file) ?? "";
    if (!NEEDS_OWN_LOCATION.test(source)) return true;
    outcomes.set(file, { hooks: "uses its own location or CommonJS" });
    return false;
  });
  if (pending.length === 0) return outcomes;
  const esbuild = await import("esbuild");
  // One retry at most: a batch fails as a whole when one file does not
  // compile; that file goes to the hooks (which report it) and the rest
  // compiles again.
  for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
    const hooks = new Map<string, string>();
    try {
      const result = await esbuild.build({
        entryPoints: [...pending],
        absWorkingDir: outdir,
        outdir,
        entryNames: "[name]-[hash]",
        bundle: true,
        write: false,
        metafile: true,
        format: "esm",
        platform: "node",
        target: "node20",
        conditions: [],
        mainFields: ["main"],
        sourcemap: "inline",
        sourcesContent: false,
        logLevel: "silent",
        plugins: [packagesAsUrls(hooks)],
      });
      collectOutputs(result.metafile, result.outputFiles, outdir, pending, hooks, result.warnings, outcomes);
      return outcomes;
    } catch (error) {
      const failed = failedFiles(error, outdir);
      const broken = pending.filter((file) => failed.has(realPath(file)));
      if (broken.length === 0 || attempt === 1) {
        for (const file of pending) outcomes.set(file, { hooks: `did not compile: ${firstLine(error)}` });
        return outcomes;
      }
      for (const file of broken) outcomes.set(file, { hooks: "did not compile" });
      pending = pending.filter((file) => !failed.has(realPath(file)));
    }
  }
  return outcomes;
}

/**
 * Package imports become external `file:` URLs; a relative or absolute
 * import (another local file, to be compiled with its own semantics) and a
 * package that does not resolve send the importing file to the hooks.
 */
function packagesAsUrls(hooks: Map<string, string>): Plugin {
  return {
    name: "retort-packages-as-urls",
    setup(build: PluginBuild) {
      build.onResolve({ filter: /.*/ }, async (args: OnResolveArgs) => {
        if (args.kind === "entry-point" || args.pluginData === RESOLVING) return undefined;
        const specifier = args.path;
        if (specifier.startsWith("node:") || builtins.has(specifier)) return { path: specifier, external: true };
        if (specifier.startsWith(".") || path.isAbsolute(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) {
          hooks.set(args.importer, `imports ${specifier}`);
          return { path: specifier, external: true };
        }
        const resolved = await build.resolve(specifier, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: RESOLVING,
        });
        // A tsconfig `paths` alias that leads to a TypeScript file, or a
        // package that is not installed: the hooks compile or report it.
        if (resolved.errors.length > 0 || resolved.external || /\.[cm]?tsx?$/.test(resolved.path)) {
          hooks.set(args.importer, `imports ${specifier}`);
          return { path: specifier, external: true };
        }
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

function collectOutputs(
  metafile: Metafile,
  outputFiles: readonly { path: string; text: string }[],
  outdir: string,
  pending: readonly string[],
  hooks: ReadonlyMap<string, string>,
  warnings: readonly Message[],
  outcomes: Map<string, CompileOutcome>,
): void {
  const byEntry = new Map<string, string>();
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    if (meta.entryPoint !== undefined) byEntry.set(path.resolve(outdir, meta.entryPoint), path.resolve(outdir, output));
  }
  const texts = new Map(outputFiles.map((file) => [file.path, file.text]));
  // A warning (a dynamic `import()` esbuild cannot follow, say) marks code
  // that might behave differently away from its folder.
  const warned = new Set(warnings.map((warning) => warning.location?.file).filter((file) => file !== undefined));
  for (const file of pending) {
    // esbuild names files by their real path.
    const real = realPath(file);
    const relative = path.relative(outdir, real);
    const reason =
      hooks.get(real) ??
      (metafile.inputs[relative]?.format === "cjs" ? "is CommonJS" : undefined) ??
      (warned.has(relative) ? "esbuild warned about it" : undefined);
    const output = byEntry.get(real);
    const code = output === undefined ? undefined : texts.get(output);
    outcomes.set(file, reason !== undefined || code === undefined ? { hooks: reason ?? "no output" } : { code });
  }
}

function failedFiles(error: unknown, outdir: string): Set<string> {
  const errors = (error as { errors?: Message[] }).errors ?? [];
  const files = new Set<string>();
  for (const message of errors) {
    if (message.location?.file) files.add(path.resolve(outdir, message.location.file));
  }
  return files;
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
