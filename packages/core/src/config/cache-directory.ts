import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Retort's cache folder (compiled modules, migration headers):
 * `RETORT_CACHE_DIR` when set (empty: no cache at all), else
 * `$XDG_CACHE_HOME/retort`, else `~/.cache/retort`.
 */
export function cacheDirectory(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const configured = env.RETORT_CACHE_DIR;
  if (configured !== undefined) return configured === "" ? null : path.resolve(configured);
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
  return path.join(base, "retort");
}

/**
 * Creates `dir` readable by its owner only (0700) and checks it: a folder
 * that belongs to another user is not used, one that others may read is
 * closed (chmod 0700). `false` when there is no usable folder.
 */
export function ensurePrivateDirectory(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory()) return false;
    if (typeof process.getuid === "function" && stat.uid !== process.getuid()) return false;
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
    return true;
  } catch {
    return false;
  }
}

/** Compiled files older than this are removed (a run that needs one again compiles it again). */
/**
 * A file changed less than this long before a cache entry about it is
 * written may change again within the same timestamp tick (coarse file
 * system clocks, 1-2 s on some network file systems): the caches that
 * trust a file's stamp (size, times, inode) keep no entry for it until it
 * is older, and read it again meanwhile.
 */
export const RACY_MS = 3_000;

const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** How often, at most, a run that compiled something looks for old files. */
const PRUNE_EVERY_MS = 24 * 3600 * 1000;

/**
 * A name beside `target` to write to before renaming it into place: the
 * process id and a random part keep concurrent writers apart, and writers
 * open it with `wx` (the folder is the user's own, 0700), so the name only
 * has to be unlikely to be taken.
 */
export function temporaryName(target: string): string {
  return `${target}.${process.pid}.${Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, "0")}.tmp`;
}

/**
 * Keeps the cache from growing without end (every edit of a migration
 * leaves its old compiled file behind): at most once a day, a run that
 * compiled something removes the compiled files (`suffixes`) written more
 * than 30 days ago. A run importing one of them at that moment finds it
 * gone and compiles it again. The header cache uses it for its JSON files.
 */
export function pruneOccasionally(
  directory: string,
  now = Date.now(),
  suffixes = [".mjs", ".cjs", ".map", ".batch", ".tmp"],
): void {
  const marker = path.join(directory, ".pruned");
  try {
    if (now - fs.statSync(marker).mtimeMs < PRUNE_EVERY_MS) return;
  } catch {
    // No marker yet: prune now.
  }
  try {
    fs.writeFileSync(marker, "", { mode: 0o600 });
    for (const name of fs.readdirSync(directory)) {
      if (!suffixes.some((suffix) => name.endsWith(suffix))) continue;
      const file = path.join(directory, name);
      if (now - fs.statSync(file).mtimeMs > MAX_AGE_MS) fs.rmSync(file, { force: true });
    }
  } catch {
    // Pruning is housekeeping: a failure costs disk space only.
  }
}
