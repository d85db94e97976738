import type Database from "better-sqlite3";
import { dependentObjects } from "./sqlite-batch-reflect.js";
import { copyColumns, hasHiddenRowid, renderCreateIndex, renderCreateTable } from "./sqlite-batch-render.js";
import { quoteName } from "./sqlite-batch-sql.js";
import { type BatchTable, SqliteBatchError } from "./sqlite-batch-types.js";

/** Reports copy progress: rows copied so far, and the table's row count. */
export type BatchProgress = (copied: number, total: number, table: string) => void;

export interface RebuildOptions {
  /** Called after each chunk; when set, rows are copied in rowid-ordered chunks. */
  readonly onProgress?: BatchProgress | undefined;
  /** Rows per chunk when `onProgress` is set (default 100,000). */
  readonly chunkSize?: number;
}

/** Alembic's temporary name, `_alembic_tmp_<table>` truncated to 50 characters (alembic.md §6.1). */
export function temporaryName(table: string): string {
  return `_alembic_tmp_${table}`.slice(0, 50);
}

/**
 * Rebuilds `original` as `target` with SQLite's generalized ALTER TABLE
 * procedure (https://sqlite.org/lang_altertable.html#otheralter, §7):
 * create the new table under a temporary name, copy the rows, drop the old
 * table, rename the new one, then re-create indexes, triggers and views and
 * the AUTOINCREMENT counter. It must run inside a transaction with foreign
 * keys off (the caller's job: `PRAGMA foreign_keys` is a no-op inside a
 * transaction, https://sqlite.org/pragma.html#pragma_foreign_keys); it
 * works under a SAVEPOINT so a failure undoes every step, and it compares
 * row counts and runs `PRAGMA foreign_key_check` before it returns.
 */
export function rebuildTable(
  database: Database.Database,
  original: BatchTable,
  target: BatchTable,
  options: RebuildOptions = {},
): void {
  if (!database.inTransaction) throw new SqliteBatchError("a batch rebuild must run inside a transaction");
  if (database.pragma("foreign_keys", { simple: true }) === 1) {
    throw new SqliteBatchError(
      `Cannot rebuild table "${original.name}": foreign keys are enforced in this transaction, so DROP TABLE ` +
        "would fire ON DELETE CASCADE in child tables. Start the transaction with SqliteConnection.begin(), " +
        "which turns them off first (PRAGMA foreign_keys is a no-op inside a transaction).",
    );
  }
  const table = original.name;
  const quoted = quoteName(table);
  const temporary = quoteName(temporaryName(table));
  const step = (what: string, sql: string) => {
    try {
      database.exec(sql);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SqliteBatchError(`Batch rebuild of "${table}" failed while ${what}: ${reason}\n  SQL: ${sql}`, {
        cause: error,
      });
    }
  };
  const count = (name: string) => database.prepare(`SELECT count(*) FROM ${name}`).pluck().get() as number;

  database.exec("SAVEPOINT retort_batch");
  try {
    const rowsBefore = count(quoted);
    const sequence = readSequence(database, table);
    const dependents = dependentObjects(database, table);
    // Views survive DROP TABLE but may no longer fit the new table: drop
    // them now and re-create them at the end, which checks them (step 9).
    for (const view of dependents.filter((object) => object.type === "view")) {
      step(`dropping view "${view.name}"`, `DROP VIEW ${quoteName(view.name)}`);
    }
    step("creating the new table", renderCreateTable(target, temporaryName(table)));
    copyRows(database, original, target, rowsBefore, options, step);
    step("dropping the old table", `DROP TABLE ${quoted}`);
    // With legacy_alter_table ON, RENAME does not rewrite (or re-check)
    // references in other triggers and views (lang_altertable.html, "ALTER
    // TABLE RENAME"; pragma.html#pragma_legacy_alter_table): they name the
    // final table already, and must not be pointed at the temporary name.
    const legacy = database.pragma("legacy_alter_table", { simple: true }) as number;
    database.pragma("legacy_alter_table = ON");
    try {
      step("renaming the new table", `ALTER TABLE ${temporary} RENAME TO ${quoted}`);
    } finally {
      database.pragma(`legacy_alter_table = ${legacy === 1 ? "ON" : "OFF"}`);
    }
    for (const index of target.indexes) step(`creating index "${index.name}"`, renderCreateIndex(index, table));
    for (const object of dependents) {
      step(
        `re-creating ${object.type} "${object.name}" (drop and re-create it in the batch migration if it uses a changed column)`,
        object.sql,
      );
    }
    if (target.primaryKey?.autoincrement === true && sequence !== undefined) restoreSequence(database, table, sequence);
    const rowsAfter = count(quoted);
    if (rowsAfter !== rowsBefore) {
      throw new SqliteBatchError(
        `Batch rebuild of "${table}" copied ${rowsAfter} rows, but the table had ${rowsBefore}; rolled back`,
      );
    }
    checkForeignKeys(database, table);
    database.exec("RELEASE retort_batch");
  } catch (error) {
    if (database.inTransaction) {
      database.exec("ROLLBACK TO retort_batch");
      database.exec("RELEASE retort_batch");
    }
    throw error;
  }
}

