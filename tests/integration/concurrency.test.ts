import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

const processes = 8;
const rounds = 20;
const migrations = 6;

/**
 * Several processes run `retort upgrade head` at once against one database:
 * every migration is applied exactly once and every process exits 0. A
 * migration that ran twice would fail on its CREATE TABLE, and the
 * `applied` log would show it.
 */
for (const harness of harnesses) {
  describe(`${processes} processes upgrading at once on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.addRevision({
        id: "r000",
        down: null,
        upgrade: '  await op.execute("CREATE TABLE applied (revision VARCHAR(10) NOT NULL)");',
        downgrade: '  await op.execute("DROP TABLE applied");',
      });
      for (let index = 1; index <= migrations; index++) {
        const id = `r00${index}`;
        const placeholder = harness.driver.dialect.placeholder(1);
        project.addRevision({
          id,
          down: `r00${index - 1}`,
          upgrade: [
            `  await op.execute("CREATE TABLE t_${id} (id INTEGER)");`,
            `  await op.execute("INSERT INTO applied VALUES (${placeholder})", ["${id}"]);`,
          ].join("\n"),
          downgrade: `  await op.execute("DROP TABLE t_${id}");`,
        });
      }
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    for (const transactionPerMigration of [false, true]) {
      it(`applies each migration exactly once, ${rounds / 2} rounds (transactionPerMigration: ${transactionPerMigration})`, async () => {
        const args = transactionPerMigration ? ["-c", "per-migration.json"] : [];
        project.write(
          "per-migration.json",
          JSON.stringify({ scriptLocation: "migrations", url: database.url, transactionPerMigration: true }),
        );
        for (let round = 0; round < rounds / 2; round++) {
          const runs = await Promise.all(
            Array.from({ length: processes }, () => project.runAsync(...args, "upgrade", "head")),
          );
          for (const run of runs) expect(run.status, run.stderr).toBe(0);
          const applied = (await probe.query("SELECT revision FROM applied ORDER BY revision")).map(
            (row) => row.revision,
          );
          expect(applied).toEqual(Array.from({ length: migrations }, (_, index) => `r00${index + 1}`));
          expect(await probe.versionRows()).toEqual([`r00${migrations}`]);
          project.ok("downgrade", "base");
        }
      });
    }

    // On SQLite that commit ends the write transaction, which is the lock, before the version row is written.
    it("applies a migration whose autocommitBlock commits in the middle exactly once, its block included", async () => {
      const own = await harness.create();
      const blocks = new TestProject({ url: own.url });
      try {
        const log = (step: string) =>
          `await op.execute("INSERT INTO steps VALUES (${harness.driver.dialect.placeholder(1)})", ["${step}"]);`;
        blocks.addRevision({
          id: "a1",
          down: null,
          upgrade: '  await op.execute("CREATE TABLE steps (step VARCHAR(20) NOT NULL)");',
        });
        blocks.addRevision({
          id: "b2",
          down: "a1",
          upgrade: [
            `  ${log("before")}`,
            "  await op.getContext().autocommitBlock(async () => {",
            `    ${log("block")}`,
            "    await new Promise((resolve) => setTimeout(resolve, 700));",
            "  });",
            `  ${log("after")}`,
          ].join("\n"),
        });
        const runs = await Promise.all(Array.from({ length: 3 }, () => blocks.runAsync("upgrade", "head")));
        for (const run of runs) expect(run.status, run.stderr).toBe(0);
        const ownProbe = new DatabaseProbe(harness, own.url, blocks.dir);
        const steps = (await ownProbe.query("SELECT step FROM steps ORDER BY step")).map((row) => row.step);
        expect(steps).toEqual(["after", "before", "block"]);
        expect(await ownProbe.versionRows()).toEqual(["b2"]);
      } finally {
        blocks.cleanup();
        await own.drop();
      }
    });
  });
}
