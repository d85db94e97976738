import { describe, expect, it } from "vitest";
import { UnknownOptionError } from "../errors/unknown-option-error.js";
import { checkOptions, closestName, editDistance, optionNames } from "./check-options.js";
import { sql } from "./sql-expression.js";

const COLORS = optionNames<{ red?: number; green?: number; blueGreen?: number }>({
  red: true,
  green: true,
  blueGreen: true,
});

function thrown(fn: () => void): UnknownOptionError {
  try {
    fn();
  } catch (error) {
    if (UnknownOptionError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected an UnknownOptionError");
}

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["nullabel", "nullable", 1],
    ["uniqe", "unique", 1],
    ["kitten", "sitting", 3],
    ["ca", "abc", 3],
    ["schema", "schema", 0],
  ])("%j to %j is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe("closestName", () => {
  const names = ["nullable", "primaryKey", "serverDefault", "unique", "index", "ifExists", "concurrently"];

  it.each([
    ["nullabel", "nullable"],
    ["nulable", "nullable"],
    ["primarykey", "primaryKey"],
    ["server_default", "serverDefault"],
    ["uniqe", "unique"],
    ["if_exist", "ifExists"],
    ["postgresql_concurrently", "concurrently"],
    ["uniq", "unique"],
    ["primary", "primaryKey"],
    ["server", "serverDefault"],
  ])("suggests %j for %j", (typo, expected) => {
    expect(closestName(typo, names)).toBe(expected);
  });

  it.each(["colour", "x", "onDelete", "postgresql_foo", "in"])("suggests nothing for %j", (name) => {
    expect(closestName(name, names)).toBeUndefined();
  });

  it("suggests the option a name is without its Name ending (Alembic's table_name)", () => {
    const dropIndex = ["table", "schema", "ifExists"];
    expect(closestName("tableName", dropIndex)).toBe("table");
    expect(closestName("table_name", dropIndex)).toBe("table");
    expect(closestName("schemaName", dropIndex)).toBe("schema");
    expect(closestName("name", dropIndex)).toBeUndefined();
    expect(closestName("colorName", dropIndex)).toBeUndefined();
  });

  it("suggests nothing for the beginning of two names", () => {
    expect(closestName("tabl", ["tableArgs", "tableKwargs"])).toBeUndefined();
    expect(closestName("tabl", ["tableArgs", "reflectArgs"])).toBe("tableArgs");
  });
});

describe("checkOptions", () => {
  it("accepts known keys, including ones set to undefined", () => {
    expect(() => checkOptions({ red: 1, green: undefined }, COLORS, "paint", "wall")).not.toThrow();
    expect(() => checkOptions({}, COLORS, "paint")).not.toThrow();
    expect(() => checkOptions(undefined, COLORS, "paint")).not.toThrow();
  });

  it("names the key, the call, the closest option and every valid one", () => {
    const error = thrown(() => checkOptions({ red: 1, gren: 2 }, COLORS, "paint", "wall"));
    expect(error.message).toBe(
      `Unknown option 'gren' in paint("wall", ...): did you mean 'green'? Valid options: red, green, blueGreen`,
    );
    expect(error.code).toBe("UNKNOWN_OPTION");
    expect(error).toMatchObject({ option: "gren", call: 'paint("wall", ...)', suggestion: "green" });
    expect(error.validOptions).toEqual(["red", "green", "blueGreen"]);
  });

  it("rejects an unknown key whose value is undefined: it is still a typo", () => {
    expect(thrown(() => checkOptions({ blue_green: undefined }, COLORS, "paint")).message).toBe(
      "Unknown option 'blue_green' in paint(...): did you mean 'blueGreen'? Valid options: red, green, blueGreen",
    );
  });

  it("gives no suggestion when nothing is close", () => {
    expect(thrown(() => checkOptions({ purple: 1 }, COLORS, "paint", ["a", "b"])).message).toBe(
      `Unknown option 'purple' in paint(["a","b"], ...). Valid options: red, green, blueGreen`,
    );
  });

  it("names a nested object and shows SQL subjects as written", () => {
    expect(thrown(() => checkOptions({ gree: 1 }, COLORS, "paint", sql`now()`, "the trim")).message).toContain(
      "Unknown option 'gree' in the trim of paint(sql`now()`, ...): did you mean 'green'?",
    );
  });
});

describe("UnknownOptionError", () => {
  it("is a RetortError told apart by its code", () => {
    const error = thrown(() => checkOptions({ x: 1 }, COLORS, "paint"));
    expect(UnknownOptionError.isInstance(error)).toBe(true);
    expect(UnknownOptionError.isInstance(new Error("x"))).toBe(false);
    expect(error.name).toBe("UnknownOptionError");
  });
});
