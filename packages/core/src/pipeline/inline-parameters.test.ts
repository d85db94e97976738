import { describe, expect, it } from "vitest";
import type { Dialect } from "../driver/driver.js";
import { inlineParameters } from "./inline-parameters.js";

function dialectWith(placeholder: (index: number) => string): Dialect {
  return {
    name: "testdb",
    capabilities: {
      transactionalDdl: true,
      lockHeldByTransaction: false,
      alterInPlace: true,
      nativeEnum: false,
      enumTypes: false,
      schemas: true,
      ifNotExists: true,
      comments: false,
      indexMethods: false,
    },
    quoteIdentifier: (name) => `"${name}"`,
    renderLiteral: (value) =>
      value === null
        ? "NULL"
        : typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : `'${String(value).replaceAll("'", "''")}'`,
    placeholder,
    compile: () => [],
  };
}

const numbered = dialectWith((index) => `$${index}`);
const question = dialectWith(() => "?");

describe("inlineParameters", () => {
  it("leaves SQL without parameters as it is, placeholders and all", () => {
    expect(inlineParameters("SELECT '?', $1", [], numbered)).toBe("SELECT '?', $1");
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
        "SELECT $10, $1",
        Array.from({ length: 10 }, (_, i) => i + 1),
        numbered,
      ),
    ).toBe("SELECT 10, 1");
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
      "placeholder $3 has no parameter (2 given)",
    );
  });

  it("takes `$` not followed by a number or a tag as text", () => {
    expect(inlineParameters("SELECT 'a' || $1 || '$', price$ FROM t", ["b"], numbered)).toBe(
      "SELECT 'a' || 'b' || '$', price$ FROM t",
    );
  });
});
