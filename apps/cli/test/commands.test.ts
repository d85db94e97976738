import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { versionRows } from "./database.js";
import { TestProject } from "../../../tests/integration/support/test-project.js";

let project: TestProject;
afterEach(() => project?.cleanup());

describe("global options", () => {
  it("--version prints the version; --help lists the commands", () => {
    project = new TestProject({ init: false });
    const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(project.ok("--version").trim()).toBe(`retort ${packageJson.version}`);
    const help = project.ok("--help");
    for (const name of ["init", "revision", "merge", "upgrade", "downgrade", "stamp", "current", "history"]) {
      expect(help).toContain(`  ${name}`);
    }
    expect(project.ok("upgrade", "--help")).toContain("usage: retort upgrade [options] TARGET");
  });

  it("-q silences messages on stdout but not JSON", () => {
    project = new TestProject();
    const quiet = project.run("-q", "revision", "-m", "x", "--rev-id", "a1a1a1a1a1a1");
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toBe("");
    project.ok("upgrade", "head");
    expect(project.ok("-q", "current")).toBe("");
    const json = JSON.parse(project.ok("-q", "heads", "--json")) as { revision: string }[];
    expect(json.map((row) => row.revision)).toEqual(["a1a1a1a1a1a1"]);
  });
});

describe("show, heads -v, branches --json", () => {
  it("print verbose blocks and JSON", () => {
    project = new TestProject();
    project.addRevision({ id: "a0a0", down: null, message: "first" });
    project.addRevision({ id: "b1b1", down: "a0a0", labels: ["one"] });
    project.addRevision({ id: "b2b2", down: "a0a0" });
    const verbose = project.ok("heads", "-v");
    expect(verbose).toContain("Rev: b1b1 (head)\nParent: a0a0\nBranch names: one\nPath: ");
    const shown = JSON.parse(project.ok("show", "a0a0", "--json")) as { revision: string; message: string }[];
    expect(shown).toEqual([expect.objectContaining({ revision: "a0a0", message: "first", isBranchPoint: true })]);
    const branches = JSON.parse(project.ok("branches", "--json")) as { revision: string; children: string[] }[];
    expect(branches).toEqual([expect.objectContaining({ revision: "a0a0", children: ["b1b1", "b2b2"] })]);
    expect(project.ok("show", "heads").match(/^Rev: /gm)).toHaveLength(2);
  });
});

describe("edit", () => {
  it("opens the revision's file in $EDITOR", () => {
    project = new TestProject();
    const file = project.addRevision({ id: "a0a0", down: null });
    const log = path.join(project.dir, "edited.txt");
    const editor = path.join(project.dir, "fake-editor.sh");
    writeFileSync(editor, `#!/bin/sh\necho "$1" >> "${log}"\n`);
    chmodSync(editor, 0o755);
    const result = project.runWith({ env: { EDITOR: editor, VISUAL: undefined } }, "edit", "a0a");
    expect(result.status).toBe(0);
    expect(readFileSync(log, "utf8").trim()).toBe(file);
    const missing = project.runWith({ env: { EDITOR: editor } }, "edit", "zzzz");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("Can't locate revision identified by 'zzzz'");
  });
});

describe("version locations", () => {
  it("reads several locations and subfolders when recursive, and places new files", () => {
    project = new TestProject({
      config: { versionLocations: ["migrations/versions", "extra"], recursiveVersionLocations: true },
    });
    project.addRevision({ id: "a0a0", down: null }, "migrations/versions");
    project.addRevision({ id: "b0b0", down: "a0a0" }, "extra/nested");
    expect(project.ok("heads").trim()).toBe("b0b0 (head)");
    project.ok("upgrade", "head");
    expect(versionRows(project.dbPath)).toEqual(["b0b0"]);

    // A new revision goes next to its head's file unless --version-path says otherwise.
    project.ok("revision", "-m", "next", "--rev-id", "c0c0c0c0c0c0");
    expect(existsSync(path.join(project.dir, "extra/nested/c0c0c0c0c0c0_next.ts"))).toBe(true);
    project.ok("revision", "-m", "other", "--rev-id", "d0d0d0d0d0d0", "--version-path", "migrations/versions");
    expect(existsSync(path.join(project.dir, "migrations/versions/d0d0d0d0d0d0_other.ts"))).toBe(true);
    const bad = project.run("revision", "-m", "x", "--version-path", "elsewhere");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("Path elsewhere is not represented in current version locations");
    const root = project.run("revision", "-m", "root", "--head", "base");
    expect(root.status).toBe(1);
    expect(root.stderr).toContain("Multiple version locations present, please specify --version-path");
  });

  it("puts a new revision under its head's location when the fileTemplate makes folders", () => {
    project = new TestProject({
      config: {
        versionLocations: ["migrations/versions", "audit/versions"],
        recursiveVersionLocations: true,
        fileTemplate: "{year}/{rev}_{slug}",
      },
    });
    const year = String(new Date().getFullYear());
    mkdirSync(path.join(project.dir, "audit", "versions"), { recursive: true });
    const first = project.ok(
      "revision",
      "-m",
      "a1",
      "--rev-id",
      "a1a1",
      "--head",
      "base",
      "--version-path",
      "audit/versions",
    );
    expect(first).toContain(path.join("audit", "versions", year, "a1a1_a1.ts"));
    // Built on a1a1 (in audit/versions/<year>/): the template's folder under audit/versions, not under <year>/.
    for (const id of ["a2a2", "a3a3"]) {
      const next = project.ok("revision", "-m", id, "--rev-id", id, "--head", "head");
      expect(next).toContain(path.join("audit", "versions", year, `${id}_${id}.ts`));
    }
    expect(project.ok("heads").trim()).toBe("a3a3 (head)");
  });
});

