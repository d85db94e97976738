import { sql } from "@retort/core";
import { describe, expect, it } from "vitest";
import { PostgresDialect, postgresCapabilities } from "./postgres-dialect.js";
import { PostgresIdentifierError } from "./postgres-errors.js";
import { SERVER_URL, withClient } from "./test-support/test-database.js";

const dialect = new PostgresDialect();

describe("PostgresDialect", () => {
  it("has PostgreSQL's name and capabilities", () => {
    expect(dialect.name).toBe("postgresql");
    expect(dialect.capabilities).toBe(postgresCapabilities);
    expect(postgresCapabilities).toEqual({
      transactionalDdl: true,
      lockHeldByTransaction: false,
      alterInPlace: true,
      nativeEnum: true,
      enumTypes: true,
      schemas: true,
      ifNotExists: true,
      comments: true,
      indexMethods: true,
    });
  });

  it("always quotes identifiers, doubling embedded quotes", () => {
    expect(dialect.quoteIdentifier("users")).toBe('"users"');
    expect(dialect.quoteIdentifier("User Name")).toBe('"User Name"');
    expect(dialect.quoteIdentifier('my "table"')).toBe('"my ""table"""');
    expect(dialect.quoteIdentifier("select")).toBe('"select"');
  });

  it("refuses identifiers PostgreSQL would truncate or cannot hold", () => {
    expect(dialect.quoteIdentifier("x".repeat(63))).toBe(`"${"x".repeat(63)}"`);
    expect(() => dialect.quoteIdentifier("x".repeat(64))).toThrow(PostgresIdentifierError);
    // 32 two-byte characters are 64 bytes.
    expect(() => dialect.quoteIdentifier("é".repeat(32))).toThrow(/64 bytes long; PostgreSQL keeps at most 63/);
    expect(() => dialect.quoteIdentifier("a\u0000b")).toThrow(/NUL/);
    expect(() => dialect.quoteIdentifier("")).toThrow(/empty/);
  });

  it("numbers placeholders from $1", () => {
    expect(dialect.placeholder(1)).toBe("$1");
    expect(dialect.placeholder(12)).toBe("$12");
    expect(() => dialect.placeholder(0)).toThrow(RangeError);
  });

  it.each<[unknown, string]>([
    [null, "NULL"],
    [undefined, "NULL"],
    ["plain", "'plain'"],
    ["it's", "'it''s'"],
    ["back\\slash", "E'back\\\\slash'"],
    ["it's a \\", "E'it''s a \\\\'"],
    [42, "42"],
    [-1.5, "-1.5"],
    [Number.NaN, "'NaN'"],
    [Number.POSITIVE_INFINITY, "'Infinity'"],
    [Number.NEGATIVE_INFINITY, "'-Infinity'"],
    [12345678901234567890n, "12345678901234567890"],
    [true, "TRUE"],
    [false, "FALSE"],
    [new Date("2024-01-02T03:04:05.678Z"), "'2024-01-02T03:04:05.678Z'"],
    [Buffer.from([0xde, 0xad, 0xbe, 0xef]), "E'\\\\xdeadbeef'::bytea"],
    [new Uint8Array([1, 2]), "E'\\\\x0102'::bytea"],
    [sql`now()`, "now()"],
    [[1, "a"], "ARRAY[1, 'a']"],
    [[], "'{}'"],
    [{ a: "it's" }, `'{"a":"it''s"}'`],
  ])("renders %o as %s", (value, expected) => {
    expect(dialect.renderLiteral(value)).toBe(expected);
  });

  it("refuses values it cannot render", () => {
    expect(() => dialect.renderLiteral(new Map())).toThrow(/Cannot render a Map/);
    expect(() => dialect.renderLiteral(new Date(Number.NaN))).toThrow(/invalid Date/);
    expect(() => dialect.renderLiteral("a\u0000b")).toThrow(/NUL/);
  });

  it("renders literals the server reads back as the same values", async () => {
    const values = ["it's", "back\\slash \\n 'q'", "ünïcødé ✓", ""];
    await withClient(SERVER_URL, async (client) => {
      for (const value of values) {
        const { rows } = await client.query(`SELECT ${dialect.renderLiteral(value)}::text AS v`);
        expect(rows[0].v).toBe(value);
      }
      const { rows } = await client.query(
        `SELECT ${dialect.renderLiteral(Buffer.from([0, 255, 39, 92]))} AS b, ${dialect.renderLiteral(true)} AS t,
                ${dialect.renderLiteral(new Date("2024-01-02T03:04:05.678Z"))}::timestamptz AS d,
                ${dialect.renderLiteral(Number.NaN)}::float8 AS n, ${dialect.renderLiteral([1, 2])} AS a,
                ${dialect.renderLiteral({ k: "it's" })}::jsonb AS j`,
      );
      expect(rows[0]).toEqual({
        b: Buffer.from([0, 255, 39, 92]),
        t: true,
        d: new Date("2024-01-02T03:04:05.678Z"),
        n: Number.NaN,
        a: [1, 2],
        j: { k: "it's" },
      });
    });
  });

  it("reads the same with standard_conforming_strings off", async () => {
    await withClient(SERVER_URL, async (client) => {
      await client.query("SET standard_conforming_strings = off");
      const value = "back\\slash 'q'";
      const { rows } = await client.query(`SELECT ${dialect.renderLiteral(value)}::text AS v`);
      expect(rows[0].v).toBe(value);
    });
  });
});
