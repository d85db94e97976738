import { afterEach, describe, expect, it } from "vitest";
import { tableNames } from "./database.js";
import { TestProject } from "../../../tests/integration/support/test-project.js";

let project: TestProject;
afterEach(() => project?.cleanup());

/** a -> b -> (c1 [c1branch] -> d1), (c2 [c2branch] -> d2), e = merge(d1, d2) */
function mergedProject(): TestProject {
  const p = new TestProject();
  p.addRevision({ id: "a0a0", down: null, message: "a" });
  p.addRevision({ id: "b0b0", down: "a0a0", message: "b" });
  p.addRevision({ id: "c1c1", down: "b0b0", labels: ["c1branch"], message: "c1" });
  p.addRevision({ id: "d1d1", down: "c1c1", message: "d1" });
  p.addRevision({ id: "c2c2", down: "b0b0", labels: ["c2branch"], message: "c2" });
  p.addRevision({ id: "d2d2", down: "c2c2", message: "d2" });
  p.addRevision({ id: "e5e5", down: ["d1d1", "d2d2"], message: "merge" });
  return p;
}

describe("history", () => {
  it("lists revisions newest first in Alembic's format", () => {
    project = mergedProject();
    const lines = project.ok("history").trim().split("\n");
    expect(lines[0]).toBe("d1d1, d2d2 -> e5e5 (c1branch, c2branch) (head) (mergepoint), merge");
    expect(lines).toContain("b0b0 -> c1c1 (c1branch), c1");
    expect(lines).toContain("a0a0 -> b0b0 (branchpoint), b");
    expect(lines.at(-1)).toBe("<base> -> a0a0, a");
    expect(lines).toHaveLength(7);
  });

  it("takes ranges and marks the current revision", () => {
    project = mergedProject();
    project.ok("upgrade", "b0b0");
    expect(project.ok("history", "-r", "a0a0:b0b0").trim().split("\n")).toEqual([
      "a0a0 -> b0b0 (branchpoint), b",
      "<base> -> a0a0, a",
    ]);
    const marked = project.ok("history", "-i").split("\n");
    expect(marked).toContain("a0a0 -> b0b0 (current) (branchpoint), b");
    expect(project.ok("history", "-r", "current:").trim().split("\n")).toHaveLength(6);
    const bad = project.run("history", "-r", "a0a0");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("FAILED: History range requires [start]:[end], [start]:, or :[end]");
  });

  it("prints JSON and a graph", () => {
    project = mergedProject();
    const rows = JSON.parse(project.ok("history", "--json")) as { revision: string; downRevisions: string[] }[];
    expect(rows.map((row) => row.revision)[0]).toBe("e5e5");
    expect(rows[0]?.downRevisions).toEqual(["d1d1", "d2d2"]);
    const graph = project.ok("history", "--graph");
    expect(graph).toContain("*  e5e5");
    expect(graph.split("\n")).toEqual([
      "*  e5e5 (c1branch, c2branch) (head) (mergepoint), merge",
      "| \\",
      "* |  d1d1 (c1branch), d1",
      "* |  c1c1 (c1branch), c1",
      "| *  d2d2 (c2branch), d2",
      "| *  c2c2 (c2branch), c2",
      "| /",
      "*  b0b0 (branchpoint), b",
      "*  a0a0, a",
      "",
    ]);
  });

  it("-v prints Alembic's verbose blocks", () => {
    project = mergedProject();
    const text = project.ok("history", "-v", "-r", "d1d1:e5e5");
    expect(text).toContain(
      "Rev: e5e5 (head) (mergepoint)\nMerges: d1d1, d2d2\nBranch names: c1branch, c2branch\nPath: ",
    );
  });
});

describe("heads, branches, show, current", () => {
  it("heads lists each head with labels", () => {
    project = new TestProject();
    project.addRevision({ id: "a0a0", down: null });
    project.addRevision({ id: "b1b1", down: "a0a0", labels: ["one"] });
    project.addRevision({ id: "b2b2", down: "a0a0" });
    expect(project.ok("heads").trim().split("\n").sort()).toEqual(["b1b1 (one) (head)", "b2b2 (head)"]);
    const json = JSON.parse(project.ok("heads", "--json")) as { revision: string }[];
    expect(json.map((row) => row.revision).sort()).toEqual(["b1b1", "b2b2"]);
  });

  it("heads --resolve-dependencies drops heads consumed by dependsOn", () => {
    project = new TestProject();
    project.addRevision({ id: "a001", down: null });
    project.addRevision({ id: "b001", down: null });
    project.addRevision({ id: "b002", down: "b001", dependsOn: ["a001"] });
    expect(project.ok("heads").trim().split("\n").sort()).toEqual(["a001 (effective head)", "b002 (head)"]);
    expect(project.ok("heads", "--resolve-dependencies").trim()).toBe("b002 (head)");
  });

  it("branches shows each branch point with its children", () => {
    project = mergedProject();
    const text = project.ok("branches");
    expect(text).toContain("b0b0 (branchpoint)\n");
    expect(text).toContain("     -> c1c1 (c1branch)");
    expect(text).toContain("     -> c2c2 (c2branch)");
    const verbose = project.ok("branches", "-v");
    expect(verbose).toContain("Rev: b0b0 (branchpoint)\nParent: a0a0\nBranches into: c1c1, c2c2\nPath: ");
    expect(verbose).toContain("     -> c1c1 (c1branch), c1");
  });

  it("show prints a revision's block; partial ids resolve", () => {
    project = mergedProject();
    const text = project.ok("show", "c1c");
    expect(text).toContain("Rev: c1c1\nParent: b0b0\nBranch names: c1branch\nPath: ");
    const ambiguous = project.run("show", "c");
    expect(ambiguous.status).toBe(1);
    expect(ambiguous.stderr).toContain("FAILED: Can't locate revision identified by 'c'");
  });

  it("current shows the database revision, verbose with a masked URL, and checks heads", () => {
    project = mergedProject();
    expect(project.ok("current").trim()).toBe("");
    // Labels propagate to descendants: c1branch@head is the merge e5e5, so name d1d1.
    project.ok("upgrade", "c1branch@d1d1");
    expect(project.ok("current").trim()).toBe("d1d1");
    const verbose = project.ok("current", "-v");
    expect(verbose).toContain("Current revision(s) for sqlite:///test.db:");
    expect(verbose).toContain("Rev: d1d1\nParent: c1c1");
    const check = project.run("current", "--check-heads");
    expect(check.status).toBe(1);
    expect(check.stderr).toContain(
      "FAILED: Database is not on all head revisions: it is at d1d1; not at e5e5 of the heads e5e5. Run 'retort upgrade heads' to reach them.",
    );
    project.ok("upgrade", "heads");
    expect(project.ok("current", "--check-heads").trim()).toBe("e5e5 (head) (mergepoint)");
    const json = JSON.parse(project.ok("current", "--json")) as { databaseHeads: string[] };
    expect(json.databaseHeads).toEqual(["e5e5"]);
  });

  it("current does not create the version table", () => {
    project = mergedProject();
    project.ok("current");
    expect(tableNames(project.dbPath)).not.toContain("alembic_version");
    project.ok("ensure-version");
    expect(tableNames(project.dbPath)).toEqual(["alembic_version"]);
    expect(project.ok("current").trim()).toBe("");
  });
});
