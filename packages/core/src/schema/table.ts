import type { DialectKeyedOptions } from "../operations/operation-options.js";
import { checkOptions, optionNames } from "./check-options.js";
import type { ColumnDefinition, ConstraintDefinition, IndexDefinition, TableElement } from "./table-elements.js";

/**
 * `{ schema, comment }`, and a block per dialect for what only that
 * database has (`{ mysql: { engine: "InnoDB", charset: "utf8mb4" } }`):
 * each dialect reads its own block when it creates the table and ignores
 * the others'.
 */
export interface TableOptions extends DialectKeyedOptions {
  readonly schema?: string;
  readonly comment?: string;
}

const TABLE_OPTIONS = optionNames<TableOptions>({
  schema: true,
  comment: true,
  postgresql: true,
  mysql: true,
  sqlite: true,
  mssql: true,
  oracle: true,
});

/** A declared table: for `bulkInsert` typing today, and for the schema module of autogenerate. */
export interface TableDefinition {
  readonly kind: "table";
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  readonly constraints: readonly ConstraintDefinition[];
  readonly indexes: readonly IndexDefinition[];
  readonly options: TableOptions;
}

/**
 * Declares a table with the same arguments as `op.createTable`, plus
 * `index(...)` entries and a trailing `{ schema, comment }`.
 *
 * ```ts
 * export const users = table("users",
 *   column("id", integer(), { primaryKey: true }),
 *   column("email", string(255), { nullable: false }),
 *   index("ix_users_email", ["email"], { unique: true }),
 * );
 * ```
 */
export function table(name: string, ...elements: (TableElement | TableOptions)[]): TableDefinition {
  return splitTableElements(name, elements, "table");
}

/**
 * Sorts the arguments of `table(...)` / `op.createTable(...)` into columns,
 * constraints, indexes and the options object; `call` names the function
 * in the error for an unknown option.
 */
export function splitTableElements(
  name: string,
  elements: readonly (TableElement | TableOptions)[],
  call = "table",
): TableDefinition {
  const columns: ColumnDefinition[] = [];
  const constraints: ConstraintDefinition[] = [];
  const indexes: IndexDefinition[] = [];
  let options: TableOptions = {};
  for (const element of elements) {
    if (!("kind" in element)) {
      checkOptions(element, TABLE_OPTIONS, call, name);
      options = { ...options, ...element };
    } else if (element.kind === "column") {
      columns.push(element);
    } else if (element.kind === "index") {
      indexes.push(element);
    } else {
      constraints.push(element);
    }
  }
  return { kind: "table", name, columns, constraints, indexes, options };
}
