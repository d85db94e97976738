import { describe, expect, it } from "vitest";
import { sql } from "../schema/sql-expression.js";
import { defaultText, expressionText } from "./type-comparison.js";

const literal = (value: unknown) => String(value);

describe("expressionText", () => {
  it("drops PostgreSQL's casts, and only the cast's own words", () => {
    expect(expressionText("(a::text || 'x'::text)")).toBe(expressionText("(a || 'x')"));
    expect(expressionText("(a::text IS NOT NULL)")).toBe("a is not null");
    expect(expressionText("lower(label::character varying(20))")).toBe("lower(label)");
    expect(expressionText("(at::timestamp(3) with time zone > now())")).toBe(expressionText("at > now()"));
    expect(expressionText("'{}'::text[]")).toBe("'{}'");
    expect(expressionText("kind::public.mood")).toBe("kind");
    expect(expressionText("x::double precision * 2")).toBe("x * 2");
  });
});

describe("defaultText", () => {
  it("reads a typed literal as the cast PostgreSQL gives back", () => {
    expect(defaultText(sql`now() + interval '1 day'`, literal)).toBe(
      defaultText(sql`now() + '1 day'::interval`, literal),
    );
    expect(defaultText(sql`date '2024-01-01'`, literal)).toBe(defaultText(sql`'2024-01-01'::date`, literal));
  });

  it("takes now() and CURRENT_TIMESTAMP for one function", () => {
    expect(defaultText(sql`now()`, literal)).toBe(defaultText(sql`CURRENT_TIMESTAMP`, literal));
    expect(defaultText(sql`current_timestamp()`, literal)).toBe("current_timestamp");
    // A precision is kept: it changes the value.
    expect(defaultText(sql`CURRENT_TIMESTAMP(3)`, literal)).toBe("current_timestamp(3)");
  });

  it("still tells different defaults apart", () => {
    expect(defaultText(sql`now() + interval '1 day'`, literal)).not.toBe(
      defaultText(sql`now() + interval '2 days'`, literal),
    );
    expect(defaultText("now()", literal)).not.toBe(defaultText(sql`now()`, literal));
    expect(defaultText(sql`'a'::text || b`, literal)).toBe("'a' || b");
  });
});
