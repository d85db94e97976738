import type { ColumnType } from "../schema/column-type.js";
import { isWrittenSqlExpression, type SqlExpression } from "../schema/sql-expression.js";
import type { BulkInsertOperation, CompiledStatement } from "./operation.js";

/** What a dialect supplies to compile `bulkInsert`. */
export interface BulkInsertSyntax {
  /** The database's name, for messages (`SQLite`, `PostgreSQL`). */
  readonly databaseName: string;
  /** The most parameters one statement may bind. */
  readonly maxParameters: number;
  /**
   * About how many bytes of values one statement may carry (MySQL refuses
   * a packet over its `max_allowed_packet` by closing the connection);
   * no limit when absent.
   */
  readonly maxStatementBytes?: number;
  /** The quoted, schema-qualified table name. */
  readonly table: string;
  quoteIdentifier(name: string): string;
  /** The placeholder of the 1-based parameter `index`. */
  placeholder(index: number): string;
  /** Converts a value by its declared column type (booleans, dates, JSON). */
  toColumnValue(value: unknown, type: ColumnType): unknown;
  /** A ``sql`...` `` value (`currentTimestamp()`) as SQL in the VALUES list, where it takes no parameter. */
  renderExpression(expression: SqlExpression): string;
}

/**
 * Compiles `bulkInsert` to multi-row `INSERT INTO t (a, b) VALUES (..), (..)`
 * statements with bound parameters (a ``sql`...` `` value, such as
 * `currentTimestamp()`, is written into the SQL), each under the dialect's parameter
 * limit. Rows are grouped into runs of consecutive rows with the same keys,
 * so a column a row leaves out gets its server default (not NULL) and the
 * rows keep their order; a row with no keys is `INSERT ... DEFAULT VALUES`.
 * With a declared table, values are converted by column type and an unknown
 * key is an error.
 */
export function compileBulkInsert(operation: BulkInsertOperation, syntax: BulkInsertSyntax): CompiledStatement[] {
  const definition = typeof operation.table === "string" ? undefined : operation.table;
  const tableName = typeof operation.table === "string" ? operation.table : operation.table.name;
  const types = new Map<string, ColumnType>(definition?.columns.map((column) => [column.name, column.type]) ?? []);
  const statements: CompiledStatement[] = [];
  let runKeys: readonly string[] = [];
  let runSignature: string | undefined;
  let run: Readonly<Record<string, unknown>>[] = [];
  const flush = (): void => {
    if (run.length > 0) statements.push(...insertRun(runKeys, run, types, syntax));
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
  keys: readonly string[],
  rows: readonly Readonly<Record<string, unknown>>[],
  types: ReadonlyMap<string, ColumnType>,
  syntax: BulkInsertSyntax,
): CompiledStatement[] {
  const table = syntax.table;
  if (keys.length === 0) {
    return rows.map(() => ({ sql: `INSERT INTO ${table} DEFAULT VALUES`, parameters: [] }));
  }
  if (keys.length > syntax.maxParameters) {
    throw new RangeError(
      `bulkInsert into ${table}: ${keys.length} columns exceed ${syntax.databaseName}'s limit of ${syntax.maxParameters} parameters per statement`,
    );
  }
  const columns = keys.map((key) => syntax.quoteIdentifier(key)).join(", ");
  const rowsPerStatement = Math.floor(syntax.maxParameters / keys.length);
  const maxBytes = syntax.maxStatementBytes;
  const statements: CompiledStatement[] = [];
  let parameters: unknown[] = [];
  let tuples: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (tuples.length === 0) return;
    statements.push({ sql: `INSERT INTO ${table} (${columns}) VALUES ${tuples.join(", ")}`, parameters });
    parameters = [];
    tuples = [];
    bytes = 0;
  };
  for (const row of rows) {
    const values: unknown[] = [];
    const placeholders: string[] = [];
    for (const key of keys) {
      const value = row[key];
      if (isWrittenSqlExpression(value)) {
        placeholders.push(syntax.renderExpression(value));
        continue;
      }
      const type = types.get(key);
      values.push(type === undefined ? value : syntax.toColumnValue(value, type));
      placeholders.push("");
    }
    const rowBytes = maxBytes === undefined ? 0 : values.reduce<number>((sum, value) => sum + valueBytes(value), 0);
    if (tuples.length === rowsPerStatement || (maxBytes !== undefined && bytes + rowBytes > maxBytes)) flush();
    let next = 0;
    const filled = placeholders.map((placeholder) => {
      if (placeholder !== "") return placeholder;
      parameters.push(values[next++]);
      return syntax.placeholder(parameters.length);
    });
    tuples.push(`(${filled.join(", ")})`);
    bytes += rowBytes;
  }
  flush();
  return statements;
}

/** A bound value's size on the wire, at most (a character may take 4 bytes, escaped twice that). */
function valueBytes(value: unknown): number {
  if (typeof value === "string") return value.length * 4 + 2;
  if (value instanceof Uint8Array) return value.byteLength * 2 + 3;
  if (value === null || value === undefined || typeof value !== "object") return 24;
  if (value instanceof Date) return 32;
  try {
    return (JSON.stringify(value)?.length ?? 0) * 4 + 2;
  } catch {
    return 24;
  }
}
