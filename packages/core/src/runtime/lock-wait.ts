import type { Connection, LockHandle } from "../driver/driver.js";
import type { RunReporter } from "./run-reporter.js";
import { untilAborted } from "./run-interruption.js";

/** How long a wait for the lock goes unreported: a free lock or a short wait says nothing. */
export const LOCK_WAIT_NOTICE_MS = 1000;

export interface LockRequest {
  readonly key: string;
  readonly timeoutMs: number;
}

/**
 * Takes the migration lock and reports the wait (see `reportingLockWait`).
 * An abort while waiting fails with `InterruptedError`, and a lock granted
 * too late is released.
 */
export function acquireReportingWait(
  connection: Connection,
  request: LockRequest,
  reporter: RunReporter | undefined,
  signal: AbortSignal | undefined,
  noticeAfterMs = LOCK_WAIT_NOTICE_MS,
): Promise<LockHandle> {
  const acquire = () =>
    untilAborted(
      connection.acquireLock({ key: request.key, timeoutMs: request.timeoutMs, signal }),
      signal,
      (late) => void late.release().catch(() => undefined),
    );
  return reportingLockWait(connection, request.key, acquire, reporter, noticeAfterMs);
}

/**
 * Runs `wait` (what takes the lock: `acquireLock`, or the first `begin()`
 * where the lock is the transaction) and reports it: after
 * `noticeAfterMs` still waiting, `reporter.lockWaiting` is told who holds
 * the lock (asked of the connection, which is idle meanwhile: the lock is
 * waited for on a session of its own, or between timers); once held,
 * `reporter.lockAcquired` gets the wait time.
 */
export async function reportingLockWait<T>(
  connection: Connection,
  key: string,
  wait: () => Promise<T>,
  reporter: RunReporter | undefined,
  noticeAfterMs = LOCK_WAIT_NOTICE_MS,
): Promise<T> {
  const started = performance.now();
  let held = false;
  let lookup: Promise<void> | undefined;
  const notice = reporter?.lockWaiting
    ? setTimeout(() => {
        lookup = holderOf(connection, key).then((holder) => {
          if (!held) reporter.lockWaiting?.({ key, holder, waitedMs: performance.now() - started });
        });
      }, noticeAfterMs)
    : undefined;
  try {
    const result = await wait();
    held = true;
    reporter?.lockAcquired?.({ key, waitedMs: performance.now() - started });
    return result;
  } finally {
    held = true;
    clearTimeout(notice);
    // The look-up runs on the migration connection: it ends before the run uses it.
    await lookup;
  }
}

/** The holder as the driver describes it; a failed look-up names nobody rather than failing the run. */
async function holderOf(connection: Connection, key: string): Promise<string | undefined> {
  try {
    return (await connection.lockHolder?.(key)) ?? undefined;
  } catch {
    return undefined;
  }
}
