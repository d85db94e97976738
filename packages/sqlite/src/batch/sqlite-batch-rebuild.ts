import type Database from "better-sqlite3";
import {
  type CastChange,
  castColumns,
  castCountSql,
  castExampleSql,
  castRefusal,
  castWarning,
  sqlLiteral,
} from "./sqlite-batch-cast.js";
import {
  brokenObjectMessage,
  type ColumnChanges,
  dependentAdvice,
  dependentObjects,
  parseSchemaError,
  type TargetColumn,
  validationSql,
} from "./sqlite-batch-dependents.js";
import { readSchemaObjects } from "./sqlite-batch-reflect.js";
import { type ColumnRenamePlan, planColumnRenames, withRealNames } from "./sqlite-batch-renames.js";
import { copyColumns, hasHiddenRowid, renderCreateIndex, renderCreateTable } from "./sqlite-batch-render.js";
import { quoteName } from "./sqlite-batch-sql.js";
import { type BatchTable, type SchemaObject, SqliteBatchError } from "./sqlite-batch-types.js";

/** Reports copy progress: rows copied so far, and the table's row count. */
export type BatchProgress = (copied: number, total: number, table: string) => void;

export interface RebuildOptions {
  /** Called after each chunk; when set, rows are copied in rowid-ordered chunks. */
  readonly onProgress?: BatchProgress | undefined;
  /** Rows per chunk when `onProgress` is set (default 100,000). */
  readonly chunkSize?: number;
  /** Receives warnings: a CAST that changes values. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** Fail, before anything changes, when a CAST would change values (instead of warning). */
  readonly strictCast?: boolean | undefined;
}

/** Alembic's temporary name, `_alembic_tmp_<table>` truncated to 50 characters (alembic.md §6.1). */
export function temporaryName(table: string): string {
  return `_alembic_tmp_${table}`.slice(0, 50);
}

type Step = (what: string, sql: string) => void;

/**
 * Rebuilds `original` as `target` with SQLite's generalized ALTER TABLE
 * procedure (https://sqlite.org/lang_altertable.html#otheralter, §7):
 * check what the copy's CASTs would change, rename the old table's renamed
 * columns in place (so SQLite rewrites the triggers, views and foreign keys
 * that use them), create the new table under a temporary name, copy the
 * rows, drop the old table, rename the new one, then re-create indexes,
 * triggers and views, checking that each trigger and view still compiles,
 * and restore the AUTOINCREMENT counter. It must run inside a transaction
 * with foreign keys off (the caller's job: `PRAGMA foreign_keys` is a no-op
 * inside a transaction, https://sqlite.org/pragma.html#pragma_foreign_keys);
 * it works under a SAVEPOINT so a failure undoes every step, and it
 * compares row counts and runs `PRAGMA foreign_key_check` before it returns.
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
  const step: Step = (what, sql) => {
    try {
      database.exec(sql);
    } catch (error) {
      throw new SqliteBatchError(
        `Batch rebuild of "${table}" failed while ${what}: ${reasonOf(error)}\n  SQL: ${sql}`,
        {
          cause: error,
        },
      );
    }
  };
  const count = (name: string) => database.prepare(`SELECT count(*) FROM ${name}`).pluck().get() as number;

  database.exec("SAVEPOINT retort_batch");
  try {
    const rowsBefore = count(quoted);
    checkCasts(database, table, target, rowsBefore, options);
    const sequence = readSequence(database, table);
    // Which dependents compile now: only those are checked after the swap
    // (one already broken is put back as it was, not blamed on the batch).
    const compiledBefore = new Set(
      dependentObjects(readSchemaObjects(database), table)
        .filter((object) => compileError(database, object) === undefined)
        .map(objectKey),
    );
    const renames = planColumnRenames(original, target);
    const setAside = renameColumns(database, table, renames);
    // Read after the renames: SQLite has rewritten them.
    const dependents = dependentObjects(readSchemaObjects(database), table);
    // Triggers on other tables survive DROP TABLE, views too: drop them all
    // now and re-create them after the swap (steps 3 and 8).
    for (const object of [...dependents].sort(
      (left, right) => (left.type === "trigger" ? 0 : 1) - (right.type === "trigger" ? 0 : 1),
    )) {
      step(
        `dropping ${object.type} "${object.name}"`,
        `DROP ${object.type.toUpperCase()} IF EXISTS ${quoteName(object.name)}`,
      );
    }
    step("creating the new table", renderCreateTable(target, temporaryName(table)));
    copyRows(database, original, target, rowsBefore, options, step, renames);
    step("dropping the old table", `DROP TABLE ${quoted}`);
    // With legacy_alter_table ON, RENAME does not rewrite (or re-check)
    // references in other triggers and views (lang_altertable.html, "ALTER
    // TABLE RENAME"; pragma.html#pragma_legacy_alter_table): they name the
    // final table already, and must not be pointed at the temporary name.
    withLegacyAlterTable(database, true, () =>
      step("renaming the new table", `ALTER TABLE ${temporary} RENAME TO ${quoted}`),
    );
    for (const index of target.indexes) step(`creating index "${index.name}"`, renderCreateIndex(index, table));
    const dropped = new Set(
      original.columns
        .filter((column) => !target.columns.some((other) => other.source?.toLowerCase() === column.name.toLowerCase()))
        .map((column) => column.name.toLowerCase()),
    );
    recreateDependents(
      database,
      table,
      dependents,
      compiledBefore,
      { dropped, temporaryNames: renames.temporaryNames },
      step,
    );
    for (const object of [...setAside].sort(
      (left, right) => (left.type === "view" ? 0 : 1) - (right.type === "view" ? 0 : 1),
    )) {
      step(`putting back ${object.type} "${object.name}" as it was`, object.sql);
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

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const objectKey = (object: SchemaObject) => `${object.type}:${object.name.toLowerCase()}`;

function withLegacyAlterTable<T>(database: Database.Database, on: boolean, run: () => T): T {
  const before = database.pragma("legacy_alter_table", { simple: true }) as number;
  database.pragma(`legacy_alter_table = ${on ? "ON" : "OFF"}`);
  try {
    return run();
  } finally {
    database.pragma(`legacy_alter_table = ${before === 1 ? "ON" : "OFF"}`);
  }
}

/**
 * Counts, in one scan of the old table, the values each CAST of the copy
 * changes (`'abc'` becoming 0), before anything is changed. With
 * `strictCast` any such value fails the batch; otherwise one warning names
 * the columns, counts and an example.
 */
