import { type BulkInsertOperation, type CompiledStatement, compileBulkInsertStatements } from "@retort/core";
import type { SqliteQuoter } from "./sqlite-table-compiler.js";
import { toColumnValue } from "./sqlite-values.js";

/**
 * The most `?` parameters one statement may bind: SQLITE_MAX_VARIABLE_NUMBER
 * defaults to 32766 since SQLite 3.32.0 (https://sqlite.org/limits.html#max_variable_number).
 * A multi-row VALUES has no row limit of its own
 * (https://sqlite.org/lang_select.html#the_values_clause).
 */
export const SQLITE_MAX_VARIABLES = 32766;

/**
 * Compiles `bulkInsert` to multi-row `INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?)`
 * statements with bound parameters, each under the variable limit.
 *
 * Rows are grouped into runs of consecutive rows with the same keys, so a
 * column a row leaves out gets its server default (not NULL) and the rows
 * keep their order. A row with no keys is `INSERT ... DEFAULT VALUES`.
 * With a declared table, values are converted by column type (booleans 1/0,
 * dates as ISO text, JSON serialized) and an unknown key is an error.
 */
export function compileBulkInsert(
  operation: BulkInsertOperation,
  quoter: SqliteQuoter,
  maxVariables = SQLITE_MAX_VARIABLES,
): CompiledStatement[] {
  const tableName = typeof operation.table === "string" ? operation.table : operation.table.name;
  return compileBulkInsertStatements(operation, {
    databaseName: "SQLite",
    maxParameters: maxVariables,
    table: quoter.quoteIdentifier(tableName),
    quoteIdentifier: (name) => quoter.quoteIdentifier(name),
    placeholder: () => "?",
    toColumnValue,
  });
}
