import { describe, expect, it } from "vitest";
import { stubDialect } from "../test-support/stub-dialect.js";
import type { Dialect } from "../driver/driver.js";
import { inlineParameters, parameterMismatch } from "./inline-parameters.js";

function dialectWith(placeholder: (index: number) => string): Dialect {
  return stubDialect({
    renderLiteral: (value) =>
      value === null
        ? "NULL"
        : typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : `'${String(value).replaceAll("'", "''")}'`,
    placeholder,
  });
}

const numbered = dialectWith((index) => `$${index}`);
const question = dialectWith(() => "?");

describe("inlineParameters", () => {
  it("leaves SQL without parameters and placeholders as it is", () => {
    expect(inlineParameters("SELECT '?', $$ $1 $$, a$1 -- $1", [], numbered)).toBe("SELECT '?', $$ $1 $$, a$1 -- $1");
    expect(inlineParameters("SELECT '?' /* ? */", [], question)).toBe("SELECT '?' /* ? */");
  });

  it("replaces `?` placeholders in order", () => {
    expect(inlineParameters("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", ["x", 2, null], question)).toBe(
      "INSERT INTO t (a, b, c) VALUES ('x', 2, NULL)",
    );
  });

  it("replaces `$n` placeholders by number, in any order and repeated", () => {
    expect(inlineParameters("UPDATE t SET a = $2 WHERE a = $1 OR b = $2", ["old", "new"], numbered)).toBe(
      "UPDATE t SET a = 'new' WHERE a = 'old' OR b = 'new'",
    );
    expect(
      inlineParameters(
        "SELECT $10, $1, $2, $3, $4, $5, $6, $7, $8, $9",
        Array.from({ length: 10 }, (_, i) => i + 1),
        numbered,
      ),
    ).toBe("SELECT 10, 1, 2, 3, 4, 5, 6, 7, 8, 9");
  });

  it("escapes values through the dialect's literals", () => {
    expect(inlineParameters("VALUES ($1)", ["O'Brien; --not a comment"], numbered)).toBe(
      "VALUES ('O''Brien; --not a comment')",
    );
    expect(inlineParameters("VALUES (?)", ["it's ? and $1"], question)).toBe("VALUES ('it''s ? and $1')");
  });

  it("leaves placeholders inside quotes, identifiers and comments alone", () => {
    expect(
      inlineParameters(
        `SELECT '?', "a?b", \`c?\`, ? -- is it?\n, ? /* or ? */ FROM t WHERE x = 'it''s ?'`,
        [1, 2],
        question,
      ),
    ).toBe(`SELECT '?', "a?b", \`c?\`, 1 -- is it?\n, 2 /* or ? */ FROM t WHERE x = 'it''s ?'`);
    expect(inlineParameters("SELECT '$1', \"$1\", $1 -- $2\n", ["v"], numbered)).toBe(
      "SELECT '$1', \"$1\", 'v' -- $2\n",
    );
  });

  it("leaves PostgreSQL dollar-quoted bodies alone, tagged or not", () => {
    const sql = "CREATE FUNCTION f() RETURNS int AS $body$ SELECT $1 $body$; SELECT $$ $1 $$, $1";
    expect(inlineParameters(sql, [7], numbered)).toBe(
      "CREATE FUNCTION f() RETURNS int AS $body$ SELECT $1 $body$; SELECT $$ $1 $$, 7",
    );
  });

  it("reads PostgreSQL E'...' strings with backslash escapes, and only those", () => {
    expect(inlineParameters("SELECT E'it\\'s $1', $1", ["v"], numbered)).toBe("SELECT E'it\\'s $1', 'v'");
    expect(inlineParameters("SELECT e'a\\\\', $1", ["v"], numbered)).toBe("SELECT e'a\\\\', 'v'");
    // A plain string ends at the quote after a backslash (standard_conforming_strings).
    expect(inlineParameters("SELECT 'a\\', $1", ["v"], numbered)).toBe("SELECT 'a\\', 'v'");
    expect(inlineParameters("SELECT TYPE'a\\', $1", ["v"], numbered)).toBe("SELECT TYPE'a\\', 'v'");
  });

  it("refuses a numbered placeholder with no parameter", () => {
    expect(() => inlineParameters("SELECT $1, $3", ["a", "b"], numbered)).toThrow(
      "The placeholder $3 has no value (2 values given); testdb refuses such a statement when it runs, so --sql does not write it either.",
    );
    expect(() => inlineParameters("SELECT $1", [], numbered)).toThrow(
      "The placeholder $1 has no value (0 values given)",
    );
  });

  it("refuses a value no numbered placeholder uses, as PostgreSQL does", () => {
    expect(() => inlineParameters("SELECT 1", [5], numbered)).toThrow(
      "1 value given but the statement has no placeholder $1: value 1 is not used",
    );
    expect(() => inlineParameters("SELECT $2", [1, 2], numbered)).toThrow(
      expect.objectContaining({ code: "PARAMETER_MISMATCH", message: expect.stringContaining("value 1 is not used") }),
    );
  });

  it("refuses `?` values and placeholders that do not pair up, unless the driver drops extra values", () => {
    expect(() => inlineParameters("SELECT 1", [5], question)).toThrow(
      "1 value given but the statement has 0 ? placeholders: value 1 is not used",
    );
    expect(() => inlineParameters("SELECT ?, ? -- ?", [1], question)).toThrow(
      "The placeholder ? number 2 has no value (1 value given)",
    );
    expect(() => inlineParameters("SELECT ?", [], question)).toThrow("The placeholder ? number 1 has no value");
    const mysqlLike = { ...question, parameterBinding: { extraValuesIgnored: true } };
    expect(inlineParameters("SELECT ?", [1, 2], mysqlLike)).toBe("SELECT 1");
    expect(() => inlineParameters("SELECT ?, ?", [1], mysqlLike)).toThrow("The placeholder ? number 2 has no value");
  });

  it("finds MySQL's placeholders as mysql2 does: backslash escapes, # comments, ?? identifiers", () => {
    const mysqlLike: Dialect = {
      ...question,
      quoteIdentifier: (name) => `\`${name.replaceAll("`", "``")}\``,
      parameterBinding: { extraValuesIgnored: true, mysqlSyntax: true, backslashEscapes: true },
    };
    expect(inlineParameters("SELECT 'it\\'s ?', \"a\\\"?\", ?", [1], mysqlLike)).toBe(
      "SELECT 'it\\'s ?', \"a\\\"?\", 1",
    );
    expect(inlineParameters("SELECT ? # is it ?\nFROM t -- ?", [1], mysqlLike)).toBe("SELECT 1 # is it ?\nFROM t -- ?");
    expect(inlineParameters("SELECT ?? FROM ?? WHERE a = ?", [["a", "b"], "s.t", "x"], mysqlLike)).toBe(
      "SELECT `a`, `b` FROM `s`.`t` WHERE a = 'x'",
    );
    expect(inlineParameters("SELECT a ??? b, ?", [1], mysqlLike)).toBe("SELECT a ??? b, 1");
    // In NO_BACKSLASH_ESCAPES a backslash is data: 'a\' ends the string.
    const noBackslashes = {
      ...mysqlLike,
      parameterBinding: { ...mysqlLike.parameterBinding, backslashEscapes: false },
    };
    expect(inlineParameters("SELECT 'a\\', ?", [1], noBackslashes)).toBe("SELECT 'a\\', 1");
  });

  it("refuses the placeholders SQLite binds only by name, and lets a script of several statements keep `?` as NULL", () => {
    const sqliteLike = { ...question, parameterBinding: { namedPlaceholders: true, scriptBindsNull: true } };
    for (const [sql, token] of [
      ["SELECT :a", ":a"],
      ["SELECT @a", "@a"],
      ["SELECT $a", "$a"],
      ["SELECT ?1", "?1"],
    ] as const) {
      expect(() => inlineParameters(sql, [1], sqliteLike)).toThrow(
        `The placeholder ${token} cannot be bound: testdb binds a list of values to ? placeholders only (1 value given)`,
      );
      expect(() => inlineParameters(sql, [], sqliteLike)).toThrow(`The placeholder ${token} cannot be bound`);
    }
    expect(inlineParameters("SELECT x$y, ':a', ? FROM t", [1], sqliteLike)).toBe("SELECT x$y, ':a', 1 FROM t");
    const script = "INSERT INTO t VALUES (?); INSERT INTO t VALUES (:a) -- ;";
    expect(inlineParameters(script, [], sqliteLike)).toBe(script);
    expect(() => inlineParameters("INSERT INTO t VALUES (?); -- more", [], sqliteLike)).toThrow(
      "The placeholder ? number 1 has no value",
    );
  });

  it("takes `$` not followed by a number or a tag as text", () => {
    expect(inlineParameters("SELECT 'a' || $1 || '$', price$ FROM t", ["b"], numbered)).toBe(
      "SELECT 'a' || 'b' || '$', price$ FROM t",
    );
  });
});

