import type BetterSqlite3 from "better-sqlite3";
import { Database, databaseOptions } from "../better-sqlite3.js";
import type { BatchAlterTableOperation, Dialect, LiveReadContext, Operation, RunStatement } from "@retort/core";
import { checkOptions, optionNames } from "@retort/core/dialect";
import { applyBatchSteps, planBatch, tableFromDefinition } from "./sqlite-batch-plan.js";
import { type BatchRead, compileRebuildStatements } from "./sqlite-batch-rebuild.js";
import { reflectTable } from "./sqlite-batch-reflect.js";
import { renderCreateTable } from "./sqlite-batch-render.js";
import { type BatchTable, reasonOf, SqliteBatchError } from "./sqlite-batch-types.js";
import { assertNotVirtual } from "./sqlite-batch-virtual.js";
import { assertPlainDropColumn } from "./sqlite-drop-column-check.js";

/** SQLite takes no options of its own in a batch's steps: a `sqlite` block's key is a typo. */
const NO_SQLITE_OPTIONS = optionNames<Record<never, never>>({});

/**
 * Refuses a key in a step's `sqlite` block (`batch.createIndex(..., { sqlite: {...} })`),
 * as the in-place compile does; other databases' blocks are theirs.
 */
function assertNoSqliteOptions(step: BatchAlterTableOperation["steps"][number]): void {
  if (step.kind !== "createIndex" && step.kind !== "alterColumn") return;
  const block = step.dialectOptions?.sqlite;
  if (block === undefined) return;
  const subject = step.kind === "createIndex" ? step.name : step.column;
  checkOptions(block, NO_SQLITE_OPTIONS, `batch.${step.kind}`, subject, "sqlite");
}

/**
 * SQLite's batch mode as the dialect's hooks (`requiresRecreate`,
 * `compileRebuild`, `checkOperation`): core plans the batch block, asks
 * whether it needs a rebuild, and sends the statements compiled here
 * through the run's statement sink like any other. Reads (reflection, row
 * counts, CAST changes, chunk bounds) go through `context.read`; offline
 * there are none, and the table comes from `copyFrom`.
 */

/** Whether the batch needs the table rebuilt (move and copy) rather than its steps ALTERed in place. */
export function requiresRecreate(operation: BatchAlterTableOperation, dialect: Dialect): boolean {
  return planBatch(operation, dialect).mode === "recreate";
}

export interface SqliteRebuildOptions {
  /** Rows per chunk of a copy with progress (default 100,000). */
  readonly chunkSize?: number;
}

/** A row of `sqlite_master`, as the scratch database replays it. */
interface SchemaRow {
  readonly type: string;
  readonly name: string;
  readonly tbl_name: string;
  readonly sql: string;
}

/**
 * Compiles a batch block that needs a rebuild. Online it reads the schema
 * and replays it into an empty in-memory database (the scratch), reflects
 * the table there (or takes `copyFrom`), and compiles the rebuild against
 * the scratch (see `compileRebuildStatements`). Offline it needs `copyFrom`:
 * the first read throws the run's "needs a live database" error otherwise.
 */
export async function compileRebuild(
  operation: BatchAlterTableOperation,
  dialect: Dialect,
  context: LiveReadContext,
  options: SqliteRebuildOptions = {},
): Promise<RunStatement[]> {
  for (const step of operation.steps) assertNoSqliteOptions(step);
  const copyFrom = operation.options.copyFrom;
  const read: BatchRead | undefined =
    context.offline && copyFrom !== undefined ? undefined : (sql, parameters) => context.read(sql, parameters);
  const scratch = new Database(":memory:", databaseOptions());
  try {
    scratch.pragma("foreign_keys = OFF");
    let legacyAlterTable = false;
    let sequenceTable: boolean | undefined;
    if (read !== undefined) {
      const foreignKeys = await read<{ foreign_keys: number }>("PRAGMA foreign_keys");
      if (Number(foreignKeys[0]?.foreign_keys) === 1) {
        throw new SqliteBatchError(
          `Cannot rebuild table "${operation.table}" here: foreign keys are enforced on this connection (the URL's ` +
            "foreign_keys=on) and cannot be turned off inside the running transaction, so DROP TABLE would fire ON " +
            "DELETE CASCADE in child tables. Run the batch in the migration's own transaction (not in an " +
            "autocommitBlock), which Retort begins with foreign keys off.",
        );
      }
      const legacy = await read<{ legacy_alter_table: number }>("PRAGMA legacy_alter_table");
      legacyAlterTable = Number(legacy[0]?.legacy_alter_table) === 1;
      const schema = await readSchema(read);
      sequenceTable = schema.some((row) => row.name === "sqlite_sequence");
      const failed = replaySchema(scratch, schema);
      assertNotVirtual(scratch, operation.table, schema);
      assertReplayed(operation.table, failed);
    }
    const source =
      copyFrom === undefined ? reflectTable(scratch, operation.table) : tableFromDefinition(copyFrom, dialect);
    if (copyFrom !== undefined && read !== undefined)
      assertCopyFromCovers(reflectTable(scratch, operation.table), source);
    if (read === undefined) scratch.exec(renderCreateTable(source, source.name));
    const target = applyBatchSteps(source, operation, dialect);
    return await compileRebuildStatements(scratch, source, target, {
      read,
      progress: context.progress,
      chunkSize: options.chunkSize,
      onWarning: (message) => context.warn(message),
      strictCast: operation.options.strictCast === true,
      legacyAlterTable,
      sequenceTable,
    });
  } finally {
    scratch.close();
  }
}

