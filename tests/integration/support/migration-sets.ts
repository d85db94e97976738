import type { TestProject } from "./test-project.js";

/**
 * Migration sets the suite runs on every dialect. Each writes its files into
 * a project; `target` is what `upgrade` takes to apply them all. The offline
 * test replays each as a `--sql` script and compares the result with the
 * online run.
 */
export interface MigrationSet {
  readonly name: string;
  readonly target: string;
  /** Only for dialects with these capabilities (e.g. `nativeEnum`). */
  readonly needs?: readonly ("nativeEnum" | "enumTypes" | "schemas")[];
  write(project: TestProject): void;
}

const file = (lines: readonly string[]) => `${lines.join("\n")}\n`;

/** SPEC's user_settings example, then typed bulk inserts and a dialect-conditional step. */
export const seedSet: MigrationSet = {
  name: "SPEC's seed example",
  target: "head",
  write(project) {
    project.addRevision({
      id: "a000",
      down: null,
      upgrade: '  await op.createTable("users", column("id", integer(), { primaryKey: true }));',
      downgrade: '  await op.dropTable("users");',
    });
    project.write(
      "migrations/versions/b000_user_settings.ts",
      file([
        "/** Add user settings table */",
        'import { column, dateTime, integer, primaryKey, sql, string, type Operations } from "@retort/core";',
        'export const revision = "b000";',
        'export const downRevision = "a000";',
        "export async function upgrade(op: Operations): Promise<void> {",
        '  await op.createTable("user_settings",',
        '    column("id", integer(), { nullable: false }),',
        '    column("user_id", integer(), { nullable: false, references: "users.id" }),',
        '    column("language", string(10), { serverDefault: "en" }),',
        '    column("timezone", string(50), { serverDefault: "UTC" }),',
        '    column("created_at", dateTime({ timezone: true }), { serverDefault: sql`CURRENT_TIMESTAMP` }),',
        '    primaryKey("id"),',
        "  );",
        '  await op.createIndex("ix_user_settings_user_id", "user_settings", ["user_id"]);',
        "}",
        "export async function downgrade(op: Operations): Promise<void> {",
        "  // The table's indexes go with it. (MySQL refuses to drop the index on",
        "  // user_id alone: its foreign key needs one.)",
        '  await op.dropTable("user_settings");',
        "}",
      ]),
    );
    project.write(
      "migrations/versions/c000_seed.ts",
      file([
        "/** Seed with typed values, per dialect */",
        'import { boolean, column, integer, json, string, table, type Operations } from "@retort/core";',
        'export const revision = "c000";',
        'export const downRevision = "b000";',
        'const flags = table("flags", column("id", integer(), { primaryKey: true }), column("name", string(20)), column("on", boolean()), column("meta", json()));',
        "export async function upgrade(op: Operations): Promise<void> {",
        '  await op.createTable("flags", ...flags.columns);',
        '  await op.bulkInsert(flags, [{ id: 1, name: "a", on: true, meta: { x: 1 } }, { id: 2, name: "b", on: false, meta: [1, 2] }]);',
        "  // A dialect-conditional step, as in Alembic's op.get_bind().dialect.name checks.",
        "  const dialect = op.getBind().dialect.name;",
        '  if (op.getContext().dialect.name === "postgresql") await op.execute("CREATE TABLE pg_only (id INTEGER)");',
        '  else await op.execute("CREATE TABLE not_pg (id INTEGER)");',
        '  await op.bulkInsert("flags", [{ id: 3, name: dialect }]);',
        "}",
        "export async function downgrade(op: Operations): Promise<void> {",
        '  await op.dropTable("flags");',
        '  await op.execute(op.getContext().dialect.name === "postgresql" ? "DROP TABLE pg_only" : "DROP TABLE not_pg");',
        "}",
      ]),
    );
  },
};

/** Branches, a branch label, a merge point and a dependency; values that need escaping. */
export const branchesSet: MigrationSet = {
  name: "branches, merge and escaped values",
  target: "heads",
  write(project) {
    project.addRevision({
      id: "a1",
      down: null,
      upgrade:
        '  await op.createTable("account", column("id", integer(), { primaryKey: true }), column("name", string(50), { nullable: false }));',
      downgrade: '  await op.dropTable("account");',
    });
    project.addRevision({
      id: "b1",
      down: "a1",
      upgrade: [
        '  await op.addColumn("account", column("email", string(100)));',
        '  await op.createIndex("ix_account_email", "account", ["email"], { unique: true });',
        '  await op.bulkInsert("account", [{ id: 1, name: "O\'Brien; --not a comment", email: null }, { id: 2, name: "Zoë \\\\ $$ ?", email: "z@x" }]);',
      ].join("\n"),
      downgrade: [
        '  await op.execute("DELETE FROM account");',
        '  await op.dropIndex("ix_account_email", { table: "account" });',
      ].join("\n"),
    });
    project.addRevision({
      id: "c1",
      down: "a1",
      labels: ["audit"],
      upgrade:
        '  await op.createTable("audit", column("id", integer(), { primaryKey: true }), column("note", string(200)));',
      downgrade: '  await op.dropTable("audit");',
    });
    project.addRevision({
      id: "d1",
      down: ["b1", "c1"],
      upgrade: "  await op.execute(\"INSERT INTO audit (id, note) VALUES (1, 'merged')\");",
      downgrade: '  await op.execute("DELETE FROM audit");',
    });
    project.addRevision({
      id: "e1",
      down: null,
      labels: ["side"],
      dependsOn: ["a1"],
      upgrade: '  await op.createTable("side", column("id", integer(), { primaryKey: true }));',
      downgrade: '  await op.dropTable("side");',
    });
  },
};

