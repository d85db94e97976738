import type Database from "better-sqlite3";
import type { RunStatement } from "@retort/core";
import { castColumns, sqlLiteral } from "./sqlite-batch-cast.js";
import { dependentObjects } from "./sqlite-batch-dependents.js";
import { readSchemaObjects } from "./sqlite-batch-reflect.js";
import {
  CHECKS,
  CHECKS_TABLE_SQL,
  checkCasts,
  foreignKeysHoldCheck,
  copyFromCoversCheck,
  noDependentsCheck,
  noTriggersCheck,
  ROWS,
  type RebuildCheck,
  rowsKeptCheck,
  strictCastCheck,
} from "./sqlite-batch-rebuild-checks.js";
import { copyRows, countRows } from "./sqlite-batch-rebuild-copy.js";
import {
  compileError,
  objectKey,
  recreateDependents,
  renameColumns,
  withLegacyAlterTable,
} from "./sqlite-batch-rebuild-dependents.js";
import { planColumnRenames } from "./sqlite-batch-renames.js";
import { renderCreateIndex, renderCreateTable, temporaryName } from "./sqlite-batch-render.js";
import { quoteName } from "./sqlite-batch-sql.js";
import { type BatchTable, reasonOf, SqliteBatchError } from "./sqlite-batch-types.js";
import {
  assertExternalContentKept,
  contentProblem,
  externalContentIndexes,
  noExternalContentCheck,
  notVirtualCheck,
  rowidValuesKept,
} from "./sqlite-batch-virtual.js";

/** Reports copy progress: rows copied so far, and the table's row count. */
export type BatchProgress = (copied: number, total: number, table: string) => void;

/** A read-only query on the live database (through the run's statement sink); rows as plain objects. */
export type BatchRead = <Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]) => Promise<Row[]>;

export interface RebuildOptions {
  /**
   * Online: reads the live table before compiling (row count, CAST
   * changes, chunk bounds). Offline: undefined, and nothing is read.
   */
  readonly read?: BatchRead | undefined;
  /** Copy in rowid-ordered chunks annotated with `progress` (online only). */
  readonly progress?: boolean | undefined;
  /** Rows per chunk when `progress` is set (default 100,000). */
  readonly chunkSize?: number | undefined;
  /** Receives warnings: a CAST that changes values. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** Fail, before anything changes, when a CAST would change values (instead of warning). */
  readonly strictCast?: boolean | undefined;
  /** `PRAGMA legacy_alter_table` as the connection has it, restored after each switch (default off). */
  readonly legacyAlterTable?: boolean | undefined;
  /** Whether `sqlite_sequence` exists (online: read; offline: the source table has AUTOINCREMENT). */
  readonly sequenceTable?: boolean | undefined;
}

/** Runs one DDL statement on the scratch database, then emits it. */
export type Step = (what: string, sql: string) => void;

/** Emits one statement of the rebuild. */
export type Emit = (what: string, sql: string, extra?: Pick<RunStatement, "progress">) => void;

const SEQUENCE = 'temp."retort_batch_sequence"';

/**
 * Compiles the rebuild of `original` as `target` to statements, with
 * SQLite's generalized ALTER TABLE procedure
 * (https://sqlite.org/lang_altertable.html#otheralter, §7): rename the old
 * table's renamed columns in place (so SQLite rewrites the triggers, views
 * and foreign keys that use them), create the new table under a temporary
 * name, copy the rows, drop the old table, rename the new one, then
 * re-create indexes, triggers and views and restore the AUTOINCREMENT
 * counter; all under a SAVEPOINT, ending with the row-count and
 * foreign-key checks as statements that fail (a named CHECK constraint of
 * a TEMP table) when the check does.
 *
 * `scratch` is an empty database holding the schema as it is (see
 * `sqlite-batch-compiler.ts`): every DDL statement is run there first, so
 * what SQLite's RENAME COLUMN rewrites, which dependents are already
 * broken and which the batch breaks are known before anything is sent.
 * Failures there throw now, with nothing changed.
 *
 * This function orders the steps; the checks are in
 * sqlite-batch-rebuild-checks.ts, counting and copying the rows in
 * sqlite-batch-rebuild-copy.ts, renaming columns in place and re-creating
 * triggers and views in sqlite-batch-rebuild-dependents.ts.
 *
 * The statements must run inside a transaction with foreign keys off (the
 * run's: `SqliteConnection.begin()` turns them off first, as `PRAGMA
 * foreign_keys` is a no-op inside a transaction,
 * https://sqlite.org/pragma.html#pragma_foreign_keys).
 */
