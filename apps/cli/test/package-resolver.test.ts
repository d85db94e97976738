import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { retortPackageFile } from "../src/package-resolver.js";

/** The hooks as the CLI ships them (`pnpm build`): bin/retort.cjs loads this file. */
const builtHooks = fileURLToPath(new URL("../dist/code-cache.cjs", import.meta.url));
const cliFolder = fileURLToPath(new URL("..", import.meta.url));
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** A project folder whose node_modules holds `@retort/<name>` packages with these package.json contents. */
function project(packages: Record<string, unknown>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "retort-package-resolver-"));
  folders.push(root);
  for (const [name, json] of Object.entries(packages)) {
    const folder = path.join(root, "node_modules", name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "package.json"), JSON.stringify(json));
  }
  return root;
}

const pathsFrom = (root: string) => [path.join(root, "lib", "node_modules"), path.join(root, "node_modules")];

describe("retortPackageFile", () => {
  it("takes the target require would from the exports map", () => {
    const root = project({
      "@retort/core": {
        exports: {
          ".": { types: "./dist/index.d.ts", default: "./dist/bundle/index.cjs" },
          "./errors": { types: "./dist/errors/index.d.ts", default: "./dist/bundle/errors.cjs" },
          "./plain": "./dist/plain.cjs",
          "./dual": { import: "./dist/dual.mjs", require: "./dist/dual.cjs" },
          "./nested": { node: { require: "./dist/nested.cjs" } },
        },
      },
    });
    const core = path.join(root, "node_modules", "@retort", "core");
    const paths = pathsFrom(root);
    expect(retortPackageFile("@retort/core", paths)).toBe(path.join(core, "dist", "bundle", "index.cjs"));
    expect(retortPackageFile("@retort/core/errors", paths)).toBe(path.join(core, "dist", "bundle", "errors.cjs"));
    expect(retortPackageFile("@retort/core/plain", paths)).toBe(path.join(core, "dist", "plain.cjs"));
    expect(retortPackageFile("@retort/core/dual", paths)).toBe(path.join(core, "dist", "dual.cjs"));
    expect(retortPackageFile("@retort/core/nested", paths)).toBe(path.join(core, "dist", "nested.cjs"));
  });

  it("leaves to Node what it does not resolve the way Node would for certain", () => {
    const root = project({
      "@retort/core": {
        exports: {
          ".": { "module-sync": "./a.cjs", default: "./b.cjs" },
          "./*": "./dist/*.cjs",
          "./up": "../outside.cjs",
        },
      },
      "@retort/legacy": { main: "./index.cjs" },
    });
    const paths = pathsFrom(root);
    for (const request of [
      "@retort/core", // a condition it does not know comes first
      "@retort/core/anything", // a pattern
      "@retort/core/up", // a target outside the package
      "@retort/core/missing", // not exported: Node's error
      "@retort/legacy", // no exports map
      "@retort/absent", // no such package: Node's error
      "@retort/core/a/b",
      "pg",
    ]) {
      expect(retortPackageFile(request, paths), request).toBeUndefined();
    }
  });

  it("takes the nearest package of that name, as Node does", () => {
    const root = project({ "@retort/sqlite": { exports: { ".": "./outer.cjs" } } });
    const inner = path.join(root, "lib", "node_modules", "@retort", "sqlite");
    fs.mkdirSync(inner, { recursive: true });
    fs.writeFileSync(path.join(inner, "package.json"), JSON.stringify({ exports: { ".": "./inner.cjs" } }));
    expect(retortPackageFile("@retort/sqlite", pathsFrom(root))).toBe(path.join(inner, "inner.cjs"));
  });
});

describe("installPackageResolver", () => {
  it("resolves Retort's packages to the files Node's own resolution gives, symlinks followed", () => {
    const requests = ["@retort/core", "@retort/core/errors", "@retort/core/commands", "@retort/sqlite"];
    const script = (hooked: boolean) =>
      `${hooked ? `require(${JSON.stringify(builtHooks)}).installPackageResolver();` : ""}` +
      `console.log(JSON.stringify(${JSON.stringify(requests)}.map((request) => require.resolve(request))));`;
    const run = (hooked: boolean) => {
      const result = spawnSync(process.execPath, ["-e", script(hooked)], { cwd: cliFolder, encoding: "utf8" });
      expect(result.stderr).toBe("");
      return JSON.parse(result.stdout) as string[];
    };
    const hooked = run(true);
    expect(hooked).toEqual(run(false));
    for (const file of hooked) expect(fs.realpathSync(file)).toBe(file);
  });

  it("fails with Node's own error for a package that is not installed", () => {
    const code = `require(${JSON.stringify(builtHooks)}).installPackageResolver(); require("@retort/nope");`;
    const result = spawnSync(process.execPath, ["-e", code], { cwd: os.tmpdir(), encoding: "utf8" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("Cannot find module '@retort/nope'");
  });
});
