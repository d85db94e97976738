import { type Operation, column, integer, sql, string, table } from "@retort/core";
import { describe, expect, it } from "vitest";
import { MysqlDialect } from "./mysql-dialect.js";
import { MysqlUnsupportedOperationError } from "./mysql-errors.js";

const mysql = new MysqlDialect();
const mariadb = new MysqlDialect({ flavor: "mariadb" });

function compile(operation: Operation, dialect: MysqlDialect = mysql): string[] {
  return dialect.compile(operation).map((statement) => statement.sql);
}

const base = { kind: "alterColumn", table: "items", column: "total" } as const;

describe("alterColumn of a generated column (existingComputed)", () => {
  const comment = {
    ...base,
    comment: "derived",
    existingType: integer(),
    existingNullable: true,
    existingComputed: sql`price * qty`,
  } as const;

  it("restates GENERATED ALWAYS AS (...) STORED in the MODIFY, so the column stays generated", () => {
    expect(compile(comment)).toEqual([
      "ALTER TABLE `items` MODIFY `total` INTEGER GENERATED ALWAYS AS (price * qty) STORED NULL COMMENT 'derived'",
    ]);
  });

  it("says neither NULL nor NOT NULL after it on MariaDB, which refuses both there", () => {
    expect(compile(comment, mariadb)).toEqual([
      "ALTER TABLE `items` MODIFY `total` INTEGER GENERATED ALWAYS AS (price * qty) STORED COMMENT 'derived'",
    ]);
    expect(() => compile({ ...comment, nullable: false }, mariadb)).toThrow(
      /column "total" of "items" is generated .*MariaDB has no NOT NULL generated columns/,
    );
  });

  it("says VIRTUAL for { expression, stored: false }, and keeps the existing comment", () => {
    expect(
      compile({
        ...base,
        type: string(20),
        existingNullable: true,
        existingComment: "derived",
        existingComputed: { expression: sql`concat(price, 'x')`, stored: false },
      }),
    ).toEqual([
      "ALTER TABLE `items` MODIFY `total` VARCHAR(20) GENERATED ALWAYS AS (concat(price, 'x')) VIRTUAL NULL COMMENT 'derived'",
    ]);
  });

  it("restates it in a CHANGE COLUMN too", () => {
    expect(
      compile({
        ...base,
        newColumnName: "amount",
        nullable: false,
        existingType: integer(),
        existingComputed: { expression: sql`price * qty`, stored: true },
      }),
    ).toEqual([
      "ALTER TABLE `items` CHANGE COLUMN `total` `amount` INTEGER GENERATED ALWAYS AS (price * qty) STORED NOT NULL",
    ]);
  });

  it("leaves a plain column's MODIFY as it was", () => {
    expect(compile({ ...base, comment: "x", existingType: integer(), existingNullable: true })).toEqual([
      "ALTER TABLE `items` MODIFY `total` INTEGER NULL COMMENT 'x'",
    ]);
  });

  it("refuses a server default or AUTO_INCREMENT on a generated column, naming it", () => {
    const generated = { existingType: integer(), existingNullable: true, existingComputed: sql`price * qty` };
    expect(() => compile({ ...base, ...generated, serverDefault: 0 })).toThrow(MysqlUnsupportedOperationError);
    expect(() => compile({ ...base, ...generated, serverDefault: 0 })).toThrow(
      /op\.alterColumn\("items", "total"\): column "total" of "items" is generated .*no server default to set/,
    );
    expect(() => compile({ ...base, ...generated, serverDefault: null })).toThrow(/no server default to drop/);
    // The default alone (ALTER COLUMN ... SET DEFAULT) too.
    expect(() => compile({ ...base, existingComputed: sql`price * qty`, serverDefault: 1 }, mariadb)).toThrow(
      /no server default to set/,
    );
    expect(() => compile({ ...base, ...generated, comment: "x", existingServerDefault: 0 })).toThrow(
      /leave existingServerDefault out/,
    );
    expect(() => compile({ ...base, ...generated, autoincrement: true })).toThrow(/cannot be AUTO_INCREMENT/);
  });

  it("takes it from copyFrom in a batch block", () => {
    const items = table(
      "items",
      column("id", integer(), { primaryKey: true }),
      column("price", integer()),
      column("total", integer(), { computed: sql`price * 2` }),
    );
    expect(
      compile({
        kind: "batchAlterTable",
        table: "items",
        options: { copyFrom: items },
        steps: [{ kind: "alterColumn", table: "items", column: "total", comment: "doubled" }],
      } as unknown as Operation),
    ).toEqual([
      "ALTER TABLE `items` MODIFY `total` INTEGER GENERATED ALWAYS AS (price * 2) STORED NULL COMMENT 'doubled'",
    ]);
  });
});

describe("a generated column created on MariaDB (createTable, addColumn)", () => {
  const price = column("price", integer());
  const doubled = (options: Parameters<typeof column>[2] = {}) =>
    column("total", integer(), { computed: sql`price * 2`, ...options });

  it("is written without NOT NULL, and a nullable: false one is refused naming it (MariaDB's syntax error)", () => {
    const create = { kind: "createTable", table: table("items", price, doubled()) } as const;
    expect(compile(create, mariadb)).toEqual([
      "CREATE TABLE `items` (\n  `price` INTEGER,\n  `total` INTEGER GENERATED ALWAYS AS (price * 2) STORED\n)",
    ]);
    const notNull = { kind: "createTable", table: table("items", price, doubled({ nullable: false })) } as const;
    expect(() => compile(notNull, mariadb)).toThrow(MysqlUnsupportedOperationError);
    expect(() => compile(notNull, mariadb)).toThrow(
      /Column "total" of table "items" is generated \(computed: price \* 2\), and MariaDB has no NOT NULL generated columns/,
    );
    const added = { kind: "addColumn", table: "items", column: doubled({ nullable: false }) } as const;
    expect(() => compile(added, mariadb)).toThrow(/MariaDB has no NOT NULL generated columns/);
    // MySQL takes it.
    expect(compile(notNull)[0]).toContain("`total` INTEGER GENERATED ALWAYS AS (price * 2) STORED NOT NULL");
  });

  it("is refused in a primary key, which MariaDB refuses (error 1903)", () => {
    const keyed = { kind: "createTable", table: table("items", price, doubled({ primaryKey: true })) } as const;
    expect(() => compile(keyed, mariadb)).toThrow(/does not take a generated column in a primary key/);
  });
});
