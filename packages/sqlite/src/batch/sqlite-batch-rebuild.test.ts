import type { BatchAlterTableOperation, BatchOptions, BatchStep } from "@retort/core";
import { column, customType, enumType, index, integer, sql, string, table, text } from "@retort/core";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "../sqlite-connection.js";
import { SqliteDriver } from "../sqlite-driver.js";
import { runOperation } from "../test-support/run-batch.js";
import { sqliteUrl, temporaryFolder } from "../test-support/temp-database.js";

let folder: ReturnType<typeof temporaryFolder>;
let connection: SqliteConnection;

async function open(schema: string, query: Record<string, string> = {}): Promise<void> {
  folder = temporaryFolder();
  connection = await new SqliteDriver().connect(sqliteUrl(folder.file(), query));
  await connection.execute(schema);
}

afterEach(async () => {
  await connection.close();
  folder.remove();
});

function batch(table: string, steps: Omit<BatchStep, "table">[], options: BatchOptions = {}): BatchAlterTableOperation {
  return { kind: "batchAlterTable", table, options, steps: steps.map((step) => ({ ...step, table }) as BatchStep) };
}

/** Runs a batch as the migration runner does: inside begin()/commit(). */
async function inRun(
  operation: BatchAlterTableOperation,
  options: Parameters<typeof runOperation>[2] = {},
): Promise<void> {
  await connection.begin();
  try {
    await runOperation(connection, operation, options);
    await connection.commit();
  } catch (error) {
    await connection.rollback();
    throw error;
  }
}

const rows = async (query: string) => (await connection.query(query)).rows;
const schemaOf = async (name: string) =>
  (await rows(`SELECT sql FROM sqlite_master WHERE name = '${name}'`))[0]?.sql as string;

