import fs from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { dynamicImport } from "../runtime/dynamic-import.js";

/**
 * The name the batch's entry calls with its loaders (a free identifier in
 * esbuild's input, so the bundle keeps it as it is).
 */
export const BATCH_CALLBACK = "__retortBatch";
const LINK = "__retortLink";

/** A batch's loaders: each member's absolute path to the function that runs its top level and returns its exports. */
export type BatchLoaders = Readonly<Record<string, () => Promise<Record<string, unknown>>>>;

/**
 * What a batch script exports when Node requires it: the package URLs its
 * members import, and the function that evaluates the members' code with
 * those packages' namespaces.
 */
interface BatchScriptExports {
  readonly imports: readonly string[];
  readonly evaluate: (
    link: (index: number, names: readonly string[]) => Record<string, unknown>,
    done: (loaders: BatchLoaders) => void,
  ) => void;
}

/** `import CLAUSE from "URL";`, one whole line of esbuild's output, or `import "URL";`. */
const IMPORT_LINE = /^import\s*(?:(.*?)\s*from\s*)?"([^"\n]+)";?$/gm;
/** Any other module syntax left after the import lines were turned into declarations. */
const MODULE_SYNTAX = /^(?:import|export)\b/m;
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/**
 * The first words of a batch script: the mark of the scripts the `retort`
 * command compiles with a V8 code cache (the CLI's `CODE_CACHE_MARKER`, in
 * apps/cli/src/code-cache.ts, which loads before this package). A batch's
 * functions then come compiled from the cache on the runs after the second
 * instead of being compiled as each migration first calls them: about a
 * tenth of a millisecond per migration, between two statements on a server.
 * Only batches loaded with `codeCache` (a run's migrations on a server: see
 * `evaluateBatchScript`) go through the hook. Without the CLI's hook (a
 * program importing @retort/core) the comment is only a comment.
 */
export const BATCH_CODE_CACHE_MARKER = "/* retort:code-cache */";

/**
 * Turns esbuild's ES module bundle of a batch into a CommonJS script, so
 * that Node evaluates it outside the ES module system: an ES module lives
 * as long as the process (Node's module map keeps it), but a script's code,
 * text and source map are garbage once its members' steps have run and
 * nothing refers to them. A run of 10,000 migrations then holds a batch at
 * a time instead of all of them.
 *
 * Each package import line becomes a declaration taking the bindings from
 * the namespace of that package, imported with `import()` before the
 * script is evaluated, the way the member would have imported it as a
 * module of its own: a CommonJS package's default is its `module.exports`,
 * its named exports those Node detects. A named import the namespace does
 * not have throws a `SyntaxError` when the batch is evaluated, as Node's
 * linker does (the batch then falls back to one file at a time). Bindings
 * are read once, when the batch is evaluated, after every package has been
 * evaluated.
 *
 * Every line stays on its line (the script's preamble is on the first
 * line, which holds esbuild's helpers), so the source map written beside
 * it (`mapName`) still applies. Only lines importing one of `imported`
 * (the package URLs and built-ins esbuild reported) are converted.
 * `undefined` when the code holds any other line that reads as an import
 * or export, or a clause this conversion does not know: then the batch is
 * not used.
 */
export function toBatchScript(code: string, mapName: string, imported: ReadonlySet<string>): string | undefined {
  const imports: string[] = [];
  let unknown = false;
  const body = code.replace(IMPORT_LINE, (line, clause: string | undefined, url: string) => {
    // Text that only looks like an import (a line of a template literal) stays, and then refuses the batch.
    if (!imported.has(url)) return line;
    let index = imports.indexOf(url);
    if (index === -1) index = imports.push(url) - 1;
    const declaration = clause === undefined ? `${LINK}(${index}, []);` : declare(clause, index);
    if (declaration === undefined) unknown = true;
    return declaration ?? "";
  });
  if (unknown || MODULE_SYNTAX.test(body)) return undefined;
  // The function is in parentheses, which V8 takes as a hint to compile it
  // with the script: it is called at once, and compiled lazily its text
  // would be parsed twice (a pre-parse with the script, then in full when
  // called), a tenth of the time a batch takes to load.
  const preamble = `${BATCH_CODE_CACHE_MARKER}"use strict";module.exports = { imports: ${JSON.stringify(imports)}, evaluate: (function (${LINK}, ${BATCH_CALLBACK}, require, module, exports, __filename, __dirname) {`;
  return `${preamble}${body.trimEnd()}\n}) };\n//# ${"sourceMappingURL"}=${mapName}\n`;
}

