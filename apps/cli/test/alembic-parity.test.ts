import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tableNames, versionRows } from "./database.js";
import { TestProject } from "../../../tests/integration/support/test-project.js";

/**
 * Outputs compared with Alembic 1.20's on the same graphs. The expected
 * texts are Alembic's, copied from its runs, with its file paths replaced
 * by `<versions>/<id>` (the only difference besides the file names).
 */

let project: TestProject;
afterEach(() => project?.cleanup());

/** a -> b -> (c1 [c1branch] -> d1), (c2 [c2branch] -> d2), e = merge(d1, d2) */
function mergedProject(options: { merge?: boolean } = {}): TestProject {
  const p = new TestProject();
  p.addRevision({ id: "a0a0", down: null, message: "a" });
  p.addRevision({ id: "b0b0", down: "a0a0", message: "b" });
  p.addRevision({ id: "c1c1", down: "b0b0", labels: ["c1branch"], message: "c1" });
  p.addRevision({ id: "d1d1", down: "c1c1", message: "d1" });
  p.addRevision({ id: "c2c2", down: "b0b0", labels: ["c2branch"], message: "c2" });
  p.addRevision({ id: "d2d2", down: "c2c2", message: "d2" });
  if (options.merge !== false) p.addRevision({ id: "e5e5", down: ["d1d1", "d2d2"], message: "merge" });
  return p;
}

/** a -> b -> c -> d -> e */
function linearProject(): TestProject {
  const p = new TestProject();
  const ids = ["a0a0", "b0b0", "c0c0", "d0d0", "e0e0"];
  ids.forEach((id, index) => {
    p.addRevision({ id, down: index === 0 ? null : (ids[index - 1] as string), message: id.slice(0, 1) });
  });
  return p;
}

/** Retort's stdout with the project's file paths written as in the expected texts. */
function stdout(p: TestProject, ...args: string[]): string {
  const versions = path.join(p.dir, "migrations", "versions");
  return p
    .ok(...args)
    .replace(/\S*\/versions\/(\w+)_m\.ts/g, (whole, id: string) =>
      whole.startsWith(versions) ? `<versions>/${id}` : whole,
    );
}

const e5e5Entry = [
  "Rev: e5e5 (head) (mergepoint)",
  "Merges: d1d1, d2d2",
  "Branch names: c1branch, c2branch",
  "Path: <versions>/e5e5",
  "",
  "    merge",
  "",
].join("\n");

const d1d1Entry = [
  "Rev: d1d1",
  "Parent: c1c1",
  "Branch names: c1branch",
  "Path: <versions>/d1d1",
  "",
  "    d1",
  "",
].join("\n");

describe("verbose entries end as Alembic's (one blank line, no more)", () => {
  it("show, history -v, heads -v", () => {
    project = mergedProject();
    expect(stdout(project, "show", "e5e5")).toBe(`${e5e5Entry}\n`);
    expect(stdout(project, "history", "-v", "-r", "d1d1:e5e5")).toBe(`${e5e5Entry}\n${d1d1Entry}\n`);
    expect(stdout(project, "heads", "-v")).toBe(`${e5e5Entry}\n`);
  });

  it("current -v", () => {
    project = mergedProject();
    project.ok("upgrade", "d1d1");
    expect(stdout(project, "current", "-v")).toBe(`Current revision(s) for sqlite:///test.db:\n${d1d1Entry}\n`);
  });

  it("branches -v and branches", () => {
    project = mergedProject();
    const b0b0Entry = [
      "Rev: b0b0 (branchpoint)",
      "Parent: a0a0",
      "Branches into: c1c1, c2c2",
      "Path: <versions>/b0b0",
      "",
      "    b",
      "",
    ].join("\n");
    expect(stdout(project, "branches", "-v")).toBe(
      `${b0b0Entry}\n     -> c1c1 (c1branch), c1\n     -> c2c2 (c2branch), c2\n\n`,
    );
    expect(stdout(project, "branches")).toBe(
      "b0b0 (branchpoint)\n     -> c1c1 (c1branch)\n     -> c2c2 (c2branch)\n\n",
    );
  });
});

describe("show base", () => {
  it("prints nothing and exits 0, as does show current on an empty database", () => {
    project = mergedProject();
    expect(project.run("show", "base")).toEqual({ status: 0, stdout: "", stderr: "" });
    expect(project.run("show", "current")).toMatchObject({ status: 0, stdout: "" });
  });

  it("edit keeps Alembic's errors for what names no file", () => {
    project = mergedProject();
    const base = project.runWith({ env: { EDITOR: "true" } }, "edit", "base");
    expect(base.status).toBe(1);
    expect(base.stderr).toContain("FAILED: No revision files indicated by symbol 'base'");
    const current = project.runWith({ env: { EDITOR: "true" } }, "edit", "current");
    expect(current.status).toBe(1);
    expect(current.stderr).toContain("FAILED: No current revisions");
  });
});

