import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { retortBin, TestProject } from "../../../tests/integration/support/test-project.js";

/**
 * The modules a run of `retort ARGS` loads, as Node's own ESM debug log
 * (`NODE_DEBUG=esm`) names them.
 */
function loadedModules(...args: string[]): { status: number | null; stdout: string; modules: string[] } {
  const result = spawnSync(process.execPath, [retortBin, ...args], {
    cwd: tmpdir(),
    env: { ...process.env, NODE_DEBUG: "esm" },
    encoding: "utf8",
  });
  const modules = [...result.stderr.matchAll(/Storing (file:\S+)/g)].map((match) => match[1] as string);
  return { status: result.status, stdout: result.stdout, modules };
}

describe("start-up", () => {
  it("--version loads neither the commands nor the full @retort/core", () => {
    const run = loadedModules("--version");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^retort \d+\.\d+\.\d+/);
    // The debug log must name the modules at all, or the check below proves nothing.
    expect(run.modules.some((url) => url.endsWith("/dist/retort.js"))).toBe(true);
    expect(
      run.modules.filter(
        (url) => /\/(?:retort-)?commands[-/.]/.test(url) || /core\/dist\/(?:bundle\/)?index\.js$/.test(url),
      ),
    ).toEqual([]);
    // The CLI is one bundled module (dist/retort.js) and core's errors entry with its chunks.
    expect(run.modules.length).toBeLessThan(8);
  });

  it("a command loads its modules when it is named, from core's commands entry, not the full package", () => {
    const run = loadedModules("list-templates");
    expect(run.status).toBe(0);
    expect(run.modules.some((url) => /\/dist\/retort-commands\.js$/.test(url))).toBe(true);
    expect(run.modules.some((url) => /core\/dist\/bundle\/commands\.js$/.test(url))).toBe(true);
    // Autogenerate, the migration runner and the operations stay unloaded until a command needs them.
    expect(run.modules.filter((url) => /core\/dist\/(?:bundle\/)?index\.js$/.test(url))).toEqual([]);
  });

  it("heads, history and current load neither the full @retort/core nor migrations' machinery", () => {
    const project = new TestProject();
    project.addRevision({ id: "a1", down: null });
    project.addRevision({ id: "b2", down: "a1" });
    project.ok("stamp", "head");
    for (const command of ["heads", "history", "current"]) {
      const run = project.runWith({ env: { NODE_DEBUG: "esm" } }, command);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("b2");
      const modules = [...run.stderr.matchAll(/Storing (file:\S+)/g)].map((match) => match[1] as string);
      expect(modules.some((url) => /core\/dist\/bundle\/commands\.js$/.test(url))).toBe(true);
      expect(modules.filter((url) => /core\/dist\/(?:bundle\/)?index\.js$/.test(url))).toEqual([]);
      // `current` connects: the driver loads, on core's dialect and errors entries.
      expect(modules.some((url) => /sqlite\/dist\/bundle\/index\.js$/.test(url))).toBe(command === "current");
    }
  });
});
