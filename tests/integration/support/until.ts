import { setTimeout as sleep } from "node:timers/promises";

/** Polls `fn` every 50 ms until it returns true, at most `timeoutMs`; fails naming `what` after that. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}
