/**
 * Constraints and index options on a real server: each definition read back
 * with pg_get_constraintdef / pg_get_indexdef, and each operation undone by
 * its reverse to the schema it started from.
 */
import {
  type Operation,
  boolean,
  column,
  customType,
  dateTime,
  integer,
  jsonb,
  sql,
  string,
  table,
  text,
} from "@retort/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresConnection } from "./postgres-connection.js";
import { PostgresDriver } from "./postgres-driver.js";
import { applyAndReverse, operationsOn, runOperation } from "./test-support/schema-inspection.js";
import { createTestDatabase, type TestDatabase } from "./test-support/test-database.js";

const driver = new PostgresDriver();
let database: TestDatabase;
let connection: PostgresConnection;

beforeAll(async () => {
  database = await createTestDatabase("retort_pg_constraints");
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

describe("constraints", () => {
  it("adds a deferrable unique constraint and drops it", async () => {
    await run({ kind: "createTable", table: table("pairs", column("a", integer()), column("b", integer())) });
    await roundTrip(
      {
        kind: "createUniqueConstraint",
        name: "uq_pairs_a_b",
        table: "pairs",
        columns: ["a", "b"],
        deferrable: true,
        initially: "DEFERRED",
      },
      (after) => expect(after.constraints["pairs.uq_pairs_a_b"]).toBe("UNIQUE (a, b) DEFERRABLE INITIALLY DEFERRED"),
    );
  });

  it("adds a foreign key across schemas with every option, and drops it", async () => {
    await run({ kind: "createSchema", name: "auth" });
    await run({
      kind: "createTable",
      table: table("principals", column("id", integer(), { primaryKey: true }), { schema: "auth" }),
    });
    await run({
      kind: "createTable",
      table: table("sessions", column("id", integer()), column("principal", integer())),
    });
    await roundTrip(
      {
        kind: "createForeignKey",
        name: "fk_sessions_principal",
        sourceTable: "sessions",
        referentTable: "principals",
        localColumns: ["principal"],
        remoteColumns: ["id"],
        referentSchema: "auth",
        onDelete: "SET NULL",
        onUpdate: "CASCADE",
        match: "FULL",
        deferrable: true,
        initially: "IMMEDIATE",
      },
      (after) =>
        expect(after.constraints["sessions.fk_sessions_principal"]).toBe(
          "FOREIGN KEY (principal) REFERENCES auth.principals(id) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE",
        ),
    );
    // With a source schema too.
    await run({ kind: "createTable", table: table("grants", column("principal", integer()), { schema: "auth" }) });
    await run({
      kind: "createForeignKey",
      name: "fk_grants_principal",
      sourceTable: "grants",
      sourceSchema: "auth",
      referentTable: "principals",
      referentSchema: "auth",
      localColumns: ["principal"],
      remoteColumns: ["id"],
    });
    const { rows } = await connection.query(
      "SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'fk_grants_principal'",
    );
    expect(rows).toEqual([{ definition: "FOREIGN KEY (principal) REFERENCES auth.principals(id)" }]);
  });

  it("adds a check constraint and drops it", async () => {
    await run({ kind: "createTable", table: table("stock", column("qty", integer())) });
    await roundTrip(
      { kind: "createCheckConstraint", name: "ck_stock_qty", table: "stock", condition: sql`qty >= 0` },
      async (after) => {
        expect(after.constraints["stock.ck_stock_qty"]).toBe("CHECK ((qty >= 0))");
        await expect(connection.execute("INSERT INTO stock VALUES (-1)")).rejects.toThrow(/23514/);
      },
    );
  });

  it("adds a primary key and drops it", async () => {
    await run({
      kind: "createTable",
      table: table("keyed", column("a", integer(), { nullable: false }), column("b", text(), { nullable: false })),
    });
    await roundTrip({ kind: "createPrimaryKey", name: "pk_keyed", table: "keyed", columns: ["a", "b"] }, (after) => {
      expect(after.constraints["keyed.pk_keyed"]).toBe("PRIMARY KEY (a, b)");
      expect(after.indexes.pk_keyed).toBe("CREATE UNIQUE INDEX pk_keyed ON public.keyed USING btree (a, b)");
    });
  });

  it("adds an exclusion constraint on a range with && (no btree_gist needed), and drops it", async () => {
    await run({
      kind: "createTable",
      table: table(
        "bookings",
        column("during", customType("TSRANGE")),
        column("cancelled", boolean(), { nullable: false, serverDefault: false }),
      ),
    });
    await roundTrip(
      {
        kind: "createExcludeConstraint",
        name: "ex_bookings_during",
        table: "bookings",
        elements: [{ expression: "during", operator: "&&" }],
        where: sql`NOT cancelled`,
      },
      async (after) => {
        expect(after.constraints["bookings.ex_bookings_during"]).toBe(
          "EXCLUDE USING gist (during WITH &&) WHERE ((NOT cancelled))",
        );
        await connection.execute("INSERT INTO bookings (during) VALUES ('[2024-01-01 10:00, 2024-01-01 12:00)')");
        await connection.execute(
          "INSERT INTO bookings (during, cancelled) VALUES ('[2024-01-01 11:00, 2024-01-01 13:00)', true)",
        );
        await expect(
          connection.execute("INSERT INTO bookings (during) VALUES ('[2024-01-01 11:00, 2024-01-01 13:00)')"),
        ).rejects.toThrow(/conflicting key value violates exclusion constraint "ex_bookings_during" \(23P01\)/);
      },
    );
  });

  it("drops constraints of any type by name, and IF EXISTS ignores a missing one", async () => {
    await run({
      kind: "createTable",
      table: table(
        "dropped",
        column("id", integer(), { primaryKey: true }),
        column("code", string(5), { unique: true }),
      ),
    });
    await run({ kind: "dropConstraint", name: "dropped_code_key", table: "dropped", type: "unique" });
    await run({ kind: "dropConstraint", name: "dropped_pkey", table: "dropped" });
    await run({ kind: "dropConstraint", name: "dropped_pkey", table: "dropped", ifExists: true });
    await expect(run({ kind: "dropConstraint", name: "dropped_pkey", table: "dropped" })).rejects.toThrow(/42704/);
    const { rows } = await connection.query("SELECT conname FROM pg_constraint WHERE conrelid = 'dropped'::regclass");
    expect(rows).toEqual([]);
  });
});

describe("createIndex options", () => {
  it("creates an index CONCURRENTLY outside a transaction (and PostgreSQL refuses it inside one)", async () => {
    await run({ kind: "createTable", table: table("docs", column("id", integer()), column("body", jsonb())) });
    const operation: Operation = {
      kind: "createIndex",
      name: "ix_docs_body",
      table: "docs",
      columns: ["body"],
      concurrently: true,
      using: "gin",
    };
    await connection.begin();
    await expect(run(operation)).rejects.toThrow(/cannot run inside a transaction block \(25001\)/);
    await connection.rollback();
    expect(connection.inTransaction).toBe(false);
    await roundTrip(operation, (after) =>
      expect(after.indexes.ix_docs_body).toBe("CREATE INDEX ix_docs_body ON public.docs USING gin (body)"),
    );
  });

  it("runs CONCURRENTLY in op.getContext().autocommitBlock inside a migration's transaction", async () => {
    const op = operationsOn(driver, connection);
    await connection.begin();
    await op.createTable("logs", column("id", integer()), column("at", dateTime()));
    await op
      .getContext()
      .autocommitBlock(() => op.createIndex("ix_logs_at", "logs", ["at"], { concurrently: true, using: "brin" }));
    await connection.commit();
    const { rows } = await connection.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_logs_at'");
    expect(rows).toEqual([{ indexdef: "CREATE INDEX ix_logs_at ON public.logs USING brin (at)" }]);
  });

  it("creates a covering index with INCLUDE and a partial WHERE, and drops it", async () => {
    await run({
      kind: "createTable",
      table: table("orders", column("id", integer()), column("customer", integer()), column("total", integer())),
    });
    await roundTrip(
      {
        kind: "createIndex",
        name: "ix_orders_customer",
        table: "orders",
        columns: ["customer"],
        unique: true,
        include: ["id", "total"],
        where: sql`total > 0`,
      },
      (after) =>
        expect(after.indexes.ix_orders_customer).toBe(
          "CREATE UNIQUE INDEX ix_orders_customer ON public.orders USING btree (customer) INCLUDE (id, total) WHERE (total > 0)",
        ),
    );
  });
});
