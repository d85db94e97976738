import type BetterSqlite3 from "better-sqlite3";
import { Database, databaseOptions } from "../better-sqlite3.js";
import type { BatchAlterTableOperation, Dialect, LiveReadContext, Operation, RunStatement } from "@retort/core";
import { applyBatchSteps, planBatch, tableFromDefinition } from "./sqlite-batch-plan.js";
import { type BatchRead, compileRebuildStatements } from "./sqlite-batch-rebuild.js";
import { reflectTable } from "./sqlite-batch-reflect.js";
import { renderCreateTable } from "./sqlite-batch-render.js";
import { SqliteBatchError } from "./sqlite-batch-types.js";
import { assertPlainDropColumn } from "./sqlite-drop-column-check.js";

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
          `Cannot rebuild table "${operation.table}": foreign keys are enforced in this transaction, so DROP TABLE ` +
            "would fire ON DELETE CASCADE in child tables. Start the transaction with SqliteConnection.begin(), " +
            "which turns them off first (PRAGMA foreign_keys is a no-op inside a transaction).",
        );
      }
      const legacy = await read<{ legacy_alter_table: number }>("PRAGMA legacy_alter_table");
      legacyAlterTable = Number(legacy[0]?.legacy_alter_table) === 1;
      const schema = await readSchema(read);
      sequenceTable = schema.some((row) => row.name === "sqlite_sequence");
      replaySchema(scratch, schema);
    }
    const source =
      copyFrom === undefined ? reflectTable(scratch, operation.table) : tableFromDefinition(copyFrom, dialect);
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
  return read<SchemaRow>("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid");
}

/**
 * Creates the schema's tables, indexes, views and triggers in the scratch
 * database, in `sqlite_master` order, retrying once what failed (an object
 * created before what it needs). What still fails (a virtual table of a
 * module this build lacks) is left out: the rebuild cannot see it.
 */
function replaySchema(scratch: BetterSqlite3.Database, rows: readonly SchemaRow[]): void {
  let pending = rows.filter((row) => !row.name.toLowerCase().startsWith("sqlite_"));
  for (let pass = 0; pass < 2 && pending.length > 0; pass++) {
    const failed: SchemaRow[] = [];
    for (const row of pending) {
      if (scratch.prepare("SELECT 1 FROM sqlite_master WHERE name = ? COLLATE NOCASE").get(row.name) !== undefined) {
        continue; // created along with another (a virtual table's shadow tables)
      }
      try {
        scratch.exec(row.sql);
      } catch {
        failed.push(row);
      }
    }
    pending = failed;
  }
}
