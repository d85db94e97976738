import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importModule } from "./module-loader.js";
import { temporaryFolders, writeFakeCjsPackage } from "./test-support/module-projects.js";

const builtCore = new URL("../../dist/index.js", import.meta.url).href;

/** What `importModule(file)` of the built package throws in a Node process of its own. */
function importInNode(file: string, env: Record<string, string>): { message: string } {
  const script = `import { importModule } from ${JSON.stringify(builtCore)};
try { await importModule(${JSON.stringify(file)}); } catch (error) {
  process.stdout.write(JSON.stringify({ message: error.message, code: error.code, location: error.location }));
}`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { message: string };
}

const folderWith = temporaryFolders("retort-import-");

describe("importModule", () => {
  it("imports TypeScript that imports TypeScript", async () => {
    const folder = folderWith({
      "a1b2_migration.ts": [
        'import { tableName } from "./helper.js";',
        "export const revision: string = 'a1b2';",
        "export async function upgrade(op: { run(name: string): void }): Promise<void> { op.run(tableName); }",
      ].join("\n"),
      "helper.ts": 'export const tableName: string = "account";',
    });
    const module = await importModule(path.join(folder, "a1b2_migration.ts"));
    const calls: string[] = [];
    await (module.upgrade as (op: { run(name: string): void }) => Promise<void>)({ run: (name) => calls.push(name) });
    expect(module.revision).toBe("a1b2");
    expect(calls).toEqual(["account"]);
  });

  it("imports .mts, .js and .mjs", async () => {
    const folder = folderWith({
      "a.mts": "export const x: number = 1;",
      "b.mjs": "export const x = 2;",
      "c.js": "export const x = 3;",
    });
    expect((await importModule(path.join(folder, "a.mts"))).x).toBe(1);
    expect((await importModule(path.join(folder, "b.mjs"))).x).toBe(2);
    expect((await importModule(path.join(folder, "c.js"))).x).toBe(3);
  });

  it("says how to install a missing @retort package", async () => {
    const folder = folderWith({
      "package.json": '{ "type": "module" }',
      "c.ts": 'import { defineConfig } from "@retort/nothing";\nexport default defineConfig({});',
    });
    await expect(importModule(path.join(folder, "c.ts"))).rejects.toThrow(
      /install it in the project: npm install --save-dev @retort\/nothing/,
    );
  });

  it("names the file and the reason when a module fails to load", async () => {
    const folder = folderWith({ "broken.ts": 'import { nothing } from "./missing.js";\nexport const x = nothing;' });
    const file = path.join(folder, "broken.ts");
    await expect(importModule(file)).rejects.toThrow(`Can't load ${file}:`);
    await expect(importModule(file)).rejects.toMatchObject({ code: "MODULE_LOAD", path: file });
  });

  it("names the line of the .ts source that threw at top level", async () => {
    // The type-only lines vanish from the compiled JavaScript: only a source
    // map brings line 9 back.
    const folder = folderWith({
      "package.json": '{ "type": "module" }',
      "throws.ts": [
        "interface Options {",
        "  readonly a: string;",
        "  readonly b: number;",
        "}",
        "type Alias = Options;",
        "const options: Alias = { a: 'a', b: 1 };",
        "export const a = options.a;",
        "",
        'if (a === "a") throw new Error("no table name configured");',
      ].join("\n"),
    });
    const file = path.join(folder, "throws.ts");
    // Vitest runs dynamic imports through its own module runner and stack
    // rewriting, which hide Node's source maps: the import runs in a plain
    // Node process, through the built package, as the CLI's does.
    const error = importInNode(file, { RETORT_CACHE_DIR: path.join(folder, "cache") });
    expect(error).toMatchObject({ code: "MODULE_LOAD", location: { file, line: 9, column: 22 } });
    // The same line through tsx's hooks (no cache folder).
    expect(importInNode(file, { RETORT_CACHE_DIR: "" })).toMatchObject({ location: { file, line: 9, column: 22 } });
    expect(error.message).toMatch(/no table name configured\n {2}at .*throws\.ts:9:22$/);
  });

  it("loads a named import from a CommonJS package Node cannot analyse, as tsx does, and remembers to", () => {
    const folder = folderWith({
      "package.json": '{ "name": "app" }',
      "m.ts": 'import { merge } from "fakecjs";\nexport const answer: number = merge(40, 2);',
    });
    writeFakeCjsPackage(folder);
    const cache = path.join(folder, "cache");
    const script = `import { importModule } from ${JSON.stringify(builtCore)};
const m = await importModule(${JSON.stringify(path.join(folder, "m.ts"))});
process.stdout.write(String(m.answer));`;
    const run = () =>
      spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        env: { ...process.env, RETORT_CACHE_DIR: cache },
        encoding: "utf8",
      });
    const first = run();
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe("42");
    const modules = fs.readdirSync(path.join(cache, "modules"));
    expect(modules.filter((name) => name.endsWith(".hooks"))).toHaveLength(1);
    expect(modules.filter((name) => name.endsWith(".mjs"))).toEqual([]);
    const second = run();
    expect(second.stderr).toBe("");
    expect(second.stdout).toBe("42");
  });
});
