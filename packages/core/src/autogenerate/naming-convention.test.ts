import { describe, expect, it } from "vitest";
import { enumType, integer, string } from "../schema/column-type.js";
import { sql } from "../schema/sql-expression.js";
import { check, column, foreignKey, index, primaryKey, unique } from "../schema/table-elements.js";
import { table } from "../schema/table.js";
import { collectTables } from "./declared-schema.js";
import {
  applyNamingConvention,
  conventionName,
  shortenConventionName,
  UNNAMED_FOREIGN_KEY_CONVENTION,
} from "./naming-convention.js";

/**
 * Every expected name below is what SQLAlchemy 2.1.1 printed for the same
 * tables (`CreateTable(t).compile(dialect=postgresql.dialect())`, and
 * `mysql.dialect()`) under this convention, Alembic's usual one.
 */
const convention = {
  ix: "ix_%(column_0_label)s",
  uq: "uq_%(table_name)s_%(column_0_N_name)s",
  ck: "ck_%(table_name)s_%(constraint_name)s",
  fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
  pk: "pk_%(table_name)s",
};

const settings = table(
  "customer_notification_settings",
  column("id", integer(), { primaryKey: true }),
  column("preferred_delivery_window_code", string(40), { index: true }),
  column("notification_channel_identifier", string(40)),
  column("notification_recipient_address", string(200)),
  column("delivery_preference_profile_identifier", integer(), {
    references: "customer_notification_delivery_preference_profiles.id",
  }),
  unique(["notification_channel_identifier", "notification_recipient_address"]),
  check(sql`length(notification_recipient_address) > 3`, { name: "recipient_address_is_long_enough_to_be_real" }),
);

/** The names a table's constraints and indexes get, in order: constraints, then indexes. */
function names(declared: ReturnType<typeof table>, maxLength?: number): (string | undefined)[] {
  const named = applyNamingConvention(declared, convention, maxLength);
  return [...named.constraints.map((constraint) => constraint.name), ...named.indexes.map((item) => item.name)];
}

describe("names past the database's limit, shortened as SQLAlchemy shortens them", () => {
  it("PostgreSQL (63)", () => {
    expect(names(settings, 63)).toEqual([
      "pk_customer_notification_settings",
      "fk_customer_notification_settings_delivery_preference_p_6c76",
      "uq_customer_notification_settings_notification_channel__47ec",
      "ck_customer_notification_settings_recipient_address_is__b6c5",
      "ix_customer_notification_settings_preferred_delivery_wi_d1bf",
    ]);
  });

  it("MySQL (64): a name of exactly 64 characters is kept", () => {
    expect(names(settings, 64)).toEqual([
      "pk_customer_notification_settings",
      "fk_customer_notification_settings_delivery_preference_pr_6c76",
      "uq_customer_notification_settings_notification_channel_i_47ec",
      "ck_customer_notification_settings_recipient_address_is_l_b6c5",
      "ix_customer_notification_settings_preferred_delivery_window_code",
    ]);
  });

  it("without a limit (SQLite), names are whole", () => {
    expect(names(settings)).toEqual([
      "pk_customer_notification_settings",
      "fk_customer_notification_settings_delivery_preference_profile_identifier_customer_notification_delivery_preference_profiles",
      "uq_customer_notification_settings_notification_channel_identifier_notification_recipient_address",
      "ck_customer_notification_settings_recipient_address_is_long_enough_to_be_real",
      "ix_customer_notification_settings_preferred_delivery_window_code",
    ]);
  });

  it("counts characters, and hashes the UTF-8 name", () => {
    const long = table(
      "überwachungs_benachrichtigungs_einstellungen_für_kunden",
      column("id", integer(), { primaryKey: true }),
      column("bevorzugtes_zustellungs_fenster", integer(), { index: true }),
    );
    expect(names(long, 63)).toEqual([
      "pk_überwachungs_benachrichtigungs_einstellungen_für_kunden",
      "ix_überwachungs_benachrichtigungs_einstellungen_für_kun_b213",
    ]);
    expect(names(long, 64)[1]).toBe("ix_überwachungs_benachrichtigungs_einstellungen_für_kund_b213");
  });

  it("explicit names are never shortened", () => {
    const explicit = `uq_${"x".repeat(70)}`;
    const declared = table("t", column("a", integer()), unique("a", { name: explicit }));
    expect(names(declared, 63)).toEqual([explicit]);
    expect(shortenConventionName("ix_users_email", 63)).toBe("ix_users_email");
    expect(shortenConventionName(explicit, undefined)).toBe(explicit);
  });

  it("a module's convention is shortened to the limit collectTables is given", () => {
    const [shortened] = collectTables([{ namingConvention: convention, settings }], 63).tables;
    expect(shortened?.indexes.map((item) => item.name)).toEqual([
      "ix_customer_notification_settings_preferred_delivery_wi_d1bf",
    ]);
  });
});

