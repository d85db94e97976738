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
  });
}

/**
 * A migration whose autocommitBlock commits in the middle (on SQLite that
 * commit releases the write transaction, which is the lock): still applied
 * exactly once when several processes upgrade at once, and every process
 * exits 0.
 */
for (const harness of harnesses) {
  describe(`processes upgrading at once through an autocommitBlock on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      const placeholder = harness.driver.dialect.placeholder(1);
      const log = (step: string) => `await op.execute("INSERT INTO steps VALUES (${placeholder})", ["${step}"]);`;
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: '  await op.execute("CREATE TABLE steps (step VARCHAR(20) NOT NULL)");',
        downgrade: '  await op.execute("DROP TABLE steps");',
      });
      project.addRevision({
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
        downgrade: '  await op.execute("DELETE FROM steps");',
      });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("runs the migration once, its block included", async () => {
      const runs = await Promise.all(Array.from({ length: 3 }, () => project.runAsync("upgrade", "head")));
      for (const run of runs) expect(run.status, run.stderr).toBe(0);
      const steps = (await probe.query("SELECT step FROM steps ORDER BY step")).map((row) => row.step);
      expect(steps).toEqual(["after", "before", "block"]);
      expect(await probe.versionRows()).toEqual(["b2"]);
    });
  });
}
