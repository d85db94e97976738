import { column, index, integer, type Operation, string, sql, table, text, UnknownOptionError } from "@retort/core";
import { describe, expect, it } from "vitest";
import { MysqlDialect } from "./mysql-dialect.js";
import { prefixLengths, reflectedIndexOptions, sameIndexKind, samePrefixLengths } from "./mysql-index-length.js";

/**
 * `index(...)` in a `table(...)` takes the `{ mysql: { length } }` block of
 * `op.createIndex` (SQLAlchemy's `mysql_length`) and is compiled the same
 * way: MySQL refuses an index on a TEXT column without a prefix length.
 */
const mysql = new MysqlDialect();
const mariadb = new MysqlDialect({ flavor: "mariadb" });

const posts = (...indexes: ReturnType<typeof index>[]): Operation => ({
  kind: "createTable",
  table: table(
    "posts",
    column("id", integer(), { primaryKey: true }),
    column("title", string(200)),
    column("body", text()),
    ...indexes,
  ),
});

function compile(operation: Operation, dialect = mysql): string[] {
  return dialect.compile(operation).map((statement) => statement.sql);
}

describe("index(...) in createTable on MySQL", () => {
  it("writes { mysql: { length } } as the prefix length, as op.createIndex does", () => {
    for (const dialect of [mysql, mariadb]) {
      const statements = compile(
        posts(
          index("ix_posts_body", ["body"], { mysql: { length: 100 } }),
          index("ix_posts_title_body", ["title", "body"], { unique: true, mysql: { length: { body: 20 } } }),
        ),
        dialect,
      );
      expect(statements.slice(1)).toEqual([
        "CREATE INDEX `ix_posts_body` ON `posts` (`body`(100))",
        "CREATE UNIQUE INDEX `ix_posts_title_body` ON `posts` (`title`, `body`(20))",
      ]);
      const operation: Operation = {
        kind: "createIndex",
        name: "ix_posts_body",
        table: "posts",
        columns: ["body"],
        dialectOptions: { mysql: { length: 100 } },
      };
      expect(compile(operation, dialect)).toEqual([statements[1]]);
    }
  });

  it("writes a batch's createIndex with its length, as op.createIndex does", () => {
    const operation: Operation = {
      kind: "batchAlterTable",
      table: "posts",
      options: {},
      steps: [
        {
          kind: "createIndex",
          name: "ix_posts_body",
          table: "posts",
          columns: ["body"],
          dialectOptions: { mysql: { length: 30 } },
        },
      ],
    };
    expect(compile(operation)).toEqual(["CREATE INDEX `ix_posts_body` ON `posts` (`body`(30))"]);
  });

  it("ignores the other dialects' blocks", () => {
    expect(compile(posts(index("ix_posts_title", "title", { postgresql: { using: "hash" } }))).slice(1)).toEqual([
      "CREATE INDEX `ix_posts_title` ON `posts` (`title`)",
    ]);
  });

  it("rejects an unknown key in the MySQL block, naming the index and the option meant", () => {
    const operation = posts(index("ix_posts_body", ["body"], { mysql: { lenght: 10 } }));
    expect(() => compile(operation)).toThrow(UnknownOptionError);
    expect(() => compile(operation)).toThrow(
      `Unknown option 'lenght' in mysql of index("ix_posts_body", ...): did you mean 'length'?`,
    );
  });

  it("refuses a length that is not a positive integer, naming the index and the column", () => {
    expect(() => compile(posts(index("ix_posts_body", ["body"], { mysql: { length: 0 } })))).toThrow(
      'index "ix_posts_body": mysql length of "body" must be a positive integer; got 0',
    );
  });
});

