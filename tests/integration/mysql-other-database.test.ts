import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * On MySQL a `schema` is another database on the server, as SQLAlchemy's
 * `schema=` there: `versionTableSchema` puts the version table in it
 * (created there on a fresh database: it was refused as "no schemas"), and
 * a migration's table operations may name it.
 */
describe("MySQL: versionTableSchema and operations' schema name another database", () => {
  const harness = harnesses.find((candidate) => candidate.name === "mysql");
  let database: TestDatabase;
  let other: TestDatabase;
  let schema: string;
  let project: TestProject;
  let probe: DatabaseProbe;

  beforeAll(async () => {
    if (harness === undefined) throw new Error("RETORT_TEST_DIALECTS leaves out mysql, which this test needs");
    database = await harness.create();
    other = await harness.create();
    schema = new URL(other.url).pathname.slice(1);
    project = new TestProject({ url: database.url, config: { versionTableSchema: schema } });
    probe = new DatabaseProbe(harness, database.url, project.dir);
    project.addRevision({ id: "a000", down: null });
    project.addRevision({
      id: "b000",
      down: "a000",
      upgrade: `  await op.createTable("kept", column("id", integer(), { primaryKey: true }), { schema: ${JSON.stringify(schema)} });`,
      downgrade: `  await op.dropTable("kept", { schema: ${JSON.stringify(schema)} });`,
    });
  });
  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
    await other?.drop();
  });

  const rows = () => probe.query(`SELECT version_num FROM \`${schema}\`.alembic_version`);
  const tables = async (name: string) =>
    (
      await probe.query(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = '${name}' ORDER BY table_name`,
      )
    ).map((row) => (row as { name: string }).name);

  it("creates the version table in that database, and tables there, and takes them back", async () => {
    project.ok("upgrade", "head");
    expect(await rows()).toEqual([{ version_num: "b000" }]);
    expect(await tables(schema)).toEqual(["alembic_version", "kept"]);
    expect(await tables(new URL(database.url).pathname.slice(1))).toEqual(["t_a000"]);
    expect(project.ok("current")).toContain("b000 (head)");

    project.ok("downgrade", "base");
    expect(await rows()).toEqual([]);
    expect(await tables(schema)).toEqual(["alembic_version"]);
  });
});
