import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ensurePrivateDirectory, pruneOccasionally } from "./cache-directory.js";
import { type CompileOutcome, compileModules } from "./module-compiler.js";

/** Changes whenever the compiled form does (compile options, the resolver plugin). */
const FORMAT = "retort-compiled-1";

/** Where a module's code comes from: a compiled file in the cache, or the loader hooks (and why). */
export type ModuleSource = { readonly url: string } | { readonly hooks: string };

/**
 * Literal secrets a source may hold: a URL with a password, a
 * `password`/`secret`/`token` key with a string value, SQL's `PASSWORD
 * '…'` or `IDENTIFIED BY '…'`. Such a file is never written to the cache;
 * it runs through the loader hooks, which keep compiled code in memory.
 */
const LITERAL_SECRET =
  /[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"`]*:[^\s@'"`/]+@|\b(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key)["']?\s*[:=]\s*["'`]|\bPASSWORD\s*\(?\s*['"]|\bIDENTIFIED\s+BY\s+['"]/i;

/**
 * Compiled modules on disk, keyed by the SHA-256 of the file's path, its
 * text and its nearest `tsconfig.json`: an edited file has a new key (the
 * old entry is simply no longer asked for), an unchanged one is a stat and
 * a native `import()`. Files are written 0600 in a 0700 folder, through a
 * temporary name and a rename, so a concurrent run never reads half a file.
 */
export class CompiledModuleCache {
  readonly #directory: string | null;
  #usable: boolean | undefined;
  readonly #sources = new Map<string, Promise<ModuleSource>>();
  readonly #tsconfigs = new Map<string, string>();

  constructor(directory: string | null) {
    this.#directory = directory;
  }

  /** Where `file`'s code comes from, compiling it (alone) when the cache does not have it. */
  source(file: string): Promise<ModuleSource> {
    const known = this.#sources.get(file);
    if (known !== undefined) return known;
    this.prepare([file]);
    return this.#sources.get(file) as Promise<ModuleSource>;
  }

  /**
   * Makes sure every file of `files` is compiled, all the missing ones in
   * one esbuild call: the migrations a run is about to import.
   */
  prepare(files: readonly string[]): Promise<void> {
    const fresh = files.filter((file) => !this.#sources.has(file));
    if (fresh.length === 0) return Promise.resolve();
    const batch = this.#lookUp(fresh);
    for (const file of fresh) {
      const result = batch.then((sources) => sources.get(file) ?? { hooks: "not compiled" });
      this.#sources.set(file, result);
    }
    return batch.then(() => undefined);
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
      if (LITERAL_SECRET.test(text)) {
        sources.set(file, { hooks: "holds a literal secret" });
        continue;
      }
      const target = path.join(directory, `${this.#key(file, text)}.mjs`);
      if (fs.existsSync(target)) {
        sources.set(file, { url: pathToFileURL(target).href });
        continue;
      }
      missing.push(file);
      texts.set(file, text);
      targets.set(file, target);
    }
    if (missing.length === 0) return sources;
    // A failure of the compiler itself leaves these files to the hooks, which report any real error.
    const outcomes = await compileModules(missing, texts, (file) => this.#tsconfig(path.dirname(file))).catch(
      (error: unknown) =>
        new Map<string, CompileOutcome>(missing.map((file) => [file, { hooks: `compile failed: ${String(error)}` }])),
    );
    // Written asynchronously and in parallel (libuv's threads), while the
    // migrations of the previous batch run; imported from the file, whose
    // inline source map Node reads.
    await Promise.all(
      missing.map(async (file) => {
        const outcome = outcomes.get(file) ?? { hooks: "not compiled" };
        const target = targets.get(file) as string;
        if (!("code" in outcome)) {
          sources.set(file, { hooks: outcome.hooks });
        } else if (await writePrivately(target, outcome.code)) {
          sources.set(file, { url: pathToFileURL(target).href });
        } else {
          sources.set(file, { hooks: "could not write the cache" });
        }
      }),
    );
    pruneOccasionally(directory);
    return sources;
  }

  #key(file: string, text: string): string {
    return createHash("sha256")
      .update(`${FORMAT}\0${path.resolve(file)}\0${this.#tsconfig(path.dirname(file))}\0`)
      .update(text)
      .digest("hex")
      .slice(0, 40);
  }

  /** The nearest `tsconfig.json` above `folder` (its text; empty without one), which esbuild also reads. */
  #tsconfig(folder: string): string {
    const known = this.#tsconfigs.get(folder);
    if (known !== undefined) return known;
    let text = "";
    try {
      text = fs.readFileSync(path.join(folder, "tsconfig.json"), "utf8");
    } catch {
      const parent = path.dirname(folder);
      text = parent === folder ? "" : this.#tsconfig(parent);
    }
    this.#tsconfigs.set(folder, text);
    return text;
  }
}

/**
 * Writes `code` to `target` (0600) through a temporary name and a rename,
 * so a concurrent run never reads half a file; `false` when it failed.
 */
async function writePrivately(target: string, code: string): Promise<boolean> {
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await fs.promises.writeFile(temporary, code, { mode: 0o600, flag: "wx" });
    await fs.promises.rename(temporary, target);
    return true;
  } catch {
    await fs.promises.rm(temporary, { force: true }).catch(() => undefined);
    return false;
  }
}
