import type { BatchAlterTableOperation, BatchOptions, BatchStep } from "@retort/core";
import { bigInteger, column, string, text } from "@retort/core";
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "../sqlite-connection.js";
import { SqliteDriver } from "../sqlite-driver.js";
import { runOperation } from "../test-support/run-batch.js";
import { sqliteUrl, temporaryFolder } from "../test-support/temp-database.js";

// What a rebuild does to what depends on a table's rowids and column names:
// external-content FTS4/FTS5 indexes and their sync triggers, on real files.

let folder: ReturnType<typeof temporaryFolder>;
let connection: SqliteConnection;

async function open(schema: string): Promise<void> {
  folder = temporaryFolder();
  connection = await new SqliteDriver().connect(sqliteUrl(folder.file()));
  await connection.execute(schema);
}

afterEach(async () => {
  await connection.close();
  folder.remove();
});

function batch(table: string, steps: Omit<BatchStep, "table">[], options: BatchOptions = {}): BatchAlterTableOperation {
  return { kind: "batchAlterTable", table, options, steps: steps.map((step) => ({ ...step, table }) as BatchStep) };
}

async function inRun(operation: BatchAlterTableOperation): Promise<void> {
  await connection.begin();
  try {
    await runOperation(connection, operation);
    await connection.commit();
  } catch (error) {
    await connection.rollback();
    throw error;
  }
}

const rows = async (query: string) => (await connection.query(query)).rows;
const schema = () => rows("SELECT type, name, sql FROM sqlite_master ORDER BY name");
const matches = (fts: string, word: string, column = "title") =>
  rows(`SELECT rowid, ${column} FROM ${fts} WHERE ${fts} MATCH '${word}' ORDER BY rowid`);
/** FTS5's integrity-check compares the index with the content table; it throws when they differ. */
const integrityCheck = (fts: string) =>
  connection.execute(`INSERT INTO ${fts} (${fts}, rank) VALUES ('integrity-check', 1)`);

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
    await connection.execute(
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
});
