import type { BatchStep, ColumnDefinition, ColumnType, ServerDefault } from "@retort/core";
import { parseReference } from "@retort/core/dialect";
import type { SqliteQuoter } from "../sqlite-types.js";
import { renderServerDefault, renderSqliteType } from "../sqlite-types.js";
import { orderColumns } from "./sqlite-batch-order.js";
import { isStrictTable, mentions, quoteName, renameClauseColumns, renameIdentifiers } from "./sqlite-batch-sql.js";
import { constraintUses, deferrableText, indexUses } from "./sqlite-batch-uses.js";
import {
  type BatchColumn,
  type BatchConstraint,
  SqliteBatchError,
  type BatchIndex,
  type BatchPrimaryKey,
  type BatchTable,
} from "./sqlite-batch-types.js";

const same = (left: string, right: string) => left.toLowerCase() === right.toLowerCase();

/** The type names a STRICT table accepts. */
const strictTypes = new Set(["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"]);

/**
 * Applies batch steps to a table model, without a database. Mirrors
 * Alembic's `ApplyBatchImpl` (alembic.md §6.1) with one deliberate
 * difference: dropping a column also drops the indexes and constraints that
 * use it (Alembic re-creates them and fails after the swap).
 *
 * ```ts
 * const model = new BatchTableModel(reflected, dialect);
 * for (const step of operation.steps) model.apply(step);
 * const table = model.result({ partialReordering });
 * ```
 */
export class BatchTableModel {
  readonly #quoter: SqliteQuoter;
  readonly #name: string;
  readonly #existingOrder: string[];
  readonly #addOrdering: [string, string][] = [];
  readonly #tableOptions: string;
  readonly #partialReordering: boolean;
  #columns: BatchColumn[];
  #primaryKey: BatchPrimaryKey | undefined;
  #constraints: BatchConstraint[];
  #indexes: BatchIndex[];

  constructor(table: BatchTable, quoter: SqliteQuoter, options: { partialReordering?: boolean } = {}) {
    this.#quoter = quoter;
    this.#name = table.name;
    this.#columns = [...table.columns];
    this.#existingOrder = table.columns.map((column) => column.key);
    this.#primaryKey = table.primaryKey;
    this.#constraints = [...table.constraints];
    this.#indexes = [...table.indexes];
    this.#tableOptions = table.tableOptions;
    this.#partialReordering = options.partialReordering === true;
  }

  /** Applies one recorded step. */
  apply(step: BatchStep): void {
    switch (step.kind) {
      case "addColumn":
        this.addColumn(step.column, step);
        return;
      case "dropColumn":
        this.dropColumn(step.column);
        return;
      case "alterColumn":
        this.#alterColumn(step);
        return;
      case "createIndex":
        this.#requireColumns(step.columns.filter((term): term is string => typeof term === "string"));
        this.addIndex({
          name: step.name,
          unique: step.unique === true,
          terms: step.columns.map((term) =>
            typeof term === "string"
              ? { column: term, expression: undefined, suffix: "" }
              : { column: undefined, expression: term.text, suffix: "" },
          ),
          where: step.where === undefined ? undefined : typeof step.where === "string" ? step.where : step.where.text,
        });
        return;
      case "dropIndex":
        if (!this.#indexes.some((index) => same(index.name, step.name))) {
          throw new SqliteBatchError(`No such index: '${step.name}' on table "${this.#name}"`);
        }
        this.#indexes = this.#indexes.filter((index) => !same(index.name, step.name));
        return;
      case "createUniqueConstraint":
        this.#requireColumns(step.columns);
        this.addConstraint({ kind: "unique", name: step.name, columns: step.columns });
        return;
      case "createCheckConstraint": {
        const condition = typeof step.condition === "string" ? step.condition : step.condition.text;
        this.addConstraint({ kind: "check", name: step.name, condition });
        return;
      }
      case "createForeignKey":
        this.#requireColumns(step.localColumns);
        this.addConstraint({
          kind: "foreignKey",
          name: step.name,
          columns: step.localColumns,
          referredTable: step.referentTable,
          referredColumns: step.remoteColumns,
          onDelete: step.onDelete,
          onUpdate: step.onUpdate,
          match: step.match,
          deferrable: deferrableText(step.deferrable, step.initially),
        });
        return;
      case "createPrimaryKey":
        this.setPrimaryKey(step.columns, step.name);
        return;
      case "dropConstraint":
        this.#dropConstraint(step.name);
        return;
      case "createTableComment":
      case "dropTableComment":
        // SQLite has no comments; Alembic's batch mode ignores them too.
        return;
      default:
        throw new SqliteBatchError(`Unexpected batch step: ${JSON.stringify(step)}`);
    }
  }

