import { stderr } from "./stdio.js";

/**
 * While `fn` runs, SIGINT and SIGTERM abort the signal it is given instead
 * of killing the process: the run stops before its next statement, the
 * database cancels the running one, the transaction is rolled back and the
 * lock released, and the command fails with `FAILED: interrupted ...` and
 * status 130 or 143. A second signal while that happens ends the process
 * at once (the database rolls back an open transaction when the
 * connection drops). `notice` writes the line saying so (the CLI's
 * renderer, which first ends a migration's open line).
 */
export async function withInterrupts<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  notice: (text: string) => void = (text) => stderr.write(`${text}\n`),
): Promise<T> {
  const controller = new AbortController();
  const signals = ["SIGINT", "SIGTERM"] as const;
  // Taken now: while a migration's function runs, the runner replaces
  // `process.exit` with one that throws (a migration must not end the
  // process), and the second signal must still end it.
  const exit = process.exit;
  const onSignal = (name: NodeJS.Signals) => {
    const status = 128 + (name === "SIGTERM" ? 15 : 2);
    if (controller.signal.aborted) {
      notice(`Interrupted again by ${name}: exiting now; the database rolls back the open transaction.`);
      exit.call(process, status);
      return;
    }
    notice(`Interrupted by ${name}: stopping the run and rolling back...`);
    controller.abort(name);
  };
  for (const name of signals) process.on(name, onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    for (const name of signals) process.off(name, onSignal);
  }
}
