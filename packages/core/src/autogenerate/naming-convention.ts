import type { NamingConvention } from "../operations/batch-operation.js";
import {
  type ColumnDefinition,
  type ConstraintDefinition,
  type IndexDefinition,
  parseReference,
} from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";
import { shortenConventionName } from "../schema/generated-names.js";

export { shortenConventionName };

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

/** What a template is filled from besides the table and columns (`conventionName`). */
export interface ConventionContext {
  /** The table's schema: `%(column_0_label)s` starts with it (dots as `_`). */
  readonly schema?: string | undefined;
  /** The constraint's own name, for `%(constraint_name)s`: only a constraint given a name has one. */
  readonly constraintName?: string | undefined;
}

/** `column_0_name`, `column_0N_label`, `referred_column_0_N_name`, ...: SQLAlchemy's column tokens. */
const COLUMN_TOKEN = /^(referred_)?column_(\d+)(_?N)?_(name|key|label)$/;

/**
 * A name from a SQLAlchemy-style template, with the tokens of SQLAlchemy's
 * `ConventionDict` (sqlalchemy/sql/naming.py): `%(table_name)s`,
 * `%(referred_table_name)s` (the referred table without its schema:
 * `"billing.invoices"` gives `invoices`), `%(constraint_name)s`, and per
 * column `%(column_0_name)s`, `%(column_0_key)s` (the name: Retort has no
 * keys) and `%(column_0_label)s` (`<table>_<column>`, `<schema>_<table>_<column>`
 * in a schema). Any index may replace `0`, where a column past the last
 * gives `""` as in SQLAlchemy; `0N` joins every column's value with no
 * separator, `0_N` with `_`. `%(referred_column_0_name)s` (`0N`, `0_N`)
 * gives the referred columns. `%%` is a `%`.
 *
 * Undefined when the template has a token it cannot fill, where SQLAlchemy
 * raises: an unknown one, `%(constraint_name)s` for a constraint without a
 * name, a referred token outside a foreign key. The name is not shortened
 * here (see `shortenConventionName`).
 */
