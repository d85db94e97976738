import { readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import { VersionLocationNotFoundError } from "../config/config-errors.js";

export interface FindRevisionFilesOptions {
  /** Walk subfolders too (`recursiveVersionLocations`). */
  readonly recursive?: boolean;
  /**
   * A location that does not exist, or is not a folder, throws
   * `VersionLocationNotFoundError` instead of being skipped (found from the
   * listing's own `ENOENT`: no extra call per location).
   */
  readonly requireLocations?: boolean;
}

/**
 * The migration files of the version locations, in the order that breaks
 * ties in the revision graph exactly as Alembic does: locations in config
 * order; in each folder the file names `sort()`ed (plain code-unit order,
 * as Python's `sorted`); with `recursive`, subfolders after the files,
 * top-down in sorted order. Locations that do not exist are skipped
 * (as Alembic does), unless `requireLocations` is set.
 *
 * Accepted: `.ts .mts .js .mjs`. Ignored: `.d.ts`, `*.test.*` and
 * `*.spec.*`, editor files (`.#*`), other dotfiles, `index.*`.
 *
 * ```ts
 * findRevisionFiles(["/app/migrations/versions"], { recursive: false });
 * // ["/app/migrations/versions/1975ea83b712_create_account.ts", ...]
 * ```
 */
export function findRevisionFiles(locations: readonly string[], options: FindRevisionFilesOptions = {}): string[] {
  const files: string[] = [];
  for (const { directory, names } of findRevisionFolders(locations, options)) {
    for (const name of names) files.push(joinName(directory, name));
  }
  return files;
}

/** @internal A folder (absolute, normalized) and its migration file names, sorted. */
export interface RevisionFolder {
  readonly directory: string;
  readonly names: readonly string[];
  /**
   * With `withStats`, what the header cache compares of each file's `stat`
   * (links followed): `STAMP_WIDTH` numbers per name, in `names` order
   * (size, mtimeMs, ctimeMs, ino). Numbers rather than the `Stats`
   * objects, so that 10,000 of those (each with four `Date`s) die young
   * instead of being copied by the garbage collector.
   */
  readonly stamps?: Float64Array;
  /**
   * With `withStats`, the folder's own stamp, taken before its names were
   * read, when every candidate name turned out to be a file: `names` is
   * then the whole listing, which the header cache may keep and give back
   * (`knownNames`) while the folder keeps this stamp.
   */
  readonly stamp?: FolderStamp;
  /** The names came from `knownNames` rather than from reading the folder. */
  readonly known?: boolean;
}

/**
 * @internal What tells a folder's listing apart: its mtime and ctime
 * (milliseconds, with their fraction) and inode. Creating, removing or
 * renaming an entry sets the folder's mtime and ctime (POSIX requires it;
 * NTFS does it too), and ctime cannot be set back.
 */
export interface FolderStamp {
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

/** @internal How many numbers `RevisionFolder.stamps` holds per file. */
export const STAMP_WIDTH = 4;

/** @internal Options of `findRevisionFolders`. */
export interface FindRevisionFoldersOptions extends FindRevisionFilesOptions {
  /**
   * Tell files apart by one `stat` per candidate name, and hand the stats
   * on (the header cache needs that very stat), instead of reading the
   * folder's entry types and stat-ing again later: one call per file less.
   * Only without `recursive`, which needs the entry types to find folders.
   */
  readonly withStats?: boolean;
  /**
   * With `withStats`: the candidate names of `directory` (sorted, as the
   * listing gives them) when they were read under `stamp`, which the folder
   * still has; otherwise `undefined`, and the folder is read. On 10,000
   * files, reading and sorting the names is about a fifth of the listing.
   */
  readonly knownNames?: (directory: string, stamp: FolderStamp) => readonly string[] | undefined;
}

/**
 * @internal `findRevisionFiles` grouped by folder, in the same order: the
 * header loader joins each name once and resolves each folder's real path once.
 */
export function findRevisionFolders(
  locations: readonly string[],
  options: FindRevisionFoldersOptions = {},
): RevisionFolder[] {
  const folders: RevisionFolder[] = [];
  const recursive = options.recursive ?? false;
  for (let index = 0; index < locations.length; index++) {
    const directory = path.resolve(locations[index] as string);
    const listed = options.withStats && !recursive ? listWithStats(directory, options.knownNames) : undefined;
    if (listed === undefined) walk(directory, recursive, folders, options.requireLocations ? index : undefined);
    else if (listed.names.length > 0) folders.push(listed);
  }
  return folders;
}

/**
 * The migration files of one folder (not its subfolders) with their stats:
 * the folder's own stat, its names read without entry types (or given by
 * `knownNames` while the folder's stamp is unchanged), then one `stat` per
 * name that can be a migration. `stat` follows links as `walk` does for a
 * link (a link to a file counts), and a folder or a broken link is not a
 * file. `undefined` on any error, for `walk` to list the folder and raise
 * or skip as it does.
 */
function listWithStats(
  directory: string,
  knownNames: FindRevisionFoldersOptions["knownNames"],
): RevisionFolder | undefined {
  try {
    // Before the names: an entry added after this stat moves the folder's times past the ones kept.
    const folder = statSync(directory, NO_THROW);
    if (!folder?.isDirectory()) return undefined;
    const stamp: FolderStamp = { mtimeMs: folder.mtimeMs, ctimeMs: folder.ctimeMs, ino: folder.ino };
    const known = knownNames?.(directory, stamp);
    const candidates = known ?? readdirSync(directory).filter(isMigrationFileName).sort();
    const names: string[] = [];
    const stamps = new Float64Array(candidates.length * STAMP_WIDTH);
    const prefix = joinName(directory, "");
    let at = 0;
    for (let index = 0; index < candidates.length; index++) {
      const name = candidates[index] as string;
      const stat = statSync(prefix + name, NO_THROW);
      if (!stat?.isFile()) continue;
      names.push(name);
      stamps[at] = stat.size;
      stamps[at + 1] = stat.mtimeMs;
      stamps[at + 2] = stat.ctimeMs;
      stamps[at + 3] = stat.ino;
      at += STAMP_WIDTH;
    }
    return {
      directory,
      names,
      stamps: stamps.subarray(0, at),
      // A name that is not a file (a broken link) may become one without the folder changing.
      ...(names.length === candidates.length ? { stamp } : {}),
      ...(known !== undefined ? { known: true } : {}),
    };
  } catch {
    return undefined;
  }
}

/** One options object for every `statSync` of a listing. */
const NO_THROW = { throwIfNoEntry: false } as const;

/** @internal `path.join(directory, name)` for a normalized absolute folder and a plain file name, without re-normalizing. */
export function joinName(directory: string, name: string): string {
  return directory.endsWith(path.sep) ? directory + name : directory + path.sep + name;
}

/**
 * Lists `directory` into `folders`. With `required` (the location's index),
 * a missing location throws; a subfolder gone since its parent was read is
 * skipped.
 */
function walk(directory: string, recursive: boolean, folders: RevisionFolder[], required?: number): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
    if (required === undefined) return;
    throw new VersionLocationNotFoundError(directory, required, code === "ENOTDIR");
  }
  const names: string[] = [];
  const subdirectories: string[] = [];
  for (const entry of entries) {
    const name = entry.name;
    if (name.startsWith(".")) continue;
    let isFile = entry.isFile();
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      // Like os.walk: a link to a file counts, a link to a folder is not followed.
      try {
        isFile = statSync(joinName(directory, name)).isFile();
      } catch {
        isFile = false;
      }
      isDirectory = false;
    }
    if (isFile && isMigrationFileName(name)) names.push(name);
    else if (isDirectory && recursive && name !== "node_modules") subdirectories.push(name);
  }
  names.sort();
  if (names.length > 0) folders.push({ directory, names });
  if (!recursive) return;
  subdirectories.sort();
  for (const subdirectory of subdirectories) walk(joinName(directory, subdirectory), true, folders);
}

/**
 * True for a file name that can hold a migration (see {@link findRevisionFiles}):
 * `.ts .mts .js .mjs` (TypeScript runs without a build step), but not a
 * declaration file (`.d.ts`, `.d.mts`), a test (`*.test.*`, `*.spec.*`), a
 * dotfile or `index.*`. Written out rather than as regular expressions: it
 * runs once per file of a 10,000-file listing, before V8 has compiled them.
 */
export function isMigrationFileName(name: string): boolean {
  if (name.startsWith(".") || name.startsWith("index.")) return false;
  // The length of the name without its extension.
  let stem: number;
  if (name.endsWith(".ts") || name.endsWith(".js")) stem = name.length - 3;
  else if (name.endsWith(".mts") || name.endsWith(".mjs")) stem = name.length - 4;
  else return false;
  // A name starting with "." is out already, so a negative position (read from 0) cannot match.
  if (name.endsWith("ts") && name.startsWith(".d", stem - 2)) return false;
  return !name.startsWith(".test", stem - 5) && !name.startsWith(".spec", stem - 5);
}
