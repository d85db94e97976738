import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * Server defaults holding backslashes and quotes on PostgreSQL, with
 * `compareServerDefault`: Retort writes such a string as an escape string
 * (`E'C:\\temp'`), the catalogs give it back as a standard one
 * (`'C:\temp'::character varying`, `standard_conforming_strings` on), and
 * the two are one value. `check` after `upgrade` is clean, as Alembic's
 * (which has the server compare the two); a changed default is still
 * reported. The schema file is written as it is on disk (`String.raw`).
 */
const SCHEMA = (note: string) => String.raw`
import { column, enumType, integer, sql, string, table } from "@retort/core";

export const users = table(
  "users",
  column("id", integer(), { primaryKey: true }),
  column("note", string(20), { serverDefault: ${note} }),
  column("quoted", string(20), { serverDefault: "it's" }),
  column("mixed", string(20), { serverDefault: "C:\\it's" }),
  column("trailing", string(20), { serverDefault: "ends\\" }),
  column("kind", enumType("kind", ["x\\y", "plain"]), { serverDefault: "x\\y" }),
  column("escape_written", string(20), { serverDefault: sql${"`"}E'a\\\\b'${"`"} }),
  column("plain_written", string(20), { serverDefault: sql${"`"}'a\\b'${"`"} }),
);
`;

for (const harness of harnesses.filter((candidate) => candidate.name === "postgresql")) {
  describe(`server defaults with backslashes and quotes on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts", compareServerDefault: true });

    it("compare clean after upgrade, as declared and as written in the migration", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA(String.raw`"C:\\temp"`));
      project.ok("revision", "--autogenerate", "-m", "users", "--rev-id", "bs01");
      project.ok("upgrade", "head");
      const stored = await suite.withConnection(async (connection) => {
        const { rows } = await connection.query<{ note: string; mixed: string; kind: string; plain: string }>(
          "INSERT INTO users (id) VALUES (1) RETURNING note, mixed, kind::text AS kind, plain_written AS plain",
        );
        return rows[0];
      });
      // The values the server stores are the ones declared.
      expect(stored).toEqual({ note: "C:\\temp", mixed: "C:\\it's", kind: "x\\y", plain: "a\\b" });
      const check = project.run("check");
      expect(check.stdout).toBe("No new upgrade operations detected.\n");
      expect(check.status).toBe(0);
    });

    it("still reports a changed default, and the migration it writes applies it", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA(String.raw`"C:\\tmp"`));
      const check = project.run("check");
      expect(check.status).toBe(1);
      expect(check.stdout.trim().split("\n")).toEqual([
        String.raw`('modify_default', None, 'users', 'note', sql${"`"}E'C:\\temp'${"`"} -> 'C:\tmp')`,
      ]);
      project.ok("revision", "--autogenerate", "-m", "note", "--rev-id", "bs02");
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      expect(await noteDefault()).toBe(String.raw`'C:\tmp'::character varying`);
      // The downgrade restores the default it read.
      project.ok("downgrade", "bs01");
      expect(await noteDefault()).toBe(String.raw`'C:\temp'::character varying`);
    });

    /** The default of users.note as the catalogs give it. */
    function noteDefault(): Promise<unknown> {
      return suite.withConnection(async (connection) => {
        const { rows } = await connection.query<{ text: string }>(
          "SELECT pg_get_expr(d.adbin, d.adrelid) AS text FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'users'::regclass AND a.attname = 'note'",
        );
        return rows[0]?.text;
      });
    }
  });
}
