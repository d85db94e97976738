import { describe, expect, it } from "vitest";
import { conditionText } from "./condition-text.js";

/**
 * Declared conditions and what PostgreSQL 15 gives back for them
 * (`CREATE INDEX ... WHERE <declared>`, then
 * `pg_get_expr(indpred, indrelid, true)` on columns `a int, d text,
 * c varchar(10), n numeric, b boolean`).
 */
const REWRITTEN: [string, string][] = [
  ["d != 'x'", "d <> 'x'::text"],
  ["a BETWEEN 1 AND 5", "a >= 1 AND a <= 5"],
  ["a NOT BETWEEN 1 AND 5", "a < 1 OR a > 5"],
  ["a BETWEEN SYMMETRIC 1 AND 5", "a >= 1 AND a <= 5 OR a >= 5 AND a <= 1"],
  ["a NOT BETWEEN SYMMETRIC 1 AND 5", "(a < 1 OR a > 5) AND (a < 5 OR a > 1)"],
  ["NOT (a BETWEEN 1 AND 5)", "NOT (a >= 1 AND a <= 5)"],
  ["a + 1 BETWEEN 2 AND 3 + a OR d IS NULL", "(a + 1) >= 2 AND (a + 1) <= (3 + a) OR d IS NULL"],
  ["abs(a) BETWEEN -1 AND 5 AND d != 'q'", "abs(a) >= '-1'::integer AND abs(a) <= 5 AND d <> 'q'::text"],
  ["a BETWEEN -5 AND -1", "a >= '-5'::integer AND a <= '-1'::integer"],
  ["n BETWEEN 1.5 AND 2", "n >= 1.5 AND n <= 2::numeric"],
  ["a BETWEEN 1 AND 5 AND d IS NOT NULL", "a >= 1 AND a <= 5 AND d IS NOT NULL"],
  ["d NOT IN ('a', 'b')", "d <> ALL (ARRAY['a'::text, 'b'::text])"],
  ["d IN ('a', 'b')", "d = ANY (ARRAY['a'::text, 'b'::text])"],
  ["d IN ('a')", "d = 'a'::text"],
  ["d NOT IN ('a')", "d <> 'a'::text"],
  ["c IN ('a', 'b')", "c::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])"],
  ["c NOT IN ('a', 'b')", "c::text <> ALL (ARRAY['a'::character varying, 'b'::character varying]::text[])"],
  ["a IN (1, 2, 3)", "a = ANY (ARRAY[1, 2, 3])"],
  ["a IN (1, 2.5)", "a::numeric = ANY (ARRAY[1::numeric, 2.5])"],
  ["n NOT IN (1.5, 2.5)", "n <> ALL (ARRAY[1.5, 2.5])"],
  ["coalesce(d, 'z') NOT IN ('a', 'b')", "COALESCE(d, 'z'::text) <> ALL (ARRAY['a'::text, 'b'::text])"],
  ["d NOT IN ('a', 'b') AND a IN (1, 2)", "(d <> ALL (ARRAY['a'::text, 'b'::text])) AND (a = ANY (ARRAY[1, 2]))"],
  ["d IN ('a', 'b') OR a BETWEEN 1 AND 2", "(d = ANY (ARRAY['a'::text, 'b'::text])) OR a >= 1 AND a <= 2"],
  ["d LIKE 'x%'", "d ~~ 'x%'::text"],
  ["d NOT LIKE 'x%'", "d !~~ 'x%'::text"],
  ["d ILIKE 'x%'", "d ~~* 'x%'::text"],
  ["d NOT ILIKE 'x%' AND c NOT LIKE 'y%'", "d !~~* 'x%'::text AND c::text !~~ 'y%'::text"],
  ["c LIKE 'x%'", "c::text ~~ 'x%'::text"],
  ["lower(d) LIKE 'x%'", "lower(d) ~~ 'x%'::text"],
  ["d LIKE 'a!%' ESCAPE '!'", "d ~~ like_escape('a!%'::text, '!'::text)"],
  ["a IS NOT DISTINCT FROM 3", "NOT a IS DISTINCT FROM 3"],
  ["a > -1 AND a < 10", "a > '-1'::integer AND a < 10"],
  ["a != ALL (ARRAY[1,2])", "a <> ALL (ARRAY[1, 2])"],
  ["NOT b", "NOT b"],
  ["\"d\"!='x'", "d <> 'x'::text"],
  ["d SIMILAR TO 'ab%'", "d ~ similar_to_escape('ab%'::text)"],
  ["d NOT SIMILAR TO 'ab%'", "d !~ similar_to_escape('ab%'::text)"],
  ["d SIMILAR TO 'a!%' ESCAPE '!'", "d ~ similar_to_escape('a!%'::text, '!'::text)"],
  ["(a, n) IN ((1, 2), (3, 4))", "a = 1 AND n = 2::numeric OR a = 3 AND n = 4::numeric"],
  ["(a, n) IN ((1, 2))", "a = 1 AND n = 2::numeric"],
  ["(a, n) NOT IN ((1, 2), (3, 4))", "(a <> 1 OR n <> 2::numeric) AND (a <> 3 OR n <> 4::numeric)"],
  ["(a, n) = (1, 2)", "a = 1 AND n = 2::numeric"],
  ["(a, n) <> (1, 2)", "a <> 1 OR n <> 2::numeric"],
  ["(a, n) IN ((1, 2), (3, 4)) AND b", "(a = 1 AND n = 2::numeric OR a = 3 AND n = 4::numeric) AND b"],
  ["a = 1 AND (n = 2 OR n = 3)", "a = 1 AND (n = 2::numeric OR n = 3::numeric)"],
  ["(a = 1 AND n = 2) OR n = 3", "a = 1 AND n = 2::numeric OR n = 3::numeric"],
  ["a = 1 AND n = 2 OR n = 3", "a = 1 AND n = 2::numeric OR n = 3::numeric"],
  ["a = 1 AND (n = 2 AND b)", "a = 1 AND n = 2::numeric AND b"],
  ["NOT (a = 1 OR b)", "NOT (a = 1 OR b)"],
  ["NOT a = 1 AND b", "NOT a = 1 AND b"],
];

