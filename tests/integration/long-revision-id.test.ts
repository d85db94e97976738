import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * Revision ids longer than the 32 characters of `version_num VARCHAR(32)`
 * (Alembic's default) are accepted, as Alembic accepts them. SQLite does
 * not enforce the width; on PostgreSQL and MySQL/MariaDB a run that would
 * write such an id into a column too narrow is refused before anything
 * runs (it used to run every migration and then fail on PostgreSQL with a
 * bare `value too long`), and works once the column is widened.
 */

/** The ALTER each dialect suggests, as its compiler writes it. */
const widen: Record<string, (width: number) => string> = {
  postgresql: (width) => `ALTER TABLE "alembic_version" ALTER COLUMN "version_num" TYPE VARCHAR(${width})`,
  mysql: (width) => `ALTER TABLE \`alembic_version\` MODIFY \`version_num\` VARCHAR(${width}) NOT NULL`,
};

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

for (const harness of harnesses) {
  describe(`a revision id of 40 characters on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;
    let file: string;
    const longId = `b000_${"x".repeat(35)}`;
    const tables = ["alembic_version", "t_a000", `t_${longId}`, "t_c000"];

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.addRevision({ id: "a000", down: null });
      file = project.addRevision({ id: longId, down: "a000" });
      project.addRevision({ id: "c000", down: longId });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    const alter = widen[harness.name];
    if (alter === undefined) {
      it("upgrade, downgrade and stamp write it (SQLite does not enforce VARCHAR(32))", async () => {
        project.ok("upgrade", "head");
        expect(await probe.versionRows()).toEqual(["c000"]);
        project.ok("downgrade", "-1");
        expect(await probe.versionRows()).toEqual([longId]);
        expect(await probe.existingTables(tables)).toEqual(["alembic_version", "t_a000", `t_${longId}`]);
        project.ok("stamp", "a000");
        project.ok("stamp", longId);
        expect(await probe.versionRows()).toEqual([longId]);
      });

      it("upgrade --sql from base writes the script, as Alembic does", () => {
        expect(project.ok("upgrade", "--sql", "head")).toContain(`'${longId}'`);
      });
      return;
    }

    it("upgrade into a database without a version table is refused before anything runs", async () => {
      // Through the id, and to it (the run used to fail only when writing its row, at the end).
      for (const target of ["head", longId]) {
        const result = project.run("upgrade", target);
        expect(result.status).toBe(1);
        expect(lastLine(result.stderr)).toBe(
          `FAILED: Revision identifier '${longId}' (in ${file}) is 40 characters long, but the version table 'alembic_version' does not exist yet and Retort creates it with version_num VARCHAR(32), as Alembic does. Nothing was run. Either shorten the id in that file (and every downRevision and dependsOn that names it), or create the table first with 'retort ensure-version', widen its column, then run the command again: ${alter(64)};`,
        );
        expect(result.stderr).not.toMatch(/value too long|Data too long/);
        expect(await probe.existingTables(tables)).toEqual([]);
      }
    });

    it("upgrade and stamp into the default VARCHAR(32) column are refused, the database untouched", async () => {
      project.ok("stamp", "a000");
      for (const command of [
        ["upgrade", "head"],
        ["stamp", longId],
        ["upgrade", "+1"],
      ]) {
        const result = project.run(...command);
        expect(result.status).toBe(1);
        expect(lastLine(result.stderr)).toBe(
          `FAILED: Revision identifier '${longId}' (in ${file}) is 40 characters long, but the version table 'alembic_version' holds at most 32 characters (version_num VARCHAR(32)). Nothing was run. Either shorten the id in that file (and every downRevision and dependsOn that names it), or widen the column, then run the command again: ${alter(64)};`,
        );
        expect(await probe.versionRows()).toEqual(["a000"]);
        expect(await probe.existingTables(tables)).toEqual(["alembic_version"]);
      }
    });

    it("works once the column is widened with the statement the message gives", async () => {
      await probe.use((connection) => connection.execute(alter(64)));
      project.ok("upgrade", "head");
      expect(await probe.versionRows()).toEqual(["c000"]);
      expect(await probe.existingTables(tables)).toEqual(["alembic_version", `t_${longId}`, "t_c000"]);
      project.ok("downgrade", "-1");
      expect(await probe.versionRows()).toEqual([longId]);
      project.ok("upgrade", "head");
    });

    it("a downgrade that would write it into a narrowed column is refused before it runs", async () => {
      await probe.use((connection) => connection.execute(alter(32)));
      const result = project.run("downgrade", "-1");
      expect(result.status).toBe(1);
      expect(lastLine(result.stderr)).toContain(
        `FAILED: Revision identifier '${longId}' (in ${file}) is 40 characters long, but the version table 'alembic_version' holds at most 32 characters`,
      );
      expect(await probe.versionRows()).toEqual(["c000"]);
      expect(await probe.tableExists("t_c000")).toBe(true);
    });

    it("upgrade --sql is refused when the script creates the table, and written from a start revision", () => {
      const refused = project.run("upgrade", "--sql", "head");
      expect(refused.status).toBe(1);
      expect(lastLine(refused.stderr)).toBe(
        `FAILED: Revision identifier '${longId}' (in ${file}) is 40 characters long, but the script creates the version table 'alembic_version' with version_num VARCHAR(32), as Alembic does, so it would fail when run. Nothing was written. Either shorten the id in that file (and every downRevision and dependsOn that names it), or run the command online instead, after creating the table with 'retort ensure-version' and widening its column: ${alter(64)};`,
      );
      expect(refused.stdout).toBe("");
      // From a start revision the table exists and its width is unknown: written as Alembic does.
      expect(project.ok("upgrade", "--sql", "a000:head")).toContain(`'${longId}'`);
    });
  });
}

/**
 * The width is read in the version table's own schema: a wider
 * `alembic_version` on the search path (here in `public`) does not count.
 */
describe("the version_num width on PostgreSQL with versionTableSchema", () => {
  const harness = harnesses.find((candidate) => candidate.name === "postgresql");
  let database: TestDatabase;
  let project: TestProject;
  let probe: DatabaseProbe;
  const longId = `b000_${"y".repeat(35)}`;
  const schema = "lr_versions";

  beforeAll(async () => {
    if (harness === undefined) throw new Error("RETORT_TEST_DIALECTS leaves out postgresql, which this test needs");
    database = await harness.create();
    project = new TestProject({ url: database.url, config: { versionTableSchema: schema } });
    probe = new DatabaseProbe(harness, database.url, project.dir);
    await probe.use(async (connection) => {
      await connection.execute(`CREATE SCHEMA ${schema}`);
      await connection.execute("CREATE TABLE public.alembic_version (version_num VARCHAR(64) NOT NULL)");
    });
    project.addRevision({ id: "a000", down: null });
    project.addRevision({ id: longId, down: "a000" });
  });
  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
  });

  it("refuses by the schema's VARCHAR(32), naming the qualified table and ALTER, then works once widened", async () => {
    project.ok("stamp", "a000");
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toContain(
      `holds at most 32 characters (version_num VARCHAR(32)). Nothing was run. Either shorten the id in that file (and every downRevision and dependsOn that names it), or widen the column, then run the command again: ALTER TABLE "${schema}"."alembic_version" ALTER COLUMN "version_num" TYPE VARCHAR(64);`,
    );
    expect(lastLine(result.stderr)).toContain(`the version table '${schema}.alembic_version'`);
    expect(await probe.query(`SELECT version_num FROM ${schema}.alembic_version`)).toEqual([{ version_num: "a000" }]);
    expect(await probe.tableExists("t_a000")).toBe(false);

    await probe.use((connection) =>
      connection.execute(`ALTER TABLE "${schema}"."alembic_version" ALTER COLUMN "version_num" TYPE VARCHAR(64)`),
    );
    project.ok("upgrade", "head");
    expect(await probe.query(`SELECT version_num FROM ${schema}.alembic_version`)).toEqual([{ version_num: longId }]);
  });
});

/**
 * On MySQL the version table's schema is another database: the width is
 * read there, and the suggested ALTER names the table in it.
 */
describe("the version_num width on MySQL with versionTableSchema (another database)", () => {
  const harness = harnesses.find((candidate) => candidate.name === "mysql");
  let database: TestDatabase;
  let versions: TestDatabase;
  let schema: string;
  let project: TestProject;
  let probe: DatabaseProbe;
  const longId = `b000_${"z".repeat(35)}`;

  beforeAll(async () => {
    if (harness === undefined) throw new Error("RETORT_TEST_DIALECTS leaves out mysql, which this test needs");
    database = await harness.create();
    versions = await harness.create();
    schema = new URL(versions.url).pathname.slice(1);
    project = new TestProject({ url: database.url, config: { versionTableSchema: schema } });
    probe = new DatabaseProbe(harness, database.url, project.dir);
    await probe.use(async (connection) => {
      // The version table Alembic created there (version_table_schema), and a wider one of the same
      // name in the URL's own database, which does not count.
      await connection.execute(
        `CREATE TABLE \`${schema}\`.alembic_version (version_num VARCHAR(32) NOT NULL, PRIMARY KEY (version_num))`,
      );
      await connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(64) NOT NULL)");
    });
    project.addRevision({ id: "a000", down: null });
    project.addRevision({ id: longId, down: "a000" });
  });
  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
    await versions?.drop();
  });

  it("refuses by that database's VARCHAR(32), naming the ALTER of its table, then works once it ran", async () => {
    project.ok("stamp", "a000");
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    const statement = `ALTER TABLE \`${schema}\`.\`alembic_version\` MODIFY \`version_num\` VARCHAR(64) NOT NULL;`;
    expect(lastLine(result.stderr)).toContain(
      `the version table '${schema}.alembic_version' holds at most 32 characters`,
    );
    expect(lastLine(result.stderr)).toContain(`run the command again: ${statement}`);
    expect(await probe.query(`SELECT version_num FROM \`${schema}\`.alembic_version`)).toEqual([
      { version_num: "a000" },
    ]);
    expect(await probe.tableExists("t_a000")).toBe(false);

    await probe.use(async (connection) => {
      await connection.execute(statement.slice(0, -1));
    });
    project.ok("upgrade", "head");
    expect(await probe.query(`SELECT version_num FROM \`${schema}\`.alembic_version`)).toEqual([
      { version_num: longId },
    ]);
  });
});
