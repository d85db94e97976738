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
