import type { RevisionSource } from "../graph/revision-source.js";
import type { MigrationModule } from "./migration-module.js";
import type { MigrationStep } from "./migration-plan.js";

/** How many migration modules are imported ahead of the step that runs. */
const PREFETCH_WINDOW = 32;
/**
 * How many modules are prepared (compiled) together: a small first batch,
 * so the run starts soon, then each batch twice the size of the one before
 * (up to `PREPARE_BATCH`), compiled while the previous one runs. A fresh
 * deploy of 1,000 migrations waits for about 20 files' compile instead of
 * 40 and then 200 (the compile of a batch takes longer than running one
 * of half its size only at the start).
 */
const FIRST_PREPARE_BATCH = 20;
const PREPARE_BATCH = 200;

/**
 * Imports the modules of a plan ahead of the step that runs, a bounded
 * window at a time: imports overlap (TypeScript is transformed off the main
 * thread) while the database work stays strictly in order, and memory stays
 * flat on long plans. A module that fails to load fails at its own step.
 */
export class ModulePrefetcher<S extends RevisionSource> {
  readonly #steps: readonly MigrationStep[];
  readonly #load: (source: S) => Promise<MigrationModule>;
  readonly #loading = new Map<number, Promise<MigrationModule>>();
  #next = 0;
  /** Where the imports started on the next turn of the event loop end (excluded). */
  #aheadTo = 0;
  #aheadScheduled = false;
  /** Per step index, the preparation of the batch holding it. */
  readonly #prepared = new Map<number, Promise<void>>();
  /** How many batches are not prepared yet. */
  #unprepared = 0;

  /**
   * `prepare`, when given, is called with the sources of the plan's steps
   * in batches (`FIRST_PREPARE_BATCH`, doubling up to `PREPARE_BATCH`), one after the other from the start (the
   * loader compiles each batch in one go): the first steps wait for the
   * first batch only, and the rest compiles while they run. Its failure is
   * ignored, each module then failing at its own step.
   */
  constructor(
    steps: readonly MigrationStep[],
    load: (source: S) => Promise<MigrationModule>,
    prepare?: (sources: readonly S[]) => Promise<void>,
  ) {
    this.#steps = steps;
    this.#load = load;
    if (prepare === undefined) return;
    // The batches' preparations, in order. The first two start together:
    // while the first compiles the run waits, so a core is free for the
    // second, which is then ready when the first batch's steps have run
    // (they take less time than its compile). Each later one starts when
    // the one before it is done: two compiling beside the running steps
    // would share one core, and the next batch needed would be late.
    let previous: Promise<void> = Promise.resolve();
    let batches = 0;
    let batch: { index: number; source: S }[] = [];
    let size = FIRST_PREPARE_BATCH;
    const flush = () => {
      const sources = batch.map((item) => item.source);
      const after = batches < 2 ? Promise.resolve() : previous;
      const ready = after
        .then(() => prepare(sources))
        .catch(() => undefined)
        .then(() => {
          this.#unprepared--;
        });
      this.#unprepared++;
      for (const item of batch) this.#prepared.set(item.index, ready);
      previous = ready;
      batches++;
      batch = [];
      size = Math.min(PREPARE_BATCH, size * 2);
    };
    steps.forEach((step, index) => {
      if (step.kind !== "revision") return;
      batch.push({ index, source: step.revision.source as S });
      if (batch.length === size) flush();
    });
    if (batch.length > 0) flush();
  }

  /**
   * The module of step `index`. The imports of the steps after it start on
   * the next turn of the event loop: by then the step has usually sent its
   * first statement, so they are not in the way of that statement (on a
   * server, they run while it works).
   */
  module(index: number): Promise<MigrationModule> {
    this.#start(index, index + 1);
    this.#aheadTo = Math.max(this.#aheadTo, Math.min(this.#steps.length, index + PREFETCH_WINDOW));
    if (!this.#aheadScheduled) {
      this.#aheadScheduled = true;
      setImmediate(() => {
        this.#aheadScheduled = false;
        this.#start(this.#next, this.#aheadTo);
      });
    }
    const loading = this.#loading.get(index);
    this.#loading.delete(index);
    if (!loading) throw new Error(`step ${index} has no module to load`);
    // While batches compile, each step goes through the event loop once
    // first. The compiler's answers and the cache's writes are I/O, which a
    // run of synchronous statements (SQLite's) would otherwise leave
    // unread until it had to wait for the next batch, and then wait for
    // all of that work at once.
    if (this.#unprepared > 0) return new Promise<void>((resolve) => setImmediate(resolve)).then(() => loading);
    return loading;
  }

  /** Starts the imports of the steps from `from` (or the first not started) up to `end`, excluded. */
  #start(from: number, end: number): void {
    for (this.#next = Math.max(this.#next, from); this.#next < end; this.#next++) {
      const step = this.#steps[this.#next];
      if (step?.kind !== "revision") continue;
      const source = step.revision.source as S;
      const prepared = this.#prepared.get(this.#next);
      this.#prepared.delete(this.#next);
      const loading = prepared ? prepared.then(() => this.#load(source)) : this.#load(source);
      loading.catch(() => undefined);
      this.#loading.set(this.#next, loading);
    }
  }
}
