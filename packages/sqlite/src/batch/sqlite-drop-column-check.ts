import type Database from "better-sqlite3";
import type { DropColumnOperation } from "@retort/core";
import { SqliteUnsupportedOperationError } from "../sqlite-errors.js";
import { reflectTable } from "./sqlite-batch-reflect.js";
import { constraintUses, indexUses } from "./sqlite-batch-uses.js";

/**
 * SQLite's `ALTER TABLE ... DROP COLUMN` refuses a column that a key, an
 * index or a constraint uses (https://sqlite.org/lang_altertable.html#altertabdropcol).
 * Checks that before the statement is sent, so the error names the way out
 * (batch mode, which drops those with the column) instead of SQLite's
 * `error in index ... after drop column`.
 */
export function assertPlainDropColumn(database: Database.Database, operation: DropColumnOperation): void {
  const exists = database
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")
    .pluck()
    .get(operation.table);
  if (!exists) return; // the statement itself reports the missing table
  const table = reflectTable(database, operation.table);
  const column = operation.column;
  const users = [
    ...(table.primaryKey?.columns.includes(column) ? ["the primary key"] : []),
    ...table.indexes.filter((index) => indexUses(index, column)).map((index) => `index "${index.name}"`),
    ...table.constraints
      .filter((constraint) => constraintUses(constraint, column, table.name))
      .map((constraint) =>
        constraint.name ? `constraint "${constraint.name}"` : `an unnamed ${constraint.kind} constraint`,
      ),
  ];
  if (users.length === 0) return;
  throw new SqliteUnsupportedOperationError(
    "dropColumn",
    `dropColumn("${operation.table}", "${column}"): the column is used by ${users.join(", ")}, and SQLite's ALTER TABLE DROP COLUMN cannot drop it. ` +
      `Drop it in batch mode, which rebuilds the table and drops what uses the column with it: ` +
      `await op.batchAlterTable("${operation.table}", {}, async (batch) => { await batch.dropColumn("${column}"); })`,
  );
}
