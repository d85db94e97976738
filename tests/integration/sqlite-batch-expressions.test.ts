import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteHarness, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * A SQLite batch through the CLI keeps what the table's SQL text says:
 * a function named like a column (`length(name)` beside a column `length`)
 * is neither renamed nor taken as a use of that column, a DEFAULT with a
 * signed exponent survives the rebuild, and a rename may change only the
 * case of a name. Each case failed, or silently lost a constraint, before.
 */
describe("SQLite batch rebuild of expressions, defaults and names", () => {
  let database: TestDatabase;
  let project: TestProject;
  let probe: DatabaseProbe;

  beforeEach(async () => {
    database = await sqliteHarness.create();
    project = new TestProject({ url: database.url });
    probe = new DatabaseProbe(sqliteHarness, database.url, project.dir);
  });
  afterEach(async () => {
    project?.cleanup();
    await database?.drop();
  });

  const schema = async (name: string) =>
    (await probe.query(`SELECT sql FROM sqlite_master WHERE name = '${name}'`))[0]?.sql as string;
  const indexNames = async (table: string) =>
    (
      await probe.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' ORDER BY name`)
    ).map((row) => row.name);

  it("renames and drops columns named like functions, keeping what only calls the functions", async () => {
    project.addRevision({
      id: "a1",
      down: null,
      upgrade: [
        "  await op.execute(`CREATE TABLE ev (id INTEGER PRIMARY KEY, name TEXT, created TEXT, date TEXT, length INT,",
        "    CONSTRAINT ck_name CHECK (length(name) > 0), CONSTRAINT ck_created CHECK (date(created) IS NOT NULL),",
        "    CONSTRAINT ck_length CHECK (length >= 0))`);",
        "  await op.execute(`CREATE INDEX ix_day ON ev (date(created))`);",
        "  await op.execute(`CREATE INDEX ix_len ON ev (length(name), length)`);",
        "  await op.execute(`INSERT INTO ev (name, created, date, length) VALUES ('a', '2026-01-02', 'x', 1)`);",
        '  await op.batchAlterTable("ev", {}, async (batch) => {',
        '    await batch.alterColumn("length", { newColumnName: "size", existingType: integer() });',
        "  });",
        '  await op.batchAlterTable("ev", {}, async (batch) => {',
        '    await batch.dropColumn("date");',
        '    await batch.dropColumn("size");',
        "  });",
      ].join("\n"),
    });
    project.ok("upgrade", "head");
    const created = await schema("ev");
    expect(created).toContain('CONSTRAINT "ck_name" CHECK (length(name) > 0)');
    expect(created).toContain('CONSTRAINT "ck_created" CHECK (date(created) IS NOT NULL)');
    expect(created).not.toContain("ck_length");
    expect(await indexNames("ev")).toEqual(["ix_day"]);
    expect(await probe.query("SELECT * FROM ev")).toEqual([{ id: 1, name: "a", created: "2026-01-02" }]);
  });

  it("keeps signed exponent DEFAULTs and renames a column to another case", async () => {
    project.addRevision({
      id: "a1",
      down: null,
      upgrade: [
        "  await op.execute(`CREATE TABLE c (id INTEGER PRIMARY KEY, r REAL DEFAULT 1e-5, s REAL DEFAULT +1.5E+3, Email TEXT)`);",
        "  await op.execute(`CREATE UNIQUE INDEX ix_email ON c (Email)`);",
        "  await op.execute(`INSERT INTO c (Email) VALUES ('a@b')`);",
        '  await op.batchAlterTable("c", {}, async (batch) => {',
        '    await batch.alterColumn("Email", { newColumnName: "email", nullable: false });',
        "  });",
      ].join("\n"),
    });
    project.ok("upgrade", "head");
    const created = await schema("c");
    expect(created).toContain('"r" REAL DEFAULT 1e-5');
    expect(created).toContain('"s" REAL DEFAULT +1.5E+3');
    expect(created).toContain('"email" TEXT NOT NULL');
    expect(await schema("ix_email")).toContain('("email")');
    await probe.query("INSERT INTO c (email) VALUES ('c@d')");
    expect(await probe.query("SELECT r, s, email FROM c ORDER BY id")).toEqual([
      { r: 1e-5, s: 1500, email: "a@b" },
      { r: 1e-5, s: 1500, email: "c@d" },
    ]);
  });
});