  /** Adds a column (and its column-level constraints and index) from a Retort column definition. */
  addColumn(column: ColumnDefinition, placement: { insertBefore?: string; insertAfter?: string } = {}): void {
    if (this.#find(column.name) !== undefined) {
      throw new SqliteBatchError(`Column "${column.name}" already exists in table "${this.#name}"`);
    }
    const options = column.options;
    this.#columns.push({
      name: column.name,
      source: undefined,
      key: column.name,
      type: renderSqliteType(column.type),
      sourceType: undefined,
      notNull: options.nullable === false || options.primaryKey === true,
      defaultSql: this.#renderDefault(options.serverDefault),
      collate: undefined,
      generated: options.computed === undefined ? undefined : { expression: options.computed.text, stored: false },
    });
    this.#placeColumn(column.name, placement);
    if (options.primaryKey === true) {
      const columns = [...(this.#primaryKey?.columns ?? []), column.name];
      this.#primaryKey = {
        name: this.#primaryKey?.name,
        columns,
        autoincrement: options.autoincrement === true && columns.length === 1,
      };
    }
    this.#addEnumCheck(column.name, column.type);
    if (options.unique === true && options.index !== true) {
      this.addConstraint({ kind: "unique", name: undefined, columns: [column.name] });
    }
    if (options.index === true) {
      this.addIndex({
        name: `ix_${this.#name}_${column.name}`,
        unique: options.unique === true,
        terms: [{ column: column.name, expression: undefined, suffix: "" }],
        where: undefined,
      });
    }
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      this.addConstraint({
        kind: "foreignKey",
        name: undefined,
        columns: [column.name],
        referredTable: reference.table,
        referredColumns: [reference.column],
        onDelete: reference.onDelete,
        onUpdate: reference.onUpdate,
        match: undefined,
        deferrable: undefined,
      });
    }
  }

  /**
   * Drops a column with everything that depends on it: its place in the
   * primary key, and the indexes and constraints that name it (Alembic
   * keeps those and fails after the swap, alembic.md §6.4; SPEC says not to).
   */
  dropColumn(name: string): void {
    const column = this.#require(name);
    const dependent = this.#columns.find(
      (other) => other !== column && other.generated !== undefined && mentions(other.generated.expression, name),
    );
    if (dependent !== undefined) {
      throw new SqliteBatchError(
        `Cannot drop column "${name}" of "${this.#name}": generated column "${dependent.name}" is computed from it; drop that first`,
      );
    }
    this.#columns = this.#columns.filter((other) => other !== column);
    const existing = this.#existingOrder.indexOf(column.key);
    if (existing !== -1 && column.source !== undefined) this.#existingOrder.splice(existing, 1);
    if (this.#primaryKey !== undefined) {
      const key = this.#primaryKey;
      const columns = key.columns.filter((other) => !same(other, name));
      // A narrowed key is rendered from its columns: its text names the dropped one.
      this.#primaryKey =
        columns.length === 0
          ? undefined
          : columns.length === key.columns.length
            ? key
            : { ...key, columns, sql: undefined, column: undefined };
    }
    this.#constraints = this.#constraints.filter((constraint) => !constraintUses(constraint, name, this.#name));
    this.#indexes = this.#indexes.filter((index) => !indexUses(index, name));
  }

  /** Sets the primary key (a declared `primaryKey(...)` may be unnamed). */
  setPrimaryKey(columns: readonly string[], name: string | undefined): void {
    this.#requireColumns(columns);
    this.#primaryKey = { name, columns, autoincrement: false };
  }

  addConstraint(constraint: BatchConstraint): void {
    if (constraint.name !== undefined && this.#findConstraint(constraint.name) !== undefined) {
      throw new SqliteBatchError(`Constraint "${constraint.name}" already exists on table "${this.#name}"`);
    }
    this.#constraints.push(constraint);
  }

  addIndex(index: BatchIndex): void {
    if (this.#indexes.some((other) => same(other.name, index.name))) {
      throw new SqliteBatchError(`Index "${index.name}" already exists on table "${this.#name}"`);
    }
    this.#indexes.push(index);
  }

  /** Replaces a column's definition, keeping where its data comes from (`reflectArgs`). */
  overrideColumn(column: ColumnDefinition): void {
    const current = this.#require(column.name);
    const notNull = column.options.nullable === false;
    this.#replace(current, {
      ...current,
      type: renderSqliteType(column.type),
      notNull,
      notNullSql: notNull ? current.notNullSql : undefined,
      defaultSql: this.#renderDefault(column.options.serverDefault),
    });
  }

  /** Names unnamed constraints and the primary key through `name(constraint)`, if it returns a name. */
  nameConstraints(name: (constraint: BatchConstraint | BatchPrimaryKey, kind: string) => string | undefined): void {
    this.#constraints = this.#constraints.map((constraint) =>
      constraint.name === undefined ? { ...constraint, name: name(constraint, constraint.kind) } : constraint,
    );
    if (this.#primaryKey !== undefined && this.#primaryKey.name === undefined) {
      this.#primaryKey = { ...this.#primaryKey, name: name(this.#primaryKey, "primaryKey") };
    }
  }

  /** The table to create, its columns in their final order (alembic.md §6.2). */
  result(partialReordering?: readonly (readonly string[])[]): BatchTable {
    for (const name of (partialReordering ?? []).flat()) {
      if (this.#columns.some((column) => column.name.toLowerCase() === name.toLowerCase())) continue;
      throw new SqliteBatchError(
        `partialReordering names column "${name}", which table "${this.#name}" does not have after the batch ` +
          `(its columns: ${this.#columns.map((column) => column.name).join(", ")})`,
      );
    }
    const columns = orderColumns(this.#columns, this.#existingOrder, this.#addOrdering, partialReordering);
    if (columns.length === 0) throw new SqliteBatchError(`Table "${this.#name}" would have no columns left`);
    if (isStrictTable(this.#tableOptions)) {
      // https://sqlite.org/stricttables.html: CREATE TABLE refuses any other type name.
      const refused = columns.find((column) => !strictTypes.has(column.type.trim().toUpperCase()));
      if (refused !== undefined) {
        throw new SqliteBatchError(
          `Table "${this.#name}" is STRICT: column "${refused.name}" cannot have type ${refused.type || "(none)"}; ` +
            "a STRICT table allows INT, INTEGER, REAL, TEXT, BLOB and ANY",
        );
      }
    }
    return {
      name: this.#name,
      columns,
      primaryKey: this.#primaryKey,
      constraints: this.#constraints,
      indexes: this.#indexes,
      tableOptions: this.#tableOptions,
    };
  }

  #alterColumn(step: Extract<BatchStep, { kind: "alterColumn" }>): void {
    let column = this.#require(step.column);
    if (step.type !== undefined) {
      column = { ...column, type: renderSqliteType(step.type) };
      // The CHECK of the enum the column was (or of the same enum with other values) gives way to the new type's.
      const enums = [step.existingType, step.type].flatMap((type) => (type?.kind === "enum" ? [type.name] : []));
      this.#dropEnumChecks(column.name, enums);
      this.#addEnumCheck(column.name, step.type);
    }
    if (step.nullable !== undefined) {
      // The NOT NULL text (with its ON CONFLICT) stays while the column stays NOT NULL.
      column = { ...column, notNull: !step.nullable, notNullSql: step.nullable ? undefined : column.notNullSql };
    }
    if (step.serverDefault !== undefined) {
      column = { ...column, defaultSql: this.#renderDefault(step.serverDefault ?? undefined) };
    }
    const key = this.#primaryKey;
    if (
      step.autoincrement !== undefined &&
      key !== undefined &&
      key.autoincrement !== step.autoincrement &&
      key.columns.some((other) => same(other, column.name))
    ) {
      this.#primaryKey = { ...key, autoincrement: step.autoincrement, sql: undefined, column: undefined };
    }
    if (step.newColumnName !== undefined && step.newColumnName !== column.name) {
      this.#rename(column.name, step.newColumnName);
      column = { ...column, name: step.newColumnName };
    }
    this.#replace(this.#require(step.newColumnName ?? step.column), column);
    if (step.insertBefore !== undefined || step.insertAfter !== undefined) this.#placeColumn(column.key, step);
  }

  /**
   * Renames a column everywhere it is named: key, indexes, constraints,
   * generated expressions. Names compare case-insensitively, as SQLite
   * compares them, but a column is no clash with itself: `Email` to `email`
   * only changes how the name is written, which RENAME COLUMN allows.
   */
  #rename(from: string, to: string): void {
    const clash = this.#find(to);
    if (clash !== undefined && clash !== this.#find(from)) {
      throw new SqliteBatchError(`Column "${to}" already exists in "${this.#name}"`);
    }
    const renames = new Map([[from.toLowerCase(), to]]);
    const swap = (name: string) => (same(name, from) ? to : name);
    const expression = (text: string) => renameIdentifiers(text, renames);
    this.#columns = this.#columns.map((column) => ({
      ...column,
      name: swap(column.name),
      generated:
        column.generated === undefined
          ? undefined
          : { ...column.generated, expression: expression(column.generated.expression) },
    }));
    // Clause text as written is renamed in its column lists only (never a collation or another table's column).
    const clause = (text: string | undefined, selfReference = false) =>
      text === undefined ? undefined : renameClauseColumns(text, renames, { selfReference });
    const host = (name: string | undefined) => (name === undefined ? undefined : swap(name));
    if (this.#primaryKey !== undefined) {
      const key = this.#primaryKey;
      this.#primaryKey = { ...key, columns: key.columns.map(swap), sql: clause(key.sql), column: host(key.column) };
    }
    this.#constraints = this.#constraints.map((constraint) => {
      if (constraint.kind === "check") return { ...constraint, condition: expression(constraint.condition) };
      if (constraint.kind === "unique") {
        return {
          ...constraint,
          columns: constraint.columns.map(swap),
          sql: clause(constraint.sql),
          column: host(constraint.column),
        };
      }
      const selfReference = same(constraint.referredTable, this.#name);
      return {
        ...constraint,
        columns: constraint.columns.map(swap),
        referredColumns: selfReference ? constraint.referredColumns.map(swap) : constraint.referredColumns,
        sql: clause(constraint.sql, selfReference),
        column: host(constraint.column),
      };
    });
    this.#indexes = this.#indexes.map((index) => ({
      ...index,
      terms: index.terms.map((term) => ({
        ...term,
        column: term.column === undefined ? undefined : swap(term.column),
        expression: term.expression === undefined ? undefined : expression(term.expression),
      })),
      where: index.where === undefined ? undefined : expression(index.where),
    }));
  }

  #dropConstraint(name: string): void {
    if (this.#primaryKey?.name !== undefined && same(this.#primaryKey.name, name)) {
      this.#primaryKey = undefined;
      return;
    }
    const constraint = this.#findConstraint(name);
    if (constraint === undefined) {
      const unnamed = this.#constraints.filter((other) => other.name === undefined).length;
      throw new SqliteBatchError(
        `No such constraint: '${name}' on table "${this.#name}"` +
          (unnamed > 0
            ? `; the table has ${unnamed} unnamed constraint(s): pass a namingConvention to name them, e.g. { fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s" }`
            : ""),
      );
    }
    this.#constraints = this.#constraints.filter((other) => other !== constraint);
  }

  /** Drops the CHECKs named `names` that are an enum's on `column` (`"column" IN (...)`), as `#addEnumCheck` writes them. */
  #dropEnumChecks(column: string, names: readonly string[]): void {
    if (names.length === 0) return;
    this.#constraints = this.#constraints.filter((constraint) => !isEnumCheckOf(constraint, column, names));
  }

  /**
   * `enumType` has no native type on SQLite: a CHECK named after the enum, as the table compiler writes.
   * Columns of one enum each have theirs, under the same name: only this column's counts as already there.
   */
  #addEnumCheck(column: string, type: ColumnType): void {
    if (type.kind !== "enum") return;
    if (this.#constraints.some((constraint) => isEnumCheckOf(constraint, column, [type.name]))) return;
    const values = type.values.map((value) => this.#quoter.renderLiteral(value)).join(", ");
    // Not through addConstraint: the CHECKs of one enum's columns share its name, as the table compiler writes them.
    this.#constraints.push({ kind: "check", name: type.name, condition: `${quoteName(column)} IN (${values})` });
  }

  /** Records where an added or moved column goes, as Alembic's `_setup_dependencies_for_add_column`. */
  #placeColumn(key: string, placement: { insertBefore?: string; insertAfter?: string }): void {
    const order = this.#existingOrder;
    const keyOf = (name: string) => this.#require(name).key;
    let before = placement.insertBefore === undefined ? undefined : keyOf(placement.insertBefore);
    let after = placement.insertAfter === undefined ? undefined : keyOf(placement.insertAfter);
    if (!this.#partialReordering) {
      if (after !== undefined && before === undefined) {
        const at = order.indexOf(after);
        before = at === -1 ? this.#addOrdering.find(([first]) => first === after)?.[1] : order[at + 1];
      }
      if (before !== undefined && after === undefined) {
        const at = order.indexOf(before);
        after = at === -1 ? this.#addOrdering.find(([, second]) => second === before)?.[0] : order[at - 1];
      }
    }
    if (before !== undefined) this.#addOrdering.push([key, before]);
    if (after !== undefined) this.#addOrdering.push([after, key]);
    const last = order[order.length - 1];
    if (!this.#partialReordering && before === undefined && after === undefined && last !== undefined && last !== key) {
      this.#addOrdering.push([last, key]);
    }
  }

  #renderDefault(value: ServerDefault | undefined): string | undefined {
    return value === undefined
      ? undefined
      : renderServerDefault(value, (literal) => this.#quoter.renderLiteral(literal));
  }

  #find(name: string): BatchColumn | undefined {
    return this.#columns.find((column) => same(column.name, name));
  }

  #require(name: string): BatchColumn {
    const column = this.#find(name);
    if (column === undefined) throw new SqliteBatchError(`No such column: "${name}" in table "${this.#name}"`);
    return column;
  }

  #requireColumns(names: readonly string[]): void {
    for (const name of names) this.#require(name);
  }

  #replace(current: BatchColumn, next: BatchColumn): void {
    this.#columns = this.#columns.map((column) => (column === current ? next : column));
  }

  #findConstraint(name: string): BatchConstraint | undefined {
    return this.#constraints.find((constraint) => constraint.name !== undefined && same(constraint.name, name));
  }
}

/** A CHECK named like one of `names` that is an enum's on `column` (`"column" IN (...)`), as `#addEnumCheck` writes it. */
function isEnumCheckOf(constraint: BatchConstraint, column: string, names: readonly string[]): boolean {
  if (constraint.kind !== "check" || constraint.name === undefined) return false;
  const name = constraint.name;
  if (!names.some((candidate) => same(candidate, name))) return false;
  const condition = constraint.condition.trim().toLowerCase().replace(/\s+/g, " ");
  return [`${quoteName(column)} in (`, `${column} in (`].some((prefix) => condition.startsWith(prefix.toLowerCase()));
}
