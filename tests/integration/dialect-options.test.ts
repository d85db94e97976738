import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * Options keyed by dialect (`{ postgresql: {...} }`, Alembic's
 * `postgresql_using`): one migration file, run through the CLI on every
 * dialect. PostgreSQL reads its block and rejects unknown keys in it; SQLite
 * ignores it. The deprecated top-level form still works on PostgreSQL, with
 * one warning per run.
 */
const KEYED_UPGRADE = [
  `  await op.createTable("docs", column("id", integer(), { primaryKey: true }), column("tag", string(50)), column("body", string(200)));`,
  `  await op.createIndex("ix_docs_tag", "docs", ["tag"], { postgresql: { using: "hash" } });`,
  `  await op.createIndex("ix_docs_body", "docs", ["body"], { unique: true, postgresql: { include: ["id"] }, mysql: { length: 10 } });`,
  `  await op.getContext().autocommitBlock(async () => {`,
  `    await op.createIndex("ix_docs_id_tag", "docs", ["id", "tag"], { postgresql: { concurrently: true } });`,
  `  });`,
].join("\n");

for (const harness of harnesses) {
  describe(`dialect-keyed options on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    let probe: DatabaseProbe;

    beforeEach(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      probe = new DatabaseProbe(harness, database.url, project.dir);
    });
    afterEach(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("runs one migration with { postgresql: {...} } options, each database reading only its own", async () => {
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: KEYED_UPGRADE,
        downgrade: `  await op.dropTable("docs");`,
      });
      const result = project.run("upgrade", "head");
      expect(result.stderr).not.toContain("FAILED");
      expect(result.stderr).not.toContain("WARNING");
      expect(result.status).toBe(0);
      expect(await probe.versionRows()).toEqual(["a000"]);
      const indexes = await indexDefinitions(probe, harness.name);
      expect(Object.keys(indexes).sort()).toEqual(["ix_docs_body", "ix_docs_id_tag", "ix_docs_tag"]);
      if (harness.name === "postgresql") {
        expect(indexes.ix_docs_tag).toContain("USING hash (tag)");
        expect(indexes.ix_docs_body).toMatch(
          /CREATE UNIQUE INDEX ix_docs_body ON .*docs USING btree \(body\) INCLUDE \(id\)/,
        );
      } else if (harness.name === "mysql") {
        expect(indexes.ix_docs_tag).toBe("tag");
        expect(indexes.ix_docs_body).toBe("body(10) unique");
      } else {
        expect(indexes.ix_docs_tag).toBe('CREATE INDEX "ix_docs_tag" ON "docs" ("tag")');
        expect(indexes.ix_docs_body).toBe('CREATE UNIQUE INDEX "ix_docs_body" ON "docs" ("body")');
      }
      project.ok("downgrade", "base");
      expect(await probe.existingTables(["docs"])).toEqual([]);
    });

    it("creates a table with { mysql: { engine, charset, collate } }, which the other databases ignore", async () => {
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: [
          `  await op.createTable("notes", column("id", integer(), { primaryKey: true }), column("body", string(20)),`,
          `    { mysql: { engine: "MyISAM", charset: "latin1", collate: "latin1_bin" } });`,
        ].join("\n"),
      });
      const result = project.run("upgrade", "head");
      expect(result.stderr).not.toContain("FAILED");
      expect(result.status).toBe(0);
      expect(await probe.existingTables(["notes"])).toEqual(["notes"]);
      if (harness.name === "mysql") {
        const rows = await probe.query(
          "SELECT engine AS engine, table_collation AS collation FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'notes'",
        );
        expect(rows).toEqual([{ engine: "MyISAM", collation: "latin1_bin" }]);
      }
    });

    it("rejects an unknown key in a table's MySQL block on MySQL only, before creating it", async () => {
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: `  await op.createTable("notes", column("id", integer(), { primaryKey: true }), { mysql: { engin: "InnoDB" } });`,
      });
      const result = project.run("upgrade", "head");
      if (harness.name === "mysql") {
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(
          `Unknown option 'engin' in mysql of op.createTable("notes", ...): did you mean 'engine'?`,
        );
        expect(await probe.existingTables(["notes"])).toEqual([]);
      } else {
        expect(result.status).toBe(0);
        expect(await probe.existingTables(["notes"])).toEqual(["notes"]);
      }
    });

    it("rejects an unknown key in the PostgreSQL block on PostgreSQL only", async () => {
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: [
          `  await op.createTable("docs", column("id", integer(), { primaryKey: true }));`,
          `  await op.createIndex("ix_docs_id", "docs", ["id"], { postgresql: { concurently: true } });`,
        ].join("\n"),
      });
      const result = project.run("upgrade", "head");
      if (harness.name === "postgresql") {
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(
          `Unknown option 'concurently' in postgresql of op.createIndex("ix_docs_id", ...): did you mean 'concurrently'? Valid options: concurrently, using, include`,
        );
        expect(await probe.versionRows()).toEqual([]);
        expect(await probe.existingTables(["docs"])).toEqual([]);
      } else {
        expect(result.stderr).not.toContain("FAILED");
        expect(await probe.versionRows()).toEqual(["a000"]);
      }
    });

    it("keeps the deprecated top-level PostgreSQL options working on PostgreSQL, warning once per run", async () => {
      project.addRevision({
        id: "a000",
        down: null,
        upgrade: [
          `  await op.createTable("docs", column("id", integer(), { primaryKey: true }), column("tag", string(50)));`,
          `  await op.createIndex("ix_docs_tag", "docs", ["tag"], { using: "hash" });`,
          `  await op.createIndex("ix_docs_id", "docs", ["id"], { using: "btree" });`,
        ].join("\n"),
      });
      const result = project.run("upgrade", "head");
      if (harness.name === "postgresql") {
        expect(result.stderr).not.toContain("FAILED");
        const warnings = result.stderr.split("\n").filter((line) => line.startsWith("WARNING: "));
        expect(warnings).toEqual([
          "WARNING: op.createIndex: the top-level option 'using' is deprecated and will be removed in the next release; " +
            "pass it as { postgresql: { using: ... } }, which other databases ignore",
        ]);
        expect((await indexDefinitions(probe, harness.name)).ix_docs_tag).toContain("USING hash (tag)");
        // The offline script warns the same way.
        const offline = project.run("upgrade", "--sql", "head");
        expect(offline.stdout).toContain("USING hash");
        expect(offline.stderr.split("\n").filter((line) => line.startsWith("WARNING: "))).toEqual(warnings);
      } else {
        // SQLite and MySQL never accepted them: refused, with the keyed form as the way out.
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("CREATE INDEX USING hash is a PostgreSQL feature");
        expect(result.stderr).toContain("{ postgresql: { ... } }");
      }
    });
  });
}

/** Index name -> its CREATE INDEX text, read from the database's catalog. */
async function indexDefinitions(probe: DatabaseProbe, dialect: string): Promise<Record<string, string>> {
  if (dialect === "mysql") {
    // One row per index column: "col(prefix length) unique".
    const columns = await probe.query(
      "SELECT INDEX_NAME AS name, GROUP_CONCAT(CONCAT(COLUMN_NAME, IF(SUB_PART IS NULL, '', CONCAT('(', SUB_PART, ')'))) ORDER BY SEQ_IN_INDEX) AS cols, MIN(NON_UNIQUE) AS non_unique FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'docs' AND INDEX_NAME LIKE 'ix_%' GROUP BY INDEX_NAME",
    );
    return Object.fromEntries(
      columns.map((row) => [String(row.name), `${String(row.cols)}${Number(row.non_unique) === 0 ? " unique" : ""}`]),
    );
  }
  const rows =
    dialect === "postgresql"
      ? await probe.query(
          "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename = 'docs' AND indexname LIKE 'ix_%'",
        )
      : await probe.query(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'docs' AND name LIKE 'ix_%'",
        );
  return Object.fromEntries(rows.map((row) => [String(row.name), String(row.sql)]));
}
