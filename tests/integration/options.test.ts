import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * A typo in an options object fails the migration that makes it, with the
 * key, the call and the closest option, instead of quietly creating a
 * nullable column: the run exits non-zero and nothing of the failing
 * migration is created. Without transactional DDL (MySQL) the migrations
 * before it stay committed.
 */
for (const harness of harnesses) {
  const transactional = harness.driver.dialect.capabilities.transactionalDdl;
  describe(`an unknown option on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeEach(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
    });
    afterEach(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("fails the migration, names the key and the call, and creates nothing", async () => {
      project.addRevision({ id: "a000", down: null });
      project.addRevision({
        id: "b000",
        down: "a000",
        upgrade: `  await op.createTable("accounts", column("id", integer(), { nullabel: false }));`,
      });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      const failure = result.stderr.slice(result.stderr.indexOf("FAILED: "));
      expect(failure).toContain("Upgrade of revision b000");
      expect(failure).toContain("b000_m.ts");
      expect(failure).toContain(
        `Unknown option 'nullabel' in column("id", ...): did you mean 'nullable'? Valid options: nullable, primaryKey,`,
      );
      expect(await probe.versionRows()).toEqual(transactional ? [] : ["a000"]);
      expect(await probe.existingTables(["t_a000", "accounts"])).toEqual(transactional ? [] : ["t_a000"]);
    });

    it("fails a batch block with a misspelt option before it changes the table", async () => {
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: [
          `  await op.createTable("accounts", column("id", integer(), { primaryKey: true }), column("email", integer()));`,
          `  await op.batchAlterTable("accounts", {}, async (batch) => {`,
          `    await batch.alterColumn("email", { nullable: false, existing_type: integer() });`,
          `  });`,
        ].join("\n"),
      });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `Unknown option 'existing_type' in batch.alterColumn("email", ...): did you mean 'existingType'?`,
      );
      expect(await probe.versionRows()).toEqual([]);
      // The block fails before it changes the table; the CREATE TABLE before
      // it is kept where DDL cannot be rolled back, and the message says so.
      if (!transactional) {
        expect(result.stderr).toContain("Statements of this migration that already ran:\n    CREATE TABLE");
      }
      expect(await probe.existingTables(["accounts"])).toEqual(transactional ? [] : ["accounts"]);
    });

    it("accepts the same migration spelt right", async () => {
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: `  await op.createTable("accounts", column("id", integer(), { nullable: false, primaryKey: true }));`,
      });
      project.ok("upgrade", "head");
      expect(await probe.versionRows()).toEqual(["a000"]);
      expect(await probe.existingTables(["accounts"])).toEqual(["accounts"]);
    });
  });
}
