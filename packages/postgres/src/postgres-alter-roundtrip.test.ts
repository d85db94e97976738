/**
 * renameTable, dropColumn, alterColumn, table comments and batchAlterTable
 * on a real server: each result read back from pg_catalog, and each
 * operation with a reverse undone to the schema it started from.
 */
import { type Operation, column, enumType, integer, string, table, text } from "@retort/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { applyAndReverse, operationsOn, runOperation } from "./test-support/schema-inspection.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";

const driver = new PostgresDriver();
let database: TestDatabase;
let connection: PostgresConnection;

beforeAll(async () => {
  database = await createTestDatabase("retort_pg_alter");
  connection = await driver.connect(database.url);
});

afterAll(async () => {
  await connection?.close();
  await database?.drop();
});

const run = (operation: Operation) => runOperation(driver, connection, operation);

async function roundTrip(operation: Operation, check: Parameters<typeof applyAndReverse>[3]): Promise<void> {
  const { before, reversed } = await applyAndReverse(driver, connection, operation, check);
  expect(reversed).toBeDefined();
  expect(reversed).toEqual(before);
}

describe("tables and columns", () => {
  it("renames a table in its schema, and back", async () => {
    await run({ kind: "createSchema", name: "app" });
    await run({ kind: "createTable", table: table("old_name", column("id", integer()), { schema: "app" }) });
    await run({ kind: "renameTable", table: "old_name", newName: "new_name", schema: "app" });
    const { rows } = await connection.query("SELECT tablename FROM pg_tables WHERE schemaname = 'app'");
    expect(rows).toEqual([{ tablename: "new_name" }]);
    await run({ kind: "createTable", table: table("renamed", column("id", integer())) });
    await roundTrip({ kind: "renameTable", table: "renamed", newName: "renamed_2" }, (after) => {
      expect(Object.keys(after.tables)).toContain("renamed_2");
      expect(Object.keys(after.tables)).not.toContain("renamed");
    });
  });

  it("drops a column (IF EXISTS too), and adds it back from existingType", async () => {
    await run({ kind: "createTable", table: table("dropping", column("id", integer()), column("legacy", string(20))) });
    await roundTrip({ kind: "dropColumn", table: "dropping", column: "legacy", existingType: string(20) }, (after) => {
      expect(after.columns).not.toHaveProperty("dropping.legacy");
    });
    await run({ kind: "dropColumn", table: "dropping", column: "legacy" });
    await run({ kind: "dropColumn", table: "dropping", column: "legacy", ifExists: true });
    const { rows } = await connection.query(
      "SELECT attname FROM pg_attribute WHERE attrelid = 'dropping'::regclass AND attnum > 0 AND NOT attisdropped",
    );
    expect(rows).toEqual([{ attname: "id" }]);
  });

  it("adds a column and drops it again (addColumn's reverse)", async () => {
    await run({ kind: "createTable", table: table("adding", column("id", integer())) });
    await roundTrip({ kind: "addColumn", table: "adding", column: column("note", text()) }, (after) => {
      expect(after.columns["adding.note"]).toMatchObject({ type: "text", notNull: false });
    });
  });
});

