import { STAMP_WIDTH } from "./find-revision-files.js";
import type { RevisionHeader } from "./revision-header.js";

/*
 * @internal The header cache's file (see `HeaderCache`): its layout, its
 * first line, and reading it back.
 */

/** Changes whenever `RevisionHeader`, the file's layout, the way a header is read or which names count as migrations does. */
export const FORMAT = "retort-headers-4";

/**
 * The file, all lengths in bytes: a first line of JSON (`Meta`, padded
 * with spaces to a multiple of 8 bytes), then its sections back to back:
 * - stamps: per entry the file's size, mtime and ctime (milliseconds, with
 *   their fraction) and inode, as native 64-bit floats, exactly as
 *   `RevisionFolder.stamps` holds them, so that a listing is compared with
 *   one byte comparison per folder and nothing is parsed;
 * - header starts: per entry, then once more, where its header starts in
 *   the headers section (64-bit floats);
 * - paths: the files' paths, joined by NUL (no path holds one), UTF-8;
 * - headers: a JSON array with one array per entry (see `HeaderValues`),
 *   UTF-8: parsed one entry at a time or all at once;
 * - graph: the stored revision graph of exactly these entries in this
 *   order, once it was built and validated (see `storedGraph`), as JSON;
 *   empty while an entry is missing.
 * The first line also keeps the folders whose listing is the stored
 * paths (`FolderRecord`). A command that finds every file unchanged
 * decodes the paths and the graph, and the headers only of the revisions
 * it reaches.
 */
export interface Meta {
  readonly format: string;
  readonly count: number;
  readonly paths: number;
  readonly headers: number;
  readonly graph: number;
  readonly folders: readonly FolderRecord[];
}

/**
 * A folder whose migration files are exactly entries `first` to
 * `first + count - 1`, as listed under the folder's stamp (mtime, ctime,
 * inode), which was settled then (older than the header cache's racy window): while the folder keeps
 * that stamp, no entry was added, removed or renamed in it since, and its
 * names need not be read again (`knownNames`). Each file is still stat-ed.
 */
export type FolderRecord = [
  directory: string,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  first: number,
  count: number,
];

export const STAMP_BYTES = STAMP_WIDTH * 8;

/** The first line of a cache file: `meta` as JSON, padded with spaces so that the sections after it start at a multiple of 8 bytes. */
export function metaLine(meta: Meta): string {
  const line = JSON.stringify(meta);
  const bytes = Buffer.byteLength(line);
  return `${line}${" ".repeat(Math.ceil((bytes + 1) / 8) * 8 - 1 - bytes)}\n`;
}

export function sameRecord(a: FolderRecord, b: FolderRecord): boolean {
  return a.every((value, index) => value === b[index]);
}

function isFolderRecord(value: unknown): value is FolderRecord {
  if (!Array.isArray(value) || value.length !== 6 || typeof value[0] !== "string") return false;
  if (!value.slice(1).every((number) => typeof number === "number" && Number.isFinite(number))) return false;
  return Number.isInteger(value[4]) && Number.isInteger(value[5]) && value[4] >= 0 && value[5] >= 0;
}

/** Where the sections of a cache file start, as offsets into its bytes. */
export interface Sections {
  /** The file's first line. */
  readonly meta: Meta;
  readonly folders: readonly FolderRecord[];
  readonly count: number;
  readonly bytes: Buffer;
  readonly stamps: number;
  readonly paths: number;
  readonly headers: number;
  readonly graph: number;
  /** The stamp of entry `entry` (size, mtime, ctime, inode), or `undefined` for none. */
  stamp(entry: number): Float64Array | undefined;
  /** Where header `entry` starts in the headers section (for `count`, the section's end plus one). */
  headerStarts(entry: number): number;
  text(from: number, to: number): string;
}

/**
 * The sections of `bytes` when it is a file of this format whose layout
 * holds together (the lengths add up, headers in order within their
 * section), else `undefined`: then no entry is used.
 */
export function parseSections(bytes: Buffer): Sections | undefined {
  const end = bytes.indexOf(10);
  if (end < 0 || (end + 1) % 8 !== 0) return undefined;
  const meta = JSON.parse(bytes.toString("utf8", 0, end)) as Partial<Meta> | null;
  if (meta === null || typeof meta !== "object" || meta.format !== FORMAT) return undefined;
  const { count, paths, headers, graph, folders } = meta;
  const lengths = [count, paths, headers, graph];
  if (!lengths.every((length) => typeof length === "number" && Number.isInteger(length) && length >= 0)) {
    return undefined;
  }
  // Records in entry order, each within the entries, none overlapping another.
  let recordsEnd = 0;
  for (const record of Array.isArray(folders) ? (folders as unknown[]) : [undefined]) {
    if (!isFolderRecord(record) || record[4] < recordsEnd || record[4] + record[5] > (count as number)) {
      return undefined;
    }
    recordsEnd = record[4] + record[5];
  }
  const entries = count as number;
  const stampsAt = end + 1;
  const startsAt = stampsAt + entries * STAMP_BYTES;
  const pathsAt = startsAt + (entries + 1) * 8;
  const headersAt = pathsAt + (paths as number);
  const graphAt = headersAt + (headers as number);
  if (graphAt + (graph as number) !== bytes.length) return undefined;
  // The header starts are checked where they are used (`storedHeader`).
  // A Float64Array needs an aligned offset. A file read whole has memory of its own and the first
  // line ends on a multiple of 8, so the numbers are read in place; else (a pooled buffer) copied.
  const numberCount = (pathsAt - stampsAt) / 8;
  let numbers: Float64Array;
  if ((bytes.byteOffset + stampsAt) % 8 === 0) {
    numbers = new Float64Array(bytes.buffer, bytes.byteOffset + stampsAt, numberCount);
  } else {
    numbers = new Float64Array(numberCount);
    new Uint8Array(numbers.buffer).set(bytes.subarray(stampsAt, pathsAt));
  }
  const starts = numbers.subarray(entries * STAMP_WIDTH);
  return {
    meta: meta as Meta,
    folders: folders as readonly FolderRecord[],
    count: entries,
    bytes,
    stamps: stampsAt,
    paths: pathsAt,
    headers: headersAt,
    graph: graphAt,
    stamp: (entry) =>
      entry >= 0 && entry < entries ? numbers.subarray(entry * STAMP_WIDTH, (entry + 1) * STAMP_WIDTH) : undefined,
    headerStarts: (entry) => starts[entry] as number,
    text: (from, to) => bytes.toString("utf8", from, to),
  };
}

/** A header's fields as stored: `RevisionHeader` without its path. */
export type HeaderValues = [
  revision: string,
  downRevision: RevisionHeader["downRevision"],
  branchLabels: string[] | null,
  dependsOn: string[] | null,
  message: string | null,
  createDate: string | null,
  doc: string,
  longDoc: string,
];

/** A header as stored. */
export function headerValues(header: RevisionHeader): HeaderValues {
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

/** The header stored as `values`, of `file`. */
export function headerOf(values: HeaderValues, file: string): RevisionHeader {
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
