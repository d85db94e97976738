import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDriver } from "./driver-loader.js";

const projects: string[] = [];

afterAll(() => {
  for (const project of projects) fs.rmSync(project, { recursive: true, force: true });
});

/** A project folder with one installed driver package, whose `exports` is `entry` holding `text`. */
function projectWith(packageName: string, type: "module" | "commonjs", entry: string, text: string): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "retort-driver-loader-"));
  projects.push(project);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", private: true }));
  const folder = path.join(project, "node_modules", ...packageName.split("/"));
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, "package.json"),
    JSON.stringify({ name: packageName, type, exports: { ".": { default: `./${entry}` } } }),
  );
  fs.writeFileSync(path.join(folder, entry), text);
  return project;
}

describe("loadDriver", () => {
  it("imports a driver shipped as ES modules, from the project's node_modules", async () => {
    const project = projectWith(
      "@retort/postgres",
      "module",
      "index.js",
      `export const driver = { name: "esm-driver", connect() {} };\n`,
    );
    const driver = (await loadDriver("postgresql", project)) as unknown as { name: string };
    expect(driver.name).toBe("esm-driver");
  });

  it("loads a driver shipped as a CommonJS bundle (.cjs), as Retort's own are", async () => {
    // Required, outside vitest (whose import() would flatten a CommonJS module's
    // exports as require does): tests/integration runs the CLI on all three drivers.
    const project = projectWith(
      "@retort/mysql",
      "module",
      "index.cjs",
      `module.exports = (() => ({ driver: { name: "cjs-driver", connect() {} } }))();\n`,
    );
    const driver = (await loadDriver("mysql", project)) as unknown as { name: string };
    expect(driver.name).toBe("cjs-driver");
  });

  it("says a package that exports no driver is not a Retort driver", async () => {
    const project = projectWith("@retort/sqlite", "commonjs", "index.cjs", `exports.somethingElse = 1;\n`);
    await expect(loadDriver("sqlite", project)).rejects.toThrow(
      "Package @retort/sqlite does not export a Retort driver (export const driver)",
    );
  });
});
