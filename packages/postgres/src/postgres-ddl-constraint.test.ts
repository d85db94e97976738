import { type ConstraintType, type Operation, sql } from "@retort/core";
import { describe, expect, it } from "vitest";
import { PostgresDialect } from "./postgres-dialect.js";
import { PostgresUnsupportedOperationError } from "./postgres-errors.js";

const dialect = new PostgresDialect();

function compile(operation: Operation): string[] {
  return dialect.compile(operation).map((statement) => statement.sql);
}

describe("createUniqueConstraint, createCheckConstraint, createPrimaryKey", () => {
  it("adds named constraints", () => {
    expect(compile({ kind: "createUniqueConstraint", name: "uq_t_a_b", table: "t", columns: ["a", "b"] })).toEqual([
      'ALTER TABLE "t" ADD CONSTRAINT "uq_t_a_b" UNIQUE ("a", "b")',
    ]);
    expect(
      compile({ kind: "createCheckConstraint", name: "ck_t", table: "t", condition: sql`a > 0`, schema: "s" }),
    ).toEqual(['ALTER TABLE "s"."t" ADD CONSTRAINT "ck_t" CHECK (a > 0)']);
    expect(compile({ kind: "createPrimaryKey", name: "pk_t", table: "t", columns: ["id"] })).toEqual([
      'ALTER TABLE "t" ADD CONSTRAINT "pk_t" PRIMARY KEY ("id")',
    ]);
  });

  it("writes DEFERRABLE and INITIALLY on a unique constraint", () => {
    const base = { kind: "createUniqueConstraint", name: "uq", table: "t", columns: ["a"] } as const;
    expect(compile({ ...base, deferrable: true, initially: "DEFERRED" })).toEqual([
      'ALTER TABLE "t" ADD CONSTRAINT "uq" UNIQUE ("a") DEFERRABLE INITIALLY DEFERRED',
    ]);
    expect(compile({ ...base, deferrable: false })).toEqual([
      'ALTER TABLE "t" ADD CONSTRAINT "uq" UNIQUE ("a") NOT DEFERRABLE',
    ]);
    expect(compile({ ...base, initially: "DEFERRED" })).toEqual([
      'ALTER TABLE "t" ADD CONSTRAINT "uq" UNIQUE ("a") DEFERRABLE INITIALLY DEFERRED',
    ]);
    expect(() => compile({ ...base, deferrable: false, initially: "DEFERRED" })).toThrow(/NOT DEFERRABLE/);
    expect(() => compile({ ...base, columns: [] })).toThrow(/at least one column/);
  });
});

describe("createForeignKey", () => {
  it("writes every option in PostgreSQL's order, with both schemas", () => {
    expect(
      compile({
        kind: "createForeignKey",
        name: "fk_orders_users",
        sourceTable: "orders",
        referentTable: "users",
        localColumns: ["user_id", "tenant"],
        remoteColumns: ["id", "tenant"],
        onDelete: "CASCADE",
        onUpdate: "SET NULL",
        deferrable: true,
        initially: "DEFERRED",
        match: "FULL",
        sourceSchema: "shop",
        referentSchema: "auth",
      }),
    ).toEqual([
      'ALTER TABLE "shop"."orders" ADD CONSTRAINT "fk_orders_users" FOREIGN KEY ("user_id", "tenant") ' +
        'REFERENCES "auth"."users" ("id", "tenant") MATCH FULL ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED',
    ]);
  });

  it("writes the minimal form, keeping a dotted table name as one name", () => {
    expect(
      compile({
        kind: "createForeignKey",
        name: "fk",
        sourceTable: "a",
        referentTable: "odd.name",
        localColumns: ["b_id"],
        remoteColumns: ["id"],
      }),
    ).toEqual(['ALTER TABLE "a" ADD CONSTRAINT "fk" FOREIGN KEY ("b_id") REFERENCES "odd.name" ("id")']);
  });

  it("refuses MATCH PARTIAL and mismatched column counts", () => {
    const base = {
      kind: "createForeignKey",
      name: "fk",
      sourceTable: "a",
      referentTable: "b",
      localColumns: ["x"],
      remoteColumns: ["id"],
    } as const;
    expect(() => compile({ ...base, match: "PARTIAL" })).toThrow(PostgresUnsupportedOperationError);
    expect(() => compile({ ...base, remoteColumns: ["id", "y"] })).toThrow(/counts must match/);
  });
});

