import { existsSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/** Waits until `file` exists (the holder's migration wrote it), at most `timeoutMs`. */
async function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${file}`);
    await sleep(50);
  }
}

/**
 * The migration lock: a second run waits, fails after the timeout with an
 * error naming the holder where the database can tell, and a holder killed
 * with SIGKILL does not block the next run.
 */
for (const harness of harnesses) {
  describe(`the migration lock on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      // With -x hold=<file>, the migration signals that it runs (so the lock
      // is held) and then waits until it is killed.
      project.addRevision({
        id: "r000",
        down: null,
        upgrade: [
          "  const hold = op.getContext().xArgs.hold;",
          '  await op.execute("CREATE TABLE held (id INTEGER)");',
          "  if (hold) {",
          '    (await import("node:fs")).writeFileSync(hold, "running");',
          "    await new Promise((resolve) => setTimeout(resolve, 120_000));",
          "  }",
        ].join("\n"),
        downgrade: '  await op.execute("DROP TABLE held");',
      });
      project.write(
        "short-lock.json",
        JSON.stringify({ scriptLocation: "migrations", url: database.url, lock: { timeoutMs: 1000 } }),
      );
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("makes a second run wait, then fail with the holder named; a killed holder frees it", async () => {
      const marker = path.join(project.dir, `holding-${Date.now()}`);
      const holder = project.spawn("-x", `hold=${marker}`, "upgrade", "head");
      const holderExit = new Promise<void>((resolve) => holder.on("exit", () => resolve()));
      try {
        await waitForFile(marker);
        const started = Date.now();
        const waiter = await project.runAsync("-c", "short-lock.json", "upgrade", "head");
        const waited = Date.now() - started;
        expect(waiter.status).toBe(1);
        expect(waiter.stderr).toMatch(/FAILED: .*(lock|locked)/i);
        expect(waited).toBeGreaterThanOrEqual(900);
        if (harness.name === "postgresql") {
          // The holder's session reports the process in application_name.
          expect(waiter.stderr).toContain(`retort (pid ${holder.pid})`);
        }
      } finally {
        holder.kill("SIGKILL");
        await holderExit;
      }
      // Nothing of the killed run stays, and the next run is not blocked.
      expect(await probe.versionRows()).toEqual([]);
      if (!harness.driver.dialect.capabilities.transactionalDdl) {
        // Without transactional DDL the killed run's CREATE TABLE was committed
        // by itself (the version table was not): repair it as a user would.
        expect(await probe.tableExists("held")).toBe(true);
        await probe.use((connection) => connection.execute("DROP TABLE held"));
      }
      const started = Date.now();
      const next = await project.runAsync("upgrade", "head");
      expect(next.status, next.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await probe.versionRows()).toEqual(["r000"]);
      expect(await probe.tableExists("held")).toBe(true);
    });
  });
}
