import type { Connection, LockHandle } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import { Operations } from "../operations/operations.js";
import type { RevisionSource } from "../graph/revision-source.js";
import type { RevisionGraph } from "../graph/revision-graph.js";
import { describeStep, describeStepShort } from "./describe-step.js";
import { HeadMaintainer } from "./head-maintainer.js";
import type { StatementSink } from "../pipeline/statement-sink.js";
import { quoteStatement, MigrationFailedError } from "./migration-error.js";
import type { MigrationStep } from "./migration-plan.js";
import type { MigrationModule } from "./migration-module.js";
import {
  type RunContextFields,
  RunOperationSink,
  type SinkHooks,
  TransactionEndedError,
} from "./run-operation-sink.js";
import { InterruptedError, InterruptSignal, MigrationGuard, signalName, untilAborted } from "./run-interruption.js";
import { stateAfterFailure } from "./run-failure-state.js";
import { acquireReportingWait, reportingLockWait } from "./lock-wait.js";
import type { RunReporter, StepReport } from "./run-reporter.js";
import { ModulePrefetcher } from "./module-prefetcher.js";
import { asError, errorMessage, statementOf } from "./thrown-values.js";
import { assertVersionIdsFit } from "./version-id-width.js";
import { parseXArgs } from "./x-args.js";
import {
  assertConsistentHeads,
  assertKnownRevisions,
  VersionTable,
  type VersionTableOptions,
} from "./version-table.js";

export interface RunResult {
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  readonly steps: readonly StepReport[];
  /** `stamp --purge`: the rows it deleted before planning (online). */
  readonly purgedRows?: number | undefined;
}

export interface RunnerOptions<S extends RevisionSource> {
  /** Where every statement of the run goes: a live connection's sink, or a script's. */
  readonly sink: StatementSink;
  /** Online: the connection behind the sink, for the lock and for cancelling a statement. */
  readonly connection?: Connection;
  /** Offline: the heads the script starts from (`upgrade --sql a:b`); online they are read from the database. */
  readonly startHeads?: readonly string[];
  readonly graph: RevisionGraph<S>;
  readonly versionTable: VersionTableOptions;
  readonly transactionPerMigration: boolean;
  readonly lock: { readonly enabled: boolean; readonly timeoutMs: number; readonly key: string };
  /** Plans the steps from the heads read once the lock is held. */
  readonly plan: (heads: readonly string[]) => MigrationStep[];
  /** True when `plan` gives the same destination whatever the heads (no relative target). */
  readonly replannable: boolean;
  /** `stamp --purge`: delete every row before planning. */
  readonly purge?: boolean;
  readonly loadModule: (source: S) => Promise<MigrationModule>;
  /** Called with the sources of a plan's steps before the first `loadModule` (to compile them in one go). */
  readonly prepareModules?: (sources: readonly S[]) => Promise<void>;
  readonly xArgList: readonly string[];
  readonly tag: string | undefined;
  /** Told what happens as it happens: the lock wait, each step's start and end, long copies, the summary. */
  readonly reporter?: RunReporter;
  /** Receives a dialect's warnings during the run (a batch CAST that changes values). */
  readonly onWarning?: (message: string) => void;
  /** Aborting it (SIGINT/SIGTERM) stops the run before its next statement, cancels the running one, and rolls back. */
  readonly signal?: AbortSignal;
}

/** How long a run may go without letting the event loop see a signal (see `#mayContinue`). */
const SIGNAL_TURN_MS = 20;

/**
 * Runs a plan through the run's statement sink: online it takes the lock,
 * reads the version table only once the lock is held, runs each step and
 * its version-row changes, and commits; offline it writes the same
 * statements to a script, starting from `startHeads`. On failure it rolls back and says which revision
 * failed, with what statement, and where the database was left. A lost
 * lock or an interrupt (`signal`) stops the run before its next statement
 * and before any commit.
 */
