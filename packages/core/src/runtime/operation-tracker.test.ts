import { describe, expect, it } from "vitest";
import type { Operation } from "../operations/operation.js";
import { describeOperation, OperationTracker } from "./operation-tracker.js";

const createIndex = describeOperation({ kind: "execute", sql: "CREATE INDEX ix ON t (a)" } as Operation);
const later = (ms: number, fail?: Error) =>
  new Promise<void>((resolve, reject) => setTimeout(() => (fail ? reject(fail) : resolve()), ms));

describe("OperationTracker", () => {
  it("accepts operations that were awaited, even when one failed and was caught", async () => {
    const tracker = new OperationTracker();
    await tracker.track(createIndex, later(1));
    await tracker.track(createIndex, later(1, new Error("boom"))).catch(() => undefined);
    // Nothing to wait for and nothing to report: no promise to wait on either.
    expect(tracker.settle()).toBeUndefined();
  });

  it("fails naming an operation still running when the migration returned", async () => {
    const tracker = new OperationTracker();
    tracker.track(createIndex, later(5));
    await expect(tracker.settle()).rejects.toThrow(/op\.execute\("CREATE INDEX ix ON t \(a\)"\) was not awaited/);
  });

  it("fails naming an operation that failed with nothing awaiting it, and keeps its error", async () => {
    const tracker = new OperationTracker();
    tracker.track(createIndex, Promise.reject(new Error("no such column: nope")));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(tracker.settle()).rejects.toThrow(/failed: no such column: nope/);
  });

  it("counts Promise.all as awaiting", async () => {
    const tracker = new OperationTracker();
    await Promise.all([tracker.track(createIndex, later(1)), tracker.track(createIndex, later(2))]);
    expect(tracker.settle()).toBeUndefined();
  });

  it("waits for an operation still running and one that failed unobserved, not only the first", async () => {
    const tracker = new OperationTracker();
    await tracker.track(createIndex, later(1));
    tracker.track(createIndex, later(5));
    const settling = tracker.settle();
    expect(settling).toBeInstanceOf(Promise);
    await expect(settling).rejects.toThrow(/was not awaited/);
  });

  it("describes operations by their kind and name", () => {
    expect(describeOperation({ kind: "dropTable", table: "account" } as Operation)).toBe('op.dropTable("account")');
  });
});
