import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { retortBin, TestProject } from "../../../tests/integration/support/test-project.js";

/** The files a run loads, as Node's own module debug log (`NODE_DEBUG=module,esm`) names them. */
function loadedFiles(stderr: string): string[] {
  const common = [...stderr.matchAll(/load "([^"]+)" for module/g)].map((match) => match[1] as string);
  const esm = [...stderr.matchAll(/Storing file:\/\/(\S+)/g)].map((match) => match[1] as string);
  return [...common, ...esm];
}

function loadedModules(...args: string[]): { status: number | null; stdout: string; files: string[] } {
  const result = spawnSync(process.execPath, [retortBin, ...args], {
    cwd: tmpdir(),
    env: { ...process.env, NODE_DEBUG: "module,esm" },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, files: loadedFiles(result.stderr) };
}

/** Core's entry files: `index.cjs` runs the whole package's module code (autogenerate, the runner, operations). */
const fullCore = /core\/dist\/bundle\/index\.cjs$/;

describe("start-up", () => {
  it("--version runs neither the commands nor the full @retort/core, and loads no tool or driver", () => {
    const run = loadedModules("--version");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^retort \d+\.\d+\.\d+/);
    // The debug log must name the files at all, or the checks below prove nothing.
    expect(run.files.some((file) => file.endsWith("/dist/retort.cjs"))).toBe(true);
    expect(run.files.filter((file) => /core\/dist\/bundle\/(?:commands|index)\.cjs$/.test(file))).toEqual([]);
    expect(run.files.filter((file) => /esbuild|tsx|sqlite|postgres|mysql/.test(file))).toEqual([]);
    // The hook, the CLI's bundle, core's errors entry and core's bundle.
    expect(run.files.length).toBeLessThan(7);
  });

  it("the drivers' bundles take core's dialect and errors entries, never the full @retort/core", () => {
    // A value imported from "@retort/core" itself (a type is erased) would run all of core at every connect.
    for (const driver of ["sqlite", "postgres", "mysql"]) {
      const bundle = readFileSync(
        new URL(`../../../packages/${driver}/dist/bundle/index.cjs`, import.meta.url),
        "utf8",
      );
      const required = [...bundle.matchAll(/require\("(@retort\/core[^"]*)"\)/g)].map((match) => match[1]);
      expect(required.length, driver).toBeGreaterThan(0);
      expect(
        required.filter((name) => name !== "@retort/core/dialect" && name !== "@retort/core/errors"),
        driver,
      ).toEqual([]);
    }
  });

  it("bin/retort.js, the executable's old path, still runs the CLI", () => {
    const result = spawnSync(process.execPath, [retortBin.replace(/\.cjs$/, ".js"), "--version"], {
      cwd: tmpdir(),
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^retort \d+\.\d+\.\d+/);
  });

  it("a command runs core's commands entry, not the full package", () => {
    const run = loadedModules("list-templates");
    expect(run.status).toBe(0);
    expect(run.files.some((file) => /core\/dist\/bundle\/commands\.cjs$/.test(file))).toBe(true);
    // Autogenerate, the migration runner and the operations stay unrun until a command needs them.
    expect(run.files.filter((file) => fullCore.test(file))).toEqual([]);
  });

  it("heads, history and current run neither the full @retort/core nor migrations' machinery", () => {
    const project = new TestProject();
    project.addRevision({ id: "a1", down: null });
    project.addRevision({ id: "b2", down: "a1" });
    project.ok("stamp", "head");
    for (const command of ["heads", "history", "current"]) {
      const run = project.runWith({ env: { NODE_DEBUG: "module,esm" } }, command);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("b2");
      const files = loadedFiles(run.stderr);
      expect(files.some((file) => /core\/dist\/bundle\/commands\.cjs$/.test(file))).toBe(true);
      expect(files.filter((file) => fullCore.test(file) || /esbuild|tsx/.test(file))).toEqual([]);
      // `current` connects: the driver loads, on core's dialect and errors entries.
      expect(files.some((file) => /sqlite\/dist\/bundle\/index\.cjs$/.test(file))).toBe(command === "current");
    }
  });

  it("graph commands and a no-op upgrade load neither node:child_process nor node:crypto (3-4 ms each)", () => {
    // Node's debug log leaves built-in modules out: a preload records what is required.
    const folder = mkdtempSync(path.join(tmpdir(), "retort-builtins-"));
    const preload = path.join(folder, "record.cjs");
    writeFileSync(
      preload,
      [
        'const Module = require("node:module");',
        "const load = Module._load;",
        "const seen = new Set();",
        "Module._load = function (request, ...rest) { seen.add(request.replace(/^node:/, '')); return load.call(this, request, ...rest); };",
        "process.on('exit', () => process.stderr.write('BUILTINS ' + [...seen].join(',') + '\\n'));",
      ].join("\n"),
    );
    const project = new TestProject();
    project.addRevision({ id: "a1", down: null });
    project.ok("upgrade", "head");
    for (const args of [["heads"], ["history"], ["current"], ["upgrade", "head"]]) {
      const run = project.runWith({ env: { NODE_OPTIONS: `--require ${preload}` } }, ...args);
      expect(run.status, run.stderr).toBe(0);
      const builtins = /BUILTINS (.*)/.exec(run.stderr)?.[1]?.split(",") ?? [];
      // The record must hold what the command loaded, or the check below proves nothing.
      expect(builtins, args.join(" ")).toContain("fs");
      expect(
        builtins.filter((name) => name === "child_process" || name === "crypto"),
        args.join(" "),
      ).toEqual([]);
    }
  });
});
