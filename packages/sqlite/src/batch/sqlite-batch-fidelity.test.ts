import Database from "better-sqlite3";
import type { BatchAlterTableOperation, BatchOptions, BatchStep } from "@retort/core";
import { column, customType, integer, sql, string, table, text } from "@retort/core";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import type { SqliteConnection } from "../sqlite-connection.js";
import { SqliteDriver } from "../sqlite-driver.js";
import { sqliteUrl, temporaryFolder } from "../test-support/temp-database.js";
import { runOperation } from "../test-support/run-batch.js";

// Issue 7, items 11-15: what a rebuild must keep exactly, on real SQLite files.

let folder: ReturnType<typeof temporaryFolder> | undefined;
let connection: SqliteConnection | undefined;
let warnings: string[];

async function open(schema: string): Promise<SqliteConnection> {
  folder = temporaryFolder();
  const opened = await new SqliteDriver().connect(sqliteUrl(folder.file()));
  connection = opened;
  warnings = [];
  opened.onWarning = (message) => warnings.push(message);
  await opened.execute(schema);
  return opened;
}

afterEach(async () => {
  await connection?.close();
  folder?.remove();
  connection = undefined;
  folder = undefined;
});

const live = () => connection as SqliteConnection;

function batch(name: string, steps: Omit<BatchStep, "table">[], options: BatchOptions = {}): BatchAlterTableOperation {
  return {
    kind: "batchAlterTable",
    table: name,
    options,
    steps: steps.map((step) => ({ ...step, table: name }) as BatchStep),
  };
}

/** Runs a batch as the migration runner does: inside begin()/commit(). */
async function inRun(operation: BatchAlterTableOperation): Promise<void> {
  await live().begin();
  try {
    await runOperation(live(), operation);
    await live().commit();
  } catch (error) {
    await live().rollback();
    throw error;
  }
}

const rows = async (query: string) => (await live().query(query)).rows;
const schemaOf = async (name: string) =>
  (await rows(`SELECT sql FROM sqlite_master WHERE name = '${name}'`))[0]?.sql as string;
/** The whole schema and every table's rows: what "nothing changed" compares. */
const snapshot = async () => {
  const schema = await rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
  const data: Record<string, unknown> = {};
  for (const entry of schema) {
    if (entry.type === "table") data[entry.name as string] = await rows(`SELECT * FROM "${entry.name}" ORDER BY rowid`);
  }
  return { schema, data };
};

describe("item 11: expression defaults", () => {
  it("writes every DEFAULT back as declared, parentheses included", async () => {
    await open(
      `CREATE TABLE t (
         id INTEGER PRIMARY KEY,
         token TEXT DEFAULT (lower(hex(randomblob(4)))),
         created TEXT DEFAULT (datetime('now')),
         n INTEGER DEFAULT -1,
         quoted TEXT DEFAULT 'it''s',
         bytes BLOB DEFAULT X'0A',
         at TEXT DEFAULT CURRENT_TIMESTAMP,
         x INTEGER);
       INSERT INTO t (x) VALUES (1);`,
    );
    await inRun(batch("t", [{ kind: "alterColumn", column: "x", nullable: false }]));
    const kept = await schemaOf("t");
    for (const clause of [
      "DEFAULT (lower(hex(randomblob(4))))",
      "DEFAULT (datetime('now'))",
      "DEFAULT -1",
      "DEFAULT 'it''s'",
      "DEFAULT X'0A'",
      "DEFAULT CURRENT_TIMESTAMP",
    ]) {
      expect(kept).toContain(clause);
    }
    await live().execute("INSERT INTO t (x) VALUES (2)");
    const [row] = await rows(
      "SELECT length(token) AS len, created IS NOT NULL AS dated, n, quoted, hex(bytes) AS b FROM t WHERE x = 2",
    );
    expect(row).toEqual({ len: 8, dated: 1, n: -1, quoted: "it's", b: "0A" });
  });

  it("rebuilds a table Retort created with serverDefault: sql`...`", async () => {
    await open("SELECT 1");
    const created = table(
      "events",
      column("id", integer(), { primaryKey: true }),
      column("at", text(), { serverDefault: sql`datetime('now')` }),
      column("note", text()),
    );
    for (const statement of live().dialect.compile({ kind: "createTable", table: created })) {
      await live().execute(statement.sql);
    }
    await live().execute("INSERT INTO events (note) VALUES ('a')");
    await inRun(batch("events", [{ kind: "dropColumn", column: "note" }]));
    expect(await schemaOf("events")).toContain("DEFAULT (datetime('now'))");
    await live().execute("INSERT INTO events DEFAULT VALUES");
    expect(await rows("SELECT count(*) AS n FROM events WHERE at IS NOT NULL")).toEqual([{ n: 2 }]);
  });
});

