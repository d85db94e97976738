import type { ColumnType } from "../schema/column-type.js";
import type { SqlExpression } from "../schema/sql-expression.js";
import type { ColumnDefinition, ReferentialAction, ServerDefault } from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";
import type { BatchAlterTableOperation } from "./batch-operation.js";

/**
 * Operations are data. `op.createTable(...)` builds one of these objects;
 * the runtime hands it to the driver's DDL compiler (online), to the offline
 * emitter (`--sql`), or to autogenerate's renderer. A compiler switches on
 * `kind` and ends with an exhaustiveness check.
 */
export type Operation =
  | CreateTableOperation
  | DropTableOperation
  | RenameTableOperation
  | AddColumnOperation
  | DropColumnOperation
  | AlterColumnOperation
  | CreateIndexOperation
  | DropIndexOperation
  | CreateUniqueConstraintOperation
  | CreateForeignKeyOperation
  | CreateCheckConstraintOperation
  | CreatePrimaryKeyOperation
  | CreateExcludeConstraintOperation
  | DropConstraintOperation
  | CreateTableCommentOperation
  | DropTableCommentOperation
  | BulkInsertOperation
  | ExecuteOperation
  | CreateSchemaOperation
  | DropSchemaOperation
  | BatchAlterTableOperation;

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

export interface RenameTableOperation {
  readonly kind: "renameTable";
  readonly table: string;
  readonly newName: string;
  readonly schema?: string;
}

export interface AddColumnOperation {
  readonly kind: "addColumn";
  readonly table: string;
  readonly column: ColumnDefinition;
  readonly schema?: string;
  readonly ifNotExists?: boolean;
}

export interface DropColumnOperation {
  readonly kind: "dropColumn";
  readonly table: string;
  readonly column: string;
  readonly schema?: string;
  readonly ifExists?: boolean;
  /** The column's type, so the reverse (and batch mode) can recreate it. */
  readonly existingType?: ColumnType;
}

/**
 * A generated column as it is, for `alterColumn`'s `existingComputed`: its
 * expression (``sql`price * qty` ``), a column whose values are stored
 * (`STORED`, what `computed` writes on MySQL and PostgreSQL); or
 * `{ expression, stored: false }` for one computed when read (`VIRTUAL`).
 */
export type ExistingComputed = SqlExpression | { readonly expression: SqlExpression; readonly stored: boolean };

/**
 * `ALTER COLUMN`. Each option left `undefined` is unchanged; `serverDefault:
 * null` drops the default and `comment: null` the comment, as Alembic's
 * `server_default=None`. The `existing*` options describe the column as it
 * is: MySQL needs them to restate the column, and they make the operation
 * reversible.
 */
export interface AlterColumnOperation {
  readonly kind: "alterColumn";
  readonly table: string;
  readonly column: string;
  readonly schema?: string;
  readonly nullable?: boolean;
  readonly type?: ColumnType;
  readonly serverDefault?: ServerDefault | null;
  readonly newColumnName?: string;
  readonly comment?: string | null;
  readonly autoincrement?: boolean;
  readonly existingType?: ColumnType;
  readonly existingNullable?: boolean;
  readonly existingServerDefault?: ServerDefault | null;
  readonly existingComment?: string | null;
  readonly existingAutoincrement?: boolean;
  /**
   * The column is generated (`computed`): MySQL's MODIFY restates
   * `GENERATED ALWAYS AS (...)`, without which the column would become a
   * plain one keeping its values.
   */
  readonly existingComputed?: ExistingComputed;
  /**
   * PostgreSQL `USING` expression for a type change.
   * @deprecated Use `{ postgresql: { using } }` (kept for one release; warns).
   */
  readonly using?: string;
  /** Options keyed by dialect (`{ postgresql: { using: "x::int" } }`); see `DialectOptionBlocks`. */
  readonly dialectOptions?: DialectOptionBlocks;
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
  /** @deprecated Use `{ postgresql: { concurrently: true } }` (kept for one release; warns). */
  readonly concurrently?: boolean;
  /** @deprecated Use `{ postgresql: { using: "gin" } }` (kept for one release; warns). */
  readonly using?: string;
  /** @deprecated Use `{ postgresql: { include: [...] } }` (kept for one release; warns). */
  readonly include?: readonly string[];
  /** Options keyed by dialect (`{ postgresql: { concurrently: true, using: "gin" } }`); see `DialectOptionBlocks`. */
  readonly dialectOptions?: DialectOptionBlocks;
}

export interface DropIndexOperation {
  readonly kind: "dropIndex";
  readonly name: string;
  readonly table?: string;
  readonly schema?: string;
  readonly ifExists?: boolean;
}

export interface CreateUniqueConstraintOperation {
  readonly kind: "createUniqueConstraint";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly schema?: string;
  readonly deferrable?: boolean;
  readonly initially?: "DEFERRED" | "IMMEDIATE";
}

export interface CreateForeignKeyOperation {
  readonly kind: "createForeignKey";
  readonly name: string;
  readonly sourceTable: string;
  readonly referentTable: string;
  readonly localColumns: readonly string[];
  readonly remoteColumns: readonly string[];
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: "DEFERRED" | "IMMEDIATE";
  readonly match?: "FULL" | "PARTIAL" | "SIMPLE";
  readonly sourceSchema?: string;
  readonly referentSchema?: string;
}

export interface CreateCheckConstraintOperation {
  readonly kind: "createCheckConstraint";
  readonly name: string;
  readonly table: string;
  readonly condition: SqlExpression | string;
  readonly schema?: string;
}

export interface CreatePrimaryKeyOperation {
  readonly kind: "createPrimaryKey";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly schema?: string;
}

/**
 * One element of an EXCLUDE constraint and its operator, e.g. `&&`: a
 * string names a column (quoted), ``sql`...` `` is an expression.
 */
export interface ExcludeElement {
  readonly expression: SqlExpression | string;
  readonly operator: string;
}

/** PostgreSQL's `EXCLUDE USING gist (...)`. */
export interface CreateExcludeConstraintOperation {
  readonly kind: "createExcludeConstraint";
  readonly name: string;
  readonly table: string;
  readonly elements: readonly ExcludeElement[];
  readonly using?: string;
  readonly where?: SqlExpression | string;
  readonly schema?: string;
  readonly deferrable?: boolean;
  readonly initially?: "DEFERRED" | "IMMEDIATE";
}

export type ConstraintType = "foreignkey" | "primary" | "unique" | "check";

export interface DropConstraintOperation {
  readonly kind: "dropConstraint";
  readonly name: string;
  readonly table: string;
  /** Needed by MySQL; optional elsewhere. */
  readonly type?: ConstraintType;
  readonly schema?: string;
  readonly ifExists?: boolean;
}

export interface CreateTableCommentOperation {
  readonly kind: "createTableComment";
  readonly table: string;
  readonly comment: string;
  readonly existingComment?: string | null;
  readonly schema?: string;
}

export interface DropTableCommentOperation {
  readonly kind: "dropTableComment";
  readonly table: string;
  readonly existingComment?: string | null;
  readonly schema?: string;
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

/**
 * Dialect-specific options, a block per dialect name, as Alembic's
 * `postgresql_concurrently`: `{ postgresql: { concurrently: true } }`. Core
 * passes them through untouched; each dialect's compiler reads the block of
 * its own name (and rejects unknown keys in it) and ignores the others, so
 * one migration serves several databases.
 */
export type DialectOptionBlocks = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** One SQL statement with its bound parameters, as a driver will send it. */
export interface CompiledStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}
