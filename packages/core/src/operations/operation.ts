import type { SqlExpression } from "../schema/sql-expression.js";
import type { ColumnDefinition } from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";

/**
 * Operations are data. `op.createTable(...)` builds one of these objects;
 * the runtime hands it to the driver's DDL compiler (online), to the offline
 * emitter (`--sql`), or to autogenerate's renderer. A compiler switches on
 * `kind` and ends with an exhaustiveness check.
 */
export type Operation =
  | CreateTableOperation
  | DropTableOperation
  | AddColumnOperation
  | CreateIndexOperation
  | DropIndexOperation
  | BulkInsertOperation
  | ExecuteOperation
  | CreateSchemaOperation
  | DropSchemaOperation;

export type OperationKind = Operation["kind"];

export interface CreateTableOperation {
  readonly kind: "createTable";
  readonly table: TableDefinition;
  readonly ifNotExists?: boolean;
}

export interface DropTableOperation {
  readonly kind: "dropTable";
  readonly table: string;
  readonly schema?: string;
  readonly ifExists?: boolean;
}

export interface AddColumnOperation {
  readonly kind: "addColumn";
  readonly table: string;
  readonly column: ColumnDefinition;
  readonly schema?: string;
  readonly ifNotExists?: boolean;
}

export interface CreateIndexOperation {
  readonly kind: "createIndex";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly (string | SqlExpression)[];
  readonly schema?: string;
  readonly unique?: boolean;
  readonly where?: SqlExpression | string;
  readonly ifNotExists?: boolean;
}

export interface DropIndexOperation {
  readonly kind: "dropIndex";
  readonly name: string;
  readonly table?: string;
  readonly schema?: string;
  readonly ifExists?: boolean;
}

export interface BulkInsertOperation {
  readonly kind: "bulkInsert";
  /** A table name, or a declared table whose column types convert the values. */
  readonly table: string | TableDefinition;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  readonly schema?: string;
}

export interface ExecuteOperation {
  readonly kind: "execute";
  readonly sql: string;
  readonly parameters?: readonly unknown[];
}

/** `CREATE SCHEMA`, where the database has schemas (PostgreSQL). */
export interface CreateSchemaOperation {
  readonly kind: "createSchema";
  readonly name: string;
  readonly ifNotExists?: boolean;
}

export interface DropSchemaOperation {
  readonly kind: "dropSchema";
  readonly name: string;
  readonly ifExists?: boolean;
  /** `CASCADE`: drop the objects it contains too. */
  readonly cascade?: boolean;
}

/** One SQL statement with its bound parameters, as a driver will send it. */
export interface CompiledStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}
