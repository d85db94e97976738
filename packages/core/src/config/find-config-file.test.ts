import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findConfigFile } from "./find-config-file.js";

const folders: string[] = [];
function temporaryFolder(): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "retort-find-")));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

describe("findConfigFile", () => {
  it("takes the first of ts, mts, js, mjs, json", () => {
    const folder = temporaryFolder();
    for (const name of ["retort.config.json", "retort.config.mjs", "retort.config.js"]) {
      fs.writeFileSync(path.join(folder, name), "");
    }
    expect(findConfigFile(folder, undefined, {})).toBe(path.join(folder, "retort.config.js"));
    fs.writeFileSync(path.join(folder, "retort.config.ts"), "");
    expect(findConfigFile(folder, undefined, {})).toBe(path.join(folder, "retort.config.ts"));
  });

  it("prefers -c over RETORT_CONFIG over the search", () => {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, "retort.config.ts"), "");
    fs.writeFileSync(path.join(folder, "a.json"), "");
    fs.writeFileSync(path.join(folder, "b.json"), "");
    expect(findConfigFile(folder, "a.json", { RETORT_CONFIG: "b.json" })).toBe(path.join(folder, "a.json"));
    expect(findConfigFile(folder, undefined, { RETORT_CONFIG: "b.json" })).toBe(path.join(folder, "b.json"));
  });

  it("names a missing explicit file and where it came from", () => {
    const folder = temporaryFolder();
    expect(() => findConfigFile(folder, "nope.ts", {})).toThrow(
      `Config file ${path.join(folder, "nope.ts")} (given by -c/--config) does not exist`,
    );
    expect(() => findConfigFile(folder, undefined, { RETORT_CONFIG: "nope.ts" })).toThrow("RETORT_CONFIG");
  });

  it("tells to run retort init when there is no config", () => {
    const folder = temporaryFolder();
    try {
      findConfigFile(folder, undefined, {});
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain(
        `no retort.config.{ts,mts,js,mjs,json} in ${folder}. Run 'retort init'`,
      );
      expect((error as { code?: string }).code).toBe("CONFIG_NOT_FOUND");
    }
  });
});
