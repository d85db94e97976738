import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * A changed autoincrement key: the generated alterColumn says the column
 * is numbered (`existingAutoincrement: true`, Alembic's `autoincrement=True`),
 * so that MySQL's MODIFY, which rewrites the whole column, keeps
 * AUTO_INCREMENT, and a row inserted without its id still gets one after
 * the upgrade and after the downgrade.
 */
const SCHEMA = (type: string) => `
import { bigInteger, column, integer, string, table } from "@retort/core";

export const notes = table(
  "notes",
  column("id", ${type}(), { primaryKey: true, autoincrement: true, comment: "the key" }),
  column("body", string(20)),
);
`;

for (const harness of harnesses) {
  describe(`a changed autoincrement key on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    async function insertWithoutId(body: string): Promise<void> {
      await suite.withConnection(async (connection) => {
        await connection.execute(`INSERT INTO notes (body) VALUES ('${body}')`);
        expect((await connection.query(`SELECT id FROM notes WHERE body = '${body}'`)).rows[0]?.id).toBeDefined();
      });
    }

    it("stays numbered through the upgrade and the downgrade", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA("integer"));
      project.ok("revision", "--autogenerate", "-m", "notes", "--rev-id", "ai01");
      project.ok("upgrade", "head");
      await insertWithoutId("first");

      project.write("schema.ts", SCHEMA("bigInteger"));
      const generated = project.ok("revision", "--autogenerate", "-m", "wider", "--rev-id", "ai02");
      const text = readFileSync(/Generating (\S+)/.exec(generated)?.[1] as string, "utf8");
      // SQLite's key is the rowid, INTEGER whatever was declared: no change there.
      if (harness.name !== "sqlite") expect(text).toContain("existingAutoincrement: true");
      project.ok("upgrade", "head");
      await insertWithoutId("second");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");

      project.ok("downgrade", "ai01");
      await insertWithoutId("third");
    });
  });
}