describe("batch rebuild", () => {
  it("keeps child rows with ON DELETE CASCADE when the parent is rebuilt (foreign_keys on)", async () => {
    await open(
      `CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(10));
       CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);
       INSERT INTO parent (id, name) VALUES (1, 'a'), (2, 'b');
       INSERT INTO child (parent_id) VALUES (1), (1), (2);`,
      { foreign_keys: "on" },
    );
    await inRun(batch("parent", [{ kind: "alterColumn", column: "name", type: text(), nullable: false }]));
    expect(await rows("SELECT count(*) AS n FROM child")).toEqual([{ n: 3 }]);
    expect(await rows("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    expect(await schemaOf("parent")).toContain('"name" TEXT NOT NULL');
    // Enforcement is back after the run: a cascade fires again.
    await connection.execute("DELETE FROM parent WHERE id = 1");
    expect(await rows("SELECT count(*) AS n FROM child")).toEqual([{ n: 1 }]);
  });

  it("fails the commit, naming the row, when a run leaves a dangling reference (foreign_keys on)", async () => {
    await open(
      `CREATE TABLE parent (id INTEGER PRIMARY KEY);
       CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));
       INSERT INTO parent VALUES (1); INSERT INTO child VALUES (7, 1);`,
      { foreign_keys: "on" },
    );
    await connection.begin();
    await connection.execute("DELETE FROM parent");
    await expect(connection.commit()).rejects.toThrow(/table "child" rowid 7 references missing row in "parent"/);
    expect(await rows("SELECT count(*) AS n FROM parent")).toEqual([{ n: 1 }]);
    expect(await rows("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
  });

  it("keeps the AUTOINCREMENT counter", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT);
       INSERT INTO t (a) VALUES ('1'), ('2'), ('3'), ('4'); DELETE FROM t WHERE id > 2;`,
    );
    await inRun(batch("t", [{ kind: "addColumn", column: column("b", integer(), { unique: true }) }]));
    expect(await schemaOf("t")).toContain("AUTOINCREMENT");
    await connection.execute("INSERT INTO t (a) VALUES ('5')");
    expect(await rows("SELECT id FROM t ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }, { id: 5 }]);
  });

  it("keeps triggers and views, and partial and expression indexes", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, deleted INTEGER DEFAULT 0, n INTEGER);
       CREATE TABLE log (msg TEXT);
       CREATE UNIQUE INDEX ix_live_email ON t (email) WHERE deleted = 0;
       CREATE INDEX ix_lower ON t (lower(email) COLLATE NOCASE DESC);
       CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.email); END;
       CREATE VIEW v AS SELECT id, email FROM t WHERE deleted = 0;
       INSERT INTO t (email, n) VALUES ('A@x', 1), ('b@x', 2);`,
    );
    await inRun(batch("t", [{ kind: "alterColumn", column: "n", type: string(5) }], { recreate: "always" }));
    expect(await rows("SELECT id, email FROM v ORDER BY id")).toEqual([
      { id: 1, email: "A@x" },
      { id: 2, email: "b@x" },
    ]);
    expect(await schemaOf("ix_live_email")).toMatch(/WHERE deleted = 0$/);
    expect(await schemaOf("ix_lower")).toContain("lower(email) COLLATE NOCASE DESC");
    expect(await rows("SELECT typeof(n) AS t FROM t")).toEqual([{ t: "text" }, { t: "text" }]);
    // The copy did not fire the trigger; the re-created trigger fires on new rows.
    expect(await rows("SELECT count(*) AS n FROM log")).toEqual([{ n: 2 }]);
    await connection.execute("INSERT INTO t (email) VALUES ('c@x')");
    expect(await rows("SELECT msg FROM log")).toEqual([{ msg: "A@x" }, { msg: "b@x" }, { msg: "c@x" }]);
    await expect(connection.execute("INSERT INTO t (email) VALUES ('c@x')")).rejects.toThrow(/UNIQUE/);
  });

  it("keeps named and unnamed constraints, and drops unnamed ones through namingConvention", async () => {
    await open(
      `CREATE TABLE p (id INTEGER PRIMARY KEY);
       CREATE TABLE t (id INTEGER NOT NULL, a INTEGER, b INTEGER, p_id INTEGER,
         CONSTRAINT pk_t PRIMARY KEY (id), CONSTRAINT uq_a UNIQUE (a), UNIQUE (b),
         CONSTRAINT ck_a CHECK (a > 0), CHECK (b < 100), FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE);`,
    );
    await inRun(batch("t", [], { recreate: "always" }));
    const kept = await schemaOf("t");
    // Each reflected constraint is written back as it was declared.
    for (const part of ['CONSTRAINT "pk_t" PRIMARY KEY (id)', 'CONSTRAINT "uq_a" UNIQUE (a)', "UNIQUE (b)"]) {
      expect(kept).toContain(part);
    }
    expect(kept).toContain('CONSTRAINT "ck_a" CHECK (a > 0)');
    expect(kept).toContain("CHECK (b < 100)");
    expect(kept).toContain("FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE");
    await inRun(
      batch(
        "t",
        [
          { kind: "dropConstraint", name: "uq_t_b" },
          { kind: "dropConstraint", name: "fk_t_p_id_p" },
        ],
        {
          namingConvention: {
            uq: "uq_%(table_name)s_%(column_0_name)s",
            fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          },
        },
      ),
    );
    const dropped = await schemaOf("t");
    expect(dropped).not.toContain("UNIQUE (b)");
    expect(dropped).not.toContain("REFERENCES");
    expect(dropped).toContain('CONSTRAINT "uq_a" UNIQUE (a)');
  });

  it("names a string written in double quotes, which it cannot re-create, rather than a missing function", async () => {
    // A schema another SQLite wrote with the old double-quoted form (this one refuses it in DDL).
    await open(
      "CREATE TABLE q (id INTEGER PRIMARY KEY, status TEXT CHECK (status <> 2), n INT); INSERT INTO q (n) VALUES (1);",
    );
    await connection.close();
    const raw = new Database(folder.file());
    raw.unsafeMode(true);
    raw.exec(
      `PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, '<> 2', '<> "bogus"') WHERE name = 'q'; PRAGMA writable_schema = OFF;`,
    );
    raw.close();
    connection = await new SqliteDriver().connect(sqliteUrl(folder.file()));
    const error = await inRun(batch("q", [{ kind: "alterColumn", column: "n", nullable: false }])).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toMatch(
      /writes the string "bogus" in double quotes.*single quotes.*Nothing was changed/,
    );
    expect((error as Error).message).not.toContain("needs a function");
    expect(await rows("SELECT * FROM q")).toEqual([{ id: 1, status: null, n: 1 }]);
  });

  it("fails clearly on an unnamed constraint without a naming convention", async () => {
    await open("CREATE TABLE t (id INTEGER PRIMARY KEY, b INTEGER UNIQUE)");
    await expect(inRun(batch("t", [{ kind: "dropConstraint", name: "uq_b" }]))).rejects.toThrow(
      /No such constraint: 'uq_b'.*namingConvention/,
    );
  });

  it("drops the indexes and constraints of a dropped column (unlike Alembic)", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, CHECK (a > 0), UNIQUE (a, b));
       CREATE INDEX ix_a ON t (a); CREATE INDEX ix_expr ON t (a + b); CREATE INDEX ix_b ON t (b) WHERE a IS NOT NULL;
       CREATE INDEX ix_keep ON t (b); INSERT INTO t (a, b) VALUES (1, 2);`,
    );
    await inRun(batch("t", [{ kind: "dropColumn", column: "a" }]));
    const names = (await rows("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")).map(
      (row) => row.name,
    );
    expect(names).toEqual(["ix_keep"]);
    expect(await rows("SELECT * FROM t")).toEqual([{ id: 1, b: 2 }]);
  });

  it("renames, reorders and adds columns, keeping the data", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(10), x INTEGER);
       CREATE INDEX ix_name ON t (name); INSERT INTO t (name, x) VALUES ('a', 1);`,
    );
    await inRun(
      batch("t", [
        { kind: "alterColumn", column: "name", newColumnName: "full_name" },
        { kind: "addColumn", column: column("email", string(50), { serverDefault: sql`'none'` }), insertAfter: "id" },
      ]),
    );
    expect(await rows("SELECT * FROM t")).toEqual([{ id: 1, email: "none", full_name: "a", x: 1 }]);
    expect(await schemaOf("ix_name")).toContain('("full_name")');
  });

  it("runs addColumn and createIndex in place under recreate auto", async () => {
    await open("CREATE TABLE t (id INTEGER PRIMARY KEY); CREATE VIEW v AS SELECT * FROM t;");
    await inRun(
      batch("t", [
        { kind: "addColumn", column: column("a", integer()) },
        { kind: "createIndex", name: "ix", columns: ["a"] },
      ]),
    );
    expect(await schemaOf("t")).toBe('CREATE TABLE t (id INTEGER PRIMARY KEY, "a" INTEGER)');
  });

  it("keeps other databases' index options in a rebuild and refuses a key in SQLite's own block", async () => {
    await open("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); INSERT INTO t (a) VALUES ('x');");
    const withIndex = (dialectOptions: NonNullable<Extract<BatchStep, { kind: "createIndex" }>["dialectOptions"]>) =>
      batch(
        "t",
        [
          { kind: "alterColumn", column: "a", nullable: false },
          { kind: "createIndex", name: "ix_a", columns: ["a"], dialectOptions },
        ],
        { recreate: "always" },
      );
    await expect(inRun(withIndex({ sqlite: { length: 10 } }))).rejects.toThrow(
      "Unknown option 'length' in sqlite of batch.createIndex(\"ix_a\", ...)",
    );
    expect(await schemaOf("ix_a")).toBeUndefined();
    await inRun(withIndex({ mysql: { length: 10 } }));
    expect(await schemaOf("ix_a")).toBe('CREATE INDEX "ix_a" ON "t" ("a")');
    expect(await rows("SELECT * FROM t")).toEqual([{ id: 1, a: "x" }]);
  });

  it("recreate never fails like the plain operation", async () => {
    await open("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)");
    await expect(
      inRun(batch("t", [{ kind: "alterColumn", column: "a", nullable: false }], { recreate: "never" })),
    ).rejects.toThrow(/op\.batchAlterTable/);
  });

  it("rolls back a failing rebuild: NULLs in a column made NOT NULL", async () => {
    await open("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER); INSERT INTO t (a) VALUES (1), (NULL);");
    const before = await schemaOf("t");
    await expect(inRun(batch("t", [{ kind: "alterColumn", column: "a", nullable: false }]))).rejects.toThrow(
      /NOT NULL constraint failed: _alembic_tmp_t\.a \(_alembic_tmp_t is the new "t" while it is built\)/,
    );
    expect(await schemaOf("t")).toBe(before);
    expect(await rows("SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp%'")).toEqual([]);
    expect(await rows("SELECT count(*) AS n FROM t")).toEqual([{ n: 2 }]);
  });

  it("copies in rowid-ordered chunks and reports progress", async () => {
    await open("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)");
    await connection.execute(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 250000) INSERT INTO t (a) SELECT x FROM c",
    );
    const progress: number[] = [];
    await inRun(batch("t", [{ kind: "alterColumn", column: "a", type: text() }]), {
      onProgress: ({ copied, total }) => progress.push(copied, total),
    });
    expect(progress).toEqual([100_000, 250_000, 200_000, 250_000, 250_000, 250_000]);
    expect(await rows("SELECT count(*) AS n, sum(CAST(a AS INTEGER)) AS s FROM t")).toEqual([
      { n: 250000, s: 31250125000 },
    ]);
  });

  it("uses copyFrom instead of reflecting", async () => {
    await open("CREATE TABLE t (id INTEGER NOT NULL, a VARCHAR(5), PRIMARY KEY (id)); INSERT INTO t VALUES (1, 'x');");
    const copyFrom = {
      kind: "table" as const,
      name: "t",
      columns: [column("id", integer(), { primaryKey: true }), column("a", string(5))],
      constraints: [],
      indexes: [],
      options: {},
    };
    await inRun(batch("t", [{ kind: "dropColumn", column: "a" }], { copyFrom }));
    expect(await rows("SELECT * FROM t")).toEqual([{ id: 1 }]);
  });

  it("recreates a copyFrom index(...) with another database's block (MySQL's prefix length) as a plain index", async () => {
    await open('CREATE TABLE t (id INTEGER NOT NULL, a TEXT, PRIMARY KEY (id)); CREATE INDEX "ix_t_a" ON "t" ("a");');
    const copyFrom = table(
      "t",
      column("id", integer(), { primaryKey: true }),
      column("a", text()),
      index("ix_t_a", ["a"], { mysql: { length: 3 } }),
    );
    await inRun(batch("t", [{ kind: "alterColumn", column: "a", type: string(10) }], { copyFrom }));
    expect(await indexesOf("t")).toEqual({ ix_t_a: 'CREATE INDEX "ix_t_a" ON "t" ("a")' });
  });
});

