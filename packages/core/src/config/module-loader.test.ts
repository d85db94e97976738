import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { importModule } from "./module-loader.js";

const folders: string[] = [];
function folderWith(files: Record<string, string>): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "retort-import-")));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

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
    // Vitest installs its own Error.prepareStackTrace, which hides Node's
    // source maps; the CLI's process has none.
    const vitestPrepare = Error.prepareStackTrace;
    Error.prepareStackTrace = undefined;
    const error = await importModule(file)
      .catch((thrown: unknown) => thrown)
      .finally(() => {
        Error.prepareStackTrace = vitestPrepare;
      });
    expect(error).toMatchObject({ code: "MODULE_LOAD", location: { file, line: 9, column: 22 } });
    expect((error as Error).message).toMatch(/no table name configured\n {2}at .*throws\.ts:9:22$/);
  });
});
