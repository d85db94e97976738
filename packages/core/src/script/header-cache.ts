import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDirectory, pruneOccasionally } from "../config/cache-directory.js";
import type { RevisionHeader } from "./revision-header.js";

/** Changes whenever `RevisionHeader` or the way it is read does. */
const FORMAT = "retort-headers-1";

/**
 * A file changed less than this long before the cache was written may
 * change again within the same timestamp tick (coarse file system clocks,
 * 1-2 s on some network file systems): its entry is not kept, and it is
 * read again until it is older.
 */
const RACY_NS = 3_000_000_000n;

interface Entry {
  /** size, mtime, ctime (nanoseconds) and inode of the file when it was read. */
  readonly stamp: string;
  readonly header: Omit<RevisionHeader, "path">;
}

interface CacheFile {
  readonly format: string;
  readonly entries: Record<string, Entry>;
}

/**
 * The headers of migration files read before, in one JSON file per set of
 * version locations, so that a graph command on 10,000 files is a stat per
 * file and one parse. An entry is used only while the file's size, mtime
 * and ctime (nanoseconds) and inode are the ones it was read with; ctime
 * changes on every write and cannot be set back, so an edit that keeps the
 * size and restores the mtime is seen too. Files changed within the last
 * few seconds are not stored (see `RACY_NS`).
 */
export class HeaderCache {
  readonly #file: string;
  readonly #old: Record<string, Entry>;
  readonly #now: () => bigint;
  readonly #entries: Record<string, Entry> = {};
  #changed = false;

  private constructor(file: string, old: Record<string, Entry>, now: () => bigint) {
    this.#file = file;
    this.#old = old;
    this.#now = now;
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
    const key = createHash("sha256")
      .update(locations.map((location) => path.resolve(location)).join("\0"))
      .digest("hex")
      .slice(0, 32);
    const file = path.join(directory, `${key}.json`);
    let old: Record<string, Entry> = {};
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
      if (parsed.format === FORMAT && typeof parsed.entries === "object" && parsed.entries !== null) {
        old = parsed.entries;
      }
    } catch {
      // No cache yet, or an unreadable one: every header is read.
    }
    return new HeaderCache(file, old, now);
  }

  /** The header of `file`, from the cache when the file is unchanged, else from `read`. */
  header(file: string, read: () => RevisionHeader): RevisionHeader {
    let stat: fs.BigIntStats;
    try {
      stat = fs.statSync(file, { bigint: true });
    } catch {
      return read();
    }
    const stamp = `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}`;
    const known = this.#old[file];
    if (known !== undefined && known.stamp === stamp) {
      this.#entries[file] = known;
      return { ...known.header, path: file };
    }
    const header = read();
    this.#changed = true;
    // ctime is never older than mtime unless the clock was set back; either counts.
    if (this.#now() - stat.mtimeNs > RACY_NS && this.#now() - stat.ctimeNs > RACY_NS) {
      const { path: _path, ...rest } = header;
      this.#entries[file] = { stamp, header: rest };
    }
    return header;
  }

  /**
   * Writes the cache when an entry was added or dropped (through a
   * temporary file and a rename: a concurrent reader sees the old or the
   * new file, never half of one). A failure to write only costs speed.
   */
  save(): void {
    if (!this.#changed && Object.keys(this.#entries).length === Object.keys(this.#old).length) return;
    const temporary = `${this.#file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      const content: CacheFile = { format: FORMAT, entries: this.#entries };
      fs.writeFileSync(temporary, JSON.stringify(content), { mode: 0o600, flag: "wx" });
      fs.renameSync(temporary, this.#file);
    } catch {
      fs.rmSync(temporary, { force: true });
    }
    // The caches of projects gone (or moved) are removed after 30 days unwritten.
    pruneOccasionally(path.dirname(this.#file), Date.now(), [".json", ".tmp"]);
  }
}
