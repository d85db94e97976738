import type { BatchRead, RebuildOptions } from "./sqlite-batch-rebuild.js";
import {
  type CastChange,
  castColumns,
  castCountSql,
  castExampleSql,
  castRefusal,
  castWarning,
  sqlLiteral,
} from "./sqlite-batch-cast.js";
import { type BatchTable, SqliteBatchError } from "./sqlite-batch-types.js";

/**
 * The checks of a rebuild. Before anything changes: the CAST check
 * (`checkCasts`, online). As statements of the rebuild: each check inserts
 * its condition into a column of a TEMP table whose named CHECK constraint
 * fails the statement (and so the run) when the condition is false.
 */

/** The TEMP table the checks insert into; its constraint names say what failed. */
export const CHECKS = 'temp."retort_batch_check"';

/** `CREATE TEMP TABLE` of the checks table, one column per check. */
export const CHECKS_TABLE_SQL =
  `CREATE TEMP TABLE ${CHECKS} (` +
  '"rows_kept" INTEGER CONSTRAINT "row count kept" CHECK ("rows_kept" IS NOT 0), ' +
  '"foreign_keys_hold" INTEGER CONSTRAINT "foreign keys hold" CHECK ("foreign_keys_hold" IS NOT 0), ' +
  '"casts_keep_values" INTEGER CONSTRAINT "casts keep values (strictCast)" CHECK ("casts_keep_values" IS NOT 0), ' +
  '"no_triggers" INTEGER CONSTRAINT "no triggers on the table (a --sql script cannot re-create them)" CHECK ("no_triggers" IS NOT 0), ' +
  '"no_dependents" INTEGER CONSTRAINT "no views or triggers use the table (a --sql script cannot check them)" CHECK ("no_dependents" IS NOT 0), ' +
  '"copy_from_covers" INTEGER CONSTRAINT "copyFrom has every column and index of the table" CHECK ("copy_from_covers" IS NOT 0), ' +
  '"not_virtual" INTEGER CONSTRAINT "the table is not a virtual table or a shadow table (drop and re-create a virtual table instead)" CHECK ("not_virtual" IS NOT 0), ' +
  '"no_external_content" INTEGER CONSTRAINT "no FTS table reads the table (drop it before the block, re-create and rebuild it after)" CHECK ("no_external_content" IS NOT 0))';

/** The TEMP table holding the old table's row count. */
export const ROWS = 'temp."retort_batch_rows"';

/** A check: the checks table's column, the SQL condition, and the message when it fails. */
export interface RebuildCheck {
  readonly column: string;
  readonly condition: string;
  readonly message: string;
}

/** Offline: the table has no triggers (a --sql script cannot re-create them). */
export function noTriggersCheck(table: string): RebuildCheck {
  return {
    column: "no_triggers",
    condition: `NOT EXISTS (SELECT 1 FROM sqlite_master WHERE "type" = 'trigger' AND "tbl_name" = ${sqlLiteral(table)} COLLATE NOCASE)`,
    message:
      "the table has triggers, which a --sql script cannot re-create (run the batch online, or drop them before the block and create them after it)",
  };
}

/**
 * Offline, when the batch drops or renames a column: no view, and no
 * trigger of another table, mentions the table (by its name anywhere in
 * its SQL, a cautious test). Online such dependents are compiled after the
 * swap and named when they break; a script cannot, and the view or trigger
 * would fail only when it is next used.
 */
export function noDependentsCheck(table: string): RebuildCheck {
  const name = sqlLiteral(table.toLowerCase());
  return {
    column: "no_dependents",
    condition:
      `NOT EXISTS (SELECT 1 FROM sqlite_master WHERE ("type" = 'view' OR ("type" = 'trigger' AND "tbl_name" <> ${sqlLiteral(table)} COLLATE NOCASE)) ` +
      `AND instr(lower("sql"), ${name}) > 0)`,
    message:
      "views or triggers of other tables mention the table, and the batch drops or renames a column they may use, " +
      "which a --sql script cannot check (run the batch online, or drop them before the block and create them after it)",
  };
}

/**
 * Offline, where `copyFrom` stands for the table: the table in the
 * database has no column and no index (one written as `CREATE INDEX`)
 * that `copyFrom` leaves out. The rebuild would drop them, a column with
 * its data, without a word; online the same batch is refused before it
 * runs (`assertCopyFromCovers`).
 */
export function copyFromCoversCheck(table: string, declared: BatchTable): RebuildCheck {
  const names = (list: readonly { readonly name: string }[]) =>
    list.length === 0 ? "NULL" : list.map((item) => sqlLiteral(item.name.toLowerCase())).join(", ");
  return {
    column: "copy_from_covers",
    condition:
      `NOT EXISTS (SELECT 1 FROM pragma_table_xinfo(${sqlLiteral(table)}) WHERE "hidden" <> 1 ` +
      `AND lower("name") NOT IN (${names(declared.columns)})) ` +
      `AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE "type" = 'index' AND "sql" IS NOT NULL ` +
      `AND "tbl_name" = ${sqlLiteral(table)} COLLATE NOCASE AND lower("name") NOT IN (${names(declared.indexes)}))`,
    message:
      "the table in the database has a column or index that copyFrom leaves out, which the rebuild would drop " +
      "(a column with its data): add it to copyFrom (and drop it in the batch if it should go)",
  };
}

/** Offline with `strictCast`: no CAST of the copy changes a value. */
export function strictCastCheck(table: string, casts: ReturnType<typeof castColumns>): RebuildCheck {
  const counts = casts.map((_, at) => `"c${at}"`).join(" + ");
  return {
    column: "casts_keep_values",
    condition: `(${counts}) = 0 FROM (${castCountSql(table, casts)})`,
    message: "a CAST of the copy changes values (strictCast)",
  };
}

/** The new table has as many rows as the old one had. */
export function rowsKeptCheck(quoted: string): RebuildCheck {
  return {
    column: "rows_kept",
    condition: `(SELECT count(*) FROM ${quoted}) = (SELECT "n" FROM ${ROWS})`,
    message: "the new table does not have as many rows as the old one had",
  };
}

/**
 * PRAGMA foreign_key_check for the rebuilt table and for the tables whose
 * foreign keys point at it (lang_altertable.html §7 step 10).
 */
export function foreignKeysHoldCheck(table: string): RebuildCheck {
  const name = sqlLiteral(table);
  return {
    column: "foreign_keys_hold",
    condition:
      `NOT EXISTS (SELECT 1 FROM sqlite_master AS "m" JOIN pragma_foreign_key_check("m"."name") AS "v" ` +
      `WHERE "m"."type" = 'table' AND ("m"."name" = ${name} COLLATE NOCASE OR EXISTS ` +
      `(SELECT 1 FROM pragma_foreign_key_list("m"."name") AS "f" WHERE "f"."table" = ${name} COLLATE NOCASE)))`,
    message: `foreign key violations after the rebuild, in ${name} or a table whose foreign keys point at it (PRAGMA foreign_key_check lists them)`,
  };
}

/**
 * Counts, in one scan of the old table, the values each CAST of the copy
 * changes (`'abc'` becoming 0), before anything is changed. With
 * `strictCast` any such value fails the batch; otherwise one warning names
 * the columns, counts and an example.
 */
export async function checkCasts(
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
