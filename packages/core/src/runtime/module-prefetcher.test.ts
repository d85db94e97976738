import { describe, expect, it } from "vitest";
import type { RevisionSource } from "../graph/revision-source.js";
import type { MigrationStep } from "./migration-plan.js";
import { ModulePrefetcher } from "./module-prefetcher.js";

function steps(count: number): MigrationStep[] {
  return Array.from({ length: count }, (_, index) => {
    const source: RevisionSource = { revision: `r${index}`, downRevision: null, path: `/m/r${index}.ts` };
    return { kind: "revision", direction: "upgrade", revision: { source } } as unknown as MigrationStep;
  });
}

/** Whether `promise` settles before the current turn of the event loop ends (its microtasks only). */
async function settlesWithinMicrotasks(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
  const within = settled;
  await promise;
  return within;
}

describe("ModulePrefetcher", () => {
  it("prepares the plan in batches, the first two together, then in order, and a step waits only for its own batch", async () => {
    const prepared: string[][] = [];
    const releases: (() => void)[] = [];
    const prefetcher = new ModulePrefetcher<RevisionSource>(
      steps(450),
      async (source) => ({ upgrade: () => void source.revision }),
      (sources) => {
        prepared.push(sources.map((source) => source.revision));
        return new Promise<void>((resolve) => releases.push(resolve));
      },
    );
    const first = prefetcher.module(0);
    await Promise.resolve();
    // The first two batches compile together; the first step waits for the first only.
    expect(prepared.map((batch) => batch.length)).toEqual([20, 40]);
    releases[0]?.();
    await expect(first).resolves.toHaveProperty("upgrade");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(prepared).toHaveLength(2);
    // Each later batch starts once the one before it is done, twice its size (up to 200).
    const sizes = [20, 40, 80, 160, 150];
    for (let index = 2; index < sizes.length; index++) {
      releases[index - 1]?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(prepared.map((batch) => batch.length)).toEqual(sizes.slice(0, index + 1));
    }
    releases[sizes.length - 1]?.();
    expect(prepared[1]?.[0]).toBe("r20");
    expect(prepared[4]?.[0]).toBe("r300");
    await expect(prefetcher.module(449)).resolves.toHaveProperty("upgrade");
  });

  it("while batches compile, hands a step its module only after a turn of the event loop", async () => {
    const releases: (() => void)[] = [];
    const prefetcher = new ModulePrefetcher<RevisionSource>(
      steps(30),
      async () => ({}),
      () => new Promise<void>((resolve) => releases.push(resolve)),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(releases).toHaveLength(2);
    releases[0]?.();
    await prefetcher.module(0);
    // The second batch (steps 20-29) is still compiling: step 1's module comes after a turn of the event loop.
    expect(await settlesWithinMicrotasks(prefetcher.module(1))).toBe(false);
    // Once every batch is prepared, a module comes without that turn.
    releases[1]?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await settlesWithinMicrotasks(prefetcher.module(2))).toBe(true);
  });

  it("imports a step's module at once and the next steps' (a window of 32) on the next turn", async () => {
    const loaded: string[] = [];
    const prefetcher = new ModulePrefetcher<RevisionSource>(steps(100), async (source) => {
      loaded.push(source.revision);
      return {};
    });
    const first = prefetcher.module(0);
    expect(loaded).toEqual(["r0"]);
    await expect(first).resolves.toEqual({});
    await new Promise((resolve) => setImmediate(resolve));
    expect(loaded).toHaveLength(32);
    expect(loaded.at(-1)).toBe("r31");
    // Each later step moves the window on by one; a step already started is not imported again.
    await prefetcher.module(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(loaded).toHaveLength(33);
    expect(loaded.at(-1)).toBe("r32");
  });

  it("loads without preparing when the loader has no prepare step", async () => {
    const prefetcher = new ModulePrefetcher<RevisionSource>(steps(3), async () => ({}));
    await expect(prefetcher.module(2)).resolves.toEqual({});
  });
});
