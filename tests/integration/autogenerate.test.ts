import { readFileSync, rmSync } from "node:fs";
import { type Connection, parseDatabaseUrl, type ReflectedSchema } from "@retort/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DialectHarness, harnesses, type TestDatabase } from "./dialects.js";
import { TestProject } from "./support/test-project.js";

/**
 * Autogenerate's round trip through the CLI: declare schema A, generate,
 * upgrade, `check` is clean; change it to B (an addition, a removal and an
 * alteration of each kind), `check` lists each difference, generate,
 * upgrade, clean; downgrade, and the database reads back as A again.
 */
const SCHEMA_A = `
import { check, column, enumType, foreignKey, index, integer, sql, string, table, text, unique } from "@retort/core";

export const users = table(
  "users",
  column("id", integer(), { primaryKey: true }),
  column("email", string(100), { nullable: false }),
  column("name", string(50)),
  column("legacy", integer()),
  column("mood", enumType("mood", ["sad", "happy"])),
  index("ix_users_name", ["name"]),
  unique(["email"], { name: "uq_users_email" }),
);

export const posts = table(
  "posts",
  column("id", integer(), { primaryKey: true }),
  column("user_id", integer(), { nullable: false }),
  column("title", string(200), { nullable: false }),
  column("body", text()),
  foreignKey("user_id", "users", "id", { name: "fk_posts_user_id_users" }),
  check(sql\`length(title) > 0\`, { name: "ck_posts_title" }),
);

export const groups = { archive: [table("old_table", column("id", integer(), { primaryKey: true }), column("kind", enumType("old_kind", ["x", "y"])))] };
`;

const SCHEMA_B = `
import { check, column, enumType, foreignKey, index, integer, sql, string, table, text, unique } from "@retort/core";

export const users = table(
  "users",
  column("id", integer(), { primaryKey: true }),
  column("email", string(255), { nullable: false }),
  column("name", string(50), { nullable: false, comment: "display name" }),
  column("age", integer()),
  column("mood", enumType("mood", ["sad", "ok", "happy"])),
  unique(["name"], { name: "uq_users_name" }),
  check(sql\`age >= 0\`, { name: "ck_users_age" }),
  { comment: "people" },
);

export const posts = table(
  "posts",
  column("id", integer(), { primaryKey: true }),
  column("user_id", integer(), { nullable: false }),
  column("editor_id", integer()),
  column("title", string(200), { nullable: false, serverDefault: "untitled" }),
  column("body", text()),
  foreignKey("editor_id", "users", "id", { name: "fk_posts_editor_id_users" }),
  index("ix_posts_title", ["title"]),
);

export const tags = table(
  "tags",
  column("id", integer(), { primaryKey: true }),
  column("post_id", integer(), { nullable: false, references: "posts.id" }),
  column("kind", enumType("tag_kind", ["topic", "series"])),
);
`;

/** The reflected schema with order that migrations do not keep (re-added columns come last) taken out. */
async function reflect(harness: DialectHarness, url: string, cwd: string): Promise<unknown> {
  const connection: Connection = await harness.driver.connect(parseDatabaseUrl(url), { cwd });
  try {
    const introspector = connection.dialect.introspector;
    if (introspector === undefined) throw new Error(`${harness.name} has no introspector`);
    const schema: ReflectedSchema = await introspector.introspect(
      async (sql, parameters) => (await connection.query(sql, parameters)).rows as never,
      { excludeTables: ["alembic_version"] },
    );
    const byName = (a: { name?: string }, b: { name?: string }) => String(a.name).localeCompare(String(b.name));
    return {
      tables: [...schema.tables].sort(byName).map((table) => ({
        ...table,
        // PostgreSQL cannot remove an enum value: the downgrade leaves 'ok' in mood, so enum types are compared by name.
        columns: [...table.columns]
          .sort(byName)
          .map((item) =>
            item.type.kind === "enum" ? { ...item, type: { kind: "enum", name: item.type.name } } : item,
          ),
        constraints: [...table.constraints].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        indexes: [...table.indexes].sort(byName),
      })),
      enums: [...schema.enums].sort(byName).map((item) => ({ name: item.name, schema: item.schema })),
    };
  } finally {
    await connection.close();
  }
}

