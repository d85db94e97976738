import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { moduleProjects, writeFakeCjsPackage } from "./test-support/module-projects.js";
import { compileBatch } from "./batch-compiler.js";
import { BATCH_CODE_CACHE_MARKER, evaluateBatchScript } from "./batch-script.js";
import { CompiledModuleCache, type ModuleSource } from "./compiled-module-cache.js";
import { keepSourceText, stampText } from "./source-texts.js";

const project = moduleProjects("retort-batch-");

const migration = (id: string) =>
  [
    'import { flavour } from "dual";',
    'import path from "node:path";',
    `export const revision: string = '${id}';`,
    "export const found: string = flavour + ' ' + path.basename('/x/y.ts');",
    `(globalThis as Record<string, unknown>).loaded_${id} = ((globalThis as Record<string, number>).loaded_${id} ?? 0) + 1;`,
  ].join("\n");

/** The batch scripts in `cache` (a file compiled on its own is an `.mjs` module). */
function compiledFiles(cache: string): string[] {
  return fs.readdirSync(cache).filter((name) => name.endsWith(".cjs"));
}

/** The batches remembered by their files' stamps. */
function stampFiles(cache: string): string[] {
  return fs.existsSync(cache) ? fs.readdirSync(cache).filter((name) => name.endsWith(".batch")) : [];
}

async function sourcesOf(modules: CompiledModuleCache, files: readonly string[]): Promise<ModuleSource[]> {
  await modules.prepare(files);
  return Promise.all(files.map((file) => modules.source(file)));
}

type Loaders = Record<string, () => Promise<Record<string, unknown>>>;

/** Both compilers of a batch: blanking types (a batch whose files all allow it) and esbuild's bundler. */
const COMPILERS = [
  ["blanking types", "1"],
  ["esbuild's bundler", "0"],
] as const;

/** Runs the suite's tests with `RETORT_STRIP_TYPES` set to `value` (in this process and the ones it starts). */
function useStripTypes(value: string): void {
  const before = process.env.RETORT_STRIP_TYPES;
  beforeAll(() => {
    process.env.RETORT_STRIP_TYPES = value;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.RETORT_STRIP_TYPES;
    else process.env.RETORT_STRIP_TYPES = before;
  });
}

