import { constants, PerformanceObserver } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { favourMemoryOnLongRuns, LONG_RUN_STEPS } from "../src/memory-policy.js";

/** Forced full collections (a `gc()` call; V8's own collections are never forced) seen while `fn` runs. */
async function forcedCollections(fn: () => Promise<void> | undefined): Promise<number> {
  let forced = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = entry.detail as { kind: number; flags: number };
      if (
        detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR &&
        detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED
      )
        forced++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  try {
    await fn();
    // GC entries are delivered asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    observer.disconnect();
  }
  return forced;
}

describe("favourMemoryOnLongRuns", () => {
  it("leaves a run shorter than LONG_RUN_STEPS to V8's default policy", async () => {
    expect(await forcedCollections(() => favourMemoryOnLongRuns(LONG_RUN_STEPS - 1))).toBe(0);
  });

  it("on a long run collects once under the new policy, without exposing gc, and only once per process", async () => {
    const first = favourMemoryOnLongRuns(LONG_RUN_STEPS);
    expect(first).toBeInstanceOf(Promise);
    expect(await forcedCollections(() => first)).toBe(1);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(await forcedCollections(() => favourMemoryOnLongRuns(LONG_RUN_STEPS * 5))).toBe(0);
  });
});
