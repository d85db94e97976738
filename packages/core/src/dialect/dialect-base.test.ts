import { describe, expect, it } from "vitest";
import { UnknownOptionError } from "../errors/unknown-option-error.js";
import { UnsupportedOperationError } from "../errors/database-error.js";
import type { CreateIndexOperation, Operation } from "../operations/operation.js";
import type { ColumnType } from "../schema/column-type.js";
import { date, dateTime, integer, string } from "../schema/column-type.js";
import {
  currentDate,
  currentTime,
  currentTimestamp,
  type PortableSqlFunction,
  sql as sqlText,
} from "../schema/sql-expression.js";
import { column } from "../schema/table-elements.js";
import { table } from "../schema/table.js";
import { DdlCompilerBase } from "./ddl-compiler-base.js";
import { DEFAULT_CAPABILITIES, DialectBase, defineCapabilities } from "./dialect-base.js";

declare module "../driver/driver.js" {
  interface DialectNames {
    tiny: true;
  }
}

/** The smallest dialect: a name, a type renderer and a parameter limit; everything else is the base's. */
class TinyCompiler extends DdlCompilerBase {
  protected override readonly maxParameters = 100;

  protected override renderType(type: ColumnType): string {
    return type.kind.toUpperCase();
  }

  protected override toColumnValue(value: unknown): unknown {
    return value;
  }

  /** A dialect that warns about an option, as PostgreSQL does about its deprecated top-level forms. */
  protected override indexOptions(operation: CreateIndexOperation): Readonly<Record<string, unknown>> {
    if (operation.unique === true) this.warn("unique indexes are slow here");
    return super.indexOptions(operation);
  }
}

class TinyDialect extends DialectBase {
  readonly name = "tiny";
  readonly databaseName = "TinyDB";

  protected override createCompiler(): DdlCompilerBase {
    return new TinyCompiler(this);
  }
}

const sql = (dialect: DialectBase, operation: Operation) => dialect.compile(operation).map((entry) => entry.sql);

