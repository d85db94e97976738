import type { BatchProgress } from "./sqlite-batch-rebuild.js";

/**
 * A progress line on a terminal (stderr) for long batch copies:
 * `Copying "events": 1,200,000 / 2,000,000 rows (60%)`, rewritten in place
 * and ended with a newline when the copy is done.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): BatchProgress {
  return (copied, total, table) => {
    const percent = total === 0 ? 100 : Math.floor((copied / total) * 100);
    const line = `Copying "${table}": ${copied.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} rows (${percent}%)`;
    stream.write(`\r${line}${copied >= total ? "\n" : ""}`);
  };
}
