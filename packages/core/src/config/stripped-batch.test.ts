import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { type BatchLoaders, evaluateBatchScript } from "./batch-script.js";
import { CompiledModuleCache } from "./compiled-module-cache.js";
import { loadEsbuild, packageUrls } from "./module-compiler.js";
import { resolvePackageDirectly } from "./package-exports.js";
import { moduleProjects, temporaryFolders } from "./test-support/module-projects.js";

const project = moduleProjects("retort-stripped-");
const folderWith = temporaryFolders("retort-exports-");

/** The loaders of the one batch `files` compile to, and its script's text. */
async function batchOf(cache: string, files: readonly string[]): Promise<{ loaders: BatchLoaders; code: string }> {
  const modules = new CompiledModuleCache(cache);
  await modules.prepare(files);
  const [first, ...others] = await Promise.all(files.map((file) => modules.source(file)));
  if (first === undefined || !("batch" in first)) throw new Error(`not batched: ${JSON.stringify(first)}`);
  for (const other of others) expect(other).toEqual(first);
  return { loaders: await evaluateBatchScript(first.batch), code: fs.readFileSync(fileURLToPath(first.batch), "utf8") };
}

async function load(loaders: BatchLoaders, file: string): Promise<Record<string, unknown>> {
  const loader = loaders[file];
  if (loader === undefined) throw new Error(`${file} is not in the batch`);
  return loader();
}

describe("batches compiled by blanking types", () => {
  it("gives each member an ES module's semantics: live exports, a top level run once, top-level await, names kept", async () => {
    const { folder, cache } = project({
      "a1.ts": [
        'import { flavour } from "dual";',
        "export let count: number = 0;",
        "export function bump(by: number = 1): void {",
        "  count += by;",
        "}",
        "const g = globalThis as unknown as { strippedRuns?: number };",
        "g.strippedRuns = (g.strippedRuns ?? 0) + 1;",
        "export const waited: string = await Promise.resolve(flavour);",
        "export const self: unknown = this;",
        "export const upgrade = async (): Promise<void> => {};",
      ].join("\n"),
      "b2.ts": [
        'import { flavour } from "dual";',
        "function defineConfig<T>(config: T): T {",
        "  return config;",
        "}",
        "export default defineConfig({ flavour });",
      ].join("\n"),
      // No semicolons: each import declaration ends the line before it, as in a module.
      "c3.ts": [
        "export const list: number[] = [1]",
        'import { flavour } from "dual"',
        "(globalThis as Record<string, unknown>).strippedFlavour = flavour",
      ].join("\n"),
    });
    const [a1, b2, c3] = ["a1.ts", "b2.ts", "c3.ts"].map((name) => path.join(folder, name)) as [string, string, string];
    const { loaders, code } = await batchOf(cache, [a1, b2, c3]);
    // The members' code is their text, types blanked: no esbuild helper.
    expect(code).toContain("export let count         = 0;".slice(6));
    expect(code).not.toContain("__esm");
    const a = await load(loaders, a1);
    expect(await load(loaders, a1)).toBe(a);
    expect((globalThis as { strippedRuns?: number }).strippedRuns).toBe(1);
    expect(a.count).toBe(0);
    (a.bump as (by?: number) => void)(2);
    expect(a.count).toBe(2);
    expect(a).toMatchObject({ waited: "esm", self: undefined });
    expect((a.upgrade as () => unknown).name).toBe("upgrade");
    expect(Object.keys(a).sort()).toEqual(["bump", "count", "self", "upgrade", "waited"]);
    expect((await load(loaders, b2)).default).toEqual({ flavour: "esm" });
    expect((await load(loaders, c3)).list).toEqual([1]);
    expect((globalThis as Record<string, unknown>).strippedFlavour).toBe("esm");
  });

  it("names every member in its source map by the URL pathToFileURL gives, whatever its name holds", async () => {
    const names = ["plain_1.ts", "with space.ts", "100%.ts", "caf\u00e9.ts", "hash#1.ts", "q?.ts", "dots.v2.ts"];
    const { folder, cache } = project(
      Object.fromEntries(names.map((name) => [name, "export const seen: number = 1;"])),
    );
    const files = names.map((name) => path.join(folder, name));
    const { code } = await batchOf(cache, files);
    expect(code).not.toContain("__esm");
    const mapName = /\/\/# sourceMappingURL=(\S+)/.exec(code)?.[1] as string;
    const modules = new CompiledModuleCache(cache);
    await modules.prepare(files);
    const batch = (await modules.source(files[0] as string)) as { batch: string };
    const map = JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(batch.batch)), mapName), "utf8"));
    expect(map.sources).toEqual(files.map((file) => pathToFileURL(file).href));
  });

  it("sends a batch to esbuild when one of its files cannot be blanked, and keeps what esbuild can batch", async () => {
    const { folder, cache } = project({
      "a1.ts": 'import { flavour } from "dual";\nexport const seen: string = flavour;',
      "b2.ts": "enum Colour {\n  Red = 1,\n}\nexport const seen: number = Colour.Red;",
    });
    const files = ["a1.ts", "b2.ts"].map((name) => path.join(folder, name));
    const { loaders, code } = await batchOf(cache, files);
    expect(code).toContain("__esm");
    expect(await Promise.all(files.map(async (file) => (await load(loaders, file)).seen))).toEqual(["esm", 1]);
  });

  it("compiles and links without starting esbuild when every package resolves directly", () => {
    const { folder } = project({
      "a1.ts":
        'import { flavour } from "dual";\nimport type { Missing } from "dual";\nexport const seen: string = flavour;',
      "b2.ts": 'import { basename } from "node:path";\nexport const seen: string = basename("/x/y.ts");',
    });
    const files = ["a1.ts", "b2.ts"].map((name) => path.join(folder, name));
    const loader = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/config/module-loader.js");
    const script = `import { createRequire } from "node:module";
import { importModule, prepareModules } from ${JSON.stringify(loader)};
await prepareModules(${JSON.stringify(files)});
const seen = [];
for (const file of ${JSON.stringify(files)}) seen.push((await importModule(file)).seen);
const required = Object.keys(createRequire(import.meta.url).cache).filter((name) => name.includes("esbuild"));
process.stdout.write(JSON.stringify([seen, required]));`;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, RETORT_CACHE_DIR: path.join(folder, "cache") },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([["esm", "y.ts"], []]);
  });
});

