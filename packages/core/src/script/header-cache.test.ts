import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findRevisionFolders, type RevisionFolder, STAMP_WIDTH } from "./find-revision-files.js";
import { HeaderCache } from "./header-cache.js";
import { loadScriptHeaders } from "./load-script-headers.js";
import { readRevisionHeader } from "./read-revision-header.js";
import type { RevisionHeader } from "./revision-header.js";
import { versionFolders } from "./test-support/version-folders.js";

const setUp = versionFolders("retort-header-cache-");

function migration(revision: string, downRevision: string | null): string {
  return `/** m ${revision} */\nexport const revision = "${revision}";\nexport const downRevision = ${JSON.stringify(downRevision)};\n`;
}

/** A clock a minute ahead: every file counts as settled. */
const later = () => (BigInt(Date.now()) + 60_000n) * 1_000_000n;

/** Loads `file`'s header through a fresh cache (a new process), counting the reads. */
function load(cache: string, versions: string, file: string, now = later): { header: RevisionHeader; reads: number } {
  const headers = HeaderCache.open(cache, [versions], now);
  if (headers === undefined) throw new Error("no cache folder");
  let reads = 0;
  const header = headers.header(file, () => {
    reads++;
    return readRevisionHeader(file, fs.readFileSync(file, "utf8"));
  });
  headers.save();
  return { header, reads };
}

