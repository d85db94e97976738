import { rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tableNames, versionRows } from "./database.js";
import { TestProject } from "../../../tests/integration/support/test-project.js";

let project: TestProject;
afterEach(() => project?.cleanup());

function linear(p: TestProject, ids: string[]): void {
  ids.forEach((id, index) => {
    p.addRevision({ id, down: index === 0 ? null : (ids[index - 1] as string) });
  });
}

describe("upgrade and downgrade on a linear history", () => {
  it("upgrades to head, creating tables and one version row", () => {
    project = new TestProject();
    linear(project, ["aaaa1111", "bbbb2222", "cccc3333"]);
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("Running upgrade  -> aaaa1111, m aaaa1111\n");
    expect(result.stderr).toContain("Running upgrade aaaa1111 -> bbbb2222, m bbbb2222\n");
    expect(result.stderr).toMatch(/Finished upgrade bbbb2222 -> cccc3333 in \d/);
    expect(result.stderr).toMatch(/Applied 3 migrations in \d/);
    expect(versionRows(project.dbPath)).toEqual(["cccc3333"]);
    expect(tableNames(project.dbPath)).toEqual(["alembic_version", "t_aaaa1111", "t_bbbb2222", "t_cccc3333"]);
  });

  it("moves by relative steps and back to base", () => {
    project = new TestProject();
    linear(project, ["aaaa1111", "bbbb2222", "cccc3333", "dddd4444"]);
    project.ok("upgrade", "+2");
    expect(versionRows(project.dbPath)).toEqual(["bbbb2222"]);
    project.ok("upgrade", "bbbb+1");
    expect(versionRows(project.dbPath)).toEqual(["cccc3333"]);
    project.ok("downgrade", "-1");
    expect(versionRows(project.dbPath)).toEqual(["bbbb2222"]);
    expect(tableNames(project.dbPath)).not.toContain("t_cccc3333");
    project.ok("upgrade", "head");
    const down = project.run("downgrade", "base");
    expect(down.status).toBe(0);
    expect(down.stderr).toContain("Running downgrade dddd4444 -> cccc3333");
    expect(down.stderr).toContain("Running downgrade aaaa1111 -> , m aaaa1111");
    expect(versionRows(project.dbPath)).toEqual([]);
    expect(tableNames(project.dbPath)).toEqual(["alembic_version"]);
  });

  it("reports relative overruns with Alembic's messages", () => {
    project = new TestProject();
    linear(project, ["aaaa1111", "bbbb2222"]);
    const up = project.run("upgrade", "+5");
    expect(up.status).toBe(1);
    expect(up.stderr).toContain("FAILED: Relative revision +5 didn't produce 5 migrations");
    project.ok("upgrade", "head");
    const down = project.run("downgrade", "cccc");
    expect(down.status).toBe(1);
    expect(down.stderr).toContain("FAILED: Can't locate revision identified by 'cccc'");
  });

  it("a no-op upgrade changes nothing and prints no step", () => {
    project = new TestProject();
    linear(project, ["aaaa1111"]);
    project.ok("upgrade", "head");
    const again = project.run("upgrade", "head");
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain("Running upgrade");
    expect(versionRows(project.dbPath)).toEqual(["aaaa1111"]);
  });
});

