import fs from "node:fs";
import Module from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";

export { installPackageResolver } from "./package-resolver.js";

/**
 * The first words of the scripts this cache serves: the bundles
 * (scripts/bundle-dist.mjs writes it: the CLI's, @retort/core's and the
 * drivers') and the batches of migrations @retort/core compiles
 * (`BATCH_CODE_CACHE_MARKER`). Any other file loads as Node loads it.
 */
export const CODE_CACHE_MARKER = "/* retort:code-cache */";

/** What a run does with a bundle's entry. */
export type EntryState = "absent" | "empty" | "used" | "rejected";

/** An entry `save()` writes: empty (`script` undefined) or the code V8 compiled for `script`. */
interface Pending {
  /** Its file in the cache. */
  readonly file: string;
  readonly state: EntryState;
  readonly script: vm.Script | undefined;
}

/**
 * The most script text a run compiles through this cache: Retort's bundles
 * (about 0.65 MB with one driver, loaded first) and the migration batches of
 * about the first 1,500 migrations of a run. A script compiled with
 * `vm.Script` stays in V8's compilation cache, its code included, for the
 * life of the process (Node's own loader compiles a function, which does
 * not); past this, a batch loads as Node loads it and is collected once its
 * steps have run, so a run of 10,000 migrations still holds a batch or two
 * at a time (about 30 MB more at the end of one otherwise).
 */
export const MAX_CACHED_SOURCE = 2.5 * 1024 * 1024;

/** The handle `installCodeCache` returns: `save()` once the command is done. */
export interface CodeCache {
  /** Writes what this run learned (never throws: the cache only saves time). */
  save(): void;
  /** What each bundle's entry was when it loaded, for tests: the bundle's file name → state. */
  readonly states: ReadonlyMap<string, EntryState>;
  /** Puts Node's own compile back (for tests: the CLI's process keeps the hook). */
  restore(): void;
}

/**
 * A V8 code cache for Retort's own bundles. Node 20 keeps no compiled code
 * between runs (`module.enableCompileCache` arrives in Node 22), so every
 * command compiled Retort's JavaScript (about 700 KB with one driver)
 * again, function by function: about a tenth of `retort current`. The bundles are CommonJS scripts (see
 * scripts/bundle-dist.mjs); this compiles each with `vm.Script` and the
 * code V8 serialised at the end of an earlier run of the same command.
 *
 * Entries sit in `<cache folder>/code` (the folder of `cacheDirectory()` in
 * @retort/core, from the environment only: this runs before the project's
 * `.env` is read; `RETORT_CACHE_DIR=` turns it off), one per bundle and
 * command, named by the bundle's path, its size, times and inode, Node's
 * version and the command. An edited or reinstalled bundle gets a new
 * name (V8 itself checks only the length of the source). The folder must
 * be the user's own and closed to others, as the rest of the cache, since
 * what is in it runs.
 *
 * A run that finds no entry leaves an empty one; the next run that finds
 * the empty one writes the code: a single run (a fresh container's
 * `upgrade`) pays nothing for a cache it would never read. V8 rejects an
 * entry made under other flags or another V8; the run then writes it again.
 */
export function installCodeCache(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): CodeCache | undefined {
  // The migration batches come through here too: their functions, compiled
  // as each migration first calls them, are in the entry the second run writes.
  const base = cacheFolder(env);
  if (base === null) return undefined;
  const directory = path.join(base, "code");
  const command = commandName(args);
  const states = new Map<string, EntryState>();
  const pending: Pending[] = [];
  let cachedSource = 0;
  const trusted = isPrivateFolder(directory);
  const moduleProto = Module.prototype as unknown as ModuleInternals;
  const original = moduleProto._compile;
  const compileWithCache = function (this: ModuleInternals, content: string, filename: string): unknown {
    if (!content.startsWith(CODE_CACHE_MARKER) || cachedSource + content.length > MAX_CACHED_SOURCE) {
      return original.call(this, content, filename);
    }
    cachedSource += content.length;
    const file = path.join(directory, entryName(filename, command));
    let cachedData: Buffer | undefined;
    let state: EntryState = "absent";
    if (trusted) {
      try {
        cachedData = fs.readFileSync(file);
        state = cachedData.length === 0 ? "empty" : "used";
      } catch {
        // No entry yet (or a stat that changed between the two calls): compile as usual.
      }
    }
    const script = new vm.Script((Module as unknown as { wrap(code: string): string }).wrap(content), {
      filename,
      cachedData: cachedData !== undefined && cachedData.length > 0 ? cachedData : undefined,
    });
    if (state === "used" && script.cachedDataRejected === true) state = "rejected";
    states.set(path.basename(filename), state);
    if (state !== "used") pending.push({ file, state, script: state === "absent" ? undefined : script });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  moduleProto._compile = compileWithCache;
  return {
    get states() {
      return new Map(states);
    },
    restore() {
      if (moduleProto._compile === compileWithCache) moduleProto._compile = original;
    },
    save() {
      if (pending.length === 0 || !ensurePrivateFolder(directory)) return;
      const written: string[] = [];
      for (const entry of pending.splice(0)) {
        try {
          writeAtomically(entry.file, entry.script?.createCachedData() ?? Buffer.alloc(0));
          if (entry.state !== "absent") written.push(entry.file);
        } catch {
          // A full disk or a folder removed meanwhile: the next run compiles as this one did.
        }
      }
      try {
        if (written.length > 0) removeStale(directory, written);
      } catch {
        // The folder changed meanwhile: the next write tidies it.
      }
    },
  };
}

/** Node's `Module` members the hook uses (stable for a decade; pirates and v8-compile-cache use them too). */
interface ModuleInternals {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

/** The `require` a module's wrapper receives, as Node's own loader builds it. */
function requireFor(module: ModuleInternals): NodeJS.Require {
  const moduleClass = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }): string;
    _cache: NodeJS.Require["cache"];
    _extensions: NodeJS.Require["extensions"];
  };
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    moduleClass._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => Module.createRequire(module.filename).resolve.paths(request);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.cache = moduleClass._cache;
  require.extensions = moduleClass._extensions;
  return require;
}

