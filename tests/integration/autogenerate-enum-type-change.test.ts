import { readFileSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * A column's type changed to or from a PostgreSQL enum type: the server
 * casts neither another enum nor text to an enum by itself (`column "mood"
 * cannot be cast automatically to type mood2`), nor a default of one enum
 * to another type (`default for column "mood" cannot be cast
 * automatically`; an enum's default left on a text column keeps the old
 * type from being dropped). The generated migration says `USING
 * "mood"::text::"mood2"` and moves the default around the type change;
 * it runs up and down on the server as written, keeps the rows' values,
 * and `check` is clean on each side.
 */
const SCHEMA = (mood: string) => `
import { column, enumType, integer, string, text, table } from "@retort/core";

export const people = table(
  "people",
  column("id", integer(), { primaryKey: true }),
  column("mood", ${mood}),
);
`;

const FEELING = 'enumType("feeling", ["sad", "ok"])';
const MOOD2 = 'enumType("mood2", ["sad", "ok", "glad"])';

const cases: { name: string; from: string; to: string; using: string[]; types: [string[], string[]] }[] = [
  {
    name: "one enum to another",
    from: FEELING,
    to: MOOD2,
    using: [String.raw`postgresql: { using: "\"mood\"::text::\"mood2\"" }`, String.raw`"\"mood\"::text::\"feeling\""`],
    types: [["public.feeling"], ["public.mood2"]],
  },
  {
    name: "one enum to another, with a server default",
    from: `${FEELING}, { serverDefault: "ok" }`,
    to: `${MOOD2}, { serverDefault: "ok" }`,
    using: [String.raw`"\"mood\"::text::\"mood2\""`, String.raw`"\"mood\"::text::\"feeling\""`],
    types: [["public.feeling"], ["public.mood2"]],
  },
  {
    name: "text to an enum",
    from: "text()",
    to: MOOD2,
    using: [String.raw`"\"mood\"::text::\"mood2\""`],
    types: [[], ["public.mood2"]],
  },
  {
    name: "varchar with a server default to an enum",
    from: 'string(20), { serverDefault: "ok" }',
    to: `${MOOD2}, { serverDefault: "ok" }`,
    using: [String.raw`"\"mood\"::text::\"mood2\""`],
    types: [[], ["public.mood2"]],
  },
  {
    name: "an enum with a server default to text",
    from: `${FEELING}, { serverDefault: "ok" }`,
    to: 'text(), { serverDefault: "ok" }',
    using: [String.raw`"\"mood\"::text::\"feeling\""`],
    types: [["public.feeling"], []],
  },
  {
    name: "enums of another schema",
    from: 'enumType("feeling", ["sad", "ok"], { schema: "types" })',
    to: 'enumType("mood2", ["sad", "ok", "glad"], { schema: "types" })',
    using: [String.raw`"\"mood\"::text::\"types\".\"mood2\""`, String.raw`"\"mood\"::text::\"types\".\"feeling\""`],
    // Types outside the schema compared are created, never dropped (as before).
    types: [["types.feeling"], ["types.feeling", "types.mood2"]],
  },
];

for (const harness of harnesses.filter((candidate) => candidate.name === "postgresql")) {
  for (const { name, from, to, using, types } of cases) {
    describe(`a column's type changed, ${name}, on ${harness.name}`, () => {
      const suite = suiteProject(harness, { schema: "./schema.ts", compareServerDefault: true });

      const people = () =>
        suite.withConnection(async (connection) => {
          const { rows } = await connection.query(
            "SELECT id, mood::text AS mood, pg_typeof(mood)::text AS type FROM people ORDER BY id",
          );
          return rows;
        });
      const enumTypes = () =>
        suite.withConnection(async (connection) => {
          const { rows } = await connection.query<{ name: string }>(
            "SELECT n.nspname || '.' || t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' ORDER BY 1",
          );
          return rows.map((row) => row.name);
        });

      it("the generated migration runs up and down, keeps the values, and check is clean on both sides", async () => {
        const { project } = suite;
        await suite.withConnection((connection) => connection.execute("CREATE SCHEMA types"));
        project.write("schema.ts", SCHEMA(from));
        project.ok("revision", "--autogenerate", "-m", "people", "--rev-id", "ty01");
        project.ok("upgrade", "head");
        await suite.withConnection((connection) =>
          connection.execute("INSERT INTO people (id, mood) VALUES (1, 'sad'), (2, 'ok'), (3, NULL)"),
        );
        const before = await people();
        expect(await enumTypes()).toEqual(types[0]);

        project.write("schema.ts", SCHEMA(to));
        const generated = project.ok("revision", "--autogenerate", "-m", "mood", "--rev-id", "ty02");
        const text = readFileSync(/Generating (\S+)/.exec(generated)?.[1] as string, "utf8");
        for (const expression of using) expect(text).toContain(expression);
        // The type the column had is written as the enum it is.
        if (from.startsWith("enumType"))
          expect(text).toContain(`existingType: ${from.replace(/, \{ serverDefault.*$/, "")}`);
        expect(text).not.toMatch(/existingType: customType/);

        project.ok("upgrade", "head");
        expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
        expect(await enumTypes()).toEqual(types[1]);
        const after = await people();
        expect(after.map((row) => row.mood)).toEqual(before.map((row) => row.mood));
        // A row inserted without a value takes the default, of the new type.
        if (to.includes("serverDefault")) {
          await suite.withConnection((connection) => connection.execute("INSERT INTO people (id) VALUES (4)"));
          expect((await people()).at(-1)).toMatchObject({ id: 4, mood: "ok" });
          await suite.withConnection((connection) => connection.execute("DELETE FROM people WHERE id = 4"));
        }

        project.ok("downgrade", "ty01");
        expect(await people()).toEqual(before);
        project.write("schema.ts", SCHEMA(from));
        // Without ty02's file the database is at its head again, and matches the first schema.
        rmSync(/Generating (\S+)/.exec(generated)?.[1] as string);
        expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
        expect(await enumTypes()).toEqual(types[0]);
      });
    });
  }
}
