import type { Operation } from "@retort/core";
import { integer, string } from "@retort/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "./sqlite-connection.js";
import { SqliteDialect } from "./sqlite-dialect.js";
import { SqliteDriver } from "./sqlite-driver.js";
import { SqliteUnsupportedOperationError } from "./sqlite-errors.js";
import { sqliteUrl, temporaryFolder } from "./test-support/temp-database.js";

const dialect = new SqliteDialect();
const sql = (operation: Operation) => dialect.compile(operation).map((statement) => statement.sql);
let folder: ReturnType<typeof temporaryFolder>;
let connection: SqliteConnection;

beforeEach(async () => {
  folder = temporaryFolder();
  connection = await new SqliteDriver().connect(sqliteUrl(folder.file()));
  await connection.execute('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "a" VARCHAR(10), "b" INTEGER)');
  await connection.execute("INSERT INTO t (a, b) VALUES ('x', 1), ('y', 2)");
});

afterEach(async () => {
  await connection.close();
  folder.remove();
});

async function run(operation: Operation): Promise<void> {
  for (const statement of dialect.compile(operation)) await connection.execute(statement.sql);
}

describe("in place", () => {
  it("bundles SQLite >= 3.35 (DROP COLUMN)", async () => {
    const { rows } = await connection.query<{ v: string }>("select sqlite_version() as v");
    const [major, minor] = (rows[0]?.v ?? "0.0").split(".").map(Number) as [number, number];
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(3035);
  });

  it("renames a table", async () => {
    const operation: Operation = { kind: "renameTable", table: "t", newName: "u" };
    expect(sql(operation)).toEqual(['ALTER TABLE "t" RENAME TO "u"']);
    await run(operation);
    expect((await connection.query("SELECT count(*) AS n FROM u")).rows).toEqual([{ n: 2 }]);
  });

  it("renames a column", async () => {
    const operation: Operation = { kind: "alterColumn", table: "t", column: "a", newColumnName: "c" };
    expect(sql(operation)).toEqual(['ALTER TABLE "t" RENAME COLUMN "a" TO "c"']);
    await run(operation);
    expect((await connection.query("SELECT c FROM t ORDER BY id")).rows).toEqual([{ c: "x" }, { c: "y" }]);
  });

  it("drops a plain column", async () => {
    const operation: Operation = { kind: "dropColumn", table: "t", column: "b" };
    expect(sql(operation)).toEqual(['ALTER TABLE "t" DROP COLUMN "b"']);
    await run(operation);
    const columns = (await connection.query<{ name: string }>("PRAGMA table_info(t)")).rows.map((row) => row.name);
    expect(columns).toEqual(["id", "a"]);
  });
});

const refused: [string, Operation, RegExp][] = [
  ["alter type", { kind: "alterColumn", table: "t", column: "a", type: string(20) }, /batchAlterTable\("t"/],
  ["alter nullable", { kind: "alterColumn", table: "t", column: "a", nullable: false }, /nullability/],
  ["alter default", { kind: "alterColumn", table: "t", column: "a", serverDefault: "z" }, /server default/],
  ["alter comment", { kind: "alterColumn", table: "t", column: "a", comment: "c" }, /comment/],
  ["alter autoincrement", { kind: "alterColumn", table: "t", column: "id", autoincrement: true }, /autoincrement/],
  [
    "unique",
    { kind: "createUniqueConstraint", name: "uq", table: "t", columns: ["a"] },
    /No support for ALTER of constraints/,
  ],
  [
    "check",
    { kind: "createCheckConstraint", name: "ck", table: "t", condition: "b > 0" },
    /batch\.createCheckConstraint/,
  ],
  ["primary key", { kind: "createPrimaryKey", name: "pk", table: "t", columns: ["id"] }, /copy-and-move/],
  [
    "foreign key",
    {
      kind: "createForeignKey",
      name: "fk",
      sourceTable: "t",
      referentTable: "u",
      localColumns: ["b"],
      remoteColumns: ["id"],
    },
    /batchAlterTable\("t"/,
  ],
  ["drop constraint", { kind: "dropConstraint", name: "uq", table: "t" }, /No support for ALTER of constraints/],
  [
    "exclude",
    { kind: "createExcludeConstraint", name: "ex", table: "t", elements: [{ expression: "a", operator: "=" }] },
    /PostgreSQL feature.*op\.getContext\(\)\.dialect\.name/,
  ],
  ["table comment", { kind: "createTableComment", table: "t", comment: "c" }, /PostgreSQL.*dialect\.name/],
  ["drop table comment", { kind: "dropTableComment", table: "t" }, /PostgreSQL.*dialect\.name/],
  [
    "concurrent index",
    { kind: "createIndex", name: "ix", table: "t", columns: ["a"], concurrently: true },
    /CONCURRENTLY is a PostgreSQL feature/,
  ],
  ["gin index", { kind: "createIndex", name: "ix", table: "t", columns: ["a"], using: "gin" }, /USING gin/],
  ["covering index", { kind: "createIndex", name: "ix", table: "t", columns: ["a"], include: ["b"] }, /INCLUDE/],
  ["drop column if exists", { kind: "dropColumn", table: "t", column: "b", ifExists: true }, /IF EXISTS/],
  ["batch without a connection", { kind: "batchAlterTable", table: "t", options: {}, steps: [] }, /live SQLite/],
];

describe("refused before touching the database", () => {
  it.each(refused)("%s", async (_, operation, message) => {
    const before = (await connection.query("SELECT sql FROM sqlite_master")).rows;
    const error = (() => {
      try {
        dialect.compile(operation);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SqliteUnsupportedOperationError);
    expect((error as Error).message).toMatch(message);
    expect((await connection.query("SELECT sql FROM sqlite_master")).rows).toEqual(before);
  });

  it("rejects a schema", () => {
    expect(() => sql({ kind: "renameTable", table: "t", newName: "u", schema: "s" })).toThrow(/no schemas/);
  });

  it("names batch mode for alterColumn with a type even with a rename", () => {
    expect(() => sql({ kind: "alterColumn", table: "t", column: "b", newColumnName: "c", type: integer() })).toThrow(
      /op\.batchAlterTable/,
    );
  });
});

describe("options keyed by dialect", () => {
  it("ignores PostgreSQL's block and rejects unknown keys in its own", () => {
    const index = { kind: "createIndex", name: "ix", table: "t", columns: ["a"] } as const;
    expect(
      sql({ ...index, dialectOptions: { postgresql: { concurrently: true, using: "gin", include: ["b"] } } }),
    ).toEqual(['CREATE INDEX "ix" ON "t" ("a")']);
    expect(() => sql({ ...index, dialectOptions: { sqlite: { where: "a > 1" } } })).toThrow(
      `Unknown option 'where' in sqlite of op.createIndex("ix", ...). It takes no options.`,
    );
  });
});
