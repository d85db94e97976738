/**
 * A progress line on a terminal (stderr) for long copies (a SQLite batch
 * rebuild of a big table): `Copying "events": 1,200,000 / 2,000,000 rows
 * (60%)`, rewritten in place and ended with a newline when the copy is done.
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): (progress: { readonly table: string; readonly copied: number; readonly total: number }) => void {
  return ({ table, copied, total }) => {
    const percent = total === 0 ? 100 : Math.floor((copied / total) * 100);
    const line = `Copying "${table}": ${copied.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} rows (${percent}%)`;
    stream.write(`\r${line}${copied >= total ? "\n" : ""}`);
  };
}
