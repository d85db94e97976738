import { sql } from "@retort/core";
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
  ])("renders %o as the literal %s", (value, literal) => {
    expect(dialect.renderLiteral(value)).toBe(literal);
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
