import { describe, expect, it } from "vitest";
import type { Connection, LockHandle, LockOptions } from "../driver/driver.js";
import { acquireReportingWait } from "./lock-wait.js";
import type { LockAcquired, LockWaiting } from "./run-reporter.js";

/** A connection whose lock is granted after `grantAfterMs`, and whose holder look-up says `holder`. */
function fakeConnection(grantAfterMs: number, holder?: () => Promise<string | undefined>): Connection {
  const handle: LockHandle = { release: async () => undefined };
  const partial: Pick<Connection, "acquireLock" | "lockHolder"> = {
    acquireLock: (_options: LockOptions) =>
      new Promise<LockHandle>((resolve) => setTimeout(() => resolve(handle), grantAfterMs)),
    ...(holder ? { lockHolder: holder } : {}),
  };
  return partial as Connection;
}

function recorder() {
  const waits: LockWaiting[] = [];
  const acquired: LockAcquired[] = [];
  return {
    waits,
    acquired,
    reporter: {
      lockWaiting: (wait: LockWaiting) => waits.push(wait),
      lockAcquired: (a: LockAcquired) => acquired.push(a),
    },
  };
}

describe("acquireReportingWait", () => {
  it("says nothing of a wait shorter than the notice delay, and reports the lock held", async () => {
    const { waits, acquired, reporter } = recorder();
    await acquireReportingWait(
      fakeConnection(5, async () => "pid 1"),
      { key: ".v", timeoutMs: 1000 },
      reporter,
      undefined,
      200,
    );
    expect(waits).toEqual([]);
    expect(acquired).toHaveLength(1);
    expect(acquired[0]?.key).toBe(".v");
  });

  it("names the holder after the notice delay, then reports the wait time", async () => {
    const { waits, acquired, reporter } = recorder();
    await acquireReportingWait(
      fakeConnection(150, async () => 'pid 4242 (application "retort (pid 7)")'),
      { key: ".v", timeoutMs: 1000 },
      reporter,
      undefined,
      30,
    );
    expect(waits).toHaveLength(1);
    expect(waits[0]?.holder).toBe('pid 4242 (application "retort (pid 7)")');
    expect(waits[0]?.waitedMs).toBeGreaterThanOrEqual(25);
    expect(acquired[0]?.waitedMs).toBeGreaterThanOrEqual(140);
  });

  it("reports an unknown holder when the driver cannot tell or the look-up fails", async () => {
    const unknown = recorder();
    await acquireReportingWait(fakeConnection(80), { key: ".v", timeoutMs: 1000 }, unknown.reporter, undefined, 10);
    expect(unknown.waits.map((wait) => wait.holder)).toEqual([undefined]);
    const failing = recorder();
    const lookup = async (): Promise<string | undefined> => {
      throw new Error("permission denied for pg_stat_activity");
    };
    await acquireReportingWait(
      fakeConnection(80, lookup),
      { key: ".v", timeoutMs: 1000 },
      failing.reporter,
      undefined,
      10,
    );
    expect(failing.waits.map((wait) => wait.holder)).toEqual([undefined]);
  });

  it("does not report waiting once the lock is held, even when the look-up ends later", async () => {
    const { waits, acquired, reporter } = recorder();
    const slowLookup = () => new Promise<string | undefined>((resolve) => setTimeout(() => resolve("pid 9"), 100));
    await acquireReportingWait(fakeConnection(40, slowLookup), { key: ".v", timeoutMs: 1000 }, reporter, undefined, 10);
    expect(acquired).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});