describe("createExcludeConstraint", () => {
  it("writes EXCLUDE USING gist with columns, expressions, WHERE and deferrability", () => {
    expect(
      compile({
        kind: "createExcludeConstraint",
        name: "no_overlap",
        table: "booking",
        schema: "app",
        elements: [
          { expression: "room", operator: "=" },
          { expression: "during", operator: "&&" },
        ],
        where: sql`NOT cancelled`,
        deferrable: true,
      }),
    ).toEqual([
      'ALTER TABLE "app"."booking" ADD CONSTRAINT "no_overlap" EXCLUDE USING gist ("room" WITH =, "during" WITH &&) WHERE (NOT cancelled) DEFERRABLE',
    ]);
    expect(
      compile({
        kind: "createExcludeConstraint",
        name: "ex",
        table: "t",
        using: "SPGIST",
        elements: [{ expression: sql`box(p, p)`, operator: "OPERATOR(pg_catalog.&&)" }],
      }),
    ).toEqual(['ALTER TABLE "t" ADD CONSTRAINT "ex" EXCLUDE USING spgist (box(p, p) WITH OPERATOR(pg_catalog.&&))']);
  });

  it("refuses an operator or access method that would inject SQL, and no elements", () => {
    const base = { kind: "createExcludeConstraint", name: "ex", table: "t" } as const;
    expect(() => compile({ ...base, elements: [{ expression: "a", operator: "=); DROP TABLE x; --" }] })).toThrow(
      /not an operator/,
    );
    expect(() => compile({ ...base, using: "gist; --", elements: [{ expression: "a", operator: "=" }] })).toThrow(
      /access method/,
    );
    expect(() => compile({ ...base, elements: [] })).toThrow(/at least one element/);
  });
});

describe("dropConstraint", () => {
  it("drops any type with one statement, with IF EXISTS and a schema", () => {
    for (const type of ["foreignkey", "primary", "unique", "check", undefined] as const) {
      expect(compile({ kind: "dropConstraint", name: "c", table: "t", ...(type ? { type } : {}) })).toEqual([
        'ALTER TABLE "t" DROP CONSTRAINT "c"',
      ]);
    }
    expect(compile({ kind: "dropConstraint", name: "c", table: "t", schema: "s", ifExists: true })).toEqual([
      'ALTER TABLE "s"."t" DROP CONSTRAINT IF EXISTS "c"',
    ]);
  });

  it("refuses an unknown type, as Alembic does", () => {
    expect(() =>
      compile({ kind: "dropConstraint", name: "c", table: "t", type: "index" as unknown as ConstraintType }),
    ).toThrow(/type can be one of/);
  });
});

describe("createIndex options", () => {
  it("writes CONCURRENTLY, USING, INCLUDE and WHERE in the grammar's order", () => {
    expect(
      compile({
        kind: "createIndex",
        name: "ix_docs_body",
        table: "docs",
        schema: "app",
        columns: ["body"],
        unique: true,
        concurrently: true,
        ifNotExists: true,
        using: "GIN",
        include: ["id", "title"],
        where: "deleted_at IS NULL",
      }),
    ).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "ix_docs_body" ON "app"."docs" USING gin ("body") INCLUDE ("id", "title") WHERE deleted_at IS NULL',
    ]);
    expect(
      compile({ kind: "createIndex", name: "ix", table: "t", columns: ["a"], using: "brin", include: [] }),
    ).toEqual(['CREATE INDEX "ix" ON "t" USING brin ("a")']);
    expect(() => compile({ kind: "createIndex", name: "ix", table: "t", columns: ["a"], using: "x y" })).toThrow(
      /access method/,
    );
  });
});