describe("DialectBase", () => {
  it("gives the default capabilities, standard quoting, literals and ? placeholders", () => {
    const dialect = new TinyDialect();
    expect(dialect.capabilities).toBe(DEFAULT_CAPABILITIES);
    expect(dialect.quoteIdentifier('a "b"')).toBe('"a ""b"""');
    expect(dialect.renderLiteral("it's")).toBe("'it''s'");
    expect(dialect.renderLiteral(true)).toBe("TRUE");
    expect(dialect.renderLiteral(new Uint8Array([1, 255]))).toBe("X'01FF'");
    expect(dialect.renderLiteral([1, "a"])).toBe(`'[1,"a"]'`);
    expect(() => dialect.renderLiteral(Number.NaN)).toThrow("Cannot render NaN as a TinyDB literal");
    expect(dialect.placeholder(3)).toBe("?");
  });

  it("lets a dialect set only the capabilities that differ", () => {
    expect(defineCapabilities({ schemas: true })).toEqual({ ...DEFAULT_CAPABILITIES, schemas: true });
  });

  it("compiles standard SQL from the base alone", () => {
    const dialect = new TinyDialect();
    expect(
      sql(dialect, {
        kind: "createTable",
        table: table("t", column("id", integer(), { primaryKey: true }), column("name", string(), { index: true })),
      }),
    ).toEqual([
      'CREATE TABLE "t" (\n  "id" INTEGER NOT NULL,\n  "name" STRING,\n  PRIMARY KEY ("id")\n)',
      'CREATE INDEX "ix_t_name" ON "t" ("name")',
    ]);
    expect(sql(dialect, { kind: "alterColumn", table: "t", column: "name", nullable: false })).toEqual([
      'ALTER TABLE "t" ALTER COLUMN "name" SET NOT NULL',
    ]);
  });

  it("writes portable functions in the SQL standard's spelling, or as a dialect overrides them", () => {
    class OddDialect extends TinyDialect {
      override renderSqlFunction(name: PortableSqlFunction): string {
        return name === "currentTimestamp" ? "GETDATE()" : super.renderSqlFunction(name);
      }
    }
    const create = {
      kind: "createTable",
      table: table(
        "t",
        column("at", dateTime(), { serverDefault: currentTimestamp() }),
        column("on", date(), { serverDefault: currentDate() }),
        column("by", string(), { serverDefault: sqlText`CURRENT_USER` }),
      ),
    } as const;
    const rows = {
      kind: "bulkInsert",
      table: "t",
      rows: [{ at: currentTimestamp(), on: currentDate(), by: "me" }],
    } as const;
    const standard = new TinyDialect();
    expect(standard.renderLiteral(currentTimestamp())).toBe("CURRENT_TIMESTAMP");
    expect(standard.renderLiteral(currentTime())).toBe("CURRENT_TIME");
    expect(sql(standard, create)[0]).toBe(
      'CREATE TABLE "t" (\n  "at" DATETIME DEFAULT CURRENT_TIMESTAMP,\n  "on" DATE DEFAULT CURRENT_DATE,\n  "by" STRING DEFAULT CURRENT_USER\n)',
    );
    const odd = new OddDialect();
    expect(odd.renderLiteral(currentTimestamp())).toBe("GETDATE()");
    expect(odd.renderLiteral(sqlText`CURRENT_TIMESTAMP`)).toBe("CURRENT_TIMESTAMP");
    expect(sql(odd, create)[0]).toContain('"at" DATETIME DEFAULT GETDATE(),');
    // In VALUES an expression is written into the SQL and takes no parameter.
    expect(odd.compile(rows)).toEqual([
      { sql: 'INSERT INTO "t" ("at", "on", "by") VALUES (GETDATE(), CURRENT_DATE, ?)', parameters: ["me"] },
    ]);
  });

  it("refuses what the capabilities rule out, naming the database", () => {
    const dialect = new TinyDialect();
    expect(() => sql(dialect, { kind: "dropTable", table: "t", schema: "s" })).toThrow(
      'TinyDB has no schemas: dropTable on "t" was given schema "s"',
    );
    expect(() => sql(dialect, { kind: "createTableComment", table: "t", comment: "c" })).toThrow(
      UnsupportedOperationError,
    );
    expect(() =>
      sql(dialect, {
        kind: "createExcludeConstraint",
        name: "ex",
        table: "t",
        elements: [{ expression: "a", operator: "=" }],
      }),
    ).toThrow("TinyDB has no EXCLUDE constraints");
  });

  it("ignores other dialects' options and rejects unknown keys in its own block", () => {
    const dialect = new TinyDialect();
    const index = { kind: "createIndex", name: "ix", table: "t", columns: ["a"] } as const;
    expect(sql(dialect, { ...index, dialectOptions: { postgresql: { using: "gin" } } })).toEqual([
      'CREATE INDEX "ix" ON "t" ("a")',
    ]);
    expect(() => sql(dialect, { ...index, dialectOptions: { tiny: { fast: true } } })).toThrow(UnknownOptionError);
    expect(() => sql(dialect, { ...index, dialectOptions: { tiny: { fast: true } } })).toThrow(
      `Unknown option 'fast' in tiny of op.createIndex("ix", ...)`,
    );
  });

  it("ignores other dialects' table options and refuses any key in its own block by default", () => {
    const dialect = new TinyDialect();
    const create = (options: Record<string, unknown>): Operation => ({
      kind: "createTable",
      table: { ...table("t", column("a", integer())), options },
    });
    expect(sql(dialect, create({ mysql: { engine: "InnoDB" } }))).toEqual(['CREATE TABLE "t" (\n  "a" INTEGER\n)']);
    expect(() => sql(dialect, create({ tiny: { fast: true } }))).toThrow(
      `Unknown option 'fast' in tiny of op.createTable("t", ...)`,
    );
  });

  it("sends a warning once per dialect object, through compile's warn or the dialect's channel", () => {
    const index = { kind: "createIndex", name: "ix", table: "t", columns: ["a"], unique: true } as const;
    const received: string[] = [];
    const dialect = new TinyDialect({ onWarning: (message) => received.push(message) });
    dialect.compile(index);
    dialect.compile(index);
    expect(received).toEqual(["unique indexes are slow here"]);
    const given: string[] = [];
    new TinyDialect().compile(index, { warn: (message) => given.push(message) });
    expect(given).toEqual(["unique indexes are slow here"]);
  });
});
