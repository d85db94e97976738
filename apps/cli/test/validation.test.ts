import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TestProject } from "../../../tests/integration/support/test-project.js";

// Mistakes the CLI must catch before it writes a file or opens a database.

let project: TestProject;
afterEach(() => project?.cleanup());

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

function versionFiles(): string[] {
  return readdirSync(path.join(project.dir, "migrations", "versions")).filter((name) => name.endsWith(".ts"));
}

describe("revision ids longer than the version table's 32 characters (accepted, as in Alembic)", () => {
  it("revision --rev-id writes one, warning of the VARCHAR(32) column and how to widen it", () => {
    project = new TestProject();
    const id = "r".repeat(40);
    const result = project.run("revision", "-m", "long", "--rev-id", id);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      `Revision identifier '${id}' is 40 characters long; the version table's version_num column is created as VARCHAR(32) (as in Alembic). SQLite accepts the id as it is; on PostgreSQL and MySQL/MariaDB upgrade, downgrade and stamp refuse to write it until the column is widened (PostgreSQL: ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(64); MySQL/MariaDB: ALTER TABLE alembic_version MODIFY version_num VARCHAR(64) NOT NULL), or choose a shorter --rev-id.`,
    );
    expect(versionFiles()).toEqual([`${id}_long.ts`]);
    // 32 fits: no warning.
    const fits = project.run("revision", "-m", "fits", "--rev-id", "s".repeat(32));
    expect(fits.status).toBe(0);
    expect(fits.stderr).not.toContain("characters long");
  });

  it("heads, history and upgrade (SQLite) read and apply a file defining one", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    const id = `a001_${"x".repeat(35)}`;
    project.addRevision({ id, down: "a000" });
    expect(project.ok("heads").trim()).toBe(`${id} (head)`);
    expect(project.ok("history")).toContain(`a000 -> ${id} (head), m ${id}`);
    project.ok("upgrade", "head");
    expect(project.ok("current").trim()).toBe(`${id} (head)`);
  });
});

describe("a syntax error above the header", () => {
  it("is named with its line and column, not as a missing revision", () => {
    project = new TestProject();
    const file = project.write(
      "migrations/versions/x.ts",
      'import type { Operations } from "@retort/core";\n\nconst note = "unfinished;\nexport const revision = "a1a1";\nexport const downRevision = null;\n',
    );
    const result = project.run("heads");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toMatch(
      `FAILED: ${file}:3:14: unterminated string literal before 'export const revision'. `,
    );
    expect(result.stderr).not.toContain("has no");
  });

  it("an unclosed brace hiding the header is named too", () => {
    project = new TestProject();
    const file = project.write(
      "migrations/versions/x.ts",
      'function helper() {\n  return 1;\n\nexport const revision = "a1a1";\nexport const downRevision = null;\n',
    );
    const result = project.run("history");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toMatch(`FAILED: ${file}:1:19: unclosed '{' before 'export const revision'. `);
  });
});

describe("an empty downRevision or dependsOn", () => {
  it.each([
    ["downRevision", 'export const downRevision = "";'],
    ["downRevision", 'export const downRevision = ["a000", " "];'],
    ["dependsOn", 'export const downRevision = "a000";\nexport const dependsOn = [""];'],
  ])("is an error naming the file (%s), not a new root", (field, line) => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    const file = project.write("migrations/versions/b000_m.ts", `export const revision = "b000";\n${line}\n`);
    const result = project.run("heads");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toMatch(`FAILED: Revision b000 (in ${file}) has an empty ${field} (`);
  });

  it("null stays the root marker", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.write(
      "migrations/versions/b000_m.ts",
      'export const revision = "b000";\nexport const downRevision = null;\n',
    );
    expect(project.ok("heads")).toBe("a000 (head)\nb000 (head)\n");
  });
});

describe("commands that fail before touching the database", () => {
  const unknown = "FAILED: Can't locate revision identified by 'nosuchrev'";
  const freshDatabase = () => {
    project = new TestProject({ url: "sqlite:///new.db" });
    project.addRevision({ id: "a000", down: null });
    return path.join(project.dir, "new.db");
  };

  it.each([
    [["upgrade", "nosuchrev"], `${unknown}: No such revision or branch 'nosuchrev'`],
    [["downgrade", "nosuchrev"], `${unknown}: No such revision or branch 'nosuchrev'`],
    [["stamp", "nosuchrev"], `${unknown}: No such revision or branch 'nosuchrev'`],
    [["upgrade", "nolabel@head"], "FAILED: Can't locate revision identified by 'nolabel': No such branch: 'nolabel'"],
  ])("%j leaves no SQLite file behind", (args, message) => {
    const database = freshDatabase();
    const result = project.run(...args);
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toBe(message);
    expect(existsSync(database)).toBe(false);
  });

  it("upgrade head with multiple heads leaves no SQLite file behind", () => {
    const database = freshDatabase();
    project.addRevision({ id: "b000", down: null });
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toBe(
      "FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    );
    expect(existsSync(database)).toBe(false);
    // The same targets still work on an existing database.
    project.ok("upgrade", "heads");
    expect(existsSync(database)).toBe(true);
  });

  it("a relative target still needs the database", () => {
    const database = freshDatabase();
    const result = project.run("upgrade", "+2");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toBe("FAILED: Relative revision +2 didn't produce 2 migrations");
    expect(existsSync(database)).toBe(true);
  });
});
