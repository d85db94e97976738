import { createHash } from "node:crypto";
import {
  bigInteger,
  boolean,
  type ColumnType,
  type CompareOptions,
  compareSchemas,
  customType,
  type Dialect,
  dateTime,
  describeDiff,
  enumType,
  index,
  integer,
  numeric,
  type ReflectedColumn,
  type ReflectedSchema,
  type ReflectedTable,
  string,
  type TableDefinition,
  table,
  column,
  text,
} from "@retort/core";
import { driver as postgresDriver } from "@retort/postgres";
import { driver as sqliteDriver } from "@retort/sqlite";
import { describe, expect, it } from "vitest";

/**
 * Autogenerate's comparison with each dialect's own facts (type synonyms,
 * SQLite's rowid alias, PostgreSQL's name length): pure, no database. Core
 * knows none of them; each dialect's introspector and compiler give them.
 */
const dialects = { postgresql: postgresDriver.dialect, sqlite: sqliteDriver.dialect } as const;

const typeText = (dialect: Dialect) => (type: ColumnType) => dialect.typeText?.(type) ?? type.kind;

/** A reflected table: `table(...)` whose columns carry the type as the database reports it. */
function reflected(definition: TableDefinition, reported: Record<string, string> = {}): ReflectedTable {
  return {
    ...definition,
    columns: definition.columns.map(
      (item): ReflectedColumn => ({
        ...item,
        reportedType: reported[item.name] ?? typeText(dialects.postgresql)(item.type),
      }),
    ),
    indexes: definition.indexes,
  };
}

function live(...tables: ReflectedTable[]): ReflectedSchema {
  return { tables, enums: [] };
}

function lines(
  declared: TableDefinition[],
  database: ReflectedSchema,
  options: Partial<CompareOptions> & { dialect?: Dialect } = {},
): string[] {
  const dialect = options.dialect ?? dialects.postgresql;
  return compareSchemas({ tables: declared }, database, { ...options, dialect }).map((diff) =>
    describeDiff(diff, typeText(dialect)),
  );
}

describe("compareSchemas: type synonyms", () => {
  const cases: { dialect: "postgresql" | "sqlite"; declared: ColumnType; reported: string; differs: boolean }[] = [
    { dialect: "postgresql", declared: integer(), reported: "int4", differs: false },
    { dialect: "postgresql", declared: integer(), reported: "integer", differs: false },
    { dialect: "postgresql", declared: bigInteger(), reported: "int8", differs: false },
    { dialect: "postgresql", declared: integer(), reported: "int8", differs: true },
    { dialect: "postgresql", declared: string(255), reported: "character varying(255)", differs: false },
    { dialect: "postgresql", declared: string(), reported: "character varying(255)", differs: false },
    { dialect: "postgresql", declared: string(10), reported: "character varying(20)", differs: true },
    { dialect: "postgresql", declared: numeric(10, 2), reported: "numeric(10,2)", differs: false },
    { dialect: "postgresql", declared: numeric(10, 2), reported: "numeric(12,2)", differs: true },
    {
      dialect: "postgresql",
      declared: dateTime({ timezone: true }),
      reported: "timestamp with time zone",
      differs: false,
    },
    { dialect: "postgresql", declared: dateTime(), reported: "timestamp with time zone", differs: true },
    { dialect: "postgresql", declared: dateTime(), reported: "timestamp(6) without time zone", differs: false },
    { dialect: "postgresql", declared: boolean(), reported: "bool", differs: false },
    { dialect: "postgresql", declared: customType("DOUBLE PRECISION"), reported: "float8", differs: false },
    { dialect: "postgresql", declared: customType("CITEXT"), reported: "citext", differs: false },
    { dialect: "postgresql", declared: enumType("mood", ["ok"]), reported: "mood", differs: false },
    { dialect: "sqlite", declared: integer(), reported: "INTEGER", differs: false },
    { dialect: "sqlite", declared: integer(), reported: "INT", differs: false },
    { dialect: "sqlite", declared: string(36), reported: "VARCHAR(36)", differs: false },
    { dialect: "sqlite", declared: dateTime({ timezone: true }), reported: "DATETIME", differs: false },
    { dialect: "sqlite", declared: text(), reported: "VARCHAR(20)", differs: true },
    { dialect: "sqlite", declared: numeric(10, 2), reported: "DECIMAL(10, 2)", differs: false },
  ];
  it.each(cases)(
    "$dialect: $reported as $declared.kind differs: $differs",
    ({ dialect, declared, reported, differs }) => {
      const database = {
        ...live(reflected(table("t", column("c", customType(reported))), { c: reported })),
        enums: declared.kind === "enum" ? [{ name: declared.name, values: declared.values }] : [],
      };
      const result = lines([table("t", column("c", declared))], database, {
        dialect: dialects[dialect],
        nativeEnum: dialect === "postgresql",
      });
      expect(result.length).toBe(differs ? 1 : 0);
    },
  );
});

describe("compareSchemas: what a database writes back differently", () => {
  it("SQLite's rowid alias reads back as INTEGER for any integer primary key", () => {
    const declared = table("t", column("id", bigInteger(), { primaryKey: true, autoincrement: true }));
    const database = live(reflected(table("t", column("id", integer(), { primaryKey: true })), { id: "INTEGER" }));
    expect(lines([declared], database, { dialect: dialects.sqlite })).toEqual([]);
    // Elsewhere, or on a column that is not the rowid, the type counts.
    expect(lines([declared], database, { dialect: dialects.postgresql })).toHaveLength(1);
    const plain = table("t", column("id", integer(), { primaryKey: true }), column("n", bigInteger()));
    const plainLive = live(
      reflected(table("t", column("id", integer(), { primaryKey: true }), column("n", integer())), { n: "INTEGER" }),
    );
    expect(lines([plain], plainLive, { dialect: dialects.sqlite })).toEqual([
      "('modify_type', None, 't', 'n', INTEGER -> BIGINT)",
    ]);
  });
});

describe("compareSchemas: PostgreSQL's name length", () => {
  it("a long generated index name is shortened as the compiler does; a declared one is cut at 63", () => {
    const long = "a_column_with_a_rather_long_name_for_an_index_of_its_own_really";
    const declared = table(
      "events",
      column("id", integer(), { primaryKey: true }),
      column(long, integer(), { index: true }),
      index(`ix_declared_${long}`, [long]),
    );
    const generatedName = `ix_events_${long}`;
    expect(generatedName.length).toBeGreaterThan(63);
    const database = live(
      reflected(
        table(
          "events",
          column("id", integer(), { primaryKey: true }),
          column(long, integer()),
          index(`${generatedName.slice(0, 55)}_${createHash("md5").update(generatedName).digest("hex").slice(-4)}`, [
            long,
          ]),
          index(`ix_declared_${long}`.slice(0, 63), [long]),
        ),
      ),
    );
    expect(lines([declared], database)).toEqual([]);
    // Elsewhere names are compared as written.
    expect(lines([declared], database, { dialect: dialects.sqlite })).toHaveLength(4);
  });
});