describe("parameterMismatch", () => {
  const mysqlLike: Dialect = { ...question, parameterBinding: { mysqlSyntax: true, backslashEscapes: true } };

  it("says what inlineParameters refuses, without writing any value", () => {
    const throwing: Dialect = {
      ...mysqlLike,
      renderLiteral: () => {
        throw new Error("not called");
      },
    };
    expect(parameterMismatch("SELECT ?", ["x"], throwing)).toBeUndefined();
    expect(parameterMismatch("SELECT ?", [1, 2], throwing)).toBe(
      "2 values given but the statement has 1 ? placeholder: value 2 is not used",
    );
    expect(parameterMismatch("SELECT ?, ??", [1], throwing)).toBe(
      "The placeholder ? number 2 has no value (1 value given)",
    );
    expect(parameterMismatch("SELECT ??, ?", ["a", 1], throwing)).toBeUndefined();
    expect(parameterMismatch("SELECT $2", [1, 2], numbered)).toBe(
      "2 values given but the statement has no placeholder $1: value 1 is not used",
    );
  });

  it("reads strings as the given binding says (a session's own backslash mode)", () => {
    // With backslash escapes, the quote after the backslash does not end the string: no placeholder.
    expect(parameterMismatch("SELECT 'a\\', ?", [1], mysqlLike)).toBe(
      "1 value given but the statement has 0 ? placeholders: value 1 is not used",
    );
    expect(parameterMismatch("SELECT 'a\\', ?", [1], mysqlLike, { mysqlSyntax: true })).toBeUndefined();
  });
});
