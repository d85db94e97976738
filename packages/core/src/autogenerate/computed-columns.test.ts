import { describe, expect, it } from "vitest";
import { LiteralRenderer } from "../dialect/literal-renderer.js";
import type { ReflectedColumn, ReflectedSchema, ReflectedTable } from "../introspection/reflected-schema.js";
import type { Operation } from "../operations/operation.js";
import { checkAlterColumnValues } from "../schema/check-arguments.js";
import { customType, integer, string, text } from "../schema/column-type.js";
import { sql } from "../schema/sql-expression.js";
import { type ColumnDefinition, column } from "../schema/table-elements.js";
import { type TableDefinition, table } from "../schema/table.js";
import { type CompareDialect, compareSchemas } from "./compare-schemas.js";
import { planMigration } from "./plan-migration.js";
import { renderBody } from "./render-operations.js";
import type { SchemaDiff } from "./schema-diff.js";
import { standardTypeText } from "./type-comparison.js";

/**
 * Generated (computed) columns in autogenerate: MySQL's MODIFY rewrites the
 * whole column, so an `alterColumn` of one carries `existingComputed`
 * (without it the column became a plain one, its values frozen); whether a
 * column is generated, and from what, is warned about, not planned.
 */
const generic: CompareDialect = { renderLiteral: (value) => new LiteralRenderer("Test").render(value) };

function items(total: ColumnDefinition): TableDefinition {
  return table("items", column("id", integer(), { primaryKey: true }), column("price", integer()), total);
}

/** The table as the database has it, `total` stored or not as `stored` says. */
function live(definition: TableDefinition, stored?: boolean): ReflectedSchema {
  const reflected: ReflectedTable = {
    ...definition,
    columns: definition.columns.map(
      (item): ReflectedColumn => ({
        ...item,
        reportedType: standardTypeText(item.type),
        ...(item.name === "total" && stored !== undefined ? { computedStored: stored } : {}),
      }),
    ),
    indexes: definition.indexes,
  };
  return { tables: [reflected], enums: [] };
}

function compare(declared: TableDefinition, database: ReflectedSchema) {
  const warnings: string[] = [];
  const diffs = compareSchemas({ tables: [declared] }, database, {
    dialect: generic,
    onWarning: (message) => warnings.push(message),
  });
  return { diffs, warnings };
}

function rendered(diffs: readonly SchemaDiff[], dialect: string): { up: string; down: string } {
  const plan = planMigration(diffs, { alterInPlace: true, dialect });
  const calls = (code: string) =>
    code
      .split("\n")
      .filter((line) => !line.startsWith("//"))
      .join("\n");
  return { up: calls(renderBody(plan.upgrade).code), down: calls(renderBody(plan.downgrade).code) };
}

describe("autogenerate of a change to a generated column", () => {
  const generated = column("total", integer(), { computed: sql`price * 2` });

  it("writes existingComputed in both directions of a comment change, so MySQL's MODIFY keeps it generated", () => {
    const { diffs, warnings } = compare(
      items(column("total", integer(), { computed: sql`price * 2`, comment: "derived" })),
      live(items(generated), true),
    );
    expect(warnings).toEqual([]);
    expect(diffs).toMatchObject([{ kind: "modify_comment", existing: { computed: sql`price * 2` } }]);
    const { up, down } = rendered(diffs, "mysql");
    expect(up).toBe(
      'await op.alterColumn("items", "total", { comment: "derived", existingType: integer(), existingNullable: true, existingComputed: sql`price * 2` });',
    );
    expect(down).toBe(
      'await op.alterColumn("items", "total", { comment: null, existingType: integer(), existingNullable: true, existingComputed: sql`price * 2` });',
    );
  });

  it("says a VIRTUAL column is one, and carries it through a type and nullability change", () => {
    const { diffs } = compare(
      items(column("total", text(), { computed: sql`price * 2`, nullable: false })),
      live(items(column("total", string(20), { computed: sql`price * 2` })), false),
    );
    expect(diffs.map((diff) => diff.kind)).toEqual(["modify_type", "modify_nullable"]);
    const { up, down } = rendered(diffs, "mysql");
    expect(up).toBe(
      'await op.alterColumn("items", "total", { type: text(), nullable: false, existingType: string(20), existingComputed: { expression: sql`price * 2`, stored: false } });',
    );
    expect(down).toBe(
      'await op.alterColumn("items", "total", { type: string(20), nullable: true, existingType: text(), existingComputed: { expression: sql`price * 2`, stored: false } });',
    );
  });

  it("writes no USING for a generated column's type change on PostgreSQL (it refuses one), and says the change fails where one is needed", () => {
    const { diffs } = compare(
      items(column("total", integer(), { computed: sql`length(code)` })),
      live(items(column("total", text(), { computed: sql`length(code)` })), true),
    );
    const plan = planMigration(diffs, { alterInPlace: true, dialect: "postgresql" });
    expect(plan.upgrade).toEqual([
      {
        kind: "comment",
        text: "review: PostgreSQL does not cast text to integer by itself, and refuses USING for a generated column: this fails; drop total and add it again instead",
      },
      {
        kind: "alterColumn",
        table: "items",
        column: "total",
        type: integer(),
        existingType: text(),
        existingNullable: true,
        existingComputed: sql`length(code)`,
      } satisfies Operation,
    ]);
  });

  it("leaves a plain column's alterColumn without existingComputed", () => {
    const { diffs } = compare(
      items(column("total", integer(), { comment: "x" })),
      live(items(column("total", integer()))),
    );
    expect(rendered(diffs, "mysql").up).toBe(
      'await op.alterColumn("items", "total", { comment: "x", existingType: integer(), existingNullable: true });',
    );
  });
});