describe("prefix lengths compared", () => {
  const declared = (length: unknown) =>
    index("ix", ["title", "body"], { mysql: { length } as Record<string, unknown> });
  const reflected = {
    kind: "index" as const,
    name: "ix",
    columns: ["title", "body"],
    dialectOptions: reflectedIndexOptions(
      [
        { column_name: "title", sub_part: null },
        { column_name: "body", sub_part: "20" },
      ],
      "BTREE",
    ),
  };

  it("reads SUB_PART per column, and nothing for an index without one", () => {
    expect(reflected.dialectOptions).toEqual({ mysql: { length: { body: 20 } } });
    expect(reflectedIndexOptions([{ column_name: "title", sub_part: null }], "BTREE")).toBeUndefined();
    expect(prefixLengths(declared(10))).toEqual(
      new Map([
        ["title", 10],
        ["body", 10],
      ]),
    );
  });

  it("compares column by column, and not at all when the model gives no length", () => {
    expect(samePrefixLengths(declared({ body: 20 }), reflected)).toBe(true);
    expect(samePrefixLengths(declared({ body: 10 }), reflected)).toBe(false);
    expect(samePrefixLengths(declared(20), reflected)).toBe(false);
    expect(samePrefixLengths(index("ix", ["title", "body"]), reflected)).toBe(true);
    expect(samePrefixLengths(declared({ body: 20 }), { ...reflected, dialectOptions: undefined })).toBe(false);
    expect(samePrefixLengths(index("ix", [sql`lower(title)`], { mysql: { length: 5 } }), reflected)).toBe(true);
  });

  it("takes a prefix as long as a VARCHAR column for the whole column, which the server reports without SUB_PART", () => {
    const columns = [column("title", string(200)), column("body", text())];
    expect(samePrefixLengths(declared({ title: 200, body: 20 }), reflected, columns)).toBe(true);
    expect(samePrefixLengths(declared({ title: 199, body: 20 }), reflected, columns)).toBe(false);
    expect(samePrefixLengths(declared({ title: 200, body: 20 }), reflected)).toBe(false);
  });
});

describe("FULLTEXT and SPATIAL indexes ({ mysql: { prefix } }, SQLAlchemy's mysql_prefix)", () => {
  it("writes CREATE FULLTEXT INDEX, in createTable and op.createIndex", () => {
    expect(compile(posts(index("ix_posts_body", ["body"], { mysql: { prefix: "FULLTEXT" } })))).toContain(
      "CREATE FULLTEXT INDEX `ix_posts_body` ON `posts` (`body`)",
    );
    const create: Operation = {
      kind: "createIndex",
      name: "ix_posts_title_body",
      table: "posts",
      columns: ["title", "body"],
      dialectOptions: { mysql: { prefix: "fulltext" } },
    };
    expect(compile(create, mariadb)).toEqual([
      "CREATE FULLTEXT INDEX `ix_posts_title_body` ON `posts` (`title`, `body`)",
    ]);
    expect(() => compile({ ...create, dialectOptions: { mysql: { prefix: "HASH" } } })).toThrow(
      /mysql prefix must be "FULLTEXT" or "SPATIAL"; got "HASH"/,
    );
  });

  it("reads INDEX_TYPE FULLTEXT and SPATIAL as the prefix, and a BTREE index as none", () => {
    const parts = [{ column_name: "body", sub_part: null }];
    expect(reflectedIndexOptions(parts, "FULLTEXT")).toEqual({ mysql: { prefix: "FULLTEXT" } });
    expect(reflectedIndexOptions(parts, "SPATIAL")).toEqual({ mysql: { prefix: "SPATIAL" } });
    expect(reflectedIndexOptions(parts, "BTREE")).toBeUndefined();
  });

  it("compares the kind where the declared index gives it", () => {
    const fulltext = {
      kind: "index" as const,
      name: "ix",
      columns: ["body"],
      dialectOptions: { mysql: { prefix: "FULLTEXT" } },
    };
    const btree = { kind: "index" as const, name: "ix", columns: ["body"] };
    expect(sameIndexKind(index("ix", ["body"], { mysql: { prefix: "FULLTEXT" } }), fulltext)).toBe(true);
    expect(sameIndexKind(index("ix", ["body"], { mysql: { prefix: "FULLTEXT" } }), btree)).toBe(false);
    expect(sameIndexKind(index("ix", ["body"]), fulltext)).toBe(true);
  });
});
