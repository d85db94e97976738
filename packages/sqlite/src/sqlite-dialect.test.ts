import { sql } from "@retort/core";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SqliteDialect } from "./sqlite-dialect.js";

const dialect = new SqliteDialect();

describe("SqliteDialect", () => {
  it("has SQLite's name and capabilities", () => {
    expect(dialect.name).toBe("sqlite");
    expect(dialect.capabilities).toEqual({
      transactionalDdl: true,
      lockHeldByTransaction: true,
      alterInPlace: false,
      nativeEnum: false,
      enumTypes: false,
      schemas: false,
      ifNotExists: true,
      comments: false,
      indexMethods: false,
    });
  });

  it.each([
    ["users", '"users"'],
    ["User Settings", '"User Settings"'],
    ['my "table"', '"my ""table"""'],
    ["select", '"select"'],
    ["", '""'],
  ])("quotes the identifier %j as %s", (name, quoted) => {
    expect(dialect.quoteIdentifier(name)).toBe(quoted);
  });

  it.each<[unknown, string]>([
    ["en", "'en'"],
    ["it's", "'it''s'"],
    ["", "''"],
    [42, "42"],
    [-1.5, "-1.5"],
    [1e21, "1e+21"],
    [Number.POSITIVE_INFINITY, "9e999"],
    [Number.NEGATIVE_INFINITY, "-9e999"],
    [12345678901234567890n, "12345678901234567890"],
    [true, "1"],
    [false, "0"],
    [null, "NULL"],
    [undefined, "NULL"],
    [new Date("2024-01-02T03:04:05.678Z"), "'2024-01-02T03:04:05.678Z'"],
    [Buffer.from([0xde, 0xad, 0xbe, 0xef]), "X'DEADBEEF'"],
    [new Uint8Array([1, 2, 255]), "X'0102FF'"],
    [sql`CURRENT_TIMESTAMP`, "CURRENT_TIMESTAMP"],
    [{ a: "it's" }, `'{"a":"it''s"}'`],
    [[1, 2], "'[1,2]'"],
    ["nul\u0000it's\u0000", "('nul' || char(0) || 'it''s' || char(0) || '')"],
  ])("renders %o as the literal %s", (value, literal) => {
    expect(dialect.renderLiteral(value)).toBe(literal);
  });

  it("writes a text with NUL characters that a script runs whole, as the value bound online", () => {
    const db = new Database(":memory:");
    try {
      db.exec("CREATE TABLE t (id INTEGER, s TEXT)");
      const value = "nul\u0000byte";
      // exec reads the script as a C string, as the sqlite3 shell does: a raw NUL would end it there.
      db.exec(`INSERT INTO t VALUES (1, ${dialect.renderLiteral(value)}); INSERT INTO t VALUES (2, 'after')`);
      db.prepare("INSERT INTO t VALUES (3, ?)").run(value);
      expect(db.prepare("SELECT id, hex(s) AS h, typeof(s) AS k FROM t ORDER BY id").all()).toEqual([
        { id: 1, h: "6E756C0062797465", k: "text" },
        { id: 2, h: "6166746572", k: "text" },
        { id: 3, h: "6E756C0062797465", k: "text" },
      ]);
    } finally {
      db.close();
    }
  });

  it("refuses values it cannot render", () => {
    expect(() => dialect.renderLiteral(Number.NaN)).toThrow(/NaN/);
    expect(() => dialect.renderLiteral(new Map())).toThrow(/Map/);
    expect(() => dialect.renderLiteral(new Date("nope"))).toThrow(/invalid Date/);
  });

  it("uses ? for every placeholder", () => {
    expect(dialect.placeholder(1)).toBe("?");
    expect(dialect.placeholder(7)).toBe("?");
  });
});