/**
 * Conditions with parentheses inside a comparison, and what PostgreSQL 15
 * gives back for them, pretty-printed (`pg_get_expr(indpred, indrelid,
 * true)`, as Retort reads them) and not (a pair around every operator), on
 * columns `a int, b int, d text, n numeric`.
 */
const GROUPED: [string, string, string][] = [
  ["(a + b) > 0", "(a + b) > 0", "((a + b) > 0)"],
  ["(price * 2) > 10", "(price * 2) > 10", "((price * 2) > 10)"],
  ["a + b * 2 > 0", "(a + b * 2) > 0", "((a + (b * 2)) > 0)"],
  ["(a + b) * 2 > 0", "((a + b) * 2) > 0", "(((a + b) * 2) > 0)"],
  ["a - (b - 1) > 0", "(a - (b - 1)) > 0", "((a - (b - 1)) > 0)"],
  ["(a - b) - 1 > 0", "(a - b - 1) > 0", "(((a - b) - 1) > 0)"],
  ["d || 'x' LIKE 'a' || d", "(d || 'x'::text) ~~ ('a'::text || d)", "((d || 'x'::text) ~~ ('a'::text || d))"],
  ["-a > 0 AND abs(a - 1) < 5", "(- a) > 0 AND abs(a - 1) < 5", "(((- a) > 0) AND (abs((a - 1)) < 5))"],
  ["(a + b) IS NOT NULL", "(a + b) IS NOT NULL", "((a + b) IS NOT NULL)"],
  ["a>-1", "a > '-1'::integer", "(a > '-1'::integer)"],
  [
    "a * (b + 1) BETWEEN 1 AND (b + 2) * 3",
    "(a * (b + 1)) >= 1 AND (a * (b + 1)) <= ((b + 2) * 3)",
    "(((a * (b + 1)) >= 1) AND ((a * (b + 1)) <= ((b + 2) * 3)))",
  ],
  [
    "- (a + b) < 2 ^ (b + 1)",
    "(- (a + b))::double precision < (2::double precision ^ (b + 1)::double precision)",
    "(((- (a + b)))::double precision < ((2)::double precision ^ ((b + 1))::double precision))",
  ],
  ["n > (a + 1) / 2.0", "n > ((a + 1)::numeric / 2.0)", "(n > (((a + 1))::numeric / 2.0))"],
  [
    "a % 2 = 0 AND (d COLLATE \"C\") > 'a'",
    "(a % 2) = 0 AND (d COLLATE \"C\") > 'a'::text",
    "(((a % 2) = 0) AND ((d COLLATE \"C\") > 'a'::text))",
  ],
];

