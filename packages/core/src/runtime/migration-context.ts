import type { DialectCapabilities, DialectName } from "../driver/driver.js";

/**
 * What a migration can learn about the run it is part of, through
 * `op.getContext()`.
 */
export interface MigrationContext {
  readonly dialect: {
    /** `"sqlite" | "postgresql" | "mysql"` (or a registered third-party name): a misspelt comparison is a type error. */
    readonly name: DialectName;
    readonly capabilities: DialectCapabilities;
    /** Renders a value as a literal of this dialect (see `op.inlineLiteral`). */
    renderLiteral(value: unknown): string;
    quoteIdentifier(name: string): string;
  };
  /** `-x KEY=VALUE` arguments; a bare `-x KEY` maps to `""`. */
  readonly xArgs: Readonly<Record<string, string>>;
  /** The raw `-x` values, in order. */
  readonly xArgList: readonly string[];
  /** `--tag`, opaque to Retort. */
  readonly tag: string | undefined;
  /** True when producing `--sql` output instead of talking to a database. */
  readonly isOffline: boolean;
  /**
   * Runs `fn` outside the migration's transaction: commits the work so far,
   * runs the statements in autocommit mode, then starts a new transaction.
   * For statements that refuse to run in a transaction
   * (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE ... ADD VALUE`).
   */
  autocommitBlock<T>(fn: () => Promise<T>): Promise<T>;
}