export function conventionName(
  template: string | undefined,
  table: string,
  columns: readonly string[],
  referred?: { readonly table: string; readonly columns: readonly string[] },
  context: ConventionContext = {},
): string | undefined {
  if (template === undefined) return undefined;
  const label = (column: string) =>
    context.schema === undefined ? `${table}_${column}` : `${context.schema.replaceAll(".", "_")}_${table}_${column}`;
  const token = (name: string): string | undefined => {
    if (name === "table_name") return table;
    if (name === "constraint_name") return context.constraintName;
    if (name === "referred_table_name") return referred === undefined ? undefined : unqualified(referred.table);
    const match = COLUMN_TOKEN.exec(name);
    if (match === null) return undefined;
    const [, isReferred, position = "0", multiples, attribute] = match;
    if (isReferred !== undefined && (referred === undefined || attribute !== "name")) return undefined;
    const values =
      isReferred === undefined
        ? columns.map((column) => (attribute === "label" ? label(column) : column))
        : (referred?.columns ?? []);
    if (multiples !== undefined)
      return position === "0" ? values.join(multiples.startsWith("_") ? "_" : "") : undefined;
    const value = values[Number(position)];
    // A column past the last is "" in SQLAlchemy; a referred one is an IndexError.
    return value ?? (isReferred === undefined ? "" : undefined);
  };
  let missing = false;
  const name = template.replace(/%%|%\((\w+)\)s/g, (whole, key: string | undefined) => {
    if (whole === "%%") return "%";
    const value = token(key as string);
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? undefined : name;
}

/** A table name without the schema a reference may carry (`"billing.invoices"`: `invoices`), split as the compiler splits it. */
function unqualified(table: string): string {
  const dot = table.indexOf(".");
  return dot <= 0 || dot === table.length - 1 ? table : table.slice(dot + 1);
}

/**
 * Names a declared table's constraints and indexes by the convention
 * (SQLAlchemy's `MetaData(naming_convention=...)`): column shortcuts become
 * named table elements (`unique: true` a named `unique(...)`, `references`
 * a named `foreignKey(...)`, `index: true` an index named by `ix`,
 * `primaryKey: true` a named `primaryKey(...)`), so the migration creates
 * them with the names the comparison expects. Unnamed elements are named;
 * a named one is renamed only where its kind's template has
 * `%(constraint_name)s` (`ck_%(table_name)s_%(constraint_name)s` makes the
 * check `positive` of `t` `ck_t_positive`), as SQLAlchemy does. Names past
 * `maxLength` (the database's, `Dialect.maxIdentifierLength`) are
 * shortened as SQLAlchemy shortens them (`shortenConventionName`).
 */
export function applyNamingConvention(
  table: TableDefinition,
  convention: NamingConvention,
  maxLength?: number,
  /** The database has native enums (no CHECK to name): an enum keeps no `checkName`. */
  nativeEnum = false,
): TableDefinition {
  const name = table.name;
  const schema = table.options.schema;
  const named = (
    template: string | undefined,
    columns: readonly (string | object)[],
    referred?: { readonly table: string; readonly columns: readonly string[] },
    constraintName?: string,
  ) => {
    const columnNames = columns.filter((column): column is string => typeof column === "string");
    const made = conventionName(template, name, columnNames, referred, { schema, constraintName });
    return made === undefined ? undefined : shortenConventionName(made, maxLength);
  };
  const columns: ColumnDefinition[] = [];
  const constraints: ConstraintDefinition[] = [];
  const indexes: IndexDefinition[] = table.indexes.map((index) => {
    const renamed = renames(convention.ix) ? named(convention.ix, index.columns, undefined, index.name) : undefined;
    return renamed === undefined ? index : { ...index, name: renamed };
  });
  const primaryKeyColumns = table.columns.filter((column) => column.options.primaryKey).map((column) => column.name);
  const pkName = named(convention.pk, primaryKeyColumns);
  const hasPrimaryKeyConstraint = table.constraints.some((constraint) => constraint.kind === "primaryKey");
  for (const column of table.columns) {
    let options = { ...column.options };
    if (options.primaryKey && pkName !== undefined && !hasPrimaryKeyConstraint) {
      const { primaryKey: _pk, ...rest } = options;
      options = { ...rest, nullable: false };
    }
    if (options.index) {
      const indexName = named(convention.ix, [column.name]);
      if (indexName !== undefined) {
        const { index: _index, unique: isUnique, ...rest } = options;
        options = rest;
        indexes.push({ kind: "index", name: indexName, columns: [column.name], ...(isUnique ? { unique: true } : {}) });
      }
    } else if (options.unique) {
      const uniqueName = named(convention.uq, [column.name]);
      if (uniqueName !== undefined) {
        const { unique: _unique, ...rest } = options;
        options = rest;
        constraints.push({ kind: "unique", columns: [column.name], name: uniqueName });
      }
    }
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      const fkName = named(convention.fk, [column.name], { table: reference.table, columns: [reference.column] });
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
    columns.push({ ...column, type: nativeEnum ? column.type : enumCheckNamed(column, convention.ck, named), options });
  }
  if (pkName !== undefined && !hasPrimaryKeyConstraint && primaryKeyColumns.length > 0) {
    constraints.unshift({ kind: "primaryKey", columns: primaryKeyColumns, name: pkName });
  }
  for (const constraint of table.constraints) {
    const template = convention[CONSTRAINT_KEYS[constraint.kind]];
    if (constraint.name !== undefined && !renames(template)) {
      constraints.push(constraint);
      continue;
    }
    const made =
      constraint.kind === "foreignKey"
        ? named(
            template,
            constraint.columns,
            { table: constraint.referredTable, columns: constraint.referredColumns },
            constraint.name,
          )
        : named(template, constraint.kind === "check" ? [] : constraint.columns, undefined, constraint.name);
    constraints.push(made === undefined ? constraint : { ...constraint, name: made });
  }
  return { ...table, columns, constraints, indexes };
}

const CONSTRAINT_KEYS = { primaryKey: "pk", unique: "uq", foreignKey: "fk", check: "ck" } as const;

/**
 * An enum's type with the name a `ck` template with `%(constraint_name)s`
 * gives its CHECK where the database has no native enums, as SQLAlchemy
 * names an `Enum`'s constraint (`ck_users_mood` for the enum `mood` of
 * `users`; a template without that token leaves the enum's own name).
 * Only compared: Retort's compilers name the CHECK after the enum.
 */
function enumCheckNamed(
  column: ColumnDefinition,
  template: string | undefined,
  named: (
    template: string | undefined,
    columns: readonly string[],
    referred: undefined,
    name: string,
  ) => string | undefined,
): ColumnDefinition["type"] {
  const type = column.type;
  if (type.kind !== "enum" || !renames(template)) return type;
  const checkName = named(template, [column.name], undefined, type.name);
  return checkName === undefined || checkName === type.name ? type : { ...type, checkName };
}

/** Whether a template names elements that have a name of their own too (SQLAlchemy: `"constraint_name" in convention`). */
function renames(template: string | undefined): boolean {
  return template?.includes("constraint_name") ?? false;
}
