import { bigInteger, column, string, text } from "@retort/core";
import { describe, expect, it } from "vitest";
import { runOperation } from "../test-support/run-batch.js";
import { batch, batchTestFile } from "../test-support/batch-test-file.js";

// What a rebuild does to what depends on a table's rowids and column names:
// external-content FTS4/FTS5 indexes and their sync triggers, on real files.

const file = batchTestFile();
const { open, inRun } = file;

const rows = file.rows;
const schema = () => rows("SELECT type, name, sql FROM sqlite_master ORDER BY name");
const matches = (fts: string, word: string, column = "title") =>
  rows(`SELECT rowid, ${column} FROM ${fts} WHERE ${fts} MATCH '${word}' ORDER BY rowid`);
/** FTS5's integrity-check compares the index with the content table; it throws when they differ. */
const integrityCheck = (fts: string) =>
  file.connection.execute(`INSERT INTO ${fts} (${fts}, rank) VALUES ('integrity-check', 1)`);

/** `docs` with a hidden rowid (a gap in it), an external-content FTS5 index and its sync triggers. */
const HIDDEN_ROWID_FTS5 = `
  CREATE TABLE docs (title TEXT, body TEXT, extra TEXT);
  CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs');
  CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
    INSERT INTO docs_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
  END;
  CREATE TRIGGER docs_ad AFTER DELETE ON docs BEGIN
    INSERT INTO docs_fts (docs_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
  END;
  CREATE TRIGGER docs_au AFTER UPDATE ON docs BEGIN
    INSERT INTO docs_fts (docs_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO docs_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
  END;
  INSERT INTO docs (title, body) VALUES ('alpha', 'first apple'), ('beta', 'second pear'), ('gamma', 'third apple');
  DELETE FROM docs WHERE title = 'alpha';
  INSERT INTO docs (title, body) VALUES ('delta', 'fourth plum');`;

