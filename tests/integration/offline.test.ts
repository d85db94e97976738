import { parseDatabaseUrl } from "@retort/core";
import { afterAll, describe, expect, it } from "vitest";
import { harnesses, type DialectHarness, type TestDatabase } from "./dialects.js";
import { migrationSets } from "./support/migration-sets.js";
import type { SchemaSnapshot } from "./support/schema-snapshot.js";
import { TestProject } from "./support/test-project.js";

/**
 * Offline scripts tell the truth: for every migration set, the `--sql`
 * script of an upgrade, run by the database's own client (`sqlite3`,
 * `psql -v ON_ERROR_STOP=1`, `mysql`), leaves the same schema, data and version rows
 * as the online run; and so does the script of the downgrade back to base.
 * The schemas are compared as the databases reflect them, not as text.
 */
for (const harness of harnesses) {
  describe(`offline --sql on ${harness.name}`, () => {
    const databases: TestDatabase[] = [];
    const projects: TestProject[] = [];
    afterAll(async () => {
      for (const project of projects) project.cleanup();
      for (const database of databases) await database.drop();
    });

    async function fresh(): Promise<TestDatabase> {
      const database = await harness.create();
      databases.push(database);
      return database;
    }

    /** A project of its own on a fresh database, cleaned up after the suite. */
    async function freshProject(): Promise<TestProject> {
      const project = new TestProject({ url: (await fresh()).url });
      projects.push(project);
      return project;
    }

    for (const set of migrationSets) {
      const supported = (set.needs ?? []).every((need) => harness.driver.dialect.capabilities[need]);
      if (!supported) continue;
      it(`replays "${set.name}" to the state of the online run, up and down`, async () => {
        const online = await fresh();
        const offline = await fresh();
        const project = new TestProject({ url: online.url });
        projects.push(project);
        set.write(project);

        project.ok("upgrade", set.target);
        const upScript = project.ok("upgrade", "--sql", set.target, "--url", offline.url);
        expect(upScript).toContain("-- Running upgrade");
        harness.runScript(offline.url, upScript);
        expect(await snapshot(harness, offline.url, project.dir)).toEqual(
          await snapshot(harness, online.url, project.dir),
        );

        const heads = (await versionRows(harness, online.url, project.dir)).join(",");
        project.ok("downgrade", "base");
        const downScript = project.ok("downgrade", "--sql", `${heads.split(",")[0]}:base`, "--url", offline.url);
        if (!heads.includes(",")) {
          harness.runScript(offline.url, downScript);
          expect(await snapshot(harness, offline.url, project.dir)).toEqual(
            await snapshot(harness, online.url, project.dir),
          );
        }
      });
    }

    it("writes version rows in Alembic's statements and BEGIN/COMMIT per the dialect", async () => {
      const project = await freshProject();
      project.addRevision({ id: "a1", down: null });
      project.addRevision({ id: "b2", down: "a1" });
      const script = project.ok("upgrade", "--sql", "head");
      const quoted = harness.driver.dialect.quoteIdentifier("alembic_version");
      expect(script).toContain(`CREATE TABLE ${quoted}`);
      expect(script).toContain(`INSERT INTO ${quoted} (version_num) VALUES ('a1');`);
      expect(script).toContain(`UPDATE ${quoted} SET version_num = 'b2' WHERE version_num = 'a1';`);
      // SQLite's script turns foreign keys off first, as an online run does (see below).
      const opening = [...(harness.driver.dialect.scriptBeforeBegin ?? []).map((sql) => `${sql};\n\n`), "BEGIN;"];
      expect(script.startsWith(opening.join(""))).toBe(harness.driver.dialect.capabilities.transactionalDdl);
      const fromA1 = project.ok("upgrade", "--sql", "a1:head");
      expect(fromA1).not.toContain(`CREATE TABLE ${quoted}`);
      expect(fromA1).toContain("-- Running upgrade a1 -> b2");
    });

    it("counts a relative target without a starting revision from base, as Alembic, and says so", async () => {
      const project = await freshProject();
      project.addRevision({ id: "a1", down: null });
      project.addRevision({ id: "b2", down: "a1" });
      project.addRevision({ id: "c3", down: "b2" });
      const two = project.run("upgrade", "--sql", "+2");
      expect(two.status, two.stderr).toBe(0);
      expect(two.stdout).toContain("-- Running upgrade  -> a1");
      expect(two.stdout).toContain("-- Running upgrade a1 -> b2");
      expect(two.stdout).not.toContain("-> c3");
      expect(two.stderr).toContain(
        "--sql without a starting revision starts from an empty database: +2 counts from base",
      );
      expect(project.run("upgrade", "--sql", "b2:+1").stdout).toContain("-- Running upgrade b2 -> c3");
      const overrun = project.run("upgrade", "--sql", "+4");
      expect(overrun.status).toBe(1);
      expect(overrun.stderr).toContain("Relative revision +4 didn't produce 4 migrations");
    });

    it("refuses what needs a live database before printing anything, saying what to do instead", async () => {
      const project = await freshProject();
      project.addRevision({ id: "a1", down: null, upgrade: '  await op.getBind().query("SELECT 1");' });
      const bind = project.run("upgrade", "--sql", "head");
      expect(bind.status).toBe(1);
      expect(bind.stdout).toBe("");
      expect(bind.stderr).toContain("op.getBind().query() needs a live database");
      expect(bind.stderr).toContain("op.getContext().isOffline");
      const downgrade = project.run("downgrade", "--sql", "base");
      expect(downgrade.stderr).toContain("FAILED: downgrade with --sql requires <fromrev>:<torev>");
      const purge = project.run("stamp", "--sql", "--purge", "a1");
      expect(purge.stderr).toContain("FAILED: Can't use --purge with --sql mode");
      const starts = project.run("stamp", "--sql", "a1:a1", "base:a1");
      expect(starts.stderr).toContain("Stamp operation with --sql only supports a single starting revision at a time");
    });

    if (!harness.driver.dialect.capabilities.alterInPlace) {
      it("refuses a batch rebuild without copyFrom before printing anything, naming copyFrom", async () => {
        const project = await freshProject();
        project.addRevision({
          id: "a1",
          down: null,
          upgrade:
            '  await op.createTable("t", column("id", integer(), { primaryKey: true }), column("a", integer()));',
        });
        project.addRevision({
          id: "b2",
          down: "a1",
          upgrade:
            '  await op.batchAlterTable("t", {}, async (batch) => { await batch.alterColumn("a", { nullable: false }); });',
        });
        const result = project.run("upgrade", "--sql", "head");
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(
          'Batch mode with dialect sqlite (reflecting table "t" to rebuild it) needs a live database, which --sql (offline) mode does not have.',
        );
        expect(result.stderr).toContain('To generate a batch SQL migration script using table "move and copy"');
        expect(result.stderr).toContain("copyFrom");
      });
    }

    // MySQL's schemas are its other databases: versionTableSchema names one (mysql-other-database.test.ts).
    if (harness.name === "sqlite") {
      it("refuses versionTableSchema where the database has no schemas, naming the setting", async () => {
        const database = await fresh();
        const project = new TestProject({ url: database.url, config: { versionTableSchema: "meta" } });
        projects.push(project);
        project.addRevision({ id: "a1", down: null });
        const result = project.run("upgrade", "--sql", "head");
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(
          `FAILED: versionTableSchema in the config puts the version table in schema "meta", but ${harness.driver.dialect.name} has no schemas. Remove versionTableSchema from the config.`,
        );
      });
    }

    it("on a failing migration writes no script and says no database was touched", async () => {
      const project = await freshProject();
      project.addRevision({ id: "a1", down: null, upgrade: '  await op.createTable("t", column("id", integer()));' });
      project.addRevision({
        id: "b2",
        down: "a1",
        upgrade: '  await op.addColumn("t", column("x", integer(), { nullabel: false }));',
      });
      const result = project.run("upgrade", "--sql", "head");
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("Upgrade of revision b2");
      expect(result.stderr).toContain("did you mean 'nullable'?");
      expect(result.stderr).toContain(
        "No script was written and no database was touched (--sql): fix the migration, then generate the script again.",
      );
      expect(result.stderr).not.toContain("rolled back");
      expect(result.stderr).not.toContain("The version table is at");
    });

    it("writes data shaped like a sql`...` expression as a quoted literal, never as SQL", async () => {
      const project = await freshProject();
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: [
          '  await op.createTable("t", column("id", integer()), column("note", string(200)));',
          '  const note = JSON.parse(\'{ "kind": "sql", "text": "1); DROP TABLE t; --" }\');',
          '  await op.bulkInsert("t", [{ id: 1, note }]);',
        ].join("\n"),
      });
      const script = project.ok("upgrade", "--sql", "head");
      expect(script).not.toContain("VALUES (1, 1); DROP TABLE t; --)");
      expect(script).toContain(`'{"kind":"sql","text":"1); DROP TABLE t; --"}'`);
    });

    it("lets a migration ask whether it runs offline", async () => {
      const project = await freshProject();
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: [
          '  if (op.getContext().isOffline) await op.execute("CREATE TABLE offline_only (id INTEGER)");',
          '  else await op.execute("CREATE TABLE online_only (id INTEGER)");',
        ].join("\n"),
      });
      expect(project.ok("upgrade", "--sql", "head")).toContain("CREATE TABLE offline_only");
    });

    it("passes -x arguments and --tag to migrations as online", async () => {
      const project = await freshProject();
      project.addRevision({
        id: "a1",
        down: null,
        upgrade: [
          '  await op.execute("CREATE TABLE t_" + op.getContext().xArgs.tenant + " (id INTEGER)");',
          '  await op.execute("CREATE TABLE tag_" + op.getContext().tag + " (id INTEGER)");',
        ].join("\n"),
      });
      const script = project.ok("-x", "tenant=acme", "upgrade", "--sql", "--tag", "t1", "head");
      expect(script).toContain("CREATE TABLE t_acme (id INTEGER);");
      expect(script).toContain("CREATE TABLE tag_t1 (id INTEGER);");
    });

    if (!harness.driver.dialect.capabilities.alterInPlace) {
      /**
       * A project whose a1 runs `seed` (SQL statements) and whose b2 rebuilds
       * `users` in a batch with `copyFrom` (the `users` definition given) and
       * the batch `step`; a1 is applied to a fresh database through its
       * script, and the script of a1:b2 is returned, not run.
       */
      async function batchScript(
        seed: readonly string[],
        usersColumns: string,
        step: string,
      ): Promise<{ database: TestDatabase; project: TestProject; script: string }> {
        const project = await freshProject();
        project.addRevision({
          id: "a1",
          down: null,
          upgrade: seed.map((statement) => `  await op.execute(${JSON.stringify(statement)});`).join("\n"),
        });
        project.addRevision({
          id: "b2",
          down: "a1",
          upgrade: [
            '  const { table } = await import("@retort/core");',
            `  const users = table("users", ${usersColumns});`,
            '  await op.batchAlterTable("users", { copyFrom: users }, async (batch) => {',
            `    await batch.${step};`,
            "  });",
          ].join("\n"),
        });
        const database = await fresh();
        harness.runScript(database.url, project.ok("upgrade", "--sql", "a1", "--url", database.url));
        return { database, project, script: project.ok("upgrade", "--sql", "a1:b2", "--url", database.url) };
      }

      it("rebuilds a parent table without deleting its children through ON DELETE CASCADE, even in a session with foreign keys on", async () => {
        const { database, project, script } = await batchScript(
          [
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(40))",
            "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE)",
            "INSERT INTO users VALUES (1, 'a@x')",
            "INSERT INTO posts VALUES (1, 1), (2, 1)",
          ],
          'column("id", integer(), { primaryKey: true }), column("email", string(40))',
          'alterColumn("email", { nullable: false })',
        );
        expect(script).toContain('DROP TABLE "users"');
        // A session that enforces foreign keys (an app's, or sqlite3 told to) runs the script.
        harness.runScript(database.url, `PRAGMA foreign_keys = ON;\n${script}`);
        const connection = await harness.driver.connect(parseDatabaseUrl(database.url), { cwd: project.dir });
        try {
          expect((await connection.query("SELECT count(*) AS n FROM posts")).rows).toEqual([{ n: 2 }]);
        } finally {
          await connection.close();
        }
        expect(await versionRows(harness, database.url, project.dir)).toEqual(["b2"]);
      });

      it("fails the script, changing nothing, when copyFrom leaves out a column or an index of the table", async () => {
        const { database, project, script } = await batchScript(
          [
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(40), secret TEXT)",
            "CREATE UNIQUE INDEX ux_secret ON users (secret)",
            "INSERT INTO users VALUES (1, 'a@x', 's1')",
          ],
          'column("id", integer(), { primaryKey: true }), column("email", string(40))',
          'alterColumn("email", { nullable: false })',
        );
        expect(() => harness.runScript(database.url, script)).toThrow(
          /copyFrom has every column and index of the table/,
        );
        expect(await versionRows(harness, database.url, project.dir)).toEqual(["a1"]);
        const connection = await harness.driver.connect(parseDatabaseUrl(database.url), { cwd: project.dir });
        try {
          expect((await connection.query("SELECT id, email, secret FROM users")).rows).toEqual([
            { id: 1, email: "a@x", secret: "s1" },
          ]);
        } finally {
          await connection.close();
        }
      });

      it("fails the script, changing nothing, when a view or another table's trigger may use a column the batch drops", async () => {
        const { database, project, script } = await batchScript(
          [
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(40), legacy INTEGER)",
            "CREATE VIEW legacy_users AS SELECT id, legacy FROM users",
          ],
          'column("id", integer(), { primaryKey: true }), column("email", string(40)), column("legacy", integer())',
          'dropColumn("legacy")',
        );
        expect(() => harness.runScript(database.url, script)).toThrow(/no views or triggers use the table/);
        expect(await versionRows(harness, database.url, project.dir)).toEqual(["a1"]);
        const connection = await harness.driver.connect(parseDatabaseUrl(database.url), { cwd: project.dir });
        try {
          expect((await connection.query("SELECT count(*) AS n FROM legacy_users")).rows).toEqual([{ n: 0 }]);
        } finally {
          await connection.close();
        }
      });
    }

    if (harness.name === "mysql") {
      it("writes MariaDB's SQL for a mariadb:// URL and MySQL 8's for mysql://; the server runs its own", async () => {
        const project = await freshProject();
        project.addRevision({
          id: "a1",
          down: null,
          upgrade: [
            '  await op.createTable("t", column("id", integer(), { primaryKey: true }), column("a", integer()));',
            '  await op.createCheckConstraint("ck_t_a", "t", "a >= 0");',
          ].join("\n"),
        });
        project.addRevision({
          id: "b2",
          down: "a1",
          upgrade: '  await op.dropConstraint("ck_t_a", "t", { type: "check" });',
        });
        const database = await fresh();
        const mariadbUrl = database.url.replace(/^mysql:/, "mariadb:");
        const mariadbScript = project.ok("upgrade", "--sql", "head", "--url", mariadbUrl);
        const mysqlScript = project.ok("upgrade", "--sql", "head", "--url", database.url);
        expect(mariadbScript).toContain("ALTER TABLE `t` DROP CONSTRAINT `ck_t_a`;");
        expect(mysqlScript).toContain("ALTER TABLE `t` DROP CHECK `ck_t_a`;");
        // The test server is MariaDB on CI and MySQL 8 under Testcontainers: its own script runs on it.
        const connection = await harness.driver.connect(parseDatabaseUrl(database.url));
        const serverIsMariadb = /mariadb/i.test(
          (await connection.query<{ v: string }>("SELECT VERSION() AS v")).rows[0]?.v ?? "",
        );
        await connection.close();
        harness.runScript(database.url, serverIsMariadb ? mariadbScript : mysqlScript);
        expect(await versionRows(harness, database.url, project.dir)).toEqual(["b2"]);
      });

      it("sets the connection's character set first, so that a value outside the client's default replays as written", async () => {
        const project = await freshProject();
        project.addRevision({
          id: "a1",
          down: null,
          upgrade: [
            '  await op.createTable("notes", column("id", integer(), { primaryKey: true }), column("body", string(20)), { mysql: { charset: "utf8mb4" } });',
            '  await op.bulkInsert("notes", [{ id: 1, body: "caf\u00e9 \u{1F600}" }]);',
          ].join("\n"),
        });
        const database = await fresh();
        const script = project.ok("upgrade", "--sql", "head", "--url", database.url);
        expect(script.startsWith("SET NAMES utf8mb4;\n")).toBe(true);
        expect(project.ok("upgrade", "--sql", "head", "--url", `${database.url}?charset=latin1`)).toMatch(
          /^SET NAMES latin1;\n/,
        );
        harness.runScript(database.url, script);
        const connection = await harness.driver.connect(parseDatabaseUrl(database.url));
        try {
          expect((await connection.query("SELECT body FROM notes")).rows).toEqual([{ body: "caf\u00e9 \u{1F600}" }]);
        } finally {
          await connection.close();
        }
      });
    }
  });
}

async function snapshot(harness: DialectHarness, url: string, cwd: string): Promise<SchemaSnapshot> {
  const connection = await harness.driver.connect(parseDatabaseUrl(url), { cwd });
  try {
    return await harness.snapshot(connection);
  } finally {
    await connection.close();
  }
}

async function versionRows(harness: DialectHarness, url: string, cwd: string): Promise<string[]> {
  const connection = await harness.driver.connect(parseDatabaseUrl(url), { cwd });
  try {
    return (await connection.query<{ version_num: string }>("SELECT version_num FROM alembic_version")).rows.map(
      (row) => row.version_num,
    );
  } finally {
    await connection.close();
  }
}