export async function runMigrations<S extends RevisionSource>(options: RunnerOptions<S>): Promise<RunResult> {
  const { connection, sink } = options;
  let lock: LockHandle | undefined;
  /** Where the lock is the transaction (SQLite), the first `begin()` waits for it. */
  let firstBegin: ((begin: () => Promise<void>) => Promise<void>) | undefined;
  if (options.lock.enabled && connection !== undefined && !sink.offline) {
    if (sink.dialect.capabilities.lockHeldByTransaction) {
      lock = await connection.acquireLock({ key: options.lock.key, timeoutMs: options.lock.timeoutMs });
      // An interrupt while waiting stops the wait; a transaction begun too late is rolled back.
      const abortable = (begin: () => Promise<void>) => () =>
        untilAborted(begin(), options.signal, () => void sink.rollback().catch(() => undefined));
      firstBegin = (begin) => reportingLockWait(connection, options.lock.key, abortable(begin), options.reporter);
    } else {
      lock = await acquireReportingWait(connection, options.lock, options.reporter, options.signal);
    }
  }
  const run = new MigrationRun(options, lock, firstBegin);
  const onAbort = () => void connection?.cancel?.().catch(() => undefined);
  options.signal?.addEventListener("abort", onAbort);
  try {
    return await run.execute();
  } catch (error) {
    if (sink.inTransaction) {
      try {
        await sink.rollback();
      } catch {
        // The original error says more than a failed rollback.
      }
    }
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await lock?.release();
  }
}

/** Offline there is no lock to check (an offline run takes none); the need is named for completeness. */
const LOCK_CHECK = { what: "Checking the migration lock", instead: "Run the command without --sql." };

/** The state of one run: where the version table stands, and what is committed. */
class MigrationRun<S extends RevisionSource> {
  readonly #options: RunnerOptions<S>;
  readonly #sink: StatementSink;
  readonly #lock: LockHandle | undefined;
  readonly #versionTable: VersionTable;
  /**
   * Without transactional DDL every migration commits on its own (a failure
   * cannot undo earlier DDL anyway), as Alembic does.
   */
  readonly #perMigration: boolean;
  #maintainer: HeadMaintainer;
  #modules: ModulePrefetcher<S> = new ModulePrefetcher<S>([], async () => ({}));
  /** Guards the migrations' own functions (`process.exit`, unhandled rejections) for the whole run. */
  readonly #guard = new MigrationGuard();
  /** The heads the database holds if the open transaction is rolled back. */
  #committedHeads: readonly string[] = [];
  /** Whether anything was committed before the end (per-migration commits, autocommit blocks). */
  #committedMidRun = false;
  /** When the run last let the event loop take a turn (see `#mayContinue`). */
  #lastTurn = performance.now();
  /** The steps run in the open transaction, for the message of a failed commit. */
  #uncommitted: MigrationStep[] = [];
  /** The last uncommitted step's statements: without transactional DDL, some stay applied. */
  #uncommittedSink: RunOperationSink | undefined;
  /** The run's part of every migration's context, made once. */
  #contextFields: RunContextFields | undefined;
  #hooks: SinkHooks | undefined;

  /** Takes the lock with the run's first `begin()`, reporting the wait, where the lock is the transaction. */
  readonly #firstBegin: ((begin: () => Promise<void>) => Promise<void>) | undefined;

