import type { RevisionSource } from "../graph/revision-source.js";
import type { MigrationModule } from "./migration-module.js";
import type { MigrationStep } from "./migration-plan.js";

/** How many migration modules are imported ahead of the step that runs. */
const PREFETCH_WINDOW = 32;

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
  #prepared: Promise<void> | undefined;

  /**
   * `prepare`, when given, is called once with the sources of every step
   * before the first import (the loader compiles them in one go); its
   * failure is ignored, each module then failing at its own step.
   */
  constructor(
    steps: readonly MigrationStep[],
    load: (source: S) => Promise<MigrationModule>,
    prepare?: (sources: readonly S[]) => Promise<void>,
  ) {
    this.#steps = steps;
    this.#load = load;
    if (prepare !== undefined) {
      const sources = steps.flatMap((step) => (step.kind === "revision" ? [step.revision.source as S] : []));
      if (sources.length > 0) this.#prepared = prepare(sources).catch(() => undefined);
    }
  }

  /** The module of step `index`, starting the imports of the steps after it. */
  module(index: number): Promise<MigrationModule> {
    const end = Math.min(this.#steps.length, index + PREFETCH_WINDOW);
    for (this.#next = Math.max(this.#next, index); this.#next < end; this.#next++) {
      const step = this.#steps[this.#next];
      if (step?.kind !== "revision") continue;
      const source = step.revision.source as S;
      const loading = this.#prepared ? this.#prepared.then(() => this.#load(source)) : this.#load(source);
      loading.catch(() => undefined);
      this.#loading.set(this.#next, loading);
    }
    const loading = this.#loading.get(index);
    this.#loading.delete(index);
    if (!loading) throw new Error(`step ${index} has no module to load`);
    return loading;
  }
}