describe("SQLAlchemy's tokens", () => {
  it("a table in a schema: the label starts with the schema, the referred table has none", () => {
    const lines = table(
      "invoice_lines",
      column("id", integer(), { primaryKey: true }),
      column("invoice_id", integer(), { references: "billing.invoices.id", index: true }),
      { schema: "billing" },
    );
    expect(names(lines, 63)).toEqual([
      "pk_invoice_lines",
      "fk_invoice_lines_invoice_id_invoices",
      "ix_billing_invoice_lines_invoice_id",
    ]);
    const viaElement = table(
      "lines",
      column("invoice_id", integer()),
      foreignKey("invoice_id", "billing.invoices", "id"),
    );
    expect(names(viaElement)).toEqual(["fk_lines_invoice_id_invoices"]);
  });

  it("a schema's dots become `_` in a label", () => {
    expect(conventionName("ix_%(column_0_label)s", "t", ["x"], undefined, { schema: "a.b" })).toBe("ix_a_b_t_x");
  });

  it("every column's values, joined with `_` (0_N) or nothing (0N); key is the name", () => {
    // SQLAlchemy, on sch.kids (x, y) -> sch.parents (a, b): pk_a_b_ab_a, uq_xy,
    // ix_sch_kids_x_sch_kids_y, fk_sch_kids_xsch_kids_y_a_b_ab_a.
    const referred = { table: "sch.parents", columns: ["a", "b"] };
    const context = { schema: "sch" };
    expect(conventionName("pk_%(column_0_N_key)s_%(column_0N_key)s_%(column_0_key)s", "parents", ["a", "b"])).toBe(
      "pk_a_b_ab_a",
    );
    expect(conventionName("uq_%(column_0N_name)s", "kids", ["x", "y"], undefined, context)).toBe("uq_xy");
    expect(conventionName("ix_%(column_0_N_label)s", "kids", ["x", "y"], undefined, context)).toBe(
      "ix_sch_kids_x_sch_kids_y",
    );
    expect(
      conventionName(
        "fk_%(column_0N_label)s_%(referred_column_0_N_name)s_%(referred_column_0N_name)s_%(referred_column_0_name)s",
        "kids",
        ["x", "y"],
        referred,
        context,
      ),
    ).toBe("fk_sch_kids_xsch_kids_y_a_b_ab_a");
  });

  it.each([
    // SQLAlchemy: a column past the last is "" (uq_t_, ck_t_).
    ["uq_%(table_name)s_%(column_1_name)s", ["x"], undefined, {}, "uq_t_"],
    ["ck_%(table_name)s_%(column_0_name)s", [], undefined, {}, "ck_t_"],
    ["ck_%(table_name)s_%(constraint_name)s", [], undefined, { constraintName: "positive" }, "ck_t_positive"],
    ["100%%_%(table_name)s", [], undefined, {}, "100%_t"],
    // SQLAlchemy raises for these; the constraint stays unnamed.
    ["ck_%(table_name)s_%(constraint_name)s", [], undefined, {}, undefined],
    ["uq_%(referred_column_0_name)s", ["x"], undefined, {}, undefined],
    ["fk_%(referred_column_1_name)s", ["x"], { table: "u", columns: ["id"] }, {}, undefined],
    ["uq_%(foo)s", ["x"], undefined, {}, undefined],
    ["uq_%(column_1_N_name)s", ["x"], undefined, {}, undefined],
  ] as const)("%s on %j gives %s", (template, columns, referred, context, expected) => {
    expect(conventionName(template, "t", columns, referred, context)).toBe(expected);
  });

  it("a named constraint or index takes the convention where its template has %(constraint_name)s", () => {
    // SQLAlchemy: uq_t_myuq, ix_myix; a template without the token keeps the name.
    const declared = table(
      "t",
      column("x", integer()),
      unique("x", { name: "myuq" }),
      foreignKey("x", "u", "id", { name: "kept" }),
      index("myix", ["x"]),
    );
    const named = applyNamingConvention(declared, {
      uq: "uq_%(table_name)s_%(constraint_name)s",
      fk: "fk_%(table_name)s_%(column_0_name)s",
      ix: "ix_%(constraint_name)s",
    });
    expect(named.constraints).toEqual([
      unique("x", { name: "uq_t_myuq" }),
      foreignKey("x", "u", "id", { name: "kept" }),
    ]);
    expect(named.indexes.map((item) => item.name)).toEqual(["ix_myix"]);
    expect(
      applyNamingConvention(table("t", column("id", integer()), primaryKey("id")), convention).constraints,
    ).toEqual([primaryKey("id", { name: "pk_t" })]);
  });

  it("the convention for SQLite's unnamed foreign keys", () => {
    expect(
      conventionName(UNNAMED_FOREIGN_KEY_CONVENTION, "b", ["a_id", "c"], { table: "a", columns: ["id", "c"] }),
    ).toBe("fk_b_a_id_c_a");
  });
});

describe("an enum's CHECK under a ck convention (databases without native enums)", () => {
  // SQLAlchemy 2.1.1 on SQLite: `CONSTRAINT ck_users_mood CHECK (mood IN (...))` under
  // `ck_%(table_name)s_%(constraint_name)s`, `CONSTRAINT ck_users_mood_mood` with
  // `..._%(column_0_name)s_%(constraint_name)s`, and the enum's own name, `mood`, under a
  // template without `%(constraint_name)s`.
  const users = table("users", column("id", integer()), column("mood", enumType("mood", ["sad", "ok"])));
  const moodType = (ck: string) => applyNamingConvention(users, { ck }).columns[1]?.type;

  it("names it as SQLAlchemy names an Enum's constraint, beside the enum's own name", () => {
    expect(moodType("ck_%(table_name)s_%(constraint_name)s")).toEqual({
      ...enumType("mood", ["sad", "ok"]),
      checkName: "ck_users_mood",
    });
    expect(moodType("ck_%(table_name)s_%(column_0_name)s_%(constraint_name)s")).toMatchObject({
      checkName: "ck_users_mood_mood",
    });
    expect(moodType("ck_%(table_name)s_%(column_0_name)s")).toEqual(enumType("mood", ["sad", "ok"]));
  });

  it("leaves a native enum (PostgreSQL, MySQL) without one: it has no CHECK", () => {
    const named = applyNamingConvention(users, { ck: "ck_%(table_name)s_%(constraint_name)s" }, 63, true);
    expect(named.columns[1]?.type).toEqual(enumType("mood", ["sad", "ok"]));
  });
});
