import {
  type Operation,
  binary,
  boolean,
  column,
  date,
  dateTime,
  enumType,
  integer,
  json,
  jsonb,
  table,
  text,
  time,
  uuid,
} from "@retort/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnection } from "./postgres-connection.js";
import { POSTGRES_MAX_PARAMETERS, PostgresDdlCompiler } from "./postgres-ddl-compiler.js";
import { PostgresDialect } from "./postgres-dialect.js";
import { PostgresDriver } from "./postgres-driver.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";

const dialect = new PostgresDialect();

describe("compileBulkInsert", () => {
  it("writes one multi-row INSERT with numbered parameters", () => {
    expect(
      dialect.compile({
        kind: "bulkInsert",
        table: "t",
        rows: [
          { a: 1, b: "x" },
          { b: "y", a: 2 },
        ],
      }),
    ).toEqual([{ sql: 'INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)', parameters: [1, "x", 2, "y"] }]);
  });

  it("splits runs of rows with different keys, keeping order, and uses DEFAULT VALUES for empty rows", () => {
    expect(
      dialect.compile({
        kind: "bulkInsert",
        table: "t",
        schema: "app",
        rows: [{ a: 1 }, { a: 2, b: 3 }, {}, { a: 4 }],
      }),
    ).toEqual([
      { sql: 'INSERT INTO "app"."t" ("a") VALUES ($1)', parameters: [1] },
      { sql: 'INSERT INTO "app"."t" ("a", "b") VALUES ($1, $2)', parameters: [2, 3] },
      { sql: 'INSERT INTO "app"."t" DEFAULT VALUES', parameters: [] },
      { sql: 'INSERT INTO "app"."t" ("a") VALUES ($1)', parameters: [4] },
    ]);
  });

  it("chunks statements under the parameter limit", () => {
    const rows = Array.from({ length: 7 }, (_, index) => ({ a: index, b: index * 10 }));
    const statements = new PostgresDdlCompiler(dialect, { maxParameters: 5 }).compile({
      kind: "bulkInsert",
      table: "t",
      rows,
    });
    expect(statements.map((statement) => statement.sql)).toEqual([
      'INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)',
      'INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)',
      'INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)',
      'INSERT INTO "t" ("a", "b") VALUES ($1, $2)',
    ]);
    expect(statements.flatMap((statement) => statement.parameters)).toEqual(rows.flatMap((row) => [row.a, row.b]));
    expect(POSTGRES_MAX_PARAMETERS).toBe(65535);
  });

  it("converts values by the declared table's column types", () => {
    const declared = table(
      "events",
      column("payload", jsonb()),
      column("list", json()),
      column("day", date()),
      column("at", time({ timezone: true })),
      column("flag", boolean()),
      { schema: "app" },
    );
    const [statement] = dialect.compile({
      kind: "bulkInsert",
      table: declared,
      rows: [
        {
          payload: "text",
          list: [1, 2],
          day: new Date("2024-03-04T05:06:07.089Z"),
          at: new Date("2024-03-04T05:06:07.089Z"),
          flag: 1,
        },
      ],
    });
    expect(statement).toEqual({
      sql: 'INSERT INTO "app"."events" ("payload", "list", "day", "at", "flag") VALUES ($1, $2, $3, $4, $5)',
      parameters: ['"text"', "[1,2]", "2024-03-04", "05:06:07.089+00", true],
    });
  });

  it("refuses unknown columns of a declared table and rows that are not objects", () => {
    const declared = table("t", column("a", integer()));
    expect(() => dialect.compile({ kind: "bulkInsert", table: declared, rows: [{ a: 1, b: 2 }] })).toThrow(
      /row 0 has a value for "b", which is not a column of the declared table/,
    );
    expect(() =>
      dialect.compile({ kind: "bulkInsert", table: "t", rows: [[1]] as unknown as Record<string, unknown>[] }),
    ).toThrow(/row 0 is not an object/);
  });
});

describe("bulkInsert on a real server", () => {
  const driver = new PostgresDriver();
  let database: TestDatabase;
  let connection: PostgresConnection;

  beforeAll(async () => {
    database = await createTestDatabase("retort_pg_bulk");
    connection = await driver.connect(database.url);
  });

  afterAll(async () => {
    await connection?.close();
    await database?.drop();
  });

  async function run(operation: Operation): Promise<void> {
    for (const statement of driver.dialect.compile(operation)) {
      await connection.execute(statement.sql, statement.parameters);
    }
  }

  it("inserts typed values that read back as written", async () => {
    const events = table(
      "events",
      column("id", integer(), { primaryKey: true }),
      column("payload", jsonb()),
      column("list", json()),
      column("day", date()),
      column("at", time()),
      column("stamp", dateTime()),
      column("stamp_tz", dateTime({ timezone: true })),
      column("flag", boolean()),
      column("ref", uuid()),
      column("blob", binary()),
      column("mood", enumType("event_mood", ["calm", "busy"])),
      column("note", text()),
    );
    await run({ kind: "createTable", table: events });
    const instant = new Date("2024-03-04T05:06:07.089Z");
    await run({
      kind: "bulkInsert",
      table: events,
      rows: [
        {
          id: 1,
          payload: { nested: ["it's", 1] },
          list: [1, "two"],
          day: instant,
          at: instant,
          stamp: instant,
          stamp_tz: instant,
          flag: true,
          ref: "5f3c1a52-6b1d-4c47-9a53-0d8a2f7b1e11",
          blob: new Uint8Array([0, 1, 255]),
          mood: "busy",
          note: "back\\slash",
        },
        { id: 2 },
      ],
    });
    const { rows } = await connection.query(
      "SELECT id, payload, list, day::text, at::text, stamp::text, stamp_tz, flag, ref, blob, mood, note FROM events ORDER BY id",
    );
    expect(rows).toEqual([
      {
        id: 1,
        payload: { nested: ["it's", 1] },
        list: [1, "two"],
        day: "2024-03-04",
        at: "05:06:07.089",
        stamp: "2024-03-04 05:06:07.089",
        stamp_tz: instant,
        flag: true,
        ref: "5f3c1a52-6b1d-4c47-9a53-0d8a2f7b1e11",
        blob: Buffer.from([0, 1, 255]),
        mood: "busy",
        note: "back\\slash",
      },
      {
        id: 2,
        payload: null,
        list: null,
        day: null,
        at: null,
        stamp: null,
        stamp_tz: null,
        flag: null,
        ref: null,
        blob: null,
        mood: null,
        note: null,
      },
    ]);
  });

  it("inserts more rows than one statement can bind", async () => {
    await run({
      kind: "createTable",
      table: table("many", column("a", integer()), column("b", integer()), column("c", text())),
    });
    const rows = Array.from({ length: 30_000 }, (_, index) => ({ a: index, b: index * 2, c: `row ${index}` }));
    const operation: Operation = { kind: "bulkInsert", table: "many", rows };
    expect(driver.dialect.compile(operation)).toHaveLength(2);
    await run(operation);
    const { rows: counted } = await connection.query<{ count: string; sum: string }>(
      "SELECT count(*) AS count, sum(b) AS sum FROM many",
    );
    expect(counted[0]).toEqual({ count: "30000", sum: String(rows.reduce((total, row) => total + row.b, 0)) });
  });
});
