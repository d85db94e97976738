import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { type DialectFeatures, dialectFeatures } from "./support/dialect-features.js";
import { TestProject } from "./support/test-project.js";

/**
 * A freshly migrated database shows no difference: a table using every
 * type of core's vocabulary, server defaults of each kind, partial,
 * expression and unique indexes, foreign keys with actions, goes through
 * `revision --autogenerate` and `upgrade`, after which `check` is clean.
 * What the database's dialect refuses to compile (MySQL: VARCHAR without a
 * length, partial indexes; MariaDB: indexes on expressions) is left out.
 */
const SCHEMA = (features: DialectFeatures) => `
import {
  bigInteger, binary, boolean, check, column, customType, date, dateTime, enumType, float,
  foreignKey, index, integer, json, jsonb, numeric, smallInteger, sql, string, table, text, time, unique, uuid,
} from "@retort/core";

export const owners = table(
  "owners",
  column("id", bigInteger(), { primaryKey: true, autoincrement: true }),
  column("email", string(120), { nullable: false }),
  unique(["email"], { name: "uq_owners_email" }),
);

export const everything = table(
  "everything",
  column("id", integer(), { primaryKey: true }),
  column("owner_id", bigInteger(), { references: { table: "owners", column: "id", onDelete: "CASCADE" } }),
  column("small", smallInteger(), { serverDefault: 0 }),
  column("label", string(40), { nullable: false, serverDefault: "none" }),
  ${features.unboundedString ? 'column("unbounded", string()),' : ""}
  column("body", text()),
  column("flag", boolean(), { nullable: false, serverDefault: false }),
  column("day", date()),
  column("at", dateTime(), { serverDefault: sql\`CURRENT_TIMESTAMP\` }),
  column("at_tz", dateTime({ timezone: true })),
  column("clock", time()),
  column("amount", numeric(10, 2), { serverDefault: 1.5 }),
  column("ratio", float()),
  column("doc", json()),
  column("docb", jsonb()),
  column("uid", uuid()),
  column("state", enumType("state", ["draft", "live"]), { nullable: false, serverDefault: "draft" }),
  column("blob", binary()),
  column("note", customType("VARCHAR(12)"), { comment: "a note" }),
  check(sql\`small >= 0\`, { name: "ck_everything_small" }),
  index("ix_everything_label", ["label"]),
  ${features.partialIndex ? 'index("ix_everything_live", ["day"], { where: sql`flag` }),' : ""}
  ${features.expressionIndex ? 'index("ix_everything_lower_label", [sql`lower(label)`]),' : ""}
  index("uq_everything_uid", ["uid"], { unique: true }),
  { comment: "every type" },
);

export const children = table(
  "children",
  column("id", integer(), { primaryKey: true }),
  column("parent_id", integer(), { nullable: false }),
  foreignKey("parent_id", "everything", "id", { name: "fk_children_parent", onUpdate: "CASCADE" }),
);
`;

for (const harness of harnesses) {
  describe(`autogenerate of every type on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url, config: { schema: "./schema.ts", compareServerDefault: true } });
      project.write("schema.ts", SCHEMA(await dialectFeatures(harness, database.url, project.dir)));
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("generates, upgrades, and then finds no difference; the downgrade empties the database", () => {
      const output = project.ok("revision", "--autogenerate", "-m", "everything", "--rev-id", "all1");
      const text = readFileSync(/Generating (\S+)/.exec(output)?.[1] as string, "utf8");
      const created = (name: string) => text.indexOf(`await op.createTable(\n    "${name}",`);
      expect(created("owners")).toBeGreaterThan(0);
      expect(created("owners")).toBeLessThan(created("everything"));
      expect(created("everything")).toBeLessThan(created("children"));
      project.ok("upgrade", "head");
      const result = project.run("check");
      expect(result.stdout).toBe("No new upgrade operations detected.\n");
      expect(result.status).toBe(0);
      project.ok("downgrade", "base");
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
    });
  });
}

const CYCLE = `
import { column, foreignKey, integer, table } from "@retort/core";

export const departments = table(
  "departments",
  column("id", integer(), { primaryKey: true }),
  column("head_id", integer()),
  foreignKey("head_id", "employees", "id", { name: "fk_departments_head" }),
);

export const employees = table(
  "employees",
  column("id", integer(), { primaryKey: true }),
  column("department_id", integer(), { references: "departments.id" }),
);
`;

for (const harness of harnesses) {
  describe(`autogenerate of tables that refer to each other on ${harness.name}`, () => {
    let database: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      database = await harness.create();
      project = new TestProject({ url: database.url, config: { schema: "./schema.ts" } });
      project.write("schema.ts", CYCLE);
    });
    afterAll(async () => {
      project?.cleanup();
      await database?.drop();
    });

    it("creates both tables, then the key that closes the cycle; upgrade, clean, downgrade", () => {
      const output = project.ok("revision", "--autogenerate", "-m", "cycle", "--rev-id", "cy1");
      const text = readFileSync(/Generating (\S+)/.exec(output)?.[1] as string, "utf8");
      const addedKey = text.indexOf("createForeignKey(");
      expect(addedKey).toBeGreaterThan(text.indexOf('    "employees",'));
      expect(addedKey).toBeGreaterThan(text.indexOf('    "departments",'));
      expect(text.indexOf('    "departments",')).toBeGreaterThan(0);
      project.ok("upgrade", "head");
      expect(project.run("check").stdout).toBe("No new upgrade operations detected.\n");
      project.ok("downgrade", "base");
    });
  });
}
