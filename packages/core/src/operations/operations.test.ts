import { describe, expect, it } from "vitest";
import type { DialectCapabilities } from "../driver/driver.js";
import { integer, string } from "../schema/column-type.js";
import { sql } from "../schema/sql-expression.js";
import { column } from "../schema/table-elements.js";
import { table } from "../schema/table.js";
import type { BatchOperations } from "./batch-operations.js";
import type { Operation } from "./operation.js";
import { Operations } from "./operations.js";

const capabilities: DialectCapabilities = {
  transactionalDdl: true,
  lockHeldByTransaction: false,
  alterInPlace: true,
  nativeEnum: true,
  enumTypes: true,
  schemas: true,
  ifNotExists: true,
  comments: true,
  indexMethods: true,
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

  it("creates a table declared with table(...), given alone; refuses anything else that is not a name", async () => {
    const { op, recorded } = recordingOp();
    const users = table("users", column("id", integer(), { primaryKey: true }), { comment: "people" });
    await op.createTable(users);
    expect(recorded).toEqual([{ kind: "createTable", table: users }]);
    expect(() => op.createTable(users, column("x", integer()))).toThrow(
      'op.createTable(table("users", ...)) takes the declared table alone: its columns and options are in it',
    );
    expect(() => op.createTable({ name: "users" } as unknown as string)).toThrow(
      "op.createTable takes a table name and its columns",
    );
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

  it("moves options keyed by dialect into dialectOptions, untouched", async () => {
    const { op, recorded } = recordingOp();
    await op.createIndex("ix", "t", ["a"], {
      unique: true,
      postgresql: { concurrently: true, using: "gin" },
      mysql: { length: 10 },
    });
    await op.alterColumn("t", "a", { type: integer(), postgresql: { using: "a::integer" } });
    await op.batchAlterTable("t", {}, async (batch) => {
      await batch.alterColumn("a", { type: integer(), postgresql: { using: "a::integer" } });
      await batch.createIndex("ix_b", ["b"], { unique: true, mysql: { length: 20 } });
    });
    expect(recorded[0]).toEqual({
      kind: "createIndex",
      name: "ix",
      table: "t",
      columns: ["a"],
      unique: true,
      dialectOptions: { postgresql: { concurrently: true, using: "gin" }, mysql: { length: 10 } },
    });
    expect(recorded[1]).toEqual({
      kind: "alterColumn",
      table: "t",
      column: "a",
      type: integer(),
      dialectOptions: { postgresql: { using: "a::integer" } },
    });
    expect(recorded[2]).toMatchObject({
      steps: [
        { kind: "alterColumn", column: "a", dialectOptions: { postgresql: { using: "a::integer" } } },
        { kind: "createIndex", name: "ix_b", columns: ["b"], unique: true, dialectOptions: { mysql: { length: 20 } } },
      ],
    });
  });

  it("refuses execute values that are not a list, naming the statement", async () => {
    const { op, recorded } = recordingOp();
    const named = { id: 1 } as unknown as readonly unknown[];
    expect(() => op.execute("UPDATE t SET a = 1 WHERE id = :id", named)).toThrow(
      'op.execute("UPDATE t SET a = 1 WHERE id = :id", ...): the values must be an array, bound in order to the placeholders (? on SQLite and MySQL, $1, $2... on PostgreSQL); got an object.',
    );
    await op.execute("UPDATE t SET a = 1 WHERE id = ?", [1]);
    expect(recorded).toEqual([{ kind: "execute", sql: "UPDATE t SET a = 1 WHERE id = ?", parameters: [1] }]);
  });

  it("renders inline literals in the dialect's syntax", () => {
    const { op } = recordingOp();
    expect(op.inlineLiteral("it's")).toEqual({ kind: "sql", text: "'it''s'" });
  });

  it("puts an inline literal into a sql`...` statement as SQL, as its doc shows", async () => {
    const { op, recorded } = recordingOp();
    await op.execute(sql`UPDATE "flags" SET "note" = ${op.inlineLiteral("it's")} WHERE "id" = ${3}`);
    expect(recorded).toEqual([
      { kind: "execute", sql: `UPDATE "flags" SET "note" = 'it''s' WHERE "id" = 3`, parameters: [] },
    ]);
  });
});

describe("Operations: unknown options", () => {
  /** An options object typed loosely, as a JavaScript migration would pass it. */
  const loose = (value: Record<string, unknown>): never => value as never;

  it.each<[string, (op: Operations) => Promise<unknown>, string]>([
    [
      "createIndex",
      (op) => op.createIndex("ix_a", "t", ["a"], loose({ uniqe: true })),
      `Unknown option 'uniqe' in op.createIndex("ix_a", ...): did you mean 'unique'? Valid options: unique, where, schema, ifNotExists, concurrently, using, include`,
    ],
    [
      "createTable",
      (op) => op.createTable("users", column("id", integer()), loose({ shema: "app" })),
      `Unknown option 'shema' in op.createTable("users", ...): did you mean 'schema'?`,
    ],
    [
      "a column of createTable",
      (op) => op.createTable("users", column("id", integer(), loose({ nullabel: false }))),
      `Unknown option 'nullabel' in column("id", ...): did you mean 'nullable'?`,
    ],
    [
      "dropTable",
      (op) => op.dropTable("t", loose({ if_exists: true })),
      `op.dropTable("t", ...): did you mean 'ifExists'?`,
    ],
    [
      "addColumn",
      (op) => op.addColumn("t", column("c", integer()), loose({ ifNotExist: true })),
      `op.addColumn("t", ...): did you mean 'ifNotExists'?`,
    ],
    [
      "alterColumn",
      (op) => op.alterColumn("users", "email", loose({ nulable: false })),
      `Unknown option 'nulable' in op.alterColumn("users.email", ...): did you mean 'nullable'?`,
    ],
    [
      "alterColumn (Alembic spelling)",
      (op) => op.alterColumn("users", "email", loose({ server_default: null })),
      `did you mean 'serverDefault'?`,
    ],
    [
      "dropColumn",
      (op) => op.dropColumn("t", "c", loose({ existing_type: integer() })),
      `op.dropColumn("t.c", ...): did you mean 'existingType'?`,
    ],
    ["dropIndex", (op) => op.dropIndex("ix", loose({ tabel: "t" })), `op.dropIndex("ix", ...): did you mean 'table'?`],
    [
      "createForeignKey",
      (op) => op.createForeignKey("fk", "a", "b", ["b_id"], ["id"], loose({ ondelete: "CASCADE" })),
      `op.createForeignKey("fk", ...): did you mean 'onDelete'?`,
    ],
    [
      "createUniqueConstraint",
      (op) => op.createUniqueConstraint("uq", "t", ["a"], loose({ deferable: true })),
      `op.createUniqueConstraint("uq", ...): did you mean 'deferrable'?`,
    ],
    [
      "createCheckConstraint",
      (op) => op.createCheckConstraint("ck", "t", "a > 0", loose({ name: "x" })),
      `Unknown option 'name' in op.createCheckConstraint("ck", ...). Valid options: schema`,
    ],
    [
      "createPrimaryKey",
      (op) => op.createPrimaryKey("pk", "t", ["id"], loose({ schem: "s" })),
      `op.createPrimaryKey("pk", ...): did you mean 'schema'?`,
    ],
    [
      "createExcludeConstraint",
      (op) => op.createExcludeConstraint("ex", "t", [{ expression: "room", operator: "=" }], loose({ usin: "gist" })),
      `op.createExcludeConstraint("ex", ...): did you mean 'using'?`,
    ],
    [
      "an element of createExcludeConstraint",
      (op) => op.createExcludeConstraint("ex", "t", [loose({ expression: "room", operater: "=" })]),
      `Unknown option 'operater' in an element of op.createExcludeConstraint("ex", ...): did you mean 'operator'?`,
    ],
    [
      "dropConstraint",
      (op) => op.dropConstraint("fk", "t", loose({ type_: "foreignkey" })),
      `op.dropConstraint("fk", ...): did you mean 'type'?`,
    ],
    [
      "createTableComment",
      (op) => op.createTableComment("t", "c", loose({ existing_comment: "" })),
      `op.createTableComment("t", ...): did you mean 'existingComment'?`,
    ],
    [
      "dropTableComment",
      (op) => op.dropTableComment("t", loose({ existingComent: "" })),
      `op.dropTableComment("t", ...): did you mean 'existingComment'?`,
    ],
    [
      "bulkInsert",
      (op) => op.bulkInsert(table("users", column("id", integer())), [{ id: 1 }], loose({ schma: "app" })),
      `op.bulkInsert("users", ...): did you mean 'schema'?`,
    ],
    [
      "renameTable",
      (op) => op.renameTable("a", "b", loose({ schemas: "app" })),
      `op.renameTable("a", ...): did you mean 'schema'?`,
    ],
    [
      "createSchema",
      (op) => op.createSchema("app", loose({ ifNotExist: true })),
      `op.createSchema("app", ...): did you mean 'ifNotExists'?`,
    ],
    [
      "dropSchema",
      (op) => op.dropSchema("app", loose({ cascde: true })),
      `op.dropSchema("app", ...): did you mean 'cascade'?`,
    ],
  ])("%s fails at the call and runs nothing", async (_, call, message) => {
    const { op, recorded } = recordingOp();
    await expect(async () => call(op)).rejects.toThrow(message);
    await expect(async () => call(op)).rejects.toMatchObject({ code: "UNKNOWN_OPTION" });
    expect(recorded).toEqual([]);
  });

  it("accepts the PostgreSQL index options and known keys left undefined", async () => {
    const { op, recorded } = recordingOp();
    await op.createIndex("ix", "t", ["a"], { concurrently: true, using: "gin", include: ["b"], where: undefined });
    await op.alterColumn("t", "c", { nullable: false, using: "c::integer", schema: undefined });
    expect(recorded).toHaveLength(2);
  });

  it("checks batchAlterTable's options before running the block", async () => {
    const { op, recorded } = recordingOp();
    let ran = false;
    const block = async () => {
      ran = true;
    };
    await expect(op.batchAlterTable("users", loose({ recreat: "always" }), block)).rejects.toThrow(
      `Unknown option 'recreat' in op.batchAlterTable("users", ...): did you mean 'recreate'? Valid options: recreate, copyFrom, tableArgs, reflectArgs, partialReordering, namingConvention,`,
    );
    await expect(
      op.batchAlterTable("users", { namingConvention: loose({ fq: "fk_%(table_name)s" }) }, block),
    ).rejects.toThrow(
      `Unknown option 'fq' in namingConvention of op.batchAlterTable("users", ...): did you mean 'fk'?`,
    );
    // Alembic's checks, on every database (the dialect need not rebuild tables).
    await expect(op.batchAlterTable("users", loose({ recreate: "sometimes" }), block)).rejects.toThrow(
      "recreate may be one of 'auto', 'always', or 'never'.",
    );
    await expect(op.batchAlterTable("users", { partialReordering: [["b", "a"]] }, block)).rejects.toThrow(
      "partialReordering requires recreate: 'always' (as in Alembic)",
    );
    await expect(
      op.batchAlterTable("users", { recreate: "auto", partialReordering: [["b", "a"]] }, block),
    ).rejects.toThrow("partialReordering requires recreate: 'always'");
    expect(ran).toBe(false);
    expect(recorded).toEqual([]);
  });

  it.each<[string, (batch: BatchOperations) => Promise<void>, string]>([
    [
      "alterColumn",
      (batch) => batch.alterColumn("email", loose({ nullabel: false })),
      `Unknown option 'nullabel' in batch.alterColumn("email", ...): did you mean 'nullable'?`,
    ],
    [
      "addColumn",
      (batch) => batch.addColumn(column("bio", string(200)), loose({ insert_after: "name" })),
      `batch.addColumn("bio", ...): did you mean 'insertAfter'?`,
    ],
    [
      "dropColumn",
      (batch) => batch.dropColumn("legacy", loose({ existingTyp: integer() })),
      `batch.dropColumn("legacy", ...): did you mean 'existingType'?`,
    ],
    [
      "createIndex",
      (batch) => batch.createIndex("ix", ["a"], loose({ concurrently: true })),
      `Unknown option 'concurrently' in batch.createIndex("ix", ...). Valid options: unique, where`,
    ],
    [
      "createForeignKey",
      (batch) => batch.createForeignKey("fk", "orgs", ["org_id"], ["id"], loose({ onUpdat: "CASCADE" })),
      `batch.createForeignKey("fk", ...): did you mean 'onUpdate'?`,
    ],
    [
      "dropConstraint",
      (batch) => batch.dropConstraint("fk", loose({ typ: "foreignkey" })),
      `batch.dropConstraint("fk", ...): did you mean 'type'?`,
    ],
    [
      "createTableComment",
      (batch) => batch.createTableComment("c", loose({ existingcomment: "" })),
      `batch.createTableComment(...): did you mean 'existingComment'?`,
    ],
    [
      "dropTableComment",
      (batch) => batch.dropTableComment(loose({ comment: "" })),
      `Unknown option 'comment' in batch.dropTableComment(...)`,
    ],
  ])("batch.%s fails at the call, and so does the batch", async (_, call, message) => {
    const { op, recorded } = recordingOp();
    await expect(op.batchAlterTable("users", {}, call)).rejects.toThrow(message);
    expect(recorded).toEqual([]);
  });
});
