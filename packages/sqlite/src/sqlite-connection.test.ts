import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { DatabaseError, RetortError } from "@retort/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "./sqlite-connection.js";
import { SqliteDriver } from "./sqlite-driver.js";
import { sqliteUrl, temporaryFolder } from "./test-support/temp-database.js";

const driver = new SqliteDriver();
let folder: ReturnType<typeof temporaryFolder>;
let connection: SqliteConnection;

beforeEach(async () => {
  folder = temporaryFolder();
  connection = await driver.connect(sqliteUrl(folder.file()));
});

afterEach(async () => {
  await connection.close();
  folder.remove();
});

describe("connect", () => {
  it("opens a file relative to cwd, and an absolute path", async () => {
    const relative = await driver.connect(sqliteUrl("sub/rel.db"), { cwd: folder.path }).catch((error: Error) => error);
    expect(relative).toBeInstanceOf(Error);
    mkdirSync(join(folder.path, "sub"));
    const opened = await driver.connect(sqliteUrl("sub/rel.db"), { cwd: folder.path });
    await opened.execute("CREATE TABLE t (a)");
    await opened.close();
    expect(existsSync(join(folder.path, "sub", "rel.db"))).toBe(true);
    expect(opened.filename).toBe(join(folder.path, "sub", "rel.db"));
  });

  it("opens an in-memory database", async () => {
    const memory = await driver.connect(sqliteUrl(""));
    expect(memory.filename).toBe(":memory:");
    expect((await memory.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await memory.close();
  });

  it("names the path when the folder is missing, and creates nothing", async () => {
    const path = join(folder.path, "missing", "app.db");
    const error = await driver.connect(sqliteUrl(path)).catch((caught: unknown) => caught);
    expect(RetortError.isInstance(error)).toBe(true);
    expect((error as RetortError).code).toBe("CONNECTION");
    expect((error as Error).message).toContain(
      `Cannot open SQLite database ${path}: the folder ${join(folder.path, "missing")} does not exist`,
    );
    expect(existsSync(join(folder.path, "missing"))).toBe(false);
  });

  it("names the path of a file that is not a database, or a folder", async () => {
    const path = folder.file("notes.db");
    writeFileSync(path, "these are not the pages you are looking for ".repeat(20));
    await expect(driver.connect(sqliteUrl(path))).rejects.toThrow(
      `Cannot open SQLite database ${path}: SQLITE_NOTADB: file is not a database.`,
    );
    mkdirSync(folder.file("dir.db"));
    await expect(driver.connect(sqliteUrl(folder.file("dir.db")))).rejects.toThrow(
      `Cannot open SQLite database ${folder.file("dir.db")}: SQLITE_CANTOPEN`,
    );
  });

  it("says another process holds the file when it cannot even be read in time (SQLITE_BUSY)", async () => {
    const path = folder.file("busy.db");
    const writer = new Database(path);
    writer.exec("CREATE TABLE t (a); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);");
    try {
      const error = await driver.connect(sqliteUrl(path), { lockTimeoutMs: 100 }).catch((caught: unknown) => caught);
      expect((error as RetortError).code).toBe("LOCK_TIMEOUT");
      expect((error as Error).message).toContain(`Another process holds ${path} locked for longer than 100 ms`);
      expect((error as Error).message).toContain("raise lock.timeoutMs");
    } finally {
      writer.exec("ROLLBACK");
      writer.close();
    }
  });

  it("leaves foreign keys off unless the URL turns them on", async () => {
    expect((await connection.query("PRAGMA foreign_keys")).rows).toEqual([{ foreign_keys: 0 }]);
    const enforced = await driver.connect(sqliteUrl(folder.file(), { foreign_keys: "on" }));
    expect((await enforced.query("PRAGMA foreign_keys")).rows).toEqual([{ foreign_keys: 1 }]);
    await enforced.close();
  });

  it("keeps the file's journal mode", async () => {
    const path = folder.file("wal.db");
    const raw = new Database(path);
    raw.pragma("journal_mode = WAL");
    raw.close();
    const wal = await driver.connect(sqliteUrl(path));
    expect((await wal.query("PRAGMA journal_mode")).rows).toEqual([{ journal_mode: "wal" }]);
    await wal.close();
    expect((await connection.query("PRAGMA journal_mode")).rows).toEqual([{ journal_mode: "delete" }]);
  });
});

describe("query and execute", () => {
  beforeEach(async () => {
    await connection.execute(
      "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, flag BOOLEAN, at TEXT, data JSON)",
    );
  });

  it("returns rows for a SELECT and none for other statements", async () => {
    await connection.execute("INSERT INTO items (name) VALUES (?), (?)", ["a", "b"]);
    expect((await connection.query("SELECT id, name FROM items ORDER BY id")).rows).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
    expect((await connection.query("UPDATE items SET name = 'c' WHERE id = 1")).rows).toEqual([]);
    expect((await connection.query("SELECT name FROM items WHERE id = ?", [1])).rows).toEqual([{ name: "c" }]);
  });

  it("reports changed rows, also for a statement that returns rows", async () => {
    expect(await connection.execute("INSERT INTO items (name) VALUES ('a'), ('b'), ('c')")).toEqual({ rowCount: 3 });
    expect(await connection.execute("UPDATE items SET name = 'x' WHERE id > ?", [1])).toEqual({ rowCount: 2 });
    expect(await connection.execute("SELECT * FROM items")).toEqual({ rowCount: 0 });
    expect(await connection.execute("DELETE FROM items WHERE id = 1 RETURNING id")).toEqual({ rowCount: 1 });
  });

  it("converts booleans, dates, undefined and objects for binding", async () => {
    const at = new Date("2024-01-02T03:04:05.000Z");
    await connection.execute("INSERT INTO items (name, flag, at, data) VALUES (?, ?, ?, ?)", [
      undefined,
      true,
      at,
      { a: 1 },
    ]);
    await connection.execute("INSERT INTO items (name, flag, data) VALUES (?, ?, ?)", ["b", false, [1, 2]]);
    expect((await connection.query("SELECT name, flag, at, data FROM items ORDER BY id")).rows).toEqual([
      { name: null, flag: 1, at: "2024-01-02T03:04:05.000Z", data: '{"a":1}' },
      { name: "b", flag: 0, at: null, data: "[1,2]" },
    ]);
  });

  it("runs text with several statements as a script", async () => {
    const result = await connection.execute(
      "CREATE TABLE other (a INTEGER); INSERT INTO other VALUES (1); INSERT INTO other VALUES (2), (3);",
    );
    expect(result).toEqual({ rowCount: 3 });
    expect((await connection.query("SELECT count(*) AS n FROM other")).rows).toEqual([{ n: 3 }]);
    expect(await connection.execute("-- nothing to do")).toEqual({ rowCount: 0 });
    expect((await connection.query("")).rows).toEqual([]);
  });

  it("refuses several statements with parameters, or in query()", async () => {
    await expect(connection.execute("SELECT ?; SELECT ?", [1, 2])).rejects.toThrow(
      /split it into several execute\(\) calls/,
    );
    await expect(connection.query("SELECT 1; SELECT 2")).rejects.toThrow(/query\(\) runs one statement/);
  });

  it("wraps SQLite errors in DatabaseError with the SQL and SQLite's message", async () => {
    const error = await connection.query("SELECT * FROM nope").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(RetortError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: "DATABASE",
      sql: "SELECT * FROM nope",
      message: "SQLITE_ERROR: no such table: nope",
    });
    expect((error as Error).cause).toMatchObject({ code: "SQLITE_ERROR" });

    await connection.execute("CREATE TABLE u (a INTEGER UNIQUE)");
    await connection.execute("INSERT INTO u VALUES (1)");
    await expect(connection.execute("INSERT INTO u VALUES (?)", [1])).rejects.toThrow(
      "SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: u.a",
    );
    await expect(connection.execute("CREATE TABLE a (x); CREATE TABLE a (y)")).rejects.toMatchObject({
      message: "SQLITE_ERROR: table a already exists",
    });
  });
});

describe("transactions", () => {
  it("commits and rolls back, DDL included", async () => {
    expect(connection.inTransaction).toBe(false);
    await connection.begin();
    expect(connection.inTransaction).toBe(true);
    await connection.execute("CREATE TABLE kept (a INTEGER)");
    await connection.commit();
    expect(connection.inTransaction).toBe(false);

    await connection.begin();
    await connection.execute("CREATE TABLE dropped (a INTEGER)");
    await connection.execute("INSERT INTO kept VALUES (1)");
    await connection.rollback();
    expect(await connection.tableExists("kept")).toBe(true);
    expect(await connection.tableExists("dropped")).toBe(false);
    expect((await connection.query("SELECT count(*) AS n FROM kept")).rows).toEqual([{ n: 0 }]);
  });

  it("makes rollback without a transaction a no-op", async () => {
    await connection.rollback();
    expect(connection.inTransaction).toBe(false);
  });

  it("refuses a nested begin", async () => {
    await connection.begin();
    await expect(connection.begin()).rejects.toThrow(/cannot start a transaction within a transaction/);
    await connection.rollback();
  });

  it("rolls back an open transaction on close", async () => {
    const path = folder.file("close.db");
    const first = await driver.connect(sqliteUrl(path));
    await first.execute("CREATE TABLE t (a)");
    await first.begin();
    await first.execute("INSERT INTO t VALUES (1)");
    await first.close();
    await first.close();
    const second = await driver.connect(sqliteUrl(path));
    expect((await second.query("SELECT count(*) AS n FROM t")).rows).toEqual([{ n: 0 }]);
    await second.close();
  });
});

describe("tableExists", () => {
  it("finds tables, case-insensitively, and not views or indexes", async () => {
    await connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)");
    await connection.execute("CREATE VIEW v AS SELECT 1");
    await connection.execute("CREATE INDEX ix ON alembic_version (version_num)");
    expect(await connection.tableExists("alembic_version")).toBe(true);
    expect(await connection.tableExists("ALEMBIC_VERSION")).toBe(true);
    expect(await connection.tableExists("main")).toBe(false);
    expect(await connection.tableExists("v")).toBe(false);
    expect(await connection.tableExists("ix")).toBe(false);
    expect(await connection.tableExists("alembic_version", "main")).toBe(true);
    await expect(connection.tableExists("alembic_version", "other")).rejects.toThrow(/SQLite has no schemas/);
  });
});

describe("acquireLock", () => {
  it("sets the busy timeout and returns a handle whose release does nothing", async () => {
    const lock = await connection.acquireLock({ key: "alembic_version", timeoutMs: 1234 });
    expect((await connection.query("PRAGMA busy_timeout")).rows).toEqual([{ timeout: 1234 }]);
    expect(connection.busyTimeoutMs).toBe(1234);
    await connection.begin();
    await lock.release();
    expect(connection.inTransaction).toBe(true);
    await connection.commit();
  });
});
