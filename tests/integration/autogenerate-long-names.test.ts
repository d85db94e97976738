import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * Names PostgreSQL truncates: an index, UNIQUE or CHECK name past 63 bytes
 * (a database another tool created: Retort refuses such names) is stored
 * cut at 63 bytes of UTF-8, before a character that would not fit whole.
 * `check` compares the declared names as the server keeps them, so the
 * applied schema shows no difference, and warns of each name it cuts; a
 * real change is still seen.
 */
const LONG_INDEX = "ix_items_a_this_is_a_very_long_index_name_that_goes_past_the_limit";
const ACCENTED_INDEX = `ix_items_${"é".repeat(30)}`; // 39 characters, 69 bytes
const LONG_UNIQUE = "uq_items_b_this_is_a_very_long_unique_name_that_goes_past_the_limit";
const LONG_CHECK = `ck_items_${"ä".repeat(28)}_positive`; // 46 characters, 74 bytes

const CREATE = `CREATE TABLE items (id integer PRIMARY KEY, a integer, b integer, CONSTRAINT "${LONG_UNIQUE}" UNIQUE (b), CONSTRAINT "${LONG_CHECK}" CHECK (a > 0));
CREATE INDEX "${LONG_INDEX}" ON items (a);
CREATE INDEX "${ACCENTED_INDEX}" ON items (b);`;

const SCHEMA = (uniqueColumns: string) => `
import { check, column, index, integer, sql, table, unique } from "@retort/core";

export const items = table(
  "items",
  column("id", integer(), { primaryKey: true }),
  column("a", integer()),
  column("b", integer()),
  index(${JSON.stringify(LONG_INDEX)}, ["a"]),
  index(${JSON.stringify(ACCENTED_INDEX)}, ["b"]),
  unique(${uniqueColumns}, { name: ${JSON.stringify(LONG_UNIQUE)} }),
  check(sql\`a > 0\`, { name: ${JSON.stringify(LONG_CHECK)} }),
);
`;

for (const harness of harnesses.filter((candidate) => candidate.name === "postgresql")) {
  describe(`names ${harness.name} truncates, compared`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    it("compares clean after the tables were created, and warns of each name the server cut", async () => {
      const { project } = suite;
      project.addRevision({ id: "ln01", upgrade: `  await op.execute(${JSON.stringify(CREATE)});` });
      project.ok("upgrade", "head");
      const stored = await suite.withConnection(async (connection) => {
        const result = await connection.query<{ name: string }>(
          "SELECT relname AS name FROM pg_class WHERE relname LIKE 'ix_items_%' ORDER BY relname",
        );
        return result.rows.map((row) => row.name);
      });
      expect(stored).toEqual([LONG_INDEX.slice(0, 63), `ix_items_${"é".repeat(27)}`].sort());

      project.write("schema.ts", SCHEMA('["b"]'));
      const check = project.run("check");
      expect(check.stdout).toBe("No new upgrade operations detected.\n");
      expect(check.status).toBe(0);
      expect(check.stderr).toContain(
        `The index "${ACCENTED_INDEX}" on table "items" has a name longer than the database keeps: it is compared as "ix_items_${"é".repeat(27)}"`,
      );
      expect(check.stderr).toContain(`The index "${LONG_INDEX}" on table "items"`);
      expect(check.stderr).toContain(`The unique constraint "${LONG_UNIQUE}" on table "items"`);
      expect(check.stderr).toContain(`The CHECK constraint "${LONG_CHECK}" on table "items"`);
    });

    it("still sees a changed constraint, under the name the server keeps", () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA('["a", "b"]'));
      const check = project.run("check");
      expect(check.status).toBe(1);
      const kept = LONG_UNIQUE.slice(0, 63);
      expect(check.stdout.trim().split("\n")).toEqual([
        `('remove_constraint', None, 'items', '${kept}', unique ['b'])`,
        `('add_constraint', None, 'items', '${kept}', unique ['a', 'b'])`,
      ]);
    });
  });
}
