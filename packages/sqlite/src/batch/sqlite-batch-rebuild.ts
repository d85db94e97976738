import type Database from "better-sqlite3";
import type { RunStatement } from "@retort/core";
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

/** Alembic's temporary name, `_alembic_tmp_<table>` truncated to 50 characters (alembic.md §6.1). */
export function temporaryName(table: string): string {
  return `_alembic_tmp_${table}`.slice(0, 50);
}

type Step = (what: string, sql: string) => void;

const CHECKS = 'temp."retort_batch_check"';
const ROWS = 'temp."retort_batch_rows"';
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
  const failure = (what: string, sql: string) => (error: unknown) =>
    new SqliteBatchError(`Batch rebuild of "${table}" failed while ${what}: ${reasonOf(error)}\n  SQL: ${sql}`, {
      cause: error,
    });
  const emit = (what: string, sql: string, extra: Pick<RunStatement, "progress"> = {}) => {
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
  const check = (column: string, condition: string, message: string) => {
    statements.push({
      sql: `INSERT INTO ${CHECKS} (${quoteName(column)}) SELECT ${condition}`,
      parameters: [],
      failure: (error) =>
        new SqliteBatchError(`Batch rebuild of "${table}": ${message}; rolled back`, { cause: error }),
    });
  };

  const total = read === undefined ? undefined : await countRows(read, quoted);
  if (read !== undefined && total !== undefined) await checkCasts(read, table, target, total, options);
  const sequence =
    target.primaryKey?.autoincrement === true && (options.sequenceTable ?? original.primaryKey?.autoincrement === true);
  const casts = castColumns(target);

  emit("opening the savepoint", "SAVEPOINT retort_batch");
  emit(
    "creating the checks table",
    `CREATE TEMP TABLE ${CHECKS} (` +
      '"rows_kept" INTEGER CONSTRAINT "row count kept" CHECK ("rows_kept" IS NOT 0), ' +
      '"foreign_keys_hold" INTEGER CONSTRAINT "foreign keys hold" CHECK ("foreign_keys_hold" IS NOT 0), ' +
      '"casts_keep_values" INTEGER CONSTRAINT "casts keep values (strictCast)" CHECK ("casts_keep_values" IS NOT 0), ' +
      '"no_triggers" INTEGER CONSTRAINT "no triggers on the table (a --sql script cannot re-create them)" CHECK ("no_triggers" IS NOT 0))',
  );
  emit("counting the rows", `CREATE TEMP TABLE ${ROWS} AS SELECT count(*) AS "n" FROM ${quoted}`);
  if (read === undefined) {
    // Offline, the script knows the table from copyFrom only: DROP TABLE
    // would take its triggers along unseen. Refuse, rather than lose them.
    check(
      "no_triggers",
      `NOT EXISTS (SELECT 1 FROM sqlite_master WHERE "type" = 'trigger' AND "tbl_name" = ${sqlLiteral(table)} COLLATE NOCASE)`,
      "the table has triggers, which a --sql script cannot re-create (run the batch online, or drop them before the block and create them after it)",
    );
  }
  if (read === undefined && options.strictCast === true && casts.length > 0) {
    // Offline, nothing was counted: the script refuses a changing CAST itself.
    const counts = casts.map((_, at) => `"c${at}"`).join(" + ");
    check(
      "casts_keep_values",
      `(${counts}) = 0 FROM (${castCountSql(table, casts)})`,
      "a CAST of the copy changes values (strictCast)",
    );
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
  recreateDependents(
    scratch,
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
  check(
    "rows_kept",
    `(SELECT count(*) FROM ${quoted}) = (SELECT "n" FROM ${ROWS})`,
    "the new table does not have as many rows as the old one had",
  );
  // PRAGMA foreign_key_check for the rebuilt table and for the tables whose
  // foreign keys point at it (lang_altertable.html §7 step 10).
  const name = sqlLiteral(table);
  check(
    "foreign_keys_hold",
    `NOT EXISTS (SELECT 1 FROM sqlite_master AS "m" JOIN pragma_foreign_key_check("m"."name") AS "v" ` +
      `WHERE "m"."type" = 'table' AND ("m"."name" = ${name} COLLATE NOCASE OR EXISTS ` +
      `(SELECT 1 FROM pragma_foreign_key_list("m"."name") AS "f" WHERE "f"."table" = ${name} COLLATE NOCASE)))`,
    `foreign key violations after the rebuild (SELECT * FROM pragma_foreign_key_check(${name}) lists them)`,
  );
  emit("dropping the row count", `DROP TABLE ${ROWS}`);
  emit("dropping the checks table", `DROP TABLE ${CHECKS}`);
  emit("releasing the savepoint", "RELEASE retort_batch");
  return statements;
}

async function countRows(read: BatchRead, quoted: string): Promise<number> {
  const rows = await read<{ n: number | bigint }>(`SELECT count(*) AS "n" FROM ${quoted}`);
  return Number(rows[0]?.n ?? 0);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const objectKey = (object: SchemaObject) => `${object.type}:${object.name.toLowerCase()}`;

/**
 * Runs `run` with `legacy_alter_table` set to `on`: on the scratch database
 * now, and as PRAGMA statements around what `run` emits (only when the
 * connection's setting differs).
 */
function withLegacyAlterTable<T>(
  scratch: Database.Database,
  on: boolean,
  before: boolean,
  emit: (what: string, sql: string) => void,
  run: () => T,
): T {
  const switched = on !== before;
  scratch.pragma(`legacy_alter_table = ${on ? "ON" : "OFF"}`);
  if (switched) emit("switching legacy_alter_table", `PRAGMA legacy_alter_table = ${on ? "ON" : "OFF"}`);
  try {
    return run();
  } finally {
    scratch.pragma(`legacy_alter_table = ${before ? "ON" : "OFF"}`);
    if (switched) emit("switching legacy_alter_table back", `PRAGMA legacy_alter_table = ${before ? "ON" : "OFF"}`);
  }
}

/**
 * Counts, in one scan of the old table, the values each CAST of the copy
 * changes (`'abc'` becoming 0), before anything is changed. With
 * `strictCast` any such value fails the batch; otherwise one warning names
 * the columns, counts and an example.
 */
async function checkCasts(
  read: BatchRead,
  table: string,
  target: BatchTable,
  total: number,
  options: RebuildOptions,
): Promise<void> {
  const columns = castColumns(target);
  if (columns.length === 0 || total === 0) return;
  const counts = (await read<Record<string, number>>(castCountSql(table, columns)))[0] ?? {};
  const changes: CastChange[] = [];
  for (const [at, column] of columns.entries()) {
    const changed = Number(counts[`c${at}`] ?? 0);
    if (changed === 0) continue;
    const row = (await read<{ before: unknown; after: unknown }>(castExampleSql(table, column)))[0];
    changes.push({
      column,
      changed,
      example: row === undefined ? undefined : { before: sqlLiteral(row.before), after: sqlLiteral(row.after) },
    });
  }
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
function renameColumns(
  database: Database.Database,
  table: string,
  plan: ColumnRenamePlan,
  legacy: boolean,
  emit: (what: string, sql: string) => void,
): SchemaObject[] {
  const setAside: SchemaObject[] = [];
  if (plan.steps.length === 0) return setAside;
  const real = (text: string) => withRealNames(text, plan.temporaryNames);
  withLegacyAlterTable(database, false, legacy, emit, () => {
    for (const rename of plan.steps) {
      for (;;) {
        let reason: string;
        try {
          database.exec(rename.sql);
          emit(real(rename.label), rename.sql);
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
            for (const each of [...onIt, object]) {
              const drop = `DROP ${each.type.toUpperCase()} ${quoteName(each.name)}`;
              database.exec(drop);
              emit(`setting aside ${each.type} "${each.name}", broken before the batch`, drop);
            }
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

/**
 * `INSERT INTO tmp SELECT ... FROM t`: one statement, or (online, when the
 * run reports progress) rowid-ordered chunks whose bounds are read first,
 * each annotated with the rows copied once it has run.
 */
async function copyRows(
  scratch: Database.Database,
  original: BatchTable,
  target: BatchTable,
  total: number | undefined,
  options: RebuildOptions,
  step: Step,
  emit: (what: string, sql: string, extra?: Pick<RunStatement, "progress">) => void,
  renames: ColumnRenamePlan,
): Promise<void> {
  const keepRowid = hasHiddenRowid(original) && hasHiddenRowid(target);
  const sourceName = (source: string) => renames.currentName.get(source.toLowerCase()) ?? source;
  const { targets, sources } = copyColumns(target, keepRowid, sourceName);
  if (targets.length === 0) return;
  const table = original.name;
  const insert = `INSERT INTO ${quoteName(temporaryName(table))} (${targets.join(", ")}) SELECT ${sources.join(", ")} FROM ${quoteName(table)}`;
  const chunkSize = options.chunkSize ?? 100_000;
  const rowidKept = keepRowid || sameRowidAlias(original, target);
  const read = options.read;
  if (options.progress !== true || read === undefined || total === undefined || !rowidKept || total <= chunkSize) {
    // Compiled on the (empty) scratch table too, so a copy SQLite cannot prepare fails now.
    try {
      scratch.exec(insert);
    } catch (error) {
      throw new SqliteBatchError(
        `Batch rebuild of "${table}" failed while copying the rows: ${reasonOf(error)}\n  SQL: ${insert}`,
        { cause: error },
      );
    }
    emit(
      "copying the rows",
      insert,
      total !== undefined && options.progress === true ? { progress: { table, copied: total, total } } : {},
    );
    return;
  }
  // The last rowid of each full chunk, read as text: rowids are 64-bit, and
  // one above 2^53 would not survive a JS number.
  const bounds = (
    await read<{ bound: string }>(
      `SELECT CAST("r" AS TEXT) AS "bound" FROM (SELECT rowid AS "r", row_number() OVER (ORDER BY rowid) AS "n" FROM ${quoteName(table)}) WHERE "n" % ${chunkSize} = 0 ORDER BY "n"`,
    )
  ).map((row) => row.bound);
  step("copying the rows", `${insert} WHERE 0`);
  for (let at = 0; at <= bounds.length; at++) {
    const lower = at === 0 ? undefined : bounds[at - 1];
    const upper = bounds[at];
    if (upper === undefined && at * chunkSize >= total) break;
    const where = [
      lower === undefined ? undefined : `rowid > ${lower}`,
      upper === undefined ? undefined : `rowid <= ${upper}`,
    ]
      .filter((part) => part !== undefined)
      .join(" AND ");
    const copied = Math.min((at + 1) * chunkSize, total);
    emit("copying the rows", `${insert} WHERE ${where} ORDER BY rowid`, { progress: { table, copied, total } });
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
