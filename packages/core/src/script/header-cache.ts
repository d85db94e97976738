import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDirectory, pruneOccasionally, temporaryName } from "../config/cache-directory.js";
import { contentKey } from "../config/content-key.js";
import { type RevisionFolder, STAMP_WIDTH } from "./find-revision-files.js";
import type { RevisionHeader } from "./revision-header.js";

/** Changes whenever `RevisionHeader`, the file's layout or the way a header is read does. */
const FORMAT = "retort-headers-3";

/**
 * A file changed less than this long before the cache was written may
 * change again within the same timestamp tick (coarse file system clocks,
 * 1-2 s on some network file systems): its entry is not kept, and it is
 * read again until it is older.
 */
const RACY_MS = 3_000;

/**
 * Values per entry in the stamps section: size, mtime and ctime
 * (milliseconds, with their fraction), inode, then where the entry's header
 * starts in the headers section.
 */
const STAMPS = 5;
const SIZE = 0;
const MTIME = 1;
const CTIME = 2;
const INODE = 3;
const HEADER_AT = 4;

/**
 * The first line of the file: what follows it, as the lengths (in
 * characters) of its sections, back to back:
 * - `paths`: the files' paths, joined by NUL (no path holds one);
 * - `stamps`: a JSON array of `STAMPS` numbers per entry (all numbers, so
 *   it parses into one array of doubles and no object per value);
 * - `headers`: a JSON array with one array per entry, the header's fields
 *   (see `headerValues`), parsed one entry at a time or all at once;
 * - `graph`: the stored revision graph of exactly these entries in this
 *   order, once it was built and validated (see `storedGraph`), as JSON;
 *   empty while an entry is missing.
 * A command that finds every file unchanged parses the stamps and the
 * graph, and the headers only of the revisions it reaches.
 */
interface Meta {
  readonly format: string;
  readonly count: number;
  readonly paths: number;
  readonly stamps: number;
  readonly headers: number;
  readonly graph: number;
}

/** A header's fields as stored: `RevisionHeader` without its path. */
type HeaderValues = [
  revision: string,
  downRevision: RevisionHeader["downRevision"],
  branchLabels: string[] | null,
  dependsOn: string[] | null,
  message: string | null,
  createDate: string | null,
  doc: string,
  longDoc: string,
];

/** A file read in this run: what its entry will hold. */
interface NewEntry {
  readonly path: string;
  readonly stamp: FileStamp;
  readonly header: RevisionHeader;
}