/** Each index of the table: name -> its CREATE INDEX text. */
const indexesOf = async (table: string) =>
  Object.fromEntries(
    (
      await rows(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' ORDER BY name`)
    ).map((row) => [row.name, row.sql]),
  );

describe("batch rebuild: a function named like a column", () => {
  it("renames the column, not the function, in a CHECK, an index expression and a generated column", async () => {
    await open(
      `CREATE TABLE f (id INTEGER PRIMARY KEY, length INT, name TEXT, "lower" TEXT, upper TEXT,
         shout TEXT GENERATED ALWAYS AS (upper(upper)) VIRTUAL,
         CONSTRAINT ck_len CHECK (length(name) > 0 AND length >= 0));
       CREATE INDEX ix_lower ON f (lower(name), lower);
       CREATE INDEX ix_short ON f (name) WHERE length (name) < 10 AND length < 10;
       INSERT INTO f (length, name, lower, upper) VALUES (1, 'ab', 'x', 'hi');`,
    );
    await inRun(
      batch("f", [
        { kind: "alterColumn", column: "length", newColumnName: "size", existingType: integer() },
        { kind: "alterColumn", column: "lower", newColumnName: "low" },
        { kind: "alterColumn", column: "upper", newColumnName: "up" },
      ]),
    );
    const created = await schemaOf("f");
    expect(created).toContain('CHECK (length(name) > 0 AND "size" >= 0)');
    expect(created).toContain('GENERATED ALWAYS AS (upper("up")) VIRTUAL');
    const indexes = await indexesOf("f");
    expect(indexes.ix_lower).toContain('(lower(name), "low")');
    expect(indexes.ix_short).toContain('WHERE length (name) < 10 AND "size" < 10');
    expect(await rows("SELECT id, size, name, low, up, shout FROM f")).toEqual([
      { id: 1, size: 1, name: "ab", low: "x", up: "hi", shout: "HI" },
    ]);
    // The kept CHECK still calls length(): an empty name is refused.
    await expect(connection.execute("INSERT INTO f (size, name) VALUES (0, '')")).rejects.toThrow(
      /CHECK constraint failed/,
    );
  });

  it("drops only what uses a dropped column, not what calls a function of its name", async () => {
    await open(
      `CREATE TABLE ev (id INTEGER PRIMARY KEY, name TEXT, created TEXT, date TEXT, length INT,
         name_length INT GENERATED ALWAYS AS (length(name)) VIRTUAL,
         CONSTRAINT ck_name CHECK (length(name) > 0), CONSTRAINT ck_created CHECK (date(created) IS NOT NULL),
         CONSTRAINT ck_length CHECK (length >= 0));
       CREATE INDEX ix_day ON ev (date(created));
       CREATE INDEX ix_date ON ev (date);
       INSERT INTO ev (name, created, date, length) VALUES ('a', '2026-01-02 10:00:00', 'x', 1);`,
    );
    await inRun(
      batch("ev", [
        { kind: "dropColumn", column: "date" },
        { kind: "dropColumn", column: "length" },
      ]),
    );
    const created = await schemaOf("ev");
    expect(created).toContain('CONSTRAINT "ck_name" CHECK (length(name) > 0)');
    expect(created).toContain('CONSTRAINT "ck_created" CHECK (date(created) IS NOT NULL)');
    expect(created).not.toContain("ck_length");
    expect(Object.keys(await indexesOf("ev"))).toEqual(["ix_day"]);
    expect(created).toContain('"name_length" INT GENERATED ALWAYS AS (length(name)) VIRTUAL');
    expect(await rows("SELECT id, name, created, name_length FROM ev")).toEqual([
      { id: 1, name: "a", created: "2026-01-02 10:00:00", name_length: 1 },
    ]);
    await expect(connection.execute("INSERT INTO ev (name, created) VALUES ('', '2026-01-02')")).rejects.toThrow(
      /CHECK constraint failed: ck_name/,
    );
  });
});

describe("batch rebuild: column details", () => {
  it("keeps a DEFAULT written with a signed exponent or a leading sign", async () => {
    await open(
      `CREATE TABLE c (id INTEGER PRIMARY KEY, r REAL DEFAULT 1e-5, s REAL DEFAULT +1.5E+3, m REAL DEFAULT -2E-2, n TEXT);
       INSERT INTO c (n) VALUES ('a');`,
    );
    await inRun(batch("c", [{ kind: "alterColumn", column: "n", nullable: false, existingType: text() }]));
    const created = await schemaOf("c");
    expect(created).toContain('"r" REAL DEFAULT 1e-5');
    expect(created).toContain('"s" REAL DEFAULT +1.5E+3');
    expect(created).toContain('"m" REAL DEFAULT -2E-2');
    await connection.execute("INSERT INTO c (n) VALUES ('b')");
    expect(await rows("SELECT r, s, m, n FROM c ORDER BY id")).toEqual([
      { r: 1e-5, s: 1500, m: -0.02, n: "a" },
      { r: 1e-5, s: 1500, m: -0.02, n: "b" },
    ]);
  });

  it("copies into an ANY column of a STRICT table without a CAST: values keep their type", async () => {
    await open(
      `CREATE TABLE ev (id INTEGER PRIMARY KEY, code TEXT, n INT) STRICT;
       INSERT INTO ev (code) VALUES ('abc'), ('007'), ('1.50'), (NULL);`,
    );
    const sent: string[] = [];
    await inRun(batch("ev", [{ kind: "alterColumn", column: "code", type: customType("ANY"), existingType: text() }]), {
      onStatement: (statement) => sent.push(statement),
    });
    expect(sent.filter((statement) => statement.includes("CAST("))).toEqual([]);
    expect(await schemaOf("ev")).toContain('"code" ANY');
    expect(await rows("SELECT code, typeof(code) AS kind FROM ev ORDER BY id")).toEqual([
      { code: "abc", kind: "text" },
      { code: "007", kind: "text" },
      { code: "1.50", kind: "text" },
      { code: null, kind: "null" },
    ]);
  });

  it("keeps one CHECK per column of a shared enum when both change their values", async () => {
    await open(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, m1 VARCHAR(2) CONSTRAINT "mood" CHECK ("m1" IN ('a', 'b')), m2 VARCHAR(2) CONSTRAINT "mood" CHECK ("m2" IN ('a', 'b')));
       INSERT INTO t (m1, m2) VALUES ('a', 'b');`,
    );
    const before = enumType("mood", ["a", "b"]);
    const after = enumType("mood", ["a", "b", "cc"]);
    await inRun(
      batch("t", [
        { kind: "alterColumn", column: "m1", type: after, existingType: before },
        { kind: "alterColumn", column: "m2", type: after, existingType: before },
      ]),
    );
    const created = await schemaOf("t");
    expect(created).toContain(`CONSTRAINT "mood" CHECK ("m1" IN ('a', 'b', 'cc'))`);
    expect(created).toContain(`CONSTRAINT "mood" CHECK ("m2" IN ('a', 'b', 'cc'))`);
    await expect(connection.execute("INSERT INTO t (m1, m2) VALUES ('zz', 'a')")).rejects.toThrow(
      /CHECK constraint failed/,
    );
    await connection.execute("INSERT INTO t (m1, m2) VALUES ('cc', 'cc')");
    expect(await rows("SELECT m1, m2 FROM t ORDER BY id")).toEqual([
      { m1: "a", m2: "b" },
      { m1: "cc", m2: "cc" },
    ]);
  });

  it("renames a column when only the case of its name changes", async () => {
    await open(
      `CREATE TABLE u (id INTEGER PRIMARY KEY, Email TEXT, CONSTRAINT ck_email CHECK (Email LIKE '%@%'));
       CREATE UNIQUE INDEX ix_email ON u (Email);
       INSERT INTO u (Email) VALUES ('a@b');`,
    );
    await inRun(batch("u", [{ kind: "alterColumn", column: "Email", newColumnName: "email", nullable: false }]));
    expect(await rows("SELECT name FROM pragma_table_info('u')")).toEqual([{ name: "id" }, { name: "email" }]);
    expect(await schemaOf("u")).toContain(`CONSTRAINT "ck_email" CHECK ("email" LIKE '%@%')`);
    expect((await indexesOf("u")).ix_email).toContain('("email")');
    expect(await rows("SELECT * FROM u")).toEqual([{ id: 1, email: "a@b" }]);
  });
});

describe("dropColumn of a column an index or constraint uses", () => {
  it("is refused before anything runs, pointing to batch mode", async () => {
    const folder = temporaryFolder("retort-sqlite-dropcol-");
    const connection = await new SqliteDriver().connect(sqliteUrl(folder.file("drop.db")));
    try {
      await connection.execute('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "a" INTEGER, "b" INTEGER)');
      await connection.execute('CREATE INDEX "ix_t_a" ON "t" ("a")');
      await expect(runOperation(connection, { kind: "dropColumn", table: "t", column: "a" })).rejects.toThrow(
        /used by index "ix_t_a".*op\.batchAlterTable\("t"/,
      );
      expect(await connection.query("SELECT name FROM pragma_table_info('t')")).toEqual({
        rows: [{ name: "id" }, { name: "a" }, { name: "b" }],
      });
      expect(
        (await runOperation(connection, { kind: "dropColumn", table: "t", column: "b" })).map((s) => s.sql),
      ).toEqual(['ALTER TABLE "t" DROP COLUMN "b"']);
    } finally {
      await connection.close();
      folder.remove();
    }
  });
});

describe("dropColumn of a column named like a function an index calls", () => {
  it("drops it in place: the index calls the function, it does not use the column", async () => {
    await open(
      `CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT, length INT);
       CREATE INDEX ix ON u (length(email)); INSERT INTO u (email, length) VALUES ('a@b', 3);`,
    );
    const sent = await runOperation(connection, { kind: "dropColumn", table: "u", column: "length" });
    expect(sent.map((statement) => statement.sql)).toEqual(['ALTER TABLE "u" DROP COLUMN "length"']);
    expect(await indexesOf("u")).toEqual({ ix: "CREATE INDEX ix ON u (length(email))" });
    expect(await rows("SELECT * FROM u")).toEqual([{ id: 1, email: "a@b" }]);
  });
});
