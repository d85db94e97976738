import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * `index(...)` in a `table(...)` takes the dialect blocks `op.createIndex`
 * takes: MySQL's prefix length (SQLAlchemy's `mysql_length`), which MySQL
 * requires to index a TEXT column. Through the CLI: autogenerate renders the
 * length, the migration creates the index with it (online and with --sql),
 * and `check` then compares clean on MySQL/MariaDB, where the length is read
 * back from information_schema.STATISTICS.SUB_PART, and still sees a changed
 * length there. The other databases ignore the MySQL block.
 */
const SCHEMA = (length: number) => `
import { column, index, integer, string, table, text } from "@retort/core";

export const posts = table(
  "posts",
  column("id", integer(), { primaryKey: true }),
  column("title", string(200)),
  column("body", text()),
  index("ix_posts_body", ["body"], { mysql: { length: ${length} } }),
  index("ix_posts_title_body", ["title", "body"], { mysql: { length: { body: 20 } } }),
  index("ix_posts_title", ["title"], { mysql: { length: 200 } }),
);
`;

for (const harness of harnesses) {
  describe(`index(...) with { mysql: { length } } on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    it("is rendered by autogenerate, created with its length, and compares clean", async () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA(100));
      project.ok("revision", "--autogenerate", "-m", "posts", "--rev-id", "ix01");
      const folder = path.join(project.dir, "migrations", "versions");
      const file = readdirSync(folder).find((name) => name.startsWith("ix01"));
      const migration = readFileSync(path.join(folder, String(file)), "utf8");
      expect(migration).toContain(`index("ix_posts_body", ["body"], { mysql: { length: 100 } })`);
      expect(migration).toContain(
        `index("ix_posts_title_body", ["title", "body"], { mysql: { length: { body: 20 } } })`,
      );

      const offline = project.ok("upgrade", "--sql", "head");
      if (harness.name === "mysql") {
        expect(offline).toMatch(/CREATE INDEX `?ix_posts_body`? ON `?posts`? \(`?body`?\(100\)\)/);
        expect(offline).toMatch(/CREATE INDEX `?ix_posts_title_body`? ON `?posts`? \(`?title`?, `?body`?\(20\)\)/);
      } else {
        expect(offline).toMatch(/CREATE INDEX "?ix_posts_body"? ON "?posts"? \("?body"?\)/);
      }

      project.ok("upgrade", "head");
      if (harness.name === "mysql") {
        const { rows } = await suite.withConnection((connection) =>
          connection.query(
            "SELECT index_name AS name, GROUP_CONCAT(CONCAT(column_name, '(', COALESCE(sub_part, '-'), ')') ORDER BY seq_in_index) AS parts " +
              "FROM information_schema.STATISTICS WHERE table_schema = DATABASE() AND table_name = 'posts' AND index_name LIKE 'ix_%' " +
              "GROUP BY index_name ORDER BY index_name",
          ),
        );
        expect(rows).toEqual([
          { name: "ix_posts_body", parts: "body(100)" },
          // As long as the VARCHAR(200): the whole column, which the server reports without SUB_PART.
          { name: "ix_posts_title", parts: "title(-)" },
          { name: "ix_posts_title_body", parts: "title(-),body(20)" },
        ]);
      }
      const check = project.run("check");
      expect(check.stdout).toBe("No new upgrade operations detected.\n");
      expect(check.status).toBe(0);
    });

    it("takes the block in batch.createIndex too", async () => {
      const { project } = suite;
      project.write(
        "migrations/versions/ix02_summary.ts",
        [
          'import { column, text, type Operations } from "@retort/core";',
          "",
          'export const revision = "ix02";',
          'export const downRevision = "ix01";',
          "",
          "export async function upgrade(op: Operations): Promise<void> {",
          '  await op.batchAlterTable("posts", {}, async (batch) => {',
          '    await batch.addColumn(column("summary", text()));',
          '    await batch.createIndex("ix_posts_summary", ["summary"], { mysql: { length: 30 } });',
          "  });",
          "}",
          "",
          "export async function downgrade(op: Operations): Promise<void> {",
          '  await op.batchAlterTable("posts", {}, async (batch) => {',
          '    await batch.dropIndex("ix_posts_summary");',
          '    await batch.dropColumn("summary");',
          "  });",
          "}",
          "",
        ].join("\n"),
      );
      project.ok("upgrade", "head");
      if (harness.name === "mysql") {
        const { rows } = await suite.withConnection((connection) =>
          connection.query(
            "SELECT sub_part FROM information_schema.STATISTICS WHERE table_schema = DATABASE() AND table_name = 'posts' AND index_name = 'ix_posts_summary'",
          ),
        );
        expect(rows).toEqual([{ sub_part: 30 }]);
      }
      project.ok("downgrade", "ix01");
      rmSync(path.join(project.dir, "migrations", "versions", "ix02_summary.ts"));
    });

    it("sees a changed length on MySQL/MariaDB only", () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA(50));
      const check = project.run("check");
      if (harness.name === "mysql") {
        expect(check.status).toBe(1);
        expect(check.stdout).toContain(`('remove_index', None, 'posts', 'ix_posts_body', ['body'], mysql_length=100)`);
        expect(check.stdout).toContain("('add_index', None, 'posts', 'ix_posts_body', ['body'], mysql_length=50)");
        expect(check.stdout).not.toContain("ix_posts_title");
      } else {
        expect(check.stdout).toBe("No new upgrade operations detected.\n");
        expect(check.status).toBe(0);
      }
    });
  });
}