describe("resolvePackageDirectly", () => {
  const layout = {
    "package.json": '{ "name": "app", "type": "module" }',
    "node_modules/plain/package.json": '{ "name": "plain", "exports": "./main.js" }',
    "node_modules/plain/main.js": "export {};",
    "node_modules/@scope/conds/package.json": JSON.stringify({
      name: "@scope/conds",
      exports: {
        ".": { types: "./index.d.ts", require: "./index.cjs", node: { import: "./node.mjs" }, default: "./index.js" },
        "./sub": { default: "./sub.js" },
        "./lib/*": "./lib/*.js",
      },
    }),
    "node_modules/@scope/conds/node.mjs": "export {};",
    "node_modules/@scope/conds/index.js": "export {};",
    "node_modules/@scope/conds/sub.js": "export {};",
    "node_modules/@scope/conds/lib/x.js": "export {};",
    "node_modules/nested/package.json":
      '{ "name": "nested", "exports": { "node": { "require": "./c.cjs" }, "default": "./d.js" } }',
    "node_modules/nested/d.js": "export {};",
    "node_modules/legacy/package.json": '{ "name": "legacy", "main": "index.js" }',
    "node_modules/legacy/index.js": "export {};",
    "node_modules/fallbacks/package.json": '{ "name": "fallbacks", "exports": { ".": ["./a.js", "./b.js"] } }',
    "node_modules/fallbacks/a.js": "export {};",
    "node_modules/typed/package.json": '{ "name": "typed", "exports": "./index.ts" }',
    "node_modules/typed/index.ts": "export {};",
    "src/versions/a1.ts": "",
  };

  it("finds what esbuild finds for an exports map, and leaves everything else to it", async () => {
    const folder = folderWith(layout);
    fs.symlinkSync(path.join(folder, "node_modules", "plain"), path.join(folder, "node_modules", "linked"), "dir");
    const from = path.join(folder, "src", "versions");
    const specifiers = ["plain", "@scope/conds", "@scope/conds/sub", "nested"];
    const direct = specifiers.map((specifier) => resolvePackageDirectly(from, specifier));
    expect(direct).toEqual(
      ["plain/main.js", "@scope/conds/node.mjs", "@scope/conds/sub.js", "nested/d.js"].map((file) =>
        path.join(folder, "node_modules", file),
      ),
    );
    // The same files esbuild resolves (as `packageUrls` asks it).
    const esbuild = loadEsbuild();
    if (typeof esbuild === "string") throw new Error(esbuild);
    const urls = await packageUrls(esbuild, new Map([[from, new Set(specifiers)]]));
    expect(specifiers.map((specifier) => urls.get(`${from}\0${specifier}`))).toEqual(
      direct.map((file) => `file://${file}`),
    );
    // A symlinked package resolves to its real files (pnpm's layout).
    expect(resolvePackageDirectly(from, "linked")).toBe(path.join(folder, "node_modules", "plain", "main.js"));
    // Patterns, arrays, no `exports`, a TypeScript target, a subpath not exported, a package's own name, a missing one.
    for (const specifier of ["@scope/conds/lib/x", "fallbacks", "legacy", "typed", "plain/other", "app", "absent"]) {
      expect(resolvePackageDirectly(from, specifier), specifier).toBeUndefined();
    }
  });
});
