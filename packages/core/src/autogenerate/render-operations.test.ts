import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { importModule } from "../config/module-loader.js";
import type { Operation } from "../operations/operation.js";
import { Operations } from "../operations/operations.js";
import {
  type ColumnType,
  customType,
  date,
  dateTime,
  enumType,
  integer,
  string,
  text,
  time,
} from "../schema/column-type.js";
import { currentTime, sql } from "../schema/sql-expression.js";
import { column, foreignKey, index } from "../schema/table-elements.js";
import { table } from "../schema/table.js";
import { renderRevisionFile } from "../script/render-revision.js";
import { renderPlan } from "./autogenerate-api.js";
import { type PlanStep, planMigration } from "./plan-migration.js";
import { renderBody, renderImports, renderType } from "./render-operations.js";
import type { ExistingColumn, SchemaDiff } from "./schema-diff.js";

const sqlite = { name: "sqlite", capabilities: { alterInPlace: false } } as const;
const postgres = { name: "postgresql", capabilities: { alterInPlace: true } } as const;

const users = table(
  "users",
  column("id", integer(), { primaryKey: true }),
  column("email", string(255), { nullable: false, serverDefault: "x" }),
  column("created_at", dateTime({ timezone: true }), { serverDefault: sql`now()` }),
  index("ix_users_email", ["email"], { unique: true }),
  { comment: "people" },
);
const existing = { type: string(100), nullable: true, serverDefault: null, comment: null };
const diffs: SchemaDiff[] = [
  { kind: "add_table", table: users },
  { kind: "add_column", table: "orders", column: column("note", text(), { references: "notes.id", index: true }) },
  { kind: "modify_type", table: "orders", column: "code", existing, from: string(100), to: string(200) },
  { kind: "modify_nullable", table: "orders", column: "code", existing, from: true, to: false },
  {
    kind: "add_fk",
    table: "orders",
    foreignKey: { ...foreignKey("user_id", "users", "id", { onDelete: "CASCADE" }), name: "fk_orders_user_id_users" },
  },
  { kind: "remove_column", table: "orders", column: column("legacy", integer()) },
  { kind: "remove_table", table: table("old", column("id", integer(), { primaryKey: true })) },
];

