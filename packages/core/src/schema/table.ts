import type { DialectKeyedOptions } from "../operations/operation-options.js";
import { badArgument, checkName } from "./check-arguments.js";
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

const CONSTRAINT_KINDS: ReadonlySet<string> = new Set(["primaryKey", "unique", "foreignKey", "check"]);
const ELEMENT_WANTED =
  "each argument after the name must be column(...), a constraint, index(...) or an options object";

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
  checkName(name, "the table name", call, name);
  let options: TableOptions = {};
  for (const element of elements) {
    if (typeof element !== "object" || element === null || Array.isArray(element)) {
      badArgument(call, name, ELEMENT_WANTED, element);
    }
    if (!("kind" in element)) {
      checkOptions(element, TABLE_OPTIONS, call, name);
      options = { ...options, ...element };
    } else if (element.kind === "column") {
      columns.push(element);
    } else if (element.kind === "index") {
      indexes.push(element);
    } else if (CONSTRAINT_KINDS.has(element.kind)) {
      constraints.push(element);
    } else {
      badArgument(call, name, ELEMENT_WANTED, element);
    }
  }
  return { kind: "table", name, columns, constraints, indexes, options };
}