describe("branches, merges and dependencies", () => {
  it("upgrades two branches and a merge, and unmerges on downgrade", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.addRevision({ id: "b000", down: "a000" });
    project.addRevision({ id: "c100", down: "b000", labels: ["c1branch"] });
    project.addRevision({ id: "d100", down: "c100" });
    project.addRevision({ id: "c200", down: "b000", labels: ["c2branch"] });
    project.addRevision({ id: "d200", down: "c200" });
    project.addRevision({ id: "e000", down: ["d100", "d200"] });

    const multiple = project.run("upgrade", "head");
    expect(multiple.status).toBe(0);
    expect(versionRows(project.dbPath)).toEqual(["e000"]);

    project.ok("downgrade", "b000");
    expect(versionRows(project.dbPath)).toEqual(["b000"]);

    project.ok("upgrade", "c1branch@d100");
    expect(versionRows(project.dbPath)).toEqual(["d100"]);
    project.ok("upgrade", "c2branch@+1");
    expect(versionRows(project.dbPath)).toEqual(["c200", "d100"]);
    project.ok("upgrade", "heads");
    expect(versionRows(project.dbPath)).toEqual(["e000"]);
    // As in Alembic, -1 cannot choose a parent of a merge point.
    // Alembic's text first, then the revisions involved and the way out.
    const ambiguous = project.run("downgrade", "-1");
    expect(ambiguous.status).toBe(1);
    expect(ambiguous.stderr).toContain(
      "FAILED: Ambiguous walk: '-1' cannot choose which parent of e000 to go down to: e000 is a merge point of d100, d200. " +
        "Name the revision to go down to instead: 'retort downgrade d100' or 'retort downgrade d200' undoes e000 and keeps the branches it merged. " +
        "After that, 'retort downgrade c1branch@-1' or 'retort downgrade c2branch@-1' steps down one branch.\n",
    );
    expect(versionRows(project.dbPath)).toEqual(["e000"]);
    // The ways out it names work.
    project.ok("downgrade", "d100");
    expect(versionRows(project.dbPath)).toEqual(["d100", "d200"]);
    project.ok("downgrade", "c2branch@-1");
    expect(versionRows(project.dbPath)).toEqual(["c200", "d100"]);
    project.ok("upgrade", "heads");
    project.ok("downgrade", "d200");
    expect(versionRows(project.dbPath)).toEqual(["d100", "d200"]);
    project.ok("downgrade", "c1branch@b000");
    expect(versionRows(project.dbPath)).toEqual(["d200"]);
    // Offline, the commands it names keep --sql and the starting revision.
    const offlineDown = project.run("downgrade", "--sql", "e000:-1");
    expect(offlineDown.stderr).toContain(
      "'retort downgrade --sql e000:d100' or 'retort downgrade --sql e000:d200' undoes e000",
    );
    expect(offlineDown.stderr).toContain("After that, 'retort downgrade --sql e000:c1branch@-1'");
    const offlineUp = project.run("upgrade", "--sql", "b000:+1");
    expect(offlineUp.status).toBe(1);
    expect(offlineUp.stderr).toContain(
      "Name the revision to go to instead: 'retort upgrade --sql b000:c100' or 'retort upgrade --sql b000:c200', or 'retort upgrade --sql b000:c1branch@+1'",
    );
  });

  it("refuses 'head' when there are several heads, with Alembic's text", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.addRevision({ id: "b100", down: "a000" });
    project.addRevision({ id: "b200", down: "a000" });
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      "FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    );
    project.ok("upgrade", "heads");
    expect(versionRows(project.dbPath)).toEqual(["b100", "b200"]);
  });

  it("follows dependsOn across branches and keeps the dependency's row out", () => {
    project = new TestProject();
    project.addRevision({ id: "a001", down: null, labels: ["alib"] });
    project.addRevision({ id: "b001", down: null, labels: ["blib"] });
    project.addRevision({ id: "b002", down: "b001", dependsOn: ["a001"] });
    project.ok("upgrade", "heads");
    expect(versionRows(project.dbPath)).toEqual(["b002"]);
    expect(tableNames(project.dbPath)).toContain("t_a001");
    const current = project.ok("current");
    expect(current.split("\n").filter(Boolean).sort()).toEqual(["a001 (effective head)", "b002 (head)"]);
  });
});

describe("stamp", () => {
  it("stamps without running migrations, and --purge clears unknown rows", () => {
    project = new TestProject();
    linear(project, ["aaaa1111", "bbbb2222"]);
    project.ok("stamp", "head");
    expect(versionRows(project.dbPath)).toEqual(["bbbb2222"]);
    expect(tableNames(project.dbPath)).toEqual(["alembic_version"]);
    project.ok("stamp", "base");
    expect(versionRows(project.dbPath)).toEqual([]);
    project.ok("stamp", "aaaa1111");
    expect(versionRows(project.dbPath)).toEqual(["aaaa1111"]);

    // A revision that no longer exists in the scripts: only --purge gets out.
    project.ok("stamp", "bbbb2222");
    rmSync(path.join(project.dir, "migrations/versions/bbbb2222_m.ts"));
    const stuck = project.run("upgrade", "head");
    expect(stuck.status).toBe(1);
    expect(stuck.stderr).toContain("FAILED: Can't locate revision identified by 'bbbb2222'");
    project.ok("stamp", "--purge", "aaaa1111");
    expect(versionRows(project.dbPath)).toEqual(["aaaa1111"]);
    // Purging to base deletes rows and plans nothing: the summary says what it did.
    const purged = project.run("stamp", "--purge", "base");
    expect(purged.status).toBe(0);
    expect(purged.stderr).toContain("Purged 1 version row: the database is at base");
    expect(versionRows(project.dbPath)).toEqual([]);
    expect(project.run("stamp", "--purge", "base").stderr).toContain("Nothing to do: the database is at base");
  });

  it("keeps unrelated branch rows when stamping several revisions", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.addRevision({ id: "c100", down: "a000" });
    project.addRevision({ id: "d100", down: "c100" });
    project.addRevision({ id: "c200", down: "a000" });
    project.ok("stamp", "c100", "c200");
    expect(versionRows(project.dbPath)).toEqual(["c100", "c200"]);
    project.ok("stamp", "c200", "d100");
    expect(versionRows(project.dbPath)).toEqual(["c200", "d100"]);
  });
});
