import type { BulkInsertOperation, ColumnType, CompiledStatement } from "@retort/core";
import { qualifiedName } from "./postgres-identifiers.js";
import type { PostgresQuoter } from "./postgres-table-compiler.js";
import { toColumnValue } from "./postgres-values.js";

/**
 * The most parameters one statement may bind: the wire protocol counts them
 * in a 16-bit integer (Bind message, https://www.postgresql.org/docs/current/protocol-message-formats.html),
 * so the server refuses more than 65535.
 */
export const POSTGRES_MAX_PARAMETERS = 65535;

/**
 * Compiles `bulkInsert` to multi-row
 * `INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)` statements, each
 * under the parameter limit.
 *
 * Rows are grouped into runs of consecutive rows with the same keys, so a
 * column a row leaves out gets its server default (not NULL) and the rows
 * keep their order. A row with no keys is `INSERT ... DEFAULT VALUES`.
 * With a declared table, values are converted by column type (JSON
 * serialized, Dates by kind, see `toColumnValue`) and an unknown key is an
 * error.
 *
 * ```ts
 * compileBulkInsert({ kind: "bulkInsert", table: "t", rows: [{ a: 1 }, { a: 2 }] }, dialect);
 * // [{ sql: 'INSERT INTO "t" ("a") VALUES ($1), ($2)', parameters: [1, 2] }]
 * ```
 */
export function compileBulkInsert(
  operation: BulkInsertOperation,
  quoter: PostgresQuoter,
  maxParameters = POSTGRES_MAX_PARAMETERS,
): CompiledStatement[] {
  const definition = typeof operation.table === "string" ? undefined : operation.table;
  const tableName = definition === undefined ? (operation.table as string) : definition.name;
  const types = new Map<string, ColumnType>(definition?.columns.map((column) => [column.name, column.type]) ?? []);
  const table = qualifiedName(tableName, operation.schema ?? definition?.options.schema);
  const statements: CompiledStatement[] = [];

  let runKeys: readonly string[] = [];
  let runSignature: string | undefined;
  let run: Readonly<Record<string, unknown>>[] = [];
  const flush = (): void => {
    if (run.length > 0) statements.push(...insertRun(table, runKeys, run, types, quoter, maxParameters));
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
  quoter: PostgresQuoter,
  maxParameters: number,
): CompiledStatement[] {
  if (keys.length === 0) {
    return rows.map(() => ({ sql: `INSERT INTO ${table} DEFAULT VALUES`, parameters: [] }));
  }
  if (keys.length > maxParameters) {
    throw new RangeError(
      `bulkInsert into ${table}: ${keys.length} columns exceed PostgreSQL's limit of ${maxParameters} parameters per statement`,
    );
  }
  const columns = keys.map((key) => quoter.quoteIdentifier(key)).join(", ");
  const rowsPerStatement = Math.floor(maxParameters / keys.length);
  const statements: CompiledStatement[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const placeholders: string[] = [];
      for (const key of keys) {
        const type = types.get(key);
        parameters.push(type === undefined ? row[key] : toColumnValue(row[key], type));
        placeholders.push(`$${parameters.length}`);
      }
      tuples.push(`(${placeholders.join(", ")})`);
    }
    statements.push({ sql: `INSERT INTO ${table} (${columns}) VALUES ${tuples.join(", ")}`, parameters });
  }
  return statements;
}