  constructor(
    options: RunnerOptions<S>,
    lock: LockHandle | undefined,
    firstBegin?: (begin: () => Promise<void>) => Promise<void>,
  ) {
    this.#options = options;
    this.#firstBegin = firstBegin;
    this.#sink = options.sink;
    this.#lock = lock;
    this.#versionTable = new VersionTable(options.sink, options.versionTable);
    this.#perMigration = options.transactionPerMigration || !options.sink.dialect.capabilities.transactionalDdl;
    // One transaction for the run: the version rows in between are never seen.
    if (!this.#perMigration && !options.sink.offline) this.#versionTable.deferUpdates();
    this.#maintainer = new HeadMaintainer(options.graph, []);
  }

  async execute(): Promise<RunResult> {
    try {
      return await this.#execute();
    } finally {
      this.#guard.close();
    }
  }

  async #execute(): Promise<RunResult> {
    const sink = this.#sink;
    const reports: StepReport[] = [];
    this.#assertMayContinue();
    if (this.#firstBegin) await this.#firstBegin(() => sink.begin());
    else await sink.begin();
    const started = performance.now();
    const purgedRows = this.#options.purge ? await this.#versionTable.purge() : undefined;
    const headsBefore = await this.#readKnownHeads();
    let steps = this.#plan(headsBefore);
    // Before anything runs (the version table is created only below): ids the table cannot hold.
    const scriptCreatesTable = headsBefore.length === 0 && steps.length > 0;
    await assertVersionIdsFit({ ...this.#options, heads: headsBefore, steps, scriptCreatesTable });
    // As Alembic's runs: online, an empty database gets its version table even
    // when there is nothing to do (a stamp that changes nothing); offline, the
    // script creates it when it starts from base.
    if (headsBefore.length === 0) {
      if (!sink.offline) {
        await this.#versionTable.ensure();
        // Without transactional DDL (MySQL) creating the table committed the run's transaction:
        // the first migration's data changes would otherwise commit one by one as they ran.
        if (!sink.inTransaction) await sink.begin();
      } else if (steps.length > 0) await this.#versionTable.create();
    }
    let index = 0;
    while (index < steps.length) {
      const { report, autocommitted } = await this.#runStep(steps[index] as MigrationStep, index, steps.length);
      reports.push(report);
      this.#options.reporter?.migrationFinished?.(report);
      index++;
      // A migration that committed part of itself in an autocommit block is
      // committed with its version row right away: otherwise a later failure
      // would roll back the row but not the block, and a retry would run the
      // block again.
      if (!this.#perMigration && !autocommitted) continue;
      await this.#commit();
      // After the last step there is nothing to begin: a script would end
      // with an empty BEGIN/COMMIT pair that Alembic does not write.
      if (index >= steps.length) break;
      await sink.begin();
      if (!sink.offline && sink.dialect.capabilities.lockHeldByTransaction && index < steps.length) {
        // The lock was released by the commit: another process may have
        // moved the version table meanwhile.
        const heads = await this.#readKnownHeads();
        if (!sameSet(heads, this.#maintainer.heads)) {
          if (!this.#options.replannable) {
            throw new CommandError(
              `The version table changed while migrating (now at ${heads.join(", ") || "base"}); another process is migrating this database. Run the command again.`,
              { code: "CONCURRENT_MIGRATION" },
            );
          }
          steps = this.#plan(heads);
          index = 0;
        }
      }
    }
    await this.#commit();
    const result = { headsBefore, headsAfter: this.#maintainer.heads, steps: reports, purgedRows };
    this.#options.reporter?.runFinished?.({ ...result, durationMs: performance.now() - started });
    return result;
  }

  /**
   * Commits, once the lock is confirmed. A failure here (a lost lock,
   * `SQLITE_BUSY` or a full disk at COMMIT, a deferred constraint) keeps
   * its context: which migrations were being committed, the statement, and
   * where the database was left.
   */
  async #commit(): Promise<void> {
    if (!this.#sink.inTransaction && this.#uncommitted.length === 0) return;
    try {
      await this.#beforeCommit();
      await this.#sink.commit();
    } catch (error) {
      throw this.#commitFailure(error);
    }
    this.#markCommitted(this.#maintainer.heads);
  }

  /** Every commit, the run's and an autocommit block's, first confirms the run may go on. */
  async #beforeCommit(): Promise<void> {
    // Always a turn before a commit: a signal sent during the last statement is seen before it.
    this.#lastTurn = Number.NEGATIVE_INFINITY;
    await this.#mayContinue();
    await this.#versionTable.flush();
    await this.#lock?.verify?.((sql, parameters) => this.#sink.query({ sql, parameters }, LOCK_CHECK));
  }

  /** Plans from `heads` and starts importing the modules the plan needs. */
  #plan(heads: readonly string[]): MigrationStep[] {
    const steps = this.#options.plan(heads);
    this.#maintainer = new HeadMaintainer(this.#options.graph, heads);
    this.#committedHeads = heads;
    this.#modules = new ModulePrefetcher(steps, this.#options.loadModule, this.#options.prepareModules);
    this.#options.reporter?.planned?.(steps);
    return steps;
  }

  #markCommitted(heads: readonly string[]): void {
    this.#committedHeads = heads;
    this.#committedMidRun = true;
    this.#uncommitted = [];
    this.#uncommittedSink = undefined;
  }

  /** The version table's rows, each checked to name a revision of the scripts. */
  async #readKnownHeads(): Promise<string[]> {
    const heads = this.#sink.offline ? [...(this.#options.startHeads ?? [])] : await this.#versionTable.readHeads();
    assertKnownRevisions(this.#options.graph, heads, this.#versionTable.name);
    assertConsistentHeads(this.#options.graph, heads, this.#versionTable.name);
    return heads;
  }

  /**
   * `#assertMayContinue`, after a turn of the event loop when the run has
   * not given it one for `SIGNAL_TURN_MS`: a synchronous driver
   * (better-sqlite3) never yields, so the SIGINT of a user stopping a long
   * statement would wait, unseen, for the run's commit. Between turns it
   * stays synchronous: no promise per statement.
   */
  #mayContinue(): void | Promise<void> {
    if (this.#options.signal !== undefined && performance.now() - this.#lastTurn >= SIGNAL_TURN_MS) {
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.#lastTurn = performance.now();
        this.#assertMayContinue();
      });
    }
    this.#assertMayContinue();
  }

  /** Throws when the run must stop before its next statement: interrupted, or the lock is lost. */
  #assertMayContinue(): void {
    const signal = this.#options.signal;
    if (signal?.aborted) throw new InterruptSignal(signalName(signal));
    this.#lock?.assertHeld?.();
  }

