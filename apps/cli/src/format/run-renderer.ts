import { describeStep } from "@retort/core/commands";
import type {
  CopyProgress,
  DatabaseChosen,
  LockAcquired,
  LockWaiting,
  MigrationStarted,
  MigrationStep,
  RunReporter,
  RunSummary,
  StepReport,
} from "@retort/core";
import type { Palette } from "../style.js";

/** Where the renderer writes: stderr, or a fake stream in tests. */
export interface RenderStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface RunRendererOptions {
  readonly stream: RenderStream;
  readonly paint: Palette;
  /** `-q`: nothing informational is written; warnings still are. */
  readonly quiet: boolean;
  /** The clock, in milliseconds (tests give their own). */
  readonly now?: () => number;
  /**
   * Streams a migration may write to itself (`console.log`, a library's
   * warnings): on a terminal, the first such write ends the open start line,
   * so it does not land on it. The CLI passes stdout and stderr. Asked for
   * when a migration starts, not before (Node makes its streams on first use).
   */
  readonly sharedStreams?: () => readonly WritableStreamLike[];
  /** Told how many steps a run has planned, before the first one starts. */
  readonly onPlanned?: (steps: number) => void;
}

/** A stream whose `write` can be watched (a `process.stdout`, or a fake one in tests). */
export interface WritableStreamLike {
  write: (...args: never[]) => unknown;
}

/** Off a terminal, a long copy writes a progress line at most this often. */
export const LOG_PROGRESS_INTERVAL_MS = 10_000;

/**
 * Renders a run's events on stderr as they happen.
 *
 * Off a terminal (CI logs, pipes) every event is one line and no control
 * character is written: `Running upgrade a -> b, msg` when a migration
 * starts (Alembic's text), `Finished upgrade a -> b in 3.4 s` when it ends.
 * Writing a line to a pipe costs a system call that can take longer than a
 * quick migration's own work, so lines are held for the next turn of the
 * event loop: where statements are sent to a server (`blocking: false`),
 * that is while the migration's first statement runs. Where they run on
 * this thread (SQLite), the `Running` line is written at once, since the
 * next turn comes only when the migration is done. A write of the
 * migration's own to stdout or stderr first writes what is held, so the
 * order of lines is kept.
 *
 * On a terminal the start line stays open (`Running upgrade a -> b, msg
 * ...`) and is completed with ` done (3.4 s)` when the migration ends;
 * with several migrations each line counts them (`[3/12]`). Whatever must
 * be written meanwhile (a warning, a copy's progress) first ends the open
 * line, and the end is then written as a line of its own. A long copy's
 * progress is rewritten in place (`\r`) on a terminal; off it, a line at
 * most every `LOG_PROGRESS_INTERVAL_MS`, and the last one when the copy
 * ends if any was written, so a CI log shows a long rebuild advancing.
 */
export class RunRenderer implements RunReporter {
  readonly #stream: RenderStream;
  readonly #paint: Palette;
  readonly #quiet: boolean;
  readonly #tty: boolean;
  /** The start line left open on a terminal, waiting for its duration. */
  #open: string | undefined;
  /** A copy progress line being rewritten in place. */
  #progressOpen = false;
  #waitingShown = false;
  readonly #now: () => number;
  /** Off a terminal: when the last progress line was written (or the migration started), and whether one was. */
  #progressLoggedAt = 0;
  #progressLogged = false;
  readonly copyProgress: ((progress: CopyProgress) => void) | undefined;
  readonly #sharedStreams: (() => readonly WritableStreamLike[]) | undefined;
  #shared: readonly WritableStreamLike[] | undefined;
  readonly #onPlanned: ((steps: number) => void) | undefined;
  /** Whether the shared streams' `write` is ours (while a start line is open or lines are held). */
  #watching = false;
  /** The shared streams' own `write`, kept while they are watched. */
  readonly #originalWrites: WritableStreamLike["write"][] = [];
  /** What the shared streams' `write` is while watched: made once, for every migration of the run. */
  #watchingWrites: WritableStreamLike["write"][] | undefined;
  /**
   * Off a terminal: lines not written yet (see the class), a `Finished`
   * line as its report (its text is made when it is written, off the
   * migrations' way). They go out with the next line, in one write, or on
   * the next turn of the event loop, whichever comes first; a migration's
   * own write to a shared stream first writes them.
   */
  #held: (string | StepReport)[] = [];
  #heldFlushScheduled = false;