describe("planMigration", () => {
  it("upgrade in diff order, downgrade the reverse; one alterColumn per column with the existing values", () => {
    const plan = planMigration(diffs, { alterInPlace: true, dialect: "postgresql" });
    // Both renames that cannot be seen are pointed out.
    expect(plan.upgrade.map((step) => step.kind)).toEqual([
      "comment",
      "comment",
      "createTable",
      "addColumn",
      "alterColumn",
      "createForeignKey",
      "dropColumn",
      "dropTable",
    ]);
    expect(plan.upgrade[4]).toEqual({
      kind: "alterColumn",
      table: "orders",
      column: "code",
      type: string(200),
      nullable: false,
      existingType: string(100),
    });
    expect(plan.downgrade.map((step) => step.kind)).toEqual([
      "createTable",
      "addColumn",
      "dropConstraint",
      "alterColumn",
      "dropColumn",
      "dropTable",
    ]);
    expect(plan.downgrade[3]).toEqual({
      kind: "alterColumn",
      table: "orders",
      column: "code",
      type: string(100),
      nullable: true,
      existingType: string(200),
    });
    // The added column's key and index are operations of their own, not column options.
    expect(plan.upgrade[3]).toEqual({ kind: "addColumn", table: "orders", column: column("note", text()) });
  });

  it("without ALTER in place, each table's changes are one batch block", () => {
    const plan = planMigration(diffs, { alterInPlace: false, dialect: "sqlite" });
    expect(plan.upgrade.map((step) => step.kind)).toEqual([
      "comment",
      "comment",
      "createTable",
      "batchAlterTable",
      "dropTable",
    ]);
    const batch = plan.upgrade[3] as Extract<Operation, { kind: "batchAlterTable" }>;
    expect(batch.table).toBe("orders");
    expect(batch.steps.map((step) => step.kind)).toEqual([
      "addColumn",
      "alterColumn",
      "createForeignKey",
      "dropColumn",
    ]);
  });

  it("foreign keys in a cycle between new tables are added after both tables", () => {
    const a = table(
      "a",
      column("id", integer(), { primaryKey: true }),
      column("b_id", integer(), { references: "b.id" }),
    );
    const b = table(
      "b",
      column("id", integer(), { primaryKey: true }),
      column("a_id", integer()),
      foreignKey("a_id", "a", "id"),
    );
    const plan = planMigration(
      [
        { kind: "add_table", table: a },
        { kind: "add_table", table: b },
      ],
      { alterInPlace: true, dialect: "postgresql" },
    );
    expect(plan.upgrade.map((step) => step.kind)).toEqual(["createTable", "createTable", "createForeignKey"]);
    const first = plan.upgrade[0] as Extract<Operation, { kind: "createTable" }>;
    expect(first.table.columns[1]?.options).toEqual({});
    expect(plan.upgrade[2]).toMatchObject({ name: "fk_a_b_id_b", sourceTable: "a", referentTable: "b" });
    expect(plan.downgrade.map((step) => step.kind)).toEqual(["dropConstraint", "dropTable", "dropTable"]);
  });

  it("PostgreSQL enums: a new type is created by the table using it and dropped by the downgrade; a new value is ALTER TYPE", () => {
    const people = table("people", column("mood", enumType("mood", ["a", "b"])));
    const plan = planMigration(
      [
        { kind: "add_enum", name: "mood", values: ["a", "b"] },
        { kind: "add_enum_value", name: "color", value: "blue", before: "red" },
        { kind: "add_table", table: people },
        { kind: "remove_enum", name: "old", values: ["x"] },
      ],
      { alterInPlace: true, dialect: "postgresql" },
    );
    expect(plan.upgrade).toEqual([
      { kind: "execute", sql: `ALTER TYPE "color" ADD VALUE IF NOT EXISTS 'blue' BEFORE 'red'` },
      { kind: "createTable", table: people },
      { kind: "execute", sql: `DROP TYPE IF EXISTS "old"` },
    ]);
    expect(plan.downgrade).toEqual([
      { kind: "execute", sql: `CREATE TYPE "old" AS ENUM ('x')` },
      { kind: "dropTable", table: "people" },
      {
        kind: "comment",
        text: "PostgreSQL cannot remove the value 'blue' from enum type color: it stays (the upgrade adds it IF NOT EXISTS)",
      },
      { kind: "execute", sql: `DROP TYPE IF EXISTS "mood"` },
    ]);
  });

  it("PostgreSQL enums: a type is created once; later users, and users of a type the database has, name it", () => {
    const status = enumType("status", ["open", "done"]);
    const tasks = table("tasks", column("id", integer()), column("status", status));
    const jobs = table(
      "jobs",
      column("id", integer()),
      column("status", status),
      column("mood", enumType("mood", ["ok"])),
    );
    // As the introspector reads it: a type outside the default schema says where it is.
    const old = table("old", column("mood", enumType("mood", ["ok"], { schema: "app" })), { schema: "app" });
    const existingType = { type: string(10), nullable: true, serverDefault: null, comment: null };
    const plan = planMigration(
      [
        { kind: "add_enum", name: "status", values: ["open", "done"] },
        { kind: "add_table", table: tasks },
        { kind: "add_table", table: jobs },
        { kind: "add_column", table: "notes", column: column("status", status) },
        { kind: "modify_type", table: "notes", column: "kind", existing: existingType, from: string(10), to: status },
        { kind: "remove_table", table: old },
      ],
      { alterInPlace: true, dialect: "postgresql" },
    );
    const named = (name: string, schema?: string) =>
      customType(schema === undefined ? `"${name}"` : `"${schema}"."${name}"`);
    // (A rename hint comes first: a table added and one removed.)
    const up = plan.upgrade.filter((step): step is Operation => step.kind !== "comment");
    // tasks creates "status"; jobs, the new column and the changed one name it; "mood" exists already.
    expect(up[0]).toEqual({ kind: "createTable", table: tasks });
    expect(up[1]).toMatchObject({ kind: "createTable", table: { name: "jobs" } });
    expect(up[1]?.kind === "createTable" && up[1].table.columns.map((c) => c.type)).toEqual([
      integer(),
      named("status"),
      named("mood"),
    ]);
    expect(up[2]).toMatchObject({ kind: "addColumn", column: { name: "status", type: named("status") } });
    expect(up[3]).toMatchObject({ kind: "alterColumn", column: "kind", type: named("status") });
    // Going down, the dropped table comes back with the type it used, which still exists.
    const recreated = (plan.downgrade as Operation[]).find((step) => step.kind === "createTable");
    expect(recreated?.kind === "createTable" && recreated.table.columns.map((c) => c.type)).toEqual([
      named("mood", "app"),
    ]);
    // Another database creates nothing with CREATE TYPE: its steps are left as they are.
    const mysql = planMigration([{ kind: "add_table", table: jobs }], { alterInPlace: true, dialect: "mysql" });
    expect(mysql.upgrade).toEqual([{ kind: "createTable", table: jobs }]);
  });
});

