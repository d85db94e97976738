import { existsSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { ScriptLocationNotFoundError } from "../config/config-errors.js";
import { findRevisionFiles } from "./find-revision-files.js";
import { HeaderCache } from "./header-cache.js";
import { readRevisionHeader } from "./read-revision-header.js";
import type { RevisionHeader } from "./revision-header.js";

export interface LoadScriptHeadersOptions {
  /** The script folder; when given it must exist (Alembic's check). */
  readonly scriptLocation?: string;
  /** Folders of migration files, in config order. */
  readonly versionLocations: readonly string[];
  /** Walk subfolders (`recursiveVersionLocations`). */
  readonly recursive?: boolean;
  /** Receives warnings (a file reached twice); default: printed on stderr. */
  readonly onWarning?: (message: string) => void;
  /**
   * A folder for the header cache (see `HeaderCache`), e.g.
   * `cacheDirectory()/headers`; without it every file is read.
   */
  readonly cacheDirectory?: string | null;
}

/**
 * Reads the header of every migration file, in file order (see
 * `findRevisionFiles`): the input of the revision graph. No module is run.
 * A file reached twice through overlapping locations is read once, with a
 * warning, as Alembic does. A missing script folder throws Alembic's
 * `Path doesn't exist: <dir>.  Please use the 'init' command ...`.
 *
 * ```ts
 * const headers = loadScriptHeaders({ versionLocations: config.versionLocations });
 * ```
 */
export function loadScriptHeaders(options: LoadScriptHeadersOptions): RevisionHeader[] {
  if (options.scriptLocation !== undefined) assertScriptLocation(options.scriptLocation);
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`WARNING: ${message}\n`));
  const seen = new Set<string>();
  // Overlapping locations are found by their folders' real paths: one
  // realpath per folder instead of one per file keeps 10,000 files fast.
  const realFolders = new Map<string, string>();
  const headers: RevisionHeader[] = [];
  const cache =
    options.cacheDirectory == null ? undefined : HeaderCache.open(options.cacheDirectory, options.versionLocations);
  for (const file of findRevisionFiles(options.versionLocations, { recursive: options.recursive ?? false })) {
    const folder = path.dirname(file);
    let realFolder = realFolders.get(folder);
    if (realFolder === undefined) {
      realFolder = realpathSync(folder);
      realFolders.set(folder, realFolder);
    }
    const real = path.join(realFolder, path.basename(file));
    if (seen.has(real)) {
      warn(`File ${real} loaded twice! ignoring. Please ensure versionLocations is unique.`);
      continue;
    }
    seen.add(real);
    const read = () => readRevisionHeader(file, readFileSync(file, "utf8"));
    headers.push(cache ? cache.header(file, read) : read());
  }
  cache?.save();
  return headers;
}

/** Throws Alembic's "Path doesn't exist" error unless the script folder exists. */
export function assertScriptLocation(scriptLocation: string): void {
  if (!existsSync(scriptLocation)) throw new ScriptLocationNotFoundError(scriptLocation);
}
