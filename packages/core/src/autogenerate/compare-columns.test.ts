import { describe, expect, it } from "vitest";
import type { ReflectedColumn, TypeKey, TypeSide } from "../introspection/reflected-schema.js";
import { type ColumnType, customType, dateTime } from "../schema/column-type.js";
import { LiteralRenderer } from "../dialect/literal-renderer.js";
import { typeDiffers } from "./compare-columns.js";
import type { CompareDialect } from "./compare-schemas.js";
import { standardTypeText } from "./type-comparison.js";

/** A reflected column of type `reported`, as the database says it. */
function reflectedColumn(reported: string): ReflectedColumn {
  return { kind: "column", name: "c", type: customType(reported), reportedType: reported, options: {} };
}

describe("typeDiffers: the side of the comparison", () => {
  const seen: [string, TypeSide][] = [];
  /** A database whose TIMESTAMP without a precision has precision 6, as PostgreSQL's. */
  const dialect: CompareDialect = {
    renderLiteral: (value) => new LiteralRenderer("Test").render(value),
    typeText: standardTypeText,
    introspector: {
      introspect: async () => ({ tables: [], enums: [] }),
      comparableType: (key: TypeKey, side: TypeSide) => {
        seen.push([`${key.name}(${key.args.join(",")})`, side]);
        return side === "reflected" && key.name === "timestamp" && key.args.length === 0
          ? { name: key.name, args: ["6"] }
          : key;
      },
    },
  };
  const differs = (declared: ColumnType, reported: string) =>
    typeDiffers(declared, reflectedColumn(reported), { dialect });

  it("tells the introspector which key is the declared type and which the database's", () => {
    differs(customType("TIMESTAMP(3)"), "TIMESTAMP");
    expect(seen).toEqual([
      ["timestamp()", "reflected"],
      ["timestamp(3)", "declared"],
    ]);
  });

  it("compares a declared precision with the one the database implies, a declared type without one with any", () => {
    expect(differs(customType("TIMESTAMP(3)"), "TIMESTAMP")).toBe(true);
    expect(differs(customType("TIMESTAMP(6)"), "TIMESTAMP")).toBe(false);
    expect(differs(dateTime(), "TIMESTAMP")).toBe(false);
    expect(differs(dateTime(), "TIMESTAMP(3)")).toBe(false);
    // The same text on the two sides is two keys: one parse cached per side.
    expect(differs(customType("TIMESTAMP"), "TIMESTAMP(6)")).toBe(false);
    expect(differs(customType("TIMESTAMP"), "TIMESTAMP")).toBe(false);
  });
});
