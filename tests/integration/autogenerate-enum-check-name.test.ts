import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * Without native enums an enum is a CHECK, which SQLAlchemy names by the
 * `ck` convention (`ck_users_mood` under Alembic's usual
 * `ck_%(table_name)s_%(constraint_name)s`): a database SQLAlchemy made
 * compares clean against the same schema module, a changed value list is
 * still seen, and Retort's generated migration names the CHECK the same
 * way (`enumType(..., { checkName })`).
 */
const SCHEMA = (values: readonly string[]) => `
import { column, enumType, integer, table } from "@retort/core";

export const namingConvention = { ck: "ck_%(table_name)s_%(constraint_name)s" };

export const users = table(
  "users",
  column("id", integer(), { primaryKey: true }),
  column("mood", enumType("mood", ${JSON.stringify(values)})),
);
`;

describe("an enum's CHECK named by a ck convention, on SQLite", () => {
  const harness = harnesses.find((candidate) => candidate.name === "sqlite");
  let database: TestDatabase;
  let project: TestProject;
  let probe: DatabaseProbe;

  beforeAll(async () => {
    if (harness === undefined) throw new Error("RETORT_TEST_DIALECTS leaves out sqlite, which this test needs");
    database = await harness.create();
    project = new TestProject({ url: database.url, config: { schema: "./schema.ts" } });
    probe = new DatabaseProbe(harness, database.url, project.dir);
  });
  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
  });

  it("compares clean with SQLAlchemy's table, and sees a changed value list", async () => {
    // What SQLAlchemy 2.1 writes for Enum("sad", "ok", name="mood", create_constraint=True) under the convention.
    await probe.use((connection) =>
      connection.execute(
        "CREATE TABLE users (id INTEGER NOT NULL, mood VARCHAR(3), PRIMARY KEY (id), CONSTRAINT ck_users_mood CHECK (mood IN ('sad', 'ok')))",
      ),
    );
    project.write("schema.ts", SCHEMA(["sad", "ok"]));
    expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
    project.write("schema.ts", SCHEMA(["sad", "ok", "glad"]));
    const changed = project.run("check");
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain("('modify_type', None, 'users', 'mood', VARCHAR(3) ck_users_mood['sad', 'ok'] ->");
  });

  it("names the CHECK as SQLAlchemy does in the migration it generates, and compares clean after", async () => {
    await probe.use((connection) => connection.execute("DROP TABLE users"));
    project.write("schema.ts", SCHEMA(["sad", "ok"]));
    project.ok("revision", "--autogenerate", "-m", "users", "--rev-id", "u1");
    const migration = readFileSync(path.join(project.dir, "migrations", "versions", "u1_users.ts"), "utf8");
    expect(migration).toContain('enumType("mood", ["sad", "ok"], { checkName: "ck_users_mood" })');
    project.ok("upgrade", "head");
    const [created] = await probe.query("SELECT sql FROM sqlite_master WHERE name = 'users'");
    expect(String(created?.sql)).toContain(`CONSTRAINT "ck_users_mood" CHECK ("mood" IN ('sad', 'ok'))`);
    expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
  });
});
