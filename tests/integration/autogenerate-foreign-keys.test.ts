import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { harnesses } from "./dialects.js";
import { suiteProject } from "./support/suite-project.js";

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
    const suite = suiteProject(harness, { schema: "./schema.ts" });
    const reads = harness.driver.dialect.introspector?.readsForeignKeyDeferral === true;

    it(reads ? "is a changed key, and clean after its migration" : "is never a change", () => {
      const { project } = suite;
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

/**
 * A foreign key the database keeps without a name (SQLite, from a
 * `references:` shortcut) that the schema no longer declares: reported as
 * Alembic does (`remove_fk` with no name) and dropped by a batch that names
 * it first (a naming convention), so the table does not keep a key to a
 * table the same migration drops.
 */
const REPOINTED = (target: string) => `
import { column, integer, table } from "@retort/core";

export const target = table("${target}", column("id", integer(), { primaryKey: true }));

export const b = table(
  "b",
  column("id", integer(), { primaryKey: true }),
  column("a_id", integer(), { references: "${target}.id" }),
);
`;

for (const harness of harnesses.filter((candidate) => candidate.name === "sqlite")) {
  describe(`an unnamed foreign key pointed at another table on ${harness.name}`, () => {
    const suite = suiteProject(harness, { schema: "./schema.ts" });

    it("is dropped in a batch that names it, and check is clean after; the downgrade puts it back", async () => {
      const { project } = suite;
      project.write("schema.ts", REPOINTED("a"));
      project.ok("revision", "--autogenerate", "-m", "first", "--rev-id", "re01");
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");

      project.write("schema.ts", REPOINTED("a_new"));
      const lines = project.run("check").stdout.trim().split("\n");
      expect(lines).toContain("('remove_fk', None, 'b', None, ['a_id'] -> 'a' ['id'])");
      expect(lines).toContain("('add_fk', None, 'b', 'fk_b_a_id_a_new', ['a_id'] -> 'a_new' ['id'])");
      const generated = project.ok("revision", "--autogenerate", "-m", "repoint", "--rev-id", "re02");
      const text = readFileSync(/Generating (\S+)/.exec(generated)?.[1] as string, "utf8");
      expect(text).toContain(
        'await op.batchAlterTable("b", { namingConvention: { fk: "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s" } }, async (batch) => {',
      );
      expect(text).toContain('await batch.dropConstraint("fk_b_a_id_a", { type: "foreignkey" });');
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      const keys = () =>
        suite.withConnection(
          async (connection) => (await connection.query("SELECT \"table\" FROM pragma_foreign_key_list('b')")).rows,
        );
      expect(await keys()).toEqual([{ table: "a_new" }]);

      project.ok("downgrade", "re01");
      expect(await keys()).toEqual([{ table: "a" }]);
    });
  });
}