describe("merge --splice", () => {
  it("refuses a non-head without --splice, with Alembic's text", () => {
    project = mergedProject();
    const result = project.run("merge", "c1c1", "d2d2", "-m", "x");
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      "FAILED: Revision c1c1 is not a head revision; please specify --splice to create a new branch from this revision",
    );
    expect(readdirSync(path.join(project.dir, "migrations", "versions"))).toHaveLength(7);
  });

  it("merges non-heads with --splice, as Alembic 1.18.5 does", () => {
    project = mergedProject();
    const out = project.ok("merge", "--splice", "c1c1", "d2d2", "-m", "x", "--rev-id", "f0f0");
    expect(out).toMatch(/^Generating .*f0f0_x\.ts \.\.\. {2}done\n$/);
    const file = readFileSync(path.join(project.dir, "migrations", "versions", "f0f0_x.ts"), "utf8");
    expect(file).toContain('export const downRevision = ["c1c1", "d2d2"];');
    // As in Alembic: e5e5 (c1branch, c2branch) (head) and f0f0 (c1branch, c2branch) (head).
    expect(project.ok("heads").trim().split("\n").sort()).toEqual([
      "e5e5 (c1branch, c2branch) (head)",
      "f0f0 (c1branch, c2branch) (head)",
    ]);
  });
});

describe("stamp", () => {
  it.each([
    ["-1", "-1"],
    ["b0b0+1", "b0b0+1"],
    ["c1branch@-1", "-1"],
    ["c1branch@+1", "+1"],
    ["+1", "+1"],
    ["head-1", "head-1"],
  ])("refuses the relative target %s: Can't locate revision identified by '%s'", (target, argument) => {
    project = mergedProject();
    project.ok("upgrade", "d1d1");
    const result = project.run("stamp", "--", target);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`FAILED: Can't locate revision identified by '${argument}': stamp takes absolute`);
    expect(versionRows(project.dbPath)).toEqual(["d1d1"]);
  });

  it("creates the version table even when it changes nothing, as Alembic's online runs do", () => {
    project = mergedProject();
    project.ok("stamp", "base");
    expect(tableNames(project.dbPath)).toEqual(["alembic_version"]);
    expect(versionRows(project.dbPath)).toEqual([]);
  });

  it("label@rev moves only the rows in rev's lineage (Alembic also moves the rest of the label's lineage)", () => {
    project = mergedProject();
    project.write(
      "migrations/versions/b0b0_m.ts",
      readFileSync(path.join(project.dir, "migrations/versions/b0b0_m.ts"), "utf8").replace(
        "export const branchLabels = null;",
        'export const branchLabels = ["bl"];',
      ),
    );
    project.ok("stamp", "d1d1", "d2d2");
    project.ok("stamp", "bl@c1c1");
    // Alembic 1.20 leaves ['c1c1']: d2d2 shares lineage with the label bl (on b0b0) but not with c1c1.
    expect(versionRows(project.dbPath)).toEqual(["c1c1", "d2d2"]);
  });
});

describe("history -r with a relative start", () => {
  // Alembic: `alembic history -r=-2:` and `--rev-range=-2:`.
  const expected = "d0d0 -> e0e0 (head), e\nc0c0 -> d0d0, d\nb0b0 -> c0c0, c\n";

  it("accepts -r=-2:, -r-2: and --rev-range=-2: as argparse does", () => {
    project = linearProject();
    expect(project.ok("history", "-r=-2:")).toBe(expected);
    expect(project.ok("history", "-r-2:")).toBe(expected);
    expect(project.ok("history", "--rev-range=-2:")).toBe(expected);
  });

  it("accepts -r -2: as an extension (argparse refuses it), but no option as a value", () => {
    project = linearProject();
    expect(project.ok("history", "-r", "-2:")).toBe(expected);
    const result = project.run("revision", "-m", "--autogenerate");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("FAILED: argument -m/--message: expected one argument");
    const flag = project.run("stamp", "--purge=1", "head");
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("FAILED: argument --purge: ignored explicit argument '1'");
  });
});

describe("multiple heads", () => {
  it("the command line keeps Alembic's command text", () => {
    project = mergedProject({ merge: false });
    const message =
      "FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads";
    for (const args of [
      ["show", "head"],
      ["history", "-r", ":head"],
      ["revision", "-m", "x", "--depends-on", "head", "--head", "d1d1"],
    ]) {
      const result = project.run(...args);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split("\n").at(-1)).toBe(message);
    }
    expect(existsSync(project.dbPath)).toBe(false);
    expect(readdirSync(path.join(project.dir, "migrations", "versions"))).toHaveLength(6);
  });

  it("--sql starts from one revision: 'heads' naming two is refused, as Alembic's get_revision does", () => {
    project = mergedProject({ merge: false });
    const message =
      "FAILED: Multiple head revisions are present for given argument 'heads'; please specify a specific target revision, '<branchname>@heads' to narrow to a specific head, or 'heads' for all heads";
    for (const args of [
      ["downgrade", "heads:-1", "--sql"],
      ["stamp", "heads:b0b0", "--sql"],
      ["upgrade", "heads:heads", "--sql"],
    ]) {
      const result = project.run(...args);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split("\n").at(-1)).toBe(message);
      expect(result.stdout).toBe("");
    }
    // One head of them, by its branch: the script downgrades that branch only.
    const script = project.ok("downgrade", "c1branch@heads:-1", "--sql");
    expect(script).toContain("-- Running downgrade d1d1 -> c1c1");
    expect(script).not.toContain("d2d2");
  });
});
