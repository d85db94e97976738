import type { NamingConvention } from "../operations/batch-operation.js";
import {
  type ColumnDefinition,
  type ConstraintDefinition,
  type IndexDefinition,
  parseReference,
} from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";

const KEYS = new Set(["pk", "fk", "uq", "ck", "ix"]);

/**
 * The naming convention under which autogenerate drops a foreign key the
 * database keeps without a name (SQLite): the batch that rebuilds the
 * table names it `fk_<table>_<columns>_<referred table>` first, as
 * Alembic's docs do it by hand (`naming_convention` in `batch_alter_table`).
 */
export const UNNAMED_FOREIGN_KEY_CONVENTION = "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s";

/** Whether a value is a naming convention: an object whose keys are among `pk`, `fk`, `uq`, `ck`, `ix`, with string templates. */
export function isNamingConvention(value: unknown): value is NamingConvention {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([key, template]) => KEYS.has(key) && typeof template === "string");
}

/**
 * A name from a SQLAlchemy-style template: `%(table_name)s`,
 * `%(column_0_name)s`, `%(column_0_N_name)s`, `%(column_0_label)s`,
 * `%(referred_table_name)s`, `%(referred_column_0_name)s`. Undefined when
 * the template has a token it cannot fill (`%(constraint_name)s`).
 */
export function conventionName(
  template: string | undefined,
  table: string,
  columns: readonly string[],
  referred?: { readonly table: string; readonly columns: readonly string[] },
): string | undefined {
  if (template === undefined) return undefined;
  const values: Record<string, string | undefined> = {
    table_name: table,
    column_0_name: columns[0],
    column_0_N_name: columns.length === 0 ? undefined : columns.join("_"),
    column_0_label: columns[0] === undefined ? undefined : `${table}_${columns[0]}`,
    referred_table_name: referred?.table,
    referred_column_0_name: referred?.columns[0],
  };
  let missing = false;
  const name = template.replace(/%\((\w+)\)s/g, (_whole, token: string) => {
    const value = values[token];
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? undefined : name;
}

/**
 * Names a declared table's unnamed constraints and indexes by the
 * convention (SQLAlchemy's `MetaData(naming_convention=...)`): column
 * shortcuts become named table elements (`unique: true` a named
 * `unique(...)`, `references` a named `foreignKey(...)`, `index: true` an
 * index named by `ix`, `primaryKey: true` a named `primaryKey(...)`), so
 * the migration creates them with the names the comparison expects.
 */
export function applyNamingConvention(table: TableDefinition, convention: NamingConvention): TableDefinition {
  const name = table.name;
  const columns: ColumnDefinition[] = [];
  const constraints: ConstraintDefinition[] = [];
  const indexes: IndexDefinition[] = [...table.indexes];
  const primaryKeyColumns = table.columns.filter((column) => column.options.primaryKey).map((column) => column.name);
  const pkName = conventionName(convention.pk, name, primaryKeyColumns);
  const hasPrimaryKeyConstraint = table.constraints.some((constraint) => constraint.kind === "primaryKey");
  for (const column of table.columns) {
    let options = { ...column.options };
    if (options.primaryKey && pkName !== undefined && !hasPrimaryKeyConstraint) {
      const { primaryKey: _pk, ...rest } = options;
      options = { ...rest, nullable: false };
    }
    if (options.index) {
      const indexName = conventionName(convention.ix, name, [column.name]);
      if (indexName !== undefined) {
        const { index: _index, unique: isUnique, ...rest } = options;
        options = rest;
        indexes.push({ kind: "index", name: indexName, columns: [column.name], ...(isUnique ? { unique: true } : {}) });
      }
    } else if (options.unique) {
      const uniqueName = conventionName(convention.uq, name, [column.name]);
      if (uniqueName !== undefined) {
        const { unique: _unique, ...rest } = options;
        options = rest;
        constraints.push({ kind: "unique", columns: [column.name], name: uniqueName });
      }
    }
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      const fkName = conventionName(convention.fk, name, [column.name], {
        table: reference.table,
        columns: [reference.column],
      });
      if (fkName !== undefined) {
        const { references: _references, ...rest } = options;
        options = rest;
        constraints.push({
          kind: "foreignKey",
          columns: [column.name],
          referredTable: reference.table,
          referredColumns: [reference.column],
          name: fkName,
          ...(reference.onDelete ? { onDelete: reference.onDelete } : {}),
          ...(reference.onUpdate ? { onUpdate: reference.onUpdate } : {}),
        });
      }
    }
    columns.push({ ...column, options });
  }
  if (pkName !== undefined && !hasPrimaryKeyConstraint && primaryKeyColumns.length > 0) {
    constraints.unshift({ kind: "primaryKey", columns: primaryKeyColumns, name: pkName });
  }
  for (const constraint of table.constraints) {
    if (constraint.name !== undefined) {
      constraints.push(constraint);
      continue;
    }
    const named =
      constraint.kind === "unique"
        ? conventionName(convention.uq, name, constraint.columns)
        : constraint.kind === "foreignKey"
          ? conventionName(convention.fk, name, constraint.columns, {
              table: constraint.referredTable,
              columns: constraint.referredColumns,
            })
          : constraint.kind === "primaryKey"
            ? conventionName(convention.pk, name, constraint.columns)
            : conventionName(convention.ck, name, []);
    constraints.push(named === undefined ? constraint : { ...constraint, name: named });
  }
  return { ...table, columns, constraints, indexes };
}
