/**
 * Texts of migration files a command read for their headers, kept for the
 * compile of the same files moments later: a fresh deploy's `upgrade`
 * otherwise reads every pending file twice (about 25 ms of 550 files
 * here). Each text is kept with the stamp (size, times, inode) its file
 * had before it was read, and handed out only for the same stamp, once; at
 * most `LIMIT` characters are kept, so a long plan holds a bounded amount.
 */
const LIMIT = 4 * 1024 * 1024;

const texts = new Map<string, { readonly stamp: string; readonly text: string }>();
let held = 0;

/** Keeps `text`, read from `file` after its stamp was `stamp`, unless the limit is reached. */
export function keepSourceText(file: string, stamp: string, text: string): void {
  if (held + text.length > LIMIT || texts.has(file)) return;
  texts.set(file, { stamp, text });
  held += text.length;
}

/** The text kept for `file` if its stamp is still `stamp` (then forgotten); `undefined` otherwise. */
export function takeSourceText(file: string, stamp: string): string | undefined {
  const kept = texts.get(file);
  if (kept === undefined) return undefined;
  texts.delete(file);
  held -= kept.text.length;
  return kept.stamp === stamp ? kept.text : undefined;
}

/** A file's stamp as the caches compare it: size, mtime, ctime and inode. */
export function stampText(size: number, mtimeMs: number, ctimeMs: number, ino: number): string {
  return `${size}:${mtimeMs}:${ctimeMs}:${ino}`;
}
