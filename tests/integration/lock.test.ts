import { existsSync, writeFileSync } from "node:fs";
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
      // The same version table as the default config's, its schema written out.
      project.write(
        "public-schema.json",
        JSON.stringify({
          scriptLocation: "migrations",
          url: database.url,
          versionTableSchema: "public",
          lock: { timeoutMs: 1000 },
        }),
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
        // ensure-version changes the database too: it waits for the same lock.
        const ensure = await project.runAsync("-c", "short-lock.json", "ensure-version");
        expect(ensure.status).toBe(1);
        expect(ensure.stderr).toMatch(/FAILED: .*(lock|locked)/i);
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

    // PostgreSQL resolves the unqualified version table to public.alembic_version:
    // a run that names that schema uses the same table, so it takes the same lock.
    if (harness.name === "postgresql") {
      it("makes a run with versionTableSchema public wait for one without it on the same table", async () => {
        const reset = await project.runAsync("downgrade", "base");
        expect(reset.status, reset.stderr).toBe(0);
        const marker = path.join(project.dir, `holding-unqualified-${Date.now()}`);
        const holder = project.spawn("-x", `hold=${marker}`, "upgrade", "head");
        const holderExit = new Promise<void>((resolve) => holder.on("exit", () => resolve()));
        try {
          await waitForFile(marker);
          const waiter = await project.runAsync("-c", "public-schema.json", "upgrade", "head");
          expect(waiter.status).toBe(1);
          expect(waiter.stderr).toContain('for "public.alembic_version"): it is held by pid');
          expect(waiter.stderr).toContain(`retort (pid ${holder.pid})`);
        } finally {
          holder.kill("SIGKILL");
          await holderExit;
        }
        expect(await probe.versionRows()).toEqual([]);
      });
    }
  });

  describe(`waiting for the migration lock on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      // With -x gate=<file>, the migration says it runs (<file>.running), then waits for <file>.
      project.addRevision({
        id: "g000",
        down: null,
        upgrade: [
          "  const gate = op.getContext().xArgs.gate;",
          '  await op.execute("CREATE TABLE gated (id INTEGER)");',
          "  if (gate) {",
          '    const fs = await import("node:fs");',
          '    fs.writeFileSync(gate + ".running", "");',
          "    while (!fs.existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 20));",
          "  }",
        ].join("\n"),
        downgrade: '  await op.execute("DROP TABLE gated");',
      });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("says who holds the lock after a second of waiting, then how long it waited", async () => {
      const gate = path.join(project.dir, `gate-${Date.now()}`);
      const holder = project.runAsync("-x", `gate=${gate}`, "upgrade", "head");
      await waitForFile(`${gate}.running`);
      const waiting = project.runAsync("upgrade", "head");
      await sleep(2500);
      writeFileSync(gate, "");
      const [held, waiter] = await Promise.all([holder, waiting]);
      expect(held.status, held.stderr).toBe(0);
      expect(waiter.status, waiter.stderr).toBe(0);
      const lines = waiter.stderr.split("\n");
      expect(lines[0]).toMatch(/^Database: /);
      expect(lines[1]).toMatch(/^Waiting for the migration lock held by .+ \.\.\.$/);
      if (harness.name === "postgresql") expect(lines[1]).toContain('(application "retort (pid ');
      expect(lines[2]).toMatch(/^Acquired the migration lock after \d+\.\d s$/);
      // The holder applied the migration meanwhile: nothing is left to do.
      expect(lines[3]).toBe("Nothing to do: the database is at g000");
    }, 60_000);
  });
}