describe("item 12: triggers and views that use a dropped or renamed column", () => {
  it("fails naming the trigger and the dropped column, with nothing changed", async () => {
    await open(
      `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
       CREATE TABLE audit (email TEXT);
       CREATE TRIGGER trg_audit AFTER INSERT ON users BEGIN INSERT INTO audit (email) VALUES (NEW.email); END;
       INSERT INTO users (email, name) VALUES ('a@x', 'a');`,
    );
    const before = await snapshot();
    await expect(inRun(batch("users", [{ kind: "dropColumn", column: "email" }]))).rejects.toThrow(
      /trigger "trg_audit" uses column "email", which the batch drops \(no such column: NEW\.email\).*DROP TRIGGER "trg_audit"/s,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("fails naming the view and the dropped column, with nothing changed", async () => {
    await open(
      `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
       CREATE VIEW v_users AS SELECT id, email FROM users;
       INSERT INTO users (email, name) VALUES ('a@x', 'a');`,
    );
    const before = await snapshot();
    await expect(inRun(batch("users", [{ kind: "dropColumn", column: "email" }]))).rejects.toThrow(
      /view "v_users" uses column "email", which the batch drops/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("fails for an UPDATE OF trigger on a dropped column, which would silently never fire", async () => {
    await open(
      `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
       CREATE TRIGGER trg_touch AFTER UPDATE OF email ON users BEGIN SELECT 1; END;`,
    );
    await expect(inRun(batch("users", [{ kind: "dropColumn", column: "email" }]))).rejects.toThrow(
      /trigger "trg_touch" uses column "email", which the batch drops/,
    );
  });

  it("rewrites the triggers and views that use a renamed column, and only that table's column", async () => {
    await open(
      `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, n INTEGER);
       CREATE TABLE audit (email TEXT, source TEXT);
       CREATE TRIGGER trg_audit AFTER INSERT ON users BEGIN INSERT INTO audit (email, source) VALUES (NEW.email, 'users'); END;
       CREATE TRIGGER trg_back AFTER INSERT ON audit WHEN NEW.source = 'manual' BEGIN UPDATE users SET email = NEW.email WHERE id = 1; END;
       CREATE VIEW v_users AS SELECT id, email FROM users;
       INSERT INTO users (email) VALUES ('a@x');`,
    );
    await inRun(
      batch("users", [
        { kind: "alterColumn", column: "email", newColumnName: "mail" },
        { kind: "alterColumn", column: "n", type: text() },
      ]),
    );
    expect(await schemaOf("trg_audit")).toContain('NEW."mail"');
    expect(await schemaOf("trg_audit")).toContain("INSERT INTO audit (email, source)");
    expect(await schemaOf("trg_back")).toContain('SET "mail" = NEW.email');
    await live().execute("INSERT INTO users (mail) VALUES ('b@x')");
    await live().execute("INSERT INTO audit (email, source) VALUES ('c@x', 'manual')");
    expect(await rows("SELECT email FROM audit ORDER BY rowid")).toEqual([
      { email: "a@x" },
      { email: "b@x" },
      { email: "c@x" },
    ]);
    expect(await rows("SELECT * FROM v_users ORDER BY id")).toEqual([
      { id: 1, mail: "c@x" },
      { id: 2, mail: "b@x" },
    ]);
  });

  it("renames through a swap, keeping the data and the view right", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);
       CREATE VIEW v AS SELECT a || '-' || b AS ab FROM t;
       INSERT INTO t (a, b) VALUES ('1', '2');`,
    );
    await inRun(
      batch("t", [
        { kind: "alterColumn", column: "a", newColumnName: "b_tmp" },
        { kind: "alterColumn", column: "b", newColumnName: "a" },
        { kind: "alterColumn", column: "b_tmp", newColumnName: "b" },
      ]),
    );
    expect(await rows("SELECT a, b FROM t")).toEqual([{ a: "2", b: "1" }]);
    // The view still reads the same values: SQLite followed each column.
    expect(await rows("SELECT ab FROM v")).toEqual([{ ab: "1-2" }]);
  });

  it("reuses a dropped column's name for a renamed one", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, old_email TEXT, email TEXT);
       CREATE VIEW v AS SELECT old_email FROM t;
       INSERT INTO t (old_email, email) VALUES ('new', 'stale');`,
    );
    await inRun(
      batch("t", [
        { kind: "dropColumn", column: "email" },
        { kind: "alterColumn", column: "old_email", newColumnName: "email" },
      ]),
    );
    expect(await rows("SELECT * FROM t")).toEqual([{ id: 1, email: "new" }]);
    expect(await rows("SELECT * FROM v")).toEqual([{ email: "new" }]);
  });

  it("fails, naming the view, when a rename breaks a view that reads the column through another view", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT);
       CREATE VIEW v1 AS SELECT id, email FROM t;
       CREATE VIEW v2 AS SELECT email FROM v1;`,
    );
    const before = await snapshot();
    await expect(inRun(batch("t", [{ kind: "alterColumn", column: "email", newColumnName: "mail" }]))).rejects.toThrow(
      /renaming column "email" to "mail": view "v2" no longer compiles after it: no such column: email/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("leaves a view that was already broken (elsewhere in the schema) as it was", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT);
       CREATE VIEW stale AS SELECT gone FROM dropped_long_ago;
       CREATE VIEW v AS SELECT email FROM t;`,
    );
    const staleSql = await schemaOf("stale");
    await inRun(batch("t", [{ kind: "alterColumn", column: "email", newColumnName: "mail" }]));
    expect(await schemaOf("stale")).toBe(staleSql);
    expect(await schemaOf("v")).toContain("mail");
  });
});

