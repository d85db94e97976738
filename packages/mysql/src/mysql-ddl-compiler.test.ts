import {
  type Operation,
  type TableElement,
  type TableOptions,
  bigInteger,
  binary,
  boolean,
  check,
  column,
  date,
  dateTime,
  enumType,
  foreignKey,
  index,
  integer,
  json,
  numeric,
  sql,
  string,
  table,
  text,
  unique,
  uuid,
  versionTableOperation,
} from "@retort/core";
import { describe, expect, it } from "vitest";
import { MysqlDialect } from "./mysql-dialect.js";
import { MysqlUnsupportedOperationError } from "./mysql-errors.js";
import { hasNoBackslashEscapes } from "./mysql-parameters.js";

const mysql = new MysqlDialect();
const mariadb = new MysqlDialect({ flavor: "mariadb" });

function createTable(name: string, ...elements: (TableElement | TableOptions)[]): Operation {
  return { kind: "createTable", table: table(name, ...elements) };
}

function compile(operation: Operation, dialect: MysqlDialect = mysql): string[] {
  return dialect.compile(operation).map((statement) => statement.sql);
}

describe("dialect", () => {
  it("quotes with backticks, doubling them, and refuses names over 64 characters", () => {
    expect(mysql.quoteIdentifier("my`table")).toBe("`my``table`");
    expect(() => mysql.quoteIdentifier("x".repeat(65))).toThrow(/at most 64/);
  });

  it("doubles backslashes and quotes in string literals, and writes dates as DATETIME text in UTC", () => {
    expect(mysql.renderLiteral("it's a\\b")).toBe("'it''s a\\\\b'");
    // A NUL byte as `\0` (a client refuses a raw one in a script).
    expect(mysql.renderLiteral("a\0b")).toBe("'a\\0b'");
    expect(mysql.renderLiteral(new Date("2024-01-02T03:04:05.678Z"))).toBe("'2024-01-02 03:04:05.678'");
    expect(mysql.renderLiteral(true)).toBe("TRUE");
    expect(mysql.placeholder(3)).toBe("?");
  });

  it("only doubles quotes for a session in NO_BACKSLASH_ESCAPES", () => {
    const plain = new MysqlDialect({ backslashEscapes: false });
    expect(plain.renderLiteral("it's a\\b")).toBe("'it''s a\\b'");
    expect(plain.renderLiteral("a\0b")).toBe("'a\0b'");
    expect(hasNoBackslashEscapes("STRICT_TRANS_TABLES,no_backslash_escapes")).toBe(true);
    expect(hasNoBackslashEscapes("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES_X")).toBe(false);
    expect(hasNoBackslashEscapes(null)).toBe(false);
  });

  it("is not transactional for DDL; MariaDB has the IF [NOT] EXISTS forms", () => {
    expect(mysql.name).toBe("mysql");
    expect(mariadb.name).toBe("mysql");
    expect(mysql.capabilities.transactionalDdl).toBe(false);
    expect(mysql.capabilities.ifNotExists).toBe(false);
    expect(mariadb.capabilities.ifNotExists).toBe(true);
    expect(mariadb.databaseName).toBe("MariaDB");
  });

  it("looks tables up in the connection's database", () => {
    const query = mysql.relationKindQuery("alembic_version");
    expect(query.sql).toContain("table_schema = DATABASE()");
    expect(query.parameters).toEqual(["alembic_version"]);
  });
});

