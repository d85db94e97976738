import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { versionRows } from "./database.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("the README's quick start", () => {
  it("names the two commands", () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    expect(readme).toContain("./scripts/quickstart.sh");
    expect(readme).toContain("./scripts/test.sh");
  });

  it("migrates the sample project on SQLite and shows history and current", () => {
    const result = spawnSync(process.execPath, ["scripts/demo.mjs"], { cwd: root, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain("Running upgrade  -> 1f0c3b2a9d41, Create users");
    expect(result.stdout).toContain("$ retort history");
    expect(result.stdout).toContain(
      "3c95d7e2f104, 4b18a6f3c2e7 -> 5d2f9e8a7b60 (head) (mergepoint), Merge bio and seed",
    );
    expect(result.stdout).toContain("$ retort current");
    expect(result.stdout).toContain("Rev: 5d2f9e8a7b60 (head) (mergepoint)");
    expect(versionRows(`${root}examples/quickstart/quickstart.db`)).toEqual(["5d2f9e8a7b60"]);
  });
});
