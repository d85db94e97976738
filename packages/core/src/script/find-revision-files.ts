import { readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";

/** Extensions of migration modules; TypeScript runs without a build step. */
const MIGRATION_FILE = /\.(?:ts|mts|js|mjs)$/;
/** Declaration files and tests next to migrations are not migrations. */
const NOT_A_MIGRATION = /\.d\.m?ts$|\.(?:test|spec)\.m?[jt]s$/;

export interface FindRevisionFilesOptions {
  /** Walk subfolders too (`recursiveVersionLocations`). */
  readonly recursive?: boolean;
}

/**
 * The migration files of the version locations, in the order that breaks
 * ties in the revision graph exactly as Alembic does: locations in config
 * order; in each folder the file names `sort()`ed (plain code-unit order,
 * as Python's `sorted`); with `recursive`, subfolders after the files,
 * top-down in sorted order. Locations that do not exist are skipped.
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
  for (const location of locations) walk(path.resolve(location), options.recursive ?? false, files);
  return files;
}

function walk(directory: string, recursive: boolean, files: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return;
    throw error;
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
        isFile = statSync(path.join(directory, name)).isFile();
      } catch {
        isFile = false;
      }
      isDirectory = false;
    }
    if (isFile && isMigrationFileName(name)) names.push(name);
    else if (isDirectory && recursive && name !== "node_modules") subdirectories.push(name);
  }
  names.sort();
  for (const name of names) files.push(path.join(directory, name));
  if (!recursive) return;
  subdirectories.sort();
  for (const subdirectory of subdirectories) walk(path.join(directory, subdirectory), true, files);
}

/** True for a file name that can hold a migration (see {@link findRevisionFiles}). */
export function isMigrationFileName(name: string): boolean {
  return (
    MIGRATION_FILE.test(name) && !NOT_A_MIGRATION.test(name) && !name.startsWith(".") && !name.startsWith("index.")
  );
}
