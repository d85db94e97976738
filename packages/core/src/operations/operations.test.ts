import { describe, expect, it } from "vitest";
import type { DialectCapabilities } from "../driver/driver.js";
import { integer, string } from "../schema/column-type.js";
import { sql } from "../schema/sql-expression.js";
import { column } from "../schema/table-elements.js";
import type { Operation } from "./operation.js";
import { Operations } from "./operations.js";

const capabilities: DialectCapabilities = {
  transactionalDdl: true,
  lockHeldByTransaction: false,
  alterInPlace: true,
  nativeEnum: true,
  schemas: true,
  ifNotExists: true,
};

/** An `op` whose operations are recorded instead of run. */
function recordingOp(): { op: Operations; recorded: Operation[] } {
  const recorded: Operation[] = [];
  const op = new Operations({
    async run(operation) {
      recorded.push(operation);
    },
    async query() {
      return { rows: [] };
    },
    context: {
      dialect: {
        name: "test",
        capabilities,
        renderLiteral: (value) => (typeof value === "string" ? `'${value.replaceAll("'", "''")}'` : String(value)),
        quoteIdentifier: (name) => `"${name}"`,
      },
      xArgs: {},
      xArgList: [],
      tag: undefined,
      isOffline: false,
      autocommitBlock: (fn) => fn(),
    },
  });
  return { op, recorded };
}

describe("Operations", () => {
  it("builds operation objects named as Alembic's op.*", async () => {
    const { op, recorded } = recordingOp();
    await op.renameTable("a", "b");
    await op.alterColumn("t", "c", { nullable: false, existingType: string(10) });
    await op.createForeignKey("fk_a_b", "a", "b", ["b_id"], ["id"], { onDelete: "CASCADE" });
    await op.dropConstraint("fk_a_b", "a", { type: "foreignkey" });
    await op.createIndex("ix", "t", [sql`lower(email)`], { unique: true, concurrently: true });
    expect(recorded).toEqual([
      { kind: "renameTable", table: "a", newName: "b" },
      { kind: "alterColumn", table: "t", column: "c", nullable: false, existingType: string(10) },
      {
        kind: "createForeignKey",
        name: "fk_a_b",
        sourceTable: "a",
        referentTable: "b",
        localColumns: ["b_id"],
        remoteColumns: ["id"],
        onDelete: "CASCADE",
      },
      { kind: "dropConstraint", name: "fk_a_b", table: "a", type: "foreignkey" },
      {
        kind: "createIndex",
        name: "ix",
        table: "t",
        columns: [{ kind: "sql", text: "lower(email)" }],
        unique: true,
        concurrently: true,
      },
    ]);
  });

  it("records a batch block and applies it as one operation on exit", async () => {
    const { op, recorded } = recordingOp();
    await op.batchAlterTable("users", { recreate: "always", schema: "app" }, async (batch) => {
      await batch.addColumn(column("bio", string(200)), { insertAfter: "name" });
      await batch.alterColumn("email", { nullable: false });
      await batch.dropColumn("legacy", { existingType: integer() });
      await batch.createForeignKey("fk_users_org", "orgs", ["org_id"], ["id"]);
      expect(recorded).toEqual([]);
    });
    expect(recorded).toEqual([
      {
        kind: "batchAlterTable",
        table: "users",
        schema: "app",
        options: { recreate: "always" },
        steps: [
          { kind: "addColumn", table: "users", schema: "app", column: column("bio", string(200)), insertAfter: "name" },
          { kind: "alterColumn", table: "users", schema: "app", column: "email", nullable: false },
          { kind: "dropColumn", table: "users", schema: "app", column: "legacy", existingType: integer() },
          {
            kind: "createForeignKey",
            name: "fk_users_org",
            sourceTable: "users",
            sourceSchema: "app",
            referentTable: "orgs",
            localColumns: ["org_id"],
            remoteColumns: ["id"],
          },
        ],
      },
    ]);
  });

  it("renders inline literals in the dialect's syntax", () => {
    const { op } = recordingOp();
    expect(op.inlineLiteral("it's")).toEqual({ kind: "sql", text: "'it''s'" });
  });
});
