import type { Operations } from "../operations/operations.js";

/** What a migration file exports at run time. */
export interface MigrationModule {
  upgrade?: (op: Operations) => Promise<void> | void;
  downgrade?: (op: Operations) => Promise<void> | void;
}