describe("alterColumn", () => {
  it("changes nullability, default, comment and name together, and reverses them", async () => {
    await run({
      kind: "createTable",
      table: table("people", column("id", integer()), column("email", string(100), { serverDefault: "x" })),
    });
    await roundTrip(
      {
        kind: "alterColumn",
        table: "people",
        column: "email",
        nullable: false,
        existingNullable: true,
        serverDefault: "nobody@example.com",
        existingServerDefault: "x",
        comment: "where to write",
        existingComment: null,
        newColumnName: "email_address",
        existingType: string(100),
      },
      (after) => {
        expect(after.columns).not.toHaveProperty("people.email");
        expect(after.columns["people.email_address"]).toEqual({
          type: "character varying(100)",
          notNull: true,
          default: "'nobody@example.com'::character varying",
          identity: "",
          comment: "where to write",
        });
      },
    );
  });

  it("drops a default (serverDefault: null) and a comment (comment: null)", async () => {
    await run({
      kind: "createTable",
      table: table("drops", column("flag", integer(), { serverDefault: 1, comment: "a flag" })),
    });
    await roundTrip(
      {
        kind: "alterColumn",
        table: "drops",
        column: "flag",
        serverDefault: null,
        existingServerDefault: 1,
        comment: null,
        existingComment: "a flag",
      },
      (after) => expect(after.columns["drops.flag"]).toMatchObject({ default: null, comment: null }),
    );
  });

  it("changes the type with USING, keeping the data, and back", async () => {
    await run({ kind: "createTable", table: table("amounts", column("amount", string(20))) });
    await connection.execute("INSERT INTO amounts VALUES ('42'), ('7')");
    await roundTrip(
      {
        kind: "alterColumn",
        table: "amounts",
        column: "amount",
        type: integer(),
        using: "amount::integer",
        existingType: string(20),
      },
      async (after) => {
        expect(after.columns["amounts.amount"]?.type).toBe("integer");
        const { rows } = await connection.query("SELECT sum(amount) AS total FROM amounts");
        expect(rows).toEqual([{ total: "49" }]);
      },
    );
    const { rows } = await connection.query("SELECT amount FROM amounts ORDER BY amount");
    expect(rows).toEqual([{ amount: "42" }, { amount: "7" }]);
  });

  it("changes a column to a new enum type, creating the type first", async () => {
    await run({ kind: "createTable", table: table("tickets", column("state", string(10))) });
    await connection.execute("INSERT INTO tickets VALUES ('open')");
    await run({
      kind: "alterColumn",
      table: "tickets",
      column: "state",
      type: enumType("ticket_state", ["open", "closed"]),
      using: "state::ticket_state",
    });
    const { rows } = await connection.query(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'tickets'::regclass AND attname = 'state'",
    );
    expect(rows).toEqual([{ type: "ticket_state" }]);
    await expect(connection.execute("INSERT INTO tickets VALUES ('bogus')")).rejects.toThrow(/22P02/);
  });

  it("adds an identity for autoincrement: true and drops it for false", async () => {
    await run({ kind: "createTable", table: table("counted", column("id", integer(), { nullable: false })) });
    await roundTrip(
      {
        kind: "alterColumn",
        table: "counted",
        column: "id",
        autoincrement: true,
        existingAutoincrement: false,
        existingNullable: false,
      },
      async (after) => {
        expect(after.columns["counted.id"]).toMatchObject({ identity: "d", notNull: true });
        await connection.execute("INSERT INTO counted DEFAULT VALUES");
        await connection.execute("INSERT INTO counted DEFAULT VALUES");
        expect((await connection.query("SELECT id FROM counted ORDER BY id")).rows).toEqual([{ id: 1 }, { id: 2 }]);
      },
    );
    // A nullable column gets SET NOT NULL first; DROP IDENTITY IF EXISTS on a plain column is a no-op.
    await run({ kind: "createTable", table: table("counted_2", column("n", integer())) });
    await run({ kind: "alterColumn", table: "counted_2", column: "n", autoincrement: true });
    await run({ kind: "alterColumn", table: "counted_2", column: "n", autoincrement: false });
    await run({ kind: "alterColumn", table: "counted_2", column: "n", autoincrement: false });
  });
});

describe("table comments", () => {
  it("sets a comment and drops it (each the other's reverse)", async () => {
    await run({ kind: "createTable", table: table("commented", column("id", integer())) });
    await roundTrip(
      { kind: "createTableComment", table: "commented", comment: "it's documented", existingComment: null },
      (after) => expect(after.tables.commented).toBe("it's documented"),
    );
    await run({ kind: "createTableComment", table: "commented", comment: "first" });
    await roundTrip({ kind: "dropTableComment", table: "commented", existingComment: "first" }, (after) =>
      expect(after.tables.commented).toBeNull(),
    );
    await roundTrip(
      { kind: "createTableComment", table: "commented", comment: "second", existingComment: "first" },
      (after) => expect(after.tables.commented).toBe("second"),
    );
  });
});

describe("batchAlterTable", () => {
  it("runs the block as plain ALTERs, in order", async () => {
    const op = operationsOn(driver, connection);
    await op.createTable(
      "accounts",
      column("id", integer()),
      column("email", string(100)),
      column("legacy_flag", text()),
    );
    await op.batchAlterTable("accounts", {}, async (batch) => {
      await batch.alterColumn("email", { nullable: false });
      await batch.dropColumn("legacy_flag");
      await batch.createIndex("ix_accounts_email", ["email"], { unique: true });
      await batch.createPrimaryKey("pk_accounts", ["id"]);
    });
    const { rows } = await connection.query(
      `SELECT attname, attnotnull FROM pg_attribute
        WHERE attrelid = 'accounts'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    expect(rows).toEqual([
      { attname: "id", attnotnull: true },
      { attname: "email", attnotnull: true },
    ]);
    const indexes = await connection.query("SELECT indexname FROM pg_indexes WHERE tablename = 'accounts' ORDER BY 1");
    expect(indexes.rows).toEqual([{ indexname: "ix_accounts_email" }, { indexname: "pk_accounts" }]);
  });

  it("refuses recreate: always before sending anything", async () => {
    const op = operationsOn(driver, connection);
    await expect(
      op.batchAlterTable("accounts", { recreate: "always" }, (batch) => batch.dropColumn("email")),
    ).rejects.toThrow(/rebuild, which Retort does on SQLite only/);
    expect(
      (await connection.query("SELECT 1 FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'email'"))
        .rows,
    ).toHaveLength(1);
  });
});
