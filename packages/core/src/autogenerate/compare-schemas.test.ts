import { describe, expect, it } from "vitest";
import type { ReflectedColumn, ReflectedSchema, ReflectedTable } from "../introspection/reflected-schema.js";
import {
  bigInteger,
  boolean,
  type ColumnType,
  customType,
  enumType,
  integer,
  string,
  text,
} from "../schema/column-type.js";
import { sql } from "../schema/sql-expression.js";
import { check, column, foreignKey, index, unique } from "../schema/table-elements.js";
import { type TableDefinition, table } from "../schema/table.js";
import { DdlCompilerBase } from "../dialect/ddl-compiler-base.js";
import { DialectBase } from "../dialect/dialect-base.js";
import { LiteralRenderer } from "../dialect/literal-renderer.js";
import {
  type CompareDialect,
  type CompareOptions,
  compareSchemas,
  dependencyOrder,
  dialectTypeText,
} from "./compare-schemas.js";
import { describeDiff } from "./schema-diff.js";
import { standardTypeText } from "./type-comparison.js";

/** A dialect with no facts of its own: standard type text and literals. (PostgreSQL's and SQLite's are tested in their packages.) */
const generic: CompareDialect = { renderLiteral: (value) => new LiteralRenderer("Test").render(value) };

/** A reflected table: `table(...)` whose columns carry the type as the database reports it. */
function reflected(definition: TableDefinition, reported: Record<string, string> = {}): ReflectedTable {
  return {
    ...definition,
    columns: definition.columns.map(
      (item): ReflectedColumn => ({ ...item, reportedType: reported[item.name] ?? standardTypeText(item.type) }),
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
  options: Partial<CompareOptions> = {},
): string[] {
  const dialect = options.dialect ?? generic;
  return compareSchemas({ tables: declared }, database, { ...options, dialect }).map((diff) =>
    describeDiff(diff, dialectTypeText(dialect)),
  );
}

const users = table(
  "users",
  column("id", integer(), { primaryKey: true }),
  column("email", string(255), { nullable: false }),
);

declare module "../driver/driver.js" {
  interface DialectNames {
    tiny: true;
  }
}

describe("compareSchemas: tables and columns", () => {
  const cases: { name: string; declared: TableDefinition[]; database: ReflectedSchema; expected: string[] }[] = [
    { name: "identical", declared: [users], database: live(reflected(users)), expected: [] },
    {
      name: "added table",
      declared: [users],
      database: live(),
      expected: ["('add_table', None, 'users')"],
    },
    {
      name: "removed table",
      declared: [],
      database: live(reflected(users)),
      expected: ["('remove_table', None, 'users')"],
    },
    {
      name: "added and removed column",
      declared: [table("users", column("id", integer(), { primaryKey: true }), column("name", text()))],
      database: live(reflected(users)),
      expected: [
        "('add_column', None, 'users', 'name', TEXT)",
        "('remove_column', None, 'users', 'email', VARCHAR(255))",
      ],
    },
    {
      name: "nullability",
      declared: [table("users", column("id", integer(), { primaryKey: true }), column("email", string(255)))],
      database: live(reflected(users)),
      expected: ["('modify_nullable', None, 'users', 'email', False -> True)"],
    },
    {
      name: "type",
      declared: [
        table("users", column("id", integer(), { primaryKey: true }), column("email", text(), { nullable: false })),
      ],
      database: live(reflected(users)),
      expected: ["('modify_type', None, 'users', 'email', VARCHAR(255) -> TEXT)"],
    },
    {
      name: "type length",
      declared: [
        table(
          "users",
          column("id", integer(), { primaryKey: true }),
          column("email", string(100), { nullable: false }),
        ),
      ],
      database: live(reflected(users)),
      expected: ["('modify_type', None, 'users', 'email', VARCHAR(255) -> VARCHAR(100))"],
    },
  ];
  it.each(cases)("$name", ({ declared, database, expected }) => {
    expect(lines(declared, database)).toEqual(expected);
  });
});

describe("compareSchemas: type synonyms", () => {
  /** A dialect named neither sqlite nor postgresql: its own type text, literals, synonyms and read-back facts. */
  const tiny: CompareDialect = {
    typeText: (type: ColumnType) => (type.kind === "bigInteger" ? "HUGEINT" : standardTypeText(type)),
    renderLiteral: (value) =>
      value === true ? "yes" : value === false ? "no" : new LiteralRenderer("Tiny").render(value),
    introspector: {
      introspect: async () => ({ tables: [], enums: [] }),
      comparableType: (key) => ({ name: key.name === "int32" ? "integer" : key.name, args: key.args }),
      integerPrimaryKeyAlias: true,
      indexName: (name, generated) => (generated ? `${name.slice(0, 8)}_gen` : name.slice(0, 10)),
    },
  };

  it("a DialectBase dialect gives its compiler's type text and its introspector's synonyms", () => {
    class TinyCompiler extends DdlCompilerBase {
      protected override readonly maxParameters = 100;
      protected override renderType(type: ColumnType): string {
        return type.kind === "integer" ? "INT32" : type.kind.toUpperCase();
      }
      protected override toColumnValue(value: unknown): unknown {
        return value;
      }
    }
    class TinyDialect extends DialectBase {
      readonly name = "tiny";
      readonly databaseName = "TinyDB";
      readonly introspector = {
        introspect: async () => ({ tables: [], enums: [] }),
        comparableType: (key: { name: string; args: readonly string[] }) =>
          key.name === "int" ? { name: "int32", args: key.args } : key,
      };
      protected override createCompiler(): DdlCompilerBase {
        return new TinyCompiler(this);
      }
    }
    const dialect = new TinyDialect();
    expect(dialect.typeText(integer())).toBe("INT32");
    const database = live(reflected(table("t", column("c", integer())), { c: "int" }));
    expect(lines([table("t", column("c", integer()))], database, { dialect })).toEqual([]);
    expect(lines([table("t", column("c", bigInteger()))], database, { dialect })).toEqual([
      "('modify_type', None, 't', 'c', INT32 -> BIGINTEGER)",
    ]);
  });

  it("core compares through a dialect's own facts, never its name", () => {
    // Synonyms: int32 is integer; HUGEINT is what the dialect writes for bigInteger.
    const database = live(
      reflected(table("t", column("c", customType("INT32")), column("n", integer())), { c: "INT32" }),
    );
    expect(lines([table("t", column("c", integer()), column("n", integer()))], database, { dialect: tiny })).toEqual(
      [],
    );
    expect(lines([table("t", column("c", bigInteger()), column("n", integer()))], database, { dialect: tiny })).toEqual(
      ["('modify_type', None, 't', 'c', INT32 -> HUGEINT)"],
    );
    expect(lines([table("t", column("c", integer()), column("n", integer()))], database)).toHaveLength(1);
    // The integer primary key alias: no type change on the single-column primary key only.
    const keyed = live(
      reflected(table("t", column("id", integer(), { primaryKey: true }), column("n", integer())), { n: "INTEGER" }),
    );
    const wider = table("t", column("id", bigInteger(), { primaryKey: true }), column("n", bigInteger()));
    expect(lines([wider], keyed, { dialect: tiny })).toEqual(["('modify_type', None, 't', 'n', INTEGER -> HUGEINT)"]);
    expect(lines([wider], keyed)).toHaveLength(2);
    // Booleans as the dialect writes them.
    const flagged = live(reflected(table("t", column("b", boolean(), { serverDefault: sql`yes` }))));
    const wanted = [table("t", column("b", boolean(), { serverDefault: true }))];
    expect(lines(wanted, flagged, { dialect: tiny, compareServerDefault: true })).toEqual([]);
    expect(lines(wanted, flagged, { compareServerDefault: true })).toHaveLength(1);
    // Index names as the database keeps them.
    const indexed = table("t", column("c", integer(), { index: true }), index("ix_declared_long", ["c"]));
    const kept = live(
      reflected(table("t", column("c", integer()), index("ix_t_c_gen", ["c"]), index("ix_declare", ["c"]))),
    );
    expect(lines([indexed], kept, { dialect: tiny })).toEqual([]);
    expect(lines([indexed], kept)).toHaveLength(4);
  });

  it("compares index, UNIQUE and CHECK names as the database keeps them, and warns of a declared one it cuts", () => {
    const declared = table(
      "t",
      column("c", integer(), { index: true }),
      column("d", integer()),
      index("ix_declared_long", ["c"]),
      unique(["d"], { name: "uq_declared_long" }),
      check(sql`d > 0`, { name: "ck_declared_long" }),
    );
    const kept = live(
      reflected(
        table(
          "t",
          column("c", integer()),
          column("d", integer()),
          index("ix_t_c_gen", ["c"]),
          index("ix_declare", ["c"]),
          unique(["d"], { name: "uq_declare" }),
          check(sql`d > 0`, { name: "ck_declare" }),
        ),
      ),
    );
    const warnings: string[] = [];
    expect(lines([declared], kept, { dialect: tiny, onWarning: (message) => warnings.push(message) })).toEqual([]);
    // The generated ix_t_c is shortened by design: no warning for it.
    expect(warnings).toEqual([
      'The index "ix_declared_long" on table "t" has a name longer than the database keeps: it is compared as "ix_declare", the name the database gives it. Declare it as "ix_declare" (or a shorter name).',
      'The unique constraint "uq_declared_long" on table "t" has a name longer than the database keeps: it is compared as "uq_declare", the name the database gives it. Declare it as "uq_declare" (or a shorter name).',
      'The CHECK constraint "ck_declared_long" on table "t" has a name longer than the database keeps: it is compared as "ck_declare", the name the database gives it. Declare it as "ck_declare" (or a shorter name).',
    ]);
    // Without the dialect's fact, the names differ.
    expect(lines([declared], kept)).toEqual([
      "('remove_index', None, 't', 'ix_t_c_gen', ['c'])",
      "('remove_index', None, 't', 'ix_declare', ['c'])",
      "('remove_constraint', None, 't', 'uq_declare', unique ['d'])",
      "('remove_constraint', None, 't', 'ck_declare', check sql`d > 0`)",
      "('add_index', None, 't', 'ix_t_c', ['c'])",
      "('add_index', None, 't', 'ix_declared_long', ['c'])",
      "('add_constraint', None, 't', 'uq_declared_long', unique ['d'])",
      "('add_constraint', None, 't', 'ck_declared_long', check sql`d > 0`)",
    ]);
  });

  it("compareType: false sees no type change; a function decides, undefined falls back", () => {
    const database = live(reflected(table("t", column("c", string(10)))));
    const declared = [table("t", column("c", text()))];
    expect(lines(declared, database, { compareType: false })).toEqual([]);
    expect(lines(declared, database, { compareType: () => false })).toEqual([]);
    expect(lines(declared, database, { compareType: () => undefined })).toHaveLength(1);
    const seen: string[] = [];
    lines([table("t", column("c", string(10)))], database, {
      compareType: ({ table: name, column: col }) => {
        seen.push(`${name}.${col}`);
        return true;
      },
    });
    expect(seen).toEqual(["t.c"]);
  });
});

describe("compareSchemas: server defaults and comments", () => {
  const cases: { declared: unknown; reported: string | undefined; differs: boolean }[] = [
    { declared: "en", reported: "'en'::character varying", differs: false },
    { declared: "en", reported: "'fr'::character varying", differs: true },
    { declared: 0, reported: "0", differs: false },
    { declared: false, reported: "false", differs: false },
    { declared: sql`now()`, reported: "now()", differs: false },
    { declared: sql`CURRENT_TIMESTAMP`, reported: "CURRENT_TIMESTAMP", differs: false },
    { declared: sql`(1 + 2)`, reported: "(1 + 2)", differs: false },
    { declared: undefined, reported: "'x'::text", differs: true },
    { declared: "x", reported: undefined, differs: true },
    // One number spelled two ways (a DECIMAL's scale) is one default; digits are compared exactly.
    { declared: sql`0.0000`, reported: "0.00", differs: false },
    { declared: 1.5, reported: "1.50", differs: false },
    { declared: sql`-0.50`, reported: "-.5", differs: false },
    { declared: 2, reported: "1.00", differs: true },
    { declared: sql`12345678901234567891`, reported: "12345678901234567890", differs: true },
  ];
  it.each(cases)("$declared vs $reported", ({ declared, reported, differs }) => {
    const live1 = live(
      reflected(table("t", column("c", text(), reported === undefined ? {} : { serverDefault: sql(reported) }))),
    );
    const wanted = table("t", column("c", text(), declared === undefined ? {} : { serverDefault: declared as string }));
    expect(lines([wanted], live1, { compareServerDefault: true })).toHaveLength(differs ? 1 : 0);
    expect(lines([wanted], live1)).toEqual([]);
  });

  it("compareServerDefault as a function decides; undefined falls back to the comparison", () => {
    const database = live(reflected(table("t", column("c", text(), { serverDefault: sql`'a'::text` }))));
    const wanted = [table("t", column("c", text(), { serverDefault: "b" }))];
    const seen: unknown[] = [];
    expect(
      lines(wanted, database, {
        compareServerDefault: (details) => {
          seen.push(details);
          return false;
        },
      }),
    ).toEqual([]);
    expect(seen).toEqual([{ table: "t", column: "c", inspected: sql`'a'::text`, declared: "b" }]);
    expect(lines(wanted, database, { compareServerDefault: () => undefined })).toEqual([
      "('modify_default', None, 't', 'c', sql`'a'::text` -> 'b')",
    ]);
  });

  it("skips sequence defaults of SERIAL columns", () => {
    const database = live(
      reflected(
        table(
          "t",
          column("id", integer(), {
            primaryKey: true,
            autoincrement: true,
            serverDefault: sql`nextval('t_id_seq'::regclass)`,
          }),
        ),
      ),
    );
    expect(
      lines([table("t", column("id", integer(), { primaryKey: true }))], database, { compareServerDefault: true }),
    ).toEqual([]);
  });

  it("column and table comments, unless the database has none", () => {
    const database = live(reflected(table("t", column("c", text(), { comment: "old" }))));
    const wanted = table("t", column("c", text(), { comment: "new" }), { comment: "a table" });
    expect(lines([wanted], database)).toEqual([
      "('modify_comment', None, 't', 'c', 'old' -> 'new')",
      "('add_table_comment', None, 't', None -> 'a table')",
    ]);
    expect(lines([wanted], database, { comments: false })).toEqual([]);
    expect(
      lines(
        [table("t", column("c", text(), { comment: "old" }))],
        live(reflected(table("t", column("c", text(), { comment: "old" }), { comment: "gone" }))),
      ),
    ).toEqual(["('remove_table_comment', None, 't', 'gone')"]);
  });
});

describe("compareSchemas: indexes, constraints, foreign keys", () => {
  const base = [column("id", integer(), { primaryKey: true }), column("a", integer()), column("b", integer())] as const;
  const cases: { name: string; declared: TableDefinition; database: TableDefinition; expected: string[] }[] = [
    {
      name: "added index",
      declared: table("t", ...base, index("ix_t_a", ["a"])),
      database: table("t", ...base),
      expected: ["('add_index', None, 't', 'ix_t_a', ['a'])"],
    },
    {
      name: "removed index",
      declared: table("t", ...base),
      database: table("t", ...base, index("ix_t_a", ["a"])),
      expected: ["('remove_index', None, 't', 'ix_t_a', ['a'])"],
    },
    {
      name: "changed index is a drop and an add",
      declared: table("t", ...base, index("ix_t_a", ["a", "b"], { unique: true })),
      database: table("t", ...base, index("ix_t_a", ["a"])),
      expected: [
        "('remove_index', None, 't', 'ix_t_a', ['a'])",
        "('add_index', None, 't', 'ix_t_a', ['a', 'b'], unique)",
      ],
    },
    {
      name: "index: true on a column is ix_<table>_<column>",
      declared: table(
        "t",
        column("id", integer(), { primaryKey: true }),
        column("a", integer(), { index: true }),
        column("b", integer()),
      ),
      database: table("t", ...base, index("ix_t_a", ["a"])),
      expected: [],
    },
    {
      name: "unnamed unique matches the database's named one by columns",
      declared: table(
        "t",
        column("id", integer(), { primaryKey: true }),
        column("a", integer(), { unique: true }),
        column("b", integer()),
      ),
      database: table("t", ...base, unique("a", { name: "t_a_key" })),
      expected: [],
    },
    {
      name: "unique added and removed",
      declared: table("t", ...base, unique(["a", "b"], { name: "uq_t_ab" })),
      database: table("t", ...base, unique("a", { name: "t_a_key" })),
      expected: [
        "('remove_constraint', None, 't', 't_a_key', unique ['a'])",
        "('add_constraint', None, 't', 'uq_t_ab', unique ['a', 'b'])",
      ],
    },
    {
      name: "a unique index stands for a unique constraint",
      declared: table("t", ...base, unique("a", { name: "uq_t_a" })),
      database: table("t", ...base, index("uq_t_a", ["a"], { unique: true })),
      expected: [],
    },
    {
      name: "named checks by name",
      declared: table("t", ...base, check(sql`a > 0`, { name: "ck_t_a" })),
      database: table("t", ...base, check(sql`b < 9`, { name: "ck_t_old" })),
      expected: [
        "('remove_constraint', None, 't', 'ck_t_old', check sql`b < 9`)",
        "('add_constraint', None, 't', 'ck_t_a', check sql`a > 0`)",
      ],
    },
    {
      name: "a table with an unnamed check keeps the checks the database named",
      declared: table("t", ...base, check(sql`a > 0`, { name: "ck_t_a" }), check("b > 0")),
      // PostgreSQL's name for the unnamed one.
      database: table("t", ...base, check(sql`a > 0`, { name: "ck_t_a" }), check(sql`(b > 0)`, { name: "t_b_check" })),
      expected: [],
    },
    {
      name: "foreign key added (named by convention) and removed",
      declared: table("t", ...base, foreignKey("a", "users", "id")),
      database: table("t", ...base, foreignKey("b", "users", "id", { name: "t_b_fkey" })),
      expected: [
        "('remove_fk', None, 't', 't_b_fkey', ['b'] -> 'users' ['id'])",
        "('add_fk', None, 't', 'fk_t_a_users', ['a'] -> 'users' ['id'])",
      ],
    },
    {
      name: "references matches the reflected key; NO ACTION is the default",
      declared: table(
        "t",
        column("id", integer(), { primaryKey: true }),
        column("a", integer(), { references: "users.id" }),
        column("b", integer()),
      ),
      database: table("t", ...base, foreignKey("a", "users", "id", { name: "t_a_fkey", onDelete: "NO ACTION" })),
      expected: [],
    },
    {
      name: "a changed ON DELETE is a drop and an add",
      declared: table("t", ...base, foreignKey("a", "users", "id", { name: "fk_a", onDelete: "CASCADE" })),
      database: table("t", ...base, foreignKey("a", "users", "id", { name: "fk_a" })),
      expected: [
        "('remove_fk', None, 't', 'fk_a', ['a'] -> 'users' ['id'])",
        "('add_fk', None, 't', 'fk_a', ['a'] -> 'users' ['id'])",
      ],
    },
  ];
  it.each(cases)("$name", ({ declared, database, expected }) => {
    expect(lines([declared], live(reflected(database)))).toEqual(expected);
  });

  it("DEFERRABLE and INITIALLY DEFERRED are part of a key where the database reads them back", () => {
    const deferred = table(
      "t",
      ...base,
      foreignKey("a", "users", "id", { name: "fk_a", deferrable: true, initially: "DEFERRED" }),
    );
    const immediate = table("t", ...base, foreignKey("a", "users", "id", { name: "fk_a" }));
    const reading: CompareDialect = {
      ...generic,
      introspector: { readsForeignKeyDeferral: true, introspect: () => Promise.resolve(live()) },
    };
    const changed = [
      "('remove_fk', None, 't', 'fk_a', ['a'] -> 'users' ['id'])",
      "('add_fk', None, 't', 'fk_a', ['a'] -> 'users' ['id'])",
    ];
    expect(lines([immediate], live(reflected(deferred)), { dialect: reading })).toEqual(changed);
    expect(lines([deferred], live(reflected(immediate)), { dialect: reading })).toEqual(changed);
    // INITIALLY DEFERRED makes a key deferrable; INITIALLY IMMEDIATE is the default.
    const onlyInitially = table("t", ...base, foreignKey("a", "users", "id", { name: "fk_a", initially: "DEFERRED" }));
    expect(lines([onlyInitially], live(reflected(deferred)), { dialect: reading })).toEqual([]);
    const explicitImmediate = table(
      "t",
      ...base,
      foreignKey("a", "users", "id", { name: "fk_a", initially: "IMMEDIATE" }),
    );
    expect(lines([explicitImmediate], live(reflected(immediate)), { dialect: reading })).toEqual([]);
    // A database that does not read them back (MySQL) is not asked to keep them.
    expect(lines([deferred], live(reflected(immediate)))).toEqual([]);
  });

  it("a key to the default schema's table matches it named with or without the schema", () => {
    const qualified = table("t", ...base, foreignKey("a", "public.users", "id", { name: "fk_a" }));
    const plain = table("t", ...base, foreignKey("a", "users", "id", { name: "fk_a" }));
    expect(lines([qualified], { ...live(reflected(plain)), defaultSchema: "public" })).toEqual([]);
    expect(lines([qualified], live(reflected(plain)))).toHaveLength(2);
  });
});

describe("compareSchemas: order, hooks, enums", () => {
  const parent = table("parent", column("id", integer(), { primaryKey: true }));
  const child = table(
    "child",
    column("id", integer(), { primaryKey: true }),
    column("parent_id", integer(), { references: "parent.id" }),
  );
  const grandchild = table(
    "grandchild",
    column("id", integer(), { primaryKey: true }),
    column("child_id", integer(), { references: "child.id" }),
  );

  it("creates referenced tables first and drops them last", () => {
    expect(dependencyOrder([grandchild, child, parent]).map((item) => item.name)).toEqual([
      "parent",
      "child",
      "grandchild",
    ]);
    expect(lines([grandchild, child, parent], live())).toEqual([
      "('add_table', None, 'parent')",
      "('add_table', None, 'child')",
      "('add_table', None, 'grandchild')",
    ]);
    expect(lines([], live(reflected(parent), reflected(grandchild), reflected(child)))).toEqual([
      "('remove_table', None, 'grandchild')",
      "('remove_table', None, 'child')",
      "('remove_table', None, 'parent')",
    ]);
  });

  it("includeName leaves reflected names out; includeObject either side", () => {
    const database = live(reflected(users), reflected(table("spatial_ref_sys", column("srid", integer()))));
    expect(
      lines([users], database, { includeName: (name, type) => !(type === "table" && name === "spatial_ref_sys") }),
    ).toEqual([]);
    const calls: string[] = [];
    const result = lines([users, parent], database, {
      includeObject: (_object, name, type, isReflected) => {
        calls.push(`${type}:${name}:${isReflected}`);
        return name !== "spatial_ref_sys" && name !== "email";
      },
    });
    expect(result).toEqual(["('add_table', None, 'parent')"]);
    expect(calls).toContain("table:spatial_ref_sys:true");
    expect(calls).toContain("column:email:false");
  });

  it("PostgreSQL enums: created, extended and dropped (without native enums, see below)", () => {
    const mood = table(
      "people",
      column("id", integer(), { primaryKey: true }),
      column("mood", enumType("mood", ["sad", "ok", "happy"])),
    );
    const database: ReflectedSchema = {
      tables: [
        reflected(
          table(
            "people",
            column("id", integer(), { primaryKey: true }),
            column("mood", enumType("mood", ["sad", "happy"])),
          ),
          { mood: "mood" },
        ),
      ],
      enums: [
        { name: "mood", values: ["sad", "happy"] },
        { name: "old_type", values: ["x"] },
      ],
    };
    expect(lines([mood], database, { nativeEnum: true })).toEqual([
      "('add_enum_value', None, 'mood', 'ok')",
      "('remove_enum', None, 'old_type', ['x'])",
    ]);
    const withColor = table(
      "cars",
      column("id", integer(), { primaryKey: true }),
      column("color", enumType("color", ["red"])),
    );
    expect(lines([mood, withColor], database, { nativeEnum: true })[0]).toBe("('add_enum', None, 'color', ['red'])");
  });

  it("PostgreSQL enums: a type a table left out uses is kept; the hooks see types as enum", () => {
    const legacy = reflected(
      table("legacy", column("id", integer(), { primaryKey: true }), column("k", enumType("legacy_kind", ["a", "b"]))),
      { k: "legacy_kind" },
    );
    const database: ReflectedSchema = {
      tables: [legacy],
      enums: [
        { name: "legacy_kind", values: ["a", "b"] },
        { name: "ext_e", values: ["q"] },
      ],
    };
    // Compared, the table and then its type are dropped.
    expect(lines([], database, { nativeEnum: true })).toEqual([
      "('remove_table', None, 'legacy')",
      "('remove_enum', None, 'legacy_kind', ['a', 'b'])",
      "('remove_enum', None, 'ext_e', ['q'])",
    ]);
    const withoutLegacy = (name: string | null, type: string) => !(type === "table" && name === "legacy");
    expect(lines([], database, { nativeEnum: true, includeName: withoutLegacy })).toEqual([
      "('remove_enum', None, 'ext_e', ['q'])",
    ]);
    expect(
      lines([], database, {
        nativeEnum: true,
        includeObject: (_object, name, type) => !(type === "table" && name === "legacy"),
      }),
    ).toEqual(["('remove_enum', None, 'ext_e', ['q'])"]);
    const seen: string[] = [];
    const onlyTables = (name: string | null, type: string) => {
      seen.push(`${type} ${name}`);
      return type !== "enum" && withoutLegacy(name, type);
    };
    expect(lines([], database, { nativeEnum: true, includeName: onlyTables })).toEqual([]);
    expect(seen).toEqual(expect.arrayContaining(["enum legacy_kind", "enum ext_e"]));
    // A declared type the hook leaves out is not created.
    const mood = table(
      "people",
      column("id", integer(), { primaryKey: true }),
      column("mood", enumType("mood", ["x"])),
    );
    const noEnums = (_object: unknown, _name: string | null, type: string) => type !== "enum";
    expect(lines([mood], { tables: [], enums: [] }, { nativeEnum: true, includeObject: noEnums })).toEqual([
      "('add_table', None, 'people')",
    ]);
  });

  it("without native enums: an enum read back from its CHECK compares by name and values; a plain string column does not", () => {
    const declared = (values: string[], name = "mood") =>
      table("people", column("id", integer(), { primaryKey: true }), column("mood", enumType(name, values)));
    const database = live(reflected(declared(["sad", "happy"])));
    expect(lines([declared(["sad", "happy"])], database)).toEqual([]);
    expect(lines([declared(["sad", "ok", "happy"])], database)).toEqual([
      "('modify_type', None, 'people', 'mood', mood['sad', 'happy'] -> mood['sad', 'ok', 'happy'])",
    ]);
    expect(lines([declared(["happy", "sad"])], database)).toHaveLength(1);
    expect(lines([declared(["sad", "happy"], "feeling")], database)).toHaveLength(1);
    const asString = live(
      reflected(table("people", column("id", integer(), { primaryKey: true }), column("mood", string(5)))),
    );
    expect(lines([declared(["sad", "ok", "happy"])], asString)).toEqual([]);
  });
});

describe("compareSchemas: what a database writes back differently", () => {
  it("expression indexes compare without PostgreSQL's casts and quotes", () => {
    const declared = table("t", column("label", text()), index("ix_t_lower", [sql`lower(label)`]));
    const database = live(
      reflected(table("t", column("label", text()), index("ix_t_lower", [sql`lower(("label")::text)`]))),
    );
    expect(lines([declared], database)).toEqual([]);
    const other = live(reflected(table("t", column("label", text()), index("ix_t_lower", [sql`upper(label)`]))));
    expect(lines([declared], other)).toHaveLength(2);
  });

  it("a partial index's condition compares without casts and parentheses; a changed one is a drop and an add", () => {
    const partial = (where: string) =>
      table(
        "t",
        column("code", string(10)),
        column("n", integer()),
        index("ix_t_code", ["code"], { where: sql(where) }),
      );
    const declared = partial("code = 'x' AND n IS NOT NULL");
    const database = live(reflected(partial("((code)::character varying(10) = 'x'::text) AND (n IS NOT NULL)")));
    expect(lines([declared], database)).toEqual([]);
    expect(lines([partial("code = 'y' AND n IS NOT NULL")], database)).toEqual([
      "('remove_index', None, 't', 'ix_t_code', ['code'], where sql`((code)::character varying(10) = 'x'::text) AND (n IS NOT NULL)`)",
      "('add_index', None, 't', 'ix_t_code', ['code'], where sql`code = 'y' AND n IS NOT NULL`)",
    ]);
    const whole = table("t", column("code", string(10)), column("n", integer()), index("ix_t_code", ["code"]));
    expect(lines([whole], database)).toHaveLength(2);
  });

  it("an index whose columns or uniqueness changed is a drop and an add", () => {
    const declared = table("t", column("a", integer()), column("b", integer()), index("ix_t", ["a", "b"]));
    const same = live(reflected(declared));
    expect(lines([declared], same)).toEqual([]);
    const swapped = live(
      reflected(table("t", column("a", integer()), column("b", integer()), index("ix_t", ["b", "a"]))),
    );
    expect(lines([declared], swapped)).toEqual([
      "('remove_index', None, 't', 'ix_t', ['b', 'a'])",
      "('add_index', None, 't', 'ix_t', ['a', 'b'])",
    ]);
    const unique = live(
      reflected(
        table("t", column("a", integer()), column("b", integer()), index("ix_t", ["a", "b"], { unique: true })),
      ),
    );
    expect(lines([declared], unique)).toEqual([
      "('remove_index', None, 't', 'ix_t', ['a', 'b'], unique)",
      "('add_index', None, 't', 'ix_t', ['a', 'b'])",
    ]);
  });
});