/** `INSERT INTO tmp SELECT ... FROM t`, in one statement or in rowid-ordered chunks when progress is wanted. */
function copyRows(
  database: Database.Database,
  original: BatchTable,
  target: BatchTable,
  total: number,
  options: RebuildOptions,
  step: (what: string, sql: string) => void,
): void {
  const keepRowid = hasHiddenRowid(original) && hasHiddenRowid(target);
  const { targets, sources } = copyColumns(target, keepRowid);
  if (targets.length === 0) return;
  const insert = `INSERT INTO ${quoteName(temporaryName(original.name))} (${targets.join(", ")}) SELECT ${sources.join(", ")} FROM ${quoteName(original.name)}`;
  const chunkSize = options.chunkSize ?? 100_000;
  const rowidKept = keepRowid || sameRowidAlias(original, target);
  if (options.onProgress === undefined || !rowidKept || total <= chunkSize) {
    step("copying the rows", insert);
    options.onProgress?.(total, total, original.name);
    return;
  }
  const chunk = database.prepare(`${insert} WHERE rowid > ? ORDER BY rowid LIMIT ${chunkSize}`);
  const last = database.prepare(`SELECT max(rowid) FROM ${quoteName(temporaryName(original.name))}`).pluck();
  let copied = 0;
  let after: number | bigint = Number.MIN_SAFE_INTEGER;
  for (;;) {
    let changes: number;
    try {
      changes = chunk.run(after).changes;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SqliteBatchError(`Batch rebuild of "${original.name}" failed while copying the rows: ${reason}`, {
        cause: error,
      });
    }
    if (changes === 0) break;
    copied += changes;
    after = last.get() as number;
    options.onProgress(copied, total, original.name);
  }
}

/** The new table's rowid alias copies the old one's, so `max(rowid)` of the copy is the last rowid read. */
function sameRowidAlias(original: BatchTable, target: BatchTable): boolean {
  const alias = (table: BatchTable) => {
    const key = table.primaryKey;
    if (key === undefined || key.columns.length !== 1 || /without\s+rowid/i.test(table.tableOptions)) return undefined;
    return table.columns.find(
      (column) =>
        column.name.toLowerCase() === key.columns[0]?.toLowerCase() && column.type.toUpperCase() === "INTEGER",
    );
  };
  const before = alias(original);
  const after = alias(target);
  return before !== undefined && after !== undefined && after.source === before.name;
}

/** The AUTOINCREMENT high-water mark (https://sqlite.org/autoinc.html); the rebuild would reset it to max(rowid). */
function readSequence(database: Database.Database, table: string): number | undefined {
  const exists = database.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get();
  if (exists === undefined) return undefined;
  const seq = database.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").pluck().get(table);
  return typeof seq === "number" ? seq : undefined;
}

function restoreSequence(database: Database.Database, table: string, seq: number): void {
  // Bound as a BigInt so SQLite stores an INTEGER (a JS number binds as REAL).
  const value = BigInt(Math.trunc(seq));
  const updated = database.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?").run(value, table);
  if (updated.changes === 0)
    database.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)").run(table, value);
}

/**
 * `PRAGMA foreign_key_check` for the rebuilt table and for the tables whose
 * foreign keys point at it (lang_altertable.html §7 step 10). A violation
 * fails the batch, naming the table, rowid and parent.
 */
function checkForeignKeys(database: Database.Database, table: string): void {
  const tables = database
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const children = tables.filter((name) =>
    (database.prepare(`PRAGMA foreign_key_list(${quoteName(name)})`).all() as { table: string }[]).some(
      (fk) => fk.table.toLowerCase() === table.toLowerCase(),
    ),
  );
  for (const name of new Set([table, ...children])) {
    const rows = database.prepare(`PRAGMA foreign_key_check(${quoteName(name)})`).all() as ForeignKeyViolation[];
    if (rows.length > 0) throw foreignKeyError(rows, `after rebuilding "${table}"`);
  }
}

/** One row of `PRAGMA foreign_key_check` (https://sqlite.org/pragma.html#pragma_foreign_key_check). */
export interface ForeignKeyViolation {
  readonly table: string;
  readonly rowid: number | null;
  readonly parent: string;
  readonly fkid: number;
}

/** An error listing the first violations: table, rowid, parent table. */
export function foreignKeyError(rows: readonly ForeignKeyViolation[], when: string): SqliteBatchError {
  const listed = rows
    .slice(0, 5)
    .map((row) => `table "${row.table}" rowid ${row.rowid ?? "?"} references missing row in "${row.parent}"`)
    .join("; ");
  const more = rows.length > 5 ? ` (and ${rows.length - 5} more)` : "";
  return new SqliteBatchError(`Foreign key violations ${when}: ${listed}${more}; rolled back`);
}
