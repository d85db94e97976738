import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findRevisionFiles, findRevisionFolders, isMigrationFileName } from "./find-revision-files.js";

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

  it("with requireLocations, names a missing location or one that is a file, listed with or without stats", () => {
    const root = tree(["one/b.ts", "file.ts"]);
    const missing = path.join(root, "mising");
    for (const options of [{}, { withStats: true }, { recursive: true }]) {
      expect(() =>
        findRevisionFolders([path.join(root, "one"), missing], { ...options, requireLocations: true }),
      ).toThrow(
        expect.objectContaining({
          code: "VERSION_LOCATION_NOT_FOUND",
          path: missing,
          index: 1,
          message: expect.stringContaining(`Version location ${missing} does not exist (versionLocations[1]).`),
        }),
      );
    }
    const file = path.join(root, "file.ts");
    expect(() => findRevisionFiles([file], { requireLocations: true })).toThrow(
      `Version location ${file} is not a folder (versionLocations[0]).`,
    );
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

  it("agrees with the rule as regular expressions on every combination of stem and extension", () => {
    const migration = /\.(?:ts|mts|js|mjs)$/;
    const excluded = /\.d\.m?ts$|\.(?:test|spec)\.m?[jt]s$/;
    const rule = (name: string) =>
      migration.test(name) && !excluded.test(name) && !name.startsWith(".") && !name.startsWith("index.");
    const stems = [
      "",
      "a",
      "d",
      ".d",
      "a.d",
      "ad",
      "test",
      ".test",
      "a.test",
      "atest",
      "spec",
      "x.spec",
      "index",
      "indexed",
      ".",
      "a.",
      "t",
      "s",
    ];
    const extensions = [
      "",
      ".ts",
      ".mts",
      ".js",
      ".mjs",
      ".cjs",
      ".tsx",
      ".d.ts",
      ".d.mts",
      ".d.js",
      ".test.js",
      ".spec.mts",
      "ts",
      "s",
      ".",
    ];
    let checked = 0;
    for (const stem of stems) {
      for (const extension of extensions) {
        const name = stem + extension;
        expect(isMigrationFileName(name), name).toBe(rule(name));
        checked++;
      }
    }
    expect(checked).toBe(stems.length * extensions.length);
  });
});

describe("findRevisionFolders with stats", () => {
  it("finds the same files as the entry types do, links and odd entries included, each with its stat's stamp", () => {
    const root = tree(["v/a_first.ts", "v/c.d.ts", "v/.hidden.ts", "v/index.ts", "v/notes.md", "v/sub/d_nested.ts"]);
    const versions = path.join(root, "v");
    fs.mkdirSync(path.join(versions, "folder.ts"));
    fs.symlinkSync(path.join(versions, "a_first.ts"), path.join(versions, "b_link.ts"));
    fs.symlinkSync(path.join(versions, "sub"), path.join(versions, "c_folder_link.ts"));
    fs.symlinkSync(path.join(versions, "missing.ts"), path.join(versions, "d_broken.ts"));
    const plain = findRevisionFolders([versions, path.join(root, "absent")]);
    const withStats = findRevisionFolders([versions, path.join(root, "absent")], { withStats: true });
    expect(plain).toEqual([{ directory: versions, names: ["a_first.ts", "b_link.ts"] }]);
    expect(withStats.map(({ directory, names }) => ({ directory, names }))).toEqual(plain);
    const [folder] = withStats;
    expect([...(folder?.stamps ?? [])]).toEqual(
      ["a_first.ts", "b_link.ts"].flatMap((name) => {
        const stat = fs.statSync(path.join(versions, name));
        return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
      }),
    );
  });

  it("falls back to the entry types when a name cannot be stat-ed (a link to itself)", () => {
    const root = tree(["v/a_first.ts"]);
    const versions = path.join(root, "v");
    fs.symlinkSync(path.join(versions, "b_loop.ts"), path.join(versions, "b_loop.ts"));
    const withStats = findRevisionFolders([versions], { withStats: true });
    expect(withStats).toEqual([{ directory: versions, names: ["a_first.ts"] }]);
  });

  it("keeps the folder's own stamp, taken before its names, only when every candidate name is a file", () => {
    const root = tree(["v/a_first.ts", "v/b_second.ts", "w/a_first.ts"]);
    const versions = path.join(root, "v");
    const before = fs.statSync(versions);
    const [folder] = findRevisionFolders([versions], { withStats: true });
    expect(folder?.stamp).toEqual({ mtimeMs: before.mtimeMs, ctimeMs: before.ctimeMs, ino: before.ino });
    expect(folder?.known).toBeUndefined();
    // A broken link may become a file without the folder changing: no stamp to keep the listing by.
    const other = path.join(root, "w");
    fs.symlinkSync(path.join(other, "missing.ts"), path.join(other, "b_broken.ts"));
    const [withLink] = findRevisionFolders([other], { withStats: true });
    expect(withLink?.names).toEqual(["a_first.ts"]);
    expect(withLink?.stamp).toBeUndefined();
  });

  it("takes the names knownNames gives for the folder's stamp instead of reading them, and stats each", () => {
    const root = tree(["v/a_first.ts", "v/b_second.ts", "v/c_third.ts"]);
    const versions = path.join(root, "v");
    const asked: unknown[] = [];
    const known = findRevisionFolders([versions], {
      withStats: true,
      knownNames: (directory, stamp) => {
        asked.push({ directory, stamp });
        // Not what the folder holds, to show where the names came from; a name gone is not a file.
        return ["a_first.ts", "c_third.ts", "z_gone.ts"];
      },
    });
    const { mtimeMs, ctimeMs, ino } = fs.statSync(versions);
    expect(asked).toEqual([{ directory: versions, stamp: { mtimeMs, ctimeMs, ino } }]);
    expect(known.map(({ names, known }) => ({ names, known }))).toEqual([
      { names: ["a_first.ts", "c_third.ts"], known: true },
    ]);
    expect(known[0]?.stamps).toHaveLength(2 * 4);
    expect(known[0]?.stamp).toBeUndefined();
    const read = findRevisionFolders([versions], { withStats: true, knownNames: () => undefined });
    expect(read.map(({ names, known }) => ({ names, known }))).toEqual([
      { names: ["a_first.ts", "b_second.ts", "c_third.ts"], known: undefined },
    ]);
  });

  it("lists subfolders with entry types, as without stats, when recursive", () => {
    const root = tree(["v/a_first.ts", "v/sub/b_nested.ts"]);
    const versions = path.join(root, "v");
    const withStats = findRevisionFolders([versions], { recursive: true, withStats: true });
    expect(withStats).toEqual(findRevisionFolders([versions], { recursive: true }));
    expect(withStats.map((folder) => folder.names)).toEqual([["a_first.ts"], ["b_nested.ts"]]);
  });
});
