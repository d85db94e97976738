import { readFileSync, rmSync } from "node:fs";
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
  planMigration,
  smallInteger,
  string,
  text,
  time,
  uuid,
} from "@retort/core";
import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * A column's type changed to one PostgreSQL does not cast the old one to
 * by itself: `ALTER COLUMN ... TYPE` applies only an implicit or
 * assignment cast (`column "qty" cannot be cast automatically to type
 * integer`), and casts the column's default so too (`default for column
 * "qty" cannot be cast automatically`). The generated migration says
 * `USING "qty"::integer` (through text where the server has no cast) and
 * moves the default around the type change, where needed and only there;
 * it runs up and down as written, converts the rows' values, and `check`
 * is clean on each side.
 */

/** Column types and their SQL; every ordered pair is tried on the server. */
const TYPES: [string, ColumnType][] = [
  ["smallint", smallInteger()],
  ["integer", integer()],
  ["bigint", bigInteger()],
  ["numeric", numeric()],
  ["numeric(10,2)", numeric(10, 2)],
  ["real", float(24)],
  ["double precision", float()],
  ["text", text()],
  ["varchar", string()],
  ["varchar(20)", string(20)],
  ["char(5)", customType("character(5)")],
  ["boolean", boolean()],
  ["date", date()],
  ["time", time()],
  ["time with time zone", time({ timezone: true })],
  ["timestamp", dateTime()],
  ["timestamp with time zone", dateTime({ timezone: true })],
  ["interval", customType("interval")],
  ["uuid", uuid()],
  ["json", json()],
  ["jsonb", jsonb()],
  ["bytea", binary()],
  ["mood", enumType("mood", ["a", "b"])],
  ["mood2", enumType("mood2", ["a", "b", "c"])],
  ["integer[]", customType("integer[]")],
  ["text[]", customType("text[]")],
  ["bigint[]", customType("bigint[]")],
];

/** The USING of the upgrade autogenerate plans for a change of column `c` from `from` to `to`. */
function usingOf(from: ColumnType, to: ColumnType): string | undefined {
  const existing = { type: from, nullable: true, serverDefault: null, comment: null };
  const plan = planMigration([{ kind: "modify_type", table: "t", column: "c", existing, from, to }], {
    alterInPlace: true,
    dialect: "postgresql",
  });
  const step = plan.upgrade.find((candidate) => candidate.kind === "alterColumn") as
    | { dialectOptions?: { postgresql?: { using?: string } } }
    | undefined;
  return step?.dialectOptions?.postgresql?.using;
}

for (const harness of harnesses.filter((candidate) => candidate.name === "postgresql")) {
  describe(`the USING autogenerate writes agrees with ${harness.name}`, () => {
    const suite = suiteProject(harness, {});

    it("for every pair of common types: none where the server casts by itself, one it accepts where it does not", async () => {
      const disagreements = await suite.withConnection(async (connection) => {
        await connection.execute("CREATE TYPE mood AS ENUM ('a', 'b')");
        await connection.execute("CREATE TYPE mood2 AS ENUM ('a', 'b', 'c')");
        /** Whether the server takes the statements (on an empty table, in a transaction rolled back). */
        const accepts = async (statements: string[]) => {
          await connection.begin();
          try {
            for (const statement of statements) await connection.execute(statement);
            return true;
          } catch {
            return false;
          } finally {
            await connection.rollback();
          }
        };
        const found: string[] = [];
        for (const [fromSql, from] of TYPES) {
          for (const [toSql, to] of TYPES) {
            if (fromSql === toSql) continue;
            const using = usingOf(from, to);
            const alter = `ALTER TABLE t ALTER COLUMN c TYPE ${toSql}`;
            const create = `CREATE TABLE t (c ${fromSql})`;
            const plain = await accepts([create, alter]);
            if (using === undefined && !plain) found.push(`${fromSql} -> ${toSql}: needs USING, none written`);
            if (using !== undefined && plain) found.push(`${fromSql} -> ${toSql}: USING ${using} is not needed`);
            if (using !== undefined && !(await accepts([create, `${alter} USING ${using}`])))
              found.push(`${fromSql} -> ${toSql}: USING ${using} is refused`);
          }
        }
        return found;
      });
      expect(disagreements).toEqual([]);
    });

    it("the casts convert the values", async () => {
      const converted = await suite.withConnection(async (connection) => {
        const cases: [string, string, string][] = [
          // old type, new type, value
          ["boolean", "bigint", "true"],
          ["bigint", "boolean", "0"],
          ["text", "integer", " 42 "],
          ["text[]", "integer[]", "{1,2}"],
          ["grade", "integer", "b"],
        ];
        await connection.execute("CREATE TYPE grade AS ENUM ('1', 'b')");
        const typeOf = (name: string) =>
          name === "grade"
            ? enumType("grade", ["1", "b"])
            : (TYPES.find(([sqlText]) => sqlText === name)?.[1] as ColumnType);
        const values: unknown[] = [];
        for (const [from, to, value] of cases) {
          await connection.begin();
          try {
            await connection.execute(`CREATE TABLE t (c ${from})`);
            await connection.execute("INSERT INTO t VALUES ($1)", [value]);
            await connection.execute(
              `ALTER TABLE t ALTER COLUMN c TYPE ${to} USING ${usingOf(typeOf(from), typeOf(to))}`,
            );
            const { rows } = await connection.query<{ c: string }>("SELECT c::text AS c FROM t");
            values.push(rows[0]?.c);
          } catch (error) {
            values.push((error as Error).message);
          } finally {
            await connection.rollback();
          }
        }
        return values;
      });
      // A value the new type does not read fails the change, and says which.
      expect(converted).toEqual(["1", "false", "42", "{1,2}", 'invalid input syntax for type integer: "b" (22P02)']);
    });
  });
}

const SCHEMA = (qty: string) => `
import { column, bigInteger, boolean, date, enumType, integer, jsonb, string, text, uuid, table } from "@retort/core";

