import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * A revision id longer than `version_num VARCHAR(32)` used to run every
 * migration and then fail on PostgreSQL when its row was written
 * (`value too long for type character varying(32)`). It is refused when the
 * files are read, before anything runs, on every dialect.
 */
for (const harness of harnesses) {
  describe(`a revision id longer than 32 characters on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;
    const longId = `b000_${"x".repeat(28)}`;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("is refused before any migration runs, naming the file and the way out", async () => {
      project.addRevision({ id: "a000", down: null });
      const file = project.addRevision({ id: longId, down: "a000" });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `FAILED: Revision identifier '${longId}' in ${file} is 33 characters long, but the version table's version_num column holds at most 32`,
      );
      expect(result.stderr).not.toContain("value too long");
      expect(await probe.existingTables(["alembic_version", "t_a000", `t_${longId}`])).toEqual([]);
    });

    it("revision --rev-id refuses it; 32 characters fit in the version table", async () => {
      const refused = project.run("revision", "-m", "x", "--rev-id", "c".repeat(33), "--head", "a000");
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("is 33 characters long");
      project.cleanup();

      project = new TestProject({ url: database.url });
      project.addRevision({ id: "a000", down: null });
      const fits = "c".repeat(32);
      project.ok("revision", "-m", "fits", "--rev-id", fits);
      project.ok("upgrade", "head");
      expect(await probe.versionRows()).toEqual([fits]);
    });
  });
}
