import { optionNames } from "../schema/check-options.js";
import type { BatchOptions, ColumnPlacement, NamingConvention } from "./batch-operation.js";
import type {
  AddColumnOperation,
  AlterColumnOperation,
  BulkInsertOperation,
  CreateCheckConstraintOperation,
  CreateExcludeConstraintOperation,
  CreateForeignKeyOperation,
  CreateIndexOperation,
  CreatePrimaryKeyOperation,
  CreateSchemaOperation,
  CreateTableCommentOperation,
  CreateUniqueConstraintOperation,
  DropColumnOperation,
  DropConstraintOperation,
  DropIndexOperation,
  DropSchemaOperation,
  DropTableCommentOperation,
  DialectOptionBlocks,
  DropTableOperation,
  ExcludeElement,
  RenameTableOperation,
} from "./operation.js";

/*
 * The options object of each `op.*` and `batch.*` method: the fields of its
 * operation that the positional arguments do not give. Each `*_OPTIONS`
 * record names every key once; TypeScript rejects it when it misses a key
 * of the type or names one the type lacks, and `checkOptions` rejects any
 * other key at run time (`UnknownOptionError`).
 */

/**
 * The option keys that hold a dialect's block (`{ postgresql: {...} }`).
 * Core does not read them: it moves them into the operation's
 * `dialectOptions` for the dialect of that name.
 */
export interface DialectKeyedOptions {
  readonly postgresql?: Readonly<Record<string, unknown>>;
  readonly mysql?: Readonly<Record<string, unknown>>;
  readonly sqlite?: Readonly<Record<string, unknown>>;
  readonly mssql?: Readonly<Record<string, unknown>>;
  readonly oracle?: Readonly<Record<string, unknown>>;
}
export const DIALECT_KEYS = {
  postgresql: true,
  mysql: true,
  sqlite: true,
  mssql: true,
  oracle: true,
} as const satisfies { readonly [K in keyof DialectKeyedOptions]-?: true };

/**
 * Moves the dialect blocks of an options object into `dialectOptions`
 * (left out when there are none); the rest is returned as given.
 */
export function withDialectOptions<T extends object>(
  options: T,
): Omit<T, keyof DialectKeyedOptions> & { dialectOptions?: DialectOptionBlocks } {
  const rest: Record<string, unknown> = {};
  const blocks: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(DIALECT_KEYS, key)) rest[key] = value;
    else if (value !== undefined) blocks[key] = value as Readonly<Record<string, unknown>>;
  }
  if (Object.keys(blocks).length > 0) rest.dialectOptions = blocks;
  return rest as Omit<T, keyof DialectKeyedOptions> & { dialectOptions?: DialectOptionBlocks };
}

export type DropTableOptions = Omit<DropTableOperation, "kind" | "table">;
export type AddColumnOptions = Omit<AddColumnOperation, "kind" | "table" | "column">;
export type CreateIndexOptions = Omit<CreateIndexOperation, "kind" | "name" | "table" | "columns" | "dialectOptions"> &
  DialectKeyedOptions;
export type DropIndexOptions = Omit<DropIndexOperation, "kind" | "name">;
export type BulkInsertOptions = Omit<BulkInsertOperation, "kind" | "table" | "rows">;
export type RenameTableOptions = Omit<RenameTableOperation, "kind" | "table" | "newName">;
export type DropColumnOptions = Omit<DropColumnOperation, "kind" | "table" | "column">;
/** What `alterColumn` changes; see `AlterColumnOperation`. */
export type AlterColumnOptions = Omit<AlterColumnOperation, "kind" | "table" | "column" | "dialectOptions"> &
  DialectKeyedOptions;
export type CreateUniqueConstraintOptions = Omit<
  CreateUniqueConstraintOperation,
  "kind" | "name" | "table" | "columns"
>;
export type ForeignKeyOptions = Omit<
  CreateForeignKeyOperation,
  "kind" | "name" | "sourceTable" | "referentTable" | "localColumns" | "remoteColumns"
>;
export type CreateCheckConstraintOptions = Omit<
  CreateCheckConstraintOperation,
  "kind" | "name" | "table" | "condition"
>;
export type CreatePrimaryKeyOptions = Omit<CreatePrimaryKeyOperation, "kind" | "name" | "table" | "columns">;
export type CreateExcludeConstraintOptions = Omit<
  CreateExcludeConstraintOperation,
  "kind" | "name" | "table" | "elements"
>;
export type DropConstraintOptions = Omit<DropConstraintOperation, "kind" | "name" | "table">;
export type CreateTableCommentOptions = Omit<CreateTableCommentOperation, "kind" | "table" | "comment">;
export type DropTableCommentOptions = Omit<DropTableCommentOperation, "kind" | "table">;
export type CreateSchemaOptions = Omit<CreateSchemaOperation, "kind" | "name">;
export type DropSchemaOptions = Omit<DropSchemaOperation, "kind" | "name">;
/** `op.batchAlterTable`'s options: the batch's and the table's schema. */
export type BatchAlterTableOptions = BatchOptions & { readonly schema?: string };

