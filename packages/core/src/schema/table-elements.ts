import type { DialectOptionBlocks } from "../operations/operation.js";
import { DIALECT_KEYS, type DialectKeyedOptions, withDialectOptions } from "../operations/operation-options.js";
import { checkBooleanOptions, checkColumnType, checkName, checkNameList, checkSqlText } from "./check-arguments.js";
import { checkOptions, optionNames } from "./check-options.js";
import type { ColumnType } from "./column-type.js";
import type { SqlExpression } from "./sql-expression.js";

export type ReferentialAction = "CASCADE" | "SET NULL" | "SET DEFAULT" | "RESTRICT" | "NO ACTION";

export interface ColumnReference {
  readonly table: string;
  readonly column: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
}

/** A server default: a literal (quoted by the dialect) or raw SQL. */
export type ServerDefault = string | number | boolean | SqlExpression;

export interface ColumnOptions {
  /** Default true; a primary key column is always NOT NULL. */
  readonly nullable?: boolean;
  readonly primaryKey?: boolean;
  readonly autoincrement?: boolean;
  readonly serverDefault?: ServerDefault;
  /** `"table.column"` or an object with referential actions. */
  readonly references?: string | ColumnReference;
  readonly unique?: boolean;
  readonly index?: boolean;
  readonly comment?: string;
  readonly computed?: SqlExpression;
}

export interface ColumnDefinition {
  readonly kind: "column";
  readonly name: string;
  readonly type: ColumnType;
  readonly options: ColumnOptions;
}

export interface PrimaryKeyDefinition {
  readonly kind: "primaryKey";
  readonly columns: readonly string[];
  readonly name?: string;
}

export interface UniqueDefinition {
  readonly kind: "unique";
  readonly columns: readonly string[];
  readonly name?: string;
}

export interface ForeignKeyDefinition {
  readonly kind: "foreignKey";
  readonly columns: readonly string[];
  readonly referredTable: string;
  readonly referredColumns: readonly string[];
  readonly name?: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: "DEFERRED" | "IMMEDIATE";
  readonly match?: "FULL" | "PARTIAL" | "SIMPLE";
}

export interface CheckDefinition {
  readonly kind: "check";
  readonly condition: SqlExpression | string;
  readonly name?: string;
}

export interface IndexDefinition {
  readonly kind: "index";
  readonly name: string;
  readonly columns: readonly (string | SqlExpression)[];
  readonly unique?: boolean;
  readonly where?: SqlExpression | string;
  /**
   * Options keyed by dialect, as `op.createIndex` takes them
   * (`{ mysql: { length: 10 } }`, `{ postgresql: { using: "gin" } }`): each
   * dialect reads its own block and ignores the others'.
   */
  readonly dialectOptions?: DialectOptionBlocks;
}

export type ConstraintDefinition = PrimaryKeyDefinition | UniqueDefinition | ForeignKeyDefinition | CheckDefinition;

export type TableElement = ColumnDefinition | ConstraintDefinition | IndexDefinition;

/** The options of `foreignKey(...)`: all but what the positional arguments give. */
type ForeignKeyElementOptions = Omit<ForeignKeyDefinition, "kind" | "columns" | "referredTable" | "referredColumns">;
/** The options of `index(...)`: `unique`, `where`, and a block per dialect, as `op.createIndex` takes them. */
export type IndexElementOptions = Omit<IndexDefinition, "kind" | "name" | "columns" | "dialectOptions"> &
  DialectKeyedOptions;

const COLUMN_OPTIONS = optionNames<ColumnOptions>({
  nullable: true,
  primaryKey: true,
  autoincrement: true,
  serverDefault: true,
  references: true,
  unique: true,
  index: true,
  comment: true,
  computed: true,
});
const REFERENCE_OPTIONS = optionNames<ColumnReference>({ table: true, column: true, onDelete: true, onUpdate: true });
const NAME_OPTION = optionNames<{ name?: string }>({ name: true });
const FOREIGN_KEY_OPTIONS = optionNames<ForeignKeyElementOptions>({
  name: true,
  onDelete: true,
  onUpdate: true,
  deferrable: true,
  initially: true,
  match: true,
});
const INDEX_OPTIONS = optionNames<IndexElementOptions>({ unique: true, where: true, ...DIALECT_KEYS });
/** The options of `column(...)` that are true or false. */
const COLUMN_BOOLEANS = ["nullable", "primaryKey", "unique", "index", "autoincrement"];

