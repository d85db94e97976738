import type { BatchAlterTableOperation } from "@retort/core";
import { column, integer, table, text } from "@retort/core";
import { describe, expect, it } from "vitest";
import { batch, batchTestFile } from "../test-support/batch-test-file.js";

// Virtual tables (FTS, R*Tree), their shadow tables, and the offline (--sql)
// rebuild of a table an FTS index reads, on real files.

const file = batchTestFile();
const { open, inRun } = file;

/**
 * Compiles the batch as `--sql` does (no reads: the table comes from
 * copyFrom), then runs the script's statements on the file in one
 * transaction, as the database's own client would.
 */
async function runOffline(operation: BatchAlterTableOperation): Promise<void> {
  const statements =
    (await file.connection.dialect.compileRebuild?.(operation, {
      offline: true,
      read: async () => {
        throw new Error("offline: no reads");
      },
      warn: () => {},
      progress: false,
    })) ?? [];
  expect(statements.length).toBeGreaterThan(0);
  await file.connection.begin();
  try {
    for (const statement of statements) await file.connection.execute(statement.sql);
    await file.connection.commit();
  } catch (error) {
    await file.connection.rollback();
    throw error;
  }
}

const rows = file.rows;
const schema = () => rows("SELECT type, name, sql FROM sqlite_master ORDER BY name");

describe("batch rebuild of a virtual table or a shadow table", () => {
  it("refuses an FTS5 table, which would become a plain table without its index; nothing changes", async () => {
    await open("CREATE VIRTUAL TABLE notes USING fts5(title, body); INSERT INTO notes VALUES ('a', 'apple');");
    const before = await schema();
    await expect(inRun(batch("notes", [{ kind: "dropColumn", column: "body" }]))).rejects.toThrow(
      'Batch rebuild of "notes" refused: it is a virtual table (USING fts5)',
    );
    expect(await schema()).toEqual(before);
    expect(await rows("SELECT title FROM notes WHERE notes MATCH 'apple'")).toEqual([{ title: "a" }]);
  });

  it("refuses an R*Tree table", async () => {
    await open("CREATE VIRTUAL TABLE boxes USING rtree(id, x0, x1); INSERT INTO boxes VALUES (1, 0, 5);");
    await expect(
      inRun(batch("boxes", [{ kind: "addColumn", column: column("label", text()) }], { recreate: "always" })),
    ).rejects.toThrow('Batch rebuild of "boxes" refused: it is a virtual table (USING rtree)');
    expect(await rows("SELECT id FROM boxes WHERE x0 <= 3 AND x1 >= 3")).toEqual([{ id: 1 }]);
  });

  it("refuses a shadow table, naming its virtual table", async () => {
    await open("CREATE VIRTUAL TABLE notes USING fts5(title); INSERT INTO notes VALUES ('apple');");
    await expect(inRun(batch("notes_docsize", [{ kind: "alterColumn", column: "sz", type: text() }]))).rejects.toThrow(
      'Batch rebuild of "notes_docsize" refused: it is a shadow table of virtual table "notes"',
    );
  });

  it("keeps the hidden rowids an R*Tree index is keyed by", async () => {
    await open(`
      CREATE TABLE places (name TEXT, note TEXT);
      CREATE VIRTUAL TABLE places_box USING rtree(id, x0, x1);
      INSERT INTO places VALUES ('a', NULL), ('b', NULL), ('c', NULL);
      DELETE FROM places WHERE name = 'a';
      INSERT INTO places_box SELECT rowid, rowid * 10, rowid * 10 + 1 FROM places;`);
    await inRun(batch("places", [{ kind: "dropColumn", column: "note" }]));
    expect(
      await rows(
        "SELECT p.name FROM places AS p JOIN places_box AS b ON b.id = p.rowid WHERE b.x0 <= 30 AND b.x1 >= 30",
      ),
    ).toEqual([{ name: "c" }]);
  });
});

describe("offline (--sql) rebuild and virtual tables", () => {
  const docs = table(
    "docs",
    column("id", integer(), { primaryKey: true }),
    column("title", text()),
    column("body", text()),
  );
  const FTS = `
    CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT);
    CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='id');
    INSERT INTO docs VALUES (1, 'a', 'apple'), (2, 'b', 'pear');
    INSERT INTO docs_fts (docs_fts) VALUES ('rebuild');`;

  it("fails the script, changing nothing, when the batch renames a column an FTS table reads", async () => {
    await open(FTS);
    const before = await schema();
    await expect(
      runOffline(
        batch("docs", [{ kind: "alterColumn", column: "title", newColumnName: "heading" }], { copyFrom: docs }),
      ),
    ).rejects.toThrow(/no FTS table reads the table/);
    expect(await schema()).toEqual(before);
    expect(await rows("SELECT title FROM docs_fts WHERE docs_fts MATCH 'apple'")).toEqual([{ title: "a" }]);
  });

  it("runs a batch that keeps the columns an FTS table reads", async () => {
    await open(FTS);
    await runOffline(batch("docs", [{ kind: "addColumn", column: column("n", integer()) }], { copyFrom: docs }));
    expect(await rows("SELECT title FROM docs_fts WHERE docs_fts MATCH 'apple'")).toEqual([{ title: "a" }]);
    await file.connection.execute("INSERT INTO docs_fts (docs_fts, rank) VALUES ('integrity-check', 1)");
  });

  it("fails the script when copyFrom names a virtual table", async () => {
    await open("CREATE VIRTUAL TABLE notes USING fts5(title, body); INSERT INTO notes VALUES ('a', 'apple');");
    const before = await schema();
    const notes = table("notes", column("title", text()), column("body", text()));
    await expect(
      runOffline(batch("notes", [{ kind: "dropColumn", column: "body" }], { copyFrom: notes })),
    ).rejects.toThrow(/the table is not a virtual table or a shadow table/);
    expect(await schema()).toEqual(before);
  });
});
