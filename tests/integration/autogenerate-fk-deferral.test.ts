import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { TestProject } from "./support/test-project.js";

/**
 * A foreign key's DEFERRABLE and INITIALLY DEFERRED: where the database
 * reads them back (PostgreSQL, SQLite), a change of either is a changed
 * key (a drop and an add, as Alembic reports it) and the key as declared
 * compares clean after its migration; where it does not (MySQL/MariaDB,
 * which has no deferred keys), declaring them never shows as a change.
 */
const SCHEMA = (options: string) => `
import { column, foreignKey, integer, table } from "@retort/core";

export const parents = table("parents", column("id", integer(), { primaryKey: true }));

export const children = table(
  "children",
  column("id", integer(), { primaryKey: true }),
  column("parent_id", integer()),
  foreignKey("parent_id", "parents", "id", { name: "fk_children_parent"${options} }),
);
`;

const CHANGED = [
  "('remove_fk', None, 'children', 'fk_children_parent', ['parent_id'] -> 'parents' ['id'])",
  "('add_fk', None, 'children', 'fk_children_parent', ['parent_id'] -> 'parents' ['id'])",
];

for (const harness of harnesses) {
  describe(`a foreign key made deferrable on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    const reads = harness.driver.dialect.introspector?.readsForeignKeyDeferral === true;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url, config: { schema: "./schema.ts" } });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it(reads ? "is a changed key, and clean after its migration" : "is never a change", () => {
      project.write("schema.ts", SCHEMA(""));
      project.ok("revision", "--autogenerate", "-m", "plain", "--rev-id", "fk01");
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");

      project.write("schema.ts", SCHEMA(', deferrable: true, initially: "DEFERRED"'));
      const changed = project.run("check");
      if (!reads) {
        expect(changed.stdout).toBe("No new upgrade operations detected.\n");
        return;
      }
      expect(changed.stdout.trim().split("\n")).toEqual(CHANGED);
      project.ok("revision", "--autogenerate", "-m", "deferred", "--rev-id", "fk02");
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");

      // Back to an immediate key: a change again. The migration's downgrade and upgrade run.
      project.write("schema.ts", SCHEMA(""));
      expect(project.run("check").stdout.trim().split("\n")).toEqual(CHANGED);
      project.ok("downgrade", "fk01");
      project.ok("upgrade", "head");
      project.write("schema.ts", SCHEMA(', deferrable: true, initially: "DEFERRED"'));
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
    });
  });
}