/**
 * Refuses, before it is compiled, a plain `dropColumn` that SQLite's ALTER
 * TABLE cannot do (see `assertPlainDropColumn`). Online only.
 */
export async function checkOperation(operation: Operation, context: LiveReadContext): Promise<void> {
  if (operation.kind !== "dropColumn" || context.offline) return;
  const read: BatchRead = (sql, parameters) => context.read(sql, parameters);
  const exists = await read("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", [
    operation.table,
  ]);
  if (exists.length === 0) return; // the statement itself reports the missing table
  const scratch = new Database(":memory:", databaseOptions());
  try {
    replaySchema(scratch, await readSchema(read));
    assertPlainDropColumn(scratch, operation);
  } finally {
    scratch.close();
  }
}

async function readSchema(read: BatchRead): Promise<SchemaRow[]> {
  return read<SchemaRow>("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid");
}

/**
 * Online, `copyFrom` must describe the live table (the guide says so): a
 * column or index it leaves out would be dropped by the rebuild, with the
 * column's data, without a word. Refused, naming them.
 */
function assertCopyFromCovers(live: BatchTable, declared: BatchTable): void {
  const declaredColumns = new Set(declared.columns.map((column) => column.name.toLowerCase()));
  const declaredIndexes = new Set(declared.indexes.map((index) => index.name.toLowerCase()));
  const columns = live.columns.map((column) => column.name).filter((name) => !declaredColumns.has(name.toLowerCase()));
  const indexes = live.indexes.map((index) => index.name).filter((name) => !declaredIndexes.has(name.toLowerCase()));
  if (columns.length === 0 && indexes.length === 0) return;
  const missing = [...columns.map((name) => `column "${name}"`), ...indexes.map((name) => `index "${name}"`)].join(
    ", ",
  );
  throw new SqliteBatchError(
    `The copyFrom definition of "${live.name}" does not have its ${missing}, which the table in the database has: ` +
      "the rebuild would drop them (a column with its data). Add them to copyFrom (and drop them in the batch " +
      "if they should go), or leave copyFrom out to read the table. Nothing was changed.",
  );
}

/** SQLite's error for a double-quoted string it reads as a name: `no such column: "bogus" - should this be a string literal in single-quotes?`. */
const DOUBLE_QUOTED_STRING = /no such column: ("[^"]*") - should this be a string literal in single-quotes\?/;

/**
 * Refuses a rebuild of `table` when the scratch database could not create
 * the table or one of its indexes (an index on a function or collation
 * the application registers on its own connections): the rebuild would
 * not see it, and the index would be lost without a word.
 */
function assertReplayed(table: string, failed: readonly { row: SchemaRow; error: unknown }[]): void {
  const own = failed.filter(
    ({ row }) => row.tbl_name.toLowerCase() === table.toLowerCase() && (row.type === "table" || row.type === "index"),
  );
  if (own.length === 0) return;
  const quoted = own.map(({ error }) => DOUBLE_QUOTED_STRING.exec(reasonOf(error))?.[1]).find((name) => name);
  if (quoted !== undefined) {
    throw new SqliteBatchError(
      `Batch rebuild of "${table}" cannot re-create it: its SQL writes the string ${quoted} in double quotes, which ` +
        "this SQLite reads as a column name (double-quoted string literals are off in Retort's SQLite, as SQLite " +
        "advises: https://sqlite.org/quirks.html#dblquote). Write the string in single quotes in the table's " +
        "definition (re-create the table, or its index, with a SQLite shell that still accepts the old form), " +
        "then run the batch again. Nothing was changed.",
    );
  }
  const objects = own.map(({ row, error }) => `${row.type} "${row.name}" (${reasonOf(error)})`).join(", ");
  throw new SqliteBatchError(
    `Batch rebuild of "${table}" cannot re-create its ${objects} outside this database's connection: the rebuild ` +
      "would lose it. It needs a function, collation or module that this connection does not have (one your " +
      "application registers). Drop it before the batch (op.dropIndex) and create it again where that is " +
      "registered, or change the table without a rebuild. Nothing was changed.",
  );
}

/**
 * Creates the schema's tables, indexes, views and triggers in the scratch
 * database, in `sqlite_master` order, retrying once what failed (an object
 * created before what it needs). Returns what still fails, with its error:
 * the rebuild cannot see it (a virtual table of a module this build lacks,
 * an index on an application's function).
 */
function replaySchema(
  scratch: BetterSqlite3.Database,
  rows: readonly SchemaRow[],
): { row: SchemaRow; error: unknown }[] {
  let pending = rows
    .filter((row) => !row.name.toLowerCase().startsWith("sqlite_"))
    .map((row) => ({ row, error: undefined as unknown }));
  for (let pass = 0; pass < 2 && pending.length > 0; pass++) {
    const failed: { row: SchemaRow; error: unknown }[] = [];
    for (const { row } of pending) {
      if (scratch.prepare("SELECT 1 FROM sqlite_master WHERE name = ? COLLATE NOCASE").get(row.name) !== undefined) {
        continue; // created along with another (a virtual table's shadow tables)
      }
      try {
        scratch.exec(row.sql);
      } catch (error) {
        failed.push({ row, error });
      }
    }
    pending = failed;
  }
  return pending;
}