describe("conditionText", () => {
  it.each(REWRITTEN)("%s is what PostgreSQL gives back: %s", (declared, stored) => {
    expect(conditionText(declared)).toBe(conditionText(stored));
  });

  it.each(GROUPED)("%s is what PostgreSQL gives back: %s (%s)", (declared, pretty, plain) => {
    expect(conditionText(pretty)).toBe(conditionText(declared));
    expect(conditionText(plain)).toBe(conditionText(declared));
  });

  it.each([
    ["(a + 1) * 2 > 0", "(a + 1 * 2) > 0"],
    ["a + 1 * 2 > 0", "((a + 1) * 2) > 0"],
    ["(price * 2) > 10", "(price * (2 > 10))"],
    ["a - (b - 1) > 0", "(a - b - 1) > 0"],
    ["(a - b) - 1 > 0", "(a - (b - 1)) > 0"],
    ["2 ^ (b + 1) > a", "(2 ^ b + 1) > a"],
    ["abs(a - 1) * 2 < 5", "abs(a - (1 * 2)) < 5"],
    ["d || 'x' LIKE 'a' || d", "((d || 'x'::text) ~~ 'a'::text) || d"],
    ["-(a + b) > 0", "(- a + b) > 0"],
    ["(a > 0) = b", "a > (0 = b)"],
  ])("%s is another condition than %s", (declared, stored) => {
    expect(conditionText(declared)).not.toBe(conditionText(stored));
  });

  it.each([
    ["d != 'x'", "d <> 'y'::text"],
    ["d LIKE 'x%'", "d !~~ 'x%'::text"],
    ["d LIKE 'x%'", "d ~~* 'x%'::text"],
    ["d IN ('a', 'b')", "d <> ALL (ARRAY['a'::text, 'b'::text])"],
    ["d IN ('a', 'b')", "d = ANY (ARRAY['a'::text, 'c'::text])"],
    ["d NOT IN ('a')", "d = 'a'::text"],
    ["a BETWEEN 1 AND 5", "a >= 1 AND a <= 6"],
    ["a BETWEEN 1 AND 5", "a < 1 OR a > 5"],
    ["a BETWEEN 1 AND 5 AND d IS NULL", "a >= 1 AND a <= 5 OR d IS NULL"],
    ["a NOT BETWEEN 1 AND 5", "a >= 1 AND a <= 5"],
    ["a IS NOT DISTINCT FROM 3", "a IS DISTINCT FROM 3"],
    ["d = '(x)'", "d = 'x'::text"],
    ["d SIMILAR TO 'ab%'", "d !~ similar_to_escape('ab%'::text)"],
    ["d SIMILAR TO 'ab%'", "d ~~ 'ab%'::text"],
    ["(a, n) IN ((1, 2), (3, 4))", "a = 1 AND n = 2::numeric OR a = 3 AND n = 5::numeric"],
    ["(a, n) IN ((1, 2))", "a <> 1 OR n <> 2::numeric"],
    ["(a, n) = (1, 2)", "a = 1 OR n = 2::numeric"],
    ["a = 1 AND (n = 2 OR n = 3)", "a = 1 AND n = 2::numeric OR n = 3::numeric"],
    ["NOT (a = 1 OR b)", "NOT a = 1 OR b"],
    ["NOT (a = 1 AND b)", "NOT a = 1 AND b"],
  ])("%s is another condition than %s", (declared, stored) => {
    expect(conditionText(declared)).not.toBe(conditionText(stored));
  });

  it("leaves strings as they are and ignores case, spacing, quotes and parentheses that group nothing", () => {
    expect(conditionText("D  !=  'It''s IN (x)'")).toBe("d <> 'It''s IN (x)'");
    expect(conditionText("(a>=1)AND(a<=5)")).toBe("a >= 1 and a <= 5");
    // PostgreSQL's text without pretty-printing: a pair around every part.
    expect(conditionText("((a = 1) AND ((b = 2) OR (c = 3)))")).toBe("a = 1 and ( b = 2 or c = 3 )");
    expect(conditionText("(((a = 1) AND (n = (2)::numeric)) OR (n = (3)::numeric))")).toBe(
      conditionText("a = 1 AND n = 2::numeric OR n = 3::numeric"),
    );
    expect(conditionText("lower(d) = f(a, (b))")).toBe("lower ( d ) = f ( a , b )");
    // A call's arguments are not a row, even when the call is compared with one.
    expect(conditionText('"My F"(a, b) = (1, 2)')).toBe('"my f" ( a , b ) = ( 1 , 2 )');
    // Inside a comparison, only the parentheses that group against precedence.
    expect(conditionText("((price * 2) > 10)")).toBe("price * 2 > 10");
    expect(conditionText("(((a + b) * 2) > 0)")).toBe("( a + b ) * 2 > 0");
    expect(conditionText("\"code\" = 'x'")).toBe("code = 'x'");
  });

  it("leaves what it cannot read as written", () => {
    expect(conditionText("a BETWEEN 1")).toBe("a between 1");
    expect(conditionText("a IN (SELECT 1)")).toBe("a in select 1");
    expect(conditionText("BETWEEN 1 AND 2")).toBe("between 1 and 2");
  });
});
