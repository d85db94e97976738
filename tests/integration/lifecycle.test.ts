import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { current, downgrade, history, parseDatabaseUrl, stamp, upgrade, type RetortConfig } from "@retort/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";

const here = fileURLToPath(new URL(".", import.meta.url));

/** A project folder whose migrations resolve @retort/core through this package's node_modules. */
function writeProject(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "retort-it-project-"));
  symlinkSync(path.join(here, "node_modules"), path.join(dir, "node_modules"), "dir");
  writeFileSync(path.join(dir, "package.json"), '{"type":"module"}');
  const versions = path.join(dir, "migrations", "versions");
  mkdirSync(versions, { recursive: true });
  const migration = (id: string, down: string | string[] | null, up: string, downBody: string, extra = "") =>
    writeFileSync(
      path.join(versions, `${id}_m.ts`),
      [
        `/** ${id} */`,
        `import { column, integer, string, type Operations } from "@retort/core";`,
        `export const revision = "${id}";`,
        `export const downRevision = ${JSON.stringify(down)};`,
        extra,
        `export async function upgrade(op: Operations) { ${up} }`,
        `export async function downgrade(op: Operations) { ${downBody} }`,
      ].join("\n"),
    );
  migration(
    "a1a1a1a1a1a1",
    null,
    `await op.createTable("account", column("id", integer(), { primaryKey: true }), column("name", string(50), { nullable: false }));`,
    `await op.dropTable("account");`,
  );
  migration(
    "b2b2b2b2b2b2",
    "a1a1a1a1a1a1",
    `await op.addColumn("account", column("email", string(100))); await op.createIndex("ix_account_email", "account", ["email"]);`,
    `await op.dropIndex("ix_account_email", { table: "account" }); await op.execute('ALTER TABLE account DROP COLUMN email');`,
  );
  migration(
    "c3c3c3c3c3c3",
    "b2b2b2b2b2b2",
    `await op.bulkInsert("account", [{ id: 1, name: "a", email: "a@x" }, { id: 2, name: "b", email: null }]);`,
    `await op.execute("DELETE FROM account");`,
  );
  migration(
    "d4d4d4d4d4d4",
    "a1a1a1a1a1a1",
    `await op.createTable("audit", column("id", integer(), { primaryKey: true }));`,
    `await op.dropTable("audit");`,
    `export const branchLabels = ["audit"];`,
  );
  return dir;
}

for (const harness of harnesses) {
  describe(`lifecycle through the API on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: string;
    let config: RetortConfig;

    beforeAll(async () => {
      database = await harness.create();
      project = writeProject();
      config = { scriptLocation: path.join(project, "migrations"), url: database.url };
    });
    afterAll(async () => {
      await database?.drop();
      rmSync(project, { recursive: true, force: true });
    });

    async function query(sql: string): Promise<Record<string, unknown>[]> {
      const connection = await harness.driver.connect(parseDatabaseUrl(database.url), { cwd: project });
      try {
        return (await connection.query(sql)).rows;
      } finally {
        await connection.close();
      }
    }

    async function tableExists(name: string): Promise<boolean> {
      const connection = await harness.driver.connect(parseDatabaseUrl(database.url), { cwd: project });
      try {
        return await connection.tableExists(name);
      } finally {
        await connection.close();
      }
    }

    it("upgrades every head and reports the steps", async () => {
      const result = await upgrade(config, "heads", { cwd: project });
      expect(result.headsBefore).toEqual([]);
      expect([...result.headsAfter].sort()).toEqual(["c3c3c3c3c3c3", "d4d4d4d4d4d4"]);
      expect(result.steps.map((step) => step.description.split(",")[0])).toHaveLength(4);
      expect(await query("SELECT id, name, email FROM account ORDER BY id")).toEqual([
        { id: 1, name: "a", email: "a@x" },
        { id: 2, name: "b", email: null },
      ]);
      const rows = await query("SELECT version_num FROM alembic_version ORDER BY version_num");
      expect(rows.map((row) => row.version_num)).toEqual(["c3c3c3c3c3c3", "d4d4d4d4d4d4"]);
    });

    it("reads current and history", async () => {
      const state = await current(config, { cwd: project });
      expect(state.databaseHeads.slice().sort()).toEqual(["c3c3c3c3c3c3", "d4d4d4d4d4d4"]);
      const listed = await history(config, { cwd: project, indicateCurrent: true });
      expect(listed.revisions).toHaveLength(4);
      expect(listed.revisions.at(-1)?.id).toBe("a1a1a1a1a1a1");
    });

    it("downgrades one branch by label, then everything", async () => {
      await downgrade(config, "audit@a1a1a1a1a1a1", { cwd: project });
      expect((await current(config, { cwd: project })).databaseHeads).toEqual(["c3c3c3c3c3c3"]);
      expect(await tableExists("audit")).toBe(false);
      await downgrade(config, "-2", { cwd: project });
      expect((await current(config, { cwd: project })).databaseHeads).toEqual(["a1a1a1a1a1a1"]);
      await expect(query("SELECT email FROM account")).rejects.toThrow(/email/);
      expect(await query("SELECT id, name FROM account ORDER BY id")).toEqual([]);
      await downgrade(config, "base", { cwd: project });
      expect((await current(config, { cwd: project })).databaseHeads).toEqual([]);
    });

    it("stamps without running migrations", async () => {
      const result = await stamp(config, ["c3c3c3c3c3c3", "d4d4d4d4d4d4"], { cwd: project });
      expect([...result.headsAfter].sort()).toEqual(["c3c3c3c3c3c3", "d4d4d4d4d4d4"]);
      expect(await tableExists("account")).toBe(false);
      await stamp(config, "base", { cwd: project });
      expect((await current(config, { cwd: project })).databaseHeads).toEqual([]);
    });
  });
}
