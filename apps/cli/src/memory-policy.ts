import { createRequire } from "node:module";

/**
 * A run of at least this many steps asks V8 to favour memory over speed.
 * Below it, peak memory is modest (under 100 MB for 1,000 migrations on
 * SQLite) and V8's default heap policy is about 5 % faster.
 */
export const LONG_RUN_STEPS = 2_000;

let applied: Promise<void> | undefined;

/**
 * Called with the length of a run's plan, before its first step (the CLI's
 * own process only: the API leaves the heap policy to its host). V8's
 * default lets the old generation grow to about four times what survived
 * the last full collection, so a 10,000-migration upgrade on SQLite peaked
 * at about 210 MB while holding about 25 MB. On a long run this sets
 * `--optimize-for-size`, which V8 reads at every collection (setting it at
 * run time is what `v8.setFlagsFromString` is for), and collects once, so
 * the limit is computed again under it right away rather than after the
 * heap has grown to the old one: peak about 130 MB, SQLite's own memory
 * included, for no measurable time on such a run.
 *
 * `gc` is taken from a fresh context made while `--expose-gc` is set, and
 * the flag is cleared again: the program's own global never gets a `gc`.
 * Returns the work once started (for tests), `undefined` when nothing is done.
 */
export function favourMemoryOnLongRuns(steps: number): Promise<void> | undefined {
  if (applied !== undefined || steps < LONG_RUN_STEPS) return undefined;
  // Loaded only here: `node:v8` costs a millisecond of start-up.
  applied = Promise.resolve()
    .then(() => {
      const require = createRequire(import.meta.url);
      const v8 = require("node:v8") as typeof import("node:v8");
      const vm = require("node:vm") as typeof import("node:vm");
      v8.setFlagsFromString("--optimize-for-size");
      v8.setFlagsFromString("--expose-gc");
      let collect: () => void;
      try {
        collect = vm.runInNewContext("gc") as () => void;
      } finally {
        v8.setFlagsFromString("--no-expose-gc");
      }
      collect();
    })
    // Only memory is at stake: whatever goes wrong here, the run goes on as it would have.
    .catch(() => undefined);
  return applied;
}