/**
 * The declaration for one import clause as esbuild prints it: `name`,
 * `* as name`, `{ a, b as c, "d-e" as f }`, or a default name and one of
 * the other two.
 */
function declare(clause: string, index: number): string | undefined {
  let rest = clause.trim();
  let defaultName: string | undefined;
  const leading = /^([^\s,{*]+)\s*(?:,\s*|$)/.exec(rest);
  if (leading !== null) {
    defaultName = leading[1] as string;
    if (!IDENTIFIER.test(defaultName)) return undefined;
    rest = rest.slice(leading[0].length);
  }
  if (rest === "") return `const ${defaultName} = ${LINK}(${index}, ["default"]).default;`;
  const star = /^\*\s*as\s+(\S+)$/.exec(rest);
  if (star !== null) {
    const name = star[1] as string;
    if (!IDENTIFIER.test(name)) return undefined;
    const names = defaultName === undefined ? [] : ["default"];
    const also = defaultName === undefined ? "" : `, ${defaultName} = ${name}.default`;
    return `const ${name} = ${LINK}(${index}, ${JSON.stringify(names)})${also};`;
  }
  if (!rest.startsWith("{") || !rest.endsWith("}")) return undefined;
  const names: string[] = [];
  const bindings: string[] = [];
  if (defaultName !== undefined) {
    names.push("default");
    bindings.push(`default: ${defaultName}`);
  }
  for (const item of rest.slice(1, -1).split(",")) {
    const text = item.trim();
    if (text === "") continue;
    const specifier = /^(?:([^\s"]+)|"((?:[^"\\]|\\.)*)")(?:\s+as\s+(\S+))?$/.exec(text);
    if (specifier === null) return undefined;
    const imported = specifier[1] ?? unquote(specifier[2] as string);
    if (imported === undefined) return undefined;
    const local = specifier[3] ?? specifier[1];
    if (local === undefined || !IDENTIFIER.test(local)) return undefined;
    if (specifier[1] !== undefined && !IDENTIFIER.test(specifier[1])) return undefined;
    names.push(imported);
    bindings.push(`${JSON.stringify(imported)}: ${local}`);
  }
  return `const { ${bindings.join(", ")} } = ${LINK}(${index}, ${JSON.stringify(names)});`;
}

function unquote(text: string): string | undefined {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * Evaluates the batch script at `url` (written by `toBatchScript`): imports
 * its packages, then runs its code, which defines each member behind its
 * lazy loader and runs no member's top level. Loaded with `require`
 * (`options.codeCache`) the script is taken out of `require`'s cache at
 * once; either way what keeps its code alive afterwards is only the
 * loaders and what they return. Throws a `SyntaxError` when a named
 * import is missing from its package, as linking an ES module would.
 */
export async function evaluateBatchScript(url: string, options: BatchEvaluation = {}): Promise<BatchLoaders> {
  const file = fileURLToPath(url);
  // A require of its own each time: `require` records what it loaded in its
  // parent module's `children`, which would keep every script alive.
  const requireScript = createRequire(file);
  let script: BatchScriptExports;
  if (options.codeCache === true) {
    try {
      script = requireScript(file) as BatchScriptExports;
    } finally {
      delete requireScript.cache[file];
    }
  } else {
    script = compileScript(file, requireScript);
  }
  const namespaces = await Promise.all(script.imports.map(importNamespace));
  const link = (index: number, names: readonly string[]): Record<string, unknown> => {
    const namespace = namespaces[index] as Record<string, unknown>;
    for (const name of names) {
      if (!(name in namespace)) {
        throw new SyntaxError(
          `The requested module '${script.imports[index]}' does not provide an export named '${name}'`,
        );
      }
    }
    return namespace;
  };
  let loaders: BatchLoaders | undefined;
  script.evaluate(link, (given) => {
    loaders = given;
  });
  if (loaders === undefined) throw new SyntaxError(`${file} did not define its loaders`);
  return loaders;
}

const requireModule = createRequire(import.meta.url);

/** How a batch script is evaluated. */
export interface BatchEvaluation {
  /**
   * Load it with `require`, which the `retort` command compiles with its V8
   * code cache (see `BATCH_CODE_CACHE_MARKER`). Otherwise it is compiled
   * here as Node's loader compiles a CommonJS file, without that cache.
   */
  readonly codeCache?: boolean;
}

/** The script compiled and run as Node's CommonJS loader would, bypassing any hook on it. */
function compileScript(file: string, requireScript: NodeJS.Require): BatchScriptExports {
  const module = { exports: {} as unknown };
  const wrapper = vm.compileFunction(
    fs.readFileSync(file, "utf8"),
    ["exports", "require", "module", "__filename", "__dirname"],
    { filename: file },
  );
  wrapper.call(module.exports, module.exports, requireScript, module, file, path.dirname(file));
  return module.exports as BatchScriptExports;
}

/** The namespace of each package the batches of this process imported, by specifier (one per module, as an ES module's). */
const namespaces = new Map<string, Promise<Record<string, unknown>>>();

/**
 * What `import * as namespace from specifier` gives, for a package import
 * of a batch. A built-in module and a `.cjs` file (what @retort/core and
 * the drivers export) are CommonJS, which Node's ES module loader would
 * load with `require` anyway: they are required here, and their namespace
 * is built the way Node builds an ES module's view of CommonJS. The
 * command then never starts that loader, whose first `import()` costs
 * more than the rest of loading the package (a config or a batch
 * importing only @retort/core: about 4 ms of a 160 ms `retort current`).
 * Anything else is imported. Same instance either way: an ES module's
 * import of a CommonJS file shares `require`'s cache.
 */
function importNamespace(specifier: string): Promise<Record<string, unknown>> {
  let namespace = namespaces.get(specifier);
  if (namespace === undefined) {
    const commonJs = isBuiltin(specifier)
      ? specifier
      : specifier.startsWith("file:") && specifier.endsWith(".cjs")
        ? fileURLToPath(specifier)
        : undefined;
    namespace =
      commonJs === undefined
        ? dynamicImport(specifier)
        : new Promise((resolve) => resolve(commonJsNamespace(requireModule(commonJs))));
    // A package that failed (moved since the batch was compiled) is not remembered.
    namespace.catch(() => namespaces.delete(specifier));
    namespaces.set(specifier, namespace);
  }
  return namespace;
}

/**
 * Node's namespace for a CommonJS module imported by an ES module: `default`
 * is `module.exports` (whatever its `__esModule` says), beside each of its
 * own names, read once, after the module ran. Node names only the exports
 * its lexer finds in the source; a name it would miss (assigned under a
 * computed key) is here as well, where linking the batch as a module would
 * have failed and sent its files to tsx's hooks, which allow it.
 */
function commonJsNamespace(exports: unknown): Record<string, unknown> {
  const namespace: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (exports !== null && (typeof exports === "object" || typeof exports === "function")) {
    for (const name of Object.keys(exports)) namespace[name] = (exports as Record<string, unknown>)[name];
  }
  namespace.default = exports;
  Object.defineProperty(namespace, Symbol.toStringTag, { value: "Module" });
  return Object.freeze(namespace);
}
