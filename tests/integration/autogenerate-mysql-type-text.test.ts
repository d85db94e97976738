import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * MySQL/MariaDB type text a team declares with `customType` when moving
 * from SQLAlchemy: a column's `CHARACTER SET`/`COLLATE` (not compared:
 * the declaration compares clean with the column it created), and a
 * `SET(...)`, whose values are compared as an ENUM's are (a value added is
 * a `modify_type`, run up and down).
 */
const SCHEMA = (tags: string) => `
import { column, customType, integer, table } from "@retort/core";

export const people = table(
  "people",
  column("id", integer(), { primaryKey: true }),
  column("name", customType("VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")),
  column("code", customType("CHAR(8) CHARSET latin1")),
  column("tags", customType("SET(${tags})")),
);
`;

for (const harness of harnesses.filter((candidate) => candidate.name === "mysql")) {
  describe(`CHARACTER SET, COLLATE and SET(...) in customType on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    async function columnType(name: string): Promise<string> {
      return suite.withConnection(async (connection) => {
        const rows = (
          await connection.query(
            `SELECT column_type AS t, collation_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'people' AND column_name = '${name}'`,
          )
        ).rows as { t: string; c: string | null }[];
        return `${rows[0]?.t} ${rows[0]?.c ?? ""}`.trim();
      });
    }

    it("compares a column with a character set and collation clean after the migration that created it", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA("'a','b','c'"));
      project.ok("revision", "--autogenerate", "-m", "people", "--rev-id", "tt01");
      project.ok("upgrade", "head");
      expect(await columnType("name")).toBe("varchar(100) utf8mb4_unicode_ci");
      expect(await columnType("code")).toBe("char(8) latin1_swedish_ci");
      for (let run = 0; run < 2; run++) {
        const check = project.run("check");
        expect(check.stdout).toBe("No new upgrade operations detected.\n");
        expect(check.status).toBe(0);
      }
    });

    it("sees a value added to a SET, and the migration runs up and down", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA("'a','b','c','d'"));
      const check = project.run("check");
      expect(check.status).toBe(1);
      expect(check.stdout).toContain(
        "('modify_type', None, 'people', 'tags', set('a','b','c') -> SET('a','b','c','d'))",
      );
      project.ok("revision", "--autogenerate", "-m", "more tags", "--rev-id", "tt02");
      project.ok("upgrade", "head");
      expect((await columnType("tags")).split(" ")[0]).toBe("set('a','b','c','d')");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      project.ok("downgrade", "tt01");
      expect((await columnType("tags")).split(" ")[0]).toBe("set('a','b','c')");
      project.ok("upgrade", "head");
      expect(project.run("check").status).toBe(0);
    });
  });
}