export type BatchDropColumnOptions = Omit<DropColumnOptions, "schema" | "ifExists">;
export type BatchAlterColumnOptions = Omit<AlterColumnOptions, "schema"> & ColumnPlacement;
export type BatchCreateIndexOptions = Pick<CreateIndexOptions, "unique" | "where"> & DialectKeyedOptions;
export type BatchDropConstraintOptions = Pick<DropConstraintOptions, "type">;
export type BatchTableCommentOptions = Pick<CreateTableCommentOptions, "existingComment">;

export const DROP_TABLE_OPTIONS = optionNames<DropTableOptions>({ schema: true, ifExists: true });
export const ADD_COLUMN_OPTIONS = optionNames<AddColumnOptions>({ schema: true, ifNotExists: true });
export const CREATE_INDEX_OPTIONS = optionNames<CreateIndexOptions>({
  unique: true,
  where: true,
  schema: true,
  ifNotExists: true,
  concurrently: true,
  using: true,
  include: true,
  ...DIALECT_KEYS,
});
export const DROP_INDEX_OPTIONS = optionNames<DropIndexOptions>({ table: true, schema: true, ifExists: true });
export const BULK_INSERT_OPTIONS = optionNames<BulkInsertOptions>({ schema: true });
export const RENAME_TABLE_OPTIONS = optionNames<RenameTableOptions>({ schema: true });
export const DROP_COLUMN_OPTIONS = optionNames<DropColumnOptions>({ schema: true, ifExists: true, existingType: true });

const ALTER_COLUMN_CHANGES = {
  nullable: true,
  type: true,
  serverDefault: true,
  newColumnName: true,
  comment: true,
  autoincrement: true,
  existingType: true,
  existingNullable: true,
  existingServerDefault: true,
  existingComment: true,
  existingAutoincrement: true,
  existingComputed: true,
  using: true,
  ...DIALECT_KEYS,
} as const satisfies { readonly [K in keyof Omit<AlterColumnOptions, "schema">]-?: true };
export const ALTER_COLUMN_OPTIONS = optionNames<AlterColumnOptions>({ ...ALTER_COLUMN_CHANGES, schema: true });

export const CREATE_UNIQUE_CONSTRAINT_OPTIONS = optionNames<CreateUniqueConstraintOptions>({
  schema: true,
  deferrable: true,
  initially: true,
});
export const FOREIGN_KEY_OPTIONS = optionNames<ForeignKeyOptions>({
  onDelete: true,
  onUpdate: true,
  deferrable: true,
  initially: true,
  match: true,
  sourceSchema: true,
  referentSchema: true,
});
export const CREATE_CHECK_CONSTRAINT_OPTIONS = optionNames<CreateCheckConstraintOptions>({ schema: true });
export const CREATE_PRIMARY_KEY_OPTIONS = optionNames<CreatePrimaryKeyOptions>({ schema: true });
export const CREATE_EXCLUDE_CONSTRAINT_OPTIONS = optionNames<CreateExcludeConstraintOptions>({
  using: true,
  where: true,
  schema: true,
  deferrable: true,
  initially: true,
});
export const EXCLUDE_ELEMENT_KEYS = optionNames<ExcludeElement>({ expression: true, operator: true });
export const DROP_CONSTRAINT_OPTIONS = optionNames<DropConstraintOptions>({ type: true, schema: true, ifExists: true });
export const CREATE_TABLE_COMMENT_OPTIONS = optionNames<CreateTableCommentOptions>({
  existingComment: true,
  schema: true,
});
export const DROP_TABLE_COMMENT_OPTIONS = optionNames<DropTableCommentOptions>({ existingComment: true, schema: true });
export const CREATE_SCHEMA_OPTIONS = optionNames<CreateSchemaOptions>({ ifNotExists: true });
export const DROP_SCHEMA_OPTIONS = optionNames<DropSchemaOptions>({ ifExists: true, cascade: true });

export const BATCH_ALTER_TABLE_OPTIONS = optionNames<BatchAlterTableOptions>({
  recreate: true,
  copyFrom: true,
  tableArgs: true,
  reflectArgs: true,
  partialReordering: true,
  namingConvention: true,
  strictCast: true,
  schema: true,
});
export const NAMING_CONVENTION_KEYS = optionNames<Required<NamingConvention>>({
  pk: true,
  fk: true,
  uq: true,
  ck: true,
  ix: true,
});

export const BATCH_ADD_COLUMN_OPTIONS = optionNames<ColumnPlacement>({ insertBefore: true, insertAfter: true });
export const BATCH_DROP_COLUMN_OPTIONS = optionNames<BatchDropColumnOptions>({ existingType: true });
export const BATCH_ALTER_COLUMN_OPTIONS = optionNames<BatchAlterColumnOptions>({
  ...ALTER_COLUMN_CHANGES,
  insertBefore: true,
  insertAfter: true,
});
export const BATCH_CREATE_INDEX_OPTIONS = optionNames<BatchCreateIndexOptions>({
  unique: true,
  where: true,
  ...DIALECT_KEYS,
});
export const BATCH_DROP_CONSTRAINT_OPTIONS = optionNames<BatchDropConstraintOptions>({ type: true });
export const BATCH_TABLE_COMMENT_OPTIONS = optionNames<BatchTableCommentOptions>({ existingComment: true });
