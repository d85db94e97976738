import { CommandError } from "../errors/retort-error.js";
import type { Operation } from "../operations/operation.js";

/**
 * Watches the operations one migration starts, so that none is left
 * running or failed unseen when its `upgrade()`/`downgrade()` returns (a
 * forgotten `await`). Each operation's promise is handed to the migration
 * as an `ObservedPromise`, which notes when something awaits it (`await`
 * and `Promise.all` call `then`). The migration never sees an unhandled
 * rejection from an operation: Retort reports it instead.
 */
export class OperationTracker {
  readonly #started: Started[] = [];

  /**
   * Watches `work` and returns the promise the migration gets. `description`
   * is the call as the migration wrote it, or a function giving it: it is
   * needed only for a message, so an operation's is built only then.
   */
  track(description: string | (() => string), work: Promise<void>): Promise<void> {
    const entry: Started = { description, settled: false, error: undefined, observed: false, done: work };
    const handed = new ObservedPromise<void>((resolve, reject) => {
      entry.done = work.then(
        () => {
          entry.settled = true;
          resolve();
        },
        (error: unknown) => {
          entry.settled = true;
          entry.error = error;
          reject(error);
        },
      );
    });
    this.#started.push(entry);
    handed.onObserved = () => {
      entry.observed = true;
    };
    // Nothing may surface as an unhandled rejection: `settle()` reports it.
    Promise.prototype.then.call(handed, undefined, () => undefined);
    return handed;
  }

  /**
   * Called when the migration's function returned: waits for every
   * operation it started, then fails naming the first one that was still
   * running when the function returned, or that failed without anything
   * awaiting it. `undefined` when there is nothing to wait for and nothing
   * to report (every operation was awaited, the usual case), so that the
   * caller need not wait for a promise.
   */
  settle(): Promise<void> | undefined {
    const started = this.#started.splice(0);
    for (const entry of started) {
      if (!entry.settled || (entry.error !== undefined && !entry.observed)) return this.#settleAll(started);
    }
    return undefined;
  }

  async #settleAll(started: readonly Started[]): Promise<void> {
    const pending = new Set(started.filter((entry) => !entry.settled));
    // Usually every operation was awaited: then there is nothing to wait for.
    if (pending.size > 0) await Promise.all(started.map((entry) => entry.done));
    const culprits = started.filter((entry) => pending.has(entry) || (entry.error !== undefined && !entry.observed));
    if (culprits.length === 0) return;
    const names = culprits.slice(0, 3).map(describe);
    const more = culprits.length > 3 ? ` and ${culprits.length - 3} more` : "";
    const failed = culprits.find((entry) => entry.error !== undefined);
    const failure =
      failed === undefined
        ? ""
        : ` ${describe(failed)} failed: ${failed.error instanceof Error ? failed.error.message : String(failed.error)}.`;
    throw new CommandError(
      `${names.join(", ")}${more} ${culprits.length === 1 ? "was" : "were"} not awaited: still running or failed when the migration function returned.${failure} Every op.* call returns a promise; write 'await ${names[0]}'.`,
      { code: "OPERATION_NOT_AWAITED", cause: failed?.error },
    );
  }
}

interface Started {
  readonly description: string | (() => string);
  settled: boolean;
  error: unknown;
  observed: boolean;
  done: Promise<void>;
}

function describe(entry: Started): string {
  return typeof entry.description === "string" ? entry.description : entry.description();
}

/** A promise that notes the first time something subscribes to it. */
class ObservedPromise<T> extends Promise<T> {
  // Declared only: a class field would be defined on every instance at construction, before `track` sets it.
  declare onObserved: (() => void) | undefined;

  // `then` is what `await`, `catch`, `finally` and `Promise.all` call.
  // biome-ignore lint/suspicious/noThenProperty: overriding a promise's own `then` to see who awaits it is the point.
  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.onObserved?.();
    return super.then(onFulfilled, onRejected);
  }

  // Promises derived from this one (`then` returns one) are plain promises.
  static override get [Symbol.species]() {
    return Promise;
  }
}

/** `op.createIndex("ix_a")`: the call as the migration wrote it, near enough to find it. */
export function describeOperation(operation: Operation): string {
  const fields = operation as unknown as Record<string, unknown>;
  const nameOf = (value: unknown): string | undefined => {
    if (typeof value === "string") return value;
    if (typeof value === "object" && value !== null && typeof (value as { name?: unknown }).name === "string") {
      return (value as { name: string }).name;
    }
    return undefined;
  };
  if (operation.kind === "execute") {
    const sql = operation.sql.replace(/\s+/g, " ").trim();
    return `op.execute(${JSON.stringify(sql.length > 60 ? `${sql.slice(0, 57)}...` : sql)})`;
  }
  const name = nameOf(fields.name) ?? nameOf(fields.table) ?? nameOf(fields.index);
  return `op.${operation.kind}(${name === undefined ? "" : JSON.stringify(name)})`;
}
