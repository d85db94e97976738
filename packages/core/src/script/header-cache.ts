import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDirectory, pruneOccasionally, temporaryName } from "../config/cache-directory.js";
import { contentKey } from "../config/content-key.js";
import type { RevisionHeader } from "./revision-header.js";

/** Changes whenever `RevisionHeader`, the entry layout or the way a header is read does. */
const FORMAT = "retort-headers-2";

/**
 * A file changed less than this long before the cache was written may
 * change again within the same timestamp tick (coarse file system clocks,
 * 1-2 s on some network file systems): its entry is not kept, and it is
 * read again until it is older.
 */
const RACY_MS = 3_000;

/**
 * One entry is this many consecutive values of the flat `entries` array:
 * path, size, mtime and ctime (milliseconds, with their fraction), inode,
 * then the header's fields. A flat array of strings and numbers is the
 * cheapest JSON to parse: no object per entry until a header is asked for.
 */
const WIDTH = 13;
/** Offsets of the values within an entry. */
const PATH = 0;
const SIZE = 1;
const MTIME = 2;
const CTIME = 3;
const INODE = 4;
const REVISION = 5;
const DOWN_REVISION = 6;
const BRANCH_LABELS = 7;
const DEPENDS_ON = 8;
const MESSAGE = 9;
const CREATE_DATE = 10;
const DOC = 11;
const LONG_DOC = 12;

interface CacheFile {
  readonly format: string;
  readonly entries: unknown[];
  /**
   * The revision graph of exactly these entries, in this order, once it was
   * built and validated (see `storedGraph`); absent while an entry is missing.
   */
  readonly graph?: unknown;
}

/**
 * The headers of migration files read before, in one JSON file per set of
 * version locations, so that a graph command on 10,000 files is a stat per
 * file and one parse. An entry is used only while the file's size, mtime,
 * ctime and inode are the ones it was read with. Entries are kept only for
 * files whose mtime and ctime were more than `RACY_MS` old when read, and
 * ctime changes on every write and cannot be set back, so any later edit
 * (even one keeping the size and restoring the mtime) moves ctime at least
 * that far from the stored one: millisecond timestamps (with the fraction a
 * double keeps, below a microsecond) are exact enough, and cheaper than
 * BigInt nanoseconds.
 */
export class HeaderCache {
  readonly #file: string;
  readonly #old: unknown[];
  readonly #nowMs: () => number;
  /** Offset in `#old` of each path, built only when files come in another order than stored. */
  #index: Map<string, number> | undefined;
  /** Where the next file is expected in `#old` (files usually come in the stored order). */
  #cursor = 0;
  /** The entries to write: an offset into `#old` (kept) or a new entry's values. */
  readonly #entries: (number | unknown[])[] = [];
  #changed = false;
  /** Every file asked for so far has an entry to write (none was too recent, none failed to stat). */
  #complete = true;
  /** Every file asked for so far was the next stored entry. */
  #inOrder = true;
  readonly #graph: unknown;

  private constructor(file: string, old: unknown[], graph: unknown, now: () => bigint) {
    this.#file = file;
    this.#old = old;
    this.#graph = graph;
    this.#nowMs = () => Number(now() / 1_000n) / 1_000;
  }

