import { afterEach, describe, expect, it } from "vitest";
import { MigrationGuard } from "./run-interruption.js";

const guards: MigrationGuard[] = [];
function openGuard(): MigrationGuard {
  const guard = new MigrationGuard();
  guards.push(guard);
  return guard;
}
afterEach(() => {
  for (const guard of guards.splice(0)) guard.close();
});

describe("MigrationGuard", () => {
  it("makes process.exit() throw while a migration's function runs, and puts it back after", async () => {
    const exit = process.exit;
    const guard = openGuard();
    await expect(
      guard.run(async () => {
        process.exit(3);
      }),
    ).rejects.toMatchObject({ code: "PROCESS_EXIT", message: expect.stringContaining("process.exit(3)") });
    expect(process.exit).toBe(exit);
  });

  it("fails the migration that left a rejected promise unhandled", async () => {
    const guard = openGuard();
    await expect(
      guard.run(async () => {
        void Promise.reject(new Error("forgotten"));
      }),
    ).rejects.toMatchObject({ code: "UNHANDLED_REJECTION", message: expect.stringContaining("forgotten") });
    // The next migration starts clean.
    await expect(guard.run(async () => "done")).resolves.toBe("done");
  });

  it("adds one listener for all open guards, and the last to close removes it", async () => {
    const before = process.listenerCount("unhandledRejection");
    const first = openGuard();
    const second = openGuard();
    await Promise.all([first.run(async () => undefined), second.run(async () => undefined)]);
    expect(process.listenerCount("unhandledRejection")).toBe(before + 1);
    first.close();
    expect(process.listenerCount("unhandledRejection")).toBe(before + 1);
    second.close();
    expect(process.listenerCount("unhandledRejection")).toBe(before);
  });

  it("between migrations leaves a rejection to the process's other listeners, not to the next migration", async () => {
    const seen: unknown[] = [];
    const other = (reason: unknown) => seen.push(reason);
    process.on("unhandledRejection", other);
    try {
      const guard = openGuard();
      await guard.run(async () => undefined);
      const stray = new Error("between migrations");
      void Promise.reject(stray);
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([stray]);
      await expect(guard.run(async () => "next")).resolves.toBe("next");
    } finally {
      process.off("unhandledRejection", other);
    }
  });
});
