import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * SPEC's seed example, typed bulk inserts and a dialect-conditional
 * migration, through the CLI on every dialect.
 */
for (const harness of harnesses) {
  describe(`operations through migrations on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: '  await op.createTable("users", column("id", integer(), { primaryKey: true }));',
        downgrade: '  await op.dropTable("users");',
      });
      project.write(
        "migrations/versions/b000_user_settings.ts",
        [
          "/** Add user settings table */",
          'import { column, dateTime, integer, primaryKey, sql, string, type Operations } from "@retort/core";',
          'export const revision = "b000";',
          'export const downRevision = "a000";',
          "export async function upgrade(op: Operations): Promise<void> {",
          '  await op.createTable("user_settings",',
          '    column("id", integer(), { nullable: false }),',
          '    column("user_id", integer(), { nullable: false, references: "users.id" }),',
          '    column("language", string(10), { serverDefault: "en" }),',
          '    column("timezone", string(50), { serverDefault: "UTC" }),',
          '    column("created_at", dateTime({ timezone: true }), { serverDefault: sql`now()` }),',
          '    primaryKey("id"),',
          "  );",
          '  await op.createIndex("ix_user_settings_user_id", "user_settings", ["user_id"]);',
          "}",
          "export async function downgrade(op: Operations): Promise<void> {",
          '  await op.dropIndex("ix_user_settings_user_id");',
          '  await op.dropTable("user_settings");',
          "}",
        ].join("\n"),
      );
      project.write(
        "migrations/versions/c000_seed.ts",
        [
          "/** Seed with typed values, per dialect */",
          'import { boolean, column, integer, json, string, table, type Operations } from "@retort/core";',
          'export const revision = "c000";',
          'export const downRevision = "b000";',
          'const flags = table("flags", column("id", integer(), { primaryKey: true }), column("name", string(20)), column("on", boolean()), column("meta", json()));',
          "export async function upgrade(op: Operations): Promise<void> {",
          '  await op.createTable("flags", ...flags.columns);',
          '  await op.bulkInsert(flags, [{ id: 1, name: "a", on: true, meta: { x: 1 } }, { id: 2, name: "b", on: false, meta: [1, 2] }]);',
          "  // A dialect-conditional step, as in Alembic's op.get_bind().dialect.name checks.",
          "  const dialect = op.getBind().dialect.name;",
          '  if (op.getContext().dialect.name === "postgresql") await op.execute("CREATE TABLE pg_only (id INTEGER)");',
          '  else await op.execute("CREATE TABLE not_pg (id INTEGER)");',
          '  await op.bulkInsert("flags", [{ id: 3, name: dialect }]);',
          "}",
          "export async function downgrade(op: Operations): Promise<void> {",
          '  await op.dropTable("flags");',
          '  await op.execute(op.getContext().dialect.name === "postgresql" ? "DROP TABLE pg_only" : "DROP TABLE not_pg");',
          "}",
        ].join("\n"),
      );
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("runs SPEC's user_settings example and its downgrade", async () => {
      project.ok("upgrade", "b000");
      expect(await probe.tableExists("user_settings")).toBe(true);
      await probe.query("INSERT INTO users (id) VALUES (7)");
      await probe.query("INSERT INTO user_settings (id, user_id, created_at) VALUES (1, 7, '2026-01-01 00:00:00+00')");
      const rows = await probe.query("SELECT language, timezone FROM user_settings");
      expect(rows).toEqual([{ language: "en", timezone: "UTC" }]);
      project.ok("downgrade", "a000");
      expect(await probe.tableExists("user_settings")).toBe(false);
    });

    it("inserts typed values and branches on the dialect", async () => {
      project.ok("upgrade", "head");
      const rows = await probe.query("SELECT id, name FROM flags ORDER BY id");
      expect(rows.map((row) => [Number(row.id), row.name])).toEqual([
        [1, "a"],
        [2, "b"],
        [3, harness.name],
      ]);
      const truthy = await probe.query('SELECT id FROM flags WHERE "on" = TRUE ORDER BY id');
      expect(truthy.map((row) => Number(row.id))).toEqual([1]);
      expect(await probe.existingTables(["pg_only", "not_pg"])).toEqual(
        harness.name === "postgresql" ? ["pg_only"] : ["not_pg"],
      );
      project.ok("downgrade", "b000");
      expect(await probe.existingTables(["flags", "pg_only", "not_pg"])).toEqual([]);
    });
  });
}
