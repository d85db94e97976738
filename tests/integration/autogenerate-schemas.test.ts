import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { TestProject } from "./support/test-project.js";

/**
 * Tables grouped by PostgreSQL schema (`table(..., { schema: "blog" })`,
 * exported in an object per schema): each schema a declared table names is
 * read and compared, and the generated operations carry the schema. A
 * foreign key names its table as `REFERENCES` resolves it: unqualified in
 * the current schema (`users`, or `public.users`), qualified elsewhere
 * (`blog.posts`, also from a table of `blog`).
 */
const SCHEMA = (withTags: boolean, pinned = withTags) => `
import { column, foreignKey, integer, string, table } from "@retort/core";

export const publicTables = {
  users: table(
    "users",
    column("id", integer(), { primaryKey: true }),
    column("pinned_post_id", integer()),
    ${pinned ? 'foreignKey("pinned_post_id", "blog.posts", "id", { name: "fk_users_pinned" }),' : ""}
  ),
};

export const blog = {
  posts: table(
    "posts",
    column("id", integer(), { primaryKey: true }),
    column("title", string(${withTags ? 300 : 200}), { nullable: false }),
    column("author_id", integer()),
    column("editor_id", integer()),
    foreignKey("author_id", "users", "id", { name: "fk_posts_author" }),
    foreignKey("editor_id", "public.users", "id", { name: "fk_posts_editor" }),
    { schema: "blog" },
  ),
  comments: table(
    "comments",
    column("id", integer(), { primaryKey: true }),
    column("post_id", integer()),
    foreignKey("post_id", "blog.posts", "id", { name: "fk_comments_post" }),
    { schema: "blog" },
  ),
  ${withTags ? 'tags: table("tags", column("id", integer(), { primaryKey: true }), { schema: "blog" }),' : ""}
};
`;

for (const harness of harnesses.filter((candidate) => candidate.driver.dialect.capabilities.schemas)) {
  describe(`tables in several schemas on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      database = await harness.create();
      // The version table named in its schema (the default one) is still left out.
      project = new TestProject({ url: database.url, config: { schema: "./schema.ts", versionTableSchema: "public" } });
      project.addRevision({
        id: "blog0",
        down: null,
        upgrade: '  await op.createSchema("blog");',
        downgrade: '  await op.dropSchema("blog");',
      });
      project.ok("upgrade", "head");
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("names the version table with its schema", () => {
      expect(project.ok("ensure-version").trim()).toBe("Version table public.alembic_version already exists.");
    });

    it("creates, alters and compares tables in their schema", () => {
      project.write("schema.ts", SCHEMA(false));
      const first = project.ok("revision", "--autogenerate", "-m", "tables", "--rev-id", "tb1");
      expect(first).toContain("Detected ('add_table', 'blog', 'posts')");
      expect(readFileSync(/Generating (\S+)/.exec(first)?.[1] as string, "utf8")).toContain('{ schema: "blog" },');
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");

      project.write("schema.ts", SCHEMA(true));
      expect(project.run("check").stdout.trim().split("\n")).toEqual([
        "('add_table', 'blog', 'tags')",
        "('add_fk', None, 'users', 'fk_users_pinned', ['pinned_post_id'] -> 'blog.posts' ['id'])",
        "('modify_type', 'blog', 'posts', 'title', VARCHAR(200) -> VARCHAR(300))",
      ]);
      const second = project.ok("revision", "--autogenerate", "-m", "more", "--rev-id", "tb2");
      expect(readFileSync(/Generating (\S+)/.exec(second)?.[1] as string, "utf8")).toContain(
        'await op.alterColumn("posts", "title", { type: string(300), existingType: string(200), existingNullable: false, schema: "blog" });',
      );
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      // A foreign key to another schema's table, dropped: the downgrade adds it back there.
      project.write("schema.ts", SCHEMA(true, false));
      const third = project.ok("revision", "--autogenerate", "-m", "unpin", "--rev-id", "tb3");
      const thirdFile = /Generating (\S+)/.exec(third)?.[1] as string;
      expect(readFileSync(thirdFile, "utf8")).toContain(
        'await op.createForeignKey("fk_users_pinned", "users", "posts", ["pinned_post_id"], ["id"], { referentSchema: "blog" });',
      );
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      project.ok("downgrade", "-1");
      rmSync(thirdFile);
      project.write("schema.ts", SCHEMA(true));
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      // The downgrades' schema-qualified operations run too.
      project.ok("downgrade", "blog0");
      expect(project.ok("current")).toBe("blog0\n");
    });
  });
}

for (const harness of harnesses.filter((candidate) => !candidate.driver.dialect.capabilities.schemas)) {
  describe(`a table declared in a schema on ${harness.name}, which has none`, () => {
    let database: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url, config: { schema: "./schema.ts" } });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("is refused, naming the table, the schema and the way out; includeName can leave the schema out", () => {
      project.write("schema.ts", SCHEMA(false));
      const refused = project.run("check");
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(
        `FAILED: Table "posts" of the declared schema is in schema "blog", but ${harness.driver.dialect.name} has no schemas here`,
      );
      expect(project.run("revision", "--autogenerate", "-m", "x").stderr).toContain('is in schema "blog"');
      rmSync(path.join(project.dir, "retort.config.json"));
      project.write(
        "retort.config.ts",
        `export default { scriptLocation: "migrations", url: ${JSON.stringify(database.url)}, schema: "./schema.ts", includeName: (name: string | null, type: string) => !(type === "schema" && name === "blog") };\n`,
      );
      expect(project.run("check").stdout).toBe("('add_table', None, 'users')\n");
    });
  });
}
