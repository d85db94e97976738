import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { TestProject } from "./support/test-project.js";

/**
 * The declared schema as a SQL file (`schema: "./schema.sql"`): applied to
 * a scratch database of the same dialect, reflected, and compared like a
 * module's tables.
 */
const SQL_A = `
CREATE TABLE authors (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id),
  title VARCHAR(200) NOT NULL,
  CONSTRAINT uq_books_title UNIQUE (title)
);
CREATE INDEX ix_books_author_id ON books (author_id);
`;

for (const harness of harnesses) {
  describe(`a SQL schema file on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url, config: { schema: "./schema.sql" } });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("generates the tables it creates; after upgrade check is clean; a change to the file shows", () => {
      project.write("schema.sql", SQL_A);
      const output = project.ok("revision", "--autogenerate", "-m", "from sql", "--rev-id", "sql1");
      expect(output).toContain("Detected ('add_table', None, 'authors')");
      const text = readFileSync(/Generating (\S+)/.exec(output)?.[1] as string, "utf8");
      expect(text.indexOf('"authors",')).toBeLessThan(text.indexOf('"books",'));
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      project.write("schema.sql", `${SQL_A}\nALTER TABLE authors ADD COLUMN born DATE;\n`);
      const changed = project.run("check");
      expect(changed.status).toBe(1);
      expect(changed.stdout).toBe("('add_column', None, 'authors', 'born', DATE)\n");
    });

    it("a file that fails says so", () => {
      project.write("schema.sql", "CREATE TABLE broken (");
      expect(project.run("check").stderr).toContain("FAILED: The schema file ");
    });
  });
}
