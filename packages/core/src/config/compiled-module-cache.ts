import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ensurePrivateDirectory, pruneOccasionally, RACY_MS, temporaryName } from "./cache-directory.js";
import { compileBatch } from "./batch-compiler.js";
import { contentKey } from "./content-key.js";
import { type CompileOutcome, compileModules } from "./module-compiler.js";
import { holdsLiteralSecret } from "./literal-secret.js";
import { stampText, takeSourceText } from "./source-texts.js";
import { flattenTsconfig } from "./tsconfig-chain.js";

const requireModule = createRequire(import.meta.url);

/** Changes whenever the compiled form does (compile options, the resolver plugin). */
const FORMAT = "retort-compiled-1";
const BATCH_FORMAT = "retort-batch-5";

/**
 * Whether batches are compiled by blanking types where they can be (see
 * `compileStrippedBatch`): on unless `RETORT_STRIP_TYPES=0`, which sends
 * every batch to esbuild's bundler (and names other batches: the cache
 * keeps both).
 */
function batchFormat(): string {
  return process.env.RETORT_STRIP_TYPES === "0" ? `${BATCH_FORMAT}-esbuild` : BATCH_FORMAT;
}

/** Changes whenever what a batch's stamp key covers does. */
const STAMP_FORMAT = "retort-batch-stamps-1";

/**
 * Where a module's code comes from: a compiled file in the cache, a batch
 * script in the cache (see `evaluateBatchScript`: it gives a loader for
 * each file it holds; a file it does not hold loads on its own), or the
 * loader hooks (and why).
 */
export type ModuleSource = { readonly url: string } | { readonly batch: string } | { readonly hooks: string };

/**
 * Compiled modules on disk, keyed by the `contentKey` of the file's path,
 * its text and its nearest `tsconfig.json`: an edited file has a new key (the
 * old entry is simply no longer asked for), an unchanged one is a stat and
 * a native `import()`. Files are written 0600 in a 0700 folder, through a
 * temporary name and a rename, so a concurrent run never reads half a file.
 */
export class CompiledModuleCache {
  readonly #directory: string | null;
  #usable: boolean | undefined;
  readonly #sources = new Map<string, Promise<ModuleSource>>();
  readonly #tsconfigs = new Map<string, string | undefined>();
  readonly #now: () => number;

  /** `now` is the clock, in milliseconds since the epoch (for tests). */
  constructor(directory: string | null, now: () => number = Date.now) {
    this.#directory = directory;
    this.#now = now;
  }

  /**
   * Where `file`'s code comes from, compiling it when the cache does not
   * have it: on its own, as an ES module, or with `asScript` as a batch
   * script of one file (see `compileBatch`) when it can be one.
   */
  source(file: string, asScript = false): Promise<ModuleSource> {
    const known = this.#sources.get(file);
    if (known !== undefined) return known;
    this.prepare([file], asScript);
    return this.#sources.get(file) as Promise<ModuleSource>;
  }