function checkCasts(
  database: Database.Database,
  table: string,
  target: BatchTable,
  total: number,
  options: RebuildOptions,
): void {
  const columns = castColumns(target);
  if (columns.length === 0 || total === 0) return;
  const counts = database.prepare(castCountSql(table, columns)).get() as Record<string, number>;
  const changes: CastChange[] = columns
    .map((column, at) => ({ column, changed: Number(counts[`c${at}`] ?? 0) }))
    .filter((change) => change.changed > 0)
    .map((change) => {
      const row = database.prepare(castExampleSql(table, change.column)).safeIntegers().get() as
        | { before: unknown; after: unknown }
        | undefined;
      return {
        ...change,
        example: row === undefined ? undefined : { before: sqlLiteral(row.before), after: sqlLiteral(row.after) },
      };
    });
  if (changes.length === 0) return;
  if (options.strictCast === true) throw new SqliteBatchError(castRefusal(table, changes, total));
  options.onWarning?.(castWarning(table, changes, total));
}

/**
 * Renames the old table's columns to their new names with SQLite's own
 * `ALTER TABLE RENAME COLUMN` (legacy_alter_table OFF), which rewrites every
 * trigger, view and foreign key that uses them, resolving names as SQLite
 * does, and checks the whole schema after each rename. A trigger or view
 * that was already broken before (SQLite's message then lacks "after
 * rename") is set aside and returned, to be put back as it was at the end;
 * one the rename breaks (a view selecting the column through another view)
 * fails the batch.
 */
function renameColumns(database: Database.Database, table: string, plan: ColumnRenamePlan): SchemaObject[] {
  const setAside: SchemaObject[] = [];
  if (plan.steps.length === 0) return setAside;
  const real = (text: string) => withRealNames(text, plan.temporaryNames);
  withLegacyAlterTable(database, false, () => {
    for (const rename of plan.steps) {
      for (;;) {
        let reason: string;
        try {
          database.exec(rename.sql);
          break;
        } catch (error) {
          reason = reasonOf(error);
        }
        const broken = parseSchemaError(reason);
        if (broken !== undefined && !broken.caused && (broken.type === "view" || broken.type === "trigger")) {
          const objects = readSchemaObjects(database);
          const object = objects.find(
            (candidate) => candidate.type === broken.type && candidate.name.toLowerCase() === broken.name.toLowerCase(),
          );
          if (object !== undefined) {
            const onIt = objects.filter(
              (candidate) =>
                object.type === "view" &&
                candidate.type === "trigger" &&
                candidate.tableName.toLowerCase() === object.name.toLowerCase(),
            );
            for (const each of [...onIt, object])
              database.exec(`DROP ${each.type.toUpperCase()} ${quoteName(each.name)}`);
            setAside.push(object, ...onIt);
            continue;
          }
        }
        const what = real(rename.label);
        const detail =
          broken === undefined
            ? real(reason)
            : `${broken.type} "${broken.name}" no longer compiles after it: ${real(broken.reason)}. SQLite rewrites the triggers and views that name the column, but not one that reaches it through another view or trigger. ` +
              dependentAdvice([
                { type: broken.type as SchemaObject["type"], name: broken.name, tableName: "", sql: "" },
              ]);
        throw new SqliteBatchError(
          `Batch rebuild of "${table}" failed while ${what}: ${detail}\n  SQL: ${real(rename.sql)}`,
          {
            cause: reason,
          },
        );
      }
    }
  });
  return setAside;
}

