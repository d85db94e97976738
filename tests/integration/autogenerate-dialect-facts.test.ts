import { createHash } from "node:crypto";
import {
  bigInteger,
  binary,
  boolean,
  type ColumnType,
  type CompareOptions,
  compareSchemas,
  customType,
  type Dialect,
  dateTime,
  describeDiff,
  enumType,
  float,
  foreignKey,
  index,
  json,
  integer,
  numeric,
  type ReflectedColumn,
  type ReflectedSchema,
  type ReflectedTable,
  sql,
  string,
  type TableDefinition,
  table,
  column,
  text,
  uuid,
} from "@retort/core";
import { driver as mysqlDriver, mariadbDriver } from "@retort/mysql";
import { driver as postgresDriver } from "@retort/postgres";
import { driver as sqliteDriver } from "@retort/sqlite";
import { describe, expect, it } from "vitest";

/**
 * Autogenerate's comparison with each dialect's own facts (type synonyms,
 * SQLite's rowid alias, PostgreSQL's name length): pure, no database. Core
 * knows none of them; each dialect's introspector and compiler give them.
 */
const dialects = {
  postgresql: postgresDriver.dialect,
  sqlite: sqliteDriver.dialect,
  mysql: mysqlDriver.dialect,
  mariadb: mariadbDriver.dialect,
} as const;

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
  const cases: { dialect: keyof typeof dialects; declared: ColumnType; reported: string; differs: boolean }[] = [
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
    { dialect: "postgresql", declared: dateTime(), reported: "timestamp(3) without time zone", differs: false },
    {
      dialect: "postgresql",
      declared: customType("TIMESTAMP(3)"),
      reported: "timestamp(6) without time zone",
      differs: true,
    },
    {
      dialect: "postgresql",
      declared: customType("TIMESTAMP(3)"),
      reported: "timestamp without time zone",
      differs: true,
    },
    {
      dialect: "postgresql",
      declared: customType("TIMESTAMP(6)"),
      reported: "timestamp without time zone",
      differs: false,
    },
    { dialect: "postgresql", declared: customType("INTERVAL(3)"), reported: "interval", differs: true },
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
    // MariaDB and MySQL 5.7 report display widths; MySQL 8.0.19+ does not.
    { dialect: "mariadb", declared: integer(), reported: "int(11)", differs: false },
    { dialect: "mysql", declared: integer(), reported: "int", differs: false },
    { dialect: "mariadb", declared: bigInteger(), reported: "bigint(20)", differs: false },
    { dialect: "mariadb", declared: integer(), reported: "bigint(20)", differs: true },
    { dialect: "mariadb", declared: boolean(), reported: "tinyint(1)", differs: false },
    { dialect: "mariadb", declared: boolean(), reported: "tinyint(4)", differs: true },
    { dialect: "mariadb", declared: customType("BOOL"), reported: "tinyint(1)", differs: false },
    { dialect: "mariadb", declared: string(255), reported: "varchar(255)", differs: false },
    { dialect: "mariadb", declared: string(100), reported: "varchar(255)", differs: true },
    { dialect: "mariadb", declared: numeric(10, 2), reported: "decimal(10,2)", differs: false },
    { dialect: "mariadb", declared: numeric(), reported: "decimal(10,0)", differs: false },
    { dialect: "mariadb", declared: numeric(12), reported: "decimal(12,0)", differs: false },
    { dialect: "mariadb", declared: float(), reported: "float", differs: false },
    { dialect: "mariadb", declared: float(53), reported: "double", differs: false },
    { dialect: "mariadb", declared: float(), reported: "double", differs: true },
    { dialect: "mariadb", declared: json(), reported: "json", differs: false },
    { dialect: "mariadb", declared: binary(100), reported: "tinyblob", differs: false },
    { dialect: "mariadb", declared: binary(70_000), reported: "mediumblob", differs: false },
    { dialect: "mariadb", declared: binary(100), reported: "blob", differs: true },
    { dialect: "mariadb", declared: binary(), reported: "blob", differs: false },
    { dialect: "mysql", declared: binary(), reported: "blob", differs: false },
    { dialect: "mariadb", declared: binary(), reported: "mediumblob", differs: true },
    { dialect: "mysql", declared: binary(), reported: "longblob", differs: true },
    { dialect: "mariadb", declared: binary(), reported: "tinyblob", differs: true },
    { dialect: "mariadb", declared: customType("LONGBLOB"), reported: "blob", differs: true },
    { dialect: "mariadb", declared: customType("LONGBLOB"), reported: "longblob", differs: false },
    { dialect: "mariadb", declared: text(), reported: "mediumtext", differs: true },
    { dialect: "mariadb", declared: customType("MEDIUMTEXT"), reported: "mediumtext", differs: false },
    { dialect: "mariadb", declared: dateTime({ timezone: true }), reported: "datetime", differs: false },
    { dialect: "mariadb", declared: uuid(), reported: "char(36)", differs: false },
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
        nativeEnum: dialects[dialect].capabilities.nativeEnum,
        enumTypes: dialects[dialect].capabilities.enumTypes,
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

describe("compareSchemas: MySQL's facts", () => {
  const mariadb = dialects.mariadb;

  it("an ENUM is written on the column: compared by its values, in order, with no enum types", () => {
    const declared = table("t", column("mood", enumType("mood", ["sad", "happy"])));
    const same = live(reflected(table("t", column("mood", enumType("mood", ["sad", "happy"])))));
    const { nativeEnum, enumTypes } = mariadb.capabilities;
    expect(lines([declared], same, { dialect: mariadb, nativeEnum, enumTypes })).toEqual([]);
    const reordered = live(reflected(table("t", column("mood", enumType("mood", ["happy", "sad"])))));
    expect(lines([declared], reordered, { dialect: mariadb, nativeEnum, enumTypes })).toEqual([
      "('modify_type', None, 't', 'mood', ENUM('happy', 'sad') -> ENUM('sad', 'happy'))",
    ]);
  });

  it("the index InnoDB made for a foreign key is not an index of its own, and goes with the key", () => {
    const parent = table("p", column("id", integer(), { primaryKey: true }));
    const withKey = (...extra: TableDefinition["constraints"]) =>
      table("c", column("id", integer(), { primaryKey: true }), column("p_id", integer()), ...extra);
    const key = foreignKey("p_id", "p", "id", { name: "fk_c_p" });
    const database = live(reflected(parent), {
      ...reflected(withKey(key)),
      indexes: [{ kind: "index", name: "fk_c_p", columns: ["p_id"], unique: false, foreignKey: "fk_c_p" }],
    });
    expect(lines([parent, withKey(key)], database, { dialect: mariadb })).toEqual([]);
    expect(lines([parent, withKey()], database, { dialect: mariadb })).toEqual([
      "('remove_fk', None, 'c', 'fk_c_p', ['p_id'] -> 'p' ['id'])",
      "('remove_index', None, 'c', 'fk_c_p', ['p_id'])",
    ]);
    // A changed key (a drop and an add on the same columns) keeps the index: the new key uses it.
    const cascading = foreignKey("p_id", "p", "id", { name: "fk_c_p", onDelete: "CASCADE" });
    expect(lines([parent, withKey(cascading)], database, { dialect: mariadb })).toEqual([
      "('remove_fk', None, 'c', 'fk_c_p', ['p_id'] -> 'p' ['id'])",
      "('add_fk', None, 'c', 'fk_c_p', ['p_id'] -> 'p' ['id'])",
    ]);
  });

  it("RESTRICT is NO ACTION on InnoDB, not on PostgreSQL", () => {
    const parent = table("p", column("id", integer(), { primaryKey: true }));
    const child = table(
      "c",
      column("id", integer(), { primaryKey: true }),
      column("p_id", integer()),
      foreignKey("p_id", "p", "id", { name: "fk_c_p", onDelete: "RESTRICT" }),
    );
    const database = live(
      reflected(parent),
      reflected(
        table(
          "c",
          column("id", integer(), { primaryKey: true }),
          column("p_id", integer()),
          foreignKey("p_id", "p", "id", { name: "fk_c_p" }),
        ),
      ),
    );
    expect(lines([parent, child], database, { dialect: mariadb })).toEqual([]);
    expect(lines([parent, child], database, { dialect: dialects.postgresql })).toHaveLength(2);
  });

  it("defaults as the server reports them back: 1.50 for 1.5 on DECIMAL(10, 2), 0 for false, CURRENT_TIMESTAMP", () => {
    const declared = table(
      "t",
      column("amount", numeric(10, 2), { serverDefault: 1.5 }),
      column("flag", boolean(), { serverDefault: false }),
      column("at", dateTime(), { serverDefault: sql`now()` }),
    );
    const mysqlTypes = { amount: "decimal(10,2)", flag: "tinyint(1)", at: "datetime" };
    const database = live(
      reflected(
        table(
          "t",
          column("amount", numeric(10, 2), { serverDefault: sql`1.50` }),
          column("flag", boolean(), { serverDefault: sql`0` }),
          column("at", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` }),
        ),
        mysqlTypes,
      ),
    );
    expect(lines([declared], database, { dialect: mariadb, compareServerDefault: true })).toEqual([]);
    const changed = live(
      reflected(
        table(
          "t",
          column("amount", numeric(10, 2), { serverDefault: sql`2.50` }),
          column("flag", boolean(), { serverDefault: sql`1` }),
          column("at", dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` }),
        ),
        mysqlTypes,
      ),
    );
    expect(lines([declared], changed, { dialect: mariadb, compareServerDefault: true })).toHaveLength(2);
  });
});
