import type { DialectCapabilities } from "../driver/driver.js";
import type { AlterColumnOperation, CreateIndexOperation } from "../operations/operation.js";
import type { PortableSqlFunction } from "../schema/sql-expression.js";
import type { ForeignKeyDefinition, IndexDefinition, ReferentialAction } from "../schema/table-elements.js";

/** The operations that take dialect options. */
export type OptionsOperation = CreateIndexOperation | AlterColumnOperation;

/** What a compiler needs of its dialect: names, capabilities, quoting and literals. */
export interface CompilerDialect {
  readonly name: string;
  readonly databaseName: string;
  readonly capabilities: DialectCapabilities;
  quoteIdentifier(name: string): string;
  renderLiteral(value: unknown): string;
  placeholder(index: number): string;
  /** A portable function (`currentTimestamp()`) natively; without it, the SQL standard's spelling. */
  renderSqlFunction?(name: PortableSqlFunction): string;
  /** The longest name the database keeps (`Dialect.maxIdentifierLength`): generated names are shortened to it. */
  readonly maxIdentifierLength?: number;
}

/** How a column's definition is written inside CREATE TABLE or ADD COLUMN. */
export interface ColumnRenderOptions {
  readonly notNull: boolean;
  /** The table's schema (an enum type lives beside its table). */
  readonly schema?: string | undefined;
  /** Column constraints written after the definition (`PRIMARY KEY`, `REFERENCES ...`). */
  readonly constraints?: readonly string[];
  /** The operation and table, for messages. */
  readonly operation: string;
  readonly table: string;
}

/** Referential actions and deferrability of a foreign key. */
export interface ReferenceOptions {
  readonly onDelete?: ReferentialAction | undefined;
  readonly onUpdate?: ReferentialAction | undefined;
  readonly match?: ForeignKeyDefinition["match"] | undefined;
  readonly deferrable?: boolean | undefined;
  readonly initially?: ForeignKeyDefinition["initially"] | undefined;
}

/** An index to create, with the dialect's own options block (already checked). */
export type IndexSpec = Omit<IndexDefinition, "kind"> & { readonly options?: Readonly<Record<string, unknown>> };

/** The primary key of a table being created, from column flags and/or a `primaryKey(...)` element. */
export interface PrimaryKeySpec {
  readonly columns: readonly string[];
  readonly name: string | undefined;
}

/** The exhaustiveness check of a `switch`: reaching it is a bug. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
