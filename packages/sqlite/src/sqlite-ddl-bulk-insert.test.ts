import {
  boolean,
  column,
  currentTimestamp,
  date,
  dateTime,
  integer,
  json,
  jsonb,
  sql,
  string,
  table,
  time,
  uuid,
} from "@retort/core";
import { describe, expect, it } from "vitest";
import { SQLITE_MAX_VARIABLES, SqliteDdlCompiler } from "./sqlite-ddl-compiler.js";
import { SqliteDialect } from "./sqlite-dialect.js";

const dialect = new SqliteDialect();

describe("compileBulkInsert", () => {
  it("writes one multi-row INSERT with bound parameters", () => {
    expect(
      dialect.compile({
        kind: "bulkInsert",
        table: "users",
        rows: [
          { id: 1, name: "a" },
          { id: 2, name: "b" },
        ],
      }),
    ).toEqual([{ sql: 'INSERT INTO "users" ("id", "name") VALUES (?, ?), (?, ?)', parameters: [1, "a", 2, "b"] }]);
  });

  it("writes sql`...` and currentTimestamp() into the SQL, but binds data that only looks like an expression", () => {
    const lookalike = JSON.parse('{ "kind": "sql", "text": "1); DROP TABLE users; --" }');
    const statements = dialect.compile({
      kind: "bulkInsert",
      table: table("users", column("doc", json()), column("at", dateTime()), column("n", integer())),
      rows: [{ doc: lookalike, at: currentTimestamp(), n: sql`1 + 1` }],
    });
    expect(statements).toEqual([
      {
        sql: 'INSERT INTO "users" ("doc", "at", "n") VALUES (?, CURRENT_TIMESTAMP, 1 + 1)',
        parameters: ['{"kind":"sql","text":"1); DROP TABLE users; --"}'],
      },
    ]);
  });

  it("compiles no rows to no statements", () => {
    expect(dialect.compile({ kind: "bulkInsert", table: "users", rows: [] })).toEqual([]);
  });

  it("chunks rows to stay under SQLite's variable limit", () => {
    expect(SQLITE_MAX_VARIABLES).toBe(32766);
    const rows = Array.from({ length: 7 }, (_, id) => ({ id, name: `n${id}` }));
    const statements = new SqliteDdlCompiler(dialect, { maxParameters: 5 }).compile({
      kind: "bulkInsert",
      table: "t",
      rows,
    });
    // 5 variables fit 2 rows of 2 columns.
    expect(statements.map((statement) => statement.sql)).toEqual([
      'INSERT INTO "t" ("id", "name") VALUES (?, ?), (?, ?)',
      'INSERT INTO "t" ("id", "name") VALUES (?, ?), (?, ?)',
      'INSERT INTO "t" ("id", "name") VALUES (?, ?), (?, ?)',
      'INSERT INTO "t" ("id", "name") VALUES (?, ?)',
    ]);
    expect(statements.flatMap((statement) => statement.parameters)).toEqual(rows.flatMap((row) => [row.id, row.name]));

    const big = Array.from({ length: 20_000 }, (_, id) => ({ a: id, b: id, c: id }));
    const chunks = dialect.compile({ kind: "bulkInsert", table: "t", rows: big });
    expect(chunks.map((statement) => statement.parameters.length)).toEqual([32766, 27234]);
  });

  it("groups consecutive rows with the same keys, so left-out columns get their defaults", () => {
    const statements = dialect.compile({
      kind: "bulkInsert",
      table: "t",
      rows: [{ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5 }, {}, { a: 6, b: 7 }],
    });
    expect(statements).toEqual([
      { sql: 'INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?)', parameters: [1, 2, 4, 3] },
      { sql: 'INSERT INTO "t" ("a") VALUES (?)', parameters: [5] },
      { sql: 'INSERT INTO "t" DEFAULT VALUES', parameters: [] },
      { sql: 'INSERT INTO "t" ("a", "b") VALUES (?, ?)', parameters: [6, 7] },
    ]);
  });

  it("converts values by the declared column types", () => {
    const events = table(
      "events",
      column("id", uuid()),
      column("active", boolean()),
      column("day", date()),
      column("at", dateTime()),
      column("clock", time()),
      column("payload", json()),
      column("tags", jsonb()),
      column("label", string(10)),
    );
    const when = new Date("2024-05-06T07:08:09.010Z");
    const [statement] = dialect.compile({
      kind: "bulkInsert",
      table: events,
      rows: [
        {
          id: "0b7e7dee-87a1-4d9e-9f3b-6f1c2a1b2c3d",
          active: true,
          day: when,
          at: when,
          clock: when,
          payload: { a: [1, 2] },
          tags: "x",
          label: null,
        },
      ],
    });
    expect(statement?.parameters).toEqual([
      "0b7e7dee-87a1-4d9e-9f3b-6f1c2a1b2c3d",
      1,
      "2024-05-06",
      "2024-05-06T07:08:09.010Z",
      "07:08:09.010",
      '{"a":[1,2]}',
      '"x"',
      null,
    ]);
  });

  it("refuses a key that is not a column of the declared table, and a schema", () => {
    const users = table("users", column("id", integer()));
    expect(() => dialect.compile({ kind: "bulkInsert", table: users, rows: [{ id: 1, nope: 2 }] })).toThrow(
      /row 0 has a value for "nope", which is not a column of the declared table/,
    );
    expect(() => dialect.compile({ kind: "bulkInsert", table: "users", rows: [], schema: "s" })).toThrow(/no schemas/);
    expect(() => dialect.compile({ kind: "bulkInsert", table: "users", rows: [null as never] })).toThrow(
      /not an object/,
    );
  });
});
