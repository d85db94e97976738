import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RevisionGraph } from "../graph/revision-graph.js";
import { graphShape } from "../graph/test-support/graph-shape.js";
import { loadScriptGraph } from "./load-script-graph.js";
import { listScriptFiles, loadScriptHeaders, openHeaderCache } from "./load-script-headers.js";
import { versionFolders } from "./test-support/version-folders.js";

afterEach(() => {
  vi.restoreAllMocks();
});

const setUp = versionFolders("retort-stored-graph-");

function write(versions: string, name: string, revision: string, downRevision: string | string[] | null): string {
  const file = path.join(versions, name);
  fs.writeFileSync(
    file,
    `/** ${revision} */\nexport const revision = "${revision}";\nexport const downRevision = ${JSON.stringify(downRevision)};\n`,
  );
  return file;
}

/** A clock a minute ahead: every file counts as settled (older than the racy window). */
const later = () => (BigInt(Date.now()) + 60_000n) * 1_000_000n;
/** The real clock: files just written are within the racy window. */
const realClock = () => BigInt(Date.now()) * 1_000_000n;

/** Loads the graph as a new process would, counting how often it is built (rather than restored). */
function load(versions: string, cache: string, now = later) {
  const build = vi.spyOn(RevisionGraph, "build");
  try {
    const graph = loadScriptGraph({ versionLocations: [versions], cacheDirectory: cache, now });
    return { graph, builds: build.mock.calls.length };
  } finally {
    build.mockRestore();
  }
}

function heads(versions: string, cache: string, now = later) {
  const { graph, builds } = load(versions, cache, now);
  return { heads: graph.heads, builds };
}

/** The graph built from the files without any cache, to compare with. */
function uncached(versions: string) {
  return RevisionGraph.build(loadScriptHeaders({ versionLocations: [versions] }));
}

/** The folder records in the cache files' first lines: [folder, mtimeMs, ctimeMs, inode, first entry, count]. */
function folderRecords(cache: string): unknown[] {
  return fs
    .readdirSync(cache)
    .filter((name) => name.endsWith(".json"))
    .flatMap((name) => {
      const bytes = fs.readFileSync(path.join(cache, name));
      return (JSON.parse(bytes.toString("utf8", 0, bytes.indexOf(10))) as { folders: unknown[] }).folders;
    });
}

/** Whether a listing of `versions` now takes every folder's names from the cache instead of reading the folder. */
function namesFromCache(versions: string, cache: string): boolean {
  const options = { versionLocations: [versions], cacheDirectory: cache, now: later };
  return listScriptFiles(options, openHeaderCache(options)).folders.every((folder) => folder.known === true);
}

/** The cache files' stored graphs: after the first line (the sections' lengths), the graph is the last section. */
function cacheFiles(cache: string): { graph?: unknown }[] {
  return fs
    .readdirSync(cache)
    .filter((name) => name.endsWith(".json"))
    .map((name) => {
      const bytes = fs.readFileSync(path.join(cache, name));
      const meta = JSON.parse(bytes.toString("utf8", 0, bytes.indexOf(10))) as { graph: number };
      return meta.graph > 0 ? { graph: JSON.parse(bytes.toString("utf8", bytes.length - meta.graph)) as unknown } : {};
    });
}

