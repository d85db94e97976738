import { pathToFileURL } from "node:url";
import type { NamespacedUnregister } from "tsx/esm/api";
import path from "node:path";
import { cacheDirectory } from "./cache-directory.js";
import { type BatchLoaders, evaluateBatchScript } from "./batch-script.js";
import { CompiledModuleCache } from "./compiled-module-cache.js";
import { ModuleLoadError } from "./config-errors.js";
import { dynamicImport } from "../runtime/dynamic-import.js";

/**
 * Compiled modules, shared by the config and the migrations of a process.
 * Created on first use, so `RETORT_CACHE_DIR` (read from `.env` too) is
 * taken as the command sees it.
 */
let compiled: CompiledModuleCache | undefined;

function compiledModules(): CompiledModuleCache {
  if (compiled !== undefined) return compiled;
  const root = cacheDirectory();
  compiled = new CompiledModuleCache(root === null ? null : path.join(root, "modules"));
  return compiled;
}

/** Extensions compiled to the cache; the rest (`.cts`, `.tsx`, …) go through tsx's hooks. */
const COMPILED = /\.(?:ts|mts|js)$/;

/**
 * tsx's loader hooks, registered once per process under a namespace of
 * our own: only imports made through it (and what those files import) are
 * compiled by tsx, so the user's other code keeps Node's own behaviour.
 * Registering per file (as `tsImport` does) adds a hook chain each time and
 * gets slower with every migration; one registration keeps each import at
 * the cost of a plain `import()`. The CommonJS hooks are registered under
 * the same namespace because a `.ts` file outside a `"type": "module"`
 * package is compiled to CommonJS, and its `require`s go through them.
 */
const NAMESPACE = "retort";
let loader: Promise<NamespacedUnregister> | undefined;

function namespacedLoader(): Promise<NamespacedUnregister> {
  loader ??= registerTsx();
  return loader;
}

/**
 * No compiled code on disk. tsx otherwise writes every file it compiles,
 * string literals included, to `os.tmpdir()/tsx-<uid>/`, a folder and files
 * other users can read (mode 0755/0644): a `retort.config.ts` holding a
 * database URL would leave its password there. tsx switches its disk cache
 * off when `TSX_DISABLE_CACHE` is set at the moment its modules are
 * evaluated (`process.env.TSX_DISABLE_CACHE ? new Map() : new FileCache()`
 * in tsx 4's dist), once in this thread for the CommonJS hooks and once in
 * the loader thread `register` starts, which copies `process.env` when it
 * starts. Hence the variable is set before tsx is imported, and tsx is
 * imported here, never statically. It stays set, so processes a migration
 * starts inherit it. Compiling without the cache cost nothing measurable
 * on 1,000 migrations (esbuild is faster than reading the cache's JSON).
 */
async function registerTsx(): Promise<NamespacedUnregister> {
  process.env.TSX_DISABLE_CACHE = "1";
  const [commonJs, esm] = await Promise.all([
    dynamicImport<typeof import("tsx/cjs/api")>("tsx/cjs/api"),
    dynamicImport<typeof import("tsx/esm/api")>("tsx/esm/api"),
  ]);
  commonJs.register({ namespace: NAMESPACE });
  return esm.register({ namespace: NAMESPACE });
}

export interface ImportOptions {
  /**
   * Compile the file, when it is compiled, as a batch script of its own
   * (see `compileBatch`) rather than as an ES module, if it can be one:
   * for the config, which every command loads first. Loaded as a script,
   * it and the CommonJS packages it imports (@retort/core) need no ES
   * module loader (see `evaluateBatchScript`). A file that cannot be in a
   * batch (it uses `import.meta`, imports a local file…) loads as before.
   */
  readonly asScript?: boolean;
  /**
   * Load the file's batch (see `compileBatch`) through `require`, which the
   * `retort` command compiles with its V8 code cache: for the migrations of
   * a run on a server, where compiling a migration's functions as it first
   * calls them falls between two statements.
   */
  readonly codeCache?: boolean;
}

/**
 * Imports a TypeScript or JavaScript module (`.ts`, `.mts`, `.js`, `.mjs`)
 * without a build step. Used for the config file and for each migration
 * just before it runs. A file that imports only packages is compiled once
 * by esbuild into a private cache folder and then imported natively (see
 * `CompiledModuleCache`); any other goes through tsx's loader hooks. A
 * module that fails to load (syntax error, missing import, exception at
 * top level) throws a `ModuleLoadError` naming the file and the reason.
 *
 * ```ts
 * const migration = await importModule("/app/migrations/versions/ae1027a6acf_add_a_column.ts");
 * await migration.upgrade(op);
 * ```
 */
