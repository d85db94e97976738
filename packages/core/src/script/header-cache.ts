import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDirectory, pruneOccasionally, RACY_MS, temporaryName } from "../config/cache-directory.js";
import { contentKey } from "../config/content-key.js";
import { type FolderStamp, type RevisionFolder, STAMP_WIDTH } from "./find-revision-files.js";
import {
  FORMAT,
  type FolderRecord,
  type HeaderValues,
  headerOf,
  headerValues,
  type Meta,
  metaLine,
  parseSections,
  STAMP_BYTES,
  type Sections,
  sameRecord,
} from "./header-cache-file.js";
import type { RevisionHeader } from "./revision-header.js";

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
  readonly #sections: Sections | undefined;
  /** The stored paths as a list, made only when a file is looked up by path (`header`). */
  #pathList: string[] | undefined;
  /** The folders `unchanged` vouched for, and the entry each starts at. */
  #vouched: { folders: readonly RevisionFolder[]; starts: number[] } | undefined;
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
  /** The folders of this run's listing (`listed`): the folder records to write come from them. */
  #folders: readonly RevisionFolder[] = [];

  private constructor(file: string, sections: Sections | undefined, now: () => bigint) {
    this.#file = file;
    this.#nowMs = () => Number(now() / 1_000n) / 1_000;
    this.#count = sections?.count ?? 0;
    this.#sections = sections;
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
      sections = parseSections(fs.readFileSync(file));
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
   * object for any file not asked for. One byte comparison per folder, and
   * one string comparison unless every folder's names came from its record.
   */
  unchanged(folders: readonly RevisionFolder[]): boolean {
    const sections = this.#sections;
    if (sections === undefined || sections.graph === sections.bytes.length || this.#entries.length > 0) return false;
    const starts: number[] = [];
    // Names given by a folder record (`knownNames`) are the stored paths of the record's entries.
    let allKnown = true;
    let entry = 0;
    for (const { directory, names, stamps, known } of folders) {
      if (stamps === undefined || entry + names.length > this.#count) return false;
      const stored = sections.bytes.subarray(
        sections.stamps + entry * STAMP_BYTES,
        sections.stamps + (entry + names.length) * STAMP_BYTES,
      );
      if (!stored.equals(new Uint8Array(stamps.buffer, stamps.byteOffset, stamps.byteLength))) return false;
      const record = known === true ? this.#recordOf(directory) : undefined;
      allKnown &&= record !== undefined && record[4] === entry && record[5] === names.length;
      starts.push(entry);
      entry += names.length;
    }
    if (entry !== this.#count) return false;
    if (!allKnown) {
      const paths = folders.map(({ directory, names }) => {
        const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
        return prefix + names.join(`\0${prefix}`);
      });
      if (paths.join("\0") !== sections.text(sections.paths, sections.headers)) return false;
    }
    this.#vouched = { folders, starts };
    return true;
  }

  /**
   * The names of `directory` as last listed, while it keeps the stamp they
   * were listed under (see `FolderRecord`), else `undefined`.
   */
  knownNames(directory: string, stamp: FolderStamp): string[] | undefined {
    const record = this.#recordOf(directory);
    if (record === undefined || record[1] !== stamp.mtimeMs || record[2] !== stamp.ctimeMs || record[3] !== stamp.ino) {
      return undefined;
    }
    const [, , , , first, count] = record;
    const paths = this.#paths();
    if (first + count > paths.length) return undefined;
    const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
    const names: string[] = [];
    for (let entry = first; entry < first + count; entry++) {
      const file = paths[entry] as string;
      if (!file.startsWith(prefix)) return undefined;
      names.push(file.slice(prefix.length));
    }
    return names;
  }

  /** Tells the cache the folders this run listed: `save` and `settle` keep records of them. */
  listed(folders: readonly RevisionFolder[]): void {
    this.#folders = folders;
  }

  /**
   * After `unchanged` vouched for the files: keeps a record of each folder
   * that has none yet under its current stamp (the folder was too recent
   * when the file was written, or an entry came and went since), by
   * writing the file's first line again. Nothing is written otherwise (a
   * record of a folder changed since is merely not used).
   */
  settle(): void {
    const sections = this.#sections;
    const vouched = this.#vouched;
    if (sections === undefined || vouched === undefined) return;
    const records = this.#folderRecords(vouched.folders, vouched.starts);
    if (records.every((record) => sections.folders.some((stored) => sameRecord(record, stored)))) return;
    const line = metaLine({ ...sections.meta, folders: records });
    this.#write(Buffer.concat([Buffer.from(line), sections.bytes.subarray(sections.stamps)]));
  }

  /** The record kept for `directory`, if any. */
  #recordOf(directory: string): FolderRecord | undefined {
    const folders = this.#sections?.folders;
    if (folders === undefined) return undefined;
    for (const record of folders) if (record[0] === directory) return record;
    return undefined;
  }

  /** The stored paths, split once. */
  #paths(): string[] {
    const sections = this.#sections;
    this.#pathList ??=
      sections === undefined || this.#count === 0 ? [] : sections.text(sections.paths, sections.headers).split("\0");
    return this.#pathList;
  }

  /**
   * The records of `folders` whose files are the entries from `starts[i]`
   * on and whose stamp is settled (older than `RACY_MS`, as for a file).
   */
  #folderRecords(folders: readonly RevisionFolder[], starts: readonly (number | undefined)[]): FolderRecord[] {
    const now = this.#nowMs();
    const records: FolderRecord[] = [];
    folders.forEach(({ directory, names, stamp }, index) => {
      const first = starts[index];
      if (stamp === undefined || first === undefined) return;
      if (now - stamp.mtimeMs <= RACY_MS || now - stamp.ctimeMs <= RACY_MS) return;
      records.push([directory, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, first, names.length]);
    });
    return records;
  }

  /** The number of stored entries (the revisions of `storedGraph`). */
  get size(): number {
    return this.#count;
  }

  /** The header of stored entry `entry`, once `unchanged` has vouched for the files. */
  storedHeader(entry: number): RevisionHeader {
    const vouched = this.#vouched;
    const sections = this.#sections;
    if (vouched === undefined || sections === undefined) throw new Error("HeaderCache.storedHeader before unchanged()");
    let folder = vouched.starts.length - 1;
    while ((vouched.starts[folder] as number) > entry) folder--;
    const { directory, names } = vouched.folders[folder] as RevisionFolder;
    const name = names[entry - (vouched.starts[folder] as number)] as string;
    // Checked here, for the few headers a command reads, rather than all when the file is opened.
    const from = sections.headerStarts(entry);
    const to = sections.headerStarts(entry + 1) - 1;
    let values: unknown;
    try {
      if (from >= 1 && to > from && sections.headers + to < sections.graph) {
        values = JSON.parse(sections.text(sections.headers + from, sections.headers + to));
      }
    } catch {
      // Reported below.
    }
    if (!Array.isArray(values) || values.length !== 8) {
      throw new Error(`The header cache file ${this.#file} is damaged: delete it and run again`);
    }
    return headerOf(
      values as HeaderValues,
      directory.endsWith(path.sep) ? directory + name : directory + path.sep + name,
    );
  }

  /**
   * Every stored header, in order, once `unchanged` has vouched for the
   * files: one parse of the headers section instead of one per header.
   */
  storedHeaders(): RevisionHeader[] {
    const vouched = this.#vouched;
    if (vouched === undefined) throw new Error("HeaderCache.storedHeaders before unchanged()");
    const values = this.#allHeaderValues();
    if (values.length !== this.#count) {
      throw new Error(`The header cache file ${this.#file} is damaged: delete it and run again`);
    }
    const headers: RevisionHeader[] = [];
    for (const { directory, names } of vouched.folders) {
      const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
      for (let index = 0; index < names.length; index++) {
        headers.push(headerOf(values[headers.length] as HeaderValues, prefix + (names[index] as string)));
      }
    }
    return headers;
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
    const stored = this.#sections?.stamp(found);
    if (
      stored !== undefined &&
      stored[0] === stat.size &&
      stored[1] === stat.mtimeMs &&
      stored[2] === stat.ctimeMs &&
      stored[3] === stat.ino
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
    const sections = this.#sections;
    const vouched =
      this.#vouched !== undefined || (!this.#changed && this.#inOrder && this.#entries.length === this.#count);
    if (!vouched || sections === undefined || sections.graph === sections.bytes.length) return undefined;
    try {
      return JSON.parse(sections.text(sections.graph, sections.bytes.length)) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Every stored header's fields (parsed once); none if the section does not hold one per entry. */
  #allHeaderValues(): HeaderValues[] {
    if (this.#headerValues === undefined) {
      const sections = this.#sections;
      try {
        const parsed =
          sections === undefined ? [] : (JSON.parse(sections.text(sections.headers, sections.graph)) as unknown);
        this.#headerValues = Array.isArray(parsed) && parsed.length === this.#count ? (parsed as HeaderValues[]) : [];
      } catch {
        this.#headerValues = [];
      }
    }
    return this.#headerValues as HeaderValues[];
  }

  /** The stored entry of `file`, or -1. */
  #find(file: string): number {
    const paths = this.#paths();
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
    const count = this.#entries.length;
    const paths: string[] = [];
    const stamps = new Float64Array(count * STAMP_WIDTH);
    const headerStarts = new Float64Array(count + 1);
    const headers: string[] = [];
    // Where the next header starts in the headers section: after "[" and the headers before it, each with a comma.
    let headerAt = 1;
    for (let index = 0; index < count; index++) {
      const entry = this.#entries[index] as number | NewEntry;
      let text: string;
      if (typeof entry === "number") {
        paths.push((this.#pathList as string[])[entry] as string);
        stamps.set(this.#sections?.stamp(entry) as Float64Array, index * STAMP_WIDTH);
        text = JSON.stringify((this.#headerValues as HeaderValues[])[entry]);
      } else {
        paths.push(entry.path);
        stamps.set([entry.stamp.size, entry.stamp.mtimeMs, entry.stamp.ctimeMs, entry.stamp.ino], index * STAMP_WIDTH);
        text = JSON.stringify(headerValues(entry.header));
      }
      headerStarts[index] = headerAt;
      headers.push(text);
      headerAt += Buffer.byteLength(text) + 1;
    }
    headerStarts[count] = headerAt;
    const pathsBytes = Buffer.from(paths.join("\0"));
    const headersBytes = Buffer.from(`[${headers.join(",")}]`);
    const graphBytes = Buffer.from(storesGraph ? JSON.stringify(graph()) : "");
    const meta: Meta = {
      format: FORMAT,
      count,
      paths: pathsBytes.length,
      headers: headersBytes.length,
      graph: graphBytes.length,
      folders: this.#folderRecords(this.#folders, folderStarts(this.#folders, paths)),
    };
    this.#write(
      Buffer.concat([
        Buffer.from(metaLine(meta)),
        new Uint8Array(stamps.buffer),
        new Uint8Array(headerStarts.buffer),
        pathsBytes,
        headersBytes,
        graphBytes,
      ]),
    );
  }

  /** Writes `content` as the cache file. */
  #write(content: Buffer): void {
    const temporary = temporaryName(this.#file);
    try {
      fs.writeFileSync(temporary, content, { mode: 0o600, flag: "wx" });
      fs.renameSync(temporary, this.#file);
    } catch {
      fs.rmSync(temporary, { force: true });
    }
    // The caches of projects gone (or moved) are removed after 30 days unwritten.
    pruneOccasionally(path.dirname(this.#file), Date.now(), [".json", ".tmp"]);
  }
}

/**
 * Where each folder's files start among `paths` (the entries as written,
 * in listing order): `undefined` for a folder whose files are not all
 * there, one after the other (one too recent to keep, say).
 */
function folderStarts(folders: readonly RevisionFolder[], paths: readonly string[]): (number | undefined)[] {
  let at = 0;
  return folders.map(({ directory, names }) => {
    const first = at;
    at += names.length;
    const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
    for (let index = 0; index < names.length; index++) {
      if (paths[first + index] !== prefix + (names[index] as string)) return undefined;
    }
    return first;
  });
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
