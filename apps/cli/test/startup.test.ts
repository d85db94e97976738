import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { retortBin } from "../../../tests/integration/support/test-project.js";

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
      run.modules.filter((url) => /\/commands[-/]/.test(url) || /core\/dist\/(?:bundle\/)?index\.js$/.test(url)),
    ).toEqual([]);
    // The CLI is one bundled module (dist/retort.js) and core's errors entry with its chunks.
    expect(run.modules.length).toBeLessThan(8);
  });

  it("a command loads its modules when it is named", () => {
    const run = loadedModules("list-templates");
    expect(run.status).toBe(0);
    expect(run.modules.some((url) => /\/chunks\/commands-\w+\.js$/.test(url))).toBe(true);
    expect(run.modules.some((url) => /core\/dist\/(?:bundle\/)?index\.js$/.test(url))).toBe(true);
  });
});
