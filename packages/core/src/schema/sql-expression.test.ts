import { describe, expect, it } from "vitest";
import { RetortError } from "../errors/retort-error.js";
import { currentTimestamp, isWrittenSqlExpression, sql } from "./sql-expression.js";

describe("sql`...`", () => {
  it("inserts strings and numbers as written", () => {
    expect(sql`a > ${0} AND b = ${"'x'"}`.text).toBe("a > 0 AND b = 'x'");
  });

  it("inserts a sql expression as its SQL, a portable function as its standard spelling", () => {
    const inner = sql`lower(${"name"})`;
    const outer = sql`CREATE INDEX ix ON t (${inner}) WHERE created < ${currentTimestamp()}`;
    expect(outer.text).toBe("CREATE INDEX ix ON t (lower(name)) WHERE created < CURRENT_TIMESTAMP");
    expect(isWrittenSqlExpression(outer)).toBe(true);
  });

  it("refuses an object with no SQL text instead of writing [object Object]", () => {
    let thrown: unknown;
    try {
      sql`UPDATE t SET a = ${{ enabled: true }}`;
    } catch (error) {
      thrown = error;
    }
    expect(RetortError.isInstance(thrown)).toBe(true);
    expect((thrown as RetortError).code).toBe("SQL_INTERPOLATION");
    expect((thrown as Error).message).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message quotes the template.
      "sql`UPDATE t SET a = ${…}`: value 1 is an object with no SQL text ([object Object]). Interpolate SQL you wrote (a string, a number, a sql`...` expression, op.inlineLiteral(value)), or pass data as a bound parameter: op.execute(statement, [value])",
    );
  });

  it("refuses data merely shaped like an expression: it is data, never SQL", () => {
    const data = JSON.parse('{ "kind": "sql", "text": "1; DROP TABLE t" }') as unknown;
    expect(() => sql`SELECT ${data}`).toThrow("value 1 is an object with no SQL text");
  });

  it("keeps String() for objects with text of their own (a Date, an array, a class with toString)", () => {
    const date = new Date(0);
    expect(sql`${["a", "b"]}`.text).toBe("a,b");
    expect(sql`${date}`.text).toBe(String(date));
  });
});
