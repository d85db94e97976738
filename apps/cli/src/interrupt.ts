/**
 * While `fn` runs, SIGINT and SIGTERM abort the signal it is given instead
 * of killing the process: the run stops before its next statement, the
 * database cancels the running one, the transaction is rolled back and the
 * lock released, and the command fails with `FAILED: interrupted ...` and
 * status 130 or 143. A second signal while that happens ends the process
 * at once (the database rolls back an open transaction when the
 * connection drops).
 */
export async function withInterrupts<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signals = ["SIGINT", "SIGTERM"] as const;
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(128 + (name === "SIGTERM" ? 15 : 2));
    process.stderr.write(`Interrupted by ${name}: stopping the run and rolling back...\n`);
    controller.abort(name);
  };
  for (const name of signals) process.on(name, onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    for (const name of signals) process.off(name, onSignal);
  }
}