describe.each(COMPILERS)("batch modules, compiled by %s", (_compiler, strip) => {
  useStripTypes(strip);

  it("compiles the pending migrations into one private script, each behind a lazy loader", async () => {
    // Counted by the members' top level, in this process (the suite runs once per compiler).
    for (const id of ["a1", "b2"]) delete (globalThis as Record<string, unknown>)[`loaded_${id}`];
    const { folder, cache } = project({ "a1.ts": migration("a1"), "b2.ts": migration("b2") });
    const files = ["a1.ts", "b2.ts"].map((name) => path.join(folder, name));
    const [a1, b2] = await sourcesOf(new CompiledModuleCache(cache), files);
    if (a1 === undefined || !("batch" in a1)) throw new Error(`not batched: ${JSON.stringify(a1)}`);
    expect(b2).toEqual(a1);
    const [batch] = compiledFiles(cache);
    expect(compiledFiles(cache)).toHaveLength(1);
    expect(fs.statSync(path.join(cache, batch as string)).mode & 0o777).toBe(0o600);
    // One source map beside it, naming each file by its absolute URL; the script only points to it.
    const mapFile = path.join(cache, (batch as string).replace(/\.cjs$/, ".map"));
    expect(fs.statSync(mapFile).mode & 0o777).toBe(0o600);
    const map = JSON.parse(fs.readFileSync(mapFile, "utf8")) as { sources: string[]; sourcesContent?: unknown };
    expect(map.sources.filter((source) => source.endsWith(".ts"))).toEqual(files.map((file) => pathToUrl(file)));
    // esbuild's copy of each text (checked against the key's) is not written.
    expect(map.sourcesContent).toBeUndefined();
    const code = fs.readFileSync(path.join(cache, batch as string), "utf8");
    expect(code.trimEnd().endsWith(`=${path.basename(mapFile)}`)).toBe(true);
    expect(code).not.toContain("base64,");
    // The CLI compiles scripts that start with its marker with a V8 code cache.
    expect(code.startsWith(`${BATCH_CODE_CACHE_MARKER}"use strict";`)).toBe(true);
    // Blanked, each member's text is in the script as it is in its file, type annotations aside.
    expect(code.includes("export const found         = flavour + ' ' + path.basename('/x/y.ts');".slice(6))).toBe(
      strip === "1",
    );

    const loaders: Loaders = await evaluateBatchScript(a1.batch);
    expect(Object.keys(loaders)).toEqual(files);
    // Importing the batch runs no migration's top-level code; its loader does, once.
    expect((globalThis as Record<string, unknown>).loaded_b2).toBeUndefined();
    const second = await (loaders[files[1] as string] as () => Promise<Record<string, unknown>>)();
    expect(second).toMatchObject({ revision: "b2", found: "esm y.ts" });
    expect((globalThis as Record<string, unknown>).loaded_b2).toBe(1);
    expect((globalThis as Record<string, unknown>).loaded_a1).toBeUndefined();

    // Another process finds the same batch without compiling it again.
    const before = fs.statSync(path.join(cache, batch as string)).mtimeMs;
    expect(await sourcesOf(new CompiledModuleCache(cache), files)).toEqual([a1, a1]);
    expect(compiledFiles(cache)).toEqual([batch]);
    expect(fs.statSync(path.join(cache, batch as string)).mtimeMs).toBe(before);
  });

  it("does not use a batch compiled from another text than the one its key was made of (an edit during the build)", async () => {
    const { folder, cache } = project({ "c3.ts": migration("c3"), "d4.ts": migration("d4") });
    const files = ["c3.ts", "d4.ts"].map((name) => path.join(folder, name));
    const texts = new Map(files.map((file) => [file, fs.readFileSync(file, "utf8")]));
    const outfile = path.join(cache, "edited.cjs");
    fs.mkdirSync(cache, { recursive: true, mode: 0o700 });
    expect((await compileBatch(files, texts, outfile)).included).toEqual(files);
    // The key's text is not what esbuild reads: as if d4.ts was edited after Retort read it.
    texts.set(files[1] as string, `${texts.get(files[1] as string)}\n// the text before the edit`);
    const outcome = await compileBatch(files, texts, outfile);
    expect(outcome.code).toBeUndefined();
    expect(outcome.included).toEqual([]);
    expect(outcome.excluded.get(files[1] as string)).toMatch(/could not be compiled with the others/);
  });

  it("batches a file with a byte order mark and CRLF line breaks (its text compared as esbuild read it)", async () => {
    const crlf = `\ufeff${migration("e5").replaceAll("\n", "\r\n")}\r\n`;
    const { folder, cache } = project({ "e5.ts": crlf, "f6.ts": migration("f6") });
    const files = ["e5.ts", "f6.ts"].map((name) => path.join(folder, name));
    const texts = new Map(files.map((file) => [file, fs.readFileSync(file, "utf8")]));
    fs.mkdirSync(cache, { recursive: true, mode: 0o700 });
    const outcome = await compileBatch(files, texts, path.join(cache, "crlf.cjs"));
    expect(outcome.excluded).toEqual(new Map());
    expect(outcome.included).toEqual(files);
  });

  it("compiles a new batch when one file changes, even within the same second and size", async () => {
    const { folder, cache } = project({ "a1.ts": migration("a1"), "b2.ts": migration("b2") });
    const files = ["a1.ts", "b2.ts"].map((name) => path.join(folder, name));
    const [first] = await sourcesOf(new CompiledModuleCache(cache), files);
    const { mtime } = fs.statSync(files[1] as string);
    fs.writeFileSync(files[1] as string, migration("c3"));
    fs.utimesSync(files[1] as string, mtime, mtime);
    const [second] = await sourcesOf(new CompiledModuleCache(cache), files);
    if (second === undefined || !("batch" in second)) throw new Error("not batched");
    expect(second).not.toEqual(first);
    const loaders: Loaders = await evaluateBatchScript(second.batch);
    expect(await (loaders[files[1] as string] as () => Promise<Record<string, unknown>>)()).toMatchObject({
      revision: "c3",
    });
  });

  it("finds a batch again by its files' stamps, without reading them, once they are settled", async () => {
    const { folder, cache } = project({ "a1.ts": migration("a1"), "b2.ts": migration("b2") });
    const files = ["a1.ts", "b2.ts"].map((name) => path.join(folder, name));
    // Just written, the files may still change within the same tick: nothing is remembered by their stamps.
    const [first] = await sourcesOf(new CompiledModuleCache(cache), files);
    if (first === undefined || !("batch" in first)) throw new Error("not batched");
    expect(stampFiles(cache)).toEqual([]);
    // A minute later they are settled: the run that finds the batch remembers it by their stamps.
    const later = () => Date.now() + 60_000;
    expect(await sourcesOf(new CompiledModuleCache(cache, later), files)).toEqual([first, first]);
    const [stamp] = stampFiles(cache);
    expect(stampFiles(cache)).toHaveLength(1);
    expect(fs.statSync(path.join(cache, stamp as string)).mode & 0o777).toBe(0o600);
    expect(`${fs.readFileSync(path.join(cache, stamp as string), "utf8")}.cjs`).toBe(compiledFiles(cache)[0]);
    // The next run stats the files and reads neither of them.
    const read = vi.spyOn(fs, "readFileSync");
    const readMembers = () => read.mock.calls.filter(([file]) => files.includes(String(file))).length;
    let edited: ModuleSource | undefined;
    try {
      expect(await sourcesOf(new CompiledModuleCache(cache, later), files)).toEqual([first, first]);
      expect(readMembers()).toBe(0);
      // An edit of the same size with the old mtime still has a new ctime: the texts are read, a new batch compiled.
      const { mtime } = fs.statSync(files[1] as string);
      fs.writeFileSync(files[1] as string, migration("c3"));
      fs.utimesSync(files[1] as string, mtime, mtime);
      [edited] = await sourcesOf(new CompiledModuleCache(cache, later), files);
      expect(readMembers()).toBe(2);
    } finally {
      read.mockRestore();
    }
    if (edited === undefined || !("batch" in edited)) throw new Error("not batched");
    expect(edited).not.toEqual(first);
    const loaders: Loaders = await evaluateBatchScript(edited.batch);
    expect(await (loaders[files[1] as string] as () => Promise<Record<string, unknown>>)()).toMatchObject({
      revision: "c3",
    });
  });

  it("compiles the texts read for the headers instead of reading the files again, for the same stamps only", async () => {
    const { folder, cache } = project({ "a1.ts": migration("a1"), "b2.ts": migration("b2") });
    const files = ["a1.ts", "b2.ts"].map((name) => path.join(folder, name));
    const stampOf = (file: string) => {
      const stat = fs.statSync(file);
      return stampText(stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino);
    };
    keepSourceText(files[0] as string, stampOf(files[0] as string), fs.readFileSync(files[0] as string, "utf8"));
    // Kept under another stamp (the file changed since it was read): not used.
    keepSourceText(files[1] as string, "0:0:0:0", "export const revision = 'stale';");
    const read = vi.spyOn(fs, "readFileSync");
    try {
      const [a1, b2] = await sourcesOf(new CompiledModuleCache(cache), files);
      expect(a1).toHaveProperty("batch");
      expect(b2).toEqual(a1);
      expect(read.mock.calls.map(([file]) => String(file)).filter((file) => files.includes(file))).toEqual([files[1]]);
      const loaders: Loaders = await evaluateBatchScript((a1 as { batch: string }).batch);
      expect(await (loaders[files[1] as string] as () => Promise<Record<string, unknown>>)()).toMatchObject({
        revision: "b2",
      });
    } finally {
      read.mockRestore();
    }
  });

  it("remembers by stamps only a batch that holds every file asked for", async () => {
    const { folder, cache } = project({
      "a1.ts": migration("a1"),
      "b2.ts": migration("b2"),
      "secret.ts": 'export const url = "postgresql://app:s3cret@db.internal/app";',
    });
    const files = ["a1.ts", "b2.ts", "secret.ts"].map((name) => path.join(folder, name));
    const later = () => Date.now() + 60_000;
    for (let run = 0; run < 2; run++) {
      const sources = await sourcesOf(new CompiledModuleCache(cache, later), files);
      expect(sources[0]).toHaveProperty("batch");
      expect(sources[2]).toEqual({ hooks: "holds a literal secret" });
    }
    expect(stampFiles(cache)).toEqual([]);
  });

  it("leaves out what a batch cannot hold, and never writes a literal secret", async () => {
    const { folder, cache } = project({
      "a1.ts": migration("a1"),
      "b2.ts": migration("b2"),
      "broken.ts": "export const x: number = ;",
      "local.ts": 'import { x } from "./helper.js";\nexport const y = x;',
      "helper.ts": "export const x = 1;",
      "meta.ts": "export const here = new URL('.', import.meta.url).href;",
      "missing.ts": 'import { x } from "not-installed";\nexport const y = x;',
      "secret.ts": 'export const url = "postgresql://app:s3cret@db.internal/app";',
    });
    const names = ["a1.ts", "broken.ts", "local.ts", "meta.ts", "missing.ts", "secret.ts", "b2.ts"];
    const files = names.map((name) => path.join(folder, name));
    const sources = await sourcesOf(new CompiledModuleCache(cache), files);
    const byName = Object.fromEntries(names.map((name, index) => [name, sources[index]]));
    expect(byName["a1.ts"]).toHaveProperty("batch");
    expect(byName["b2.ts"]).toEqual(byName["a1.ts"]);
    expect(byName["broken.ts"]).toEqual({ hooks: "did not compile" });
    expect(byName["local.ts"]).toEqual({ hooks: "imports ./helper.js" });
    expect(byName["meta.ts"]).toEqual({ hooks: "uses its own location or CommonJS" });
    expect(byName["missing.ts"]).toEqual({ hooks: "imports not-installed" });
    expect(byName["secret.ts"]).toEqual({ hooks: "holds a literal secret" });
    const [batch] = compiledFiles(cache);
    expect(compiledFiles(cache)).toHaveLength(1);
    const code = fs.readFileSync(path.join(cache, batch as string), "utf8");
    expect(code).not.toContain("s3cret");
    const loaders: Loaders = await evaluateBatchScript(pathToUrl(path.join(cache, batch as string)));
    expect(Object.keys(loaders)).toEqual([files[0], files[6]]);
  });
});

