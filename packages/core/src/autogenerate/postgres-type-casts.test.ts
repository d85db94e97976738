import { describe, expect, it } from "vitest";
import {
  bigInteger,
  binary,
  boolean,
  type ColumnType,
  customType,
  date,
  dateTime,
  enumType,
  float,
  integer,
  json,
  jsonb,
  numeric,
  smallInteger,
  string,
  text,
  time,
  uuid,
} from "../schema/column-type.js";
import { sql } from "../schema/sql-expression.js";
import { type PlanStep, planMigration } from "./plan-migration.js";
import { catalogType, postgresUsing } from "./postgres-type-casts.js";
import { renderBody } from "./render-operations.js";
import type { ExistingColumn } from "./schema-diff.js";

const using = (from: ColumnType, to: ColumnType) => postgresUsing("c", from, to, undefined);

describe("postgresUsing: PostgreSQL's casts in ALTER COLUMN ... TYPE", () => {
  it("none where the server casts by itself (implicit or assignment casts, anything to a string type)", () => {
    const none: [ColumnType, ColumnType][] = [
      [integer(), bigInteger()],
      [bigInteger(), integer()],
      [numeric(10, 2), integer()],
      [float(), numeric()],
      [smallInteger(), float(24)],
      [string(20), text()],
      [text(), string(20)],
      [text(), customType("character(5)")],
      [integer(), text()],
      [boolean(), string(10)],
      [dateTime(), text()],
      [uuid(), text()],
      [jsonb(), text()],
      [binary(), text()],
      [enumType("mood", ["a"]), text()],
      [customType("integer[]"), text()],
      [date(), dateTime({ timezone: true })],
      [dateTime({ timezone: true }), date()],
      [dateTime(), time()],
      [time(), customType("interval")],
      [customType("interval"), time()],
      [json(), jsonb()],
      [jsonb(), json()],
      [customType("integer[]"), customType("bigint[]")],
      [customType("int4[]"), customType("text[]")],
      [numeric(10, 2), numeric(12, 4)],
      [customType("timestamp(3) without time zone"), dateTime()],
      [customType("character varying(20)"), customType("varchar(30)")],
    ];
    for (const [from, to] of none) expect({ from, to, using: using(from, to) }).toEqual({ from, to, using: undefined });
  });

  it("a direct cast from a string type, and where PostgreSQL has an explicit one", () => {
    expect(using(text(), integer())).toBe('"c"::integer');
    expect(using(string(20), numeric(10, 2))).toBe('"c"::numeric(10,2)');
    expect(using(text(), boolean())).toBe('"c"::boolean');
    expect(using(customType("character(5)"), date())).toBe('"c"::date');
    expect(using(text(), dateTime({ timezone: true }))).toBe('"c"::timestamp with time zone');
    expect(using(text(), dateTime())).toBe('"c"::timestamp without time zone');
    expect(using(text(), uuid())).toBe('"c"::uuid');
    expect(using(string(), jsonb())).toBe('"c"::jsonb');
    expect(using(text(), binary())).toBe('"c"::bytea');
    expect(using(text(), customType("interval"))).toBe('"c"::interval');
    expect(using(text(), customType("text[]"))).toBe('"c"::text[]');
    expect(using(customType("text[]"), customType("integer[]"))).toBe('"c"::integer[]');
    expect(using(integer(), boolean())).toBe('"c"::boolean');
    expect(using(boolean(), integer())).toBe('"c"::integer');
    expect(using(jsonb(), numeric())).toBe('"c"::numeric');
    expect(using(text(), float(24))).toBe('"c"::real');
    expect(using(text(), float())).toBe('"c"::double precision');
  });

  it("boolean to and from the other integers through integer, the rest through text", () => {
    expect(using(boolean(), bigInteger())).toBe('"c"::integer::bigint');
    expect(using(smallInteger(), boolean())).toBe('"c"::integer::boolean');
    expect(using(enumType("level", ["1", "2"]), integer())).toBe('"c"::text::integer');
    expect(using(date(), integer())).toBe('"c"::text::integer');
    expect(using(uuid(), binary())).toBe('"c"::text::bytea');
    expect(using(json(), integer())).toBe('"c"::text::integer');
    expect(using(numeric(), boolean())).toBe('"c"::text::boolean');
    expect(using(integer(), customType("integer[]"))).toBe('"c"::text::integer[]');
    expect(using(customType("integer[]"), integer())).toBe('"c"::text::integer');
    expect(using(integer(), dateTime())).toBe('"c"::text::timestamp without time zone');
  });

  it("a change to an enum as before: through text, the type with its schema", () => {
    expect(using(text(), enumType("mood", ["a"]))).toBe('"c"::text::"mood"');
    expect(using(integer(), enumType("mood", ["a"], { schema: "types" }))).toBe('"c"::text::"types"."mood"');
    expect(postgresUsing("c", text(), enumType("mood", ["a"], { inheritSchema: true }), "app")).toBe(
      '"c"::text::"app"."mood"',
    );
    expect(using(enumType("mood", ["a"]), enumType("mood", ["a", "b"]))).toBeUndefined();
  });

  it("a type outside the table gets none: a domain, an extension's type, a quoted name", () => {
    expect(using(text(), customType("citext"))).toBeUndefined();
    expect(using(customType("citext"), integer())).toBeUndefined();
    expect(using(text(), customType('"my_domain"'))).toBeUndefined();
    expect(catalogType(customType("interval day to second"))).toEqual({ name: "interval", array: false });
    expect(catalogType(customType("float(10)[][]"))).toEqual({ name: "float4", array: true });
    expect(catalogType(customType("TIMESTAMP(3) WITH TIME ZONE"))).toEqual({ name: "timestamptz", array: false });
  });
});