/**
 * The headers of migration files read before, in one file per set of
 * version locations, so that a graph command on 10,000 files is a stat per
 * file and one read. An entry is used only while the file's size, mtime,
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
  readonly #nowMs: () => number;
  /** How many entries the file holds. */
  readonly #count: number;
  readonly #paths: string;
  readonly #stamps: readonly number[];
  readonly #headers: string;
  readonly #graph: string;
  /** The stored paths as a list, made only when a file is looked up by path (`header`). */
  #pathList: string[] | undefined;
  /** Where each stored path starts in `#paths`, set by `unchanged`. */
  #pathStarts: Int32Array | undefined;
  /** Every stored header's fields, parsed only when `header` needs them. */
  #headerValues: HeaderValues[] | undefined;
  /** Entry of each path, built only when files come in another order than stored. */
  #index: Map<string, number> | undefined;
  /** The entry expected next (files usually come in the stored order). */
  #cursor = 0;
  /** The entries to write: a stored entry (its number) or a new one. */
  readonly #entries: (number | NewEntry)[] = [];
  #changed = false;
  /** Every file asked for so far has an entry to write (none was too recent, none failed to stat). */
  #complete = true;
  /** Every file asked for so far was the next stored entry. */
  #inOrder = true;

  private constructor(file: string, sections: Sections | undefined, now: () => bigint) {
    this.#file = file;
    this.#nowMs = () => Number(now() / 1_000n) / 1_000;
    this.#count = sections?.count ?? 0;
    this.#paths = sections?.paths ?? "";
    this.#stamps = sections?.stamps ?? [];
    this.#headers = sections?.headers ?? "";
    this.#graph = sections?.graph ?? "";
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
    let sections: Sections | undefined;
    try {
      sections = parseSections(fs.readFileSync(file, "utf8"));
    } catch {
      // No cache yet, or an unreadable one: every header is read.
    }
    return new HeaderCache(file, sections, now);
  }

  /**
   * Whether the files of `folders` (listed with their stamps) are exactly
   * the stored ones, in the stored order, each with the stored size, times
   * and inode, and a graph was stored with them: then `storedHeader` and
   * `storedGraph` give what reading and building would, without a header
   * object for any file not asked for. Compares without making a string.
   */
  unchanged(folders: readonly RevisionFolder[]): boolean {
    if (this.#graph === "" || this.#entries.length > 0) return false;
    const paths = this.#paths;
    const stored = this.#stamps;
    const count = this.#count;
    const starts = new Int32Array(count + 1);
    let entry = 0;
    let at = 0;
    for (const { directory, names, stamps } of folders) {
      if (stamps === undefined) return false;
      const separator = directory.endsWith(path.sep) ? "" : path.sep;
      for (let index = 0; index < names.length; index++) {
        const name = names[index] as string;
        const end = at + directory.length + separator.length + name.length;
        const stamp = index * STAMP_WIDTH;
        const values = entry * STAMPS;
        if (
          entry >= count ||
          !paths.startsWith(directory, at) ||
          !paths.startsWith(separator, at + directory.length) ||
          !paths.startsWith(name, end - name.length) ||
          (end !== paths.length && paths.charCodeAt(end) !== 0) ||
          stored[values + SIZE] !== stamps[stamp] ||
          stored[values + MTIME] !== stamps[stamp + 1] ||
          stored[values + CTIME] !== stamps[stamp + 2] ||
          stored[values + INODE] !== stamps[stamp + 3]
        ) {
          return false;
        }
        starts[entry] = at;
        at = end + 1;
        entry++;
      }
    }
    if (entry !== count) return false;
    starts[count] = at;
    this.#pathStarts = starts;
    return true;
  }

  /** The number of stored entries (the revisions of `storedGraph`). */
  get size(): number {
    return this.#count;
  }

  /** The header of stored entry `entry`, once `unchanged` has vouched for the files. */
  storedHeader(entry: number): RevisionHeader {
    const starts = this.#pathStarts;
    if (starts === undefined) throw new Error("HeaderCache.storedHeader before unchanged()");
    const from = this.#stamps[entry * STAMPS + HEADER_AT] as number;
    const to = entry + 1 < this.#count ? (this.#stamps[(entry + 1) * STAMPS + HEADER_AT] as number) - 1 : -1;
    const values = JSON.parse(this.#headers.slice(from, to)) as HeaderValues;
    return headerOf(values, this.#paths.slice(starts[entry], (starts[entry + 1] as number) - 1));
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
    const found = this.#find(file);
    const values = found * STAMPS;
    const stored = this.#stamps;
    if (
      found >= 0 &&
      stored[values + SIZE] === stat.size &&
      stored[values + MTIME] === stat.mtimeMs &&
      stored[values + CTIME] === stat.ctimeMs &&
      stored[values + INODE] === stat.ino
    ) {
      const header = this.#allHeaderValues()[found];
      if (header !== undefined) {
        if (found !== this.#entries.length) this.#inOrder = false;
        this.#entries.push(found);
        return headerOf(header, file);
      }
    }
    const header = read(file);
    this.#changed = true;
    // ctime is never older than mtime unless the clock was set back; either counts.
    const now = this.#nowMs();
    if (now - stat.mtimeMs > RACY_MS && now - stat.ctimeMs > RACY_MS) {
      this.#entries.push({ path: file, stamp: stat, header });
    } else {
      this.#complete = false;
    }
    return header;
  }

  /**
   * The graph stored with the entries, when every file is unchanged: the
   * same files, in the stored order, with the same size, times and inode,
   * and no stored file missing (as `unchanged` found, or as every file
   * asked for through `header` was). Those files give the very headers the
   * graph was built from, so it is still the graph they make; any edit,
   * addition, removal or rename gives `undefined`. Entries are kept only
   * for files older than `RACY_MS`, so the graph follows the same rule: a
   * file changed within the same second is read again, and the graph built
   * again, until it has settled.
   */
  storedGraph(): unknown {
    const vouched =
      this.#pathStarts !== undefined || (!this.#changed && this.#inOrder && this.#entries.length === this.#count);
    if (!vouched || this.#graph === "") return undefined;
    try {
      return JSON.parse(this.#graph) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Every stored header's fields (parsed once); none if the section does not hold one per entry. */
  #allHeaderValues(): HeaderValues[] {
    if (this.#headerValues === undefined) {
      try {
        const parsed = JSON.parse(this.#headers) as unknown;
        this.#headerValues = Array.isArray(parsed) && parsed.length === this.#count ? (parsed as HeaderValues[]) : [];
      } catch {
        this.#headerValues = [];
      }
    }
    return this.#headerValues as HeaderValues[];
  }

  /** The stored entry of `file`, or -1. */
  #find(file: string): number {
    this.#pathList ??= this.#count === 0 ? [] : this.#paths.split("\0");
    const paths = this.#pathList;
    const cursor = this.#cursor;
    if (cursor < paths.length && paths[cursor] === file) {
      this.#cursor = cursor + 1;
      return cursor;
    }
    if (this.#index === undefined) {
      this.#index = new Map();
      for (let entry = 0; entry < paths.length; entry++) this.#index.set(paths[entry] as string, entry);
    }
    const entry = this.#index.get(file);
    if (entry === undefined) return -1;
    this.#cursor = entry + 1;
    return entry;
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
    if (!storesGraph && !this.#changed && this.#entries.length === this.#count) return;
    const paths: string[] = [];
    const stamps: number[] = [];
    const headers: string[] = [];
    // Where the next header starts in the headers section: after "[" and the headers before it, each with a comma.
    let headerAt = 1;
    for (const entry of this.#entries) {
      let text: string;
      if (typeof entry === "number") {
        paths.push((this.#pathList as string[])[entry] as string);
        const values = entry * STAMPS;
        for (let index = 0; index < HEADER_AT; index++) stamps.push(this.#stamps[values + index] as number);
        text = JSON.stringify((this.#headerValues as HeaderValues[])[entry]);
      } else {
        paths.push(entry.path);
        stamps.push(entry.stamp.size, entry.stamp.mtimeMs, entry.stamp.ctimeMs, entry.stamp.ino);
        text = JSON.stringify(headerValues(entry.header));
      }
      stamps.push(headerAt);
      headers.push(text);
      headerAt += text.length + 1;
    }
    const sections = {
      paths: paths.join("\0"),
      stamps: JSON.stringify(stamps),
      headers: `[${headers.join(",")}]`,
      graph: storesGraph ? JSON.stringify(graph()) : "",
    };
    const meta: Meta = {
      format: FORMAT,
      count: this.#entries.length,
      paths: sections.paths.length,
      stamps: sections.stamps.length,
      headers: sections.headers.length,
      graph: sections.graph.length,
    };
    const temporary = temporaryName(this.#file);
    try {
      const content = `${JSON.stringify(meta)}\n${sections.paths}${sections.stamps}${sections.headers}${sections.graph}`;
      fs.writeFileSync(temporary, content, { mode: 0o600, flag: "wx" });
      fs.renameSync(temporary, this.#file);
    } catch {
      fs.rmSync(temporary, { force: true });
    }
    // The caches of projects gone (or moved) are removed after 30 days unwritten.
    pruneOccasionally(path.dirname(this.#file), Date.now(), [".json", ".tmp"]);
  }
}

/** The sections of a cache file (`stamps` parsed), with the number of entries. */
interface Sections {
  readonly count: number;
  readonly paths: string;
  readonly stamps: readonly number[];
  readonly headers: string;
  readonly graph: string;
}

/**
 * The sections of `text` when it is a file of this format whose layout
 * holds together (the lengths add up, one stamp per entry, headers in
 * order within their section), else `undefined`: then no entry is used.
 */
function parseSections(text: string): Sections | undefined {
  const end = text.indexOf("\n");
  if (end < 0) return undefined;
  const meta = JSON.parse(text.slice(0, end)) as Partial<Meta> | null;
  if (meta === null || typeof meta !== "object" || meta.format !== FORMAT) return undefined;
  const { count, paths, stamps, headers, graph } = meta;
  const lengths = [count, paths, stamps, headers, graph];
  if (!lengths.every((length) => typeof length === "number" && Number.isInteger(length) && length >= 0)) {
    return undefined;
  }
  let at = end + 1;
  const section = (length: number) => text.slice(at, (at += length));
  const sections = {
    count: count as number,
    paths: section(paths as number),
    stamps: JSON.parse(section(stamps as number)) as unknown,
    headers: section(headers as number),
    graph: section(graph as number),
  };
  const values = sections.stamps;
  if (at !== text.length || !Array.isArray(values) || values.length !== sections.count * STAMPS) return undefined;
  // Each header starts after the one before it (a header is at least "[]" and a comma).
  let previous = 0;
  for (let entry = 0; entry < sections.count; entry++) {
    const headerAt = values[entry * STAMPS + HEADER_AT] as unknown;
    if (typeof headerAt !== "number" || headerAt < previous + 1 || headerAt >= sections.headers.length) {
      return undefined;
    }
    previous = headerAt + 2;
  }
  return { ...sections, stamps: values as number[] };
}

function headerValues(header: RevisionHeader): HeaderValues {
  return [
    header.revision,
    header.downRevision,
    header.branchLabels,
    header.dependsOn,
    header.message,
    header.createDate,
    header.doc,
    header.longDoc,
  ];
}

function headerOf(values: HeaderValues, file: string): RevisionHeader {
  return {
    revision: values[0],
    downRevision: values[1],
    branchLabels: values[2],
    dependsOn: values[3],
    message: values[4],
    createDate: values[5],
    doc: values[6],
    longDoc: values[7],
    path: file,
  };
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
