import { describe, expect, it } from "vitest";
import { UnknownOptionError } from "../errors/unknown-option-error.js";
import type { ReflectedIndex, ReflectedSchema } from "../introspection/reflected-schema.js";
import { integer, string, text } from "../schema/column-type.js";
import { column, type IndexDefinition, index } from "../schema/table-elements.js";
import { table } from "../schema/table.js";
import { type CompareDialect, compareSchemas } from "./compare-schemas.js";
import { planMigration } from "./plan-migration.js";
import { renderBody } from "./render-operations.js";
import { describeDiff } from "./schema-diff.js";

/**
 * `index(...)` takes the dialect blocks of `op.createIndex`
 * (`{ mysql: { length } }`, `{ postgresql: { using } }`) into
 * `dialectOptions`, and autogenerate carries them: rendered in `index(...)`
 * and `op.createIndex`, and compared by the dialect's introspector where it
 * says how (`sameIndexOptions`).
 */
describe("index(...) with dialect blocks", () => {
  it("keeps each dialect's block in dialectOptions, and nothing when none is given", () => {
    expect(index("ix_posts_body", ["body"], { unique: true, mysql: { length: 10 }, postgresql: undefined })).toEqual({
      kind: "index",
      name: "ix_posts_body",
      columns: ["body"],
      unique: true,
      dialectOptions: { mysql: { length: 10 } },
    });
    expect(index("ix_posts_body", "body")).toEqual({ kind: "index", name: "ix_posts_body", columns: ["body"] });
  });

  it("still rejects an unknown top-level option", () => {
    const loose = (options: object) => options as Parameters<typeof index>[2];
    expect(() => index("ix_posts_body", ["body"], loose({ mysql_length: 10 }))).toThrow(UnknownOptionError);
    expect(() => index("ix_posts_body", ["body"], loose({ mysql_length: 10 }))).toThrow(
      /Unknown option 'mysql_length' in index\("ix_posts_body", \.\.\.\).*Valid options: unique, where, postgresql, mysql/,
    );
  });
});

const posts = table(
  "posts",
  column("id", integer(), { primaryKey: true }),
  column("title", string(200)),
  column("body", text()),
  index("ix_posts_body", ["body"], { mysql: { length: 100 } }),
);

describe("autogenerate with an index's dialect blocks", () => {
  it("renders the block in index(...) of a new table", () => {
    const plan = planMigration([{ kind: "add_table", table: posts }], { alterInPlace: true, dialect: "mysql" });
    const { code } = renderBody(plan.upgrade);
    expect(code).toContain(`index("ix_posts_body", ["body"], { mysql: { length: 100 } })`);
  });

  it("carries the blocks into op.createIndex, PostgreSQL's method and INCLUDE added to its block", () => {
    const reflected: ReflectedIndex = {
      kind: "index",
      name: "ix_posts_title",
      columns: ["title"],
      method: "hash",
      dialectOptions: { mysql: { length: { title: 20 } }, postgresql: { include: ["id"] } },
    };
    const plan = planMigration([{ kind: "remove_index", table: "posts", index: reflected }], {
      alterInPlace: true,
      dialect: "mysql",
    });
    expect(plan.downgrade).toEqual([
      {
        kind: "createIndex",
        name: "ix_posts_title",
        table: "posts",
        columns: ["title"],
        dialectOptions: { mysql: { length: { title: 20 } }, postgresql: { include: ["id"], using: "hash" } },
      },
    ]);
    expect(renderBody(plan.downgrade).code).toContain(
      `op.createIndex("ix_posts_title", "posts", ["title"], { mysql: { length: { title: 20 } }, postgresql: { include: ["id"], using: "hash" } })`,
    );
  });

  it("compares the blocks only through the introspector's sameIndexOptions", () => {
    const database = (length: number): ReflectedSchema => ({
      enums: [],
      tables: [
        {
          ...posts,
          columns: posts.columns.map((item) => ({ ...item, reportedType: "x" })),
          indexes: [{ ...(posts.indexes[0] as IndexDefinition), dialectOptions: { mysql: { length } } }],
        },
      ],
    });
    const seen: [string, unknown][] = [];
    const dialect: CompareDialect = {
      renderLiteral: (value) => String(value),
      typeText: () => "x",
      introspector: {
        introspect: async () => database(0),
        sameIndexOptions: (declared, reflected) => {
          seen.push([declared.name, reflected.dialectOptions]);
          return JSON.stringify(declared.dialectOptions?.mysql) === JSON.stringify(reflected.dialectOptions?.mysql);
        },
      },
    };
    const diffs = (length: number, compareDialect: CompareDialect) =>
      compareSchemas({ tables: [posts] }, database(length), { dialect: compareDialect }).map((diff) =>
        describeDiff(diff, () => "x"),
      );
    expect(diffs(100, dialect)).toEqual([]);
    expect(seen).toEqual([["ix_posts_body", { mysql: { length: 100 } }]]);
    expect(diffs(50, dialect)).toEqual([
      "('remove_index', None, 'posts', 'ix_posts_body', ['body'], mysql_length=50)",
      "('add_index', None, 'posts', 'ix_posts_body', ['body'], mysql_length=100)",
    ]);
    const { sameIndexOptions: _ignored, ...withoutHook } = dialect.introspector ?? {
      introspect: async () => database(0),
    };
    expect(diffs(50, { ...dialect, introspector: withoutHook })).toEqual([]);
  });
});
