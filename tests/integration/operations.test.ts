import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { seedSet } from "./support/migration-sets.js";
import { TestProject } from "./support/test-project.js";

/**
 * SPEC's seed example, typed bulk inserts and a dialect-conditional
 * migration, through the CLI on every dialect.
 */
for (const harness of harnesses) {
  describe(`operations through migrations on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      seedSet.write(project);
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("runs SPEC's user_settings example and its downgrade", async () => {
      project.ok("upgrade", "b000");
      expect(await probe.tableExists("user_settings")).toBe(true);
      await probe.query("INSERT INTO users (id) VALUES (7)");
      await probe.query("INSERT INTO user_settings (id, user_id, created_at) VALUES (1, 7, '2026-01-01 00:00:00')");
      const rows = await probe.query("SELECT language, timezone FROM user_settings");
      expect(rows).toEqual([{ language: "en", timezone: "UTC" }]);
      project.ok("downgrade", "a000");
      expect(await probe.tableExists("user_settings")).toBe(false);
    });

    it("inserts typed values and branches on the dialect", async () => {
      project.ok("upgrade", "head");
      const rows = await probe.query("SELECT id, name FROM flags ORDER BY id");
      expect(rows.map((row) => [Number(row.id), row.name])).toEqual([
        [1, "a"],
        [2, "b"],
        [3, harness.name],
      ]);
      const on = harness.driver.dialect.quoteIdentifier("on");
      const truthy = await probe.query(`SELECT id FROM flags WHERE ${on} = TRUE ORDER BY id`);
      expect(truthy.map((row) => Number(row.id))).toEqual([1]);
      expect(await probe.existingTables(["pg_only", "not_pg"])).toEqual(
        harness.name === "postgresql" ? ["pg_only"] : ["not_pg"],
      );
      project.ok("downgrade", "b000");
      expect(await probe.existingTables(["flags", "pg_only", "not_pg"])).toEqual([]);
    });
  });
}