  constructor(options: RunRendererOptions) {
    this.#stream = options.stream;
    this.#paint = options.paint;
    this.#quiet = options.quiet;
    this.#tty = options.stream.isTTY === true;
    this.#now = options.now ?? (() => performance.now());
    this.#sharedStreams = options.sharedStreams;
    this.#onPlanned = options.onPlanned;
    // Asking for copy progress makes long copies run in chunks: not with -q, where nothing shows it.
    this.copyProgress = this.#quiet
      ? undefined
      : (progress) => (this.#tty ? this.#copyProgress(progress) : this.#logCopyProgress(progress));
  }

  planned(steps: readonly MigrationStep[]): void {
    this.#onPlanned?.(steps.length);
  }

  databaseChosen(database: DatabaseChosen): void {
    this.#line(`Database: ${describeDatabase(database)}`);
  }

  lockWaiting(wait: LockWaiting): void {
    this.#waitingShown = true;
    this.#line(`Waiting for the migration lock held by ${wait.holder ?? "another session"} ...`);
  }

  lockAcquired(lock: LockAcquired): void {
    if (!this.#waitingShown) return;
    this.#waitingShown = false;
    this.#line(`Acquired the migration lock after ${formatDuration(lock.waitedMs)}`);
  }

  migrationStarted(start: MigrationStarted): void {
    if (this.#quiet) return;
    this.#progressLoggedAt = this.#now();
    this.#progressLogged = false;
    const text = this.#startText(start);
    if (!this.#tty) {
      if (start.blocking !== false) {
        this.#line(text);
        return;
      }
      this.#hold(`${text}\n`);
      this.#watchSharedStreams();
      return;
    }
    this.#endOpenLines();
    this.#stream.write(`${text} ...`);
    this.#open = text;
    this.#watchSharedStreams();
  }

  /**
   * Until the open line is ended (on a terminal) or the held lines are
   * written (off it), a write of the migration's own to a shared stream
   * first ends it or writes them; an open line's end is then written in full.
   */
  #watchSharedStreams(): void {
    this.#shared ??= this.#sharedStreams?.() ?? [];
    const shared = this.#shared;
    if (shared.length === 0 || this.#watching) return;
    this.#watchingWrites ??= shared.map(
      (stream, index) =>
        ((...args: unknown[]) => {
          this.#unwatch();
          this.#endOpenLines();
          return (this.#originalWrites[index] as (...args: unknown[]) => unknown).apply(stream, args);
        }) as WritableStreamLike["write"],
    );
    for (let index = 0; index < shared.length; index++) {
      const stream = shared[index] as WritableStreamLike;
      this.#originalWrites[index] = stream.write;
      stream.write = this.#watchingWrites[index] as WritableStreamLike["write"];
    }
    this.#watching = true;
  }

  /** Puts back the shared streams' own `write`. */
  #unwatch(): void {
    if (!this.#watching) return;
    this.#watching = false;
    const shared = this.#shared ?? [];
    for (let index = 0; index < shared.length; index++) {
      (shared[index] as WritableStreamLike).write = this.#originalWrites[index] as WritableStreamLike["write"];
    }
  }

  migrationFinished(report: StepReport): void {
    if (this.#quiet) return;
    if (!this.#tty) {
      this.#hold(report);
      return;
    }
    const text = this.#startText(report);
    const done = ` done ${this.#paint.dim(`(${formatDuration(report.durationMs)})`)}\n`;
    this.#unwatch();
    if (this.#open === text) {
      this.#stream.write(done);
      this.#open = undefined;
    } else {
      this.#endOpenLines();
      this.#stream.write(`${text} ...${done}`);
    }
  }

  runFinished(summary: RunSummary): void {
    this.#line(summaryLine(summary, this.#paint));
  }

  /** A warning (from the planner or the driver): always written, `-q` or not. */
  warning(message: string): void {
    this.#endOpenLines();
    this.#stream.write(`${this.#paint.warning("WARNING:")} ${message}\n`);
  }

  /** A line that `-q` does not silence (an interrupt being handled). */
  notice(text: string): void {
    this.#endOpenLines();
    this.#stream.write(`${text}\n`);
  }

  /** The run failed or was interrupted: ends an open line, so that `FAILED:` starts a line of its own. */
  abandon(): void {
    this.#flushHeld();
    this.#unwatch();
    if (this.#open !== undefined) this.#stream.write(` ${this.#paint.failure("failed")}\n`);
    else if (this.#progressOpen) this.#stream.write("\n");
    this.#open = undefined;
    this.#progressOpen = false;
  }

  #copyProgress(progress: CopyProgress): void {
    this.#unwatch();
    if (this.#open !== undefined) this.#stream.write("\n");
    // The start line is no longer the last one: its end is written in full.
    this.#open = undefined;
    const finished = progress.copied >= progress.total;
    this.#stream.write(`\r\u001b[2K${copyLine(progress)}${finished ? "\n" : ""}`);
    this.#progressOpen = !finished;
  }

  #logCopyProgress(progress: CopyProgress): void {
    const now = this.#now();
    const finished = progress.copied >= progress.total;
    if (finished ? !this.#progressLogged : now - this.#progressLoggedAt < LOG_PROGRESS_INTERVAL_MS) return;
    this.#line(copyLine(progress));
    this.#progressLoggedAt = now;
    this.#progressLogged = !finished;
  }

  #startText(start: MigrationStarted): string {
    const counter = this.#tty && start.total > 1 ? `${this.#paint.dim(`[${start.index + 1}/${start.total}]`)} ` : "";
    // Without colours the runner's own description is the line (Alembic's text).
    if (counter === "" && !this.#paint.enabled && typeof start.description === "string") return start.description;
    return `${counter}${describeStep(start.step, { formatId: this.#revisionFormat() })}`;
  }

  /** How revision ids are dressed: not at all without colours. */
  #revisionFormat(): ((id: string) => string) | undefined {
    return this.#paint.enabled ? this.#paint.revision : undefined;
  }

  #line(text: string): void {
    if (this.#quiet) return;
    const held = this.#takeHeld();
    this.#endOpenLines();
    this.#stream.write(`${held}${text}\n`);
  }

  /** Keeps a line (`text`, whole lines, or a finished step's report) for the next write; written on the next turn of the event loop at the latest. */
  #hold(line: string | StepReport): void {
    this.#held.push(line);
    if (this.#heldFlushScheduled) return;
    this.#heldFlushScheduled = true;
    setImmediate(() => {
      this.#heldFlushScheduled = false;
      this.#flushHeld();
    });
  }

  #flushHeld(): void {
    if (this.#held.length === 0) return;
    const held = this.#takeHeld();
    // Off a terminal the shared streams are watched only while lines are held.
    if (!this.#tty) this.#unwatch();
    this.#stream.write(held);
  }

  /** The held lines' text; none are held after. */
  #takeHeld(): string {
    if (this.#held.length === 0) return "";
    let text = "";
    for (const line of this.#held) text += typeof line === "string" ? line : this.#finishedLine(line);
    this.#held.length = 0;
    return text;
  }

  /** `Finished upgrade a -> b in 3 ms`, a line, off a terminal. */
  #finishedLine(report: StepReport): string {
    const what = describeStep(report.step, { message: false, formatId: this.#revisionFormat() });
    // `Running upgrade a -> b` → `Finished upgrade a -> b in 3 ms`.
    return `Finished${what.slice("Running".length)} in ${formatDuration(report.durationMs)}\n`;
  }

  /** Ends the open start line or progress line: what comes next starts a line of its own. */
  #endOpenLines(): void {
    this.#flushHeld();
    this.#unwatch();
    if (this.#open !== undefined || this.#progressOpen) this.#stream.write("\n");
    this.#open = undefined;
    this.#progressOpen = false;
  }
}

/** `Copying "events": 1,200,000 / 2,000,000 rows (60%)`. */
function copyLine({ table, copied, total }: CopyProgress): string {
  const percent = total === 0 ? 100 : Math.floor((copied / total) * 100);
  return `Copying "${table}": ${copied.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} rows (${percent}%)`;
}

/** `postgresql "app" on db.example.com:5432 (postgresql://app:***@db.example.com:5432/app)`. */
export function describeDatabase(database: DatabaseChosen): string {
  const name =
    database.database !== undefined ? ` "${database.database}"` : database.host === undefined ? " in memory" : "";
  const host =
    database.host === undefined ? "" : ` on ${database.host}${database.port === undefined ? "" : `:${database.port}`}`;
  return `${database.dialect}${name}${host} (${database.url})`;
}

/**
 * `Applied 12 migrations in 3.4 s`, `Reverted 2 migrations in 80 ms`,
 * `Stamped e000 in 3 ms`, or, when the plan was empty,
 * `Nothing to do: the database is at e000` (`Purged 2 version rows: the
 * database is at base` after `stamp --purge base` deleted rows).
 */
export function summaryLine(summary: RunSummary, paint: Palette): string {
  const heads = summary.headsAfter.length === 0 ? "base" : summary.headsAfter.map(paint.revision).join(", ");
  if (summary.steps.length === 0) {
    const purged = summary.purgedRows ?? 0;
    if (purged > 0) return `Purged ${purged} version row${purged === 1 ? "" : "s"}: the database is at ${heads}`;
    return `Nothing to do: the database is at ${heads}`;
  }
  const count = (kind: (report: StepReport) => boolean) => summary.steps.filter(kind).length;
  const applied = count((report) => report.step.kind === "revision" && report.step.direction === "upgrade");
  const reverted = count((report) => report.step.kind === "revision" && report.step.direction === "downgrade");
  const parts: string[] = [];
  if (applied > 0) parts.push(`Applied ${migrations(applied)}`);
  if (reverted > 0) parts.push(`${parts.length > 0 ? "reverted" : "Reverted"} ${migrations(reverted)}`);
  if (parts.length === 0) parts.push(`Stamped ${heads}`);
  return `${parts.join(", ")} in ${formatDuration(summary.durationMs)}`;
}

function migrations(count: number): string {
  return `${count} migration${count === 1 ? "" : "s"}`;
}

/** `0.41 ms`, `12 ms`, `3.4 s`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1) return `${milliseconds.toFixed(2)} ms`;
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