describe("item 13: constraint clauses are kept", () => {
  it("keeps COLLATE, ON CONFLICT, DEFERRABLE, GENERATED and STRICT, and renames inside them", async () => {
    await open(
      `CREATE TABLE p (id INTEGER PRIMARY KEY);
       CREATE TABLE t (
         id INTEGER PRIMARY KEY ON CONFLICT REPLACE,
         email TEXT NOT NULL ON CONFLICT IGNORE COLLATE NOCASE,
         code TEXT UNIQUE ON CONFLICT REPLACE,
         p_id INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED,
         total INTEGER,
         doubled INTEGER GENERATED ALWAYS AS (total * 2) STORED,
         half INTEGER AS (total / 2) VIRTUAL,
         x INTEGER,
         UNIQUE (email COLLATE NOCASE),
         CONSTRAINT ck_total CHECK (total >= 0)
       ) STRICT;
       INSERT INTO p VALUES (1);
       INSERT INTO t (email, code, p_id, total) VALUES ('a@x', 'c1', 1, 4);`,
    );
    await inRun(batch("t", [{ kind: "dropColumn", column: "x" }]));
    const kept = await schemaOf("t");
    for (const clause of [
      "PRIMARY KEY ON CONFLICT REPLACE",
      "NOT NULL ON CONFLICT IGNORE",
      "COLLATE NOCASE",
      "UNIQUE ON CONFLICT REPLACE",
      "REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED",
      "GENERATED ALWAYS AS (total * 2) STORED",
      "GENERATED ALWAYS AS (total / 2) VIRTUAL",
      "UNIQUE (email COLLATE NOCASE)",
      'CONSTRAINT "ck_total" CHECK (total >= 0)',
    ]) {
      expect(kept).toContain(clause);
    }
    expect(kept).toMatch(/\) STRICT$/);
    // The clauses behave as declared.
    await expect(live().execute("INSERT INTO t (email, code, total) VALUES ('A@X', 'c2', 1)")).rejects.toThrow(
      /UNIQUE constraint failed: t\.email/,
    );
    await live().execute("INSERT INTO t (email, code, total) VALUES (NULL, 'c3', 1)"); // ignored
    await live().execute("INSERT INTO t (email, code, total) VALUES ('b@x', 'c1', 6)"); // replaces c1
    expect(await rows("SELECT email, code, doubled, half FROM t ORDER BY id")).toEqual([
      { email: "b@x", code: "c1", doubled: 12, half: 3 },
    ]);
    await expect(live().execute("INSERT INTO t (email, code, total) VALUES ('c@x', 'c4', 'many')")).rejects.toThrow(
      /cannot store TEXT value in INTEGER column/,
    );

    await inRun(batch("t", [{ kind: "alterColumn", column: "email", newColumnName: "mail" }]));
    const renamed = await schemaOf("t");
    expect(renamed).toContain('UNIQUE ("mail" COLLATE NOCASE)');
    expect(renamed).toContain('"mail" TEXT COLLATE NOCASE NOT NULL ON CONFLICT IGNORE');
  });

  it("keeps WITHOUT ROWID and a column-level PRIMARY KEY DESC", async () => {
    await open(
      `CREATE TABLE kv (k TEXT PRIMARY KEY DESC, v TEXT, x INTEGER) WITHOUT ROWID;
       INSERT INTO kv VALUES ('a', '1', 1), ('b', '2', 2);`,
    );
    await inRun(batch("kv", [{ kind: "dropColumn", column: "x" }]));
    const kept = await schemaOf("kv");
    expect(kept).toContain('"k" TEXT PRIMARY KEY DESC');
    expect(kept).toMatch(/\) WITHOUT ROWID$/);
    expect(await rows("SELECT * FROM kv ORDER BY k")).toEqual([
      { k: "a", v: "1" },
      { k: "b", v: "2" },
    ]);
  });

  it("refuses a type a STRICT table cannot hold, before anything runs", async () => {
    await open("CREATE TABLE s (id INTEGER PRIMARY KEY, a TEXT) STRICT");
    await expect(inRun(batch("s", [{ kind: "alterColumn", column: "a", type: string(20) }]))).rejects.toThrow(
      /Table "s" is STRICT: column "a" cannot have type VARCHAR\(20\)/,
    );
  });
});

