/** The connection against the real server (`RETORT_TEST_MYSQL_URL`, else the local MariaDB/MySQL). */
import { type DatabaseError, parseDatabaseUrl, RetortError } from "@retort/core";
import { describe, expect, it } from "vitest";
import { MysqlDialect } from "./mysql-dialect.js";
import { useTestConnections } from "./test-support/test-connections.js";

const suite = useTestConnections("retort_my_conn");
const { driver } = suite;
const connect = () => suite.connect();

describe("MysqlConnection", () => {
  it("runs statements with ? parameters and counts the rows changed, matched rows included", async () => {
    const connection = await connect();
    await connection.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10), at DATETIME(3), data JSON)");
    const inserted = await connection.execute("INSERT INTO t VALUES (?, ?, ?, ?), (?, ?, ?, ?)", [
      1,
      "a",
      new Date("2024-01-02T03:04:05.678Z"),
      { a: 1 },
      2,
      "b",
      null,
      [1, 2],
    ]);
    expect(inserted.rowCount).toBe(2);
    // The version table's UPDATE must count a row set to the value it had.
    expect((await connection.execute("UPDATE t SET v = ? WHERE id = ?", ["a", 1])).rowCount).toBe(1);
    const { rows } = await connection.query<{ id: number; at: Date; data: unknown }>(
      "SELECT id, at, data FROM t ORDER BY id",
    );
    expect(rows[0]?.at.toISOString()).toBe("2024-01-02T03:04:05.678Z");
    // MySQL's JSON comes back parsed; MariaDB's (LONGTEXT) as text or parsed, by the client's reading of the column.
    const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
    expect(json(rows[0]?.data)).toEqual({ a: 1 });
    expect(json(rows[1]?.data)).toEqual([1, 2]);
    expect((await connection.query("SELECT 1 AS a; SELECT 2 AS b")).rows).toEqual([{ b: 2 }]);
    await connection.execute("DROP TABLE t");
  });

  it("says a DDL statement ended the transaction (MySQL commits it implicitly)", async () => {
    const connection = await connect();
    await connection.begin();
    expect(connection.inTransaction).toBe(true);
    await connection.execute("SELECT 1");
    expect(connection.inTransaction).toBe(true);
    await connection.execute("CREATE TABLE ddl_commits (id INT)");
    expect(connection.inTransaction).toBe(false);
    await connection.rollback();
    await connection.begin();
    await connection.execute("INSERT INTO ddl_commits VALUES (1)");
    await connection.rollback();
    expect((await connection.query("SELECT COUNT(*) AS n FROM ddl_commits")).rows).toEqual([{ n: 0 }]);
    await connection.execute("DROP TABLE ddl_commits");
  });

  it("finds tables in the URL's database only", async () => {
    const connection = await connect();
    await connection.execute("CREATE TABLE exists_here (id INT)");
    expect(await connection.tableExists("exists_here")).toBe(true);
    expect(await connection.tableExists("not_here")).toBe(false);
    await connection.execute("DROP TABLE exists_here");
  });

  it("wraps server errors in DatabaseError with the server's code and the statement", async () => {
    const connection = await connect();
    const error = await connection.query("SELECT * FROM no_such_table").catch((caught: unknown) => caught);
    expect(RetortError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^ER_NO_SUCH_TABLE \(1146\): Table '.*no_such_table' doesn't exist/);
    expect((error as { sql?: string }).sql).toBe("SELECT * FROM no_such_table");
  });

  it("says how to drop an index a foreign key needs", async () => {
    const connection = await connect();
    await connection.execute("CREATE TABLE fk_parent (id INT PRIMARY KEY)");
    await connection.execute(
      "CREATE TABLE fk_child (id INT, parent_id INT, FOREIGN KEY (parent_id) REFERENCES fk_parent (id))",
    );
    await connection.execute("CREATE INDEX ix_fk_child_parent_id ON fk_child (parent_id)");
    const error = await connection
      .execute("DROP INDEX ix_fk_child_parent_id ON fk_child")
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^ER_DROP_INDEX_FK \(1553\): .*ix_fk_child_parent_id/);
    expect((error as Error).message).toContain("drop the foreign key first");
    await connection.execute("DROP TABLE fk_child, fk_parent");
  });

  it("writes ? values for the session's sql_mode, NO_BACKSLASH_ESCAPES included, as the server reports it", async () => {
    const connection = await connect();
    const values = ["a\\b", "it's", "x\\'y", "tab\tz", "nul\0x", "?", "' OR '1'='1"];
    await connection.execute("CREATE TABLE modes (id INT PRIMARY KEY, v VARCHAR(20))");
    const roundTrip = async (first: number) => {
      for (const [index, value] of values.entries()) {
        await connection.execute("INSERT INTO modes VALUES (?, ?)", [first + index, value]);
      }
      const { rows } = await connection.query<{ v: string }>(
        "SELECT v FROM modes WHERE id >= ? AND id < ? ORDER BY id",
        [first, first + values.length],
      );
      return rows.map((row) => row.v);
    };
    expect(await roundTrip(0)).toEqual(values);
    // A migration may set the mode: the next statement's values follow it.
    await connection.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')");
    expect(await roundTrip(100)).toEqual(values);
    // A dialect made for such a session (the driver's, when the session starts in this mode) writes literals it reads back.
    const literal = new MysqlDialect({ backslashEscapes: false }).renderLiteral("a\\b it's");
    expect(literal).toBe("'a\\b it''s'");
    expect((await connection.query<{ v: string }>(`SELECT ${literal} AS v`)).rows).toEqual([{ v: "a\\b it's" }]);
    await connection.execute("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
    expect(await roundTrip(200)).toEqual(values);
    await connection.execute("DROP TABLE modes");
  });

  it("refuses values that do not pair up with the ? placeholders before sending (mysql2 would run the statement)", async () => {
    const connection = await connect();
    await connection.execute("CREATE TABLE pairs (v VARCHAR(20))");
    // mysql2 alone drops the value left over and runs the INSERT: nothing may reach the server.
    await expect(connection.execute("INSERT INTO pairs VALUES (?)", ["a", "b"])).rejects.toMatchObject({
      code: "PARAMETER_MISMATCH",
      message: expect.stringContaining("2 values given but the statement has 1 ? placeholder: value 2 is not used"),
    });
    await expect(connection.execute("INSERT INTO pairs VALUES (?), (?)", ["a"])).rejects.toMatchObject({
      code: "PARAMETER_MISMATCH",
      message: expect.stringContaining("The placeholder ? number 2 has no value (1 value given)"),
    });
    expect((await connection.query("SELECT v FROM pairs")).rows).toEqual([]);
    // As mysql2 reads the text: a backslash-escaped quote does not end the string, so the ? is in it.
    await expect(connection.execute("INSERT INTO pairs VALUES ('a\\'), (?')", ["b"])).rejects.toMatchObject({
      code: "PARAMETER_MISMATCH",
    });
    await connection.execute("INSERT INTO pairs VALUES ('a\\'), (?')");
    await connection.execute("INSERT INTO pairs VALUES ('?'), (?)", ["b"]);
    expect((await connection.query<{ v: string }>("SELECT v FROM pairs ORDER BY v")).rows).toEqual([
      { v: "?" },
      { v: "a'), (?" },
      { v: "b" },
    ]);
    await connection.execute("DROP TABLE pairs");
  });

  it("says when a failed statement committed the open transaction (a DDL statement commits before it runs)", async () => {
    const connection = await connect();
    await connection.execute("CREATE TABLE ended (id INT PRIMARY KEY)");
    await connection.begin();
    await connection.execute("INSERT INTO ended VALUES (1)");
    const dml = await connection.execute("INSERT INTO ended VALUES (1)").catch((caught: unknown) => caught);
    expect((dml as DatabaseError).transactionEnded).toBeUndefined();
    expect(connection.inTransaction).toBe(true);
    const ddl = await connection.execute("CREATE TABLE ended (id INT)").catch((caught: unknown) => caught);
    expect((ddl as DatabaseError).transactionEnded).toBe("committed");
    expect(connection.inTransaction).toBe(false);
    expect((await connection.query("SELECT id FROM ended")).rows).toEqual([{ id: 1 }]);
    await connection.execute("DROP TABLE ended");
  });

  it("names a failed CHECK by the server's own list (MariaDB's 4025 is not MySQL's)", async () => {
    const connection = await connect();
    const { rows } = await connection.query<{ version: string }>("SELECT VERSION() AS version");
    const mariadb = /mariadb/i.test(rows[0]?.version ?? "");
    await connection.execute("CREATE TABLE ck_t (score INT, CONSTRAINT ck_score CHECK (score > 0))");
    const error = await connection.execute("INSERT INTO ck_t VALUES (?)", [-5]).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      mariadb
        ? /^ER_CONSTRAINT_FAILED \(4025\): CONSTRAINT `ck_score` failed/
        : /^ER_CHECK_CONSTRAINT_VIOLATED \(3819\): /,
    );
    expect((error as Error).message).not.toContain("AUTOEXTEND");
    await connection.execute("DROP TABLE ck_t");
  });

  it("gives the connection MariaDB's or MySQL's dialect from the server's version", async () => {
    const connection = await connect();
    const { rows } = await connection.query<{ version: string }>("SELECT VERSION() AS version");
    const mariadb = /mariadb/i.test(rows[0]?.version ?? "");
    expect(connection.dialect.capabilities.ifNotExists).toBe(mariadb);
    expect(connection.dialect.capabilities.transactionalDdl).toBe(false);
  });

  it("reports a refused connection with the host and without the password", async () => {
    const error = await driver
      .connect(parseDatabaseUrl("mysql+pymysql://app:hunter2@127.0.0.1:1/app"))
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^Cannot connect to MySQL at 127\.0\.0\.1:1\/app: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain("hunter2");
    expect((error as { code?: string }).code).toBe("CONNECTION");
  });

  it("reports a wrong password as such, masked", async () => {
    const url = new URL(suite.database.urlText);
    url.username = "retort_nobody";
    url.password = "s3cret-pw";
    const error = await driver.connect(parseDatabaseUrl(url.toString())).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/ER_ACCESS_DENIED_ERROR|ER_ACCESS_DENIED/);
    expect((error as Error).message).not.toContain("s3cret-pw");
  });
});
