import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { cacheDirectory, pruneOccasionally } from "./cache-directory.js";
import { moduleProjects } from "./test-support/module-projects.js";
import { initProject } from "../script/init-project.js";
import { CompiledModuleCache } from "./compiled-module-cache.js";

const project = moduleProjects("retort-cache-");

const migration = [
  'import { flavour } from "dual";',
  'import path from "node:path";',
  "export const revision: string = 'a1';",
  "export const found: string = flavour + ' ' + path.basename('/x/y.ts');",
].join("\n");

function cached(cache: string): string[] {
  return fs.existsSync(cache)
    ? fs
        .readdirSync(cache)
        .filter((name) => name.endsWith(".mjs"))
        .sort()
    : [];
}

describe("CompiledModuleCache", () => {
  it("compiles a module that imports packages into a private folder and reuses it", async () => {
    const { folder, cache } = project({ "a1_add.ts": migration });
    const file = path.join(folder, "a1_add.ts");
    const modules = new CompiledModuleCache(cache);
    const source = await modules.source(file);
    if (!("url" in source)) throw new Error(`not compiled: ${source.hooks}`);
    const module = (await import(source.url)) as { revision: string; found: string };
    // The package resolved as Node's ESM resolver does (the `import` condition).
    expect(module).toMatchObject({ revision: "a1", found: "esm y.ts" });
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    const [entry] = cached(cache);
    expect(entry).toMatch(/^[0-9a-f]{32}\.mjs$/);
    expect(fs.statSync(path.join(cache, entry as string)).mode & 0o777).toBe(0o600);
    const before = fs.statSync(path.join(cache, entry as string)).mtimeMs;

    // Another process (a new cache object) finds it without compiling.
    const again = await new CompiledModuleCache(cache).source(file);
    expect(again).toEqual(source);
    expect(source.url).toBe(pathToFileURL(path.join(cache, entry as string)).href);
    expect(((await import((again as { url: string }).url)) as { found: string }).found).toBe("esm y.ts");
    expect(cached(cache)).toEqual([entry]);
    expect(fs.statSync(path.join(cache, entry as string)).mtimeMs).toBe(before);
  });

  it("sees an edit of the same size within the same second", async () => {
    const { folder, cache } = project({ "a1_add.ts": migration });
    const file = path.join(folder, "a1_add.ts");
    const firstCache = new CompiledModuleCache(cache);
    const first = await firstCache.source(file);
    const { mtime } = fs.statSync(file);
    fs.writeFileSync(file, migration.replace("'a1'", "'b2'"));
    fs.utimesSync(file, mtime, mtime);
    const second = await new CompiledModuleCache(cache).source(file);
    if (!("url" in second)) throw new Error(`not compiled: ${second.hooks}`);
    expect(second).not.toEqual(first);
    expect(((await import(second.url)) as { revision: string }).revision).toBe("b2");
  });

  it("compiles a batch in one call and leaves a file that does not compile to the hooks", async () => {
    const { folder, cache } = project({
      "a1.ts": migration,
      "b2.ts": migration.replace("'a1'", "'b2'"),
      "broken.ts": "export const x: number = ;",
    });
    const files = ["a1.ts", "b2.ts", "broken.ts"].map((name) => path.join(folder, name));
    const modules = new CompiledModuleCache(cache);
    await modules.prepare(files);
    const [a1, b2, broken] = await Promise.all(files.map((file) => modules.source(file)));
    // One batch script holds both (see batch-modules.test.ts), its source map beside it.
    expect(a1).toHaveProperty("batch");
    expect(b2).toEqual(a1);
    expect(broken).toEqual({ hooks: "did not compile" });
    expect(cached(cache)).toEqual([]);
    const written = fs.readdirSync(cache).filter((name) => !name.startsWith("."));
    expect(written.map((name) => path.extname(name)).sort()).toEqual([".cjs", ".map"]);
  });

  it("leaves local imports, import.meta and CommonJS to the hooks", async () => {
    const { folder, cache } = project({
      "local.ts": 'import { x } from "./helper.js";\nexport const y = x;',
      "helper.ts": "export const x = 1;",
      "meta.ts": "export const here = new URL('.', import.meta.url).href;",
      "common.js": "exports.x = 1;",
      "missing.ts": 'import { x } from "not-installed";\nexport const y = x;',
      "dynamic.ts": 'export const load = () => import("dual");',
    });
    const modules = new CompiledModuleCache(cache);
    const outcome = async (name: string) => modules.source(path.join(folder, name));
    expect(await outcome("local.ts")).toEqual({ hooks: "imports ./helper.js" });
    expect(await outcome("meta.ts")).toEqual({ hooks: "uses its own location or CommonJS" });
    expect(await outcome("common.js")).toEqual({ hooks: "uses its own location or CommonJS" });
    expect(await outcome("missing.ts")).toEqual({ hooks: "imports not-installed" });
    expect(await outcome("dynamic.ts")).toEqual({ hooks: "imports dynamically" });
    expect(cached(cache)).toEqual([]);
  });

  it("never writes a file holding a literal password", async () => {
    const { folder, cache } = project({
      "retort.config.ts": 'export default { url: "postgresql://app:s3cret@db.internal/app" };',
      "other.ts": 'export default { url: "postgresql://db/app", password: "s3cret" };',
      "sql.ts": "export const sql = \"CREATE USER app WITH PASSWORD 's3cret'\";",
      "camel.ts": 'const dbPassword = "s3cret";\nexport default { url: `postgresql://app@db/app` , dbPassword };',
      "snake.ts": 'const DB_PASSWORD = "s3cret";\nexport default DB_PASSWORD;',
      "env.ts": 'export default { env: { PGPASSWORD: "x" } };',
      "typed.ts": 'const password: string = "x";\nexport default password;',
      "fallback.ts": 'export default { password: process.env.PW ?? "s3cret" };',
      "concat.ts": 'const pw = process.env.PW;\nexport default { url: "postgres://app:" + pw + "@db" };',
      "query.ts": 'export default { url: "postgres://db/app?password=s3cret" };',
      "token.ts": 'export default { authToken: "abc", clientSecret: "def" };',
      "identified.ts": "export const sql = \"CREATE USER app IDENTIFIED BY 's3cret'\";",
      "apikey.ts": 'export default { headers: { "x-api-key": "abc" } };',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's text holds a template literal.
      "template.ts": 'export default { url: `postgresql://${"app"}:${"s3cret"}@db/app` };',
      "dollar.ts": "export const sql = `CREATE ROLE app LOGIN\n  PASSWORD $$s3cret$$`;",
      // Compiled code keeps a comment inside an object literal.
      "comment.ts": 'export default {\n  url: "postgresql://db/app", // password "s3cret"\n};',
      // The literal and the name that makes it a secret on different lines.
      "property.ts":
        'const pw = "s3cret";\nconst url = new URL("postgresql://app@db/app");\nurl.password = pw;\nexport default { url: url.href };',
      "joined.ts":
        'const creds = ["app", "s3cret"].join(":");\nexport default { url: "postgresql://" + creds + "@db/app" };',
      "joinedtemplate.ts":
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's text holds a template literal.
        'const creds = ["app", "s3cret"].join(":");\nexport default { url: `postgresql://${creds}@db/app` };',
    });
    const modules = new CompiledModuleCache(cache);
    const names = [
      "retort.config.ts",
      "other.ts",
      "sql.ts",
      "camel.ts",
      "snake.ts",
      "env.ts",
      "typed.ts",
      "template.ts",
    ];
    for (const name of [
      ...names,
      "fallback.ts",
      "concat.ts",
      "query.ts",
      "token.ts",
      "identified.ts",
      "apikey.ts",
      "dollar.ts",
      "comment.ts",
      "property.ts",
      "joined.ts",
      "joinedtemplate.ts",
    ]) {
      expect(await modules.source(path.join(folder, name)), name).toEqual({ hooks: "holds a literal secret" });
    }
    expect(cached(cache)).toEqual([]);
  });

  it.each(["generic", "multidb"])(
    "caches the config `retort init` writes (%s): its comments hold no password",
    async (template) => {
      const { folder, cache } = project({
        "node_modules/@retort/core/package.json": '{ "name": "@retort/core", "main": "index.cjs" }',
        "node_modules/@retort/core/index.cjs": "exports.defineConfig = (config) => config;\n",
      });
      initProject({ cwd: folder, template });
      // A file that may hold a literal secret is compiled again on every run, through tsx's hooks.
      const source = await new CompiledModuleCache(cache).source(path.join(folder, "retort.config.ts"), true);
      expect(source).toEqual({ batch: expect.stringMatching(/^file:.*\/[0-9a-f]{32}\.cjs$/) });
    },
  );

  it("compiles again a cached file it did not write privately", async () => {
    const { folder, cache } = project({ "a1.ts": migration });
    const first = await new CompiledModuleCache(cache).source(path.join(folder, "a1.ts"));
    expect(first).toHaveProperty("url");
    const file = cached(cache)[0] as string;
    const compiled = path.join(cache, file);
    fs.writeFileSync(compiled, "export const planted = true;");
    fs.chmodSync(compiled, 0o666);
    const again = await new CompiledModuleCache(cache).source(path.join(folder, "a1.ts"));
    expect(again).toEqual(first);
    expect(fs.statSync(compiled).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(compiled, "utf8")).not.toContain("planted");
  });

  it("closes a cache folder others can read", async () => {
    const { folder, cache } = project({ "a1.ts": migration });
    fs.mkdirSync(cache, { recursive: true, mode: 0o755 });
    fs.chmodSync(cache, 0o755);
    const modules = new CompiledModuleCache(cache);
    expect(await modules.source(path.join(folder, "a1.ts"))).toHaveProperty("url");
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
  });

  it("uses no folder when RETORT_CACHE_DIR is empty", async () => {
    expect(cacheDirectory({ RETORT_CACHE_DIR: "" })).toBeNull();
    expect(cacheDirectory({ RETORT_CACHE_DIR: "rel" })).toBe(path.resolve("rel"));
    expect(cacheDirectory({ XDG_CACHE_HOME: "/xdg" })).toBe("/xdg/retort");
    const { folder } = project({ "a1.ts": migration });
    expect(await new CompiledModuleCache(null).source(path.join(folder, "a1.ts"))).toEqual({
      hooks: "no private cache folder",
    });
  });

  it("removes compiled files older than 30 days, at most once a day", async () => {
    const { folder, cache } = project({ "a1.ts": migration });
    fs.mkdirSync(cache, { recursive: true, mode: 0o700 });
    const old = path.join(cache, `${"0".repeat(40)}.mjs`);
    fs.writeFileSync(old, "export {};");
    const fortyDaysAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    fs.utimesSync(old, fortyDaysAgo, fortyDaysAgo);
    expect(await new CompiledModuleCache(cache).source(path.join(folder, "a1.ts"))).toHaveProperty("url");
    expect(fs.existsSync(old)).toBe(false);
    expect(cached(cache)).toHaveLength(1);
    // Within the day, nothing is looked at again.
    fs.writeFileSync(old, "export {};");
    fs.utimesSync(old, fortyDaysAgo, fortyDaysAgo);
    pruneOccasionally(cache);
    expect(fs.existsSync(old)).toBe(true);
    pruneOccasionally(cache, Date.now() + 25 * 3600 * 1000);
    expect(fs.existsSync(old)).toBe(false);
  });
});