describe("a version location that does not exist", () => {
  it("fails upgrade and revision, naming the folder, the config file and the key, and creates nothing", () => {
    project = new TestProject({ config: { versionLocations: ["migrations/versions", "migrations/extras"] } });
    project.addRevision({ id: "a0a0", down: null });
    const missing = path.join(project.dir, "migrations", "extras");
    const config = path.join(project.dir, "retort.config.json");
    for (const args of [["upgrade", "head"], ["upgrade", "head", "--sql"], ["heads"], ["revision", "-m", "next"]]) {
      const result = project.run(...args);
      expect(result.status, args.join(" ")).toBe(1);
      expect(result.stderr).toContain(`Version location ${missing} does not exist (versionLocations[1] in ${config}).`);
      expect(result.stderr).toContain("Fix the path, or create the folder if it is new");
      expect(result.stderr).toContain(
        "Retort does not create a location named in versionLocations, not even for 'revision'",
      );
    }
    expect(existsSync(project.dbPath)).toBe(false);
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(path.join(project.dir, "migrations", "versions"))).toEqual(["a0a0_m.ts"]);
    // Created, it is read (empty) and the commands work.
    mkdirSync(missing);
    project.ok("upgrade", "head");
    expect(versionRows(project.dbPath)).toEqual(["a0a0"]);
  });

  it("names the config file that sets a script folder that does not exist", () => {
    project = new TestProject({ config: { scriptLocation: "migratons" } });
    const result = project.run("heads");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `Path doesn't exist: ${path.join(project.dir, "migratons")}.  Please use the 'init' command to create a new scripts folder. It is scriptLocation in ${path.join(project.dir, "retort.config.json")}`,
    );
  });

  it("takes the default versions folder, missing, as empty, and revision creates it (as Alembic)", () => {
    // `retort init` writes an empty versions/, which git does not keep: a fresh clone lacks it.
    project = new TestProject();
    const versions = path.join(project.dir, "migrations", "versions");
    rmSync(versions, { recursive: true });
    expect(project.ok("heads")).toBe("");
    expect(project.ok("upgrade", "head")).not.toContain("Running upgrade");
    project.ok("revision", "-m", "first", "--rev-id", "f1f1");
    expect(readdirSync(versions)).toEqual(["f1f1_first.ts"]);
    expect(project.ok("heads")).toContain("f1f1 (head)");
  });
});

describe("init templates", () => {
  it("init -t multidb writes its own template", () => {
    project = new TestProject({ init: false });
    project.ok("init", "-t", "multidb", "db");
    expect(existsSync(path.join(project.dir, "db", "script.ts.template"))).toBe(true);
    expect(readFileSync(path.join(project.dir, "retort.config.ts"), "utf8")).toContain("defineConfig");
  });
});

describe("options that share a short name", () => {
  it("-c is the config before the command and --check-heads after `current`", () => {
    project = new TestProject();
    project.addRevision({ id: "a0a0", down: null });
    project.write("other.config.json", JSON.stringify({ scriptLocation: "migrations", url: "sqlite:///other.db" }));
    project.ok("-c", "other.config.json", "upgrade", "head");
    expect(versionRows(path.join(project.dir, "other.db"))).toEqual(["a0a0"]);
    expect(project.ok("-c", "other.config.json", "current", "-c").trim()).toBe("a0a0 (head)");
    expect(project.ok("current", "--config", "other.config.json", "-c").trim()).toBe("a0a0 (head)");
  });
});

describe("current --check-heads with dependencies", () => {
  it("counts a head consumed through dependsOn as reached (unlike Alembic)", () => {
    project = new TestProject();
    project.addRevision({ id: "a001", down: null });
    project.addRevision({ id: "b001", down: null });
    project.addRevision({ id: "b002", down: "b001", dependsOn: ["a001"] });
    project.ok("upgrade", "heads");
    expect(project.ok("current", "--check-heads").split("\n").filter(Boolean).sort()).toEqual([
      "a001 (effective head)",
      "b002 (head)",
    ]);
  });
});

describe("downgrade -1 from several heads", () => {
  it("warns that it is ambiguous, as Alembic does", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.addRevision({ id: "b100", down: "a000" });
    project.addRevision({ id: "b200", down: "a000" });
    project.ok("upgrade", "heads");
    const result = project.run("downgrade", "-1");
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("WARNING: downgrade -1 from multiple heads is ambiguous");
    // One head went down to a000, which the other head already contains.
    expect(versionRows(project.dbPath)).toHaveLength(1);
  });
});