describe("a column generated on one side only, or from another expression", () => {
  it("is warned about, naming table and column, and is no difference", () => {
    const plain = column("total", integer());
    const generated = column("total", integer(), { computed: sql`price * 2` });
    const other = column("total", integer(), { computed: sql`price * 3` });
    const cases: [ColumnDefinition, ColumnDefinition, RegExp][] = [
      [generated, plain, /is declared GENERATED ALWAYS AS \(price \* 2\), but the database has a plain column/],
      [plain, generated, /is declared a plain column, but the database has it GENERATED ALWAYS AS \(price \* 2\)/],
      [
        other,
        generated,
        /declared GENERATED ALWAYS AS \(price \* 3\), but the database has GENERATED ALWAYS AS \(price \* 2\)/,
      ],
    ];
    for (const [declared, found, message] of cases) {
      const { diffs, warnings } = compare(items(declared), live(items(found)));
      expect(diffs).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^Computed default on items\.total cannot be modified: the column /);
      expect(warnings[0]).toMatch(message);
    }
  });

  it("compares expressions as the server writes them back", () => {
    const same: [string, string][] = [
      ["price * 2", "`price` * 2"],
      ["price * 2", "(price * 2)"],
      ["concat(name, ' ', code)", "concat(`name`,_utf8mb4\\' \\',`code`)"],
      ["lower(code)", "lower((code)::text)"],
    ];
    for (const [declared, found] of same) {
      const { warnings } = compare(
        items(column("total", customType("TEXT"), { computed: sql(declared) })),
        live(items(column("total", customType("TEXT"), { computed: sql(found) }))),
      );
      expect(warnings, `${declared} / ${found}`).toEqual([]);
    }
  });
});

describe("the existingComputed option", () => {
  it("takes sql`...` or { expression: sql`...`, stored }", () => {
    for (const existingComputed of [sql`a * 2`, { expression: sql`a * 2`, stored: false }]) {
      expect(() => checkAlterColumnValues({ existingComputed }, "op.alterColumn", "t.c")).not.toThrow();
    }
  });

  it("refuses anything else, saying what it takes", () => {
    expect(() => checkAlterColumnValues({ existingComputed: "a * 2" }, "op.alterColumn", "t.c")).toThrow(
      'op.alterColumn("t.c", ...): existingComputed must be sql`...` (the expression) or { expression: sql`...`, stored: true | false }, got the string "a * 2"',
    );
    expect(() =>
      checkAlterColumnValues({ existingComputed: { expression: "a", stored: true } }, "op.alterColumn", "t.c"),
    ).toThrow("existingComputed.expression must be sql`...`");
    expect(() =>
      checkAlterColumnValues({ existingComputed: { expression: sql`a`, stored: "yes" } }, "op.alterColumn", "t.c"),
    ).toThrow("existingComputed.stored must be true or false");
    expect(() =>
      checkAlterColumnValues({ existingComputed: { expression: sql`a`, persisted: true } }, "op.alterColumn", "t.c"),
    ).toThrow('unknown key "persisted"');
  });
});
