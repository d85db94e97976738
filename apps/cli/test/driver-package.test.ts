import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TestProject } from "../../../tests/integration/support/test-project.js";

describe("a driver package", () => {
  it("shipped as ES modules loads as Retort's own CommonJS drivers do", () => {
    const project = new TestProject({ url: "postgresql://app@127.0.0.1:1/app" });
    // The project's own node_modules, holding only an ES module @retort/postgres.
    fs.rmSync(path.join(project.dir, "node_modules"));
    const folder = path.join(project.dir, "node_modules", "@retort", "postgres");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, "package.json"),
      JSON.stringify({ name: "@retort/postgres", type: "module", exports: { ".": "./index.js" } }),
    );
    fs.writeFileSync(
      path.join(folder, "index.js"),
      `export const driver = { dialect: { name: "postgresql" }, connect() { throw new Error("connect() of the ES module driver, on " + import.meta.url); } };\n`,
    );
    const run = project.run("current");
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain("connect() of the ES module driver, on file://");
  });
});