export const items = table(
  "items",
  column("id", integer(), { primaryKey: true }),
  column("qty", ${qty}),
);
`;

const cases: {
  name: string;
  from: string;
  to: string;
  /** The rows' values, as SQL literals. */
  values: string[];
  /** The values (as text) after the upgrade; the downgrade gives back the first ones. */
  after: (string | null)[];
  /** The USING of the upgrade, then of the downgrade ("" for none). */
  using: [string, string];
  /** A row inserted without a value gets this (as text), after the upgrade. */
  defaulted?: string;
}[] = [
  {
    name: "text with a default to integer",
    from: 'text(), { serverDefault: "1" }',
    to: 'integer(), { serverDefault: "1" }',
    values: ["'7'", "'-20'", "NULL"],
    after: ["7", "-20", null],
    using: [String.raw`postgresql: { using: "\"qty\"::integer" }`, ""],
    defaulted: "1",
  },
  {
    name: "integer with a default to text",
    from: 'integer(), { serverDefault: "0" }',
    to: 'text(), { serverDefault: "0" }',
    values: ["1", "NULL"],
    after: ["1", null],
    using: ["", String.raw`postgresql: { using: "\"qty\"::integer" }`],
    defaulted: "0",
  },
  {
    name: "varchar to boolean",
    from: "string(10)",
    to: "boolean()",
    values: ["'true'", "'false'", "NULL"],
    after: ["true", "false", null],
    using: [String.raw`"\"qty\"::boolean"`, ""],
  },
  {
    name: "integer with a default to boolean",
    from: 'integer(), { serverDefault: "0" }',
    to: 'boolean(), { serverDefault: "false" }',
    values: ["0", "1"],
    after: ["false", "true"],
    using: [String.raw`"\"qty\"::boolean"`, String.raw`"\"qty\"::integer"`],
    defaulted: "false",
  },
  {
    name: "an enum to integer",
    from: 'enumType("level", ["1", "2"])',
    to: "integer()",
    values: ["'1'", "'2'"],
    after: ["1", "2"],
    using: [String.raw`"\"qty\"::text::integer"`, String.raw`"\"qty\"::text::\"level\""`],
  },
  {
    name: "text to jsonb",
    from: "text()",
    to: "jsonb()",
    values: [`'{"a": 1}'`, "'[1, 2]'"],
    after: ['{"a": 1}', "[1, 2]"],
    using: [String.raw`"\"qty\"::jsonb"`, ""],
  },
  {
    name: "text to uuid",
    from: "text()",
    to: "uuid()",
    values: ["'6ba7b810-9dad-11d1-80b4-00c04fd430c8'"],
    after: ["6ba7b810-9dad-11d1-80b4-00c04fd430c8"],
    using: [String.raw`"\"qty\"::uuid"`, ""],
  },
  {
    name: "varchar to date",
    from: "string(10)",
    to: "date()",
    values: ["'2024-01-02'"],
    after: ["2024-01-02"],
    using: [String.raw`"\"qty\"::date"`, ""],
  },
  {
    name: "integer to bigint, which the server casts both ways",
    from: 'integer(), { serverDefault: "3" }',
    to: 'bigInteger(), { serverDefault: "3" }',
    values: ["5"],
    after: ["5"],
    using: ["", ""],
    defaulted: "3",
  },
];

for (const harness of harnesses.filter((candidate) => candidate.name === "postgresql")) {
  for (const { name, from, to, values, after, using, defaulted } of cases) {
    describe(`a column's type changed, ${name}, on ${harness.name}`, () => {
      const suite = suiteProject(harness, { schema: "./schema.ts", compareServerDefault: true });

      const items = () =>
        suite.withConnection(async (connection) => {
          const { rows } = await connection.query<{ id: number; qty: string | null }>(
            "SELECT id, qty::text AS qty FROM items ORDER BY id",
          );
          return rows;
        });

      it("the generated migration runs up and down, converts the values, and check is clean on both sides", async () => {
        const { project } = suite;
        project.write("schema.ts", SCHEMA(from));
        project.ok("revision", "--autogenerate", "-m", "items", "--rev-id", "ca01");
        project.ok("upgrade", "head");
        const rows = values.map((value, index) => `(${index + 1}, ${value})`).join(", ");
        await suite.withConnection((connection) => connection.execute(`INSERT INTO items (id, qty) VALUES ${rows}`));
        const before = await items();

        project.write("schema.ts", SCHEMA(to));
        const generated = project.ok("revision", "--autogenerate", "-m", "qty", "--rev-id", "ca02");
        const file = /Generating (\S+)/.exec(generated)?.[1] as string;
        const script = readFileSync(file, "utf8");
        const [upgrade, downgrade] = script.split(/export async function downgrade/);
        for (const [part, expected] of [
          [upgrade as string, using[0]],
          [downgrade as string, using[1]],
        ]) {
          if (expected === "") expect(part).not.toContain("using");
          else expect(part).toContain(expected);
        }

        project.ok("upgrade", "head");
        expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
        expect((await items()).map((row) => row.qty)).toEqual(after);
        if (defaulted !== undefined) {
          await suite.withConnection((connection) => connection.execute("INSERT INTO items (id) VALUES (100)"));
          expect((await items()).at(-1)).toEqual({ id: 100, qty: defaulted });
          await suite.withConnection((connection) => connection.execute("DELETE FROM items WHERE id = 100"));
        }

        project.ok("downgrade", "ca01");
        expect(await items()).toEqual(before);
        project.write("schema.ts", SCHEMA(from));
        // Without ca02's file the database is at its head again, and matches the first schema.
        rmSync(file);
        expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      });
    });
  }
}
