import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * The lifecycle commands through the CLI, on every dialect: after each
 * command the database itself is queried.
 *
 * Graph (file order): a -> b -> c1 [c1branch] -> d1, b -> c2 [c2branch] -> d2,
 * e = merge(d1, d2); lib1 (label lib) is a separate root that d2 dependsOn.
 */
for (const harness of harnesses) {
  describe(`CLI lifecycle on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;
    const all = ["t_a000", "t_b000", "t_c100", "t_d100", "t_c200", "t_d200", "t_e000", "t_lib1"];

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.addRevision({ id: "a000", down: null });
      project.addRevision({ id: "b000", down: "a000" });
      project.addRevision({ id: "c100", down: "b000", labels: ["c1branch"] });
      project.addRevision({ id: "d100", down: "c100" });
      project.addRevision({ id: "c200", down: "b000", labels: ["c2branch"] });
      project.addRevision({ id: "d200", down: "c200", dependsOn: ["lib"] });
      project.addRevision({ id: "e000", down: ["d100", "d200"] });
      project.addRevision({ id: "lib1", down: null, labels: ["lib"] });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("upgrades by relative steps and to a branch head", async () => {
      // Two roots: "+2" from base is ambiguous, as in Alembic.
      expect(project.run("upgrade", "+2").stderr).toContain("FAILED: Ambiguous walk");
      project.ok("upgrade", "a000+1");
      expect(await probe.versionRows()).toEqual(["b000"]);
      // From a branch point: the branches and the way out are named.
      const fork = project.run("upgrade", "+1");
      expect(fork.status).toBe(1);
      expect(fork.stderr).toContain(
        "FAILED: Ambiguous walk: '+1' meets b000, a branch point (c100, c200) and cannot choose which branch to go up. " +
          "Name the revision to go to instead: 'retort upgrade c100' or 'retort upgrade c200', or 'retort upgrade c1branch@+1' or 'retort upgrade c2branch@+1'.",
      );
      // b000 is a branch point: the label picks the branch to walk up.
      project.ok("upgrade", "c1branch@+1");
      expect(await probe.versionRows()).toEqual(["c100"]);
      project.ok("downgrade", "-1");
      expect(await probe.versionRows()).toEqual(["b000"]);
      project.ok("upgrade", "c1branch@d100");
      expect(await probe.versionRows()).toEqual(["d100"]);
      expect(await probe.existingTables(all)).toEqual(["t_a000", "t_b000", "t_c100", "t_d100"]);
    });

    it("follows dependsOn into another root and merges", async () => {
      project.ok("upgrade", "c2branch@head");
      // c2branch@head is the merge e000 (labels propagate to descendants);
      // d200 needs lib1 first, and e000 merges the two branch rows.
      expect(await probe.versionRows()).toEqual(["e000"]);
      expect(await probe.existingTables(all)).toEqual(all);
      expect(project.ok("current").split("\n").filter(Boolean).sort()).toEqual([
        "e000 (head) (mergepoint)",
        "lib1 (effective head)",
      ]);
    });

    it("downgrades through the merge, one branch by label, and back to base", async () => {
      project.ok("downgrade", "d100");
      expect(await probe.versionRows()).toEqual(["d100", "d200"]);
      project.ok("downgrade", "c2branch@b000");
      expect(await probe.versionRows()).toEqual(["d100", "lib1"]);
      expect(await probe.existingTables(["t_c200", "t_d200", "t_lib1"])).toEqual(["t_lib1"]);
      project.ok("downgrade", "c1branch@-1");
      expect(await probe.versionRows()).toEqual(["c100", "lib1"]);
      project.ok("downgrade", "base");
      expect(await probe.versionRows()).toEqual([]);
      expect(await probe.existingTables(all)).toEqual([]);
      expect(await probe.tableExists("alembic_version")).toBe(true);
    });

    it("stamps without running migrations, and purges", async () => {
      project.ok("stamp", "d100", "lib1");
      expect(await probe.versionRows()).toEqual(["d100", "lib1"]);
      expect(await probe.existingTables(all)).toEqual([]);
      project.ok("stamp", "--purge", "a000");
      expect(await probe.versionRows()).toEqual(["a000"]);
      project.ok("stamp", "base");
      expect(await probe.versionRows()).toEqual([]);
    });

    it("upgrades every head at once and reports history with the current marks", async () => {
      project.ok("upgrade", "heads");
      expect(await probe.versionRows()).toEqual(["e000"]);
      const marked = project.ok("history", "-i").split("\n");
      expect(marked[0]).toBe("d100, d200 -> e000 (c1branch, c2branch) (head) (current) (mergepoint), m e000");
    });
  });
}