describe("createTable", () => {
  it("writes Alembic's version table", () => {
    expect(compile(versionTableOperation({ name: "alembic_version", primaryKey: true }))).toEqual([
      "CREATE TABLE `alembic_version` (\n  `version_num` VARCHAR(32) NOT NULL,\n  CONSTRAINT `alembic_version_pkc` PRIMARY KEY (`version_num`)\n)",
    ]);
  });

  it("writes MySQL's types: TINYINT(1), CHAR(36), ENUM, JSON, DATETIME, BLOB", () => {
    expect(
      compile(
        createTable(
          "things",
          column("id", integer(), { primaryKey: true, autoincrement: true }),
          column("flag", boolean(), { nullable: false, serverDefault: sql`0` }),
          column("key", uuid()),
          column("mood", enumType("mood", ["happy", "sad"])),
          column("data", json()),
          column("at", dateTime({ timezone: true }), { serverDefault: sql`CURRENT_TIMESTAMP` }),
          column("day", date()),
          column("big", bigInteger()),
          column("price", numeric(10, 2)),
          column("body", text(), { comment: "the body" }),
          column("raw", binary()),
          { comment: "all the things" },
        ),
      ),
    ).toEqual([
      "CREATE TABLE `things` (\n" +
        "  `id` INTEGER NOT NULL AUTO_INCREMENT,\n" +
        "  `flag` TINYINT(1) DEFAULT 0 NOT NULL,\n" +
        "  `key` CHAR(36),\n" +
        "  `mood` ENUM('happy', 'sad'),\n" +
        "  `data` JSON,\n" +
        "  `at` DATETIME DEFAULT CURRENT_TIMESTAMP,\n" +
        "  `day` DATE,\n" +
        "  `big` BIGINT,\n" +
        "  `price` NUMERIC(10, 2),\n" +
        "  `body` TEXT COMMENT 'the body',\n" +
        "  `raw` BLOB,\n" +
        "  PRIMARY KEY (`id`)\n" +
        ") COMMENT = 'all the things'",
    ]);
  });

  it("writes constraints and indexes", () => {
    expect(
      compile(
        createTable(
          "orders",
          column("id", integer(), { primaryKey: true }),
          column("user_id", integer(), { nullable: false, references: "users.id", index: true }),
          column("code", string(20)),
          unique("code", { name: "uq_orders_code" }),
          check("id > 0", { name: "ck_orders_id" }),
          foreignKey("user_id", "users", "id", { name: "fk_orders_user", onDelete: "CASCADE" }),
          index("ix_orders_code_lower", [sql`lower(code)`]),
        ),
      ),
    ).toEqual([
      "CREATE TABLE `orders` (\n" +
        "  `id` INTEGER NOT NULL,\n" +
        "  `user_id` INTEGER NOT NULL,\n" +
        "  `code` VARCHAR(20),\n" +
        "  PRIMARY KEY (`id`),\n" +
        "  FOREIGN KEY (`user_id`) REFERENCES `users` (`id`),\n" +
        "  CONSTRAINT `uq_orders_code` UNIQUE (`code`),\n" +
        "  CONSTRAINT `ck_orders_id` CHECK (id > 0),\n" +
        "  CONSTRAINT `fk_orders_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE\n" +
        ")",
      "CREATE INDEX `ix_orders_user_id` ON `orders` (`user_id`)",
      "CREATE INDEX `ix_orders_code_lower` ON `orders` ((lower(code)))",
    ]);
  });

  it("writes { mysql: { engine, charset, collate } } after the columns and refuses unknown keys", () => {
    expect(
      compile(
        createTable("t", column("id", integer()), {
          mysql: { engine: "InnoDB", charset: "utf8mb4", collate: "utf8mb4_bin" },
        }),
      ),
    ).toEqual(["CREATE TABLE `t` (\n  `id` INTEGER\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE utf8mb4_bin"]);
    expect(compile(createTable("t", column("id", integer()), { postgresql: { tablespace: "x" } }))).toEqual([
      "CREATE TABLE `t` (\n  `id` INTEGER\n)",
    ]);
    expect(() => compile(createTable("t", column("id", integer()), { mysql: { engin: "InnoDB" } }))).toThrow(
      "Unknown option 'engin' in mysql of op.createTable(\"t\", ...): did you mean 'engine'? Valid options: engine, charset, collate",
    );
    expect(() =>
      compile(createTable("t", column("id", integer()), { mysql: { engine: "InnoDB; DROP TABLE x" } })),
    ).toThrow(MysqlUnsupportedOperationError);
  });

  it("refuses a VARCHAR without a length, naming the fix", () => {
    expect(() => compile(createTable("t", column("name", string())))).toThrow(/string\(\) needs a length on MySQL/);
  });

  it("refuses deferrable foreign keys and MATCH", () => {
    expect(() =>
      compile(createTable("t", column("a", integer()), foreignKey("a", "u", "id", { deferrable: true }))),
    ).toThrow(MysqlUnsupportedOperationError);
  });

  it("drops a table", () => {
    expect(compile({ kind: "dropTable", table: "users", ifExists: true })).toEqual(["DROP TABLE IF EXISTS `users`"]);
  });
});

