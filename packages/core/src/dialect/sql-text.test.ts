import { describe, expect, it } from "vitest";
import { withoutOuterParentheses } from "./sql-text.js";

describe("withoutOuterParentheses", () => {
  it("removes the parentheses around the whole text, not those of its parts", () => {
    expect(withoutOuterParentheses("((a + 1))")).toBe("a + 1");
    expect(withoutOuterParentheses("(a) + (b)")).toBe("(a) + (b)");
  });

  it("does not count a parenthesis inside a string or a quoted name", () => {
    expect(withoutOuterParentheses("('(' || x)")).toBe("'(' || x");
    expect(withoutOuterParentheses('("a(" > 0)')).toBe('"a(" > 0');
    expect(withoutOuterParentheses("('it''s)' = x)")).toBe("'it''s)' = x");
    expect(withoutOuterParentheses('(")" = x) OR (y)')).toBe('(")" = x) OR (y)');
  });
});
