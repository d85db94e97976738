import type { BulkInsertOperation, ColumnType, CompiledStatement } from "@retort/core";
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
  const definition = typeof operation.table === "string" ? undefined : operation.table;
  const tableName = typeof operation.table === "string" ? operation.table : operation.table.name;
  const types = new Map<string, ColumnType>(definition?.columns.map((column) => [column.name, column.type]) ?? []);
  const table = quoter.quoteIdentifier(tableName);
  const statements: CompiledStatement[] = [];

  let runKeys: readonly string[] = [];
  let runSignature: string | undefined;
  let run: Readonly<Record<string, unknown>>[] = [];
  const flush = (): void => {
    if (run.length > 0) statements.push(...insertRun(table, runKeys, run, types, quoter, maxVariables));
    run = [];
  };

  operation.rows.forEach((row, position) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new TypeError(
        `bulkInsert("${tableName}"): row ${position} is not an object; rows are { column: value } objects`,
      );
    }
    const keys = Object.keys(row);
    if (definition !== undefined) {
      const unknown = keys.find((key) => !types.has(key));
      if (unknown !== undefined) {
        throw new TypeError(
          `bulkInsert("${tableName}"): row ${position} has a value for "${unknown}", which is not a column of the declared table`,
        );
      }
    }
    const signature = [...keys].sort().join("\u0000");
    if (signature !== runSignature) {
      flush();
      runSignature = signature;
      runKeys = keys;
    }
    run.push(row);
  });
  flush();
  return statements;
}

function insertRun(
  table: string,
  keys: readonly string[],
  rows: readonly Readonly<Record<string, unknown>>[],
  types: ReadonlyMap<string, ColumnType>,
  quoter: SqliteQuoter,
  maxVariables: number,
): CompiledStatement[] {
  if (keys.length === 0) {
    return rows.map(() => ({ sql: `INSERT INTO ${table} DEFAULT VALUES`, parameters: [] }));
  }
  if (keys.length > maxVariables) {
    throw new RangeError(
      `bulkInsert into ${table}: ${keys.length} columns exceed SQLite's limit of ${maxVariables} parameters`,
    );
  }
  const columns = keys.map((key) => quoter.quoteIdentifier(key)).join(", ");
  const tuple = `(${keys.map(() => "?").join(", ")})`;
  const rowsPerStatement = Math.floor(maxVariables / keys.length);
  const statements: CompiledStatement[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const parameters: unknown[] = [];
    for (const row of chunk) {
      for (const key of keys) {
        const type = types.get(key);
        parameters.push(type === undefined ? row[key] : toColumnValue(row[key], type));
      }
    }
    const values = Array.from({ length: chunk.length }, () => tuple).join(", ");
    statements.push({ sql: `INSERT INTO ${table} (${columns}) VALUES ${values}`, parameters });
  }
  return statements;
}
