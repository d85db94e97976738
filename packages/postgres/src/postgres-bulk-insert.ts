import { type BulkInsertOperation, type CompiledStatement, compileBulkInsertStatements } from "@retort/core";
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
  return compileBulkInsertStatements(operation, {
    databaseName: "PostgreSQL",
    maxParameters,
    table: qualifiedName(tableName, operation.schema ?? definition?.options.schema),
    quoteIdentifier: (name) => quoter.quoteIdentifier(name),
    placeholder: (index) => `$${index}`,
    toColumnValue,
  });
}