describe("loadScriptGraph with a cache folder", () => {
  it("builds the graph once, then gives the stored one back, of the same shape", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    write(versions, "b_second.ts", "b", "a");
    write(versions, "c_branch.ts", "c", "a");
    write(versions, "d_merge.ts", "d", ["b", "c"]);
    expect(load(versions, cache).builds).toBe(1);
    const second = load(versions, cache);
    expect(second.builds).toBe(0);
    expect(graphShape(second.graph)).toEqual(graphShape(uncached(versions)));
    expect(second.graph.heads).toEqual(["d"]);
  });

  it("tells before it reads headers from the files (no cache, a changed file), and not when the cache vouches", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    const file = write(versions, "b_second.ts", "b", "a");
    const reads = () => {
      let told = 0;
      loadScriptGraph({ versionLocations: [versions], cacheDirectory: cache, now: later, beforeReading: () => told++ });
      return told;
    };
    expect(reads()).toBe(1);
    expect(reads()).toBe(0);
    fs.appendFileSync(file, "\n");
    expect(reads()).toBe(1);
    expect(reads()).toBe(0);
  });

  it("sees an edit that keeps the size and the modification time", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    const file = write(versions, "b_second.ts", "b", "a");
    write(versions, "c_third.ts", "c", "b");
    const { mtime } = fs.statSync(file);
    expect(heads(versions, cache)).toEqual({ heads: ["c"], builds: 1 });
    expect(heads(versions, cache).builds).toBe(0);
    // Same length, same mtime: b now branches from a, beside c's parent.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"b"', '"x"'));
    fs.utimesSync(file, mtime, mtime);
    expect(() => load(versions, cache)).toThrow(/c.*'b'|'b'.*c/);
    write(versions, "c_third.ts", "c", "x");
    expect(heads(versions, cache)).toEqual({ heads: ["c"], builds: 1 });
    expect(graphShape(load(versions, cache).graph)).toEqual(graphShape(uncached(versions)));
  });

  it("sees a file added, removed or renamed", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    write(versions, "b_second.ts", "b", "a");
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 0 });

    const added = write(versions, "c_third.ts", "c", "a");
    expect(heads(versions, cache)).toEqual({ heads: ["b", "c"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["b", "c"], builds: 0 });

    fs.rmSync(added);
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 1 });

    // A rename changes the file order, which breaks ties between heads.
    write(versions, "c_third.ts", "c", "a");
    expect(heads(versions, cache).heads).toEqual(["b", "c"]);
    fs.renameSync(path.join(versions, "c_third.ts"), path.join(versions, "0_third.ts"));
    expect(heads(versions, cache)).toEqual({ heads: ["c", "b"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["c", "b"], builds: 0 });
    // Renamed to a name that is not a migration: the file is gone from the graph.
    fs.renameSync(path.join(versions, "0_third.ts"), path.join(versions, "0_third.ts.bak"));
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 1 });
  });

  it("lists a folder's names from the cache while the folder keeps its stamp, and reads them again once an entry comes or goes", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    write(versions, "b_second.ts", "b", "a");
    // Just written: the folder may change again within its timestamp, so no record is kept.
    expect(heads(versions, cache, realClock)).toEqual({ heads: ["b"], builds: 1 });
    expect(folderRecords(cache)).toEqual([]);
    expect(namesFromCache(versions, cache)).toBe(false);
    // Settled: the first run that finds the files unchanged keeps the record, and writes nothing more.
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 0 });
    const { mtimeMs, ctimeMs, ino } = fs.statSync(versions);
    expect(folderRecords(cache)).toEqual([[versions, mtimeMs, ctimeMs, ino, 0, 2]]);
    expect(namesFromCache(versions, cache)).toBe(true);
    const [name] = fs.readdirSync(cache).filter((file) => file.endsWith(".json"));
    const written = fs.statSync(path.join(cache, name as string)).mtimeMs;
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 0 });
    expect(fs.statSync(path.join(cache, name as string)).mtimeMs).toBe(written);

    // Added right after the record was kept: the folder's times moved, so its names are read again.
    write(versions, "c_third.ts", "c", "b");
    expect(namesFromCache(versions, cache)).toBe(false);
    expect(heads(versions, cache)).toEqual({ heads: ["c"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["c"], builds: 0 });
    expect(namesFromCache(versions, cache)).toBe(true);

    // An editor's swap file that came and went: same files, same graph, a new record.
    fs.writeFileSync(path.join(versions, ".c_third.ts.swp"), "");
    fs.rmSync(path.join(versions, ".c_third.ts.swp"));
    expect(namesFromCache(versions, cache)).toBe(false);
    expect(heads(versions, cache)).toEqual({ heads: ["c"], builds: 0 });
    expect(namesFromCache(versions, cache)).toBe(true);
    expect(graphShape(load(versions, cache).graph)).toEqual(graphShape(uncached(versions)));
  });

  it("keeps no record of a folder holding a name that is not a file, which may become one without the folder changing", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    const target = path.join(path.dirname(versions), "b_target.ts");
    fs.symlinkSync(target, path.join(versions, "b_second.ts"));
    expect(heads(versions, cache)).toEqual({ heads: ["a"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["a"], builds: 0 });
    expect(folderRecords(cache)).toEqual([]);
    // The link's target appears: the folder itself did not change.
    write(path.dirname(versions), "b_target.ts", "b", "a");
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 1 });
  });

  it("gives the stored graph of several version locations, and sees a file moved between them or edited in place", () => {
    const { versions, cache } = setUp();
    const other = path.join(path.dirname(versions), "other");
    fs.mkdirSync(other);
    const twoLocations = () => {
      const build = vi.spyOn(RevisionGraph, "build");
      try {
        const graph = loadScriptGraph({ versionLocations: [versions, other], cacheDirectory: cache, now: later });
        return { graph, builds: build.mock.calls.length };
      } finally {
        build.mockRestore();
      }
    };
    const uncachedTwo = () =>
      RevisionGraph.build(loadScriptHeaders({ versionLocations: [versions, other] })) as RevisionGraph;
    write(versions, "a_first.ts", "a", null);
    write(versions, "b_second.ts", "b", "a");
    const moved = write(other, "c_third.ts", "c", "b");
    const edited = write(other, "d_fourth.ts", "d", "c");
    expect(twoLocations().builds).toBe(1);
    const restored = twoLocations();
    expect(restored.builds).toBe(0);
    // Each header (its path included) as read from the files.
    expect(graphShape(restored.graph)).toEqual(graphShape(uncachedTwo()));
    expect(restored.graph.get("d")?.source.path).toBe(edited);

    fs.renameSync(moved, path.join(versions, "c_third.ts"));
    const afterMove = twoLocations();
    expect(afterMove.builds).toBe(1);
    expect(graphShape(afterMove.graph)).toEqual(graphShape(uncachedTwo()));
    expect(twoLocations().builds).toBe(0);

    // Same size, same mtime, in the second location: d now comes from b.
    const { mtime } = fs.statSync(edited);
    fs.writeFileSync(edited, fs.readFileSync(edited, "utf8").replace('downRevision = "c"', 'downRevision = "b"'));
    fs.utimesSync(edited, mtime, mtime);
    const afterEdit = twoLocations();
    expect(afterEdit.builds).toBe(1);
    expect(afterEdit.graph.heads).toEqual(["c", "d"]);
    expect(graphShape(afterEdit.graph)).toEqual(graphShape(uncachedTwo()));
  });

  it("warns of a file reached twice on every run, stored graph or not", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    write(versions, "b_second.ts", "b", "a");
    const warnings: string[] = [];
    const twice = () =>
      loadScriptGraph({
        versionLocations: [versions, path.join(versions, ".")],
        cacheDirectory: cache,
        now: later,
        onWarning: (message) => warnings.push(message),
      });
    for (let run = 0; run < 3; run++) expect(twice().heads).toEqual(["b"]);
    expect(warnings.filter((warning) => warning.includes("loaded twice"))).toHaveLength(6);
  });

  it("uses nothing of a damaged cache file, and writes a good one again", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    write(versions, "b_second.ts", "b", "a");
    write(versions, "c_third.ts", "c", "b");
    expect(heads(versions, cache).builds).toBe(1);
    const [name] = fs.readdirSync(cache).filter((file) => file.endsWith(".json"));
    const file = path.join(cache, name as string);
    const good = fs.readFileSync(file);
    /** `good` with its first line changed by `change`, padded to the same length. */
    const withMeta = (change: (meta: Record<string, unknown>) => void): Buffer => {
      const end = good.indexOf(10);
      const meta = JSON.parse(good.toString("utf8", 0, end)) as Record<string, unknown>;
      change(meta);
      const line = JSON.stringify(meta);
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(end);
      return Buffer.concat([Buffer.from(line.padEnd(end)), good.subarray(end)]);
    };
    const record = [versions, 1, 2, 3, 0, 3];
    const damaged = [
      good.subarray(0, good.length - 1),
      Buffer.concat([good, Buffer.from(" ")]),
      Buffer.from(good.toString("latin1").replace('"count":3', '"count":2'), "latin1"),
      Buffer.from(
        good.toString("latin1").replace('"format":"retort-headers-4"', '"format":"retort-headers-3"'),
        "latin1",
      ),
      Buffer.from("{}\n"),
      withMeta((meta) => {
        meta.folders = [record.slice(0, 5)];
      }),
      withMeta((meta) => {
        meta.folders = [[...record.slice(0, 4), -1, 3]];
      }),
      withMeta((meta) => {
        meta.folders = [[...record.slice(0, 4), 1, 3]];
      }),
      withMeta((meta) => {
        meta.folders = {};
      }),
    ];
    for (const bytes of damaged) {
      fs.writeFileSync(file, bytes);
      const loaded = load(versions, cache);
      expect(loaded.builds).toBe(1);
      expect(graphShape(loaded.graph)).toEqual(graphShape(uncached(versions)));
      expect(heads(versions, cache)).toEqual({ heads: ["c"], builds: 0 });
    }
  });

  it("does not store the graph while a file is within the racy window, so edits in the same second are seen", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    const file = write(versions, "b_second.ts", "b", "a");
    expect(heads(versions, cache, realClock)).toEqual({ heads: ["b"], builds: 1 });
    expect(cacheFiles(cache).every((content) => content.graph === undefined)).toBe(true);
    // Rewritten within the same second (same size), twice.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replaceAll('"b"', '"c"'));
    expect(heads(versions, cache, realClock)).toEqual({ heads: ["c"], builds: 1 });
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replaceAll('"c"', '"d"'));
    expect(heads(versions, cache, realClock)).toEqual({ heads: ["d"], builds: 1 });
    // Once settled, the graph is stored and used.
    expect(heads(versions, cache)).toEqual({ heads: ["d"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["d"], builds: 0 });
  });

  it("never stores a graph that failed to build: the error comes back on every run", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", "b");
    write(versions, "b_second.ts", "b", "a");
    for (let run = 0; run < 2; run++) {
      expect(() => load(versions, cache)).toThrow(/[Cc]ycle/);
      expect(cacheFiles(cache).every((content) => content.graph === undefined)).toBe(true);
    }
    write(versions, "a_first.ts", "a", "missing");
    expect(() => load(versions, cache)).toThrow(/missing/);
    expect(() => load(versions, cache)).toThrow(/missing/);
    write(versions, "a_first.ts", "a", null);
    expect(heads(versions, cache)).toEqual({ heads: ["b"], builds: 1 });
    expect(cacheFiles(cache).some((content) => content.graph !== undefined)).toBe(true);
  });

  it("keeps the stored graph in a 0600 file of a 0700 folder, closing a folder others can read", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    fs.mkdirSync(cache, { mode: 0o755 });
    fs.chmodSync(cache, 0o755);
    expect(heads(versions, cache).builds).toBe(1);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    for (const name of fs.readdirSync(cache)) {
      expect(fs.statSync(path.join(cache, name)).mode & 0o777).toBe(0o600);
    }
    expect(heads(versions, cache).builds).toBe(0);
  });

  it("uses no cache folder that is not a folder of its own (a symbolic link to one)", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    const elsewhere = `${cache}-target`;
    fs.mkdirSync(elsewhere, { mode: 0o700 });
    fs.symlinkSync(elsewhere, cache);
    expect(heads(versions, cache)).toEqual({ heads: ["a"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["a"], builds: 1 });
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)("uses no cache folder that belongs to another user", () => {
    const { versions, cache } = setUp();
    write(versions, "a_first.ts", "a", null);
    fs.mkdirSync(cache, { mode: 0o700 });
    fs.chownSync(cache, 65534, 65534);
    expect(heads(versions, cache)).toEqual({ heads: ["a"], builds: 1 });
    expect(heads(versions, cache)).toEqual({ heads: ["a"], builds: 1 });
    expect(fs.readdirSync(cache)).toEqual([]);
  });
});

describe("a missing version location", () => {
  it("fails from the listing, with the header cache as without it, even once the graph is stored", () => {
    const { versions, cache } = setUp();
    const other = path.join(path.dirname(versions), "other");
    fs.mkdirSync(other);
    write(versions, "a_first.ts", "a", null);
    write(other, "b_second.ts", "b", "a");
    const options = { versionLocations: [versions, other], cacheDirectory: cache, now: later };
    expect(loadScriptGraph(options).heads).toEqual(["b"]);
    fs.rmSync(other, { recursive: true });
    for (const cacheDirectory of [cache, null]) {
      expect(() => loadScriptGraph({ ...options, cacheDirectory })).toThrow(
        `Version location ${other} does not exist (versionLocations[1]).`,
      );
    }
  });
});
