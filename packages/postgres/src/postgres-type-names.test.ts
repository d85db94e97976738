import { customType, dateTime, type TypeKey, type TypeSide, time } from "@retort/core";
import { describe, expect, it } from "vitest";
import { typeKeyFromText, typesDiffer } from "../../core/src/autogenerate/type-comparison.js";
import { comparablePostgresType, postgresColumnType } from "./postgres-type-names.js";
import { renderPostgresType } from "./postgres-types.js";

/** The key of SQL type text on one side, as autogenerate parses it. */
const key = (text: string, side: TypeSide): TypeKey =>
  typeKeyFromText(text, (found) => comparablePostgresType(found, side));

/** Whether a declared type (SQL text) differs from a column `format_type` reports. */
const differs = (declared: string, reported: string) =>
  typesDiffer(key(declared, "declared"), key(reported, "reflected"));

describe("comparablePostgresType: fractional-seconds precision", () => {
  it("gives a reported time type without a precision PostgreSQL's default, 6", () => {
    expect(key("timestamp without time zone", "reflected")).toEqual({ name: "timestamp", args: ["6"] });
    expect(key("timestamp with time zone", "reflected")).toEqual({ name: "timestamptz", args: ["6"] });
    expect(key("time without time zone", "reflected")).toEqual({ name: "time", args: ["6"] });
    expect(key("time with time zone", "reflected")).toEqual({ name: "timetz", args: ["6"] });
    expect(key("interval", "reflected")).toEqual({ name: "interval", args: ["6"] });
    expect(key("interval day to second", "reflected")).toEqual({ name: "interval day to second", args: ["6"] });
    // No seconds, no precision.
    expect(key("interval year to month", "reflected")).toEqual({ name: "interval year to month", args: [] });
    // A declared type without a precision states none.
    expect(key("TIMESTAMP", "declared")).toEqual({ name: "timestamp", args: [] });
  });

  it("keeps a precision of 6 as given (it was read as no precision)", () => {
    expect(key("timestamp(6) without time zone", "reflected")).toEqual({ name: "timestamp", args: ["6"] });
    expect(key("TIMESTAMP(6)", "declared")).toEqual({ name: "timestamp", args: ["6"] });
  });

  it.each([
    ["TIMESTAMP(3)", "timestamp(6) without time zone", true],
    ["TIMESTAMP(3)", "timestamp without time zone", true],
    ["TIMESTAMP(3)", "timestamp(3) without time zone", false],
    ["TIMESTAMP(6)", "timestamp without time zone", false],
    ["TIMESTAMP", "timestamp(6) without time zone", false],
    ["TIMESTAMP", "timestamp without time zone", false],
    ["TIMESTAMP(0) WITH TIME ZONE", "timestamp with time zone", true],
    ["TIMESTAMPTZ(3)", "timestamp(6) with time zone", true],
    ["TIMESTAMPTZ(3)", "timestamp(3) with time zone", false],
    ["TIME(3)", "time(6) without time zone", true],
    ["TIME(3)", "time without time zone", true],
    ["TIMETZ(2)", "time(2) with time zone", false],
    ["INTERVAL(3)", "interval(6)", true],
    ["INTERVAL(3)", "interval", true],
    ["INTERVAL(6)", "interval", false],
    ["INTERVAL", "interval(3)", false],
    ["INTERVAL DAY TO SECOND(3)", "interval day to second", true],
    ["INTERVAL DAY TO SECOND(3)", "interval day to second(3)", false],
    ["INTERVAL YEAR TO MONTH", "interval year to month", false],
    ["TIMESTAMP(3)[]", "timestamp(6) without time zone[]", true],
    ["TIMESTAMP(3)[]", "timestamp(3) without time zone[]", false],
  ])("declared %s over %s differs: %s", (declared, reported, expected) => {
    expect(differs(declared, reported)).toBe(expected);
  });

  it("compares clean what Retort creates for the vocabulary's time types", () => {
    for (const type of [dateTime(), dateTime({ timezone: true }), time(), time({ timezone: true })]) {
      const created = renderPostgresType(type);
      // What PostgreSQL's format_type reports for the column the compiler's text creates.
      const reported = created.toLowerCase().replace(/^(timestamp|time)$/, "$1 without time zone");
      expect(differs(created, reported)).toBe(false);
    }
    for (const declared of ["TIMESTAMP(3)", "TIME(0) WITH TIME ZONE", "INTERVAL(2)"]) {
      const reported = declared.toLowerCase().replace(/^(timestamp|time)\((\d)\)$/, "$1($2) without time zone");
      expect(differs(declared, reported)).toBe(false);
    }
    expect(postgresColumnType("timestamp(3) without time zone")).toEqual(customType("timestamp(3) without time zone"));
  });
});