describe("batch rebuild of a table an external-content FTS index reads", () => {
  it("keeps the hidden rowids, so the FTS5 index still finds the same rows", async () => {
    await open(HIDDEN_ROWID_FTS5);
    const before = await rows("SELECT rowid, * FROM docs ORDER BY rowid");
    await inRun(
      batch("docs", [
        { kind: "addColumn", column: column("n", text()) },
        { kind: "dropColumn", column: "extra" },
        { kind: "alterColumn", column: "title", type: string(50) },
      ]),
    );
    expect(await rows("SELECT rowid, title, body FROM docs ORDER BY rowid")).toEqual(
      before.map(({ rowid, title, body }) => ({ rowid, title, body })),
    );
    expect(await matches("docs_fts", "apple")).toEqual([{ rowid: 3, title: "gamma" }]);
    await integrityCheck("docs_fts");
    // The sync triggers came back and still work.
    await file.connection.execute(
      "INSERT INTO docs (title, body) VALUES ('eps', 'fifth apple'); DELETE FROM docs WHERE title = 'gamma'",
    );
    expect(await matches("docs_fts", "apple")).toEqual([{ rowid: 5, title: "eps" }]);
    await integrityCheck("docs_fts");
  });

  it("keeps each row's rowid when its INTEGER PRIMARY KEY stops being the rowid (type changed)", async () => {
    await open(`
      CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT);
      CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs');
      INSERT INTO docs VALUES (5, 'five', 'apple'), (9, 'nine', 'pear'), (12, 'twelve', 'apple pie');
      INSERT INTO docs_fts (docs_fts) VALUES ('rebuild');`);
    await inRun(batch("docs", [{ kind: "alterColumn", column: "id", type: bigInteger() }]));
    expect(await rows("SELECT sql FROM sqlite_master WHERE name = 'docs'")).toEqual([
      { sql: expect.stringContaining('"id" BIGINT') },
    ]);
    // id is no longer the rowid alias; the hidden rowid took its values.
    expect(await rows("SELECT rowid, id FROM docs ORDER BY id")).toEqual([
      { rowid: 5, id: 5 },
      { rowid: 9, id: 9 },
      { rowid: 12, id: 12 },
    ]);
    expect(await matches("docs_fts", "apple")).toEqual([
      { rowid: 5, title: "five" },
      { rowid: 12, title: "twelve" },
    ]);
    await integrityCheck("docs_fts");
  });

  it("refuses to rename a column an FTS5 index reads, naming the index and the way out; nothing changes", async () => {
    await open(HIDDEN_ROWID_FTS5);
    const before = await schema();
    await expect(
      inRun(batch("docs", [{ kind: "alterColumn", column: "title", newColumnName: "heading" }])),
    ).rejects.toThrow(
      `Batch rebuild of "docs" refused: fts5 table "docs_fts" (content='docs'): it reads column "title" of "docs", which the batch drops or renames.`,
    );
    await expect(
      inRun(batch("docs", [{ kind: "alterColumn", column: "title", newColumnName: "heading" }])),
    ).rejects.toThrow(
      `(op.execute('DROP TABLE "docs_fts"')), then after the block create them again for the new columns and fill the index (op.execute(\`INSERT INTO "docs_fts" ("docs_fts") VALUES ('rebuild')\`)), in the same migration. Nothing was changed.`,
    );
    expect(await schema()).toEqual(before);
    expect(await matches("docs_fts", "apple")).toEqual([{ rowid: 3, title: "gamma" }]);
    await integrityCheck("docs_fts");
  });

  it("names the FTS index first when its sync triggers also use the dropped column", async () => {
    await open(HIDDEN_ROWID_FTS5);
    const before = await schema();
    await expect(inRun(batch("docs", [{ kind: "dropColumn", column: "body" }]))).rejects.toThrow(
      `Batch rebuild of "docs" refused: fts5 table "docs_fts" (content='docs'): it reads column "body" of "docs", which the batch drops or renames.`,
    );
    expect(await schema()).toEqual(before);
    await integrityCheck("docs_fts");
  });

  it("refuses to drop a column an FTS4 index reads (no sync triggers to give it away)", async () => {
    await open(`
      CREATE TABLE docs (title TEXT, body TEXT);
      CREATE VIRTUAL TABLE docs_fts USING fts4(title, body, content="docs");
      INSERT INTO docs VALUES ('a', 'apple'), ('b', 'pear');
      INSERT INTO docs_fts (docs_fts) VALUES ('rebuild');`);
    await expect(inRun(batch("docs", [{ kind: "dropColumn", column: "body" }]))).rejects.toThrow(
      `fts4 table "docs_fts" (content='docs'): it reads column "body" of "docs", which the batch drops or renames`,
    );
    expect(await rows("SELECT title, body FROM docs_fts WHERE docs_fts MATCH 'apple'")).toEqual([
      { title: "a", body: "apple" },
    ]);
  });

  it("refuses to rename the content_rowid column, and a column an FTS index reads through a view", async () => {
    await open(`
      CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT);
      CREATE VIEW docs_v AS SELECT id, title FROM docs;
      CREATE VIRTUAL TABLE by_id USING fts5(body, content=docs, content_rowid=id);
      CREATE VIRTUAL TABLE by_view USING fts5(title, content='docs_v', content_rowid='id');
      INSERT INTO docs VALUES (5, 'five', 'apple');
      INSERT INTO by_id (by_id) VALUES ('rebuild'); INSERT INTO by_view (by_view) VALUES ('rebuild');`);
    await expect(
      inRun(batch("docs", [{ kind: "alterColumn", column: "id", newColumnName: "doc_id" }])),
    ).rejects.toThrow(`fts5 table "by_id" (content='docs'): its content_rowid "id" is not a column of "docs"`);
    await expect(
      inRun(batch("docs", [{ kind: "alterColumn", column: "title", newColumnName: "heading" }])),
    ).rejects.toThrow(`fts5 table "by_view" (content='docs_v'): it reads column "title" of "docs_v"`);
    // A change they do not see goes through, and both still match.
    await inRun(batch("docs", [{ kind: "alterColumn", column: "body", type: string(100) }]));
    expect(await matches("by_id", "apple", "body")).toEqual([{ rowid: 5, body: "apple" }]);
    expect(await matches("by_view", "five")).toEqual([{ rowid: 5, title: "five" }]);
    await integrityCheck("by_id");
    await integrityCheck("by_view");
  });

  it("refuses to give the rows other rowids when an FTS index finds them by rowid", async () => {
    await open(`
      CREATE TABLE docs (n INTEGER NOT NULL, title TEXT);
      CREATE VIRTUAL TABLE docs_fts USING fts5(title, content='docs');
      INSERT INTO docs VALUES (100, 'apple'), (200, 'pear');
      INSERT INTO docs_fts (docs_fts) VALUES ('rebuild');`);
    await expect(inRun(batch("docs", [{ kind: "createPrimaryKey", name: "pk_docs", columns: ["n"] }]))).rejects.toThrow(
      'it finds rows of "docs" by rowid, and the batch gives them other rowids',
    );
    expect(await rows("SELECT rowid, title FROM docs_fts WHERE docs_fts MATCH 'apple'")).toEqual([
      { rowid: 1, title: "apple" },
    ]);
  });

  it("does what the refusal advises: drop the index and its triggers, rename, create and fill them again", async () => {
    await open(HIDDEN_ROWID_FTS5);
    await file.connection.begin();
    await file.connection.execute(
      'DROP TABLE "docs_fts"; DROP TRIGGER docs_ai; DROP TRIGGER docs_ad; DROP TRIGGER docs_au',
    );
    await runOperation(
      file.connection,
      batch("docs", [{ kind: "alterColumn", column: "title", newColumnName: "heading" }]),
    );
    await file.connection.execute(`
      CREATE VIRTUAL TABLE docs_fts USING fts5(heading, body, content='docs');
      INSERT INTO "docs_fts" ("docs_fts") VALUES ('rebuild');`);
    await file.connection.commit();
    expect(await matches("docs_fts", "apple", "heading")).toEqual([{ rowid: 3, heading: "gamma" }]);
    await integrityCheck("docs_fts");
  });
});