  /**
   * The cache of `locations` in `directory` (created 0700); `undefined` when
   * there is no usable folder. `now` is the clock in nanoseconds since the epoch.
   */
  static open(
    directory: string | null,
    locations: readonly string[],
    now: () => bigint = () => BigInt(Date.now()) * 1_000_000n,
  ): HeaderCache | undefined {
    if (directory === null || !ensurePrivateDirectory(directory)) return undefined;
    const key = contentKey(locations.map((location) => path.resolve(location)));
    const file = path.join(directory, `${key}.json`);
    let old: unknown[] = [];
    let graph: unknown;
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
      if (parsed.format === FORMAT && Array.isArray(parsed.entries) && parsed.entries.length % WIDTH === 0) {
        old = parsed.entries;
        graph = parsed.graph;
      }
    } catch {
      // No cache yet, or an unreadable one: every header is read.
    }
    return new HeaderCache(file, old, graph, now);
  }

  /**
   * The header of `file`, from the cache when the file is unchanged, else
   * from `read`. When the caller has just stat-ed the file, `stamps` holds
   * its size, mtimeMs, ctimeMs and inode from offset `at` on (see
   * `RevisionFolder.stamps`); otherwise the file is stat-ed here.
   */
  header(file: string, read: (file: string) => RevisionHeader, stamps?: Float64Array, at = 0): RevisionHeader {
    const stat = stamps === undefined ? statOf(file) : stampAt(stamps, at);
    if (stat === undefined) {
      this.#complete = false;
      return read(file);
    }
    const old = this.#old;
    const found = this.#find(file);
    if (
      found >= 0 &&
      old[found + SIZE] === stat.size &&
      old[found + MTIME] === stat.mtimeMs &&
      old[found + CTIME] === stat.ctimeMs &&
      old[found + INODE] === stat.ino
    ) {
      if (found !== this.#entries.length * WIDTH) this.#inOrder = false;
      this.#entries.push(found);
      return {
        revision: old[found + REVISION] as string,
        downRevision: old[found + DOWN_REVISION] as RevisionHeader["downRevision"],
        branchLabels: old[found + BRANCH_LABELS] as string[] | null,
        dependsOn: old[found + DEPENDS_ON] as string[] | null,
        message: old[found + MESSAGE] as string | null,
        createDate: old[found + CREATE_DATE] as string | null,
        doc: old[found + DOC] as string,
        longDoc: old[found + LONG_DOC] as string,
        path: file,
      };
    }
    const header = read(file);
    this.#changed = true;
    // ctime is never older than mtime unless the clock was set back; either counts.
    const now = this.#nowMs();
    if (now - stat.mtimeMs > RACY_MS && now - stat.ctimeMs > RACY_MS) {
      this.#entries.push([
        file,
        stat.size,
        stat.mtimeMs,
        stat.ctimeMs,
        stat.ino,
        header.revision,
        header.downRevision,
        header.branchLabels,
        header.dependsOn,
        header.message,
        header.createDate,
        header.doc,
        header.longDoc,
      ]);
    } else {
      this.#complete = false;
    }
    return header;
  }

  /**
   * The graph stored with the entries, when every file asked for was
   * unchanged: the same files, in the stored order, with the same size,
   * times and inode, and no stored file missing. Those files give the very
   * headers the graph was built from, so it is still the graph they make;
   * any edit, addition, removal or rename gives `undefined`. Entries are
   * kept only for files older than `RACY_MS`, so the graph follows the same
   * rule: a file changed within the same second is read again, and the
   * graph built again, until it has settled.
   */
  storedGraph(): unknown {
    if (this.#changed || !this.#inOrder || this.#entries.length * WIDTH !== this.#old.length) return undefined;
    return this.#graph;
  }

  /** The offset of `file`'s entry in `#old`, or -1. */
  #find(file: string): number {
    const old = this.#old;
    const cursor = this.#cursor;
    if (cursor < old.length && old[cursor + PATH] === file) {
      this.#cursor = cursor + WIDTH;
      return cursor;
    }
    if (this.#index === undefined) {
      this.#index = new Map();
      for (let at = 0; at < old.length; at += WIDTH) this.#index.set(old[at + PATH] as string, at);
    }
    const at = this.#index.get(file);
    if (at === undefined) return -1;
    this.#cursor = at + WIDTH;
    return at;
  }

  /**
   * Writes the cache when an entry was added or dropped, or when `graph`
   * is given (through a temporary file and a rename: a concurrent reader
   * sees the old or the new file, never half of one). A failure to write
   * only costs speed. `graph` gives the graph the headers made, once it was
   * built and validated (never a graph that failed); it is stored only
   * when every file has an entry, so that `storedGraph` can vouch for it.
   */
  save(graph?: () => unknown): void {
    const storesGraph = graph !== undefined && this.#complete;
    if (!storesGraph && !this.#changed && this.#entries.length * WIDTH === this.#old.length) return;
    const entries: unknown[] = [];
    for (const entry of this.#entries) {
      if (typeof entry === "number") {
        for (let i = 0; i < WIDTH; i++) entries.push(this.#old[entry + i]);
      } else {
        entries.push(...entry);
      }
    }
    const temporary = temporaryName(this.#file);
    try {
      const content: CacheFile = storesGraph
        ? { format: FORMAT, entries, graph: graph() }
        : { format: FORMAT, entries };
      fs.writeFileSync(temporary, JSON.stringify(content), { mode: 0o600, flag: "wx" });
      fs.renameSync(temporary, this.#file);
    } catch {
      fs.rmSync(temporary, { force: true });
    }
    // The caches of projects gone (or moved) are removed after 30 days unwritten.
    pruneOccasionally(path.dirname(this.#file), Date.now(), [".json", ".tmp"]);
  }
}

/** What the cache compares of a file's `stat`. */
interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

function statOf(file: string): FileStamp | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function stampAt(stamps: Float64Array, at: number): FileStamp {
  return {
    size: stamps[at] ?? 0,
    mtimeMs: stamps[at + 1] ?? 0,
    ctimeMs: stamps[at + 2] ?? 0,
    ino: stamps[at + 3] ?? 0,
  };
}