  /**
   * Makes sure every file of `files` is compiled: the migrations a run is
   * about to import, together into one batch script (see `compileBatch`),
   * in one esbuild call. A single file is compiled on its own, or with
   * `asScript` into a batch script of its own.
   */
  prepare(files: readonly string[], asScript = false): Promise<void> {
    const fresh = files.filter((file) => !this.#sources.has(file));
    if (fresh.length === 0) return Promise.resolve();
    const minimum = asScript ? 1 : 2;
    const batch = fresh.length >= minimum ? this.#lookUpBatch(fresh, minimum) : this.#lookUp(fresh);
    for (const file of fresh) {
      const result = batch.then((sources) => sources.get(file) ?? { hooks: "not compiled" });
      this.#sources.set(file, result);
    }
    return batch.then(() => undefined);
  }

  /**
   * Remembers that `file`'s compiled form cannot be linked by Node (a named
   * import from a CommonJS package whose exports Node cannot detect, which
   * tsx's hooks allow): this and later runs import it through the hooks.
   */
  useHooksFor(file: string, url: string): void {
    this.#sources.set(file, Promise.resolve({ hooks: "Node could not link its compiled form" }));
    try {
      if (url.startsWith("file:")) {
        const compiled = fileURLToPath(url);
        fs.rmSync(compiled, { force: true });
        fs.writeFileSync(compiled.replace(/\.mjs$/, ".hooks"), "", { mode: 0o600 });
      }
    } catch {
      // Without the marker, a later run tries the compiled form again and falls back again.
    }
  }

  /** Where `file`'s code comes from when it does not load from a batch: its own compiled file, or the hooks. */
  sourceAlone(file: string): Promise<ModuleSource> {
    const known = this.#sources.get(file);
    if (known !== undefined) {
      return known.then((source) => {
        if (!("batch" in source)) return source;
        const alone = this.#lookUp([file]).then((sources) => sources.get(file) ?? { hooks: "not compiled" });
        this.#sources.set(file, alone);
        return alone;
      });
    }
    return this.source(file);
  }

  /**
   * Gives up a batch script that could not be evaluated. When it could not link
   * (a named import of a CommonJS package, which only the hooks allow),
   * its files load one by one in later runs too; when a package it
   * imports moved, the next run compiles the batch again.
   */
  abandonBatch(url: string, linkFailed: boolean): void {
    try {
      const compiled = fileURLToPath(url);
      fs.rmSync(compiled, { force: true });
      fs.rmSync(compiled.replace(/\.cjs$/, ".map"), { force: true });
      if (linkFailed) fs.writeFileSync(compiled.replace(/\.cjs$/, ".single"), "", { mode: 0o600 });
    } catch {
      // Without the marker, a later run tries the batch again and falls back again.
    }
  }

  /** Drops what is known of `file` and its cached code (a compiled module whose imports moved). */
  forget(file: string, url: string): void {
    this.#sources.delete(file);
    try {
      if (url.startsWith("file:")) fs.rmSync(new URL(url), { force: true });
    } catch {
      // Already gone, or never written: compiling again writes it.
    }
  }

  async #lookUp(files: readonly string[]): Promise<Map<string, ModuleSource>> {
    const sources = new Map<string, ModuleSource>();
    const directory = this.#directory;
    if (directory !== null && this.#usable === undefined) this.#usable = ensurePrivateDirectory(directory);
    if (directory === null || !this.#usable) {
      for (const file of files) sources.set(file, { hooks: "no private cache folder" });
      return sources;
    }
    const missing: string[] = [];
    const texts = new Map<string, string>();
    const targets = new Map<string, string>();
    for (const file of files) {
      let text: string;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch (error) {
        sources.set(file, { hooks: `unreadable: ${(error as Error).message}` });
        continue;
      }
      if (holdsLiteralSecret(text)) {
        sources.set(file, { hooks: "holds a literal secret" });
        continue;
      }
      if (this.#tsconfig(path.dirname(file)) === undefined) {
        sources.set(file, { hooks: "its tsconfig.json (or one it extends) could not be read" });
        continue;
      }
      const key = this.#key(file, text);
      const target = path.join(directory, `${key}.mjs`);
      if (fs.existsSync(path.join(directory, `${key}.hooks`))) {
        sources.set(file, { hooks: "Node could not link its compiled form" });
        continue;
      }
      if (isOwnPrivateFile(target)) {
        sources.set(file, { url: pathToFileURL(target).href });
        continue;
      }
      missing.push(file);
      texts.set(file, text);
      targets.set(file, target);
    }
    if (missing.length === 0) return sources;
    // A failure of the compiler itself leaves these files to the hooks, which report any real error.
    const outcomes = await compileModules(missing, texts, (file) => this.#tsconfig(path.dirname(file)) ?? "").catch(
      (error: unknown) =>
        new Map<string, CompileOutcome>(missing.map((file) => [file, { hooks: `compile failed: ${String(error)}` }])),
    );
    // Imported from the file, whose inline source map Node reads.
    for (const file of missing) {
      const outcome = outcomes.get(file) ?? { hooks: "not compiled" };
      const target = targets.get(file) as string;
      if (!("code" in outcome)) {
        sources.set(file, { hooks: outcome.hooks });
      } else if (writePrivately(target, outcome.code)) {
        sources.set(file, { url: pathToFileURL(target).href });
      } else {
        sources.set(file, { hooks: "could not write the cache" });
      }
    }
    pruneOccasionally(directory);
    return sources;
  }

  /**
   * One batch script for `files` (all that can be in one), keyed by the
   * hash of every file's path, text and tsconfig (and of the cache
   * folder, where esbuild placed it when compiling): a run that imports
   * the same pending migrations again reads and hashes them and loads
   * one script (and its source map). Files that cannot be in a batch (a literal secret, an
   * unreadable tsconfig, a local import…) are looked up one by one, and so
   * are all of them when fewer than `minimum` can be in it.
   *
   * Before reading them, the files' stamps (see `#stampKey`) are looked up
   * in `<stamp key>.batch`, which names the batch that held exactly these
   * files when their stamps were last seen: a warm run then stats its
   * files instead of reading and hashing them (and loading `node:crypto`),
   * about 25 ms of an upgrade of 550 migrations and 4 ms of loading a
   * config here.
   */
  async #lookUpBatch(files: readonly string[], minimum: number): Promise<Map<string, ModuleSource>> {
    const directory = this.#directory;
    if (directory !== null && this.#usable === undefined) this.#usable = ensurePrivateDirectory(directory);
    if (directory === null || !this.#usable) return this.#lookUp(files);
    const stamps = this.#stampKey(directory, files);
    const stampFile = stamps === undefined ? undefined : path.join(directory, `${stamps.key}.batch`);
    const known = stampFile === undefined ? undefined : this.#stampedBatch(directory, stampFile);
    if (known !== undefined) return new Map(files.map((file) => [file, known]));
    const texts = new Map<string, string>();
    const alone: string[] = [];
    for (const [index, file] of files.entries()) {
      let text: string;
      try {
        // The text read for its header, when its stamp is still the one it was read under.
        const stamp = stamps?.files[index];
        text = (stamp === undefined ? undefined : takeSourceText(file, stamp)) ?? fs.readFileSync(file, "utf8");
      } catch {
        alone.push(file);
        continue;
      }
      if (!path.isAbsolute(file) || holdsLiteralSecret(text) || this.#tsconfig(path.dirname(file)) === undefined) {
        alone.push(file);
        continue;
      }
      texts.set(file, text);
    }
    const members = [...texts.keys()];
    if (members.length < minimum) return this.#lookUp(files);
    const key = this.#batchKey(directory, texts);
    const target = path.join(directory, `${key}.cjs`);
    const mapFile = path.join(directory, `${key}.map`);
    if (fs.existsSync(path.join(directory, `${key}.single`))) return this.#lookUp(files);
    const sources = alone.length > 0 ? await this.#lookUp(alone) : new Map<string, ModuleSource>();
    // A script is found only with its map beside it (both are checked).
    // One URL for the batch, shared by its members (`pathToFileURL` is slow enough to show on 1,000 members).
    const batch = { batch: pathToFileURL(target).href };
    // Only a batch holding every one of the files, seen with settled stamps, is remembered by them.
    const remember = (held: number) => {
      if (stampFile !== undefined && stamps?.settled === true && alone.length === 0 && held === files.length) {
        writePrivately(stampFile, key);
      }
    };
    if (isOwnPrivateFile(target) && isOwnPrivateFile(mapFile)) {
      for (const file of members) sources.set(file, batch);
      remember(members.length);
      return sources;
    }
    const tsconfigOf = (file: string) => this.#tsconfig(path.dirname(file));
    const strip = batchFormat() === BATCH_FORMAT;
    const outcome = await compileBatch(members, texts, target, strip ? tsconfigOf : undefined).catch(() => undefined);
    if (
      outcome?.code === undefined ||
      outcome.map === undefined ||
      // The map first: a script is found only with its map beside it.
      !writePrivately(mapFile, outcome.map) ||
      !writePrivately(target, outcome.code)
    ) {
      for (const [file, source] of await this.#lookUp(members)) sources.set(file, source);
      return sources;
    }
    for (const file of outcome.included) sources.set(file, batch);
    if (outcome.excluded.size > 0) {
      for (const [file, source] of await this.#lookUp([...outcome.excluded.keys()])) sources.set(file, source);
    } else {
      remember(outcome.included.length);
    }
    pruneOccasionally(directory);
    return sources;
  }

  /**
   * One key for the stamps of `files` (path, size, mtime, ctime, inode:
   * what the header cache trusts) and their folders' tsconfig, each file's
   * stamp, and whether
   * every stamp is settled (older than `RACY_MS`): a stamp key names the
   * batch only once none of its files can still change within the same
   * tick. Taken before the files are read, so a file edited after its
   * stat has a later stamp next time. `undefined` when a file is not an
   * absolute path to a file, or its tsconfig cannot be read.
   */
  #stampKey(
    directory: string,
    files: readonly string[],
  ): { key: string; settled: boolean; files: readonly string[] } | undefined {
    const now = this.#now();
    const parts = [STAMP_FORMAT, batchFormat(), directory];
    const stamps: string[] = [];
    let settled = true;
    for (const file of files) {
      if (!path.isAbsolute(file)) return undefined;
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      const tsconfig = this.#tsconfig(path.dirname(file));
      if (stat === undefined || !stat.isFile() || tsconfig === undefined) return undefined;
      if (now - stat.mtimeMs <= RACY_MS || now - stat.ctimeMs <= RACY_MS) settled = false;
      const stamp = stampText(stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino);
      stamps.push(stamp);
      parts.push(file, tsconfig, stamp);
    }
    return { key: contentKey(parts), settled, files: stamps };
  }

  /** The batch `stampFile` names, when it and the batch's script and map are there (the user's own, private). */
  #stampedBatch(directory: string, stampFile: string): ModuleSource | undefined {
    if (!isOwnPrivateFile(stampFile)) return undefined;
    let key: string;
    try {
      key = fs.readFileSync(stampFile, "utf8");
    } catch {
      return undefined;
    }
    if (!/^[0-9a-f]{32,64}$/.test(key) || fs.existsSync(path.join(directory, `${key}.single`))) return undefined;
    const target = path.join(directory, `${key}.cjs`);
    if (!isOwnPrivateFile(target) || !isOwnPrivateFile(path.join(directory, `${key}.map`))) return undefined;
    return { batch: pathToFileURL(target).href };
  }

  /**
   * A batch's key. A batch of one file (the config) is keyed with
   * `contentKey`, as a file compiled on its own: every command loads the
   * config, and loading `node:crypto` would cost it more (about 9 ms,
   * with the stream modules it loads) than the rest of the config's load.
   * A larger batch, whose texts run to megabytes, is keyed with SHA-256,
   * several times faster than `contentKey` at that size; a run that
   * compiles migrations pays for loading `node:crypto` only then
   * (required: an `import()` would start Node's ES module loader, see
   * `evaluateBatchScript`).
   */
  #batchKey(directory: string, texts: ReadonlyMap<string, string>): string {
    const [only, ...others] = texts;
    if (only !== undefined && others.length === 0) {
      const [file, text] = only;
      return contentKey([batchFormat(), directory, path.resolve(file), this.#tsconfig(path.dirname(file)) ?? "", text]);
    }
    const { createHash } = requireModule("node:crypto") as typeof import("node:crypto");
    const hash = createHash("sha256").update(`${batchFormat()}\0${directory}\0`);
    for (const [file, text] of texts) {
      hash.update(`${path.resolve(file)}\0${this.#tsconfig(path.dirname(file))}\0${text.length}\0`).update(text);
    }
    return hash.digest("hex").slice(0, 40);
  }

  #key(file: string, text: string): string {
    return contentKey([FORMAT, path.resolve(file), this.#tsconfig(path.dirname(file)) ?? "", text]);
  }

  /**
   * The compiler options of the nearest `tsconfig.json` above `folder`, its
   * `extends` chain followed (esbuild's transform does not follow it): empty
   * without one, `undefined` when the chain cannot be read.
   */
  #tsconfig(folder: string): string | undefined {
    if (this.#tsconfigs.has(folder)) return this.#tsconfigs.get(folder);
    const file = path.join(folder, "tsconfig.json");
    let options: string | undefined;
    if (fs.existsSync(file)) {
      options = flattenTsconfig(file);
    } else {
      const parent = path.dirname(folder);
      options = parent === folder ? "" : this.#tsconfig(parent);
    }
    this.#tsconfigs.set(folder, options);
    return options;
  }
}

/**
 * Writes `code` to `target` (0600) through a temporary name and a rename,
 * so a concurrent run never reads half a file; `false` when it failed.
 * Synchronous: a batch and its map are a few hundred KB that the page
 * cache takes in well under a millisecond, where `fs.promises` cost a cold
 * run several (its module's first use, a file handle and a promise per
 * call) and kept the batch's first step waiting on their callbacks.
 */
function writePrivately(target: string, code: string): boolean {
  const temporary = temporaryName(target);
  try {
    fs.writeFileSync(temporary, code, { mode: 0o600, flag: "wx" });
    fs.renameSync(temporary, target);
    return true;
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing to remove, or a folder gone: the next run tidies it.
    }
    return false;
  }
}

/**
 * A cache hit is imported only when it is a regular file of this user that
 * no one else can write (or read): a file planted in the folder by another
 * user, or left from before the folder was closed, is compiled again.
 */
function isOwnPrivateFile(target: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return false;
  }
  if (!stat.isFile() || (stat.mode & 0o077) !== 0) return false;
  return typeof process.getuid !== "function" || stat.uid === process.getuid();
}