describe("planMigration: a PostgreSQL type change the server does not cast by itself", () => {
  const change = (from: ColumnType, to: ColumnType, more: Partial<ExistingColumn> = {}) => {
    const existing = { type: from, nullable: true, serverDefault: null, comment: null, ...more };
    return { kind: "modify_type", table: "items", column: "qty", existing, from, to } as const;
  };
  const rendered = (steps: readonly PlanStep[]) =>
    renderBody(steps)
      .code.split("\n")
      .filter((line) => !line.startsWith("// ###"));

  it("text to integer: USING both ways where needed, with a comment; none back to text", () => {
    const plan = planMigration([change(text(), integer())], { alterInPlace: true, dialect: "postgresql" });
    expect(rendered(plan.upgrade)).toEqual([
      "// review: PostgreSQL does not cast text to integer by itself; USING converts each value and fails on one that does not convert",
      'await op.alterColumn("items", "qty", { type: integer(), existingType: text(), existingNullable: true, postgresql: { using: "\\"qty\\"::integer" } });',
    ]);
    expect(rendered(plan.downgrade)).toEqual([
      'await op.alterColumn("items", "qty", { type: text(), existingType: integer(), existingNullable: true });',
    ]);
  });

  it("integer to boolean and back: the explicit casts, both ways", () => {
    const plan = planMigration([change(integer(), boolean())], { alterInPlace: true, dialect: "postgresql" });
    const options = (steps: readonly PlanStep[]) =>
      steps.flatMap((step) => (step.kind === "alterColumn" ? [step.dialectOptions] : []));
    expect(options(plan.upgrade)).toEqual([{ postgresql: { using: '"qty"::boolean' } }]);
    expect(options(plan.downgrade)).toEqual([{ postgresql: { using: '"qty"::integer' } }]);
  });

  it("a default the server cannot cast is dropped before the type change and set again by it", () => {
    const plan = planMigration(
      [
        change(string(20), integer(), { serverDefault: sql`'1'` }),
        {
          kind: "modify_default",
          table: "items",
          column: "qty",
          existing: { type: string(20), nullable: true, serverDefault: sql`'1'`, comment: null },
          from: sql`'1'`,
          to: "1",
        },
      ],
      { alterInPlace: true, dialect: "postgresql" },
    );
    const moved = {
      kind: "comment",
      text: "PostgreSQL cannot cast the default of qty to the new type: it is dropped before the type change and set again after it",
    };
    expect(plan.upgrade).toEqual([
      {
        kind: "comment",
        text: "review: PostgreSQL does not cast character varying(20) to integer by itself; USING converts each value and fails on one that does not convert",
      },
      moved,
      {
        kind: "alterColumn",
        table: "items",
        column: "qty",
        serverDefault: null,
        existingType: string(20),
        existingNullable: true,
      },
      {
        kind: "alterColumn",
        table: "items",
        column: "qty",
        type: integer(),
        serverDefault: "1",
        existingType: string(20),
        existingNullable: true,
        dialectOptions: { postgresql: { using: '"qty"::integer' } },
      },
    ]);
    // Going down the server casts integer to varchar, and its default with it: one alterColumn.
    expect(plan.downgrade).toEqual([
      {
        kind: "alterColumn",
        table: "items",
        column: "qty",
        type: string(20),
        serverDefault: sql`'1'`,
        existingType: integer(),
        existingNullable: true,
      },
    ]);
  });

  it("a default on a change the server casts stays where it is", () => {
    const plan = planMigration([change(integer(), bigInteger(), { serverDefault: "0" })], {
      alterInPlace: true,
      dialect: "postgresql",
    });
    expect(plan.upgrade).toEqual([
      {
        kind: "alterColumn",
        table: "items",
        column: "qty",
        type: bigInteger(),
        existingType: integer(),
        existingNullable: true,
        existingServerDefault: "0",
      },
    ]);
  });

  it("other databases get no USING and keep the default in place", () => {
    for (const dialect of ["mysql", "sqlite"]) {
      const plan = planMigration([change(text(), integer(), { serverDefault: "1" })], { alterInPlace: true, dialect });
      expect(plan.upgrade).toEqual([
        {
          kind: "alterColumn",
          table: "items",
          column: "qty",
          type: integer(),
          existingType: text(),
          existingNullable: true,
          existingServerDefault: "1",
        },
      ]);
    }
  });
});
