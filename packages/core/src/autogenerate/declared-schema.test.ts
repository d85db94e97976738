import { describe, expect, it } from "vitest";
import { integer, string } from "../schema/column-type.js";
import { sql } from "../schema/sql-expression.js";
import { check, column, foreignKey, primaryKey, unique } from "../schema/table-elements.js";
import { table } from "../schema/table.js";
import { collectTables, loadDeclaredSchema } from "./declared-schema.js";
import { applyNamingConvention, conventionName, isNamingConvention } from "./naming-convention.js";

const users = table("users", column("id", integer(), { primaryKey: true }));
const posts = table("posts", column("id", integer(), { primaryKey: true }), { schema: "blog" });

describe("collectTables", () => {
  it("finds tables among the exports, in arrays and plain objects, once each", () => {
    const names = collectTables([{ users, groups: { blog: [posts], again: users } }, { users }]).tables.map(
      (item) => `${item.options.schema ?? ""}.${item.name}`,
    );
    expect(names).toEqual([".users", "blog.posts"]);
  });

  it("ignores what is not a table", () => {
    expect(collectTables([{ helper: () => 1, value: 3, text: "users", date: new Date() }]).tables).toEqual([]);
  });

  it("two different tables with one name are an error", () => {
    const other = table("users", column("id", integer()));
    expect(() => collectTables([{ users }, { other }])).toThrow("Table users is declared twice in the schema modules");
  });
});

describe("naming conventions", () => {
  const convention = {
    pk: "pk_%(table_name)s",
    uq: "uq_%(table_name)s_%(column_0_N_name)s",
    fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    ix: "ix_%(column_0_label)s",
    ck: "ck_%(table_name)s_%(constraint_name)s",
  };

  it.each([
    ["uq_%(table_name)s_%(column_0_N_name)s", ["a", "b"], undefined, "uq_t_a_b"],
    [
      "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
      ["user_id"],
      { table: "users", columns: ["id"] },
      "fk_t_user_id_users",
    ],
    ["ix_%(column_0_label)s", ["email"], undefined, "ix_t_email"],
    ["fk_%(referred_column_0_name)s", ["a"], { table: "u", columns: ["id"] }, "fk_id"],
    ["ck_%(table_name)s_%(constraint_name)s", [], undefined, undefined],
  ] as const)("%s on %j gives %s", (template, columns, referred, expected) => {
    expect(conventionName(template, "t", columns, referred)).toBe(expected);
  });

  it("recognises a convention export", () => {
    expect(isNamingConvention(convention)).toBe(true);
    expect(isNamingConvention({ fk: 1 })).toBe(false);
    expect(isNamingConvention({ other: "x" })).toBe(false);
    expect(isNamingConvention(users)).toBe(false);
  });

  it("names unnamed constraints and column shortcuts; named ones and unfillable templates stay", () => {
    const declared = table(
      "t",
      column("id", integer(), { primaryKey: true }),
      column("email", string(100), { unique: true }),
      column("login", string(100), { unique: true, index: true }),
      column("user_id", integer(), { references: { table: "users", column: "id", onDelete: "CASCADE" } }),
      unique(["email", "login"]),
      foreignKey("id", "other", "id", { name: "kept" }),
      check(sql`id > 0`),
    );
    const named = applyNamingConvention(declared, convention);
    expect(named.columns.map((item) => item.options)).toEqual([{ nullable: false }, {}, {}, {}]);
    expect(named.constraints).toEqual([
      primaryKey("id", { name: "pk_t" }),
      unique("email", { name: "uq_t_email" }),
      foreignKey("user_id", "users", "id", { name: "fk_t_user_id_users", onDelete: "CASCADE" }),
      unique(["email", "login"], { name: "uq_t_email_login" }),
      foreignKey("id", "other", "id", { name: "kept" }),
      check(sql`id > 0`),
    ]);
    expect(named.indexes).toEqual([{ kind: "index", name: "ix_t_login", columns: ["login"], unique: true }]);
  });

  it("a module's convention applies to its own tables", () => {
    const conventional = {
      namingConvention: { uq: "uq_%(table_name)s_%(column_0_name)s" },
      a: table("a", column("x", integer(), { unique: true })),
    };
    const plain = { b: table("b", column("x", integer(), { unique: true })) };
    const [a, b] = collectTables([conventional, plain]).tables;
    expect(a?.constraints).toEqual([unique("x", { name: "uq_a_x" })]);
    expect(b?.constraints).toEqual([]);
  });
});

describe("loadDeclaredSchema", () => {
  it("names a schema module that does not exist and the config option to fix", async () => {
    const missing = "/nonexistent/project/src/schema.ts";
    await expect(loadDeclaredSchema(missing)).rejects.toMatchObject({
      code: "NO_SCHEMA",
      message: `The schema module ${missing} does not exist: fix the config's \`schema\` option (a path relative to the config file) or create the module`,
    });
  });
});
