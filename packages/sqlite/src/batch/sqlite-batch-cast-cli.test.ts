import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { TestProject } from "../../../../tests/integration/support/test-project.js";

// Runs the built CLI (`pnpm tsc -b` first), as a user would.

describe("a batch CAST that changes values (CLI)", () => {
  let project: TestProject | undefined;
  afterEach(() => project?.cleanup());

  function setUp(options: string): TestProject {
    const created = new TestProject();
    created.addRevision({
      id: "a1",
      upgrade: [
        `  await op.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)");`,
        `  await op.execute("INSERT INTO t (a) VALUES ('12'), ('abc'), ('x1')");`,
      ].join("\n"),
      downgrade: `  await op.dropTable("t");`,
    });
    created.addRevision({
      id: "b2",
      down: "a1",
      upgrade: `  await op.batchAlterTable("t", ${options}, async (batch) => { await batch.alterColumn("a", { type: integer() }); });`,
      downgrade: "",
    });
    return created;
  }

  it("prints a WARNING on stderr with the count, and goes on", () => {
    project = setUp("{}");
    const result = project.run("upgrade", "head");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^WARNING: Batch rebuild of "t": CAST\(\.\.\. AS INTEGER\) changes 2 of 3 values of column "a" \(TEXT to INTEGER, e\.g\. 'abc' becomes 0\)/m,
    );
    const database = new Database(project.dbPath, { readonly: true });
    try {
      expect(database.prepare("SELECT a FROM t ORDER BY id").pluck().all()).toEqual([12, 0, 0]);
    } finally {
      database.close();
    }
  });

  it("fails with strictCast, leaving the table and the version table as they were", () => {
    project = setUp("{ strictCast: true }");
    project.ok("upgrade", "a1");
    const result = project.run("upgrade", "head");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /refused \(strictCast\): CAST\(\.\.\. AS INTEGER\) changes 2 of 3 values of column "a"/,
    );
    expect(result.stderr).not.toMatch(/^WARNING/m);
    const database = new Database(project.dbPath, { readonly: true });
    try {
      expect(database.prepare("SELECT version_num FROM alembic_version").pluck().all()).toEqual(["a1"]);
      expect(database.prepare("SELECT a FROM t ORDER BY id").pluck().all()).toEqual(["12", "abc", "x1"]);
    } finally {
      database.close();
    }
  });
});
