import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryFolders } from "./test-support/module-projects.js";
import { loadConfig } from "./load-config.js";

const folderWith = temporaryFolders("retort-config-");
/** A project folder with `files` and an empty `migrations` folder. */
function project(files: Record<string, string>): string {
  const folder = folderWith(files);
  fs.mkdirSync(path.join(folder, "migrations"), { recursive: true });
  return folder;
}

describe("loadConfig", () => {
  it("imports a TypeScript config without a build step", async () => {
    const folder = project({
      "retort.config.ts": [
        'import type { RetortConfig } from "./types.js";',
        'const timezone: string = "UTC";',
        "const config: RetortConfig = { url: 'sqlite:///app.db', timezone, truncateSlugLength: 20 };",
        "export default config;",
      ].join("\n"),
      "types.ts": "export interface RetortConfig { url?: string; timezone?: string; truncateSlugLength?: number }\n",
    });
    const config = await loadConfig({ cwd: folder, env: {} });
    expect(config.configFile).toBe(path.join(folder, "retort.config.ts"));
    expect(config.url).toBe("sqlite:///app.db");
    expect(config.timezone).toBe("UTC");
    expect(config.truncateSlugLength).toBe(20);
    expect(config.scriptLocation).toBe(path.join(folder, "migrations"));
  });

  it.each([
    ["retort.config.mts", 'export default { url: "sqlite:///m.db" } as const;'],
    ["retort.config.mjs", 'export default { url: "sqlite:///m.db" };'],
    ["retort.config.js", 'export default { url: "sqlite:///m.db" };'],
    ["retort.config.json", '{ "url": "sqlite:///m.db" }'],
  ])("reads %s", async (name, text) => {
    const folder = project({ [name]: text });
    expect((await loadConfig({ cwd: folder, env: {} })).url).toBe("sqlite:///m.db");
  });

  it("reads a CommonJS-typed package's TypeScript config", async () => {
    const folder = project({
      "package.json": '{ "type": "commonjs" }',
      "retort.config.ts": 'export default { url: "sqlite:///cjs.db" };',
    });
    expect((await loadConfig({ cwd: folder, env: {} })).url).toBe("sqlite:///cjs.db");
  });

  it("takes the config file itself as a string", async () => {
    const folder = project({ "custom.json": '{ "url": "sqlite:///custom.db" }' });
    const config = await loadConfig(path.join(folder, "custom.json"));
    expect(config.url).toBe("sqlite:///custom.db");
    expect(config.scriptLocation).toBe(path.join(folder, "migrations"));
  });

  it("uses the named exports when there is no default export", async () => {
    const folder = project({
      "retort.config.ts": 'export const url = "sqlite:///named.db";\nexport const versionTable = "v";',
    });
    const config = await loadConfig({ cwd: folder, env: {} });
    expect(config.url).toBe("sqlite:///named.db");
    expect(config.versionTable).toBe("v");
  });

  it("resolves paths from the config file's folder, not the current one", async () => {
    const folder = project({ "config/retort.config.json": '{ "scriptLocation": "../migrations" }' });
    const config = await loadConfig({
      cwd: os.tmpdir(),
      configFile: path.join(folder, "config/retort.config.json"),
      env: {},
    });
    expect(config.scriptLocation).toBe(path.join(folder, "migrations"));
    expect(config.versionLocations).toEqual([path.join(folder, "migrations", "versions")]);
  });

  it("names the file and the key of an unknown option", async () => {
    const folder = project({ "retort.config.ts": 'export default { scriptLocation: "migrations", urll: "x" };' });
    await expect(loadConfig({ cwd: folder, env: {} })).rejects.toThrow(
      `Unknown option 'urll' in ${path.join(folder, "retort.config.ts")}; did you mean 'url'?`,
    );
  });

  it("names the file of invalid JSON", async () => {
    const folder = project({ "retort.config.json": "{ url: " });
    await expect(loadConfig({ cwd: folder, env: {} })).rejects.toThrow(
      `Invalid JSON in config file ${path.join(folder, "retort.config.json")}`,
    );
  });

  it("places a JSON mistake at its line and column, with the way out", async () => {
    const text = '{\n  "scriptLocation": "migrations",\n  // the database\n  "url": "sqlite:///app.db"\n}\n';
    const folder = project({ "retort.config.json": text });
    await expect(loadConfig({ cwd: folder, env: {} })).rejects.toThrow(
      `Invalid JSON in config file ${path.join(folder, "retort.config.json")} at line 3, column 3: Expected double-quoted property name. JSON allows no comments and no comma after the last item; or write the config as retort.config.ts`,
    );
    const trailing = project({ "retort.config.json": '{ "url": "sqlite:///app.db", }' });
    await expect(loadConfig({ cwd: trailing, env: {} })).rejects.toThrow(/ at line 1, column 30: /);
    const cut = project({ "retort.config.json": '{ "url": "sqlite:///app.db"' });
    await expect(loadConfig({ cwd: cut, env: {} })).rejects.toThrow(/ at line 1, column 28: /);
  });

  it("never quotes the config's text around a mistake (it may hold a password)", async () => {
    for (const text of [
      '{ "url": "postgresql://app":hunter2secret@db/app" }',
      '{ "url": postgresql://app:hunter2secret@db/app }',
      '{ "url": "postgresql://app:hunter2secret@db/app", "x": hunter2secret }',
    ]) {
      const folder = project({ "retort.config.json": text });
      const error = await loadConfig({ cwd: folder, env: {} }).then(
        () => undefined,
        (thrown: unknown) => thrown as Error,
      );
      expect(error?.message).toMatch(/^Invalid JSON in config file .* at line 1, column \d+: /);
      expect(error?.message).not.toContain("hunter2");
      expect(String(error?.cause ?? "")).not.toContain("hunter2");
    }
  });

  it("reads a JSON config that starts with a byte-order mark", async () => {
    const folder = project({ "retort.config.json": '\ufeff{ "url": "sqlite:///m.db" }' });
    expect((await loadConfig({ cwd: folder, env: {} })).url).toBe("sqlite:///m.db");
  });

  it("names the file of a config that fails to load", async () => {
    const folder = project({ "retort.config.ts": 'throw new Error("boom");\nexport default {};' });
    await expect(loadConfig({ cwd: folder, env: {} })).rejects.toThrow(
      `Can't load config file ${path.join(folder, "retort.config.ts")}: boom`,
    );
  });

  it("fails with Alembic's text when the script folder is missing", async () => {
    const folder = project({ "retort.config.json": '{ "scriptLocation": "nowhere" }' });
    await expect(loadConfig({ cwd: folder, env: {} })).rejects.toThrow(
      `Path doesn't exist: ${path.join(folder, "nowhere")}.  Please use the 'init' command to create a new scripts folder. It is scriptLocation in ${path.join(folder, "retort.config.json")} (relative to that file's folder): fix it if it is mistyped.`,
    );
    expect((await loadConfig({ cwd: folder, env: {}, requireScriptLocation: false })).scriptLocation).toBe(
      path.join(folder, "nowhere"),
    );
  });

  it("says the default folder was used when the config sets no scriptLocation", async () => {
    const folder = project({ "retort.config.json": '{ "url": "sqlite:///m.db" }' });
    fs.rmSync(path.join(folder, "migrations"), { recursive: true });
    await expect(loadConfig({ cwd: folder, env: {} })).rejects.toThrow(
      `Path doesn't exist: ${path.join(folder, "migrations")}.  Please use the 'init' command to create a new scripts folder. ${path.join(folder, "retort.config.json")} sets no scriptLocation, so the default "migrations" (next to that file) is used: create it with 'retort init migrations', or set scriptLocation to the folder of your migrations.`,
    );
  });
});