/** The columns of a table or view, as `PRAGMA table_xinfo` lists them. */
function targetColumns(database: Database.Database, table: string): TargetColumn[] {
  const rows = database.prepare(`PRAGMA table_xinfo(${quoteName(table)})`).all() as { name: string; hidden: number }[];
  return rows.map((row) => ({ name: row.name, generated: row.hidden === 2 || row.hidden === 3 }));
}

/** SQLite's error when it compiles the object against the tables as they are, or undefined. */
function compileError(database: Database.Database, object: SchemaObject): string | undefined {
  const sql = validationSql(object, (name) => targetColumns(database, name));
  if (sql === undefined) return undefined;
  try {
    database.prepare(sql);
    return undefined;
  } catch (error) {
    return reasonOf(error);
  }
}

/**
 * Re-creates the dropped triggers and views from their (rewritten) SQL and
 * checks that each still compiles: views are created first, then triggers
 * one at a time, each checked as it is created, so a failure names the
 * trigger that caused it. Every failure is collected; any fails the batch,
 * naming the object and the column, and the savepoint undoes it all.
 */
function recreateDependents(
  database: Database.Database,
  table: string,
  dependents: readonly SchemaObject[],
  compiledBefore: ReadonlySet<string>,
  changes: ColumnChanges,
  step: Step,
): void {
  const failures: { object: SchemaObject; message: string }[] = [];
  const check = (object: SchemaObject): boolean => {
    if (!compiledBefore.has(objectKey(object))) return true;
    const error = compileError(database, object);
    if (error === undefined) return true;
    failures.push({ object, message: brokenObjectMessage(object, error, changes) });
    return false;
  };
  const views = dependents.filter((object) => object.type === "view");
  for (const view of views) step(`re-creating view "${view.name}"`, view.sql);
  for (const trigger of dependents.filter((object) => object.type === "trigger")) {
    step(`re-creating trigger "${trigger.name}"`, trigger.sql);
    // Dropped again when it fails, so the next trigger on the table is checked on its own.
    if (!check(trigger)) database.exec(`DROP TRIGGER ${quoteName(trigger.name)}`);
  }
  for (const view of views) check(view);
  if (failures.length === 0) return;
  throw new SqliteBatchError(
    `Batch rebuild of "${table}" failed: ${failures.map((failure) => failure.message).join("; ")}. ` +
      dependentAdvice(failures.map((failure) => failure.object)),
  );
}

/** `INSERT INTO tmp SELECT ... FROM t`, in one statement or in rowid-ordered chunks when progress is wanted. */
function copyRows(
  database: Database.Database,
  original: BatchTable,
  target: BatchTable,
  total: number,
  options: RebuildOptions,
  step: Step,
  renames: ColumnRenamePlan,
): void {
  const keepRowid = hasHiddenRowid(original) && hasHiddenRowid(target);
  const sourceName = (source: string) => renames.currentName.get(source.toLowerCase()) ?? source;
  const { targets, sources } = copyColumns(target, keepRowid, sourceName);
  if (targets.length === 0) return;
  const insert = `INSERT INTO ${quoteName(temporaryName(original.name))} (${targets.join(", ")}) SELECT ${sources.join(", ")} FROM ${quoteName(original.name)}`;
  const chunkSize = options.chunkSize ?? 100_000;
  const rowidKept = keepRowid || sameRowidAlias(original, target);
  if (options.onProgress === undefined || !rowidKept || total <= chunkSize) {
    step("copying the rows", insert);
    options.onProgress?.(total, total, original.name);
    return;
  }
  // Rowids are 64-bit: read and bound as BigInt, so one above 2^53 is exact.
  const first = database.prepare(`${insert} ORDER BY rowid LIMIT ${chunkSize}`);
  const next = database.prepare(`${insert} WHERE rowid > ? ORDER BY rowid LIMIT ${chunkSize}`);
  const last = database
    .prepare(`SELECT max(rowid) FROM ${quoteName(temporaryName(original.name))}`)
    .pluck()
    .safeIntegers();
  let copied = 0;
  let after: bigint | undefined;
  for (;;) {
    let changes: number;
    try {
      changes = (after === undefined ? first.run() : next.run(after)).changes;
    } catch (error) {
      throw new SqliteBatchError(
        `Batch rebuild of "${original.name}" failed while copying the rows: ${reasonOf(error)}`,
        { cause: error },
      );
    }
    if (changes === 0) break;
    copied += changes;
    after = last.get() as bigint;
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

/**
 * The AUTOINCREMENT high-water mark (https://sqlite.org/autoinc.html); the
 * rebuild would reset it to max(rowid). Read as a BigInt: a counter above
 * 2^53 does not fit a JS number.
 */
export function readSequence(database: Database.Database, table: string): bigint | undefined {
  const exists = database.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get();
  if (exists === undefined) return undefined;
  const seq = database.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").pluck().safeIntegers().get(table);
  if (typeof seq === "bigint") return seq;
  return typeof seq === "number" ? BigInt(Math.trunc(seq)) : undefined;
}

function restoreSequence(database: Database.Database, table: string, value: bigint): void {
  // Bound as a BigInt so SQLite stores the exact INTEGER (a JS number binds as REAL).
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
