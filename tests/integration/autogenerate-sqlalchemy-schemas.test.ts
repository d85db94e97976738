import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { DatabaseProbe } from "./support/database-probe.js";
import { TestProject } from "./support/test-project.js";

/**
 * A table in another schema as SQLAlchemy makes it on PostgreSQL: its enum
 * types in the default schema unless the type says (`schema`, or
 * `inheritSchema` for the table's), and `index: true` named by SQLAlchemy's
 * default convention `ix_%(column_0_label)s`, which names the schema. A
 * database SQLAlchemy created compares clean, and a generated migration
 * makes the same objects.
 */
const SCHEMA = `
import { column, enumType, integer, table } from "@retort/core";

export const billing = {
  invoices: table(
    "invoices",
    column("id", integer(), { primaryKey: true }),
    column("customer_id", integer(), { index: true }),
    column("status", enumType("invoice_status", ["open", "paid"])),
    column("kind", enumType("invoice_kind", ["a", "b"], { inheritSchema: true })),
    column("tone", enumType("tone", ["dry", "warm"], { schema: "types" })),
    { schema: "billing" },
  ),
};
`;

describe("a table in another schema as SQLAlchemy makes it on PostgreSQL", () => {
  const harness = harnesses.find((candidate) => candidate.name === "postgresql");
  let database: TestDatabase;
  let project: TestProject;
  let probe: DatabaseProbe;

  const typesIn = async () =>
    (
      await probe.query(
        "SELECT n.nspname || '.' || t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' ORDER BY 1",
      )
    ).map((row) => (row as { name: string }).name);

  beforeAll(async () => {
    if (harness === undefined) throw new Error("RETORT_TEST_DIALECTS leaves out postgresql, which this test needs");
    database = await harness.create();
    project = new TestProject({ url: database.url, config: { schema: "./schema.ts" } });
    probe = new DatabaseProbe(harness, database.url, project.dir);
    project.write("schema.ts", SCHEMA);
  });
  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
  });

  it("compares clean with the database SQLAlchemy creates (the type in the default schema)", async () => {
    await probe.use(async (connection) => {
      for (const sql of [
        "CREATE SCHEMA billing",
        "CREATE SCHEMA types",
        "CREATE TYPE invoice_status AS ENUM ('open', 'paid')",
        "CREATE TYPE billing.invoice_kind AS ENUM ('a', 'b')",
        "CREATE TYPE types.tone AS ENUM ('dry', 'warm')",
        "CREATE TABLE billing.invoices (id INTEGER NOT NULL, customer_id INTEGER, status invoice_status, kind billing.invoice_kind, tone types.tone, PRIMARY KEY (id))",
        "CREATE INDEX ix_billing_invoices_customer_id ON billing.invoices (customer_id)",
      ]) {
        await connection.execute(sql);
      }
    });
    expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
  });

  it("generates a migration that creates each type where it is declared, then compares clean", async () => {
    await probe.use(async (connection) => {
      await connection.execute("DROP TABLE billing.invoices");
      for (const type of ["invoice_status", "billing.invoice_kind", "types.tone"]) {
        await connection.execute(`DROP TYPE ${type}`);
      }
    });
    const generated = project.ok("revision", "--autogenerate", "-m", "invoices", "--rev-id", "inv1");
    const text = readFileSync(/Generating (\S+)/.exec(generated)?.[1] as string, "utf8");
    expect(text).toContain('enumType("invoice_status", ["open", "paid"])');
    expect(text).toContain('enumType("invoice_kind", ["a", "b"], { inheritSchema: true })');
    expect(text).toContain('enumType("tone", ["dry", "warm"], { schema: "types" })');
    project.ok("upgrade", "head");
    expect(await typesIn()).toEqual(["billing.invoice_kind", "public.invoice_status", "types.tone"]);
    expect(
      await probe.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'billing' AND indexname LIKE 'ix_%'"),
    ).toEqual([{ indexname: "ix_billing_invoices_customer_id" }]);
    expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
    project.ok("downgrade", "base");
    expect(await typesIn()).toEqual([]);
  });
});
