import { RetortError } from "../errors/retort-error.js";

/**
 * The run was stopped by a signal (SIGINT, SIGTERM): it rolled back what
 * it could and released the lock. `exitStatus` is the shell's convention
 * for a command ended by that signal (130, 143).
 */
export class InterruptedError extends RetortError {
  readonly signal: string;
  readonly exitStatus: number;

  constructor(signal: string, message: string) {
    super("INTERRUPTED", message);
    this.name = "InterruptedError";
    this.signal = signal;
    this.exitStatus = 128 + (SIGNAL_NUMBERS[signal] ?? 2);
  }
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The signal's name from an `AbortSignal`'s reason (`"SIGINT"`), else `SIGINT`. */
export function signalName(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === "string" && reason.startsWith("SIG") ? reason : "SIGINT";
}

/** What one migration's function left unhandled, while it runs. */
interface Running {
  unhandled?: { reason: unknown };
}

/**
 * Runs migrations' own functions with the process guarded (`run`): a call
 * to `process.exit()` throws instead of ending the process mid-transaction,
 * and a promise the migration rejected without handling is reported as
 * that migration's failure rather than crashing the process with a stack
 * trace. The guard is on only while a function runs (plus one turn of the
 * event loop, which is when Node reports unhandled rejections).
 *
 * One listener for unhandled rejections serves every open guard: it is
 * added when the first guard runs a function and removed when the last one
 * closes, instead of around each migration (that cost about a twentieth of
 * a migration's own time between two statements on PostgreSQL). Between
 * migrations it leaves a rejection to what Node does without it: another
 * listener decides, or, with none, the process fails on it.
 *
 * ```ts
 * const guard = new MigrationGuard();
 * try {
 *   for (const fn of upgrades) await guard.run(() => fn(op));
 * } finally {
 *   guard.close();
 * }
 * ```
 */
export class MigrationGuard {
  static readonly #open = new Set<MigrationGuard>();

  static readonly #onUnhandled = (reason: unknown): void => {
    let recorded = false;
    for (const guard of MigrationGuard.#open) {
      const running = guard.#running;
      if (running === undefined) continue;
      running.unhandled ??= { reason };
      recorded = true;
    }
    if (!recorded && process.listenerCount("unhandledRejection") === 1) {
      throw reason instanceof Error
        ? reason
        : new Error(`A promise was rejected and nothing handled it: ${String(reason)}`);
    }
  };

  #running: Running | undefined;

  /** Runs `fn` (a migration's own function) guarded, and fails as the migration when it left a rejection unhandled. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (!MigrationGuard.#open.has(this)) {
      if (MigrationGuard.#open.size === 0) process.on("unhandledRejection", MigrationGuard.#onUnhandled);
      MigrationGuard.#open.add(this);
    }
    const running: Running = {};
    this.#running = running;
    const exit = process.exit;
    process.exit = ((code?: number | string | null) => {
      throw new RetortError(
        "PROCESS_EXIT",
        `the migration called process.exit(${code ?? ""}); a migration must not end the process (throw an error to fail it)`,
      );
    }) as typeof process.exit;
    try {
      const result = await fn();
      await new Promise((resolve) => setImmediate(resolve));
      if (running.unhandled !== undefined) throw unhandledError(running.unhandled.reason);
      return result;
    } finally {
      process.exit = exit;
      if (this.#running === running) this.#running = undefined;
    }
  }

  /** Ends the guard; the last open one removes the listener. */
  close(): void {
    if (!MigrationGuard.#open.delete(this)) return;
    if (MigrationGuard.#open.size === 0) process.off("unhandledRejection", MigrationGuard.#onUnhandled);
  }
}

function unhandledError(reason: unknown): RetortError {
  const text = reason instanceof Error ? reason.message : String(reason);
  return new RetortError(
    "UNHANDLED_REJECTION",
    `a promise in the migration was rejected and nothing awaited it (a missing 'await'?): ${text}`,
    { cause: reason },
  );
}

/** Thrown inside the run when the signal fired; turned into `InterruptedError` with the run's state. */
export class InterruptSignal extends Error {
  readonly signal: string;

  constructor(signal: string) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}

/**
 * Waits for `promise` unless `signal` fires first. A value that arrives
 * after the abort is handed to `late` (a lock taken too late is released).
 */
export async function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  late: (value: T) => void,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.then(late, () => undefined);
    throw new InterruptedError(
      signalName(signal),
      `interrupted by ${signalName(signal)} before the run started; nothing was changed.`,
    );
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      promise.then(late, () => undefined);
      reject(
        new InterruptedError(
          signalName(signal),
          `interrupted by ${signalName(signal)} while waiting for the migration lock; nothing was changed.`,
        ),
      );
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