/** PostgreSQL's own: an enum type, a dollar-quoted function, comments, an autocommit block. */
export const postgresFeaturesSet: MigrationSet = {
  name: "enums, functions and autocommit blocks",
  target: "head",
  needs: ["enumTypes"],
  write(project) {
    project.addRevision({
      id: "p1",
      down: null,
      upgrade: [
        "  await op.execute(\"CREATE TYPE mood AS ENUM ('sad', 'ok')\");",
        '  await op.createTable("person", column("id", integer(), { primaryKey: true }), column("name", string(40), { comment: "it\'s a name" }));',
        '  await op.execute("ALTER TABLE person ADD COLUMN mood mood");',
        "  await op.execute(`CREATE FUNCTION shout(t text) RETURNS text AS $body$ BEGIN RETURN upper(t) || '!'; END $body$ LANGUAGE plpgsql`);",
        "  await op.getContext().autocommitBlock(async () => {",
        "    await op.execute(\"ALTER TYPE mood ADD VALUE 'happy'\");",
        "  });",
        '  await op.bulkInsert("person", [{ id: 1, name: "Ann" }]);',
      ].join("\n"),
      downgrade: [
        '  await op.execute("DROP FUNCTION shout(text)");',
        '  await op.dropTable("person");',
        '  await op.execute("DROP TYPE mood");',
      ].join("\n"),
    });
  },
};

/**
 * A batch block with `copyFrom` (the table as it is), up and down: on
 * SQLite a table rebuild, which a `--sql` script can only write with the
 * table given (it cannot reflect it); elsewhere plain ALTERs.
 */
export const batchCopyFromSet: MigrationSet = {
  name: "batch mode with copyFrom",
  target: "head",
  write(project) {
    const items = (columns: readonly string[]) =>
      [
        '    copyFrom: table("items",',
        '      column("id", integer(), { primaryKey: true }),',
        ...columns.map((line) => `      ${line},`),
        '      index("ix_items_name", ["name"]),',
        "    ),",
      ].join("\n");
    project.write(
      "migrations/versions/k000_items.ts",
      file([
        "/** A table with rows and an index */",
        'import { column, integer, string, type Operations } from "@retort/core";',
        'export const revision = "k000";',
        "export const downRevision = null;",
        "export async function upgrade(op: Operations): Promise<void> {",
        '  await op.createTable("items", column("id", integer(), { primaryKey: true }), column("name", string(40)), column("price", integer()));',
        '  await op.createIndex("ix_items_name", "items", ["name"]);',
        '  await op.bulkInsert("items", [{ id: 1, name: "pen", price: 2 }, { id: 2, name: "ink\'s", price: 5 }]);',
        "}",
        "export async function downgrade(op: Operations): Promise<void> {",
        '  await op.dropTable("items");',
        "}",
      ]),
    );
    project.write(
      "migrations/versions/l000_items_batch.ts",
      file([
        "/** Batch: name NOT NULL, price dropped, note added */",
        'import { column, index, integer, string, table, text, type Operations } from "@retort/core";',
        'export const revision = "l000";',
        'export const downRevision = "k000";',
        "export async function upgrade(op: Operations): Promise<void> {",
        '  await op.batchAlterTable("items", {',
        items(['column("name", string(40))', 'column("price", integer())']),
        "  }, async (batch) => {",
        '    await batch.alterColumn("name", { nullable: false });',
        '    await batch.dropColumn("price");',
        '    await batch.addColumn(column("note", text()));',
        "  });",
        "}",
        "export async function downgrade(op: Operations): Promise<void> {",
        '  await op.batchAlterTable("items", {',
        items(['column("name", string(40), { nullable: false })', 'column("note", text())']),
        "  }, async (batch) => {",
        '    await batch.dropColumn("note");',
        '    await batch.addColumn(column("price", integer()));',
        '    await batch.alterColumn("name", { nullable: true });',
        "  });",
        "}",
      ]),
    );
  },
};

export const migrationSets: readonly MigrationSet[] = [seedSet, branchesSet, postgresFeaturesSet, batchCopyFromSet];
