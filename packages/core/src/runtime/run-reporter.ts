import type { CopyProgress } from "../pipeline/statement-sink.js";
import type { MigrationStep } from "./migration-plan.js";

/** Which database a command works on, told before it connects. */
export interface DatabaseChosen {
  /** The dialect's name, as migrations see it (`op.getContext().dialect.name`). */
  readonly dialect: string;
  /** The URL in force with its password and secret query values masked (`maskUrl`). */
  readonly url: string;
  readonly host?: string;
  readonly port?: number;
  /** The database name, or the file as the URL writes it; undefined for an in-memory database. */
  readonly database?: string;
}

/** The migration lock is taken by another session, and this run waits for it. */
export interface LockWaiting {
  /** What is locked (the version table). */
  readonly key: string;
  /** The session holding the lock as the database describes it; undefined when it cannot tell. */
  readonly holder: string | undefined;
  /** How long the run has waited so far. */
  readonly waitedMs: number;
}

/** The migration lock is held by this run. */
export interface LockAcquired {
  readonly key: string;
  /** How long the run waited for it (about 0 when it was free). */
  readonly waitedMs: number;
}

/** A migration (or a stamp's row move) is about to run. */
export interface MigrationStarted {
  readonly step: MigrationStep;
  /** Alembic's line: `Running upgrade a -> b, message`. */
  readonly description: string;
  /** Its place in the plan, from 0, and the plan's length. */
  readonly index: number;
  readonly total: number;
  /**
   * False when the step's statements are sent to a server and awaited
   * (PostgreSQL, MySQL): the event loop turns as each one runs, so a
   * reporter may write what it prints then, while the database works.
   * True when they run on this thread (SQLite, a script with `--sql`):
   * what is not written at once shows only when the step is done.
   * Undefined reads as true.
   */
  readonly blocking?: boolean;
}

/** A migration that ran, with its duration. */
export interface StepReport extends MigrationStarted {
  readonly durationMs: number;
  /** The version table's heads after it. */
  readonly headsAfter: readonly string[];
}

/** The end of a run that succeeded: everything it did is committed. */
export interface RunSummary {
  readonly steps: readonly StepReport[];
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  /** `stamp --purge`: the rows it deleted before planning (online). */
  readonly purgedRows?: number | undefined;
  /** From the moment the lock was held to the last commit. */
  readonly durationMs: number;
}

/**
 * What a run tells as it happens, for a person watching it: the CLI
 * renders it on stderr, a library user may log it. Every method is
 * optional; each is called in the order things happen. A reporter must
 * not throw.
 *
 * ```ts
 * await upgrade(config, "head", {
 *   reporter: {
 *     migrationStarted: ({ description }) => console.log(description),
 *     migrationFinished: ({ durationMs }) => console.log(`  done in ${Math.round(durationMs)} ms`),
 *     runFinished: ({ steps }) => console.log(`${steps.length} migrations applied`),
 *   },
 * });
 * ```
 */
export interface RunReporter {
  /** Before connecting: the database the command works on. */
  databaseChosen?(database: DatabaseChosen): void;
  /** After about a second of waiting for the migration lock, with who holds it where the database can tell. */
  lockWaiting?(wait: LockWaiting): void;
  /** The lock is held (also when it was free at once, with a wait of about 0). */
  lockAcquired?(lock: LockAcquired): void;
  /** The plan, read once the lock is held (again if the run re-plans). */
  planned?(steps: readonly MigrationStep[]): void;
  /** A step starts: printed before its statements run. */
  migrationStarted?(start: MigrationStarted): void;
  /** A step ended without error, with its duration. */
  migrationFinished?(report: StepReport): void;
  /**
   * A long copy advanced (a SQLite batch rebuild of a big table). Giving
   * this method makes such copies run in chunks so that they can report.
   */
  copyProgress?(progress: CopyProgress): void;
  /** The run committed everything. */
  runFinished?(summary: RunSummary): void;
}