/**
 * A column, for `op.createTable`, `op.addColumn` and `table(...)`. An
 * unknown option (a typo such as `nullabel`) throws `UnknownOptionError`.
 *
 * ```ts
 * column("email", string(255), { nullable: false, unique: true })
 * ```
 */
export function column(name: string, type: ColumnType, options: ColumnOptions = {}): ColumnDefinition {
  checkName(name, "the column name", "column", name);
  checkColumnType(type, "the type", "column", name);
  checkOptions(options, COLUMN_OPTIONS, "column", name);
  checkBooleanOptions(options, COLUMN_BOOLEANS, "column", name);
  if (typeof options.references === "object") {
    checkOptions(options.references, REFERENCE_OPTIONS, "column", name, "references");
  }
  return { kind: "column", name, type, options };
}

export function primaryKey(columns: string | readonly string[], options: { name?: string } = {}): PrimaryKeyDefinition {
  checkNameList(columns, "columns", "primaryKey", undefined, { single: true });
  checkOptions(options, NAME_OPTION, "primaryKey", columns);
  return { kind: "primaryKey", columns: toList(columns), ...options };
}

export function unique(columns: string | readonly string[], options: { name?: string } = {}): UniqueDefinition {
  checkNameList(columns, "columns", "unique", undefined, { single: true });
  checkOptions(options, NAME_OPTION, "unique", columns);
  return { kind: "unique", columns: toList(columns), ...options };
}

export function foreignKey(
  columns: string | readonly string[],
  referredTable: string,
  referredColumns: string | readonly string[],
  options: ForeignKeyElementOptions = {},
): ForeignKeyDefinition {
  checkNameList(columns, "columns", "foreignKey", undefined, { single: true });
  checkName(referredTable, "the referred table", "foreignKey", undefined);
  checkNameList(referredColumns, "referredColumns", "foreignKey", undefined, { single: true });
  checkOptions(options, FOREIGN_KEY_OPTIONS, "foreignKey", columns);
  checkBooleanOptions(options, ["deferrable"], "foreignKey", undefined);
  return {
    kind: "foreignKey",
    columns: toList(columns),
    referredTable,
    referredColumns: toList(referredColumns),
    ...options,
  };
}

export function check(condition: SqlExpression | string, options: { name?: string } = {}): CheckDefinition {
  checkSqlText(condition, "the condition", "check", undefined);
  checkOptions(options, NAME_OPTION, "check", condition);
  return { kind: "check", condition, ...options };
}

/**
 * An index of a `table(...)` (or `op.createTable`), with the options of
 * `op.createIndex`: `unique`, `where`, and a block per dialect, compiled as
 * `op.createIndex` compiles it.
 *
 * ```ts
 * index("ix_posts_body", ["body"], { mysql: { length: 100 } })
 * ```
 */
export function index(
  name: string,
  columns: string | readonly (string | SqlExpression)[],
  options: IndexElementOptions = {},
): IndexDefinition {
  checkName(name, "the index name", "index", name);
  checkNameList(columns, "columns", "index", name, { single: true, expressions: true });
  checkOptions(options, INDEX_OPTIONS, "index", name);
  checkBooleanOptions(options, ["unique"], "index", name);
  return {
    kind: "index",
    name,
    columns: typeof columns === "string" ? [columns] : [...columns],
    ...withDialectOptions(options),
  };
}

/** Parses `"table.column"` (or `"schema.table.column"`) into table and column. */
export function parseReference(reference: string | ColumnReference): ColumnReference {
  if (typeof reference !== "string") return reference;
  const dot = reference.lastIndexOf(".");
  if (dot <= 0 || dot === reference.length - 1) {
    throw new TypeError(`references must be "table.column"; got ${JSON.stringify(reference)}`);
  }
  return { table: reference.slice(0, dot), column: reference.slice(dot + 1) };
}

function toList(value: string | readonly string[]): readonly string[] {
  return typeof value === "string" ? [value] : [...value];
}