  async #runStep(
    step: MigrationStep,
    index: number,
    total: number,
  ): Promise<{ report: StepReport; autocommitted: boolean }> {
    const description = describeStep(step);
    const reporter = this.#options.reporter;
    const started = performance.now();
    this.#contextFields ??= {
      xArgs: parseXArgs(this.#options.xArgList),
      xArgList: this.#options.xArgList,
      tag: this.#options.tag,
    };
    const sink = new RunOperationSink(this.#sink, this.#contextFields, this.#sinkHooks());
    try {
      this.#assertMayContinue();
      reporter?.migrationStarted?.({ step, description, index, total, blocking: this.#sink.blocking });
      // A script's comment (`-- Running upgrade a -> b`); online there is none.
      if (this.#sink.offline) this.#sink.comment(describeStep(step, { message: false }));
      if (step.kind === "revision") {
        const source = step.revision.source;
        const module = await this.#modules.module(index);
        const fn = module[step.direction];
        if (typeof fn !== "function") {
          throw new CommandError(
            `Migration file ${source.path ?? step.revision.id} does not export a function ${step.direction}(op)`,
            { code: "SCRIPT_MODULE" },
          );
        }
        await this.#guard.run(async () => {
          try {
            await fn(new Operations(sink));
          } finally {
            const settling = sink.finish();
            if (settling !== undefined) await settling;
          }
        });
        if (this.#sink.dialect.capabilities.transactionalDdl && !this.#sink.inTransaction) {
          throw new TransactionEndedError(undefined);
        }
      }
      this.#uncommitted.push(step);
      // Row by row, as Alembic does: the UPDATE keeps the row's place, and
      // each UPDATE and DELETE must match one row (in one transaction, an
      // UPDATE the next step moves on is sent once: see `deferUpdates`).
      for (const change of this.#maintainer.apply(step)) {
        const writing = this.#versionTable.apply(change);
        if (writing !== undefined) await writing;
      }
      // A signal sent while the migration waited (a timer, a statement that ended on the cancel) is
      // delivered by the turn the guard took after its function: the step is interrupted, not
      // finished, and its failure says what stayed applied. (No turn of its own: one per step costs
      // every migration of a run.)
      const signal = this.#options.signal;
      if (signal?.aborted) throw new InterruptSignal(signalName(signal));
    } catch (error) {
      throw this.#stepFailure(step, sink, error);
    }
    this.#uncommittedSink = sink;
    const durationMs = performance.now() - started;
    const report = { step, description, index, total, durationMs, headsAfter: this.#maintainer.heads };
    return { report, autocommitted: sink.autocommitted };
  }

  /**
   * What each step's sink asks of the run, made once per run. An
   * autocommit block commits before its step's row is written: the heads
   * it committed are those before the step, which the maintainer holds
   * until the step is done.
   */
  #sinkHooks(): SinkHooks {
    if (this.#hooks !== undefined) return this.#hooks;
    const reporter = this.#options.reporter;
    this.#hooks = {
      beforeStatement: () => this.#mayContinue(),
      beforeCommit: () => this.#beforeCommit(),
      afterCommit: () => this.#markCommitted(this.#maintainer.heads),
      ...(this.#lock !== undefined && this.#options.connection?.keepLockAcrossCommit !== undefined
        ? { keepLockAcrossCommit: () => this.#options.connection?.keepLockAcrossCommit?.() ?? (() => undefined) }
        : {}),
      ...(reporter?.copyProgress ? { onProgress: (progress) => reporter.copyProgress?.(progress) } : {}),
      ...(this.#options.onWarning ? { onWarning: this.#options.onWarning } : {}),
    };
    return this.#hooks;
  }

  /** The error a failed step ends the run with. */
  #stepFailure(step: MigrationStep, sink: RunOperationSink, thrown: unknown): unknown {
    const error = asError(thrown);
    const signal = this.#options.signal;
    if (error instanceof InterruptSignal || signal?.aborted) {
      const name = signal ? signalName(signal) : (error as InterruptSignal).signal;
      // The statement the interrupt stopped (cancelled on the server), when one was running.
      const stopped =
        sink.failedStatement === undefined ? "" : `\n  stopped: ${quoteStatement(sink.failedStatement, "    ")}`;
      return new InterruptedError(
        name,
        `interrupted by ${name} during ${describeStepShort(step)}. ${this.#stateAfterFailure(sink, step)}${stopped}`,
      );
    }
    if (step.kind !== "revision") return error;
    const ended = error instanceof TransactionEndedError;
    return new MigrationFailedError({
      revision: step.revision.id,
      direction: step.direction === "upgrade" ? "Upgrade" : "Downgrade",
      path: step.revision.source.path,
      statement: sink.failedStatement ?? statementOf(error),
      reason: ended ? "it ended the run's transaction itself (COMMIT or ROLLBACK)" : errorMessage(error),
      state: ended ? this.#stateAfterTransactionEnded(step) : this.#stateAfterFailure(sink, step),
      headsAfter: this.#committedHeads,
      cause: error,
      callSite: sink.failedCallSite,
    });
  }

  /** The error a failed commit ends the run with. */
  #commitFailure(error: unknown): unknown {
    const signal = this.#options.signal;
    const steps = this.#uncommitted;
    const heads = this.#committedHeads.join(", ") || "base (empty)";
    const last = steps[steps.length - 1];
    // The rollback leaves what the last step committed: its DDL without transactional DDL, its autocommit block's.
    const lastSink = this.#uncommittedSink;
    const kept =
      !this.#sink.dialect.capabilities.transactionalDdl || (lastSink?.committedCount ?? 0) > 0 ? lastSink : undefined;
    const rolledBack =
      kept !== undefined
        ? this.#stateAfterFailure(kept, last)
        : this.#committedMidRun
          ? `Rolled back to the last commit: the version table is at ${heads}.`
          : "The whole run was rolled back: schema and version table are as they were before this command.";
    if (error instanceof InterruptSignal || signal?.aborted) {
      const name = signal ? signalName(signal) : (error as InterruptSignal).signal;
      const of = last === undefined ? "" : ` of ${describeStepShort(last)}`;
      return new InterruptedError(name, `interrupted by ${name} before the commit${of}. ${rolledBack}`);
    }
    const what =
      last === undefined
        ? "the version table update"
        : `${steps.length === 1 ? "" : `${steps.length} migrations, the last `}${describeStepShort(last)}`;
    const statement = statementOf(error);
    const lines = [`Commit of ${what} failed: ${errorMessage(error)}`];
    if (statement !== undefined) lines.push(`  statement: ${quoteStatement(statement, "    ")}`);
    lines.push(`  ${rolledBack}`);
    return new CommandError(lines.join("\n"), { code: "COMMIT_FAILED", cause: error });
  }

  /** Says what a rollback leaves, for the message of a failed migration. */
  #stateAfterFailure(
    sink: Pick<RunOperationSink, "executed" | "committedCount" | "failureCommitted">,
    step: MigrationStep | undefined,
  ): string {
    return stateAfterFailure({
      offline: this.#sink.offline,
      transactionalDdl: this.#sink.dialect.capabilities.transactionalDdl,
      committedMidRun: this.#committedMidRun,
      heads: this.#committedHeads,
      stampTo: stampTarget(step),
      sink,
    });
  }

  /** The truth after a migration committed or rolled back Retort's transaction itself. */
  #stateAfterTransactionEnded(step: MigrationStep): string {
    const heads = this.#committedHeads.join(", ") || "base (empty)";
    const before = this.#uncommitted.map((done) => describeStepShort(done));
    const ran = [...before, `part of ${describeStepShort(step)}`].join(", ");
    return `What ran in the transaction before that point (${ran}) was committed by a COMMIT, or undone by a ROLLBACK; Retort can no longer roll it back. The version table was not updated: it is at ${heads}. Check the schema, then record the revision it matches with 'retort stamp <revision>'. Run statements that must be outside a transaction in op.getContext().autocommitBlock().`;
  }
}

/** The revisions a finished-by-hand step is recorded at: an upgrade's own, a downgrade's parents (`base` at a root). */
function stampTarget(step: MigrationStep | undefined): readonly string[] | undefined {
  if (step?.kind !== "revision") return undefined;
  if (step.direction === "upgrade") return [step.revision.id];
  const parents = step.revision.links.normalizedDown.map((parent) => parent.id);
  return parents.length === 0 ? ["base"] : parents;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((item) => set.has(item));
}
