import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load-config.js";
import { formatInitStep, initDoneMessage, initProject } from "./init-project.js";
import { listTemplates } from "./list-templates.js";
import { readRevisionHeader } from "./read-revision-header.js";
import { renderRevisionFile } from "./render-revision.js";

const folders: string[] = [];
function temporaryFolder(): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "retort-init-")));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

describe("listTemplates", () => {
  it("lists generic and multidb with the first line of their README", () => {
    expect(listTemplates().map(({ name, description }) => ({ name, description }))).toEqual([
      { name: "generic", description: "Generic single-database configuration." },
      { name: "multidb", description: "Multiple databases sharing one migration history, chosen with RETORT_DB." },
    ]);
  });
});

describe("initProject", () => {
  it("creates the script folder, versions/, the script template and the config", () => {
    const cwd = temporaryFolder();
    const result = initProject({ cwd });
    const scriptLocation = path.join(cwd, "migrations");
    expect(result.steps.map(formatInitStep)).toEqual([
      `Creating directory ${scriptLocation} ...  done`,
      `Creating directory ${path.join(scriptLocation, "versions")} ...  done`,
      `Generating ${path.join(scriptLocation, "script.ts.template")} ...  done`,
      `Generating ${path.join(scriptLocation, "tsconfig.json")} ...  done`,
      `Generating ${path.join(cwd, "retort.config.ts")} ...  done`,
    ]);
    expect(result.lines).toEqual([
      ...result.steps.map(formatInitStep),
      `Please edit configuration/connection/logging settings in ${path.join(cwd, "retort.config.ts")} before proceeding.`,
    ]);
    expect(initDoneMessage("/x/retort.config.ts")).toBe(
      "Please edit configuration/connection/logging settings in /x/retort.config.ts before proceeding.",
    );
    expect(fs.readdirSync(path.join(scriptLocation, "versions"))).toEqual([]);
    expect(fs.readdirSync(scriptLocation).sort()).toEqual(["script.ts.template", "tsconfig.json", "versions"]);
    // The shipped preset, over the migrations and the config (retort check-types, editors).
    expect(JSON.parse(fs.readFileSync(path.join(scriptLocation, "tsconfig.json"), "utf8"))).toEqual({
      extends: "@retort/core/tsconfig",
      include: ["**/*.ts", "../retort.config.ts"],
    });
    const config = fs.readFileSync(path.join(cwd, "retort.config.ts"), "utf8");
    expect(config).toContain('import { defineConfig } from "@retort/core";');
    expect(config).toContain('  scriptLocation: "migrations",\n');
    expect(config).toContain('  url: "sqlite:///app.db",\n');
    expect(config).toContain("DATABASE_URL");
    expect(config).toContain('// versionLocations: ["migrations/versions"],');
  });

  it("writes a config that comments every option", () => {
    const cwd = temporaryFolder();
    initProject({ cwd, template: "generic" });
    const config = fs.readFileSync(path.join(cwd, "retort.config.ts"), "utf8");
    for (const option of [
      "scriptLocation",
      "url",
      "versionLocations",
      "recursiveVersionLocations",
      "fileTemplate",
      "truncateSlugLength",
      "timezone",
      "versionTable",
      "versionTableSchema",
      "versionTablePk",
      "transactionPerMigration",
      "schema",
      "compareType",
      "compareServerDefault",
      "includeObject",
      "includeName",
      "postWriteHooks",
      "lock",
    ]) {
      expect(config).toMatch(new RegExp(`//[^\\n]*\\n\\s*(// )?${option}:`));
    }
  });

  it.each(["generic", "multidb"])("writes a %s config that loads, and a template that renders", async (template) => {
    const cwd = temporaryFolder();
    const core = path.join(cwd, "node_modules", "@retort", "core");
    fs.mkdirSync(core, { recursive: true });
    fs.writeFileSync(
      path.join(core, "package.json"),
      '{ "name": "@retort/core", "type": "module", "exports": "./index.js" }',
    );
    fs.writeFileSync(path.join(core, "index.js"), "export const defineConfig = (config) => config;\n");
    initProject({ cwd, template, directory: "db/migrations" });
    const config = await loadConfig({ cwd, env: {} });
    expect(config.scriptLocation).toBe(path.join(cwd, "db", "migrations"));
    expect(config.url).toBe(template === "generic" ? "sqlite:///app.db" : "sqlite:///main.db");
    const scriptTemplate = fs.readFileSync(path.join(cwd, "db", "migrations", "script.ts.template"), "utf8");
    const text = renderRevisionFile(scriptTemplate, { revision: "r1", downRevision: null, message: "first" });
    expect(readRevisionHeader("/x.ts", text)).toMatchObject({ revision: "r1", message: "first", doc: "first" });
  });

  it("writes scriptLocation relative to the config file", () => {
    const cwd = temporaryFolder();
    initProject({ cwd, directory: "migrations", configFile: "config/retort.config.ts" });
    expect(fs.readFileSync(path.join(cwd, "config", "retort.config.ts"), "utf8")).toContain(
      'scriptLocation: "../migrations",',
    );
  });

  it("keeps an existing config", () => {
    const cwd = temporaryFolder();
    fs.writeFileSync(path.join(cwd, "retort.config.json"), "{}");
    const result = initProject({ cwd, directory: "migrations" });
    expect(result.steps.map(formatInitStep).at(-1)).toBe(
      `File ${path.join(cwd, "retort.config.json")} already exists, skipping`,
    );
    expect(result.configFile).toBe(path.join(cwd, "retort.config.json"));
    expect(fs.readFileSync(path.join(cwd, "retort.config.json"), "utf8")).toBe("{}");
    // A JSON config has no types to check.
    expect(JSON.parse(fs.readFileSync(path.join(cwd, "migrations", "tsconfig.json"), "utf8")).include).toEqual([
      "**/*.ts",
    ]);
  });

  it("accepts an empty existing folder", () => {
    const cwd = temporaryFolder();
    fs.mkdirSync(path.join(cwd, "migrations"));
    const result = initProject({ cwd });
    expect(result.steps[0]).toEqual({ action: "create-directory", path: path.join(cwd, "migrations", "versions") });
  });

  it("refuses a folder that exists and is not empty", () => {
    const cwd = temporaryFolder();
    fs.mkdirSync(path.join(cwd, "migrations"));
    fs.writeFileSync(path.join(cwd, "migrations", "x"), "");
    expect(() => initProject({ cwd, directory: "migrations" })).toThrow(
      "Directory migrations already exists and is not empty",
    );
    expect(fs.existsSync(path.join(cwd, "retort.config.ts"))).toBe(false);
  });

  it("refuses an unknown template, listing the available ones", () => {
    const cwd = temporaryFolder();
    expect(() => initProject({ cwd, template: "async" })).toThrow(
      "No such template async; available templates: generic, multidb",
    );
    expect(() => initProject({ cwd, template: "../templates/generic" })).toThrow(/No such template/);
    expect(fs.existsSync(path.join(cwd, "migrations"))).toBe(false);
  });
});