function pathToUrl(file: string): string {
  return new URL(`file://${file}`).href;
}

const builtLoader = new URL("../../dist/config/module-loader.js", import.meta.url).href;
const builtSourceLocation = new URL("../../dist/errors/source-location.js", import.meta.url).href;

/**
 * Runs `body` in a Node process of its own with `prepareModules` and
 * `importModule` of the built package in scope (Vitest's module runner
 * hides Node's source maps), and returns what it wrote.
 */
function inNode(body: string, cacheDirectory: string, nodeOptions: readonly string[] = []): string {
  const script = `import { importModule, prepareModules } from ${JSON.stringify(builtLoader)};\n${body}`;
  const result = spawnSync(process.execPath, [...nodeOptions, "--input-type=module", "-e", script], {
    env: { ...process.env, RETORT_CACHE_DIR: cacheDirectory },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  return result.stdout;
}

/** The export `name` of each of `files`, prepared as one batch and imported in a Node of its own. */
function exportOfEach(files: readonly string[], name: string, cacheDirectory: string): unknown[] {
  const output = inNode(
    `await prepareModules(${JSON.stringify(files)});
const values = [];
for (const file of ${JSON.stringify(files)}) values.push((await importModule(file))[${JSON.stringify(name)}]);
process.stdout.write(JSON.stringify(values));`,
    cacheDirectory,
  );
  return JSON.parse(output) as unknown[];
}

describe.each(COMPILERS)("importModule from a batch compiled by %s", (_compiler, strip) => {
  useStripTypes(strip);

  it("names the .ts line that threw, in a step and at top level", () => {
    const typeLines = ["interface Options {", "  readonly a: string;", "}", "type Alias = Options;"];
    const { folder } = project({
      "a1.ts": [
        ...typeLines,
        "export async function upgrade(): Promise<void> {",
        '  throw new Error("in upgrade");',
        "}",
      ].join("\n"),
      "b2.ts": [
        ...typeLines,
        "const options: Alias = { a: 'a' };",
        'if (options.a === "a") throw new Error("at top");',
      ].join("\n"),
      // Its `upgrade` shares the batch's scope with a1's, and keeps its name.
      "c3.ts": ["export async function upgrade(): Promise<void> {", '  throw new Error("in upgrade");', "}"].join("\n"),
    });
    const [a1, b2, c3] = ["a1.ts", "b2.ts", "c3.ts"].map((name) => path.join(folder, name));
    const output = inNode(
      `await prepareModules(${JSON.stringify([a1, b2, c3])});
await importModule(${JSON.stringify(a1)});
const a = await importModule(${JSON.stringify(c3)});
const stacks = [];
const upgrade = a.upgrade;
const { sourceMappedStack } = await import(${JSON.stringify(builtSourceLocation)});
try { await upgrade(); } catch (error) { stacks.push(error.stack.split("\\n")[1].trim(), sourceMappedStack(error.stack).split("\\n")[1].trim()); }
try { await importModule(${JSON.stringify(b2)}); } catch (error) { stacks.push(error.code + " " + JSON.stringify(error.location)); }
process.stdout.write(JSON.stringify(stacks));`,
      path.join(folder, "cache"),
    );
    const [raw, inUpgrade, atTop] = JSON.parse(output) as [string, string, string];
    // Node's source maps stay off: its own stack names the compiled batch,
    // and Retort maps the frame when it reports it.
    expect(raw).toMatch(/^at upgrade \(.*[\\/]cache[\\/]modules[\\/][0-9a-f]+\.cjs:\d+:\d+\)$/);
    expect(inUpgrade).toBe(`at upgrade (${c3}:2:9)`);
    expect(atTop).toBe(`MODULE_LOAD ${JSON.stringify({ file: b2, line: 6, column: 30 })}`);
    expect(compiledFiles(path.join(folder, "cache", "modules"))).toHaveLength(1);
  });

  it("loads each file on its own when Node cannot link the batch, and remembers it", () => {
    // Outside a `"type": "module"` package tsx runs a `.ts` file as CommonJS, where such an import works.
    const { folder } = project({
      "package.json": '{ "name": "app" }',
      "a1.ts": 'import { merge } from "fakecjs";\nexport const answer: number = merge(40, 2);',
      "b2.ts": 'import { flavour } from "dual";\nexport const answer: string = flavour;',
    });
    writeFakeCjsPackage(folder);
    const files = [path.join(folder, "a1.ts"), path.join(folder, "b2.ts")];
    const body = `await prepareModules(${JSON.stringify(files)});
const answers = [];
for (const file of ${JSON.stringify(files)}) answers.push((await importModule(file)).answer);
process.stdout.write(JSON.stringify(answers));`;
    const cache = path.join(folder, "cache");
    expect(inNode(body, cache)).toBe('[42,"esm"]');
    const names = fs.readdirSync(path.join(cache, "modules"));
    expect(names.filter((name) => name.endsWith(".single"))).toHaveLength(1);
    // The batch script and its map are gone; b2 compiled on its own; a1 goes through the hooks (its own marker).
    expect(names.filter((name) => name.endsWith(".cjs") || name.endsWith(".map"))).toEqual([]);
    expect(names.filter((name) => name.endsWith(".mjs"))).toHaveLength(1);
    expect(names.filter((name) => name.endsWith(".hooks"))).toHaveLength(1);
    expect(inNode(body, cache)).toBe('[42,"esm"]');
    expect(fs.readdirSync(path.join(cache, "modules")).sort()).toEqual(names.sort());
  });

  it("imports packages as the file would as a module of its own: default, named and namespace, ESM and CommonJS", () => {
    const { folder } = project({
      "node_modules/esmpkg/package.json": '{ "name": "esmpkg", "type": "module", "main": "index.js" }',
      "node_modules/esmpkg/index.js": 'export default "esm default";\nexport const named = "esm named";\n',
      "node_modules/cjspkg/package.json": '{ "name": "cjspkg", "main": "index.js" }',
      "node_modules/cjspkg/index.js": "exports.answer = 42;\nexports.__esModule = true;\nexports.default = 'not it';\n",
      "a1.ts": [
        'import type { Missing } from "esmpkg";',
        'import esmDefault, { named, type Other } from "esmpkg";',
        'import * as esm from "esmpkg";',
        'import cjsDefault, { answer } from "cjspkg";',
        'import * as cjs from "cjspkg";',
        'import { default as renamed } from "esmpkg";',
        "type Local = Missing | Other;",
        "export const seen: unknown[] = [esmDefault, named, esm.default, esm.named, renamed,",
        "  typeof cjsDefault, (cjsDefault as { answer: number }).answer, answer, cjs.answer, cjs.default === cjsDefault];",
      ].join("\n"),
      "b2.ts": 'import { flavour } from "dual";\nexport const seen: string = flavour;',
    });
    const files = [path.join(folder, "a1.ts"), path.join(folder, "b2.ts")];
    // A CommonJS package's default is its module.exports, whatever its __esModule says (Node's rule for an ES module).
    expect(exportOfEach(files, "seen", path.join(folder, "cache"))).toEqual([
      ["esm default", "esm named", "esm default", "esm named", "esm default", "object", 42, 42, 42, true],
      "esm",
    ]);
    const names = fs.readdirSync(path.join(folder, "cache", "modules"));
    expect(names.filter((name) => name.endsWith(".cjs"))).toHaveLength(1);
    expect(names.filter((name) => name.endsWith(".mjs") || name.endsWith(".single"))).toEqual([]);
  });

  it("requires a .cjs package and a built-in as Node's loader would: module.exports as default, its names beside, one instance", () => {
    const { folder } = project({
      "node_modules/cjsfile/package.json": '{ "name": "cjsfile", "main": "index.cjs" }',
      "node_modules/cjsfile/index.cjs":
        "exports.answer = 42;\nexports.__esModule = true;\nexports.default = 'not it';\nexports.loads = (exports.loads ?? 0) + 1;\n",
      "a1.ts": [
        'import cjsDefault, { answer } from "cjsfile";',
        'import * as cjs from "cjsfile";',
        'import fs, { readFileSync } from "fs";',
        'import { basename } from "node:path";',
        "export { cjs, cjsDefault };",
        "export const seen: unknown[] = [typeof cjsDefault, (cjsDefault as { answer: number }).answer, answer,",
        "  cjs.answer, cjs.default === cjsDefault, Object.prototype.toString.call(cjs), fs.readFileSync === readFileSync,",
        '  basename("/x/y.ts")];',
      ].join("\n"),
      "b2.ts": 'import * as cjs from "cjsfile";\nexport { cjs };',
      "c3.ts":
        'import missing from "cjsfile";\nimport { nothing } from "cjsfile";\nexport const seen = [missing, nothing];',
    });
    const [a1, b2, c3] = ["a1.ts", "b2.ts", "c3.ts"].map((name) => path.join(folder, name));
    const output = inNode(
      `import { createRequire } from "node:module";
await prepareModules(${JSON.stringify([a1, b2])});
const a = await importModule(${JSON.stringify(a1)});
const b = await importModule(${JSON.stringify(b2)});
const required = createRequire(${JSON.stringify(a1)})("cjsfile");
process.stdout.write(JSON.stringify([a.seen, a.cjsDefault === required, b.cjs === a.cjs, required.loads]));`,
      path.join(folder, "cache"),
    );
    // The default is module.exports whatever its __esModule says; the package ran once, for the batch and require alike.
    expect(JSON.parse(output)).toEqual([["object", 42, 42, 42, true, "[object Module]", true, "y.ts"], true, true, 1]);
    // A name the package does not export fails the batch as linking would; the file then loads on its own.
    const names = fs.readdirSync(path.join(folder, "cache", "modules"));
    expect(names.filter((name) => name.endsWith(".cjs"))).toHaveLength(1);
    const single = inNode(
      `await prepareModules(${JSON.stringify([c3, b2])});
try { await importModule(${JSON.stringify(c3)}); } catch (error) { process.stdout.write(error.message); }`,
      path.join(folder, "cache"),
    );
    expect(single).toContain("does not provide an export named 'nothing'");
  });

  it("compiles a file asked for as a script into a batch script of its own; one that cannot be loads as before", () => {
    const { folder } = project({
      "node_modules/cjsfile/package.json": '{ "name": "cjsfile", "main": "index.cjs" }',
      "node_modules/cjsfile/index.cjs": "exports.defineConfig = (config) => ({ ...config, defined: true });\n",
      "script.ts": 'import { defineConfig } from "cjsfile";\nexport default defineConfig({ url: "sqlite:///a.db" });',
      // Its own location: tsx's hooks load it, as they did.
      "module.ts": 'export default { url: new URL("./b.db", import.meta.url).pathname };',
    });
    const files = [path.join(folder, "script.ts"), path.join(folder, "module.ts")];
    const body = `const values = [];
for (const file of ${JSON.stringify(files)}) values.push((await importModule(file, { asScript: true })).default);
process.stdout.write(JSON.stringify(values));`;
    const cache = path.join(folder, "cache");
    const expected = [{ url: "sqlite:///a.db", defined: true }, { url: path.join(folder, "b.db") }];
    expect(JSON.parse(inNode(body, cache))).toEqual(expected);
    const names = fs
      .readdirSync(path.join(cache, "modules"))
      .filter((name) => !name.startsWith("."))
      .sort();
    // A script named by a 32-digit key (a batch of several has 40) and its map; nothing for the other file.
    expect(names.map((name) => name.replace(/^[0-9a-f]+/, (key) => String(key.length)))).toEqual(["32.cjs", "32.map"]);
    // A second run loads both from the cache.
    expect(JSON.parse(inNode(body, cache))).toEqual(expected);
    expect(
      fs
        .readdirSync(path.join(cache, "modules"))
        .filter((name) => !name.startsWith("."))
        .sort(),
    ).toEqual(names);
  });

  it("lets a batch's code go once its files are loaded and no longer used, keeping a file's exports while they are", () => {
    const { folder } = project({
      "a1.ts": 'import { flavour } from "dual";\nexport async function upgrade(): Promise<string> { return flavour; }',
      "b2.ts":
        'import { flavour } from "dual";\nexport async function upgrade(): Promise<string> { return flavour + 2; }',
    });
    const files = [path.join(folder, "a1.ts"), path.join(folder, "b2.ts")];
    const output = inNode(
      `await prepareModules(${JSON.stringify(files)});
const [a1, b2] = ${JSON.stringify(files)};
let first = await importModule(a1);
const kept = (await importModule(b2)) === (await importModule(b2));
const results = [await first.upgrade(), kept, (await importModule(a1)) === first];
// Every file of a batch shares its scope: the code goes when none of its files' exports is held.
const gone = new WeakRef((await importModule(b2)).upgrade);
first = undefined;
await new Promise((resolve) => setTimeout(resolve, 0));
globalThis.gc();
results.push(gone.deref() === undefined);
process.stdout.write(JSON.stringify(results));`,
      path.join(folder, "cache"),
      ["--expose-gc"],
    );
    expect(JSON.parse(output)).toEqual(["esm", true, true, true]);
  });

  it("keeps a template literal line that reads like an import as it is", () => {
    // A module no member imports, which would load from anywhere if it were taken for an import.
    const text = 'import os from "node:os";';
    const { folder } = project({
      "a1.ts": `export const text: string = \`\n${text}\n\`;`,
      "b2.ts": 'import { flavour } from "dual";\nexport const text: string = flavour;',
    });
    const files = [path.join(folder, "a1.ts"), path.join(folder, "b2.ts")];
    expect(exportOfEach(files, "text", path.join(folder, "cache"))).toEqual([`\n${text}\n`, "esm"]);
  });
});
