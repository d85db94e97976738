import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { TestProject } from "./support/test-project.js";

/**
 * The config options of autogenerate through the CLI: a list of schema
 * modules, includeName, includeObject, compareType as a function,
 * postWriteHooks on the generated file, and several heads.
 */
const CONFIG = (url: string) => `
import { appendFileSync } from "node:fs";
import { defineConfig } from "@retort/core";

export default defineConfig({
  scriptLocation: "migrations",
  url: ${JSON.stringify(url)},
  schema: ["./schema/users.ts", "./schema/things.ts"],
  includeName: (name, type) => !(type === "table" && name.startsWith("external_")),
  includeObject: (_object, name, type) => !(type === "column" && name === "ignored_col"),
  compareType: ({ column }) => (column === "loose" ? false : undefined),
  postWriteHooks: [(file) => appendFileSync(file, "// formatted by the hook\\n")],
});
`;

// The excluded table's enum (a type of its own on PostgreSQL) is left alone with it.
const EXISTING = `
  const { enumType } = await import("@retort/core");
  await op.createTable("users", column("id", integer(), { primaryKey: true }), column("ignored_col", integer()), column("loose", string(10)));
  await op.createTable("external_audit", column("id", integer(), { primaryKey: true }), column("kind", enumType("audit_kind", ["a", "b"])));
`;

for (const harness of harnesses) {
  describe(`autogenerate options on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url });
      rmSync(path.join(project.dir, "retort.config.json"));
      project.write("retort.config.ts", CONFIG(database.url));
      project.write(
        "schema/users.ts",
        `import { column, integer, table, text } from "@retort/core";
export const users = table("users", column("id", integer(), { primaryKey: true }), column("loose", text()));
`,
      );
      project.write(
        "schema/things.ts",
        `import { column, integer, string, table } from "@retort/core";
export const namingConvention = { uq: "uq_%(table_name)s_%(column_0_name)s" };
export const things = table("things", column("id", integer(), { primaryKey: true }), column("code", string(20), { unique: true }));
`,
      );
      project.addRevision({ id: "base0", down: null, upgrade: EXISTING, downgrade: "" });
      project.ok("upgrade", "head");
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("reads every schema module; the hooks leave out what they reject; compareType as a function decides", () => {
      const result = project.run("check", "--json");
      expect(result.status).toBe(1);
      const diffs = JSON.parse(result.stdout) as { kind: string; description: string }[];
      expect(diffs.map((diff) => diff.description)).toEqual(["('add_table', None, 'things')"]);
    });

    it("postWriteHooks run on the generated file", () => {
      const output = project.ok("revision", "--autogenerate", "-m", "things", "--rev-id", "th1");
      const file = /Generating (\S+)/.exec(output)?.[1] as string;
      const text = readFileSync(file, "utf8");
      expect(text).toContain(
        [
          "await op.createTable(",
          '    "things",',
          '    column("id", integer(), { primaryKey: true }),',
          '    column("code", string(20)),',
          '    unique(["code"], { name: "uq_things_code" }),',
          "  );",
        ].join("\n"),
      );
      expect(text).toContain('import { column, integer, string, unique } from "@retort/core";');
      expect(text.endsWith("// formatted by the hook\n")).toBe(true);
      project.ok("upgrade", "head");
      expect(project.ok("check")).toBe("No new upgrade operations detected.\n");
    });

    it("with several heads, --head names the one to build on", () => {
      project.addRevision({ id: "br1", down: "th1", upgrade: "", downgrade: "" });
      project.addRevision({ id: "br2", down: "th1", upgrade: "", downgrade: "" });
      project.ok("upgrade", "heads");
      expect(project.run("revision", "--autogenerate", "-m", "x").stderr).toContain(
        "FAILED: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.",
      );
      const output = project.ok("revision", "--autogenerate", "-m", "on br1", "--head", "br1", "--rev-id", "nx1");
      expect(output).toContain("No changes in schema detected.");
      expect(readFileSync(/Generating (\S+)/.exec(output)?.[1] as string, "utf8")).toContain(
        'export const downRevision = "br1";',
      );
    });
  });
}
