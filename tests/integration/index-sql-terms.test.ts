import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

/**
 * Index terms written with `sql`: a term that is only a column's name
 * (`sql\`created_at\``, quoted, with the default order `ASC`) is read back
 * by the database as the column, and compares clean; on PostgreSQL an
 * operator class other than the column type's default (`sql\`title
 * text_pattern_ops\``) is read back with the term, so it compares clean
 * and a changed one is seen.
 */
const SCHEMA = (postgres: boolean, opclass: boolean) => `
import { column, dateTime, index, integer, sql, table, text } from "@retort/core";

export const docs = table(
  "docs",
  column("id", integer(), { primaryKey: true }),
  column("title", text()),
  column("created_at", dateTime()),
  index("ix_docs_created", [sql\`created_at\`]),
  index("ix_docs_created_q", [sql\`"created_at" ASC\`]),
  index("ix_docs_id_created", ["id", sql\`created_at asc\`]),
  ${postgres ? `index("ix_docs_title", [${opclass ? "sql`title text_pattern_ops`" : '"title"'}]),` : ""}
  ${postgres ? 'index("ix_docs_lower_title", [sql`lower(title) text_pattern_ops DESC`]),' : ""}
);
`;

// MySQL/MariaDB refuse a sql term (an expression: a functional key part) before it reaches the server.
for (const harness of harnesses.filter((candidate) => candidate.name !== "mysql")) {
  const postgres = harness.name === "postgresql";
  describe(`index terms written with sql on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    it("compare clean after the migration autogenerate writes; a changed operator class is seen", () => {
      const { project } = suite;
      project.write("schema.ts", SCHEMA(postgres, true));
      project.ok("revision", "--autogenerate", "-m", "docs", "--rev-id", "ixs1");
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      if (!postgres) return;
      project.write("schema.ts", SCHEMA(postgres, false));
      expect(project.run("check").stdout.trim().split("\n")).toEqual([
        "('remove_index', None, 'docs', 'ix_docs_title', [sql`title text_pattern_ops`])",
        "('add_index', None, 'docs', 'ix_docs_title', ['title'])",
      ]);
    });
  });
}