describe("HeaderCache", () => {
  it("gives an unchanged file's header without reading it, from a 0600 file in a 0700 folder", () => {
    const { versions, cache } = setUp();
    const file = path.join(versions, "a_first.ts");
    fs.writeFileSync(file, migration("a", null));
    const first = load(cache, versions, file);
    expect(first.reads).toBe(1);
    const second = load(cache, versions, file);
    expect(second).toEqual({ header: first.header, reads: 0 });
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    const [json] = fs.readdirSync(cache);
    expect(fs.statSync(path.join(cache, json as string)).mode & 0o777).toBe(0o600);
  });

  it("sees an edit that keeps the size and the modification time", () => {
    const { versions, cache } = setUp();
    const file = path.join(versions, "a_first.ts");
    fs.writeFileSync(file, migration("a", null));
    const { mtime } = fs.statSync(file);
    fs.utimesSync(file, mtime, mtime);
    expect(load(cache, versions, file).header.revision).toBe("a");
    fs.writeFileSync(file, migration("b", null));
    fs.utimesSync(file, mtime, mtime);
    expect(load(cache, versions, file)).toMatchObject({ header: { revision: "b" }, reads: 1 });
  });

  it("does not keep a file changed in the last seconds, which may change again within its timestamp", () => {
    const { versions, cache } = setUp();
    const file = path.join(versions, "a_first.ts");
    fs.writeFileSync(file, migration("a", null));
    const now = () => BigInt(Date.now()) * 1_000_000n;
    expect(load(cache, versions, file, now).reads).toBe(1);
    expect(load(cache, versions, file, now).reads).toBe(1);
    // Once it has settled, it is kept.
    expect(load(cache, versions, file).reads).toBe(1);
    expect(load(cache, versions, file).reads).toBe(0);
  });

  it("finds the entries of files asked for in another order than stored, and drops the entries of files gone", () => {
    const { versions, cache } = setUp();
    const files = ["a", "b", "c"].map((revision) => {
      const file = path.join(versions, `${revision}_m.ts`);
      fs.writeFileSync(file, migration(revision, null));
      return file;
    });
    const pass = (order: readonly string[]) => {
      const headers = HeaderCache.open(cache, [versions], later);
      if (headers === undefined) throw new Error("no cache folder");
      const read: string[] = [];
      const revisions = order.map(
        (file) =>
          headers.header(file, () => {
            read.push(path.basename(file));
            return readRevisionHeader(file, fs.readFileSync(file, "utf8"));
          }).revision,
      );
      headers.save();
      return { revisions, read };
    };
    expect(pass(files)).toEqual({ revisions: ["a", "b", "c"], read: ["a_m.ts", "b_m.ts", "c_m.ts"] });
    expect(pass([...files].reverse())).toEqual({ revisions: ["c", "b", "a"], read: [] });
    fs.rmSync(files[1] as string);
    expect(pass([files[2] as string, files[0] as string])).toEqual({ revisions: ["c", "a"], read: [] });
    // The file written without b's entry still serves the others, and b is read again once back.
    fs.writeFileSync(files[1] as string, migration("b", null));
    expect(pass(files)).toEqual({ revisions: ["a", "b", "c"], read: ["b_m.ts"] });
  });

  it("keeps the header's path and fields exactly as read, lists and nulls included", () => {
    const { versions, cache } = setUp();
    const file = path.join(versions, "m_merge.ts");
    fs.writeFileSync(
      file,
      `/**\n * Merge.\n *\n * Longer text.\n */\nexport const revision = "m";\nexport const downRevision = ["a", "b"];\nexport const branchLabels = ["x"];\nexport const dependsOn = ["c"];\nexport const message = "merge";\nexport const createDate = "2026-01-01 00:00:00";\n`,
    );
    const first = load(cache, versions, file);
    const second = load(cache, versions, file);
    expect(second.reads).toBe(0);
    expect(second.header).toStrictEqual(first.header);
    expect(first.header).toMatchObject({ downRevision: ["a", "b"], branchLabels: ["x"], dependsOn: ["c"], path: file });
  });

  it("vouches for unchanged files only with the graph stored, and reads a stored header only when asked", () => {
    const { versions, cache } = setUp();
    for (const revision of ["a", "b", "c"])
      fs.writeFileSync(path.join(versions, `${revision}_m.ts`), migration(revision, null));
    const listing = () => findRevisionFolders([versions], { withStats: true });
    const fill = (graph?: () => unknown) => {
      const headers = HeaderCache.open(cache, [versions], later) as HeaderCache;
      const [folder] = listing();
      const { directory, names, stamps } = folder as RevisionFolder;
      for (const [index, name] of names.entries()) {
        headers.header(
          path.join(directory, name),
          (file) => readRevisionHeader(file, fs.readFileSync(file, "utf8")),
          stamps,
          index * STAMP_WIDTH,
        );
      }
      headers.save(graph);
    };
    fill();
    expect(HeaderCache.open(cache, [versions], later)?.unchanged(listing())).toBe(false);
    fill(() => ({ stored: true }));
    const opened = HeaderCache.open(cache, [versions], later) as HeaderCache;
    expect(() => opened.storedHeader(0)).toThrow(/unchanged/);
    expect(opened.unchanged(listing())).toBe(true);
    expect(opened.storedGraph()).toEqual({ stored: true });
    const file = path.join(versions, "b_m.ts");
    expect(opened.storedHeader(1)).toStrictEqual(readRevisionHeader(file, fs.readFileSync(file, "utf8")));
    expect(opened.storedHeaders()).toStrictEqual(loadScriptHeaders({ versionLocations: [versions] }));

    // Damage a header's start (the stamps and paths still match): reading that header says so.
    const [name] = fs.readdirSync(cache).filter((entry) => entry.endsWith(".json"));
    const bytes = fs.readFileSync(path.join(cache, name as string));
    const startsAt = bytes.indexOf(10) + 1 + 3 * STAMP_WIDTH * 8;
    bytes.writeDoubleLE(1e9, startsAt + 8);
    fs.writeFileSync(path.join(cache, name as string), bytes);
    const damaged = HeaderCache.open(cache, [versions], later) as HeaderCache;
    expect(damaged.unchanged(listing())).toBe(true);
    expect(damaged.storedHeader(2).revision).toBe("c");
    expect(() => damaged.storedHeader(1)).toThrow(/damaged/);
  });

  it("loadScriptHeaders gives the same headers with and without the cache", () => {
    const { versions, cache } = setUp();
    fs.writeFileSync(path.join(versions, "a_first.ts"), migration("a", null));
    fs.writeFileSync(path.join(versions, "b_second.ts"), migration("b", "a"));
    const plain = loadScriptHeaders({ versionLocations: [versions] });
    const cached = loadScriptHeaders({ versionLocations: [versions], cacheDirectory: cache });
    const again = loadScriptHeaders({ versionLocations: [versions], cacheDirectory: cache });
    expect(cached).toEqual(plain);
    expect(again).toEqual(plain);
  });
});
