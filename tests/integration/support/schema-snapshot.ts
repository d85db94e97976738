import { spawnSync } from "node:child_process";
import type { Connection } from "@retort/core";

/**
 * What a database holds, read back from its catalog, for comparing two
 * databases built two ways (online run, offline script): tables and their
 * columns, constraints, indexes, views and triggers as the database
 * describes them, every table's rows, and the version rows in table order.
 */
export type SchemaSnapshot = Record<string, unknown>;

export async function snapshotSqlite(connection: Connection): Promise<SchemaSnapshot> {
  const objects = (
    await connection.query<{ type: string; name: string; tbl_name: string }>(
      "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
  ).rows;
  const tables: Record<string, unknown> = {};
  for (const object of objects.filter((row) => row.type === "table")) {
    const quoted = connection.dialect.quoteIdentifier(object.name);
    tables[object.name] = {
      columns: (
        await connection.query(
          `SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo('${object.name}')`,
        )
      ).rows,
      foreignKeys: (
        await connection.query(
          `SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list('${object.name}')`,
        )
      ).rows,
      indexes: (
        await connection.query(
          `SELECT name, "unique", origin, partial FROM pragma_index_list('${object.name}') ORDER BY name`,
        )
      ).rows,
      rows: (await connection.query(`SELECT * FROM ${quoted} ORDER BY 1`)).rows,
    };
  }
  const others = objects
    .filter((row) => row.type !== "table")
    .map((row) => `${row.type} ${row.name} on ${row.tbl_name}`);
  return { tables, others };
}

export async function snapshotPostgres(connection: Connection): Promise<SchemaSnapshot> {
  const rows = async (sql: string) => (await connection.query(sql)).rows;
  const tables: Record<string, unknown> = {};
  const names = await rows(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  for (const { table_name: name } of names as { table_name: string }[]) {
    tables[name] = {
      columns: await rows(
        `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default, ordinal_position
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${name}' ORDER BY ordinal_position`,
      ),
      constraints: await rows(
        `SELECT conname, contype, pg_get_constraintdef(oid) AS definition FROM pg_constraint
          WHERE conrelid = 'public."${name}"'::regclass ORDER BY conname`,
      ),
      indexes: await rows(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = '${name}' ORDER BY indexname`,
      ),
      comment: await rows(`SELECT obj_description('public."${name}"'::regclass, 'pg_class') AS comment`),
      rows: await rows(`SELECT * FROM public."${name}" ORDER BY 1`),
    };
  }
  const types = await rows(
    `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels FROM pg_type t
       JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`,
  );
  const functions = await rows(
    "SELECT proname, pg_get_functiondef(p.oid) AS definition FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY proname",
  );
  const views = await rows("SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY viewname");
  return { tables, types, functions, views };
}

/** Runs `script` with the database's own command-line client, stopping at the first error. */
export function runScriptWithClient(dialect: string, url: string, script: string): void {
  const [command, args] =
    dialect === "sqlite"
      ? ["sqlite3", ["-bail", url.replace(/^sqlite:\/\/\//, "")]]
      : ["psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url]];
  const result = spawnSync(command as string, args as string[], { input: script, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} failed (${result.status}): ${result.stderr}\n--- script ---\n${script}`);
  }
}
