import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * MySQL/MariaDB FULLTEXT indexes (`{ mysql: { prefix: "FULLTEXT" } }`,
 * SQLAlchemy's `mysql_prefix`): created as declared, compared clean, and a
 * dropped one created again as a FULLTEXT index by the downgrade (it came
 * back as a plain index on a prefix of the column).
 */
const SCHEMA = (indexes: string) => `
import { column, index, integer, string, table, text } from "@retort/core";

export const articles = table(
  "articles",
  column("id", integer(), { primaryKey: true }),
  column("title", string(200)),
  column("body", text()),
  ${indexes}
);
`;
const FULLTEXT = `index("ix_articles_body", ["title", "body"], { mysql: { prefix: "FULLTEXT" } }),`;

for (const harness of harnesses.filter((candidate) => candidate.name === "mysql")) {
  describe(`FULLTEXT indexes on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    async function indexType(): Promise<string | undefined> {
      return suite.withConnection(async (connection) => {
        const rows = (
          await connection.query(
            "SELECT DISTINCT index_type AS t FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'articles' AND index_name = 'ix_articles_body'",
          )
        ).rows as { t: string }[];
        return rows[0]?.t;
      });
    }

    it("creates a declared FULLTEXT index, and compares it clean", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA(FULLTEXT));
      project.ok("revision", "--autogenerate", "-m", "articles", "--rev-id", "ft01");
      project.ok("upgrade", "head");
      expect(await indexType()).toBe("FULLTEXT");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      // Declared without the kind, it is not compared on it.
      project.write("schema.ts", SCHEMA(`index("ix_articles_body", ["title", "body"]),`));
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
    });

    it("drops it, and the downgrade creates it again as a FULLTEXT index", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA(""));
      const generated = project.ok("revision", "--autogenerate", "-m", "drop", "--rev-id", "ft02");
      expect(generated).toContain(
        "('remove_index', None, 'articles', 'ix_articles_body', ['title', 'body'], mysql_prefix=\"FULLTEXT\")",
      );
      project.ok("upgrade", "head");
      expect(await indexType()).toBeUndefined();
      expect(project.run("check").status).toBe(0);
      project.ok("downgrade", "ft01");
      expect(await indexType()).toBe("FULLTEXT");
      project.ok("upgrade", "head");
      expect(await indexType()).toBeUndefined();
    });

    it("sees a FULLTEXT index declared over a plain one made outside Retort", async () => {
      const { project } = suite;
      await suite.withConnection(async (connection) => {
        await connection.execute("CREATE INDEX ix_articles_body ON articles (title, body(50))");
      });
      project.write("schema.ts", SCHEMA(FULLTEXT));
      const check = project.run("check");
      expect(check.status).toBe(1);
      expect(check.stdout).toContain(
        "('add_index', None, 'articles', 'ix_articles_body', ['title', 'body'], mysql_prefix=\"FULLTEXT\")",
      );
    });
  });
}
