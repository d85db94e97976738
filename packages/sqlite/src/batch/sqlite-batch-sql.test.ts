import { describe, expect, it } from "vitest";
import { parseCreateTable } from "./sqlite-batch-parse.js";
import { mentions, renameIdentifiers, significant, tokenize } from "./sqlite-batch-sql.js";

const texts = (sql: string) => significant(tokenize(sql)).map((token) => [token.kind, token.text]);

describe("tokenize: numeric literals", () => {
  it("keeps an exponent's sign in the number", () => {
    expect(texts("1e-5 + 1.5E+3 - .5e2 * 2E10")).toEqual([
      ["number", "1e-5"],
      ["punct", "+"],
      ["number", "1.5E+3"],
      ["punct", "-"],
      ["number", ".5e2"],
      ["punct", "*"],
      ["number", "2E10"],
    ]);
  });

  it("reads hex and digit separators, and leaves a minus after a plain number to the expression", () => {
    expect(texts("0x1F-1_000")).toEqual([
      ["number", "0x1F"],
      ["punct", "-"],
      ["number", "1_000"],
    ]);
    expect(texts("x-1")).toEqual([
      ["word", "x"],
      ["punct", "-"],
      ["number", "1"],
    ]);
  });
});

describe("parseCreateTable: signed DEFAULT numbers", () => {
  it("keeps the whole number and its leading sign", () => {
    const parsed = parseCreateTable(
      "CREATE TABLE c (id INTEGER PRIMARY KEY, r REAL DEFAULT 1e-5, s REAL DEFAULT +1.5E+3, t REAL DEFAULT -2.5e-3 NOT NULL, n TEXT)",
    );
    expect(parsed.columns.get("r")?.defaultSql).toBe("1e-5");
    expect(parsed.columns.get("s")?.defaultSql).toBe("+1.5E+3");
    expect(parsed.columns.get("t")).toMatchObject({ defaultSql: "-2.5e-3", notNullSql: "NOT NULL" });
  });
});

describe("mentions", () => {
  it("does not take a function name for a column", () => {
    expect(mentions("length(name) > 0", "length")).toBe(false);
    expect(mentions("date (created) IS NOT NULL", "date")).toBe(false);
    expect(mentions("date /* day */ (created) IS NOT NULL", "date")).toBe(false);
    expect(mentions("date(created) IS NOT NULL", "created")).toBe(true);
  });

  it("finds the column when the same word is also a call", () => {
    expect(mentions("length(name) > 0 AND length >= 0", "length")).toBe(true);
    expect(mentions('"length" >= 0', "length")).toBe(true);
    expect(mentions("upper(Upper)", "upper")).toBe(true);
  });

  it("ignores string literals", () => {
    expect(mentions("name <> 'length'", "length")).toBe(false);
  });
});

describe("renameIdentifiers", () => {
  const rename = (sql: string, from: string, to: string) => renameIdentifiers(sql, new Map([[from, to]]));

  it("renames the column, never a function of the same name", () => {
    expect(rename("length(name) > 0 AND length >= 0", "length", "size")).toBe('length(name) > 0 AND "size" >= 0');
    expect(rename("lower (name), lower", "lower", "low")).toBe('lower (name), "low"');
    expect(rename("upper(upper)", "upper", "up")).toBe('upper("up")');
  });

  it("renames quoted names and leaves string literals", () => {
    expect(rename(`"length" > 0 AND name <> 'length'`, "length", "size")).toBe(`"size" > 0 AND name <> 'length'`);
  });
});
