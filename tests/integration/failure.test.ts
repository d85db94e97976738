import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * A migration that fails halfway (a good statement, then a bad one) leaves
 * the schema and the version table exactly as they were: before the run by
 * default, before that migration with transactionPerMigration. Without
 * transactional DDL (MySQL) every migration commits on its own: the version
 * table is at the last complete migration, and the message lists what of
 * the failed one already ran.
 */
for (const harness of harnesses) {
  const transactional = harness.driver.dialect.capabilities.transactionalDdl;
  describe(`a failing migration on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeEach(async () => {
      database = await harness.create();
    });
    afterEach(async () => {
      project?.cleanup();
      await database?.drop();
    });

    function writeProject(config: Record<string, unknown> = {}): void {
      project = new TestProject({ url: database.url, config });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.addRevision({ id: "a000", down: null });
      project.addRevision({ id: "b000", down: "a000" });
      project.addRevision({
        id: "c000",
        down: "b000",
        upgrade: [
          // A statement of several lines: the message keeps each of them indented.
          `  await op.execute("CREATE TABLE half_done (\\n  id INTEGER\\n)");`,
          // A data change after the last DDL statement: rolled back with the failure, even on MySQL.
          `  await op.execute("INSERT INTO half_done VALUES (7)");`,
          `  await op.execute("INSERT INTO no_such_table VALUES (1)");`,
        ].join("\n"),
      });
    }

    /** A project whose only migration, a000, runs these lines of `upgrade`. */
    function migrationProject(upgrade: readonly string[]): void {
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.addRevision({ id: "a000", down: null, upgrade: upgrade.join("\n") });
    }

    /** A project of a000 (creates t_a000), then b000, which runs these lines of `upgrade`. */
    function afterFirstMigration(upgrade: readonly string[]): void {
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.addRevision({ id: "a000", down: null });
      project.addRevision({ id: "b000", down: "a000", upgrade: upgrade.join("\n") });
    }

    /** The ids in table `kept`, in order. */
    async function keptIds(): Promise<number[]> {
      return (await probe.query("SELECT id FROM kept ORDER BY id")).map((row) => Number(row.id));
    }

    it("rolls the whole run back by default", async () => {
      writeProject();
      project.ok("upgrade", "a000");
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      const failure = result.stderr.slice(result.stderr.indexOf("FAILED: "));
      expect(failure).toContain("Upgrade of revision c000");
      expect(failure).toContain("statement: INSERT INTO no_such_table VALUES (1)");
      expect(failure).toMatch(/no_such_table/);
      if (!transactional) {
        expect(failure).toContain(
          "Statements of this migration that already ran:\n    CREATE TABLE half_done (\n        id INTEGER\n      );\n  Rolled back with the failure:\n    INSERT INTO half_done VALUES (7);\n  The version table",
        );
        expect(await probe.query("SELECT count(*) AS n FROM half_done")).toEqual([{ n: 0 }]);
        expect(failure).toContain("The version table is at b000 (the last complete migration)");
        expect(await probe.versionRows()).toEqual(["b000"]);
        expect(await probe.existingTables(["t_a000", "t_b000", "half_done"])).toEqual([
          "t_a000",
          "t_b000",
          "half_done",
        ]);
        return;
      }
      expect(failure).toContain("The whole run was rolled back");
      expect(await probe.versionRows()).toEqual(["a000"]);
      expect(await probe.existingTables(["t_a000", "t_b000", "half_done"])).toEqual(["t_a000"]);
    });

    it("says what a failed migration leaves when only data changes ran before its failure", async () => {
      afterFirstMigration([
        '  await op.execute("INSERT INTO t_a000 (id) VALUES (1)");',
        '  await op.execute("INSERT INTO no_such_table VALUES (1)");',
      ]);
      project.ok("upgrade", "a000");
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        transactional
          ? "The whole run was rolled back"
          : "No statement of this migration stays applied. Rolled back with the failure:\n    INSERT INTO t_a000 (id) VALUES (1);\n  The version table is at a000",
      );
      expect(result.stderr).not.toContain("Undo those statements");
      expect(Number((await probe.query("SELECT count(*) AS n FROM t_a000"))[0]?.n)).toBe(0);
      expect(await probe.versionRows()).toEqual(["a000"]);
    });

    it("says what stays applied by what the server committed, not by how a statement starts", async () => {
      migrationProject([
        // A comment first: still DDL, committed by itself on MySQL.
        '  await op.execute("/* kept */ CREATE TABLE kept (id INTEGER)");',
        "  await op.getContext().autocommitBlock(async () => {",
        '    await op.execute("INSERT INTO kept VALUES (1)");',
        "  });",
        '  await op.execute("INSERT INTO kept VALUES (2)");',
        // Starts like DDL, but MySQL does not commit for a temporary table.
        '  await op.execute("CREATE TEMPORARY TABLE scratch (id INTEGER)");',
        '  await op.execute("INSERT INTO kept VALUES (3)");',
        '  await op.execute("INSERT INTO no_such_table VALUES (1)");',
      ]);
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        transactional
          ? [
              "Of this migration, what ran before and in its autocommit block stays applied (it runs again on the next attempt):",
              "    /* kept */ CREATE TABLE kept (id INTEGER);",
              "    INSERT INTO kept VALUES (1);",
            ].join("\n")
          : [
              "Statements of this migration that already ran:",
              "    /* kept */ CREATE TABLE kept (id INTEGER);",
              "    INSERT INTO kept VALUES (1);",
              "  Rolled back with the failure:",
              "    INSERT INTO kept VALUES (2);",
              "    CREATE TEMPORARY TABLE scratch (id INTEGER);",
              "    INSERT INTO kept VALUES (3);",
              "  The version table is at base (empty)",
            ].join("\n"),
      );
      expect(await keptIds()).toEqual([1]);
      expect(await probe.versionRows()).toEqual([]);
    });

    it("counts a failed DDL statement's own commit, and DDL sent through op.getBind()", async () => {
      migrationProject([
        '  await op.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)");',
        '  await op.execute("INSERT INTO kept VALUES (1)");',
        '  await op.getBind().query("CREATE TABLE by_bind (id INTEGER)");',
        '  await op.execute("INSERT INTO kept VALUES (2)");',
        // Fails: MySQL has committed the transaction before it, with both rows.
        '  await op.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)");',
      ]);
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      if (transactional) {
        expect(result.stderr).toContain("The whole run was rolled back");
        expect(await probe.existingTables(["kept", "by_bind"])).toEqual([]);
        return;
      }
      expect(result.stderr).toContain(
        [
          "Statements of this migration that already ran:",
          "    CREATE TABLE kept (id INTEGER PRIMARY KEY);",
          "    INSERT INTO kept VALUES (1);",
          "    CREATE TABLE by_bind (id INTEGER);",
          "    INSERT INTO kept VALUES (2);",
          "  The failed statement committed the transaction before it failed",
        ].join("\n"),
      );
      expect(result.stderr).not.toContain("Rolled back with the failure");
      expect(await keptIds()).toEqual([1, 2]);
      expect(await probe.versionRows()).toEqual([]);
    });

    it("commits a migration that ran an autocommit block with its version row", async () => {
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: [
          '  await op.execute("CREATE TABLE before_block (id INTEGER)");',
          "  await op.getContext().autocommitBlock(async () => {",
          '    await op.execute("CREATE TABLE in_block (id INTEGER)");',
          "  });",
        ].join("\n"),
      });
      project.addRevision({ id: "b000", down: "a000", upgrade: '  await op.execute("SELECT * FROM no_such_table");' });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        transactional
          ? "Rolled back to the last commit: the version table is at a000"
          : "The version table is at a000 (the last complete migration)",
      );
      expect(await probe.versionRows()).toEqual(["a000"]);
      expect(await probe.existingTables(["before_block", "in_block"])).toEqual(["before_block", "in_block"]);
    });

    if (harness.name === "postgresql") {
      it("lists what an autocommit block committed when the commit after it fails", async () => {
        // A failed statement the migration catches aborts PostgreSQL's transaction: the run's commit fails.
        afterFirstMigration([
          '  await op.execute("CREATE TABLE before_block (id INTEGER)");',
          "  await op.getContext().autocommitBlock(async () => {",
          '    await op.execute("CREATE TABLE in_block (id INTEGER)");',
          "  });",
          '  await op.execute("CREATE TABLE after_block (id INTEGER)");',
          '  await op.execute("SELECT * FROM no_such_table").catch(() => undefined);',
        ]);
        const result = project.run("upgrade", "head");
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("Rolled back to the last commit: the version table is at a000");
        expect(result.stderr).toContain(
          "Of this migration, what ran before and in its autocommit block stays applied (it runs again on the next attempt):\n    CREATE TABLE before_block (id INTEGER);\n    CREATE TABLE in_block (id INTEGER);",
        );
        expect(await probe.versionRows()).toEqual(["a000"]);
        expect(await probe.existingTables(["before_block", "in_block", "after_block"])).toEqual([
          "before_block",
          "in_block",
        ]);
      });
    }

    it("keeps the migrations before the failing one with transactionPerMigration", async () => {
      writeProject({ transactionPerMigration: true });
      const result = project.run("upgrade", "head");
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        transactional
          ? "Rolled back to the last commit: the version table is at b000"
          : "The version table is at b000 (the last complete migration)",
      );
      expect(await probe.versionRows()).toEqual(["b000"]);
      expect(await probe.existingTables(["t_a000", "t_b000", "half_done"])).toEqual(
        transactional ? ["t_a000", "t_b000"] : ["t_a000", "t_b000", "half_done"],
      );
    });

    if (harness.driver.dialect.capabilities.schemas) {
      it("names the version table and versionTableSchema when that schema does not exist", async () => {
        writeProject({ versionTableSchema: "no_such_schema_v" });
        for (const command of [["upgrade", "head"], ["ensure-version"]]) {
          const result = project.run(...command);
          expect(result.status).toBe(1);
          expect(result.stderr).toContain(
            "FAILED: Cannot create the version table 'no_such_schema_v.alembic_version': ",
          );
          expect(result.stderr).toContain(
            'versionTableSchema in the config puts it in schema "no_such_schema_v": if that schema does not exist, create it first',
          );
        }
        expect(await probe.existingTables(["t_a000"])).toEqual([]);
      });
    }
  });
}
