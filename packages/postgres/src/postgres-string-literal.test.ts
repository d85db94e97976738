/**
 * String constants read as the server reads them: every case is checked
 * against PostgreSQL's own reading (`SELECT <constant>::text`), with
 * `standard_conforming_strings` on, the server's default.
 */
import { describe, expect, it } from "vitest";
import { postgresStringLiteral, readStringConstant } from "./postgres-string-literal.js";
import { SERVER_URL, withClient } from "./test-support/test-database.js";

/** Constants and what follows them, spelled as a catalog or a user may write them. */
const CONSTANTS = [
  String.raw`'C:\temp'`,
  "'it''s'",
  String.raw`'C:\it''s'`,
  String.raw`'ends\'`,
  "''",
  String.raw`E'C:\\temp'`,
  "e'it''s'",
  String.raw`E'it\'s'`,
  String.raw`E'tab\there\nline\rcr\bbs\ffeed'`,
  String.raw`E'\101\x42\x4'`,
  String.raw`E'\303\251 \u00e9 \U0001F600 \ud83d\ude00'`,
  String.raw`E'\q\\\''`,
  "'déjà vu'",
];

/** What the server reads each constant as, with `standard_conforming_strings` set to `setting`. */
async function serverValues(constants: readonly string[], setting: "on" | "off" = "on"): Promise<string[]> {
  return withClient(SERVER_URL, async (client) => {
    await client.query(`SET standard_conforming_strings = ${setting}`);
    await client.query("SET escape_string_warning = off");
    const values: string[] = [];
    for (const constant of constants) {
      values.push((await client.query<{ value: string }>(`SELECT ${constant}::text AS value`)).rows[0]?.value ?? "");
    }
    return values;
  });
}

describe("readStringConstant", () => {
  it("reads standard and escape strings to the value the server reads", async () => {
    const expected = await serverValues(CONSTANTS);
    expect(CONSTANTS.map((constant) => readStringConstant(constant)?.value)).toEqual(expected);
  });

  it("reads a standard string with escapes where standard_conforming_strings is off", async () => {
    const plain = [
      String.raw`'C:\temp'`,
      String.raw`'C:\it''s'`,
      String.raw`'a\\b'`,
      String.raw`'\101\x42'`,
      "'it''s'",
    ];
    const expected = await serverValues(plain, "off");
    expect(expected[0]).toBe("C:\temp"); // a tab: the backslash started an escape
    expect(plain.map((constant) => readStringConstant(constant, { standardStrings: false })?.value)).toEqual(expected);
  });

  it("says where the constant ends, so a cast after it can be read", () => {
    expect(readStringConstant(String.raw`'C:\temp'::character varying`)).toEqual({ value: "C:\\temp", end: 9 });
    expect(readStringConstant(String.raw`E'a\'b'::text`)).toEqual({ value: "a'b", end: 7 });
    expect(readStringConstant("'a''b' || 'c'")).toEqual({ value: "a'b", end: 6 });
  });

  it("reads nothing from what is not a whole constant, or one the server refuses", () => {
    expect(readStringConstant("now()")).toBeUndefined();
    expect(readStringConstant("42")).toBeUndefined();
    expect(readStringConstant("'unfinished")).toBeUndefined();
    expect(readStringConstant(String.raw`E'unfinished\'`)).toBeUndefined();
    expect(readStringConstant(String.raw`E'\u12'`)).toBeUndefined();
    expect(readStringConstant(String.raw`E'\ud83d alone'`)).toBeUndefined();
    expect(readStringConstant(String.raw`E'\377'`)).toBeUndefined(); // not UTF-8
  });
});

describe("postgresStringLiteral", () => {
  const values = ["C:\\temp", "it's", "C:\\it's", "ends\\", "", "déjà\nvu", "\\\\server\\share"];

  it("writes a constant the server reads back as the value, standard_conforming_strings on or off", async () => {
    for (const setting of ["on", "off"]) {
      const read = await withClient(SERVER_URL, async (client) => {
        await client.query(`SET standard_conforming_strings = ${setting}`);
        await client.query("SET escape_string_warning = off");
        const { rows } = await client.query<{ values: string[] }>(
          `SELECT ARRAY[${values.map(postgresStringLiteral).join(", ")}]::text[] AS values`,
        );
        return rows[0]?.values;
      });
      expect(read).toEqual(values);
    }
  });

  it("round-trips through readStringConstant, in one spelling", () => {
    for (const value of values) {
      const literal = postgresStringLiteral(value);
      expect(readStringConstant(literal)).toEqual({ value, end: literal.length });
    }
    expect(postgresStringLiteral("C:\\temp")).toBe("E'C:\\\\temp'");
    expect(postgresStringLiteral("it's")).toBe("'it''s'");
  });
});