export async function compileRebuildStatements(
  scratch: Database.Database,
  original: BatchTable,
  target: BatchTable,
  options: RebuildOptions = {},
): Promise<RunStatement[]> {
  const table = original.name;
  const quoted = quoteName(table);
  const temporary = quoteName(temporaryName(table));
  const read = options.read;
  const legacy = options.legacyAlterTable === true;
  const statements: RunStatement[] = [];
  const failure = (what: string, sql: string) => (error: unknown) => {
    const reason = reasonOf(error);
    // SQLite names the table being built (`NOT NULL constraint failed: _alembic_tmp_users.email`).
    const built = temporaryName(table);
    const note = reason.includes(built) ? ` (${built} is the new "${table}" while it is built)` : "";
    return new SqliteBatchError(`Batch rebuild of "${table}" failed while ${what}: ${reason}${note}\n  SQL: ${sql}`, {
      cause: error,
    });
  };
  const emit: Emit = (what, sql, extra = {}) => {
    statements.push({ sql, parameters: [], failure: failure(what, sql), ...extra });
  };
  const step: Step = (what, sql) => {
    try {
      scratch.exec(sql);
    } catch (error) {
      throw failure(what, sql)(error);
    }
    emit(what, sql);
  };
  const check = ({ column, condition, message }: RebuildCheck) => {
    statements.push({
      sql: `INSERT INTO ${CHECKS} (${quoteName(column)}) SELECT ${condition}`,
      parameters: [],
      failure: (error) => {
        const reason = reasonOf(error);
        // A false condition fails the checks table's CHECK; anything else is the condition's own error.
        if (/CHECK constraint failed/i.test(reason)) {
          return new SqliteBatchError(`Batch rebuild of "${table}": ${message}; rolled back`, { cause: error });
        }
        const hint = /foreign key mismatch/i.test(reason)
          ? ` (that table's foreign key refers to columns of "${table}" that are no longer its primary key or unique)`
          : "";
        return new SqliteBatchError(
          `Batch rebuild of "${table}" failed while checking the rebuilt table: ${reason}${hint}; rolled back`,
          { cause: error },
        );
      },
    });
  };

  const total = read === undefined ? undefined : await countRows(read, quoted);
  if (read !== undefined && total !== undefined) await checkCasts(read, table, target, total, options);
  const sequence =
    target.primaryKey?.autoincrement === true && (options.sequenceTable ?? original.primaryKey?.autoincrement === true);
  const casts = castColumns(target);

  emit("opening the savepoint", "SAVEPOINT retort_batch");
  emit("creating the checks table", CHECKS_TABLE_SQL);
  emit("counting the rows", `CREATE TEMP TABLE ${ROWS} AS SELECT count(*) AS "n" FROM ${quoted}`);
  const rowidsKept = rowidValuesKept(original, target);
  if (read === undefined) {
    // Offline, the script knows the table from copyFrom only: it may be a
    // virtual table (or a shadow table), which a rebuild would make plain.
    check(notVirtualCheck(table));
    // DROP TABLE would take its triggers along unseen. Refuse, rather than lose them.
    check(noTriggersCheck(table));
    // copyFrom stands for the table: what it leaves out would be dropped, data and all.
    check(copyFromCoversCheck(table, original));
    // A view or another table's trigger that uses a dropped or renamed column would break unseen.
    const kept = new Set(
      target.columns.flatMap((column) => (column.source === column.name ? [column.name.toLowerCase()] : [])),
    );
    const columnsChange = original.columns.some((column) => !kept.has(column.name.toLowerCase()));
    if (columnsChange) check(noDependentsCheck(table));
    // An FTS index reading the table by column name and rowid would no longer match it.
    if (columnsChange || !rowidsKept) check(noExternalContentCheck(table));
  }
  if (read === undefined && options.strictCast === true && casts.length > 0) {
    // Offline, nothing was counted: the script refuses a changing CAST itself.
    check(strictCastCheck(table, casts));
  }
  if (sequence) {
    emit(
      "saving the AUTOINCREMENT counter",
      `CREATE TEMP TABLE ${SEQUENCE} AS SELECT "seq" FROM sqlite_sequence WHERE "name" = ${sqlLiteral(table)}`,
    );
  }
  // Which dependents compile now: only those are checked after the swap
  // (one already broken is put back as it was, not blamed on the batch).
  const compiledBefore = new Set(
    dependentObjects(readSchemaObjects(scratch), table)
      .filter((object) => compileError(scratch, object) === undefined)
      .map(objectKey),
  );
  // The FTS tables that read this table (or a view of it), and which of them worked before.
  const ftsIndexes = externalContentIndexes(scratch);
  const ftsBefore = new Map(ftsIndexes.map((index) => [index.name, contentProblem(scratch, index)]));
  const renames = planColumnRenames(original, target);
  const setAside = renameColumns(scratch, table, renames, legacy, emit);
  // Read after the renames: SQLite has rewritten them.
  const dependents = dependentObjects(readSchemaObjects(scratch), table);
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
  await copyRows(scratch, original, target, total, options, step, emit, renames);
  step("dropping the old table", `DROP TABLE ${quoted}`);
  // With legacy_alter_table ON, RENAME does not rewrite (or re-check)
  // references in other triggers and views (lang_altertable.html, "ALTER
  // TABLE RENAME"; pragma.html#pragma_legacy_alter_table): they name the
  // final table already, and must not be pointed at the temporary name.
  withLegacyAlterTable(scratch, true, legacy, emit, () =>
    step("renaming the new table", `ALTER TABLE ${temporary} RENAME TO ${quoted}`),
  );
  for (const index of target.indexes) step(`creating index "${index.name}"`, renderCreateIndex(index, table));
  const dropped = new Set(
    original.columns
      .filter((column) => !target.columns.some((other) => other.source?.toLowerCase() === column.name.toLowerCase()))
      .map((column) => column.name.toLowerCase()),
  );
  let dependentsFailed: unknown;
  try {
    recreateDependents(
      scratch,
      table,
      dependents,
      compiledBefore,
      { dropped, temporaryNames: renames.temporaryNames },
      step,
    );
  } catch (error) {
    dependentsFailed = error;
  }
  // An FTS index the batch breaks is named first: its refusal says what to do
  // with the index and its sync triggers, which would otherwise fail one by one.
  assertExternalContentKept(scratch, table, ftsIndexes, ftsBefore, rowidsKept);
  if (dependentsFailed !== undefined) throw dependentsFailed;
  for (const object of [...setAside].sort(
    (left, right) => (left.type === "view" ? 0 : 1) - (right.type === "view" ? 0 : 1),
  )) {
    step(`putting back ${object.type} "${object.name}" as it was`, object.sql);
  }
  if (sequence) {
    // Kept in SQL, so a counter above 2^53 stays exact (max() keeps the higher of both).
    const name = sqlLiteral(table);
    emit(
      "restoring the AUTOINCREMENT counter",
      `UPDATE sqlite_sequence SET "seq" = max("seq", (SELECT "seq" FROM ${SEQUENCE})) WHERE "name" = ${name} AND EXISTS (SELECT 1 FROM ${SEQUENCE})`,
    );
    emit(
      "restoring the AUTOINCREMENT counter",
      `INSERT INTO sqlite_sequence ("name", "seq") SELECT ${name}, "seq" FROM ${SEQUENCE} WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE "name" = ${name})`,
    );
    emit("dropping the saved counter", `DROP TABLE ${SEQUENCE}`);
  }
  check(rowsKeptCheck(quoted));
  // PRAGMA foreign_key_check for the rebuilt table and for the tables whose
  // foreign keys point at it (lang_altertable.html §7 step 10).
  check(foreignKeysHoldCheck(table));
  emit("dropping the row count", `DROP TABLE ${ROWS}`);
  emit("dropping the checks table", `DROP TABLE ${CHECKS}`);
  emit("releasing the savepoint", "RELEASE retort_batch");
  return statements;
}
