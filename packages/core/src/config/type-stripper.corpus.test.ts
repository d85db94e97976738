import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../test-support/seeded-random.js";
import { stripTypes } from "./type-stripper.js";

/**
 * A differential oracle for stripTypes against esbuild. For every snippet:
 * when stripTypes strips it, the result must keep every character's line and
 * column (same length, same line breaks at the same offsets) and esbuild must
 * print the same program for the TypeScript source (loader "ts") and for the
 * stripped JavaScript (loader "js", which keeps unused imports, so the
 * stripper's import elision is checked too). A snippet esbuild rejects as
 * TypeScript must be refused, or stripped into JavaScript esbuild rejects too.
 *
 * "must strip" snippets are migration files as `retort revision` and the docs
 * write them: refusing one is a failure. The other groups may be refused.
 */

const esbuild = createRequire(import.meta.url)("esbuild") as typeof Esbuild;

type Transformed = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly error: string };

/** esbuild's reprint of `source`; `compact` prints it without layout (esbuild keeps some of the source's line breaks). */
function transform(source: string, loader: "ts" | "js", compact = false): Transformed {
  try {
    const options = { loader, format: "esm", target: "node20", minifyWhitespace: compact } as const;
    return { ok: true, code: esbuild.transformSync(source, options).code };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Offsets and characters of the line terminators of `text`. */
function lineBreaks(text: string): string[] {
  return [...text.matchAll(/[\r\n\u2028\u2029]/g)].map((match) => `${match.index}:${JSON.stringify(match[0])}`);
}

function shown(result: Transformed): string {
  return result.ok ? result.code : `<esbuild error> ${result.error}`;
}

/**
 * esbuild's output with `import x, {} from` read as the same program as
 * `import x from` (a blanked named list that stays empty beside a default
 * import changes nothing).
 */
function normalized(code: string): string {
  return (
    code
      .replace(/^import ([\p{L}\p{N}_$]+), \{\} from /gmu, "import $1 from ")
      // The empty statement left where a blanked statement kept two apart (see `needsSemicolon`).
      .replace(/^[ \t]*;\n/gm, "")
  );
}

function describeCase(source: string, stripped: string, ts: Transformed, js: Transformed): string {
  return [
    "",
    "--- source",
    source,
    "--- stripTypes(source).code",
    stripped,
    "--- esbuild(source, loader ts)",
    shown(ts),
    "--- esbuild(stripped, loader js)",
    shown(js),
    "---",
  ].join("\n");
}

/** Checks the oracle on `source`; returns the refusal reason, or undefined when stripTypes stripped it. */
function checkOracle(source: string): string | undefined {
  const out = stripTypes(source);
  if (!out.ok) {
    expect(typeof out.reason, "a refusal gives a reason").toBe("string");
    expect(out.reason.length, "a refusal gives a reason").toBeGreaterThan(0);
    return out.reason;
  }
  const ts = transform(source, "ts");
  const js = transform(out.code, "js");
  const context = describeCase(source, out.code, ts, js);
  expect(out.code.length, `length changed${context}`).toBe(source.length);
  expect(lineBreaks(out.code), `line breaks moved${context}`).toEqual(lineBreaks(source));
  if (ts.ok) {
    expect(js.ok, `esbuild rejects the stripped code${context}`).toBe(true);
    if (normalized(shown(js)) !== normalized(ts.code)) {
      // esbuild lays a call out on several lines when its source had a line break before the `)`, so a
      // line break that was inside a blanked type changes the layout only: compare without layout too.
      const compactTs = transform(source, "ts", true);
      const compactJs = transform(out.code, "js", true);
      expect(normalized(shown(compactJs)), `not the same program${context}`).toBe(normalized(shown(compactTs)));
    }
  } else {
    expect(js.ok, `esbuild rejects the TypeScript source but accepts the stripped code${context}`).toBe(false);
  }
  return undefined;
}

type Case = readonly [name: string, source: string];

/** Realistic migration files: stripTypes must strip every one of them. */
/** The quick start's migrations, as the repository ships them. */
function quickstartMigrations(): Case[] {
  const versions = fileURLToPath(new URL("../../../../examples/quickstart/migrations/versions/", import.meta.url));
  return fs
    .readdirSync(versions)
    .filter((name) => name.endsWith(".ts"))
    .map((name) => [`quickstart: ${name}`, fs.readFileSync(path.join(versions, name), "utf8")]);
}

const mustStrip: readonly Case[] = [
  ...quickstartMigrations(),
  [
    "bench migration, merge point",
    `/** m9 */
import { column, integer, string, type Operations } from "@retort/core";

export const revision = "r000009";
export const downRevision = ["r000008", "r000005"];
export const branchLabels = null;
export const dependsOn = null;
export const message = "m9";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("t_9", column("id", integer(), { primaryKey: true }), column("name", string(50)));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("t_9");
}
`,
  ],
  [
    "bench migration, root",
    `/** m0 */
import { column, integer, string, type Operations } from "@retort/core";

export const revision = "r000000";
export const downRevision = null;
export const branchLabels = null;
export const dependsOn = null;
export const message = "m0";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("t_0", column("id", integer(), { primaryKey: true }), column("name", string(50)));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("t_0");
}
`,
  ],
  [
    "generic template, empty bodies",
    `/** create account table
 *
 * Revision ID: 1975ea83b712
 * Revises:
 * Create Date: 2026-11-24 09:00:00.123000
 */
import type { Operations } from "@retort/core";

export const revision = "1975ea83b712";
export const downRevision = null;
export const branchLabels = null;
export const dependsOn = null;
export const message = "create account table";
export const createDate = "2026-11-24 09:00:00.123000";

export async function upgrade(op: Operations): Promise<void> {
  // write the upgrade here
}

export async function downgrade(op: Operations): Promise<void> {
  // write the downgrade here
}
`,
  ],
  [
    "multidb template, filled",
    `/** add events
 *
 * Revision ID: 9f1e
 * Revises: 8e0d
 * Create Date: 2026-11-24 10:00:00.000000
 */
import type { Operations } from "@retort/core";
import { column, integer, string } from "@retort/core";

export const revision = "9f1e";
export const downRevision = "8e0d";
export const branchLabels = null;
export const dependsOn = null;
export const message = "add events";
export const createDate = "2026-11-24 10:00:00.000000";

/** The database this run migrates, chosen as in retort.config.ts. */
const database = process.env.RETORT_DB ?? "main";

export async function upgrade(op: Operations): Promise<void> {
  if (database === "main") {
    await op.createTable("events", column("id", integer(), { primaryKey: true }), column("kind", string(20)));
  }
  if (database === "analytics") {
    // write the upgrade of the analytics database here
  }
}

export async function downgrade(op: Operations): Promise<void> {
  if (database === "main") {
    await op.dropTable("events");
  }
  if (database === "analytics") {
    // write the downgrade of the analytics database here
  }
}
`,
  ],
  [
    "autogenerate output, two imports",
    `import type { Operations } from "@retort/core";
import { column, integer, string } from "@retort/core";

export const revision = "ae10";
export const downRevision = "ad09";
export const branchLabels = null;
export const dependsOn = null;
export const message = "autogenerated";
export const createDate = "2026-11-24 10:00:00.000000";

export async function upgrade(op: Operations): Promise<void> {
  // ### commands auto generated by Retort - please adjust! ###
  // A column rename cannot be detected: on users it shows as a drop and an add. If this is one, use op.alterColumn(table, column, { newColumnName }) instead.
  await op.addColumn("users", column("full_name", string(100)));
  await op.alterColumn("users", "email", { type: string(255), existingType: string(100), existingNullable: false });
  // review: drops data
  await op.dropColumn("users", "name", { existingType: string(100) });
  // ### end Retort commands ###
}

export async function downgrade(op: Operations): Promise<void> {
  // ### commands auto generated by Retort - please adjust! ###
  await op.addColumn("users", column("name", string(100)));
  await op.alterColumn("users", "email", { type: string(100), existingType: string(255), existingNullable: false });
  // review: drops data
  await op.dropColumn("users", "full_name", { existingType: string(100) });
  // ### end Retort commands ###
}
`,
  ],
  [
    "batchAlterTable with an async arrow",
    `import { column, integer, string, type Operations } from "@retort/core";

export const revision = "b1";
export const downRevision = "b0";

export async function upgrade(op: Operations): Promise<void> {
  await op.batchAlterTable("users", {}, async (batch) => {
    await batch.addColumn(column("full_name", string(100)));
    await batch.alterColumn("email", { type: string(255), existingType: string(100), existingNullable: false });
    await batch.dropColumn("name", { existingType: string(100) });
  });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.batchAlterTable("users", { recreate: "always" }, async (batch): Promise<void> => {
    await batch.addColumn(column("name", string(100)));
    await batch.dropColumn("full_name");
    await batch.alterColumn("id", { type: integer() });
  });
}
`,
  ],
  [
    "createTable with every kind of constraint",
    `import {
  check, column, currentTimestamp, dateTime, foreignKey, index, integer, primaryKey, sql, string, unique,
  type Operations,
} from "@retort/core";

export const revision = "c1";
export const downRevision = "c0";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("orders",
    column("id", integer(), { nullable: false }),
    column("tenant_id", integer(), { nullable: false }),
    column("user_id", integer(), { nullable: false, references: "users.id" }),
    column("amount", integer()),
    column("created_at", dateTime({ timezone: true }), { serverDefault: currentTimestamp() }),
    primaryKey(["tenant_id", "id"], { name: "pk_orders" }),
    unique(["tenant_id", "user_id"], { name: "uq_orders_tenant_user" }),
    foreignKey("user_id", "users", "id", { name: "fk_orders_user", onDelete: "CASCADE" }),
    check(sql\`amount >= 0\`, { name: "ck_orders_amount" }),
    index("ix_orders_created_at", ["created_at"], { unique: false, where: sql\`deleted_at IS NULL\` }),
  );
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("orders");
}
`,
  ],
  [
    "getContext, dialect checks, xArgs",
    `import type { Operations } from "@retort/core";

export const revision = "d1";
export const downRevision = "d0";

export async function upgrade(op: Operations): Promise<void> {
  const context = op.getContext();
  if (context.dialect.name === "sqlite") { /* ... */ }
  const tenant = context.xArgs.tenant;          // retort -x tenant=acme upgrade head
  if (context.tag === "skip-seed") return;      // retort upgrade head --tag skip-seed
  if (context.isOffline) {
    await op.execute(\`-- tenant \${tenant ?? "none"}\`);
  }
}

export async function downgrade(op: Operations): Promise<void> {
  const { dialect, xArgList } = op.getContext();
  if (dialect.capabilities.transactionalDdl && xArgList.length > 0) await op.execute("SELECT 1");
}
`,
  ],
  [
    "getBind query with an object type argument, for-of",
    `import type { Operations } from "@retort/core";

export const revision = "e1";
export const downRevision = "e0";

export async function upgrade(op: Operations): Promise<void> {
  const rows = await op.getBind().query<{ id: number; email: string }>(
    'SELECT "id", "email" FROM "users" WHERE "email" LIKE ?', ["%@old.example"],
  );
  for (const row of rows) {
    await op.execute('UPDATE "users" SET "email" = ? WHERE "id" = ?', [row.email.replace("old.", ""), row.id]);
  }
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "invoke with a typed operation constant, no return types",
    `import { boolean, column, reverseOperation, type Operation, type Operations } from "@retort/core";

export const revision = "f1";
export const downRevision = "f0";

const addVerified: Operation = { kind: "addColumn", table: "users", column: column("verified", boolean()) };

export async function upgrade(op: Operations) {
  await op.invoke(addVerified);
}
export async function downgrade(op: Operations) {
  const reverse = reverseOperation(addVerified);
  if (reverse) await op.invoke(reverse);     // dropColumn("users", "verified")
}
`,
  ],
  [
    "declared table and typed bulk insert",
    `import { boolean, column, dateTime, integer, json, table, type Operations } from "@retort/core";

export const revision = "g1";
export const downRevision = "g0";

const flags = table("flags",
  column("id", integer(), { primaryKey: true }),
  column("enabled", boolean()),
  column("settings", json()),
  column("updated_at", dateTime()),
);

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("flags", ...flags.columns);
  await op.bulkInsert(flags, [
    { id: 1, enabled: true, settings: { beta: false }, updated_at: new Date() },
  ]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("flags");
}
`,
  ],
  [
    "integration test seed set, no blank lines",
    `/** Seed with typed values, per dialect */
import { boolean, column, integer, json, string, table, type Operations } from "@retort/core";
export const revision = "c000";
export const downRevision = "b000";
const flags = table("flags", column("id", integer(), { primaryKey: true }), column("name", string(20)), column("on", boolean()), column("meta", json()));
export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("flags", ...flags.columns);
  await op.bulkInsert(flags, [{ id: 1, name: "a", on: true, meta: { x: 1 } }, { id: 2, name: "b", on: false, meta: [1, 2] }]);
  // A dialect-conditional step, as in Alembic's op.get_bind().dialect.name checks.
  const dialect = op.getBind().dialect.name;
  if (op.getContext().dialect.name === "postgresql") await op.execute("CREATE TABLE pg_only (id INTEGER)");
  else await op.execute("CREATE TABLE not_pg (id INTEGER)");
  await op.bulkInsert("flags", [{ id: 3, name: dialect }]);
}
export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("flags");
  await op.execute(op.getContext().dialect.name === "postgresql" ? "DROP TABLE pg_only" : "DROP TABLE not_pg");
}
`,
  ],
  [
    "typed header exports",
    `import type { Operations } from "@retort/core";

export const revision: string = "h1";
export const downRevision: string | readonly string[] | null = ["h0a", "h0b"];
export const branchLabels: string[] | null = null;
export const dependsOn: string | null = null;
export const message: string = "typed header";
export const createDate: string = "2026-11-24 10:00:00.000000";

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT 1");
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute("SELECT 2");
}
`,
  ],
  [
    "exported async arrows with typed parameters and return types",
    `import { column, integer, type Operations } from "@retort/core";

export const revision = "i1";
export const downRevision = "i0";

export const upgrade = async (op: Operations): Promise<void> => {
  await op.createTable("arrows", column("id", integer(), { primaryKey: true }));
};

export const downgrade = async (op: Operations): Promise<void> => {
  await op.dropTable("arrows");
};
`,
  ],
  [
    "import type plus a mixed import with a renamed type",
    `import type { Operations, MigrationContext } from "@retort/core";
import { column, type ColumnOptions as Options, integer } from "@retort/core";

export const revision = "j1";
export const downRevision = "j0";

const idOptions: Options = { primaryKey: true };

export async function upgrade(op: Operations): Promise<void> {
  const context: MigrationContext = op.getContext();
  if (context.isOffline) return;
  await op.createTable("j", column("id", integer(), idOptions));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("j");
}
`,
  ],
  [
    "typed arrays, loops over table names",
    `import { column, integer, string, type Operations } from "@retort/core";

export const revision = "k1";
export const downRevision = "k0";

const tables: string[] = ["audit_a", "audit_b", "audit_c"];
const sizes: Array<number> = [10, 20, 30];
const extra: readonly string[] = [];

export async function upgrade(op: Operations): Promise<void> {
  for (let i = 0; i < tables.length; i++) {
    const name: string = tables[i]!;
    const size: number = sizes[i] ?? 50;
    await op.createTable(name, column("id", integer(), { primaryKey: true }), column("note", string(size)));
  }
  for (const name of extra) await op.execute(\`ANALYZE \${name}\`);
}

export async function downgrade(op: Operations): Promise<void> {
  for (const name of [...tables].reverse()) {
    await op.dropTable(name);
  }
}
`,
  ],
  [
    "as const and satisfies after identifiers and arrays",
    `import type { Operations } from "@retort/core";

export const revision = "l1" satisfies string;
export const downRevision = "l0";
export const branchLabels = ["reports"] as const;

const statuses = ["draft", "published", "archived"] as const;
type Status = (typeof statuses)[number];
const fallback: Status = "draft";
const limits = [1, 2, 3] satisfies number[];

export async function upgrade(op: Operations): Promise<void> {
  for (const status of statuses) {
    await op.execute("INSERT INTO statuses (name, is_default) VALUES (?, ?)", [status, status === fallback]);
  }
  await op.execute("SELECT ?", [limits.length as number]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute("DELETE FROM statuses");
}
`,
  ],
  [
    "non-null assertions",
    `import type { Operations } from "@retort/core";

export const revision = "m1";
export const downRevision = "m0";

export async function upgrade(op: Operations): Promise<void> {
  const rows = await op.getBind().query<{ id: number }>("SELECT id FROM users ORDER BY id LIMIT 1");
  const first = rows[0]!;
  const tenant = op.getContext().xArgs.tenant!.trim();
  await op.execute("UPDATE users SET tenant = ? WHERE id = ?", [tenant, first!.id]);
  const again = rows.at(-1)!.id!;
  await op.execute("SELECT ?", [again]);
}

export async function downgrade(op: Operations): Promise<void> {
  const tenant = op.getContext().xArgs["tenant"]!;
  await op.execute("UPDATE users SET tenant = NULL WHERE tenant = ?", [tenant]);
}
`,
  ],
  [
    "helper with optional and default parameters",
    `import { column, integer, string, type Column, type Operations } from "@retort/core";

export const revision = "n1";
export const downRevision = "n0";

function idColumn(name = "id", big?: boolean): Column {
  return column(name, integer(), { primaryKey: true, autoincrement: big ?? false });
}

function label(name: string, size: number = 50, nullable = true): Column {
  return column(name, string(size), { nullable });
}

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("labels", idColumn(), label("text"), label("short", 10, false));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("labels");
}
`,
  ],
  [
    "generic calls followed by parentheses",
    `import type { Operations } from "@retort/core";

export const revision = "o1";
export const downRevision = "o0";

interface Row {
  id: number;
  name: string;
}

export async function upgrade(op: Operations): Promise<void> {
  const rows = await op.getBind().query<Row>("SELECT id, name FROM things");
  const byName = new Map<string, number>();
  for (const row of rows) byName.set(row.name, row.id);
  const seen = new Set<number>(rows.map((row: Row) => row.id));
  const grouped = new Map<string, Array<Row>>();
  const nested = new Map<string, Map<string, Set<number>>>();
  await op.execute("SELECT ?", [byName.size + seen.size + grouped.size + nested.size]);
  await Promise.all<void>([]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "type aliases, interfaces and exported types",
    `import { column, integer, string, type Operations } from "@retort/core";

export const revision = "p1";
export const downRevision = "p0";

type TableName = "users" | "teams";

interface TableSpec {
  readonly name: TableName;
  columns: number;
  comment?: string;
  [key: string]: unknown;
}

export type Spec = TableSpec & { extra: boolean };

export interface Page<T> {
  items: T[];
  next: Page<T> | null;
}

const specs: TableSpec[] = [{ name: "users", columns: 2 }, { name: "teams", columns: 2, comment: "teams" }];

export async function upgrade(op: Operations): Promise<void> {
  for (const spec of specs) {
    await op.createTable(spec.name, column("id", integer(), { primaryKey: true }), column("name", string(spec.columns * 10)));
  }
}

export async function downgrade(op: Operations): Promise<void> {
  for (const spec of specs) await op.dropTable(spec.name);
}
`,
  ],
  [
    "strings and templates that look like TypeScript",
    `import type { Operations } from "@retort/core";

export const revision = "q1";
export const downRevision = "q0";
export const message = "rename a: b as any <T>(x) => x";

export async function upgrade(op: Operations): Promise<void> {
  const name: unknown = "users";
  await op.execute("COMMENT ON TABLE users IS 'id: number; enum E { A }'");
  await op.execute(\`SELECT * FROM \${name as string} WHERE note = 'x as any'\`);
  await op.execute(\`-- \${(name as string).toUpperCase()}: \${\`nested \${name as string}\`} interface I {}\`);
  await op.execute('type T = { a: number }; // not a comment');
  await op.execute("/* not a comment */ SELECT 1");
  await op.execute('SELECT "a" FROM "b" WHERE x < y AND y > z');
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute(\`SELECT '\\\`' AS backtick, '\\\${x}' AS dollar\`);
}
`,
  ],
  [
    "comments that contain code",
    `/**
 * import { enum } from "x";
 * export const x: number = <any>y;
 */
import type { Operations } from "@retort/core";

// const legacy: string = "a" as string;
/* class Foo implements Bar { private x!: number } */
export const revision = "r1"; // : string
export const downRevision = "r0"; /* as const */

export async function upgrade(op: Operations /* : Ops */): Promise<void> /* : void */ {
  // enum Color { Red }
  await op.execute("SELECT 1"); /* namespace N {} */
  /* <T>(x: T) => x */
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute("SELECT 2"); // }
}
`,
  ],
  [
    "regular expressions with colons, angle brackets and 'as'",
    `import type { Operations } from "@retort/core";

export const revision = "s1";
export const downRevision = "s0";

const identifier = /^[a-z_][a-z0-9_]*$/i;
const typed = /(\\w+): (\\w+)<(\\w+)>/g;
const casts = / as (any|unknown)/;
const slashes = /[/\\]]as: T/;

export async function upgrade(op: Operations): Promise<void> {
  const name: string = "user_settings";
  if (!identifier.test(name)) throw new Error(\`bad name: \${name}\`);
  const cleaned = name.replace(/[<>:]/g, "_").replace(casts, "").replace(typed, "$1");
  if (/x as y/.test(cleaned) || slashes.test(cleaned)) return;
  await op.execute(\`CREATE TABLE "\${cleaned}" (id INTEGER)\`);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute("DROP TABLE user_settings".replace(/user_(\\w+)/, (_m: string, rest: string) => \`user_\${rest}\`));
}
`,
  ],
  [
    "object literal with typed methods and a getter",
    `import type { Operations } from "@retort/core";

export const revision = "t1";
export const downRevision = "t0";

const steps = {
  name: "steps",
  async up(op: Operations): Promise<void> {
    await op.execute("SELECT 1");
  },
  down(op: Operations): Promise<void> {
    return op.execute("SELECT 2");
  },
  get label(): string {
    return this.name.toUpperCase();
  },
  set label(value: string) {
    this.name = value;
  },
  "quoted key": 1,
  as: 2,
  type: 3,
  interface: 4,
  enum: 5,
};

export async function upgrade(op: Operations): Promise<void> {
  await steps.up(op);
}

export async function downgrade(op: Operations): Promise<void> {
  await steps.down(op);
}
`,
  ],
  [
    "ternaries, parenthesized branches, ternaries in calls",
    `import { column, json, text, type Operations } from "@retort/core";

export const revision = "u1";
export const downRevision = "u0";

export async function upgrade(op: Operations): Promise<void> {
  const isPg = op.getContext().dialect.name === "postgresql";
  const kind = isPg ? ("jsonb") : "text";
  const type = isPg ? (json()) : (text());
  const size = isPg ? 10 : isPg === false ? 20 : 30;
  await op.addColumn("events", column("payload", type, { comment: isPg ? kind : undefined }));
  await op.execute(isPg ? "ANALYZE events" : "SELECT 1", isPg ? [] : [size]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn("events", "payload");
}
`,
  ],
  [
    "switch with case labels",
    `import { column, integer, type Operations } from "@retort/core";

export const revision = "v1";
export const downRevision = "v0";

export async function upgrade(op: Operations): Promise<void> {
  const dialect: string = op.getContext().dialect.name;
  switch (dialect) {
    case "sqlite":
      await op.execute("PRAGMA foreign_keys = ON");
      break;
    case "postgresql": {
      await op.execute("SET lock_timeout = 1000");
      break;
    }
    case "mysql":
    default:
      await op.addColumn("things", column("n", integer()));
  }
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "loops and comparisons",
    `import type { Operations } from "@retort/core";

export const revision = "w1";
export const downRevision = "w0";

export async function upgrade(op: Operations): Promise<void> {
  const n = 100;
  const batch = 10;
  for (let i = 0; i < n; i += batch) {
    const end = i + batch < n ? i + batch : n;
    if (i < end && end > i) await op.execute("UPDATE t SET x = 1 WHERE id >= ? AND id < ?", [i, end]);
  }
  let j: number = 0;
  while (j < 3 && n > j) j++;
  do j--; while (j > 0);
  const lt = j < n, gt = n > j;
  if (lt && gt && 1 < 2 === 3 > 2) await op.execute("SELECT 1");
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "catch with an unknown binding",
    `import type { Operations } from "@retort/core";

export const revision = "x1";
export const downRevision = "x0";

export async function upgrade(op: Operations): Promise<void> {
  try {
    await op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto");
  } catch (e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    if (!message.includes("permission")) throw e;
  }
  try {
    await op.execute("SELECT 1");
  } catch (error: any) {
    throw new Error(\`failed: \${error?.message as string}\`);
  } finally {
    await op.execute("SELECT 2");
  }
  try {
    await op.execute("SELECT 3");
  } catch {
    // ignore
  }
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "for-of over an asserted array",
    `import type { Operations } from "@retort/core";

export const revision = "y1";
export const downRevision = "y0";

export async function upgrade(op: Operations): Promise<void> {
  const names: unknown = JSON.parse('["a", "b"]');
  for (const name of names as string[]) {
    await op.execute("INSERT INTO names VALUES (?)", [name]);
  }
  for (const [key, value] of Object.entries({ a: 1 }) as [string, number][]) {
    await op.execute("INSERT INTO kv VALUES (?, ?)", [key, value]);
  }
  for (const key in names as object) await op.execute("SELECT ?", [key]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "optional chaining, nullish coalescing, spread",
    `import { column, integer, type Operations } from "@retort/core";

export const revision = "z1";
export const downRevision = "z0";

const options: { schema?: string; extra?: { columns?: string[] } } | undefined = undefined;

export async function upgrade(op: Operations): Promise<void> {
  const schema = options?.schema ?? process.env.SCHEMA ?? undefined;
  const columns = options?.extra?.columns ?? [];
  const first = columns?.[0];
  const hook = (options as { hook?: () => void } | undefined)?.hook;
  hook?.();
  let count: number | undefined;
  count ??= 0;
  count ||= 1;
  const base = [column("id", integer(), { primaryKey: true })];
  await op.createTable("z", ...base, ...columns.map((c) => column(c, integer())), { ...(schema ? { schema } : {}) } as never);
  await op.execute("SELECT ?", [first ?? "none"]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("z", { ...{ schema: options?.schema } });
}
`,
  ],
  [
    "labels, continue and break",
    `import type { Operations } from "@retort/core";

export const revision = "aa1";
export const downRevision = "aa0";

export async function upgrade(op: Operations): Promise<void> {
  const grid: number[][] = [[1, 2], [3, 4]];
  outer: for (const row of grid) {
    inner: for (const cell of row) {
      if (cell === 2) continue outer;
      if (cell === 4) break inner;
      await op.execute("SELECT ?", [cell]);
    }
  }
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "tuples and unions",
    `import type { Operations } from "@retort/core";

export const revision = "ac1";
export const downRevision = "ac0";

const pair: [string, number] = ["a", 1];
const labelled: [name: string, size?: number] = ["b"];
let mode: "online" | "offline" = "online";
const maybe: string | number | null | undefined = null;
const nested: ([string, number] | null)[] = [pair, null];

export async function upgrade(op: Operations): Promise<void> {
  if (op.getContext().isOffline) mode = "offline";
  await op.execute("SELECT ?, ?, ?, ?", [pair[0], labelled[0], mode, maybe ?? nested.length]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "function types in annotations",
    `import type { Operations } from "@retort/core";

export const revision = "ad1";
export const downRevision = "ad0";

const render: (x: number) => string = (x) => String(x);
const steps: Array<(op: Operations) => Promise<void>> = [];
let onDone: ((error?: Error) => void) | undefined;
const factory: new () => object = Object;

export async function upgrade(op: Operations): Promise<void> {
  steps.push(async (o: Operations): Promise<void> => {
    await o.execute(render(1));
  });
  for (const step of steps) await step(op);
  onDone?.();
  void factory;
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "object type literal as a return type",
    `import type { Operations } from "@retort/core";

export const revision = "ae1";
export const downRevision = "ae0";

function defaults(): { nullable: boolean; size: number } {
  return { nullable: true, size: 50 };
}

function pair(a: number, b: number): { sum: number, product: number } {
  return { sum: a + b, product: a * b };
}

export async function upgrade(op: Operations): Promise<void> {
  const { nullable, size } = defaults();
  await op.execute("SELECT ?, ?, ?", [nullable, size, pair(2, 3).sum]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "keyof and typeof types, indexed access",
    `import type { Operations } from "@retort/core";

export const revision = "af1";
export const downRevision = "af0";

const defaults = { nullable: true, size: 50 };
type Defaults = typeof defaults;
type Key = keyof typeof defaults;
type Size = Defaults["size"];
const key: Key = "size";
const size: Size = defaults[key] as Size;
const other: keyof Defaults = "nullable";

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT ?, ?", [size, other]);
  if (typeof size === "number") await op.execute("SELECT 1");
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "array types, readonly arrays and ReadonlyArray",
    `import type { Operations } from "@retort/core";

export const revision = "ag1";
export const downRevision = "ag0";

const a: number[] = [1];
const b: readonly string[] = ["x"];
const c: ReadonlyArray<string> = b;
const d: string[][] = [["y"]];
const e: readonly (string | number)[] = [1, "z"];

function total(values: readonly number[], ...rest: number[]): number {
  return values.length + rest.length;
}

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT ?", [total(a, 1, 2) + c.length + d.length + e.length]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "template literal types and unique symbol",
    `import type { Operations } from "@retort/core";

export const revision = "ah1";
export const downRevision = "ah0";

type IndexName = \`ix_\${string}\`;
type Pair = \`\${number}-\${"a" | "b"}\`;
const TAG: unique symbol = Symbol("tag");
const name: IndexName = "ix_users_email";
const pair: Pair = "1-a";

export async function upgrade(op: Operations): Promise<void> {
  await op.createIndex(name, "users", ["email"]);
  await op.execute("SELECT ?", [String(TAG) + pair]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex(name);
}
`,
  ],
  [
    "this types in an interface",
    `import type { Operations } from "@retort/core";

export const revision = "ai1";
export const downRevision = "ai0";

interface Builder {
  add(sql: string): this;
  build(): string[];
}

function builder(): Builder {
  const parts: string[] = [];
  const self: Builder = {
    add(sql: string) {
      parts.push(sql);
      return self;
    },
    build: () => parts,
  };
  return self;
}

export async function upgrade(op: Operations): Promise<void> {
  for (const sql of builder().add("SELECT 1").add("SELECT 2").build()) await op.execute(sql);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "async arrows and Promise generics",
    `import type { Operations } from "@retort/core";

export const revision = "aj1";
export const downRevision = "aj0";

const wait = async (ms: number): Promise<void> => {
  await new Promise<void>((resolve) => setTimeout(resolve, ms));
};
const double = (x: number): number => x * 2;
const noop = async () => {};
const id = async (x: string) => x;

export async function upgrade(op: Operations): Promise<void> {
  await wait(double(0));
  await noop();
  await Promise.all(["a", "b"].map(async (name: string): Promise<void> => {
    await op.execute("SELECT ?", [await id(name)]);
  }));
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "sql tagged templates with typed substitutions",
    `import { sql, type Operations } from "@retort/core";

export const revision = "ak1";
export const downRevision = "ak0";

const column: unknown = "email";

export async function upgrade(op: Operations): Promise<void> {
  await op.execute(sql\`CREATE VIEW active_users AS SELECT * FROM users WHERE is_active = 1\`);
  await op.execute(sql\`CREATE INDEX ix ON users (\${column as string})\`);
  await op.execute(sql\`SELECT \${(column as string).length satisfies number} AS n\`);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute(sql\`DROP VIEW active_users\`);
}
`,
  ],
  [
    "generic function declarations",
    `import type { Operations } from "@retort/core";

export const revision = "al1";
export const downRevision = "al0";

function first<T>(items: readonly T[]): T | undefined {
  return items[0];
}

function pick<T, K extends keyof T>(item: T, key: K): T[K] {
  return item[key];
}

const identity = function <T>(value: T): T {
  return value;
};

export async function upgrade(op: Operations): Promise<void> {
  const name = first<string>(["a"]) ?? pick({ n: "b" }, "n");
  await op.execute("SELECT ?", [identity(name)]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "typed callback parameters in map and filter",
    `import type { Operations } from "@retort/core";

export const revision = "am1";
export const downRevision = "am0";

interface Row {
  id: number;
  deleted: boolean;
}

export async function upgrade(op: Operations): Promise<void> {
  const rows = await op.getBind().query<Row>("SELECT id, deleted FROM items");
  const ids = rows.filter((row: Row): boolean => !row.deleted).map((row: Row) => row.id);
  const sum = ids.reduce((acc: number, id: number) => acc + id, 0);
  rows.forEach(({ id }: Row, index: number) => void (id + index));
  await op.execute("SELECT ?", [sum]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "destructured typed parameters",
    `import type { MigrationContext, Operations } from "@retort/core";

export const revision = "an1";
export const downRevision = "an0";

async function seed({ op, context }: { op: Operations; context: MigrationContext }): Promise<void> {
  if (!context.isOffline) await op.execute("SELECT 1");
}

const describe = ({ dialect, tag }: MigrationContext, { verbose = false }: { verbose?: boolean } = {}): string =>
  \`\${dialect.name}\${tag ? \` (\${tag})\` : ""}\${verbose ? "!" : ""}\`;

export async function upgrade(op: Operations): Promise<void> {
  const context = op.getContext();
  await seed({ op, context });
  await op.execute("SELECT ?", [describe(context)]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "multi-line type annotations",
    `import type { Operations } from "@retort/core";

export const revision = "ao1";
export const downRevision = "ao0";

const mapping: Record<
  string,
  {
    type: string;
    nullable?: boolean;
  }
> = {
  id: { type: "integer" },
  name: { type: "text", nullable: true },
};

export async function upgrade(
  op: Operations,
): Promise<
  void
> {
  for (const [name, spec] of Object.entries(mapping)) {
    await op.execute("SELECT ?, ?", [name, spec.type]);
  }
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "as expressions and double assertions",
    `import type { Operations } from "@retort/core";

export const revision = "ap1";
export const downRevision = "ap0";

const raw: unknown = { rows: 3 };
const count = 0 as number;
const rows = (raw as { rows: number }).rows;
const forced = raw as unknown as string;
const half = (rows as number) / 2 / (count || 1);

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT ?, ?, ?", [rows, forced, half]);
  const value = ((raw as Record<string, number>)["rows"] as number) + 1;
  await op.execute("SELECT ?", [value as number]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "interface with optional and readonly members, index signature",
    `import { column, integer, type Operations } from "@retort/core";

export const revision = "aq1";
export const downRevision = "aq0";

interface Options {
  readonly schema?: string;
  ifExists?: boolean;
  tables: readonly string[];
  [extra: string]: unknown;
  run?(op: Operations): Promise<void>;
  new?: boolean;
}

const options: Options = { tables: ["a", "b"] };

export async function upgrade(op: Operations): Promise<void> {
  for (const name of options.tables) await op.createTable(name, column("id", integer(), { primaryKey: true }));
  await options.run?.(op);
}

export async function downgrade(op: Operations): Promise<void> {
  for (const name of options.tables) await op.dropTable(name);
}
`,
  ],
  [
    "arrow returning an object literal, arrow with object return type",
    `import type { Operations } from "@retort/core";

export const revision = "ar1";
export const downRevision = "ar0";

const make = (id: number): { id: number; name: string } => ({ id, name: \`n\${id}\` });
const rows = [1, 2, 3].map((id) => make(id));
const optional = (a?: number, b: string = "x"): string => \`\${a ?? 0}\${b}\`;

export async function upgrade(op: Operations): Promise<void> {
  await op.bulkInsert("rows", rows);
  await op.execute("SELECT ?", [optional()]);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute("DELETE FROM rows");
}
`,
  ],
  [
    "non-async upgrade returning the promise",
    `import type { Operations } from "@retort/core";

export const revision = "as1";
export const downRevision = "as0";

export function upgrade(op: Operations): Promise<void> {
  return op.execute("SELECT 1");
}

export function downgrade(op: Operations): Promise<void> {
  return op.execute("SELECT 2");
}
`,
  ],
  [
    "typeof in value position, void and delete",
    `import type { Operations } from "@retort/core";

export const revision = "at1";
export const downRevision = "at0";

export async function upgrade(op: Operations): Promise<void> {
  const value: unknown = op.getContext().xArgs.limit;
  if (typeof value === "string" && typeof value !== ("number" as string)) {
    await op.execute("SELECT ?", [value]);
  }
  const record: Record<string, number> = { a: 1 };
  delete record.a;
  void op.getContext();
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "import with renamed specifiers",
    `import { column as col, integer as int, type Operations as Ops, type Column as Col } from "@retort/core";

export const revision = "au1";
export const downRevision = "au0";

const id: Col = col("id", int(), { primaryKey: true });

export async function upgrade(op: Ops): Promise<void> {
  await op.createTable("renamed", id);
}

export async function downgrade(op: Ops): Promise<void> {
  await op.dropTable("renamed");
}
`,
  ],
  [
    "export type and export interface next to the header",
    `import type { Operations } from "@retort/core";

export type Revision = string;
export interface Header {
  revision: Revision;
  downRevision: Revision | null;
}

export const revision: Revision = "av1";
export const downRevision: Revision | null = "av0";
export type { Operations };

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT 1");
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute("SELECT 2");
}
`,
  ],
  [
    "typed loop variable and let declarations",
    `import type { Operations } from "@retort/core";

export const revision = "aw1";
export const downRevision = "aw0";

export async function upgrade(op: Operations): Promise<void> {
  let total: number = 0, label: string = "", done: boolean;
  for (let i: number = 0; i < 3; i++) total += i;
  done = total > 2;
  let pending: Promise<void> | undefined;
  pending = op.execute("SELECT ?", [label + total]);
  await pending;
  if (done) await op.execute("SELECT 1");
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "helper returning Promise<void> and Promise.all",
    `import { column, integer, string, type Operations } from "@retort/core";

export const revision = "ax1";
export const downRevision = "ax0";

async function createLookup(op: Operations, name: string, size: number): Promise<void> {
  await op.createTable(name, column("id", integer(), { primaryKey: true }), column("label", string(size)));
  await op.createIndex(\`ix_\${name}_label\`, name, ["label"], { unique: true });
}

export async function upgrade(op: Operations): Promise<void> {
  await createLookup(op, "countries", 60);
  await createLookup(op, "currencies", 3);
}

export async function downgrade(op: Operations): Promise<void> {
  await Promise.all([op.dropTable("countries"), op.dropTable("currencies")] as Promise<void>[]);
}
`,
  ],
  [
    "record and map types with nested generics",
    `import type { Operations } from "@retort/core";

export const revision = "ay1";
export const downRevision = "ay0";

const renames: Record<string, Record<string, string>> = { users: { name: "full_name" } };
const sets: Map<string, Set<Array<number>>> = new Map();
const deep: Array<Array<Array<string>>> = [[["x"]]];
const partial: Partial<Record<"a" | "b", number>> = {};

export async function upgrade(op: Operations): Promise<void> {
  for (const [table, columns] of Object.entries(renames)) {
    for (const [from, to] of Object.entries(columns)) {
      await op.alterColumn(table, from, { newColumnName: to });
    }
  }
  await op.execute("SELECT ?", [sets.size + deep.length + Object.keys(partial).length]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "division and regular expressions in one file",
    `import type { Operations } from "@retort/core";

export const revision = "az1";
export const downRevision = "az0";

const total: number = 100;
const count = 4;
const ratio = total / count / 2;
const pattern = /\\d+\\/\\d+/;
const path = "a/b/c".split(/\\//).join("/") as string;

export async function upgrade(op: Operations): Promise<void> {
  const match = pattern.exec("1/2");
  const parts = (match?.[0] ?? "0/1").split("/").map(Number) as [number, number];
  await op.execute("SELECT ?, ?, ?", [ratio, parts[0] / parts[1], path]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "exports of consts and functions used by other migrations",
    `import { column, integer, string, type Column, type Operations } from "@retort/core";

export const revision = "ba1";
export const downRevision = "ba0";

export const auditColumns: readonly Column[] = [
  column("created_by", integer()),
  column("note", string(200)),
];

export function withAudit(...columns: Column[]): Column[] {
  return [...columns, ...auditColumns];
}

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("audited", ...withAudit(column("id", integer(), { primaryKey: true })));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("audited");
}
`,
  ],
  [
    "getters and setters, shorthand methods, computed keys",
    `import type { Operations } from "@retort/core";

export const revision = "bb1";
export const downRevision = "bb0";

const key = "dynamic";
const state = {
  count: 0,
  get doubled(): number {
    return this.count * 2;
  },
  [key]: true,
  [\`\${key}2\`]: false,
  increment(by: number = 1): void {
    this.count += by;
  },
};

export async function upgrade(op: Operations): Promise<void> {
  state.increment();
  await op.execute("SELECT ?", [state.doubled]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "async generator with types",
    `import type { Operations } from "@retort/core";

export const revision = "bc1";
export const downRevision = "bc0";

async function* batches(size: number, total: number): AsyncGenerator<number[], void, unknown> {
  for (let start = 0; start < total; start += size) {
    yield Array.from({ length: Math.min(size, total - start) }, (_: unknown, i: number) => start + i);
  }
}

function* names(): Generator<string> {
  yield "a";
}

export async function upgrade(op: Operations): Promise<void> {
  for await (const ids of batches(100, 250)) {
    await op.execute("DELETE FROM t WHERE id IN (SELECT value FROM json_each(?))", [JSON.stringify(ids)]);
  }
  for (const name of names()) await op.execute("SELECT ?", [name]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "JSDoc comments with types",
    `/**
 * Adds the slug column.
 * @param {Operations} op the operations
 * @returns {Promise<void>}
 */
import type { Operations } from "@retort/core";

/** @type {string} */
export const revision = "bd1";
export const downRevision = "bd0";

/**
 * @param {Operations} op
 */
export async function upgrade(op: Operations): Promise<void> {
  /** @type {string[]} */
  const rows: string[] = [];
  await op.execute("SELECT ?", [rows.length]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "union and intersection types with leading operators",
    `import type { Operations } from "@retort/core";

export const revision = "be1";
export const downRevision = "be0";

type Change =
  | { kind: "add"; column: string }
  | { kind: "drop"; column: string };

type Named = { name: string } & { table: string };

const changes: Change[] = [{ kind: "add", column: "a" }];
const named: Named = { name: "n", table: "t" };

export async function upgrade(op: Operations): Promise<void> {
  for (const change of changes) {
    if (change.kind === "add") await op.execute("SELECT ?", [change.column + named.name]);
  }
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "string literal with a line continuation and escapes",
    `import type { Operations } from "@retort/core";

export const revision = "bf1";
export const downRevision = "bf0";

const long: string = "SELECT 1 \\
  AS one";
const quotes = 'it\\'s: "x as y"';

export async function upgrade(op: Operations): Promise<void> {
  await op.execute(long);
  await op.execute("SELECT ?", [quotes + "\\" : string"]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "comparison chains in calls that are not generic calls",
    `import type { Operations } from "@retort/core";

export const revision = "bg1";
export const downRevision = "bg0";

export async function upgrade(op: Operations): Promise<void> {
  const a = 1, b = 2, c = 3, d = 4;
  await op.execute("SELECT ?, ?", [a < b, c > d]);
  await op.execute("SELECT ?", [a < b && c > d]);
  await op.execute("SELECT ?", [(a < b) === (c > d)]);
  const x = a < b ? c : d;
  await op.execute("SELECT ?", [x]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "a < b > (c) is a generic call",
    `import type { Operations } from "@retort/core";

export const revision = "bh1";
export const downRevision = "bh0";

const limit = (n: number): number => n;
type max = number;

export async function upgrade(op: Operations): Promise<void> {
  const value = 5;
  const clamped = limit < max > (value);
  await op.execute("SELECT ?", [clamped]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "no semicolons style",
    `import { column, integer, type Operations } from "@retort/core"

export const revision = "bk1"
export const downRevision = "bk0"

const names: string[] = ["a", "b"]

export async function upgrade(op: Operations): Promise<void> {
  const total: number = names.length
  for (const name of names) {
    await op.createTable(name, column("id", integer(), { primaryKey: true }))
  }
  await op.execute("SELECT ?", [total])
}

export async function downgrade(op: Operations): Promise<void> {
  for (const name of names) await op.dropTable(name)
}
`,
  ],
  [
    "tabs for indentation",
    `import type { Operations } from "@retort/core";

export const revision = "bl1";
export const downRevision = "bl0";

export async function upgrade(op: Operations): Promise<void> {
\tconst rows: number[] = [];
\tif (rows.length === 0) {
\t\tawait op.execute("SELECT 1");
\t}
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "seed data with nested arrays and objects, as const",
    `import type { Operations } from "@retort/core";

export const revision = "bm1";
export const downRevision = "bm0";

const roles = [
  { id: 1, name: "admin", permissions: ["read", "write", "delete"] },
  { id: 2, name: "editor", permissions: ["read", "write"] },
  { id: 3, name: "viewer", permissions: ["read"] },
] as const;

export async function upgrade(op: Operations): Promise<void> {
  await op.bulkInsert(
    "roles",
    roles.map(({ id, name, permissions }) => ({ id, name, permissions: permissions.join(",") })),
  );
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute("DELETE FROM roles WHERE id IN (?, ?, ?)", roles.map((role) => role.id) as number[]);
}
`,
  ],
  [
    "autocommitBlock with an async arrow",
    `import type { Operations } from "@retort/core";

export const revision = "bn1";
export const downRevision = "bn0";

export async function upgrade(op: Operations): Promise<void> {
  const context = op.getContext();
  await context.autocommitBlock(async (): Promise<void> => {
    await op.execute("CREATE INDEX CONCURRENTLY ix_big ON big (col)");
  });
}

export async function downgrade(op: Operations): Promise<void> {
  await op.getContext().autocommitBlock(async () => {
    await op.execute("DROP INDEX CONCURRENTLY ix_big");
  });
}
`,
  ],
  [
    "parenthesized arrow parameters with defaults and rest",
    `import type { Operations } from "@retort/core";

export const revision = "bo1";
export const downRevision = "bo0";

const join = (sep: string = ", ", ...parts: string[]): string => parts.join(sep);
const pick = ({ a = 1, b }: { a?: number; b: number } = { b: 2 }): number => a + b;
const tuple = ([x, y]: [number, number]): number => x * y;

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT ?, ?, ?", [join(", ", "a", "b"), pick(), tuple([2, 3])]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "unicode in strings, comments and identifiers",
    `/** Ajoute la colonne « prénom » — 名前 */
import { column, string, type Operations } from "@retort/core";

export const revision = "bp1";
export const downRevision = "bp0";
export const message = "Ajoute « prénom » 🚀";

const prénom: string = "prénom";
const 名前: string = "名前";

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn("users", column(prénom, string(100), { comment: 名前 }));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn("users", prénom);
}
`,
  ],
  [
    "class-free error handling with custom messages",
    `import type { Operations } from "@retort/core";

export const revision = "bq1";
export const downRevision = "bq0";

function fail(message: string): never {
  throw new Error(message);
}

function check(condition: unknown, message: string): void {
  if (!condition) fail(message);
}

export async function upgrade(op: Operations): Promise<void> {
  const rows = await op.getBind().query<{ n: number }>("SELECT COUNT(*) AS n FROM users");
  check(rows.length === 1, "expected one row");
  const n: number = rows[0]?.n ?? fail("no count");
  if (n > 1_000_000) fail(\`too many users: \${n}\`);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "numeric literals and bigint",
    `import type { Operations } from "@retort/core";

export const revision = "br1";
export const downRevision = "br0";

const big: bigint = 9_007_199_254_740_993n;
const hex: number = 0xff, oct = 0o17, bin = 0b1010, exp = 1e-3, frac = .5;

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT ?", [String(big) + (hex + oct + bin + exp + frac)]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "namespace import used as a value",
    `import * as retort from "@retort/core";
import type * as Types from "@retort/core";

export const revision = "bt1";
export const downRevision = "bt0";

export async function upgrade(op: Types.Operations): Promise<void> {
  await op.createTable("ns", retort.column("id", retort.integer(), { primaryKey: true }));
}

export async function downgrade(op: Types.Operations): Promise<void> {
  await op.dropTable("ns");
}
`,
  ],
  [
    "side-effect import and a value import used only in a nested function",
    `import "./register-dialect.js";
import { sql, type Operations } from "@retort/core";

export const revision = "bv1";
export const downRevision = "bv0";

export async function upgrade(op: Operations): Promise<void> {
  const view = () => sql\`CREATE VIEW v AS SELECT 1\`;
  await op.execute(view());
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute("DROP VIEW v");
}
`,
  ],
  [
    "value import used only in a default parameter value",
    `import { integer, type Operations, type ColumnType } from "@retort/core";

export const revision = "bw1";
export const downRevision = "bw0";

function describe(type: ColumnType = integer()): string {
  return JSON.stringify(type);
}

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT ?", [describe()]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "value import used in a shorthand property",
    `import { column, integer, type Operations } from "@retort/core";

export const revision = "bx1";
export const downRevision = "bx0";

const builders = { column, integer };

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("short", builders.column("id", builders.integer()));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("short");
}
`,
  ],
  [
    "value import used only as a property name elsewhere (still used once)",
    `import { string, text, type Operations } from "@retort/core";

export const revision = "by1";
export const downRevision = "by0";

const types = { string: 1, text: 2 };

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT ?, ?", [types.string, types.text, JSON.stringify(text())]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "optional parameters in function declarations and arrows",
    `import type { Operations } from "@retort/core";

export const revision = "bz1";
export const downRevision = "bz0";

function note(op: Operations, text?: string, level?: number): Promise<void> {
  return op.execute("SELECT ?, ?", [text ?? "", level ?? 0]);
}

const shout = (text?: string): string => (text ?? "").toUpperCase();

export async function upgrade(op: Operations): Promise<void> {
  await note(op);
  await note(op, shout("x"), 1);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "Windows line endings",
    [
      "/** windows */",
      'import { column, integer, type Operations } from "@retort/core";',
      "",
      'export const revision = "ca1";',
      'export const downRevision: string | null = "ca0";',
      "",
      "export async function upgrade(op: Operations): Promise<void> {",
      '  await op.createTable("crlf", column("id", integer(), { primaryKey: true }));',
      "}",
      "",
      "export async function downgrade(op: Operations): Promise<void> {",
      '  await op.dropTable("crlf");',
      "}",
      "",
    ].join("\r\n"),
  ],
  [
    "Windows line endings in a multi-line type and a template",
    [
      'import type { Operations } from "@retort/core";',
      'export const revision = "cb1";',
      'export const downRevision = "cb0";',
      "type Row = {",
      "  id: number;",
      "  name: string;",
      "};",
      "export async function upgrade(op: Operations): Promise<void> {",
      '  const rows = await op.getBind().query<Row>("SELECT id, name FROM t");',
      `  await op.execute(\`SELECT \${rows.length as number}`,
      "    AS n`);",
      "}",
      "export async function downgrade(_op: Operations): Promise<void> {}",
    ].join("\r\n"),
  ],
  [
    "no trailing newline",
    `import type { Operations } from "@retort/core";
export const revision = "cc1";
export const downRevision = "cc0";
export async function upgrade(op: Operations): Promise<void> { await op.execute("SELECT 1"); }
export async function downgrade(op: Operations): Promise<void> { await op.execute("SELECT 2"); }`,
  ],
  [
    "everything on one line",
    `import { column, integer, type Operations } from "@retort/core"; export const revision = "cd1"; export const downRevision = "cd0"; export async function upgrade(op: Operations): Promise<void> { await op.createTable("one", column("id", integer())); } export async function downgrade(op: Operations): Promise<void> { await op.dropTable("one"); }
`,
  ],
  [
    "type-only import of a type used in a generic call",
    `import type { Operations } from "@retort/core";
import type { UserRow } from "../src/db/types.js";

export const revision = "ce1";
export const downRevision = "ce0";

export async function upgrade(op: Operations): Promise<void> {
  const users = await op.getBind().query<UserRow>("SELECT * FROM users");
  await op.execute("SELECT ?", [users.length]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "value-less import of a type without the type keyword (elided)",
    `import { Operations } from "@retort/core";
import { column, integer } from "@retort/core";

export const revision = "cf1";
export const downRevision = "cf0";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("plain", column("id", integer()));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("plain");
}
`,
  ],
  [
    "interface extending another, generic constraints in interfaces",
    `import type { Operations } from "@retort/core";

export const revision = "cg1";
export const downRevision = "cg0";

interface Base {
  id: number;
}
interface User extends Base, Readonly<{ email: string }> {
  tags?: string[];
}
interface Repo<T extends Base = User> {
  all(): Promise<T[]>;
}

const repo: Repo = { all: async () => [] };

export async function upgrade(op: Operations): Promise<void> {
  const users: User[] = await repo.all();
  await op.execute("SELECT ?", [users.length]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "conditional expression with arrow functions inside",
    `import type { Operations } from "@retort/core";

export const revision = "ch1";
export const downRevision = "ch0";

export async function upgrade(op: Operations): Promise<void> {
  const isPg = op.getContext().dialect.name === "postgresql";
  const quote = isPg ? (name: string) => \`"\${name}"\` : (name: string) => \`\\\`\${name}\\\`\`;
  const pick = isPg ? (x: number) => x : (x: number): number => -x;
  await op.execute(\`SELECT \${pick(1)} AS \${quote("n")}\`);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "arrow function bodies with type assertions at the end",
    `import type { Operations } from "@retort/core";

export const revision = "ci1";
export const downRevision = "ci0";

const toNumber = (value: unknown) => value as number;
const toList = (value: unknown) => (value as string[]).slice();
const parse = (text: string) => JSON.parse(text) as { n: number };

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT ?", [toNumber(1) + toList(["a"]).length + parse('{"n":1}').n]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "autogenerate schema module (no types at all)",
    `// src/db/schema.ts
import {
  check, column, currentTimestamp, dateTime, enumType, foreignKey, index, integer, sql, string, table, text,
} from "@retort/core";

export const users = table(
  "users",
  column("id", integer(), { primaryKey: true }),
  column("email", string(255), { nullable: false, unique: true }),
  column("mood", enumType("mood", ["sad", "ok", "happy"])),
  column("created_at", dateTime({ timezone: true }), { serverDefault: currentTimestamp() }),
  check(sql\`length(email) > 3\`, { name: "ck_users_email" }),
  { comment: "people who sign in" },
);

export const posts = table(
  "posts",
  column("id", integer(), { primaryKey: true }),
  column("user_id", integer(), { nullable: false }),
  column("body", text()),
  foreignKey("user_id", "users", "id", { name: "fk_posts_user_id_users", onDelete: "CASCADE" }),
  index("ix_posts_user_id", ["user_id"]),
);

export const namingConvention = {
  pk: "pk_%(table_name)s",
  uq: "uq_%(table_name)s_%(column_0_N_name)s",
};
`,
  ],
];

/**
 * Migration-shaped files and retort.config.ts files that use what stripTypes
 * refuses by design (its doc comment: `export default`, export lists and
 * re-exports; its reasons: dynamic `import()` and `import.meta`): refusing
 * them is fine, stripping them must hold the oracle.
 */
const designRefusals: readonly Case[] = [
  [
    "an arrow function with a return type in a conditional's first branch",
    `export const pick = (isPg: boolean) => (isPg ? (x: number): number => x : (x: number): number => -x);\n`,
  ],
  [
    "top-level await and dynamic import",
    `import type { Operations } from "@retort/core";

export const revision = "ab1";
export const downRevision = "ab0";

const helpers: { seed(op: Operations): Promise<void> } = await import("./helpers/seed.js");
const config = await Promise.resolve({ rows: 10 } as { rows: number });

export async function upgrade(op: Operations): Promise<void> {
  await helpers.seed(op);
  await op.execute("SELECT ?", [config.rows]);
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "export default object",
    `import type { Operations } from "@retort/core";

async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT 1");
}

async function downgrade(op: Operations): Promise<void> {
  await op.execute("SELECT 2");
}

export const revision = "bi1";
export const downRevision = "bi0";
export default { upgrade, downgrade };
`,
  ],
  [
    "export list with renames",
    `import type { Operations } from "@retort/core";

const rev: string = "bj1";
const down: string | null = "bj0";

async function up(op: Operations): Promise<void> {
  await op.execute("SELECT 1");
}

async function down_(op: Operations): Promise<void> {
  await op.execute("SELECT 2");
}

export { rev as revision, down as downRevision, up as upgrade, down_ as downgrade };
`,
  ],
  [
    "Record-returning helper with a generic default import of node:path",
    `import path from "node:path";
import { readFileSync } from "node:fs";
import type { Operations } from "@retort/core";

export const revision = "bs1";
export const downRevision = "bs0";

function loadSql(name: string): string {
  return readFileSync(path.join(import.meta.dirname, "sql", \`\${name}.sql\`), "utf8");
}

export async function upgrade(op: Operations): Promise<void> {
  await op.execute(loadSql("up"));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute(loadSql("down"));
}
`,
  ],
  [
    "re-exports of values and types",
    `export { sharedColumns } from "./shared.js";
export type { SharedOptions } from "./shared.js";
export * from "./more.js";
import type { Operations } from "@retort/core";

export const revision = "bu1";
export const downRevision = "bu0";

export async function upgrade(op: Operations): Promise<void> {
  await op.execute("SELECT 1");
}

export async function downgrade(_op: Operations): Promise<void> {}
`,
  ],
  [
    "retort.config.ts (quickstart)",
    `import { defineConfig } from "@retort/core";

export default defineConfig({
  // Where script.ts.template and versions/ live.
  scriptLocation: "migrations",
  // A SQLite file next to this config; DATABASE_URL or --url override it.
  url: "sqlite:///quickstart.db",
});
`,
  ],
  [
    "retort.config.ts (multidb template, filled)",
    `import { defineConfig } from "@retort/core";

const databases: Record<string, string | undefined> = {
  main: process.env.MAIN_DATABASE_URL ?? "sqlite:///main.db",
  analytics: process.env.ANALYTICS_DATABASE_URL ?? "sqlite:///analytics.db",
};

const database = process.env.RETORT_DB ?? "main";
const url = databases[database];
if (url === undefined) {
  throw new Error(\`RETORT_DB=\${database} names no database of retort.config.ts; known: \${Object.keys(databases).join(", ")}\`);
}

export default defineConfig({
  scriptLocation: "migrations",
  url,
  // includeObject: (object, name, type, reflected, compareTo) => !(type === "table" && name === "legacy"),
  includeName: (name: string, type: string) => !(type === "table" && name.startsWith("tmp_")),
  compareType: ({ declared, inspected }: { declared: unknown; inspected: unknown }) => undefined,
});
`,
  ],
];

/** Snippets stripTypes may refuse; when it strips one, the oracle still holds. */
const mayRefuse: readonly Case[] = [
  ["audit: if (a) type A = string / c()", "if (a) type A = string\nc()\n"],
  ["audit: if (a) type A = string; c()", "if (a) type A = string; c()\n"],
  ["audit: while (a) interface I {} / c()", "while (a) interface I {}\nc()\n"],
  ["audit: if (a) b() / else type A = string / c()", "if (a) b()\nelse type A = string\nc()\n"],
  ["audit: {} as / b", "{} as\nb\n"],
  ["audit: x / type A = string; as / y", "x\ntype A = string; as\ny\n"],
  ["audit: a + b as any * c", "a + b as any * c\n"],
  ["audit: a < b as any + c", "a < b as any + c\n"],
  ["audit: a ** b as any ** c", "a ** b as any ** c\n"],
  ["audit: a < (b > c) > (d)", "a < (b > c) > (d)\n"],
  ["audit: a < [1 + b] > (d)", "a < [1 + b] > (d)\n"],
  ["audit: a < b[c + 1] > (d)", "a < b[c + 1] > (d)\n"],
  ["audit: a < (b, c) > (d)", "a < (b, c) > (d)\n"],
  ["audit: f<T> /x/g", "f<T> /x/g\n"],
  ["audit: x! / f<T>(a) / 2", "x! / f<T>(a) / 2\n"],
  ["audit: of / f<T>(a) / 2", "of / f<T>(a) / 2\n"],
  ["audit: x as Array<T> / f<U>(y) / 3", "x as Array<T> / f<U>(y) / 3\n"],
  ["audit: o.if(a) / f<T>(a) / 2", "o.if(a) / f<T>(a) / 2\n"],
  ['audit: let x / /a!b/.test("s")', 'let x\n/a!b/.test("s")\n'],
  ['audit: let x: number / /a!b/.test("s")', 'let x: number\n/a!b/.test("s")\n'],
  ['audit: import type { X } from "y" / /a!b/.test("s")', 'import type { X } from "y"\n/a!b/.test("s")\n'],
  ['audit: for (;;) { break / /a!b/.test("s") }', 'for (;;) { break\n/a!b/.test("s") }\n'],
  ['audit: debugger / /a!b/.test("s")', 'debugger\n/a!b/.test("s")\n'],
  ["audit: for await (const x of xs) /a!b/.test(x)", "for await (const x of xs) /a!b/.test(x)\n"],
  ['audit: let x / /a<b>(c)/.test("s")', 'let x\n/a<b>(c)/.test("s")\n'],
  ["audit: x as any[] .b", "x as any[] .b\n"],
  ["audit: a as const [b]", "a as const [b]\n"],
  ["audit: x as 'a' .b", "x as 'a' .b\n"],
  ["a type alias between two statements without semicolons", "foo()\ntype A = B\n(bar)()\n"],
  ["an interface between two statements without semicolons", "const a = [1]\ninterface I {}\n[2].map(String)\n"],
  ["an import of types only between statements without semicolons", 'const a = 1\nimport type { T } from "x"\n;(a)\n'],
  ["an elided import before a line starting with a template", 'import { T } from "x"\nfoo()\n`a`.length\n'],
  ["an assertion at the end of a line before a parenthesis", "const x = y as T\n(z)()\n"],
  ["an assertion at the end of a line before a bracket", "const x = y satisfies T\n[1].map(String)\n"],
  ["an assertion at the end of a line before an identifier", "const x = y as T\nz()\n"],
  ["enum", `enum Color { Red, Green }\nexport const c = Color.Red;\n`],
  ["const enum", `const enum Size { S = 1, M = 2 }\nexport const s = Size.M;\n`],
  ["declare enum", `declare enum Mode { A }\nexport const x = 1;\n`],
  ["exported enum in a migration", `export enum Status { Active = "active" }\nexport const revision = "e";\n`],
  ["namespace", `namespace N { export const x = 1; }\nexport const y = N.x;\n`],
  ["type-only namespace", `namespace T { export type X = number; }\nexport const y: T.X = 1;\n`],
  ["module declaration", `declare module "x" { export const y: number; }\nexport const z = 1;\n`],
  ["declare global", `declare global { interface Window { x: number } }\nexport {};\n`],
  ["declare const", `declare const x: number;\nexport const y = x;\n`],
  ["declare function", `declare function f(x: number): string;\nexport const y = f(1);\n`],
  ["export declare", `export declare const x: number;\nexport const y = 1;\n`],
  ["declare on its own line (an identifier)", `const declare = 1;\ndeclare\nconst x = 2;\nexport { x };\n`],
  ["class with fields", `class A {\n  x: number = 1;\n  y?: string;\n  z!: boolean;\n}\nexport const a = new A();\n`],
  ["class with a declared field", `class A {\n  x: number;\n}\nexport const a = new A();\n`],
  [
    "class with parameter properties",
    `class A {\n  constructor(private readonly x: number, public y = 2) {}\n}\nexport const a = new A(1);\n`,
  ],
  [
    "class implements",
    `interface I { f(): void }\nclass A implements I {\n  f(): void {}\n}\nexport const a = new A();\n`,
  ],
  ["abstract class", `abstract class A {\n  abstract f(): void;\n}\nexport { A };\n`],
  ["abstract on its own line (an identifier)", `const abstract = 1;\nabstract\nclass A {}\nexport { A };\n`],
  ["class with accessor", `class A {\n  accessor x = 1;\n}\nexport const a = new A();\n`],
  [
    "class with override and modifiers",
    `class B { f() {} }\nclass A extends B {\n  override f(): void {}\n  protected static g?(): void;\n}\nexport { A };\n`,
  ],
  ["class generic extends", `class A<T> extends Map<string, T> {}\nexport const a = new A<number>();\n`],
  ["class expression", `export const A = class<T> { x?: T; };\n`],
  ["class with index signature", `class A { [key: string]: unknown; }\nexport { A };\n`],
  [
    "plain class (JavaScript only)",
    `class A {\n  x = 1;\n  #y = 2;\n  static z = 3;\n  get y() { return this.#y; }\n}\nexport { A };\n`,
  ],
  ["decorator on a class", `function d(x: unknown) { return x as never; }\n@d\nclass A {}\nexport { A };\n`],
  ["decorator on a method", `function d(...args: unknown[]) {}\nclass A {\n  @d m() {}\n}\nexport { A };\n`],
  ["angle-bracket cast", `const x: unknown = 1;\nexport const y = <number>x;\n`],
  ["angle-bracket cast in parentheses", `const x: unknown = "a";\nexport const y = (<string>x).length;\n`],
  ["angle-bracket const assertion", `export const y = <const>["a", "b"];\n`],
  ["JSX-looking element", `export const a = <div>hello</div>;\n`],
  ["JSX-looking self-closing element", `export const a = <br />;\n`],
  ["import equals require", `import fs = require("node:fs");\nexport const x = fs.readFileSync;\n`],
  ["import equals entity", `namespace N { export const v = 1; }\nimport V = N.v;\nexport const x = V;\n`],
  ["export equals", `const x = 1;\nexport = x;\n`],
  ["export as namespace", `export as namespace Lib;\nexport const x = 1;\n`],
  ["generic arrow", `export const id = <T>(x: T): T => x;\n`],
  ["generic arrow with a trailing comma", `export const id = <T,>(x: T) => x;\n`],
  ["generic async arrow", `export const id = async <T>(x: T): Promise<T> => x;\n`],
  ["generic arrow with a constraint", `export const id = <T extends string>(x: T) => x;\n`],
  ["generic function with a default", `export function f<T = string>(x?: T): T | undefined { return x; }\n`],
  ["generic with keyof constraint", `export function g<U, T extends keyof U>(u: U, k: T): U[T] { return u[k]; }\n`],
  ["generic type alias with a default", `type Row<T = unknown> = { value: T };\nexport const r: Row = { value: 1 };\n`],
  [
    "ASI: as type then a parenthesized line",
    `declare const foo: () => void;\nconst y = 1;\nlet x = y as number\n(foo)()\nexport { x };\n`,
  ],
  [
    "ASI: as type then a parenthesized line, without declare",
    `const foo = () => {};\nconst y = 1;\nlet x = y as number\n(foo)()\nexport { x };\n`,
  ],
  [
    "ASI: as type then an array line",
    `const y = [1];\nlet x = y as number[]\n[1, 2].forEach(() => {})\nexport { x };\n`,
  ],
  ["ASI: as any then an array line", `const y = [1];\nlet x = y as any\n[0]\nexport { x };\n`],
  [
    "ASI: as type then a template line",
    `const y = (s: TemplateStringsArray) => s;\nlet x = y as unknown\n\`tpl\`\nexport { x };\n`,
  ],
  [
    "ASI: satisfies then a parenthesized line",
    `const f = () => 1;\nconst x = f satisfies unknown\n(f)()\nexport { x };\n`,
  ],
  ["ASI: as const then a parenthesized line", `const f = () => 1;\nconst x = "a" as const\n(f)()\nexport { x };\n`],
  [
    "ASI: interface between statements",
    `const f = (x: number) => x;\nconst x = f\ninterface I { a: number }\n(1)\nexport { x };\n`,
  ],
  [
    "ASI: type alias between statements",
    `const f = (x: number) => x;\nconst x = f\ntype T = number\n(1)\nexport { x };\n`,
  ],
  [
    "ASI: import type between statements",
    `const f = (x: number) => x;\nconst x = f\nimport type { T } from "t";\n(1)\nexport { x };\n`,
  ],
  [
    "ASI: unused import between statements",
    `const f = (x: number) => x;\nconst x = f\nimport { u } from "u";\n(1)\nexport { x };\n`,
  ],
  [
    "ASI: type alias then a template line",
    `const f = (s: TemplateStringsArray) => s;\nconst x = f\ntype T = number\n\`a\`\nexport { x };\n`,
  ],
  [
    "ASI: declare between statements",
    `const f = (x: number) => x;\nconst x = f\ndeclare const d: number;\n(1)\nexport { x };\n`,
  ],
  ["ASI: type annotation at the end of a let", `let x: number\n(globalThis as { a?: number }).a = 1;\nexport { x };\n`],
  ["ASI: annotation then an array line", `let x: number\n[1, 2].forEach(() => {})\nexport { x };\n`],
  ["ASI: generic call type arguments then a newline", `const f = <T,>(x: T) => x;\nexport const y = f<number>\n(1);\n`],
  ["as on the next line is an identifier", `const x = 1, as = 2, T = 3;\nconst a = x\nas\nT;\nexport { a };\n`],
  [
    "satisfies on the next line is an identifier",
    `const x = 1, satisfies = 2, T = 3;\nconst a = x\nsatisfies\nT;\nexport { a };\n`,
  ],
  ["definite assignment", `let x!: number;\nx = 1;\nexport { x };\n`],
  ["this parameter", `function f(this: { n: number }, a: number) { return this.n + a; }\nexport { f };\n`],
  ["this parameter alone", `export function f(this: Window) { return this; }\n`],
  [
    "overloads",
    `function f(a: string): string;\nfunction f(a: number): number;\nfunction f(a: unknown) { return a; }\nexport { f };\n`,
  ],
  ["exported overloads", `export function f(a: string): string;\nexport function f(a: unknown) { return a; }\n`],
  [
    "satisfies after an object literal",
    `interface M { revision: string }\nexport default { revision: "x" } satisfies M;\n`,
  ],
  [
    "satisfies after an object literal in a const",
    `type O = Record<string, number>;\nexport const o = { a: 1 } satisfies O;\n`,
  ],
  ["as after an object literal", `export const o = { a: 1 } as { a: number };\n`],
  ["as after an object literal at statement start", `const o = 1;\n({ o } as object);\nexport { o };\n`],
  ["type predicate", `export function isString(x: unknown): x is string { return typeof x === "string"; }\n`],
  ["type predicate in an arrow", `export const isString = (x: unknown): x is string => typeof x === "string";\n`],
  ["asserts", `export function check(x: unknown): asserts x { if (!x) throw new Error(); }\n`],
  ["asserts is", `export function check(x: unknown): asserts x is string { if (typeof x !== "string") throw 1; }\n`],
  ["arrow whose return type is an arrow type", `export const f = (): ((x: number) => string) => (x) => String(x);\n`],
  [
    "arrow whose return type is an unparenthesized arrow type",
    `export const f = (): (x: number) => string => (x) => String(x);\n`,
  ],
  [
    "arrow returning a function type alias",
    `type F = (x: number) => string;\nexport const f = (): F => (x) => String(x);\n`,
  ],
  ["conditional type", `type A<T> = T extends string ? "s" : "n";\nexport const a: A<string> = "s";\n`],
  ["mapped type", `type RO<T> = { readonly [K in keyof T]: T[K] };\nexport const a: RO<{ x: number }> = { x: 1 };\n`],
  [
    "mapped type with as clause",
    `type G<T> = { [K in keyof T as \`get\${string & K}\`]: () => T[K] };\nexport const g: G<{}> = {};\n`,
  ],
  ["infer", `type E<T> = T extends Array<infer U> ? U : never;\nexport const e: E<number[]> = 1;\n`],
  [
    "infer with extends",
    `type E<T> = T extends [infer H extends string, ...unknown[]] ? H : never;\nexport const e: E<["a"]> = "a";\n`,
  ],
  [
    "type import expression",
    `export let m: typeof import("node:fs") | undefined;\nexport type P = import("node:path").ParsedPath;\n`,
  ],
  ["instantiation expression", `const f = <T,>(x: T) => x;\nexport const g = f<string>;\n`],
  ["instantiation expression then a property", `const f = <T,>(x: T) => x;\nexport const g = f<string>.name;\n`],
  [
    "generic tagged template",
    `const tag = <T,>(s: TemplateStringsArray, ...v: T[]) => s;\nexport const t = tag<number>\`a\${1}\`;\n`,
  ],
  ["new with type arguments and no parentheses", `export const m = new Map<string, number>;\n`],
  [
    "optional call with type arguments",
    `const f: (<T>(x: T) => T) | undefined = undefined;\nexport const y = f?.<number>(1);\n`,
  ],
  [
    "g(f < a, b > (c)) is a generic call",
    `const f = (x: number) => x, a = 1, b = 2, c = 3;\nconst g = (...x: unknown[]) => x;\nexport const r = g(f < a, b > (c));\n`,
  ],
  ["x < y > z is two comparisons", `const x = 1, y = 2, z = 3;\nexport const r = x < y > z;\n`],
  ["a < b >= c", `const a = 1, b = 2, c = 3;\nexport const r = a < b >= c;\n`],
  ["a < b >> c", `const a = 1, b = 2, c = 3;\nexport const r = a < b >> (c);\n`],
  [
    "f < T > (x) with a line break before the parenthesis",
    `const f = (x: number) => x, T = 1, x = 2;\nexport const r = f < T >\n(x);\n`,
  ],
  ["identifier named type", `const type = 1;\nlet Foo = 0;\ntype\nFoo = 2;\nexport { type, Foo };\n`],
  [
    "identifier named type used in expressions",
    `const type = "a";\nconst as = 1;\nexport const x = type + as;\nexport const y = { type, as };\n`,
  ],
  ["identifier named interface", `let interface_ = 1;\nconst x = interface_;\nexport { x };\n`],
  ["identifier named as in an as expression", `const as = 1;\nexport const y = as as number;\n`],
  ["identifier named satisfies", `const satisfies = 1;\nexport const y = satisfies satisfies number;\n`],
  [
    "identifiers named like modifiers",
    `const readonly = 1, declare = 2, abstract = 3, keyof = 4, infer = 5, is = 6, asserts = 7;\nexport const s = readonly + declare + abstract + keyof + infer + is + asserts;\n`,
  ],
  [
    "identifiers named like modifiers with types",
    `const is: number = 1, asserts: number = 2, module: string = "m";\nexport const s = is + asserts + module;\n`,
  ],
  ["parameter named type", `export function f(type: string, as?: number, is = 1): string { return type + as + is; }\n`],
  ["namespace on its own line (an identifier)", `let namespace = 1, N = 2;\nnamespace\nN\nexport { namespace };\n`],
  ["module on its own line (an identifier)", `let module = 1, N = 2;\nmodule\nN;\nexport { module };\n`],
  ["a as b inside a regex after if (x)", `const x = 1, s = "a as b";\nif (x) /a as b/.test(s);\nexport { s };\n`],
  ["regex with a colon after if (x)", `const x = 1, s = "a";\nif (x) /a: number/g.exec(s);\nexport { s };\n`],
  ["regex after a closing brace", `const s = "a";\nif (s) {}\n/foo as bar/.test(s);\nexport { s };\n`],
  ["regex after a block", `const s = "a";\n{}\n/x: y/.test(s);\nexport { s };\n`],
  ["regex after a function declaration", `function f() {}\n/a<b>(c)/.test("a");\nexport { f };\n`],
  [
    "object literal then a division",
    `const a = 4, b = 2;\nexport const r = ({}).valueOf === undefined ? 0 : a / b / 2;\n`,
  ],
  ["division chain", `const a = 8, b = 2, c = 2;\nexport const r = a / b / c;\n`],
  ["division assignment chain", `const y = 8, z = 2;\nlet x = 0;\nx = y / 2 / z;\nexport { x };\n`],
  ["division after a closing parenthesis", `const a = 8;\nexport const r = (a) / 2 / (a as number);\n`],
  ["division after a non-null assertion", `const a: number | undefined = 8;\nexport const r = a! / 2 / a!;\n`],
  ["division after a closing bracket", `const a = [8];\nexport const r = a[0]! / 2 / 4;\n`],
  ["regex after return", `export function f(s: string): boolean { return /a: b/.test(s); }\n`],
  ["regex after an arrow", `export const f = (s: string) => /<T>/.test(s);\n`],
  ["regex after typeof", `export const t = typeof /x as y/;\n`],
  ["regex with a slash in a class", `export const r: RegExp = /[/]: T as any/;\n`],
  ["regex after a ternary colon", `export const r = Math.random() > 0.5 ? /a: b/ : /c as d/;\n`],
  ["unicode identifiers with types", `const café: number = 1;\nconst ÿ = café as number;\nexport { café, ÿ };\n`],
  ["unicode escape in an identifier", `const \\u0061bc: number = 1;\nexport const d = abc as number;\n`],
  ["unicode escape of a keyword-like identifier", `const \\u0061s = 1;\nexport const y = as;\n`],
  ["line separator inside a string", `export const s: string = "a\u2028b";\nexport const t = 1;\n`],
  ["paragraph separator between statements", `export const s: string = "a";\u2029export const t: number = 1;\n`],
  ["CR-only line endings", `export const a: number = 1;\rexport const b: string = "x";\r`],
  [
    "byte order mark",
    `\uFEFFimport type { Operations } from "@retort/core";\nexport const revision: string = "bom";\n`,
  ],
  ["hashbang", `#!/usr/bin/env node\nexport const a: number = 1;\n`],
  ["import { type } from", `import { type } from "x";\nexport const t = type;\n`],
  ["import { type } from, unused", `import { type } from "x";\nexport const t = 1;\n`],
  ["import { type as } from (a type-only import of as)", `import { type as } from "x";\nexport const t = 1;\n`],
  ["import { type as as } from", `import { type as as } from "x";\nexport const t = 1;\n`],
  ["import { type as as as } from", `import { type as as as } from "x";\nexport const t = 1;\n`],
  ["import { type as x } from, used", `import { type as x } from "x";\nexport const t = x;\n`],
  ["import { as } from, used", `import { as } from "x";\nexport const t = as;\n`],
  ["import { type type } from", `import { type type } from "x";\nexport const t: type = 1;\n`],
  ["default import named type, used", `import type, { a } from "x";\nexport const t = type(a);\n`],
  ["default import named type, unused", `import type, { a } from "x";\nexport const t = a;\n`],
  ["import type default", `import type D from "x";\nexport const d: D | null = null;\n`],
  ["import type namespace", `import type * as NS from "x";\nexport const d: NS.T | null = null;\n`],
  [
    "import type with attributes",
    `import type { T } from "./x.json" with { type: "json" };\nexport const d: T | null = null;\n`,
  ],
  [
    "import with attributes, used",
    `import data from "./x.json" with { type: "json" };\nexport const d: unknown = data;\n`,
  ],
  ["imported name used only as a type (elided)", `import { A } from "x";\nexport const a: A | null = null;\n`],
  ["imported name used as a value (kept)", `import { A } from "x";\nexport const a = A;\n`],
  ["imported name used as a type and a value (kept)", `import { A } from "x";\nexport const a: A = A;\n`],
  ["some names of an import used only as types", `import { A, b, C } from "x";\nexport const a: A | C = b;\n`],
  ["default and named, default used only as a type", `import D, { b } from "x";\nexport const a: D = b;\n`],
  ["default and named, named used only as a type", `import D, { B } from "x";\nexport const a: B = D;\n`],
  ["namespace import used only in types", `import * as NS from "x";\nexport const a: NS.T | null = null;\n`],
  ["namespace import used in typeof", `import * as NS from "x";\nexport let a: typeof NS | undefined;\n`],
  ["side-effect import", `import "side-effect";\nexport const a: number = 1;\n`],
  ["empty import", `import {} from "x";\nexport const a: number = 1;\n`],
  ["empty import type", `import type {} from "x";\nexport const a: number = 1;\n`],
  [
    "import used only in typeof (elided)",
    `import { defaults } from "./d.js";\ntype D = typeof defaults;\nexport const d: D | null = null;\n`,
  ],
  [
    "import used only in typeof in an annotation",
    `import { defaults } from "./d.js";\nexport let d: typeof defaults.x | undefined;\n`,
  ],
  [
    "import used in typeof inside a value expression (kept)",
    `import { defaults } from "./d.js";\nexport const t = typeof defaults;\n`,
  ],
  ["import never used (elided)", `import { unused } from "x";\nexport const a = 1;\n`],
  ["default import never used (elided)", `import unused from "x";\nexport const a = 1;\n`],
  ["import shadowed by a parameter", `import { a } from "x";\nexport function f(a: number) { return a; }\n`],
  ["import shadowed in a block", `import { a } from "x";\n{ const a = 1; console.log(a); }\nexport const z = 1;\n`],
  [
    "import shadowed by a destructured parameter",
    `import { a } from "x";\nexport const f = ({ a }: { a: number }) => a;\n`,
  ],
  [
    "import shadowed by a catch binding",
    `import { e } from "x";\ntry {} catch (e) { console.log(e); }\nexport const z = 1;\n`,
  ],
  [
    "import shadowed by a function declaration in a block",
    `import { g } from "x";\nexport function f() { function g() {} return g; }\n`,
  ],
  ["import used only as a property name", `import { a } from "x";\nexport const o = { a: 1 }.a;\n`],
  ["import used only as a member name", `import { a } from "x";\nconst o = { a: 1 };\nexport const v = o.a;\n`],
  ["import used only as a label", `import { a } from "x";\na: for (;;) break a;\nexport const z = 1;\n`],
  ["import re-exported", `import { a } from "x";\nexport { a };\n`],
  ["import re-exported as a type", `import { A } from "x";\nexport type { A };\n`],
  ["import re-exported with type modifier", `import { A } from "x";\nexport { type A };\n`],
  ["export type from", `export type { A } from "x";\nexport const z = 1;\n`],
  ["export with type specifier from", `export { type A, b } from "x";\n`],
  ["export only type specifiers from", `export { type A } from "x";\n`],
  ["export type star", `export type * from "x";\nexport const z = 1;\n`],
  ["export of an undeclared name", `export { Missing };\n`],
  ["export of a type alias", `type T = number;\nexport { T };\n`],
  ["export of an interface", `interface I { a: number }\nexport { I };\n`],
  ["export default interface", `export default interface I { a: number }\nexport const z = 1;\n`],
  ["export default type-only name", `type T = number;\nexport default T;\n`],
  ["import used in a decorator-free class extends", `import { Base } from "x";\nexport class A extends Base {}\n`],
  ["import used only in implements", `import { I } from "x";\nexport class A implements I {}\n`],
  [
    "import used in a type argument of a call",
    `import { T } from "x";\ndeclare function f<X>(): X;\nexport const r = f<T>();\n`,
  ],
  ["import used in an as expression only", `import { T } from "x";\nexport const r = 1 as unknown as T;\n`],
  ["import used in satisfies only", `import { T } from "x";\nexport const r = 1 satisfies T;\n`],
  [
    "import used in a generic call type argument and as a value",
    `import { T } from "x";\nexport const r = new Map<T, T>([[T, T]]);\n`,
  ],
  [
    "import used in an interface only",
    `import { T } from "x";\ninterface I { t: T }\nexport const i: I | null = null;\n`,
  ],
  ["import used in a type alias only", `import { T } from "x";\ntype U = T[];\nexport const u: U = [];\n`],
  [
    "import used in a return type only",
    `import { T } from "x";\nexport function f(): T | undefined { return undefined; }\n`,
  ],
  [
    "import with the same name as a type parameter",
    `import { T } from "x";\nexport function f<T>(x: T): T { return x; }\n`,
  ],
  ["import used in a computed key", `import { k } from "x";\nexport const o = { [k]: 1 };\n`],
  ["import used in a template substitution", `import { k } from "x";\nexport const s = \`\${k}\`;\n`],
  ["import used in a default export", `import { k } from "x";\nexport default k;\n`],
  ["import used in a JSX-free comparison", `import { k } from "x";\nexport const r = 1 < k;\n`],
  [
    "value and type import of the same module",
    `import type { A } from "x";\nimport { b } from "x";\nexport const r: A = b;\n`,
  ],
  [
    "import type then a value with the same name declared locally",
    `import type { A } from "x";\nconst B = 1;\nexport const r: A = B;\n`,
  ],
  [
    "optional chaining with non-null",
    `const a: { b?: { c: number } } | undefined = { b: { c: 1 } };\nexport const r = a!.b?.c! + a?.b!.c;\n`,
  ],
  ["non-null before optional call", `const f: (() => number) | undefined = () => 1;\nexport const r = f!?.();\n`],
  [
    "ternary with an arrow in the consequent",
    `const a = true, b = 1, d = 2, e = 3;\nexport const r = a ? (b): number => d : e;\n`,
  ],
  ["ternary that looks like an arrow", `const a = true, b = 1, c = 2;\nexport const r = a ? (b) : c;\n`],
  [
    "nested ternary with parenthesized branches",
    `const a = true, b = 1, c = 2, d = 3;\nexport const r = a ? (b) : (c) ? (d) : b;\n`,
  ],
  [
    "ternary with a typed arrow in the alternate",
    `const a = true;\nexport const r = a ? 1 : (x: number): number => x;\n`,
  ],
  [
    "optional parameter versus ternary",
    `const f = (a?: number) => a;\nconst c = true, a = 1, b = 2;\nexport const r = [f(), c ? a : b];\n`,
  ],
  [
    "arrow with a parenthesized object type param",
    `export const f = ({ a }: { a: number }, [b]: [number]): number => a + b;\n`,
  ],
  ["async as an identifier", `const async = (x: number) => x;\nexport const r = async(1);\n`],
  ["async arrow with a typed parameter", `export const f = async (x: number): Promise<number> => x;\n`],
  ["async call then arrow on the next line", `const async = (x: unknown) => x;\nexport const r = async\n(1);\n`],
  ["arrow with a union return type", `export const f = (x: number): string | number => x;\n`],
  ["arrow with an object literal return type and object body", `export const f = (): { a: number } => ({ a: 1 });\n`],
  ["typed arrow as a call argument with a newline", `export const r = [1].map((x: number):\n  number => x * 2);\n`],
  [
    "template literal nested in a template",
    `const x: unknown = "a";\nexport const s = \`a \${\`b \${x as string} \${\`c\`}\`} d\`;\n`,
  ],
  ["template with an object literal inside", `export const s = \`\${JSON.stringify({ a: 1 } as object)}\`;\n`],
  ["template with a regex inside", `export const s = \`\${/a: b}/.source}\`;\n`],
  ["template with braces in strings inside", `export const s = \`\${"}" as string}\${'{'}\`;\n`],
  ["comment between as and the type", `const x: unknown = 1;\nexport const y = x as /* c */ number;\n`],
  ["line comment between as and the type", `const x: unknown = 1;\nexport const y = x as // c\n  number;\n`],
  ["comment between a colon and the type", `export const y: /* c */ number = 1;\n`],
  ["comment inside type arguments", `export const m = new Map</* k */ string, /* v */ number>();\n`],
  ["comment ending a type annotation before the initializer", `export const y: number /* : string */ = 1;\n`],
  ["block comment with slashes in a type", `export const y: Array</* / */ number> = [1];\n`],
  ["index signature parameter", `export const o: { [key: string]: number } = {};\n`],
  [
    "optional property in an object type",
    `export const o: { a?: number; b: string | undefined } = { b: undefined };\n`,
  ],
  ["construct signature type", `export let C: { new (x: number): object } | undefined;\n`],
  ["abstract constructor type", `export let C: (abstract new () => object) | undefined;\n`],
  ["readonly tuple type", `export const t: readonly [number, string] = [1, "a"];\n`],
  ["optional and rest tuple elements", `export const t: [number, string?, ...boolean[]] = [1];\n`],
  ["type with a generic function type", `export const f: <T>(x: T) => T = (x) => x;\n`],
  [
    "generic call with an arrow type argument",
    `const f = <T,>(x: T) => x;\nexport const r = f<(x: number) => string>(String);\n`,
  ],
  [
    "generic call with an object type argument over several lines",
    `const f = <T,>(x: T) => x;\nexport const r = f<{\n  a: number;\n}>({ a: 1 });\n`,
  ],
  [
    "generic call with a conditional type argument",
    `const f = <T,>(x: T) => x;\nexport const r = f<1 extends number ? "a" : "b">("a");\n`,
  ],
  ["generic call with >> closing", `const f = <T,>(x: T) => x;\nexport const r = f<Array<number>>([1]);\n`],
  ["generic call with >>> closing", `const f = <T,>(x: T) => x;\nexport const r = f<Array<Array<number>>>([[1]]);\n`],
  ["generic method call on a call", `const o = { m: <T,>(x: T) => () => x };\nexport const r = o.m<number>(1)();\n`],
  ["generic call with a string type argument", `const f = <T,>(x: T) => x;\nexport const r = f<"a" | 'b'>("a");\n`],
  [
    "type arguments containing a greater-than in a string",
    `const f = <T,>(x: T) => x;\nexport const r = f<">">(">");\n`,
  ],
  [
    "unique symbol in an object type",
    `export const s: unique symbol = Symbol();\nexport type S = { readonly [s]: number };\n`,
  ],
  ["typeof with a type argument", `const f = <T,>(x: T) => x;\nexport type F = typeof f<number>;\n`],
  ["keyof of a parenthesized type", `export const k: keyof ({ a: 1 } | { a: 2 }) = "a";\n`],
  ["typed function expression", `export const f = function (this: unknown, x: number): number { return x; };\n`],
  [
    "named typed function expression",
    `export const f = function g(x: number): number { return x > 0 ? g(x - 1) : 0; };\n`,
  ],
  ["getter with a this type", `export const o = { get self(): typeof o { return o; } };\n`],
  ["object method with type parameters", `export const o = { m<T>(x: T): T { return x; } };\n`],
  ["object method with an optional marker", `export const o = { m?(x: number): void {} };\n`],
  [
    "object async generator method with types",
    `export const o = { async *m(x: number): AsyncGenerator<number> { yield x; } };\n`,
  ],
  [
    "optional property access on a call with a generic",
    `const f = <T,>() => ({ a: 1 }) as T;\nexport const r = f<{ a: number }>()?.a;\n`,
  ],
  ["let with a union over several lines", `export let x:\n  | number\n  | string = 1;\n`],
  [
    "arrow param list over several lines with types",
    `export const f = (\n  a: number,\n  b?: string,\n): string => \`\${a}\${b}\`;\n`,
  ],
  [
    "for with typed let",
    `let total = 0;\nfor (let i: number = 0, j: number = 10; i < j; i++, j--) total += i;\nexport { total };\n`,
  ],
  [
    "for-in with an as expression",
    `const o = { a: 1 };\nfor (const k in o as object) console.log(k);\nexport { o };\n`,
  ],
  [
    "catch with a typed binding and destructuring",
    `try {} catch ({ message }: any) { console.log(message); }\nexport const z = 1;\n`,
  ],
  [
    "labelled statement next to a type annotation",
    `let x: number = 0;\nloop: while (x < 3) { x++; continue loop; }\nexport { x };\n`,
  ],
  [
    "case with an as expression",
    `const v: unknown = 1;\nswitch (v) { case 1 as unknown: break; default: }\nexport { v };\n`,
  ],
  [
    "object literal key that is a keyword",
    `export const o = { enum: 1, class: 2, interface: 3, type: 4, namespace: 5, declare: 6 };\n`,
  ],
  [
    "member access of keyword-named properties",
    `const o = { enum: 1, interface: 2, type: 3 };\nexport const r = o.enum + o.interface + o.type;\n`,
  ],
  ["property access named as", `const o = { as: 1 };\nexport const r = o.as as number;\n`],
  ["shorthand property named satisfies", `const satisfies = 1;\nexport const o = { satisfies };\n`],
  ["typeof type with a member access", `const o = { a: { b: 1 } };\nexport const r: typeof o.a.b = 1;\n`],
  [
    "arrow body that is an object literal with satisfies",
    `type O = { a: number };\nexport const f = () => ({ a: 1 }) satisfies O;\n`,
  ],
  ["chained as and non-null", `const x: unknown = [1];\nexport const r = (x as number[] | undefined)![0]!;\n`],
  ["increment after non-null", `let a: { n: number } | undefined = { n: 1 };\na!.n++;\nexport { a };\n`],
  ["assignment to a non-null expression", `const a: { n?: number } = {};\na.n! = 2;\nexport { a };\n`],
  ["assignment to an as expression", `let a: unknown = 1;\n(a as number) = 2;\nexport { a };\n`],
  [
    "prefix operator on an as expression",
    `const a: unknown = 1;\nexport const r = -(a as number) + +(a as number) + ~(a as number);\n`,
  ],
  [
    "await of an as expression",
    `const p: unknown = Promise.resolve(1);\nexport const r = await (p as Promise<number>);\n`,
  ],
  ["yield in a generator with as", `export function* g(): Generator<number> { yield 1 as number; }\n`],
  ["spread of an as expression", `const a: unknown = [1];\nexport const r = [...(a as number[])];\n`],
  ["as in a default parameter", `export function f(x = 1 as number) { return x; }\n`],
  [
    "typed default parameter in an arrow",
    `export const f = (x: number = 1 as number, y = x satisfies number) => x + y;\n`,
  ],
  [
    "arrow in a class-free object with typed params",
    `export const o = { f: (x: number): number => x, g: async (y?: string) => y };\n`,
  ],
  ["JSX-looking generic in a comparison", `const a = 1, div = 2, b = 3;\nexport const r = a < div && div > b;\n`],
  [
    "less-than followed by a type-looking word and a paren",
    `const a = 1, b = 2, c = 3;\nexport const r = a < b || b > (c);\n`,
  ],
  [
    "type alias named like a value used only as a type",
    `type Ops = { n: number };\nconst Ops = { n: 1 };\nexport const r: Ops = Ops;\n`,
  ],
  [
    "interface and const with the same name, import of it",
    `import { X } from "x";\ninterface X { a: number }\nexport const r: X | null = null;\n`,
  ],
  ["declare field in an object type", `export type T = { declare: number; readonly: string; abstract?: boolean };\n`],
  ["type alias with a leading pipe on one line", `type T = | "a" | "b";\nexport const t: T = "a";\n`],
  ["type alias without a semicolon, then a statement", `type T = number\nexport const t: T = 1;\n`],
  [
    "interface without a semicolon, then a parenthesis",
    `interface I { a: number }\n(() => {})();\nexport const z = 1;\n`,
  ],
  ["type alias then an array literal statement", `type T = number\n;[1, 2].forEach((x) => x);\nexport const z = 1;\n`],
  [
    "type alias whose value is an object type, then a block",
    `type T = { a: number }\n{ const b = 1; console.log(b); }\nexport const z = 1;\n`,
  ],
  [
    "for await over a typed generator",
    `async function* g(): AsyncGenerator<number> { yield 1; }\nfor await (const x of g()) console.log(x as number);\nexport const z = 1;\n`,
  ],
  [
    "await in parentheses after for",
    `const p: Promise<number[]> = Promise.resolve([1]);\nfor (const x of await (p as Promise<number[]>)) console.log(x);\nexport const z = 1;\n`,
  ],
  ["default import with a type-only named import", `import D, { type B } from "x";\nexport const a: B = D;\n`],
  [
    "default import with only a type-only named import unused",
    `import D, { type B } from "x";\nexport const a: B | null = null;\n`,
  ],
  ["new with a keyword type argument", `export const p = new Promise<void>((resolve) => resolve());\n`],
  [
    "call with keyword type arguments",
    `const f = <T,>(x?: T) => x;\nexport const r = [f<void>(), f<null>(null), f<undefined>(), f<never[]>([]), f<object>({}), f<symbol>(Symbol())];\n`,
  ],
  ["triple as", `const x: unknown = 1;\nexport const r = x as unknown as number as number;\n`],
  ["as then satisfies", `const x: unknown = 1;\nexport const r = x as number satisfies number;\n`],
  ["arrow return type on the next line", `export const f = (a: number)\n  : number => a;\n`],
  ["async arrow return type on the next line", `export const f = async (a: number)\n  : Promise<number> => a;\n`],
  ["function return type on the next line", `export function f(a: number)\n  : number {\n  return a;\n}\n`],
  [
    "line break after the return type colon of a function",
    `export function f(a: number):\n  number {\n  return a;\n}\n`,
  ],
  ["line break inside an arrow return type", `export const f = (a: number): Array<\n  number\n> => [a];\n`],
  ["comment between the parameters and the return type", `export function f() /* c */: number {\n  return 1;\n}\n`],
  ["strict inequality after an identifier", `const a = 1, b = 2;\nexport const r = [a!==b, a!=b, a! == b, a! != b];\n`],
  ["non-null chains", `const x: { y?: { z?: () => number } } = { y: { z: () => 1 } };\nexport const r = x!.y!.z!();\n`],
  ["regex after logical not", `const s = "a";\nexport const r = !/a: b/.test(s);\n`],
  ["ternary with a decimal after the question mark", `const a = true;\nexport const r: number = a?.5:1;\n`],
  [
    "typed parameter with a ternary default",
    `const b = true;\nexport const f = (a: number = b ? 1 : 2): number => a;\n`,
  ],
  [
    "optional parameter then a ternary default",
    `const b = true;\nexport const f = (x?: number, a = b ? (x) : 2) => a;\n`,
  ],
  [
    "object methods named get, set, async, static",
    `export const o = { get(x: number) { return x; }, set: 1, async(y: string) { return y; }, static: 2 };\n`,
  ],
  ["callback type in a parameter", `export const f = (cb: (e: Error) => void): void => cb(new Error());\n`],
  [
    "generic call inside a template substitution",
    `const f = <T,>(x: T) => x;\nexport const s = \`\${f<number>(1)}\`;\n`,
  ],
  ["typed arrow inside a template substitution", `export const s = \`\${((x: number): number => x)(1)}\`;\n`],
  [
    "as inside a template substitution followed by text",
    `const x: unknown = 1;\nexport const s = \`a\${x as number}b\${x as string}c\`;\n`,
  ],
  ["any type arguments", `const f = <T,>(x: T) => x;\nexport const r = [f<any>(1), f<unknown>(2), f<this>(3)];\n`],
  [
    "literal type arguments",
    `const f = <T,>(x: T) => x;\nexport const r = [f<1>(1), f<-1>(-1), f<true>(true), f<\`a\`>("a")];\n`,
  ],
  [
    "tuple and typeof type arguments",
    `const f = <T,>(x: T) => x;\nconst v = 1;\nexport const r = [f<[number]>([1]), f<typeof v>(v), f<keyof { a: 1 }>("a")];\n`,
  ],
  ["readonly array type argument", `const f = <T,>(x: T) => x;\nexport const r = f<readonly string[]>([]);\n`],
  [
    "import shadowed by a hoisted var",
    `import { a } from "x";\nexport function f() {\n  console.log(a);\n  var a = 1;\n}\n`,
  ],
  ["import shadowed by a later parameter", `import { a } from "x";\nexport function f(b = a, a = 1) { return b; }\n`],
  ["import shadowed by an unparenthesized arrow parameter", `import { a } from "x";\nexport const f = a => a;\n`],
  [
    "import shadowed by a for-of binding",
    `import { a } from "x";\nfor (const a of [1]) console.log(a);\nexport const z = 1;\n`,
  ],
  [
    "import shadowed by a named function expression",
    `import { a } from "x";\nexport const f = function a() { return a; };\n`,
  ],
  [
    "import shadowed in a sibling block, used outside",
    `import { a } from "x";\n{ const a = 1; console.log(a); }\nexport const z = a;\n`,
  ],
  ["import shadowed by a type parameter only", `import { a } from "x";\nexport function f<a>(x: a): a { return x; }\n`],
  [
    "import used in a destructuring default",
    `import { a } from "x";\nexport const { x = a } = {} as { x?: number };\n`,
  ],
  [
    "import used in a computed key of a type",
    `import { k } from "x";\nexport type T = { [k]: number };\nexport const z = 1;\n`,
  ],
  [
    "import used in a nested function after a shadowing sibling",
    `import { a } from "x";\nfunction g(a: number) { return a; }\nexport function f() { return g(1) + a; }\n`,
  ],
  [
    "import used as a call in a default parameter of an arrow",
    `import { a } from "x";\nexport const f = (x: number = a()) => x;\n`,
  ],
  ["import named like a type keyword", `import { string } from "x";\nexport const s: string = string;\n`],
  [
    "import named like a type keyword, only the type used",
    `import { string } from "x";\nexport const s: string = "a";\n`,
  ],
  ["empty file", ``],
  ["only comments", `// a: number\n/* b as c */\n`],
  ["only types", `type A = number;\ninterface B {}\nexport type { A, B };\n`],
  ["only an import type", `import type { A } from "a";\n`],
  ["with statement is a syntax error in modules", `with (Math) { const x: number = 1; }\n`],
  ["octal literal is a syntax error in modules", `export const a: number = 010;\n`],
  ["duplicate declaration error", `const a: number = 1;\nconst a = 2;\n`],
  ["unterminated template", "export const s: string = `abc;\n"],
  ["unterminated string", `export const s: string = "abc;\n`],
  ["unterminated comment", `export const s: string = "abc"; /* no end\n`],
  ["type annotation on a non-declaration", `let x = 1;\nx: number = 2;\nexport { x };\n`],
  ["abstract new in a type", `export type C = abstract new () => void;\nexport const z = 1;\n`],
  ["accessor keyword outside a class", `const accessor = 1;\nexport const x = accessor;\n`],
  ["enum-like identifier", `const enum_ = 1;\nexport const x = enum_;\n`],
  [
    "a call to a function named type with a type argument",
    `const type = <T,>(x: T) => x;\nexport const r = type<number>(1);\n`,
  ],
  [
    "generic call split over lines after the less-than",
    `const f = <T,>(x: T) => x;\nexport const r = f<\n  number\n>(1);\n`,
  ],
  ["comparison split over lines", `const a = 1, b = 2, c = 3;\nexport const r = a <\n  b && c >\n  (a);\n`],
];

describe("stripTypes: must strip (migration files)", () => {
  it.each(mustStrip)("%s", (_name, source) => {
    const ts = transform(source, "ts");
    expect(ts.ok ? "" : ts.error, "the corpus snippet is valid TypeScript").toBe("");
    const reason = checkOracle(source);
    expect(reason, "stripTypes refused a migration file").toBeUndefined();
  });
});

describe("stripTypes: may refuse (migration files using what is refused by design)", () => {
  it.each(designRefusals)("%s", (_name, source) => {
    const ts = transform(source, "ts");
    expect(ts.ok ? "" : ts.error, "the corpus snippet is valid TypeScript").toBe("");
    checkOracle(source);
  });
});

describe("stripTypes: may refuse (tricky syntax)", () => {
  it.each(mayRefuse)("%s", (_name, source) => {
    checkOracle(source);
  });
});

const fillers = [
  " ",
  "\n",
  "\n\n  ",
  "\r\n",
  "/* c */",
  " /* a: b<T> as any */ ",
  "/*\n x: number\n*/",
  "// x as T, y: U\n",
  "// ) => {\n  ",
  "\t/* } */\t",
  "/**/",
  " /* <T>(x: T): T => x as T; */ ",
  "/* ` ' \" */",
];

/**
 * Inserts fillers next to punctuation of `source` (line breaks only when `lineBreaks`); undefined when
 * esbuild reads the result as another program.
 */
function mutate(source: string, next: () => number, lineBreaks: boolean): string | undefined {
  const positions: number[] = [];
  for (let i = 1; i < source.length; i++) {
    const before = source[i - 1] ?? "";
    const after = source[i] ?? "";
    if (",({[:=|<".includes(before) || "{)]}>;".includes(after)) positions.push(i);
  }
  const usable = fillers.filter((filler) => lineBreaks === /[\r\n]/.test(filler));
  if (positions.length === 0) return undefined;
  const count = 1 + Math.floor(next() * 4);
  const chosen = new Set<number>();
  for (let k = 0; k < count; k++) chosen.add(positions[Math.floor(next() * positions.length)] ?? 0);
  let mutated = source;
  for (const position of [...chosen].sort((a, b) => b - a)) {
    const filler = usable[Math.floor(next() * usable.length)] ?? " ";
    mutated = mutated.slice(0, position) + filler + mutated.slice(position);
  }
  const original = transform(source, "ts", true);
  const changed = transform(mutated, "ts", true);
  if (!original.ok || !changed.ok || original.code !== changed.code) return undefined;
  return mutated;
}

/** Variants of every must-strip snippet, made the same on every run. */
function variants(lineBreaks: boolean, perSnippet: number): Case[] {
  const made: Case[] = [];
  mustStrip.forEach(([name, source], index) => {
    const next = seededRandom((lineBreaks ? 0xb4ea6 : 0x5eed) + index);
    let count = 0;
    for (let attempt = 0; attempt < 40 && count < perSnippet; attempt++) {
      const mutated = mutate(source, next, lineBreaks);
      if (mutated !== undefined) made.push([`${name} (variant ${++count})`, mutated]);
    }
  });
  return made;
}

const withComments = variants(false, 2);
const withLineBreaks = variants(true, 2);

describe("stripTypes: must strip, with comments inserted between tokens", () => {
  it("has variants of every must-strip snippet", () => {
    expect(withComments.length).toBeGreaterThan(mustStrip.length);
  });
  it.each(withComments)("%s", (_name, source) => {
    const reason = checkOracle(source);
    expect(reason, "stripTypes refused a migration file with comments inserted").toBeUndefined();
  });
});

/**
 * A line break (or a comment holding one) may land where blanking cannot keep
 * it, e.g. inside an arrow function's return type (JavaScript allows no line
 * break before `=>`): these variants may be refused.
 */
describe("stripTypes: may refuse, must strip snippets with line breaks inserted between tokens", () => {
  it("has variants of every must-strip snippet", () => {
    expect(withLineBreaks.length).toBeGreaterThan(mustStrip.length);
  });
  it.each(withLineBreaks)("%s", (_name, source) => {
    checkOracle(source);
  });
});
