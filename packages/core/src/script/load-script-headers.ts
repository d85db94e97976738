import { existsSync, readFileSync, realpathSync } from "node:fs";
import { RACY_MS } from "../config/cache-directory.js";
import { ScriptLocationNotFoundError } from "../config/config-errors.js";
import { stampText } from "../config/source-texts.js";
import { findRevisionFolders, joinName, type RevisionFolder, STAMP_WIDTH } from "./find-revision-files.js";
import { HeaderCache } from "./header-cache.js";
import { readRevisionHeader } from "./read-revision-header.js";
import type { RevisionHeader } from "./revision-header.js";

export interface LoadScriptHeadersOptions {
  /** The script folder; when given it must exist (Alembic's check). */
  readonly scriptLocation?: string;
  /** Folders of migration files, in config order; each must exist (`VersionLocationNotFoundError`). */
  readonly versionLocations: readonly string[];
  /** `false`: a missing location holds no revisions (the default location, see `isDefaultVersionLocation`). Default true. */
  readonly requireVersionLocations?: boolean;
  /** Walk subfolders (`recursiveVersionLocations`). */
  readonly recursive?: boolean;
  /** Receives warnings (a file reached twice); default: printed on stderr. */
  readonly onWarning?: (message: string) => void;
  /**
   * A folder for the header cache (see `HeaderCache`), e.g.
   * `cacheDirectory()/headers`; without it every file is read.
   */
  readonly cacheDirectory?: string | null;
  /**
   * Called once before headers are read from the files themselves (no
   * cache, or a file changed since it was written): a command that will
   * then compile migrations starts the compiler meanwhile.
   */
  readonly beforeReading?: () => void;
  /**
   * @internal Receives each file's text as read for its header, with the
   * stamp the listing gave it before the read (with a cache folder only,
   * and only for a file whose stamp is older than `RACY_MS`, which cannot
   * change again within the same tick): a command that will then compile
   * the files keeps the texts (see `keepSourceText`).
   */
  readonly onRead?: (file: string, stamp: string, text: string) => void;
  /** @internal The header cache's (and `onRead`'s) clock, in nanoseconds since the epoch (tests move it past the racy window). */
  readonly now?: () => bigint;
}

/**
 * Reads the header of every migration file, in file order (see
 * `findRevisionFiles`): the input of the revision graph. No module is run.
 * A file reached twice through overlapping locations is read once, with a
 * warning, as Alembic does. A missing script folder throws Alembic's
 * `Path doesn't exist: <dir>.  Please use the 'init' command ...`; a
 * missing version location throws `VersionLocationNotFoundError` (Alembic
 * skips it, and would see fewer revisions).
 *
 * ```ts
 * const headers = loadScriptHeaders({ versionLocations: config.versionLocations });
 * ```
 */
export function loadScriptHeaders(options: LoadScriptHeadersOptions): RevisionHeader[] {
  if (options.scriptLocation !== undefined) assertScriptLocation(options.scriptLocation);
  const cache = openHeaderCache(options);
  const headers = readScriptHeaders(options, cache);
  cache?.save();
  return headers;
}

/** @internal The migration files of the version locations, by folder, with what `readScriptHeaders` needs. */
export interface ListedFiles {
  readonly folders: readonly RevisionFolder[];
  /** Each folder's real path. */
  readonly realFolders: readonly string[];
  /** Two folders share a real path: a file can be reached twice. */
  readonly overlapping: boolean;
}

/**
 * @internal Lists the migration files of `options`; with `cache`, each
 * with its stat (for the cache to compare), and a folder unchanged since
 * the cache listed it without reading its names again.
 */
export function listScriptFiles(options: LoadScriptHeadersOptions, cache: HeaderCache | undefined): ListedFiles {
  const folders = findRevisionFolders(options.versionLocations, {
    recursive: options.recursive ?? false,
    requireLocations: options.requireVersionLocations ?? true,
    withStats: cache !== undefined,
    ...(cache !== undefined ? { knownNames: (directory, stamp) => cache.knownNames(directory, stamp) } : {}),
  });
  cache?.listed(folders);
  // Overlapping locations are found by their folders' real paths: one
  // realpath per folder instead of one per file keeps 10,000 files fast,
  // and when no two folders share a real path no file can be reached twice.
  const realFolders = folders.map((folder) => realpathSync(folder.directory));
  const overlapping = new Set(realFolders).size < realFolders.length;
  return { folders, realFolders, overlapping };
}

/**
 * @internal `loadScriptHeaders` without the script folder's check, through
 * `cache` when given, of the files `listed` (by default listed here); the
 * caller saves the cache.
 */
export function readScriptHeaders(
  options: LoadScriptHeadersOptions,
  cache: HeaderCache | undefined,
  listed: ListedFiles = listScriptFiles(options, cache),
): RevisionHeader[] {
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`WARNING: ${message}\n`));
  const { folders, realFolders, overlapping } = listed;
  const seen = new Set<string>();
  const headers: RevisionHeader[] = [];
  for (let index = 0; index < folders.length; index++) {
    const { directory, names, stamps } = folders[index] as RevisionFolder;
    const realFolder = realFolders[index] as string;
    for (let position = 0; position < names.length; position++) {
      const name = names[position] as string;
      if (overlapping) {
        const real = joinName(realFolder, name);
        if (seen.has(real)) {
          warn(`File ${real} loaded twice! ignoring. Please ensure versionLocations is unique.`);
          continue;
        }
        seen.add(real);
      }
      const file = joinName(directory, name);
      if (cache === undefined) {
        headers.push(readHeader(file));
        continue;
      }
      const at = position * STAMP_WIDTH;
      const onRead = options.onRead;
      const read =
        onRead === undefined || stamps === undefined
          ? readHeader
          : (path: string) => {
              const text = readFileSync(path, "utf8");
              const [size = 0, mtimeMs = 0, ctimeMs = 0, ino = 0] = stamps.subarray(at, at + 4);
              const now = options.now === undefined ? Date.now() : Number(options.now() / 1_000_000n);
              if (now - mtimeMs > RACY_MS && now - ctimeMs > RACY_MS) {
                onRead(path, stampText(size, mtimeMs, ctimeMs, ino), text);
              }
              return readRevisionHeader(path, text);
            };
      headers.push(cache.header(file, read, stamps, at));
    }
  }
  return headers;
}

/** @internal The header cache `options` ask for, if any. */
export function openHeaderCache(options: LoadScriptHeadersOptions): HeaderCache | undefined {
  if (options.cacheDirectory == null) return undefined;
  return HeaderCache.open(options.cacheDirectory, options.versionLocations, options.now);
}

function readHeader(file: string): RevisionHeader {
  return readRevisionHeader(file, readFileSync(file, "utf8"));
}

/**
 * Throws Alembic's "Path doesn't exist" error unless the script folder
 * exists; `configFile` names the config that set it (or, with `defaulted`,
 * that set none, so that the default `migrations` was used).
 */
export function assertScriptLocation(scriptLocation: string, configFile?: string, defaulted = false): void {
  if (!existsSync(scriptLocation)) throw new ScriptLocationNotFoundError(scriptLocation, configFile, defaulted);
}
