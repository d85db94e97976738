import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findRevisionFiles, isMigrationFileName } from "./find-revision-files.js";

const folders: string[] = [];
function tree(files: string[]): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "retort-files-")));
  folders.push(root);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), "");
  }
  return root;
}
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

describe("findRevisionFiles", () => {
  it("sorts names in code-unit order and keeps only migration files", () => {
    const root = tree([
      "v/b_second.ts",
      "v/a_first.mts",
      "v/B_upper.js",
      "v/_under.mjs",
      "v/c.d.ts",
      "v/c.test.ts",
      "v/c.spec.ts",
      "v/.#a_first.ts",
      "v/.hidden.ts",
      "v/index.ts",
      "v/notes.md",
      "v/script.ts.template",
      "v/sub/d_nested.ts",
    ]);
    const relative = findRevisionFiles([path.join(root, "v")]).map((file) => path.relative(root, file));
    expect(relative).toEqual(
      ["v/B_upper.js", "v/_under.mjs", "v/a_first.mts", "v/b_second.ts"].map((p) => p.split("/").join(path.sep)),
    );
  });

  it("walks subfolders after the files, top-down in sorted order, when recursive", () => {
    const root = tree([
      "v/z.ts",
      "v/b/2.ts",
      "v/b/1.ts",
      "v/b/a/0.ts",
      "v/a/9.ts",
      "v/.git/x.ts",
      "v/node_modules/x.ts",
    ]);
    const relative = findRevisionFiles([path.join(root, "v")], { recursive: true }).map((file) =>
      path.relative(root, file).split(path.sep).join("/"),
    );
    expect(relative).toEqual(["v/z.ts", "v/a/9.ts", "v/b/1.ts", "v/b/2.ts", "v/b/a/0.ts"]);
  });

  it("takes locations in config order and skips missing ones", () => {
    const root = tree(["one/b.ts", "two/a.ts"]);
    const files = findRevisionFiles([path.join(root, "two"), path.join(root, "missing"), path.join(root, "one")]);
    expect(files).toEqual([path.join(root, "two", "a.ts"), path.join(root, "one", "b.ts")]);
  });

  it("follows links to files but not to folders", () => {
    const root = tree(["v/a.ts", "elsewhere/linked.ts", "elsewhere/folder/x.ts"]);
    fs.symlinkSync(path.join(root, "elsewhere", "linked.ts"), path.join(root, "v", "b.ts"));
    fs.symlinkSync(path.join(root, "elsewhere", "folder"), path.join(root, "v", "folder"));
    fs.symlinkSync(path.join(root, "nowhere.ts"), path.join(root, "v", "c.ts"));
    expect(findRevisionFiles([path.join(root, "v")], { recursive: true })).toEqual([
      path.join(root, "v", "a.ts"),
      path.join(root, "v", "b.ts"),
    ]);
  });
});

describe("isMigrationFileName", () => {
  it.each([
    ["ae10_add.ts", true],
    ["ae10_add.mts", true],
    ["ae10_add.js", true],
    ["ae10_add.mjs", true],
    ["ae10_add.cjs", false],
    ["ae10_add.tsx", false],
    ["ae10_add.d.ts", false],
    ["ae10_add.d.mts", false],
    ["ae10_add.test.ts", false],
    [".#ae10_add.ts", false],
    ["index.ts", false],
    ["index.mjs", false],
    ["indexed_table.ts", true],
  ])("%s → %s", (name, expected) => {
    expect(isMigrationFileName(name)).toBe(expected);
  });
});