describe("item 14: a CAST that changes values", () => {
  const setup = `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);
    INSERT INTO t (a) VALUES ('12'), ('abc'), (NULL), ('1.5'), (' 7');`;

  it("counts the changed rows and warns, converting them as Alembic does", async () => {
    await open(setup);
    await inRun(batch("t", [{ kind: "alterColumn", column: "a", type: integer() }]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /Batch rebuild of "t": CAST\(\.\.\. AS INTEGER\) changes 2 of 5 values of column "a" \(TEXT to INTEGER, e\.g\. 'abc' becomes 0\)\..*strictCast: true/,
    );
    expect(await rows("SELECT a FROM t ORDER BY id")).toEqual([{ a: 12 }, { a: 0 }, { a: null }, { a: 1 }, { a: 7 }]);
  });

  it("fails with strictCast, before anything changes", async () => {
    await open(setup);
    const before = await snapshot();
    await expect(
      inRun(batch("t", [{ kind: "alterColumn", column: "a", type: integer() }], { strictCast: true })),
    ).rejects.toThrow(/refused \(strictCast\): CAST\(\.\.\. AS INTEGER\) changes 2 of 5 values of column "a"/);
    expect(await snapshot()).toEqual(before);
    expect(warnings).toEqual([]);
  });

  it("reaches the onWarning the driver was given", async () => {
    folder = temporaryFolder();
    const received: string[] = [];
    connection = await new SqliteDriver().connect(sqliteUrl(folder.file()), {
      onWarning: (message) => received.push(message),
    });
    await live().execute(setup);
    await inRun(batch("t", [{ kind: "alterColumn", column: "a", type: integer() }]));
    expect(received).toEqual([expect.stringMatching(/changes 2 of 5 values of column "a"/)]);
  });

  it("counts a text with leading zeros as changed: the number keeps none (a postal code)", async () => {
    await open(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, zip TEXT, r TEXT); INSERT INTO t (zip, r) VALUES ('00501', '007.5'), ('10001', '0.5'), (' 0123', '-01'), ('0', '2');",
    );
    const before = await snapshot();
    await expect(
      inRun(batch("t", [{ kind: "alterColumn", column: "zip", type: integer() }], { strictCast: true })),
    ).rejects.toThrow(
      /refused \(strictCast\): CAST\(\.\.\. AS INTEGER\) changes 2 of 4 values of column "zip" \(TEXT to INTEGER, e\.g\. '00501' becomes 501\)/,
    );
    expect(await snapshot()).toEqual(before);
    await inRun(batch("t", [{ kind: "alterColumn", column: "r", type: customType("REAL") }]));
    expect(warnings).toEqual([
      expect.stringMatching(/changes 2 of 4 values of column "r" \(TEXT to REAL, e\.g\. '007\.5' becomes 7\.5\)/),
    ]);
    expect(await rows("SELECT r FROM t ORDER BY id")).toEqual([{ r: 7.5 }, { r: 0.5 }, { r: -1 }, { r: 2 }]);
  });

  it("says nothing when every value converts", async () => {
    await open("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); INSERT INTO t (a) VALUES ('12'), (NULL), ('3.0');");
    await inRun(batch("t", [{ kind: "alterColumn", column: "a", type: integer() }], { strictCast: true }));
    expect(warnings).toEqual([]);
    expect(await rows("SELECT a FROM t ORDER BY id")).toEqual([{ a: 12 }, { a: null }, { a: 3 }]);
  });
});

