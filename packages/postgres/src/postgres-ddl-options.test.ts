import { integer, type Operation, UnknownOptionError } from "@retort/core";
import { describe, expect, it } from "vitest";
import { PostgresDialect } from "./postgres-dialect.js";
import { PostgresUnsupportedOperationError } from "./postgres-errors.js";

const index = { kind: "createIndex", name: "ix", table: "t", columns: ["a"] } as const;

function compile(operation: Operation, warnings: string[] = []): string[] {
  return new PostgresDialect()
    .compile(operation, { warn: (message) => warnings.push(message) })
    .map((statement) => statement.sql);
}

describe("options keyed by dialect: { postgresql: {...} }", () => {
  it("reads concurrently, using and include from the postgresql block", () => {
    const warnings: string[] = [];
    expect(
      compile(
        { ...index, dialectOptions: { postgresql: { concurrently: true, using: "GIN", include: ["b"] } } },
        warnings,
      ),
    ).toEqual(['CREATE INDEX CONCURRENTLY "ix" ON "t" USING gin ("a") INCLUDE ("b")']);
    expect(warnings).toEqual([]);
  });

  it("ignores the other dialects' blocks", () => {
    expect(compile({ ...index, dialectOptions: { mysql: { length: 10 }, sqlite: { anything: 1 } } })).toEqual([
      'CREATE INDEX "ix" ON "t" ("a")',
    ]);
  });

  it("rejects an unknown key in its block, naming the closest", () => {
    const run = () => compile({ ...index, dialectOptions: { postgresql: { concurently: true } } });
    expect(run).toThrow(UnknownOptionError);
    expect(run).toThrow(
      `Unknown option 'concurently' in postgresql of op.createIndex("ix", ...): did you mean 'concurrently'? Valid options: concurrently, using, include`,
    );
    expect(() =>
      compile({
        kind: "alterColumn",
        table: "t",
        column: "c",
        type: integer(),
        dialectOptions: { postgresql: { usin: "x" } },
      }),
    ).toThrow(`Unknown option 'usin' in postgresql of op.alterColumn("t.c", ...): did you mean 'using'?`);
  });

  it("reads alterColumn's using from the block", () => {
    expect(
      compile({
        kind: "alterColumn",
        table: "t",
        column: "c",
        type: integer(),
        dialectOptions: { postgresql: { using: "c::integer" } },
      }),
    ).toEqual(['ALTER TABLE "t" ALTER COLUMN "c" TYPE INTEGER USING c::integer']);
    expect(() =>
      compile({
        kind: "alterColumn",
        table: "t",
        column: "c",
        nullable: true,
        dialectOptions: { postgresql: { using: "x" } },
      }),
    ).toThrow(PostgresUnsupportedOperationError);
  });

  it("keeps the deprecated top-level options working, warning once per dialect object", () => {
    const received: string[] = [];
    const dialect = new PostgresDialect({ onWarning: (message) => received.push(message) });
    const sql = (operation: Operation) => dialect.compile(operation).map((statement) => statement.sql);
    expect(sql({ ...index, using: "gin" })).toEqual(['CREATE INDEX "ix" ON "t" USING gin ("a")']);
    expect(sql({ ...index, name: "ix2", using: "brin" })).toEqual(['CREATE INDEX "ix2" ON "t" USING brin ("a")']);
    expect(sql({ kind: "alterColumn", table: "t", column: "c", type: integer(), using: "c::int" })).toEqual([
      'ALTER TABLE "t" ALTER COLUMN "c" TYPE INTEGER USING c::int',
    ]);
    expect(received).toEqual([
      "op.createIndex: the top-level option 'using' is deprecated and will be removed in the next release; " +
        "pass it as { postgresql: { using: ... } }, which other databases ignore",
      "op.alterColumn: the top-level option 'using' is deprecated and will be removed in the next release; " +
        "pass it as { postgresql: { using: ... } }, which other databases ignore",
    ]);
  });
});
