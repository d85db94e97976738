import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bugNote, stackReport, wantsStacks } from "../src/error-report.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function errorAt(file: string, message = "boom"): Error {
  const error = new TypeError(message);
  error.stack = [`TypeError: ${message}`, "    at JSON.parse (<anonymous>)", `    at load (${file}:3:9)`].join("\n");
  return error;
}

describe("wantsStacks", () => {
  it.each([
    [["-v", "upgrade", "head"], {}, true],
    [["upgrade", "head", "--verbose"], {}, true],
    [["upgrade", "head"], { RETORT_DEBUG: "1" }, true],
    [["upgrade", "head"], { RETORT_DEBUG: "0" }, false],
    [["upgrade", "head"], {}, false],
    [["revision", "-m", "x", "--", "-v"], {}, false],
  ])("%j with %j: %s", (args, env, expected) => {
    expect(wantsStacks(args, env)).toBe(expected);
  });
});

describe("stackReport", () => {
  it("prints the first error's frames, then each cause with its message", () => {
    const cause = errorAt("/app/lib/a.js", "inner");
    const error = new Error("outer", { cause });
    error.stack = "Error: outer\n  with a second line\n    at run (/app/lib/b.js:1:1)";
    expect(stackReport(error)).toBe(
      [
        "    at run (/app/lib/b.js:1:1)",
        "Caused by: TypeError: inner",
        "    at JSON.parse (<anonymous>)",
        "    at load (/app/lib/a.js:3:9)",
        "",
      ].join("\n"),
    );
  });

  it("leaves a Retort message's own lines (its migration's `at`, the state) to the FAILED: line", () => {
    const error = new Error("failed: no rows");
    error.stack = [
      "RetortError: Upgrade of revision b000 failed: no rows",
      "  at migrations/versions/b000_copy.ts:16:32",
      "  The whole run was rolled back: schema and version table are as they were before this command.",
      "    at #stepFailure (/app/node_modules/@retort/core/dist/bundle/core.cjs:10:5)",
    ].join("\n");
    expect(stackReport(error)).toBe("    at #stepFailure (/app/node_modules/@retort/core/dist/bundle/core.cjs:10:5)\n");
  });
});

describe("bugNote", () => {
  it("asks for a report when the top frame is in a Retort package", () => {
    // This file lies in apps/cli, the `retort` package.
    expect(bugNote(new Error("boom"))).toContain("This is a bug in Retort; please report it");
    const core = path.resolve(import.meta.dirname, "../../../packages/core/dist/runtime/migration-runner.js");
    expect(bugNote(errorAt(core))).toContain("This is a bug in Retort");
  });

  it("says nothing for an error from another package or from a project's own code", () => {
    const folder = realpathSync(mkdtempSync(path.join(os.tmpdir(), "retort-bug-note-")));
    folders.push(folder);
    writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: "my-app" }));
    expect(bugNote(errorAt(path.join(folder, "src", "seed.ts")))).toBe("");
    expect(bugNote(errorAt("/nowhere/at/all.js"))).toBe("");
    expect(bugNote("not an error")).toBe("");
  });
});