describe("item 15: AUTOINCREMENT counters and rowids above 2^53", () => {
  it("keeps the counter exactly", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT);
       INSERT INTO t (a) VALUES ('kept');
       INSERT INTO t (id, a) VALUES (9007199254740993, 'deleted');
       DELETE FROM t WHERE a = 'deleted';`,
    );
    await inRun(batch("t", [{ kind: "alterColumn", column: "a", nullable: false }]));
    await live().execute("INSERT INTO t (a) VALUES ('next')");
    expect(await rows("SELECT CAST(id AS TEXT) AS id FROM t WHERE a = 'next'")).toEqual([{ id: "9007199254740994" }]);
    expect(await rows("SELECT CAST(seq AS TEXT) AS seq FROM sqlite_sequence WHERE name = 't'")).toEqual([
      { seq: "9007199254740994" },
    ]);
  });

  it("copies rowids above 2^53 in chunks without losing or repeating a row", async () => {
    await open(
      `CREATE TABLE big (id INTEGER PRIMARY KEY, a TEXT);
       INSERT INTO big (id, a) VALUES (9007199254740993, 'a'), (9007199254740995, 'b'), (9007199254740996, 'c'), (9007199254740997, 'd');`,
    );
    const progress: number[] = [];
    await live().begin();
    await runOperation(live(), batch("big", [{ kind: "alterColumn", column: "a", nullable: false }]), {
      chunkSize: 2,
      onProgress: ({ copied }) => progress.push(copied),
    });
    await live().commit();
    expect(progress).toEqual([2, 4]);
    const database = new Database(live().filename, { readonly: true });
    onTestFinished(() => database.close());
    expect(database.prepare("SELECT CAST(id AS TEXT) AS id FROM big ORDER BY id").pluck().all()).toEqual([
      "9007199254740993",
      "9007199254740995",
      "9007199254740996",
      "9007199254740997",
    ]);
  });

  it("keeps the hidden rowid of a column-level INTEGER PRIMARY KEY DESC, which is not its alias", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY DESC, v TEXT);
       INSERT INTO t VALUES (10, 'a'), (20, 'b'), (30, 'c');
       DELETE FROM t WHERE id = 10;`,
    );
    const before = await rows("SELECT rowid AS r, id, v FROM t ORDER BY id");
    expect(before).toEqual([
      { r: 2, id: 20, v: "b" },
      { r: 3, id: 30, v: "c" },
    ]);
    await inRun(batch("t", [{ kind: "alterColumn", column: "v", nullable: false }]));
    expect(await rows("SELECT rowid AS r, id, v FROM t ORDER BY id")).toEqual(before);
    expect(await schemaOf("t")).toContain('"id" INTEGER PRIMARY KEY DESC');
  });

  it("reaches the rowid by another name when a column is called rowid, in chunks too", async () => {
    await open(
      `CREATE TABLE t (id TEXT PRIMARY KEY, "rowid" TEXT, v TEXT);
       INSERT INTO t VALUES ('a', 'k1', 'x'), ('b', NULL, 'y'), ('c', 'k3', 'z'), ('d', '5 OR 1', 'w'), ('e', NULL, 'v');
       DELETE FROM t WHERE id = 'a';`,
    );
    const before = await rows('SELECT _rowid_ AS r, id, "rowid", v FROM t ORDER BY _rowid_');
    const statements: string[] = [];
    await live().begin();
    await runOperation(live(), batch("t", [{ kind: "alterColumn", column: "v", nullable: false }]), {
      chunkSize: 2,
      onProgress: () => undefined,
      onStatement: (statement) => statements.push(statement),
    });
    await live().commit();
    expect(await rows('SELECT _rowid_ AS r, id, "rowid", v FROM t ORDER BY _rowid_')).toEqual(before);
    // The chunks' bounds are the table's rowids (integers), not the column's values.
    expect(statements.filter((statement) => / WHERE _rowid_ /.test(statement))).toHaveLength(2);
    expect(statements.join("\n")).not.toContain("k3");
  });

  it("refuses, naming it, an index the rebuild cannot re-create (a function the application registers)", async () => {
    await open("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users VALUES (1, 'A@x');");
    // Created by another connection that has the function, as an application would.
    const app = new Database(live().filename);
    app.function("app_normalize", { deterministic: true }, (value: unknown) => String(value).toLowerCase());
    app.exec("CREATE INDEX ix_fn ON users (app_normalize(email))");
    app.close();
    const before = await snapshot();
    await expect(inRun(batch("users", [{ kind: "alterColumn", column: "email", nullable: false }]))).rejects.toThrow(
      /Batch rebuild of "users" cannot re-create its index "ix_fn" \(no such function: app_normalize\).*Nothing was changed\./s,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("says which foreign key a rebuild breaks when another table refers to a column it drops", async () => {
    await open(
      `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);
       CREATE TABLE posts (id INTEGER PRIMARY KEY, user_email TEXT REFERENCES users (email));`,
    );
    const before = await snapshot();
    await expect(inRun(batch("users", [{ kind: "dropColumn", column: "email" }]))).rejects.toThrow(
      /Batch rebuild of "users" failed while checking the rebuilt table: (SQLITE_ERROR: )?foreign key mismatch - "posts" referencing "users" \(that table's foreign key refers to columns of "users" that are no longer its primary key or unique\); rolled back/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("refuses, online, a copyFrom that leaves out a column or an index of the live table", async () => {
    await open(
      `CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, total INTEGER, notes TEXT NOT NULL);
       CREATE UNIQUE INDEX ix_orders_notes ON orders (notes);
       INSERT INTO orders VALUES (1, 7, 10, 'kept');`,
    );
    const before = await snapshot();
    const copyFrom = table(
      "orders",
      column("id", integer(), { primaryKey: true }),
      column("user_id", integer()),
      column("total", integer()),
    );
    await expect(inRun(batch("orders", [{ kind: "dropColumn", column: "user_id" }], { copyFrom }))).rejects.toThrow(
      'The copyFrom definition of "orders" does not have its column "notes", index "ix_orders_notes", which the table in the database has',
    );
    expect(await snapshot()).toEqual(before);
  });
});