for (const harness of harnesses) {
  describe(`autogenerate and check on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;
    const dialect = harness.driver.dialect;
    // Enum types of their own (PostgreSQL's CREATE TYPE), or enums written on the column (MySQL's ENUM(...)).
    const namedEnums = dialect.capabilities.nativeEnum && dialect.capabilities.enumTypes;
    const inlineEnums = dialect.capabilities.nativeEnum && !dialect.capabilities.enumTypes;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({
        url: database.url,
        config: { schema: "./schema.ts", compareServerDefault: true },
      });
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    let stateA: unknown;
    let first: string;

    it("A: autogenerate writes the tables in dependency order; upgrade; check is clean", async () => {
      project.write("schema.ts", SCHEMA_A);
      const empty = project.run("check");
      expect(empty.status).toBe(1);
      const listed = empty.stdout.split("\n");
      expect(listed.indexOf("('add_table', None, 'users')")).toBeGreaterThanOrEqual(0);
      expect(listed.indexOf("('add_table', None, 'users')")).toBeLessThan(
        listed.indexOf("('add_table', None, 'posts')"),
      );
      const generated = project.ok("revision", "--autogenerate", "-m", "schema A", "--rev-id", "aaaa");
      expect(generated).toContain("Detected ('add_table', None, 'users')");
      first = readFileSync(/Generating (\S+)/.exec(generated)?.[1] as string, "utf8");
      expect(first).toMatch(
        /^import \{ check, column, enumType, foreignKey, index, integer, sql, string, text, unique \} from "@retort\/core";$/m,
      );
      expect(first.indexOf('"users"')).toBeLessThan(first.indexOf('"posts"'));
      project.ok("upgrade", "head");
      const result = project.run("check");
      // Only the line naming the database: no warning.
      expect(result.stderr).toMatch(/^Database: [^\n]+\n$/);
      expect(result.stdout).toBe("No new upgrade operations detected.\n");
      expect(result.status).toBe(0);
      stateA = await reflect(harness, database.url, project.dir);
    });

    it("refuses while the database is behind, and with --sql", () => {
      project.addRevision({ id: "behind", down: "aaaa", upgrade: "  // nothing", downgrade: "  // nothing" });
      const behind = project.run("revision", "--autogenerate", "-m", "x");
      expect(behind.stderr).toContain("FAILED: Target database is not up to date.");
      expect(project.run("check").stderr).toContain("FAILED: Target database is not up to date.");
      project.ok("upgrade", "head");
      expect(project.run("revision", "--autogenerate", "--sql", "-m", "x").stderr).toContain(
        "FAILED: Using --sql with --autogenerate does not make any sense",
      );
    });

    it("B: check lists every difference and fails; autogenerate, upgrade, clean; downgrade gives A again", async () => {
      project.write("schema.ts", SCHEMA_B);
      const failed = project.run("check");
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain("FAILED: New upgrade operations detected");
      const lines = failed.stdout.trim().split("\n");
      const expected = [
        "('add_table', None, 'tags')",
        "('remove_table', None, 'old_table')",
        "('add_column', None, 'users', 'age', INTEGER)",
        "('remove_column', None, 'users', 'legacy', INTEGER)",
        "('add_column', None, 'posts', 'editor_id', INTEGER)",
        `('modify_type', None, 'users', 'email', VARCHAR(100) -> VARCHAR(255))`,
        "('modify_nullable', None, 'users', 'name', True -> False)",
        "('modify_default', None, 'posts', 'title', None -> 'untitled')",
        "('remove_index', None, 'users', 'ix_users_name', ['name'])",
        "('add_index', None, 'posts', 'ix_posts_title', ['title'])",
        "('remove_constraint', None, 'users', 'uq_users_email', unique ['email'])",
        "('add_constraint', None, 'users', 'uq_users_name', unique ['name'])",
        "('remove_constraint', None, 'posts', 'ck_posts_title', check sql`length(title) > 0`)",
        "('add_constraint', None, 'users', 'ck_users_age', check sql`age >= 0`)",
        "('remove_fk', None, 'posts', 'fk_posts_user_id_users', ['user_id'] -> 'users' ['id'])",
        "('add_fk', None, 'posts', 'fk_posts_editor_id_users', ['editor_id'] -> 'users' ['id'])",
      ];
      if (dialect.capabilities.comments) {
        expected.push(
          "('modify_comment', None, 'users', 'name', None -> 'display name')",
          "('add_table_comment', None, 'users', None -> 'people')",
        );
      }
      if (namedEnums) {
        expected.push(
          "('add_enum', None, 'tag_kind', ['topic', 'series'])",
          "('add_enum_value', None, 'mood', 'ok')",
          "('remove_enum', None, 'old_kind', ['x', 'y'])",
        );
      }
      // An index the database made for the dropped foreign key (InnoDB's) is dropped with it.
      const posts = (stateA as ReflectedSchema).tables.find((item) => item.name === "posts");
      if (posts?.indexes.some((item) => item.foreignKey === "fk_posts_user_id_users")) {
        expected.push("('remove_index', None, 'posts', 'fk_posts_user_id_users', ['user_id'])");
      }
      if (inlineEnums) {
        const enumText = (values: string[]) => dialect.typeText?.({ kind: "enum", name: "mood", values });
        expected.push(
          `('modify_type', None, 'users', 'mood', ${enumText(["sad", "happy"])} -> ${enumText(["sad", "ok", "happy"])})`,
        );
      }
      if (!dialect.capabilities.nativeEnum) {
        // The enum is a VARCHAR and a CHECK named after it: its new value list is a changed type.
        expected.push(
          "('modify_type', None, 'users', 'mood', VARCHAR(5) mood['sad', 'happy'] -> VARCHAR(5) mood['sad', 'ok', 'happy'])",
        );
      }
      // A CHECK's text is the database's (PostgreSQL adds casts and parentheses): compared up to it.
      const withoutCheckText = (line: string) => line.replace(/, check sql`.*`\)$/, ", check)");
      expect(lines.map(withoutCheckText).sort()).toEqual(expected.map(withoutCheckText).sort());

      const json = JSON.parse(project.run("check", "--json").stdout) as { kind: string }[];
      expect(json.map((diff) => diff.kind).sort()).toEqual(expected.map((line) => /^\('(\w+)'/.exec(line)?.[1]).sort());

      const generated = project.ok("revision", "--autogenerate", "-m", "schema B", "--rev-id", "bbbb");
      const text = readFileSync(/Generating (\S+)/.exec(generated)?.[1] as string, "utf8");
      expect(text).toContain("// review: drops data");
      expect(text).toContain("A table rename cannot be detected");
      expect(text).toContain("A column rename cannot be detected: on users");
      if (dialect.capabilities.alterInPlace) expect(text).not.toContain("batchAlterTable");
      else expect(text).toContain('await op.batchAlterTable("users", {}, async (batch) => {');
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");

      const empty = project.ok("revision", "--autogenerate", "-m", "nothing", "--rev-id", "cccc");
      expect(empty).toContain("No changes in schema detected.");
      expect(readFileSync(/Generating (\S+)/.exec(empty)?.[1] as string, "utf8")).toContain("// no changes detected");
      project.ok("upgrade", "head");

      project.ok("downgrade", "behind");
      expect(await reflect(harness, database.url, project.dir)).toEqual(stateA);
      // Without B's migrations the database is at its heads again, and matches A.
      rmSync(/Generating (\S+)/.exec(generated)?.[1] as string);
      rmSync(/Generating (\S+)/.exec(empty)?.[1] as string);
      project.write("schema.ts", SCHEMA_A);
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
    });
  });
}
