import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TestProject } from "../../../tests/integration/support/test-project.js";

let project: TestProject;
let privateTmp: string | undefined;
afterEach(() => {
  project?.cleanup();
  if (privateTmp !== undefined) rmSync(privateTmp, { recursive: true, force: true });
});

/** Every file under `folder` whose content contains `text`. */
function filesContaining(folder: string, text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (readFileSync(file).includes(text)) found.push(file);
  }
  return found;
}

describe("no password on disk", () => {
  // tsx compiles .ts files of an ESM package in its loader thread, and those of
  // a CommonJS package in the main thread: both must keep nothing on disk.
  it.each(["module", "commonjs"])(
    "compiles a config and migrations of a %s package without leaving their text in the temp folder",
    (type) => {
      const password = "S3cretPassw0rd";
      project = new TestProject();
      project.write("package.json", JSON.stringify({ name: "retort-test-project", type }));
      project.addRevision({ id: "a000", down: null, upgrade: `  const unused = ${JSON.stringify(password)};` });
      project.write(
        "retort.config.ts",
        [
          'import { defineConfig } from "@retort/core";',
          "// A URL with a password, as a real config holds one; the run uses SQLite.",
          `export const productionUrl = "postgresql://u:${password}@db.example.com/app";`,
          "export default defineConfig({",
          '  scriptLocation: "migrations",',
          '  url: productionUrl.startsWith("postgresql:") ? "sqlite:///test.db" : productionUrl,',
          "});",
        ].join("\n"),
      );
      rmSync(path.join(project.dir, "retort.config.json"));
      // A temp folder of this run's own, so that only what this run wrote is searched.
      privateTmp = mkdtempSync(path.join(os.tmpdir(), "retort-private-tmp-"));
      // The compiled-module cache is a private folder of the user's own (0700), not the temp folder.
      const cache = path.join(project.dir, ".cache", "retort");
      const env = { TMPDIR: privateTmp, TSX_DISABLE_CACHE: undefined, RETORT_CACHE_DIR: cache };
      const upgrade = project.runWith({ env }, "upgrade", "head");
      expect(upgrade.stderr).toContain("Running upgrade  -> a000");
      const current = project.runWith({ env }, "current");
      expect(current.stdout.trim()).toBe("a000 (head)");
      expect(filesContaining(privateTmp, password)).toEqual([]);
      // The migration went to that cache; the config, with its literal URL
      // and password, did not.
      expect(readdirSync(cache).length).toBeGreaterThan(0);
      expect(filesContaining(cache, "db.example.com")).toEqual([]);
    },
  );
});
