import type { TableDefinition } from "../schema/table.js";
import type {
  AddColumnOperation,
  AlterColumnOperation,
  CreateCheckConstraintOperation,
  CreateForeignKeyOperation,
  CreateIndexOperation,
  CreatePrimaryKeyOperation,
  CreateTableCommentOperation,
  CreateUniqueConstraintOperation,
  DropColumnOperation,
  DropConstraintOperation,
  DropIndexOperation,
  DropTableCommentOperation,
} from "./operation.js";

/** Where a column goes in a rebuilt table (batch mode, `recreate`). */
export interface ColumnPlacement {
  readonly insertBefore?: string;
  readonly insertAfter?: string;
}

/**
 * The operations a batch block records. They name the batch's table (and
 * schema), so on databases that ALTER in place each one compiles as the
 * plain operation.
 */
export type BatchStep =
  | (AddColumnOperation & ColumnPlacement)
  | DropColumnOperation
  | (AlterColumnOperation & ColumnPlacement)
  | CreateIndexOperation
  | DropIndexOperation
  | CreateUniqueConstraintOperation
  | CreateForeignKeyOperation
  | CreateCheckConstraintOperation
  | CreatePrimaryKeyOperation
  | DropConstraintOperation
  | CreateTableCommentOperation
  | DropTableCommentOperation;

/** Names unnamed constraints of a reflected table so they can be dropped: `{ fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s" }`. */
export type NamingConvention = Readonly<Partial<Record<"pk" | "fk" | "uq" | "ck" | "ix", string>>>;

/**
 * The options of `op.batchAlterTable`. Each key is also listed in
 * `BATCH_ALTER_TABLE_OPTIONS` (operation-options.ts), which rejects any
 * other key at run time; TypeScript points there when a key is added here.
 */
export interface BatchOptions {
  /**
   * `auto` (default): rebuild only where the database cannot ALTER in place
   * (SQLite, for anything but adding a column or an index); `always`;
   * `never` (plain ALTERs; fails where the database cannot).
   */
  readonly recreate?: "auto" | "always" | "never";
  /** The table as it is, instead of reading it from the database (needed offline). */
  readonly copyFrom?: TableDefinition;
  /** Constraints and indexes to add to the rebuilt table (e.g. CHECKs reflection cannot recover). */
  readonly tableArgs?: readonly TableDefinition["constraints"][number][];
  /** Columns that override the reflected ones (e.g. to restore a type). */
  readonly reflectArgs?: readonly TableDefinition["columns"][number][];
  /** Column-order constraints for `recreate: "always"`: each tuple lists columns in their wanted order. */
  readonly partialReordering?: readonly (readonly string[])[];
  readonly namingConvention?: NamingConvention;
  /**
   * SQLite rebuild: a column whose type affinity changes is copied through
   * `CAST`, which turns values it cannot convert into something else
   * (`'abc'` becomes 0). By default the rows it changes are counted and a
   * warning is printed; `strictCast: true` fails the batch instead, before
   * anything changes. Ignored where the database alters in place.
   */
  readonly strictCast?: boolean;
}

/** `op.batchAlterTable(...)`: the recorded steps, applied together. */
export interface BatchAlterTableOperation {
  readonly kind: "batchAlterTable";
  readonly table: string;
  readonly schema?: string;
  readonly options: BatchOptions;
  readonly steps: readonly BatchStep[];
}
