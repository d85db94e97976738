import { checkSchema, column, integer, revision, string, table, upgrade } from "@retort/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { TestProject } from "./support/test-project.js";

/**
 * The programmatic API: `checkSchema` and `revision({ autogenerate })` with
 * the schema given as the imported module; every read of the live schema
 * passes through the run's statement sink (seen by `onStatement`).
 */
for (const harness of harnesses) {
  describe(`checkSchema and revision({ autogenerate }) on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    const accounts = table(
      "accounts",
      column("id", integer(), { primaryKey: true }),
      column("name", string(50), { nullable: false }),
    );

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("reads through the statement sink, writes the migration, then finds nothing", async () => {
      const config = { scriptLocation: "migrations", url: database.url, schema: { accounts } };
      const options = { cwd: project.dir, driver: harness.driver };
      const seen: string[] = [];
      const before = await checkSchema(config, { ...options, onStatement: (sql) => seen.push(sql) });
      expect(before.lines).toEqual(["('add_table', None, 'accounts')"]);
      expect(before.diffs[0]).toMatchObject({ kind: "add_table", table: { name: "accounts" } });
      // The introspector's queries went through the sink.
      expect(
        seen.filter((sql) => /sqlite_master|pg_catalog|pg_class|pg_attribute|information_schema/i.test(sql)).length,
      ).toBeGreaterThan(1);

      // A schema includeName rejects (null: the default one) is compared on neither side.
      const names: unknown[] = [];
      const skipped = await checkSchema(
        {
          ...config,
          includeName: (name, type) => {
            names.push([name, type]);
            return type !== "schema";
          },
        },
        options,
      );
      expect(skipped.diffs).toEqual([]);
      expect(names).toEqual([[null, "schema"]]);

      const written = await revision(config, { ...options, autogenerate: true, message: "accounts", revId: "acc1" });
      expect(written.detected).toEqual(["('add_table', None, 'accounts')"]);
      await upgrade(config, "head", options);
      expect((await checkSchema(config, options)).diffs).toEqual([]);
    });
  });
}