describe("renderType", () => {
  it("writes an enum's options: its schema and the name of its CHECK", () => {
    const imports = new Set<string>();
    expect(renderType(enumType("mood", ["ok"]), imports)).toBe('enumType("mood", ["ok"])');
    expect(renderType(enumType("mood", ["ok"], { checkName: "ck_users_mood" }), imports)).toBe(
      'enumType("mood", ["ok"], { checkName: "ck_users_mood" })',
    );
    expect(renderType(enumType("mood", ["ok"], { schema: "app", checkName: "ck_users_mood" }), imports)).toBe(
      'enumType("mood", ["ok"], { schema: "app", checkName: "ck_users_mood" })',
    );
    // The enum's own name is the default: not written.
    expect(renderType(enumType("mood", ["ok"], { checkName: "mood" }), imports)).toBe('enumType("mood", ["ok"])');
  });
});

describe("renderBody", () => {
  it("renders readable calls between the markers, with the names to import", () => {
    const { code, imports } = renderBody([
      { kind: "createTable", table: users },
      { kind: "dropColumn", table: "orders", column: "legacy", existingType: integer() },
      {
        kind: "createIndex",
        name: "ix_t_doc",
        table: "t",
        columns: ["doc"],
        dialectOptions: { postgresql: { using: "gin" } },
      },
    ]);
    expect(code).toBe(
      [
        "// ### commands auto generated by Retort - please adjust! ###",
        "await op.createTable(",
        '  "users",',
        '  column("id", integer(), { primaryKey: true }),',
        '  column("email", string(255), { nullable: false, serverDefault: "x" }),',
        '  column("created_at", dateTime({ timezone: true }), { serverDefault: sql`now()` }),',
        '  index("ix_users_email", ["email"], { unique: true }),',
        '  { comment: "people" },',
        ");",
        "// review: drops data",
        'await op.dropColumn("orders", "legacy", { existingType: integer() });',
        'await op.createIndex("ix_t_doc", "t", ["doc"], { postgresql: { using: "gin" } });',
        "// ### end Retort commands ###",
      ].join("\n"),
    );
    expect(renderImports(imports)).toBe(
      'import { column, dateTime, index, integer, sql, string } from "@retort/core";',
    );
  });

  it("writes the standard current date and time defaults as the portable functions", () => {
    const stamped = table(
      "log",
      column("at", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` }),
      column("day", date(), { serverDefault: sql`current_date` }),
      column("clock", time(), { serverDefault: currentTime() }),
      column("pg", dateTime(), { serverDefault: sql`now()` }),
    );
    const { code, imports } = renderBody([{ kind: "createTable", table: stamped }]);
    expect(code).toContain('  column("at", dateTime(), { serverDefault: currentTimestamp() }),');
    expect(code).toContain('  column("day", date(), { serverDefault: currentDate() }),');
    expect(code).toContain('  column("clock", time(), { serverDefault: currentTime() }),');
    expect(code).toContain('  column("pg", dateTime(), { serverDefault: sql`now()` }),');
    expect(renderImports(imports)).toBe(
      'import { column, currentDate, currentTime, currentTimestamp, date, dateTime, sql, time } from "@retort/core";',
    );
  });

  it("an empty plan says so; no imports", () => {
    const { code, imports } = renderBody([]);
    expect(code).toContain("// no changes detected");
    expect(renderImports(imports)).toBe("");
  });

  it("a foreign key to a table of another schema is createForeignKey's referentSchema, added and dropped", () => {
    const fk = { ...foreignKey("item_id", "shop.items", "id"), name: "fk_notes_item_id_items" };
    const schemaDiffs: SchemaDiff[] = [
      { kind: "add_fk", table: "notes", foreignKey: fk },
      { kind: "remove_fk", schema: "shop", table: "items", foreignKey: { ...fk, name: "fk_items_parent" } },
    ];
    const withSchemas = planMigration(schemaDiffs, { alterInPlace: true, dialect: "postgresql", schemas: true });
    expect(withSchemas.upgrade[0]).toMatchObject({ referentTable: "items", referentSchema: "shop" });
    expect(withSchemas.downgrade[0]).toMatchObject({
      referentTable: "items",
      referentSchema: "shop",
      sourceSchema: "shop",
    });
    expect(renderBody(withSchemas.upgrade).code).toContain(
      'await op.createForeignKey("fk_notes_item_id_items", "notes", "items", ["item_id"], ["id"], { referentSchema: "shop" });',
    );
    // Without schemas (SQLite) the name is the table's, dot included, as createTable reads it there.
    const without = planMigration(schemaDiffs, { alterInPlace: true, dialect: "sqlite" });
    expect(without.upgrade[0]).toMatchObject({ referentTable: "shop.items" });
    expect(without.upgrade[0]).not.toHaveProperty("referentSchema");
  });

  it("renders a batch block with batch.* calls that omit the table", () => {
    const plan = planMigration(diffs.slice(1, 6), { alterInPlace: false, dialect: "sqlite" });
    const { code } = renderBody(plan.upgrade);
    expect(code).toContain('await op.batchAlterTable("orders", {}, async (batch) => {');
    expect(code).toContain(
      '  await batch.alterColumn("code", { type: string(200), nullable: false, existingType: string(100) });',
    );
    expect(code).toContain(
      '  await batch.createForeignKey("fk_orders_user_id_users", "users", ["user_id"], ["id"], { onDelete: "CASCADE" });',
    );
    expect(code).toContain('  // review: drops data\n  await batch.dropColumn("legacy", { existingType: integer() });');
  });
});

describe("rendered migrations run", () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), "retort-autogen-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const coreIndex = pathToFileURL(fileURLToPath(new URL("../index.ts", import.meta.url))).href;
  const template = readFileSync(
    fileURLToPath(new URL("../../templates/generic/script.ts.template", import.meta.url)),
    "utf8",
  );

  async function recorded(fn: (op: Operations) => Promise<void>): Promise<Operation[]> {
    const seen: Operation[] = [];
    const op = new Operations({
      async run(operation) {
        seen.push(operation);
      },
      async query() {
        return { rows: [] };
      },
      context: {} as never,
    });
    await fn(op);
    return seen;
  }

  const withoutComments = (steps: readonly { kind: string }[]) => steps.filter((step) => step.kind !== "comment");

  /** The revision file for `generated`, written as `<name>.ts` and imported. */
  async function writtenAndImported(
    name: string,
    generated: ReturnType<typeof renderPlan>,
  ): Promise<{ text: string; module: Record<"upgrade" | "downgrade", (op: Operations) => Promise<void>> }> {
    const text = renderRevisionFile(template, {
      revision: `a${name}`,
      downRevision: null,
      message: "autogenerated",
      upgrades: generated.upgrades,
      downgrades: generated.downgrades,
      imports: generated.imports,
    });
    const file = path.join(directory, `${name}.ts`);
    writeFileSync(file, text.replaceAll('"@retort/core"', JSON.stringify(coreIndex)));
    const module = (await importModule(file)) as Record<"upgrade" | "downgrade", (op: Operations) => Promise<void>>;
    return { text, module };
  }

  it.each([
    ["postgresql", postgres],
    ["sqlite", sqlite],
  ] as const)("%s: the file's upgrade and downgrade give the planned operations", async (name, dialect) => {
    const generated = renderPlan(diffs, [], dialect);
    const { text, module } = await writtenAndImported(name, generated);
    expect(text).toContain(generated.imports);
    expect(await recorded(module.upgrade)).toEqual(withoutComments(generated.plan.upgrade));
    expect(await recorded(module.downgrade)).toEqual(withoutComments(generated.plan.downgrade));
  });

  it("SQL with line breaks comes back exactly: the file's indentation is not inside a string", async () => {
    const multiLine: SchemaDiff[] = [
      { kind: "modify_default", table: "notes", column: "body", existing, from: sql`'a\nb'`, to: sql`'a\r\nc'` },
      {
        kind: "remove_table",
        table: table(
          "drafts",
          column("id", integer(), { primaryKey: true }),
          column("t", text(), { serverDefault: sql`'x\ny'` }),
        ),
      },
    ];
    const generated = renderPlan(multiLine, [], postgres);
    const { text: source, module } = await writtenAndImported("multiline", generated);
    expect(source).toContain("sql`'a\\r\\nc'`");
    expect(await recorded(module.upgrade)).toEqual(withoutComments(generated.plan.upgrade));
    expect(await recorded(module.downgrade)).toEqual(withoutComments(generated.plan.downgrade));
    expect(JSON.stringify(await recorded(module.downgrade))).toContain(JSON.stringify("'x\ny'"));
  });
});

describe("planMigration: what a dropped table's downgrade recreates", () => {
  it("indexes with a method or INCLUDE columns come back as createIndex with PostgreSQL's options", () => {
    const reflectedTable = {
      ...table(
        "docs",
        column("id", integer(), { primaryKey: true }),
        column("body", text()),
        index("ix_docs_id", ["id"]),
      ),
      indexes: [
        { kind: "index" as const, name: "ix_docs_id", columns: ["id"], method: "btree", include: [] },
        { kind: "index" as const, name: "ix_docs_body", columns: ["body"], method: "gin" },
        { kind: "index" as const, name: "ix_docs_cover", columns: ["id"], method: "btree", include: ["body"] },
      ],
    };
    const plan = planMigration([{ kind: "remove_table", table: reflectedTable }], {
      alterInPlace: true,
      dialect: "postgresql",
    });
    expect(plan.downgrade).toEqual([
      { kind: "createTable", table: { ...reflectedTable, indexes: [reflectedTable.indexes[0]] } },
      {
        kind: "createIndex",
        name: "ix_docs_body",
        table: "docs",
        columns: ["body"],
        dialectOptions: { postgresql: { using: "gin" } },
      },
      {
        kind: "createIndex",
        name: "ix_docs_cover",
        table: "docs",
        columns: ["id"],
        dialectOptions: { postgresql: { include: ["body"] } },
      },
    ]);
    expect(renderBody(plan.downgrade).code).toContain(
      'await op.createIndex("ix_docs_body", "docs", ["body"], { postgresql: { using: "gin" } });',
    );
  });
});

describe("planMigration: a change to or from a PostgreSQL enum type", () => {
  const feeling = enumType("feeling", ["sad", "ok"]);
  const mood2 = enumType("mood2", ["sad", "ok", "glad"]);
  const change = (from: ColumnType, to: ColumnType, more: Partial<ExistingColumn> = {}, schema?: string) => {
    const existing = { type: from, nullable: true, serverDefault: null, comment: null, ...more };
    const at = schema === undefined ? {} : { schema };
    return { kind: "modify_type", ...at, table: "people", column: "mood", existing, from, to } as const;
  };
  const rendered = (steps: readonly PlanStep[]) =>
    renderBody(steps)
      .code.split("\n")
      .filter((line) => !line.startsWith("// ###"));

  it("to another enum: USING through text both ways, the existing type written as the enum", () => {
    const plan = planMigration(
      [
        { kind: "add_enum", name: "mood2", values: mood2.values },
        change(feeling, mood2),
        { kind: "remove_enum", name: "feeling", values: feeling.values },
      ],
      { alterInPlace: true, dialect: "postgresql" },
    );
    expect(rendered(plan.upgrade)).toEqual([
      'await op.alterColumn("people", "mood", { type: enumType("mood2", ["sad", "ok", "glad"]), existingType: enumType("feeling", ["sad", "ok"]), existingNullable: true, postgresql: { using: "\\"mood\\"::text::\\"mood2\\"" } });',
      'await op.execute("DROP TYPE IF EXISTS \\"feeling\\"");',
    ]);
    expect(rendered(plan.downgrade)).toEqual([
      'await op.alterColumn("people", "mood", { type: enumType("feeling", ["sad", "ok"]), existingType: enumType("mood2", ["sad", "ok", "glad"]), existingNullable: true, postgresql: { using: "\\"mood\\"::text::\\"feeling\\"" } });',
      'await op.execute("DROP TYPE IF EXISTS \\"mood2\\"");',
    ]);
  });

  it("a type the database has is named, and still cast to; an enum of another schema is qualified", () => {
    const kept = planMigration([change(feeling, mood2)], { alterInPlace: true, dialect: "postgresql" });
    expect(kept.upgrade).toEqual([
      {
        kind: "alterColumn",
        table: "people",
        column: "mood",
        type: customType('"mood2"'),
        existingType: feeling,
        existingNullable: true,
        dialectOptions: { postgresql: { using: '"mood"::text::"mood2"' } },
      },
    ]);
    const inApp = enumType("mood2", ["ok"], { inheritSchema: true });
    const other = enumType("tone", ["ok"], { schema: "types" });
    const odd = planMigration(
      [change(text(), inApp, {}, "app"), { ...change(inApp, other, {}, "app"), column: 'the "mood"' }],
      {
        alterInPlace: true,
        dialect: "postgresql",
      },
    );
    expect(odd.upgrade.map((step) => (step as { dialectOptions?: unknown }).dialectOptions)).toEqual([
      { postgresql: { using: '"mood"::text::"app"."mood2"' } },
      { postgresql: { using: '"the ""mood"""::text::"types"."tone"' } },
    ]);
  });

  it("text or varchar to an enum casts going up; an enum to text needs no cast going down", () => {
    for (const from of [text(), string(20)]) {
      const plan = planMigration([change(from, mood2)], { alterInPlace: true, dialect: "postgresql" });
      expect(plan.upgrade[0]).toMatchObject({
        type: customType('"mood2"'),
        dialectOptions: { postgresql: { using: '"mood"::text::"mood2"' } },
      });
      expect(plan.downgrade).toEqual([
        {
          kind: "alterColumn",
          table: "people",
          column: "mood",
          type: from,
          existingType: mood2,
          existingNullable: true,
        },
      ]);
    }
    // Neither way between two types that are not enums.
    const plain = planMigration([change(string(20), text())], { alterInPlace: true, dialect: "postgresql" });
    expect([...plain.upgrade, ...plain.downgrade].some((step) => "dialectOptions" in step)).toBe(false);
  });

  it("a server default is dropped before the type change and set again by it, both ways", () => {
    const plan = planMigration(
      [
        change(feeling, mood2, { serverDefault: sql`'ok'` }),
        { kind: "remove_enum", name: "feeling", values: feeling.values },
      ],
      { alterInPlace: true, dialect: "postgresql" },
    );
    const comment = {
      kind: "comment",
      text: "PostgreSQL cannot cast the default of mood to the new type: it is dropped before the type change and set again after it",
    };
    expect(plan.upgrade).toEqual([
      comment,
      {
        kind: "alterColumn",
        table: "people",
        column: "mood",
        serverDefault: null,
        existingType: feeling,
        existingNullable: true,
      },
      {
        kind: "alterColumn",
        table: "people",
        column: "mood",
        type: customType('"mood2"'),
        serverDefault: sql`'ok'`,
        existingType: feeling,
        existingNullable: true,
        dialectOptions: { postgresql: { using: '"mood"::text::"mood2"' } },
      },
      { kind: "execute", sql: 'DROP TYPE IF EXISTS "feeling"' },
    ]);
    // Going down, the type change creates "feeling" again (its CREATE TYPE), after the default is dropped.
    expect(plan.downgrade).toEqual([
      comment,
      {
        kind: "alterColumn",
        table: "people",
        column: "mood",
        serverDefault: null,
        existingType: mood2,
        existingNullable: true,
      },
      {
        kind: "alterColumn",
        table: "people",
        column: "mood",
        type: feeling,
        serverDefault: sql`'ok'`,
        existingType: mood2,
        existingNullable: true,
        dialectOptions: { postgresql: { using: '"mood"::text::"feeling"' } },
      },
    ]);
  });

  it("a changed default with the type: the new one is set after the change, the old one comes back going down", () => {
    const existing = { type: string(20), nullable: true, serverDefault: "sad", comment: null };
    const plan = planMigration(
      [
        { kind: "modify_type", table: "people", column: "mood", existing, from: string(20), to: mood2 },
        { kind: "modify_default", table: "people", column: "mood", existing, from: "sad", to: null },
      ],
      { alterInPlace: true, dialect: "postgresql" },
    );
    const alters = (steps: readonly PlanStep[]) => steps.filter((step) => step.kind === "alterColumn");
    expect(
      alters(plan.upgrade).map(({ serverDefault, existingServerDefault }) => ({
        serverDefault,
        existingServerDefault,
      })),
    ).toEqual([
      { serverDefault: null, existingServerDefault: undefined },
      { serverDefault: undefined, existingServerDefault: undefined },
    ]);
    // Going down the column has no default to move: the enum's cast only, then the old default.
    expect(alters(plan.downgrade)).toEqual([
      {
        kind: "alterColumn",
        table: "people",
        column: "mood",
        type: string(20),
        serverDefault: "sad",
        existingType: mood2,
        existingNullable: true,
      },
    ]);
  });

  it("other databases get the change as it was: no USING, the default left in place", () => {
    for (const dialect of ["mysql", "sqlite"]) {
      const plan = planMigration([change(feeling, mood2, { serverDefault: "ok" })], { alterInPlace: true, dialect });
      expect(plan.upgrade).toEqual([
        {
          kind: "alterColumn",
          table: "people",
          column: "mood",
          type: mood2,
          existingType: feeling,
          existingNullable: true,
          existingServerDefault: "ok",
        },
      ]);
    }
  });
});