export async function importModule(file: string, options: ImportOptions = {}): Promise<Record<string, unknown>> {
  try {
    // An `.mjs` file is plain JavaScript in ESM: Node loads it as it is,
    // without the cost of tsx's hooks (they run on a worker thread and are
    // asked for every import).
    if (file.endsWith(".mjs")) return await dynamicImport(pathToFileURL(file).href);
    if (COMPILED.test(file)) {
      let source = await compiledModules().source(file, options.asScript ?? false);
      if ("batch" in source) {
        const load = await batchLoader(file, source.batch, options.codeCache === true);
        if (load !== undefined) return await load();
        source = await compiledModules().sourceAlone(file);
      }
      if ("url" in source) return await importCompiled(file, source.url);
    }
    return (await (await namespacedLoader()).import(pathToFileURL(file).href, import.meta.url)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new ModuleLoadError(`Can't load ${file}: ${reason(error)}${installHint(error)}`, file, error);
  }
}

/**
 * Compiles, in one call, the files of `files` that are not compiled yet:
 * the migrations a run is about to import, so a fresh deploy pays one
 * esbuild start rather than one per file. Never throws; a file that does
 * not compile fails when it is imported.
 */
export async function prepareModules(files: readonly string[]): Promise<void> {
  await compiledModules()
    .prepare(files.filter((file) => COMPILED.test(file)))
    .catch(() => undefined);
}

interface LoadedBatch {
  readonly loaders: BatchLoaders;
  /** Its members whose loader has not been handed out yet. */
  readonly pending: Set<string>;
}
/** Batch scripts evaluated (or failed) in this process and still in use, by URL. */
const batches = new Map<string, Promise<LoadedBatch | undefined>>();
/**
 * What each member of a released batch returned, for as long as something
 * else holds it: a second import of the file while the first one's exports
 * are alive gives the same object, as an ES module would.
 */
const releasedMembers = new Map<string, WeakRef<Record<string, unknown>>>();

/**
 * The loader of `file` in the batch script at `url` (evaluating the batch
 * once), or `undefined` when the batch does not hold it or could not be
 * evaluated: then the file loads on its own. A batch that fails to link or
 * whose packages moved is given up (see `abandonBatch`).
 *
 * Once every member's loader has been handed out, the batch is forgotten
 * here, so its code, text and source map become garbage when the steps
 * that use its members are done (see `toBatchScript`). A later import of
 * one of its files gets the exports it gave before while they are alive,
 * and evaluates the batch again otherwise.
 */
async function batchLoader(
  file: string,
  url: string,
  codeCache: boolean,
): Promise<(() => Promise<Record<string, unknown>>) | undefined> {
  const released = releasedMembers.get(file)?.deref();
  if (released !== undefined) return () => Promise.resolve(released);
  let loading = batches.get(url);
  if (loading === undefined) {
    // The script's source map lies beside it. Node's source maps stay off
    // (turning them on costs every command about 7 ms): Retort maps the
    // frames of the errors it reports itself (see `stackFrames`).
    loading = evaluateBatchScript(url, { codeCache }).then(
      (loaders) => ({ loaders, pending: new Set(Object.keys(loaders)) }),
      (error: unknown) => {
        compiledModules().abandonBatch(url, error instanceof SyntaxError);
        return undefined;
      },
    );
    batches.set(url, loading);
  }
  const batch = await loading;
  if (batch === undefined || !Object.hasOwn(batch.loaders, file)) return undefined;
  const loader = batch.loaders[file];
  if (typeof loader !== "function") return undefined;
  if (batch.pending.delete(file) && batch.pending.size === 0 && batches.get(url) === loading) batches.delete(url);
  return async () => {
    const exports = await loader();
    releasedMembers.set(file, new WeakRef(exports));
    return exports;
  };
}

/**
 * Imports a compiled module. Its package imports are absolute URLs; when one
 * no longer exists (the package was upgraded or moved since), the file is
 * compiled again and imported under a new URL.
 */
async function importCompiled(file: string, url: string): Promise<Record<string, unknown>> {
  // Its source map is inline, read only for an error Retort reports (see
  // `stackFrames`), as a batch script's.
  try {
    return await dynamicImport(url);
  } catch (error) {
    // Linking failed (`Named export 'merge' not found ... is a CommonJS
    // module`): tsx's hooks load such imports, as they did before the cache.
    if (error instanceof SyntaxError) {
      compiledModules().useHooksFor(file, url);
      return (await (await namespacedLoader()).import(pathToFileURL(file).href, import.meta.url)) as Record<
        string,
        unknown
      >;
    }
    if ((error as { code?: unknown }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    compiledModules().forget(file, url);
    const source = await compiledModules().source(file);
    if (!("url" in source))
      return (await (await namespacedLoader()).import(pathToFileURL(file).href, import.meta.url)) as Record<
        string,
        unknown
      >;
    // A fresh URL: the failed one stays failed in Node's module map.
    return await dynamicImport(`${source.url}?recompiled`);
  }
}

/**
 * The first line of the error, the part a user can act on; the full error
 * stays as `cause`. A first line that announces details (esbuild's
 * `Transform failed with 1 error:`) brings the next line, which has the
 * position and the problem.
 */
function reason(error: unknown): string {
  if (error instanceof Error) {
    const lines = error.message.split("\n").filter((line) => line.trim() !== "");
    const head = lines[0] ?? error.message;
    const firstLine = head.trimEnd().endsWith(":") && lines[1] ? `${head.trim()} ${lines[1].trim()}` : head;
    return error.name === "Error" || firstLine.startsWith(error.name) ? firstLine : `${error.name}: ${firstLine}`;
  }
  return String(error);
}

/**
 * Configs and migrations import `@retort/core`; with a strict package
 * manager (pnpm) it is only resolvable when the project lists it.
 */
function installHint(error: unknown): string {
  const missing = /Cannot find (?:module|package) '(@retort\/[\w-]+)'/.exec(
    error instanceof Error ? error.message : "",
  );
  if (missing === null) return "";
  return `; install it in the project: npm install --save-dev ${missing[1]} (or: pnpm add -D ${missing[1]})`;
}