describe("columns", () => {
  it("adds a column, with a foreign key in the same ALTER (MySQL ignores an inline REFERENCES)", () => {
    expect(
      compile({
        kind: "addColumn",
        table: "orders",
        column: column("owner_id", integer(), { references: "users.id", comment: "who" }),
      }),
    ).toEqual([
      "ALTER TABLE `orders` ADD COLUMN `owner_id` INTEGER COMMENT 'who', ADD FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`)",
    ]);
  });

  it("adds a column IF NOT EXISTS on MariaDB only", () => {
    const operation: Operation = { kind: "addColumn", table: "t", column: column("a", integer()), ifNotExists: true };
    expect(compile(operation, mariadb)).toEqual(["ALTER TABLE `t` ADD COLUMN IF NOT EXISTS `a` INTEGER"]);
    expect(() => compile(operation)).toThrow(/not available on MySQL/);
  });

  it("drops a column", () => {
    expect(compile({ kind: "dropColumn", table: "t", column: "a" })).toEqual(["ALTER TABLE `t` DROP COLUMN `a`"]);
  });

  it("restates the whole column with MODIFY from the existing* options", () => {
    expect(
      compile({
        kind: "alterColumn",
        table: "users",
        column: "name",
        nullable: false,
        existingType: string(50),
        existingServerDefault: "x",
        existingComment: "the name",
      }),
    ).toEqual(["ALTER TABLE `users` MODIFY `name` VARCHAR(50) NOT NULL DEFAULT 'x' COMMENT 'the name'"]);
    expect(
      compile({ kind: "alterColumn", table: "users", column: "n", type: bigInteger(), existingNullable: true }),
    ).toEqual(["ALTER TABLE `users` MODIFY `n` BIGINT NULL"]);
  });

  it("uses CHANGE COLUMN for a rename with other changes, RENAME COLUMN for a rename alone", () => {
    expect(
      compile({
        kind: "alterColumn",
        table: "users",
        column: "name",
        newColumnName: "full_name",
        type: string(100),
        existingNullable: false,
      }),
    ).toEqual(["ALTER TABLE `users` CHANGE COLUMN `name` `full_name` VARCHAR(100) NOT NULL"]);
    expect(compile({ kind: "alterColumn", table: "users", column: "name", newColumnName: "full_name" })).toEqual([
      "ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`",
    ]);
  });

  it("changes the default alone with ALTER COLUMN SET/DROP DEFAULT", () => {
    expect(compile({ kind: "alterColumn", table: "t", column: "c", serverDefault: "a" })).toEqual([
      "ALTER TABLE `t` ALTER COLUMN `c` SET DEFAULT 'a'",
    ]);
    expect(compile({ kind: "alterColumn", table: "t", column: "c", serverDefault: null })).toEqual([
      "ALTER TABLE `t` ALTER COLUMN `c` DROP DEFAULT",
    ]);
  });

  it("writes an expression default in parentheses unless it is one already, and ON UPDATE bare after it", () => {
    const modify = (serverDefault: ReturnType<typeof sql>) =>
      compile({
        kind: "alterColumn",
        table: "t",
        column: "c",
        nullable: false,
        existingType: dateTime(),
        existingServerDefault: serverDefault,
      });
    expect(modify(sql`(1) + (2)`)).toEqual(["ALTER TABLE `t` MODIFY `c` DATETIME NOT NULL DEFAULT ((1) + (2))"]);
    expect(modify(sql`(1 + 2)`)).toEqual(["ALTER TABLE `t` MODIFY `c` DATETIME NOT NULL DEFAULT (1 + 2)"]);
    expect(modify(sql`'a' || 'b'`)).toEqual(["ALTER TABLE `t` MODIFY `c` DATETIME NOT NULL DEFAULT ('a' || 'b')"]);
    expect(modify(sql`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP`)).toEqual([
      "ALTER TABLE `t` MODIFY `c` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
    ]);
    expect(modify(sql`current_timestamp(3) on update current_timestamp(3)`)).toEqual([
      "ALTER TABLE `t` MODIFY `c` DATETIME NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3)",
    ]);
  });

  it("names the missing existingType / existingNullable", () => {
    expect(() => compile({ kind: "alterColumn", table: "users", column: "name", nullable: false })).toThrow(
      /give existingType \(/,
    );
    expect(() => compile({ kind: "alterColumn", table: "users", column: "name", type: text() })).toThrow(
      /give existingNullable/,
    );
    expect(() => compile({ kind: "alterColumn", table: "users", column: "name", comment: "x" })).toThrow(
      /existingType and existingNullable/,
    );
  });
});

describe("indexes and constraints", () => {
  it("creates and drops an index (DROP INDEX needs the table)", () => {
    expect(compile({ kind: "createIndex", name: "ix_a", table: "t", columns: ["a", "b"], unique: true })).toEqual([
      "CREATE UNIQUE INDEX `ix_a` ON `t` (`a`, `b`)",
    ]);
    expect(compile({ kind: "dropIndex", name: "ix_a", table: "t" })).toEqual(["DROP INDEX `ix_a` ON `t`"]);
    expect(compile({ kind: "dropIndex", name: "ix_a", table: "t", ifExists: true }, mariadb)).toEqual([
      "DROP INDEX IF EXISTS `ix_a` ON `t`",
    ]);
    expect(() => compile({ kind: "dropIndex", name: "ix_a" })).toThrow(/needs the table/);
  });

  it("takes { mysql: { length } } as the columns' prefix length", () => {
    expect(
      compile({
        kind: "createIndex",
        name: "ix",
        table: "t",
        columns: ["body", "a"],
        dialectOptions: { mysql: { length: { body: 10 } } },
      }),
    ).toEqual(["CREATE INDEX `ix` ON `t` (`body`(10), `a`)"]);
    expect(() =>
      compile({
        kind: "createIndex",
        name: "ix",
        table: "t",
        columns: ["a"],
        dialectOptions: { mysql: { lenght: 1 } },
      }),
    ).toThrow(/did you mean 'length'/);
  });

  it("refuses PostgreSQL's deprecated top-level index options", () => {
    expect(() => compile({ kind: "createIndex", name: "ix", table: "t", columns: ["a"], using: "hash" })).toThrow(
      /CREATE INDEX USING hash is a PostgreSQL feature; MySQL has none .*\{ postgresql: \{ \.\.\. \} \}/,
    );
  });

  it("refuses partial indexes", () => {
    expect(() => compile({ kind: "createIndex", name: "ix", table: "t", columns: ["a"], where: "a > 1" })).toThrow(
      /no partial indexes/,
    );
  });

  it("adds foreign keys, unique and check constraints", () => {
    expect(
      compile({
        kind: "createForeignKey",
        name: "fk_a",
        sourceTable: "a",
        referentTable: "b",
        localColumns: ["b_id"],
        remoteColumns: ["id"],
        onDelete: "SET NULL",
      }),
    ).toEqual(["ALTER TABLE `a` ADD CONSTRAINT `fk_a` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`) ON DELETE SET NULL"]);
    expect(compile({ kind: "createUniqueConstraint", name: "uq", table: "a", columns: ["x"] })).toEqual([
      "ALTER TABLE `a` ADD CONSTRAINT `uq` UNIQUE (`x`)",
    ]);
    expect(compile({ kind: "createCheckConstraint", name: "ck", table: "a", condition: "x > 0" })).toEqual([
      "ALTER TABLE `a` ADD CONSTRAINT `ck` CHECK (x > 0)",
    ]);
  });

  it("drops each constraint type its own way", () => {
    const drop = (type: "foreignkey" | "unique" | "primary" | "check", dialect = mysql) =>
      compile({ kind: "dropConstraint", name: "c", table: "t", type }, dialect);
    expect(drop("foreignkey")).toEqual(["ALTER TABLE `t` DROP FOREIGN KEY `c`"]);
    expect(drop("unique")).toEqual(["ALTER TABLE `t` DROP INDEX `c`"]);
    expect(drop("primary")).toEqual(["ALTER TABLE `t` DROP PRIMARY KEY"]);
    expect(drop("check")).toEqual(["ALTER TABLE `t` DROP CHECK `c`"]);
    expect(drop("check", mariadb)).toEqual(["ALTER TABLE `t` DROP CONSTRAINT `c`"]);
    expect(() => compile({ kind: "dropConstraint", name: "c", table: "t" })).toThrow(/needs its type/);
  });

  it("writes table comments with ALTER TABLE ... COMMENT", () => {
    expect(compile({ kind: "createTableComment", table: "t", comment: "hi" })).toEqual([
      "ALTER TABLE `t` COMMENT = 'hi'",
    ]);
    expect(compile({ kind: "dropTableComment", table: "t" })).toEqual(["ALTER TABLE `t` COMMENT = ''"]);
  });

  it("takes a table's schema as another database, as SQLAlchemy does; CREATE SCHEMA stays refused", () => {
    expect(compile({ kind: "dropTable", table: "t", schema: "other" })).toEqual(["DROP TABLE `other`.`t`"]);
    expect(compile({ kind: "addColumn", table: "t", schema: "other", column: column("c", integer()) })).toEqual([
      "ALTER TABLE `other`.`t` ADD COLUMN `c` INTEGER",
    ]);
    expect(
      compile({
        kind: "createForeignKey",
        name: "fk",
        sourceTable: "t",
        sourceSchema: "other",
        referentTable: "u",
        referentSchema: "main",
        localColumns: ["u_id"],
        remoteColumns: ["id"],
      }),
    ).toEqual(["ALTER TABLE `other`.`t` ADD CONSTRAINT `fk` FOREIGN KEY (`u_id`) REFERENCES `main`.`u` (`id`)"]);
    expect(() => compile({ kind: "createSchema", name: "other" })).toThrow(/has no schemas/);
  });
});

describe("execute, bulkInsert and batches", () => {
  it("passes execute through", () => {
    expect(mysql.compile({ kind: "execute", sql: "UPDATE t SET a = ?", parameters: [1] })).toEqual([
      { sql: "UPDATE t SET a = ?", parameters: [1] },
    ]);
  });

  it("inserts rows with ? placeholders, converting by the declared type", () => {
    const accounts = table(
      "accounts",
      column("id", integer()),
      column("active", boolean()),
      column("meta", json()),
      column("at", dateTime()),
    );
    expect(
      mysql.compile({
        kind: "bulkInsert",
        table: accounts,
        rows: [{ id: 1, active: true, meta: { a: 1 }, at: new Date("2024-01-02T03:04:05Z") }],
      }),
    ).toEqual([
      {
        sql: "INSERT INTO `accounts` (`id`, `active`, `meta`, `at`) VALUES (?, ?, ?, ?)",
        parameters: [1, 1, '{"a":1}', "2024-01-02 03:04:05.000"],
      },
    ]);
  });

  it("splits a bulkInsert by the size of its values too, under the server's packet limit", () => {
    const rows = Array.from({ length: 10 }, (_, id) => ({ id, body: "x".repeat(300_000) }));
    const statements = mysql.compile({ kind: "bulkInsert", table: "big", rows });
    // 300,000 characters count as up to 1.2 MB each: three rows to a 4 MiB statement.
    expect(statements.map((statement) => statement.parameters.length / 2)).toEqual([3, 3, 3, 1]);
    expect(statements.flatMap((statement) => statement.parameters.filter((_, at) => at % 2 === 0))).toEqual(
      rows.map((row) => row.id),
    );
    expect(statements[0]?.sql).toBe("INSERT INTO `big` (`id`, `body`) VALUES (?, ?), (?, ?), (?, ?)");
    // Small rows still go by the parameter limit alone.
    expect(mysql.compile({ kind: "bulkInsert", table: "t", rows: [{ a: 1 }, { a: 2 }] })).toHaveLength(1);
  });

  it("runs a batch as plain ALTERs", () => {
    expect(
      compile({
        kind: "batchAlterTable",
        table: "t",
        options: {},
        steps: [
          { kind: "addColumn", table: "t", column: column("a", integer()) },
          { kind: "dropColumn", table: "t", column: "b" },
        ],
      } as unknown as Operation),
    ).toEqual(["ALTER TABLE `t` ADD COLUMN `a` INTEGER", "ALTER TABLE `t` DROP COLUMN `b`"]);
  });

  it("takes a batch step's existing* options from copyFrom, following the block's earlier steps", () => {
    const items = table(
      "items",
      column("id", integer(), { primaryKey: true }),
      column("name", string(40), { serverDefault: "x", comment: "the name" }),
      column("price", integer(), { nullable: false }),
    );
    expect(
      compile({
        kind: "batchAlterTable",
        table: "items",
        options: { copyFrom: items },
        steps: [
          { kind: "alterColumn", table: "items", column: "name", nullable: false },
          { kind: "alterColumn", table: "items", column: "name", newColumnName: "title", type: string(80) },
          { kind: "alterColumn", table: "items", column: "price", nullable: true, existingType: bigInteger() },
          { kind: "addColumn", table: "items", column: column("note", text()) },
          { kind: "alterColumn", table: "items", column: "note", nullable: false },
        ],
      } as unknown as Operation),
    ).toEqual([
      "ALTER TABLE `items` MODIFY `name` VARCHAR(40) NOT NULL DEFAULT 'x' COMMENT 'the name'",
      "ALTER TABLE `items` CHANGE COLUMN `name` `title` VARCHAR(80) NOT NULL DEFAULT 'x' COMMENT 'the name'",
      "ALTER TABLE `items` MODIFY `price` BIGINT NULL",
      "ALTER TABLE `items` ADD COLUMN `note` TEXT",
      "ALTER TABLE `items` MODIFY `note` TEXT NOT NULL",
    ]);
  });

  it("still asks for existingType in a batch without copyFrom", () => {
    expect(() =>
      compile({
        kind: "batchAlterTable",
        table: "items",
        options: {},
        steps: [{ kind: "alterColumn", table: "items", column: "name", nullable: false }],
      } as unknown as Operation),
    ).toThrow(/give existingType/);
  });
});
