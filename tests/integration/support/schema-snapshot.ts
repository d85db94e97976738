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

/**
 * MySQL/MariaDB, in the URL's database: columns as `information_schema`
 * gives them (full type, default, extra, comment), constraints with their
 * columns and references, indexes by column, the table's comment and
 * engine, and every table's rows.
 */
export async function snapshotMysql(connection: Connection): Promise<SchemaSnapshot> {
  const rows = async (sql: string, parameters: readonly unknown[] = []) =>
    (await connection.query(sql, parameters)).rows;
  const tables: Record<string, unknown> = {};
  const names = await rows(
    `SELECT table_name AS name, table_comment AS comment, engine FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  for (const { name, comment, engine } of names as { name: string; comment: string; engine: string }[]) {
    tables[name] = {
      comment,
      engine,
      columns: await rows(
        `SELECT column_name, column_type, is_nullable, column_default, extra, column_comment, ordinal_position
           FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
        [name],
      ),
      constraints: await rows(
        `SELECT c.constraint_name, c.constraint_type, k.column_name, k.referenced_table_name, k.referenced_column_name
           FROM information_schema.table_constraints c
           LEFT JOIN information_schema.key_column_usage k
             ON k.constraint_schema = c.constraint_schema AND k.table_name = c.table_name
            AND k.constraint_name = c.constraint_name
          WHERE c.table_schema = DATABASE() AND c.table_name = ?
          ORDER BY c.constraint_name, k.ordinal_position`,
        [name],
      ),
      indexes: await rows(
        `SELECT index_name, non_unique, column_name, seq_in_index FROM information_schema.statistics
          WHERE table_schema = DATABASE() AND table_name = ? ORDER BY index_name, seq_in_index`,
        [name],
      ),
      rows: await rows(`SELECT * FROM ${connection.dialect.quoteIdentifier(name)} ORDER BY 1`),
    };
  }
  const views = await rows(
    "SELECT table_name, view_definition FROM information_schema.views WHERE table_schema = DATABASE() ORDER BY table_name",
  );
  return { tables, views };
}

/** Runs `script` with a command-line client, stopping at the first error. */
function runClient(command: string, args: readonly string[], script: string, env?: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { input: script, encoding: "utf8", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    throw new Error(
      `${command} failed (${result.status}): ${result.error ?? result.stderr}\n--- script ---\n${script}`,
    );
  }
}

/** `sqlite3 -bail` on the URL's file. */
export function runSqliteScript(url: string, script: string): void {
  runClient("sqlite3", ["-bail", url.replace(/^sqlite:\/\/\//, "")], script);
}

/** `psql -v ON_ERROR_STOP=1` on the URL. */
export function runPsqlScript(url: string, script: string): void {
  runClient("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url], script);
}

/**
 * The `mysql` client (MySQL's or MariaDB's) on the URL's server and
 * database; it stops at the first error unless told `--force`. The
 * password goes through `MYSQL_PWD`, not the command line.
 */
export function runMysqlScript(url: string, script: string): void {
  const parsed = new URL(url);
  runClient(
    "mysql",
    [
      "--batch",
      `--host=${parsed.hostname}`,
      `--port=${parsed.port === "" ? "3306" : parsed.port}`,
      `--user=${decodeURIComponent(parsed.username)}`,
      decodeURIComponent(parsed.pathname.slice(1)),
    ],
    script,
    parsed.password === "" ? undefined : { MYSQL_PWD: decodeURIComponent(parsed.password) },
  );
}