/**
 * Retort's cache folder as `cacheDirectory()` in @retort/core finds it
 * (this runs before core loads): `RETORT_CACHE_DIR` (empty: none), else
 * `$XDG_CACHE_HOME/retort`, else `~/.cache/retort`.
 */
export function cacheFolder(env: Readonly<Record<string, string | undefined>>): string | null {
  const configured = env.RETORT_CACHE_DIR;
  if (configured !== undefined) return configured === "" ? null : path.resolve(configured);
  return path.join(env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache"), "retort");
}

/** The global options that take a value (`-c FILE`, `--url URL`, `-x ARG`): their value is not the command. */
const VALUE_OPTIONS = new Set(["-c", "--config", "--url", "-x", "--x"]);

/** The command a run names (its first word that is neither an option nor an option's value), as a file-name part. */
export function commandName(args: readonly string[]): string {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (VALUE_OPTIONS.has(arg)) index++;
    else if (!arg.startsWith("-")) return /^[a-z][a-z-]{0,30}$/.test(arg) ? arg : "none";
  }
  return "none";
}

/** `<bundle path hash>-<stamp hash>-<command>.bin`: a changed bundle, Node or command is another entry. */
function entryName(filename: string, command: string): string {
  let stamp: string;
  try {
    const stat = fs.statSync(filename);
    stamp = `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
  } catch {
    stamp = "unknown";
  }
  return `${hash(filename)}-${hash(`${stamp}\0${process.version}\0${process.arch}`)}-${command}.bin`;
}

/** 64 bits of two FNV-1a hashes, in hex: file names, not security (the folder is private). */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** The folder exists, is the user's own and nobody else may write in it. */
function isPrivateFolder(directory: string): boolean {
  try {
    const stat = fs.lstatSync(directory);
    if (!stat.isDirectory() || (stat.mode & 0o022) !== 0) return false;
    return typeof process.getuid !== "function" || stat.uid === process.getuid();
  } catch {
    return false;
  }
}

/**
 * Creates the folder 0700 (and its parents) when missing; `false` when it is
 * not the user's own and closed. The rule of `ensurePrivateDirectory` in
 * @retort/core, kept here because this module loads before core.
 */
function ensurePrivateFolder(directory: string): boolean {
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(directory);
    if (!stat.isDirectory()) return false;
    if (typeof process.getuid === "function" && stat.uid !== process.getuid()) return false;
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(directory, 0o700);
    return true;
  } catch {
    return false;
  }
}

/** Through a temporary name and a rename: a concurrent run reads the old entry or the new one, whole. */
function writeAtomically(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.${Math.floor(Math.random() * 0x100000000).toString(16)}.tmp`;
  fs.writeFileSync(temporary, data, { mode: 0o600, flag: "wx" });
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** Entries not written for this long are removed when another is written (an active one is written again in two runs). */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/**
 * Removes the entries of the same bundle and command under an older stamp
 * (a reinstalled bundle, another Node), and any entry older than 30 days
 * (a project folder since deleted, say).
 */
function removeStale(directory: string, written: readonly string[]): void {
  /** `<bundle>-<command>` → the stamp just written. */
  const current = new Map<string, string>();
  for (const file of written) {
    const parts = entryParts(path.basename(file));
    if (parts.length === 3) current.set(`${parts[0]}-${parts[2]}`, parts[1]);
  }
  const now = Date.now();
  for (const other of fs.readdirSync(directory)) {
    const [bundle, stamp, command] = entryParts(other);
    if (bundle === undefined) continue;
    const file = path.join(directory, other);
    const kept = current.get(`${bundle}-${command}`);
    const replaced = kept !== undefined && kept !== stamp;
    if (replaced || now - fs.statSync(file).mtimeMs > MAX_AGE_MS) fs.rmSync(file, { force: true });
  }
}

/** The three parts of an entry's name (`<bundle>-<stamp>-<command>.bin`); a temporary file has none. */
function entryParts(name: string): [string, string, string] | [] {
  const match = /^([0-9a-f]{16})-([0-9a-f]{16})-([a-z-]+)\.bin$/.exec(name);
  return match ? [match[1] as string, match[2] as string, match[3] as string] : [];
}
