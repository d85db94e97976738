import type {
  ColumnDefinition,
  CompiledStatement,
  ConstraintDefinition,
  Dialect,
  ForeignKeyDefinition,
  IndexDefinition,
  ReferentialAction,
  SqlExpression,
  TableDefinition,
} from "@retort/core";
import { parseReference } from "@retort/core";
import { SqliteUnsupportedOperationError } from "./sqlite-errors.js";
import { assertNever, isIntegerType, renderServerDefault, renderSqliteType } from "./sqlite-types.js";

/** The part of a dialect the compilers need: quoting and literals. */
export type SqliteQuoter = Pick<Dialect, "quoteIdentifier" | "renderLiteral">;

/** How a column's definition is written inside CREATE TABLE or ADD COLUMN. */
export interface ColumnRenderOptions {
  readonly notNull: boolean;
  /** Write `PRIMARY KEY AUTOINCREMENT` on the column (the only place SQLite accepts AUTOINCREMENT). */
  readonly autoincrementPrimaryKey?: { readonly name?: string };
  /** Column constraints appended after the definition (`CHECK`, `REFERENCES`). */
  readonly constraints?: readonly string[];
}

/** The primary key of a table being created, from column flags and/or a `primaryKey(...)` element. */
interface ResolvedPrimaryKey {
  readonly columns: readonly string[];
  readonly name: string | undefined;
  /** The column that is written `INTEGER PRIMARY KEY AUTOINCREMENT`, if any. */
  readonly autoincrementColumn: string | undefined;
}

/**
 * Writes CREATE TABLE, column definitions, constraints and CREATE INDEX in
 * SQLite's syntax (https://sqlite.org/lang_createtable.html). Shared by the
 * DDL compiler's `createTable`, `addColumn` and `createIndex`.
 */
export class SqliteTableCompiler {
  readonly #quoter: SqliteQuoter;

  constructor(quoter: SqliteQuoter) {
    this.#quoter = quoter;
  }

  /**
   * CREATE TABLE with columns, the primary key, column-level UNIQUE and
   * REFERENCES (as table constraints, as SQLAlchemy writes them), enum
   * CHECKs and the declared constraints; then one CREATE INDEX per
   * `index: true` column and per declared index. Comments are dropped:
   * SQLite has no COMMENT (Alembic drops them on SQLite too).
   */
  createTable(table: TableDefinition, ifNotExists: boolean): CompiledStatement[] {
    if (table.columns.length === 0) {
      throw new TypeError(
        `createTable("${table.name}") needs at least one column: SQLite has no table without columns`,
      );
    }
    const primaryKey = resolvePrimaryKey(table);
    const lines: string[] = [];
    for (const column of table.columns) {
      const isAutoincrement = column.name === primaryKey.autoincrementColumn;
      lines.push(
        this.column(column, {
          notNull: column.options.nullable === false || primaryKey.columns.includes(column.name),
          ...(isAutoincrement ? { autoincrementPrimaryKey: optionalName(primaryKey.name) } : {}),
        }),
      );
    }
    if (primaryKey.columns.length > 0 && primaryKey.autoincrementColumn === undefined) {
      lines.push(`${this.#constraintName(primaryKey.name)}PRIMARY KEY (${this.#columnList(primaryKey.columns)})`);
    }
    for (const column of table.columns) {
      if (column.type.kind === "enum") lines.push(this.enumCheck(column));
      if (column.options.unique === true && column.options.index !== true) {
        lines.push(`UNIQUE (${this.#quoter.quoteIdentifier(column.name)})`);
      }
      if (column.options.references !== undefined) {
        const reference = parseReference(column.options.references);
        lines.push(
          `FOREIGN KEY (${this.#quoter.quoteIdentifier(column.name)}) ${this.references(reference.table, [reference.column], reference)}`,
        );
      }
    }
    for (const constraint of table.constraints) {
      if (constraint.kind !== "primaryKey") lines.push(this.constraint(constraint));
    }
    const create = `CREATE TABLE ${ifNotExists ? "IF NOT EXISTS " : ""}${this.#quoter.quoteIdentifier(table.name)} (\n  ${lines.join(",\n  ")}\n)`;
    return [
      { sql: create, parameters: [] },
      ...this.columnIndexes(table.name, table.columns, ifNotExists),
      ...table.indexes.map((index) => this.createIndex(table.name, index, ifNotExists)),
    ];
  }

  /** `"name" TYPE [GENERATED ALWAYS AS (...)] [DEFAULT ...] [NOT NULL] [PRIMARY KEY AUTOINCREMENT] [constraints]`. */
  column(column: ColumnDefinition, options: ColumnRenderOptions): string {
    const { computed, serverDefault } = column.options;
    const autoincrement = options.autoincrementPrimaryKey;
    // Only a column declared exactly INTEGER is an alias of the rowid, which
    // AUTOINCREMENT requires (https://sqlite.org/lang_createtable.html#rowid).
    const type = autoincrement === undefined ? renderSqliteType(column.type) : "INTEGER";
    let text = `${this.#quoter.quoteIdentifier(column.name)} ${type}`;
    // Generated columns are VIRTUAL by default, the kind ADD COLUMN accepts
    // (https://sqlite.org/gencol.html).
    if (computed !== undefined) text += ` GENERATED ALWAYS AS (${computed.text})`;
    if (serverDefault !== undefined) {
      text += ` DEFAULT ${renderServerDefault(serverDefault, (value) => this.#quoter.renderLiteral(value))}`;
    }
    if (autoincrement !== undefined) {
      text += ` ${this.#constraintName(autoincrement.name)}PRIMARY KEY AUTOINCREMENT`;
    } else if (options.notNull) {
      text += " NOT NULL";
    }
    for (const constraint of options.constraints ?? []) text += ` ${constraint}`;
    return text;
  }

  /** SQLite has no enum type: `CONSTRAINT "<enum name>" CHECK ("col" IN ('a', 'b'))`, named as SQLAlchemy names it. */
  enumCheck(column: ColumnDefinition): string {
    if (column.type.kind !== "enum") throw new TypeError(`column "${column.name}" is not an enum`);
    const values = column.type.values.map((value) => this.#quoter.renderLiteral(value)).join(", ");
    return `${this.#constraintName(column.type.name)}CHECK (${this.#quoter.quoteIdentifier(column.name)} IN (${values}))`;
  }

  /** A table constraint: PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK, named when it has a name. */
  constraint(constraint: ConstraintDefinition): string {
    const prefix = this.#constraintName(constraint.name);
    switch (constraint.kind) {
      case "primaryKey":
        return `${prefix}PRIMARY KEY (${this.#columnList(constraint.columns)})`;
      case "unique":
        return `${prefix}UNIQUE (${this.#columnList(constraint.columns)})`;
      case "foreignKey":
        return `${prefix}FOREIGN KEY (${this.#columnList(constraint.columns)}) ${this.references(constraint.referredTable, constraint.referredColumns, constraint)}`;
      case "check":
        return `${prefix}CHECK (${expressionText(constraint.condition)})`;
      default:
        return assertNever(constraint);
    }
  }

  /**
   * `REFERENCES "t" ("c") [ON DELETE ..] [ON UPDATE ..] [MATCH ..] [[NOT] DEFERRABLE [INITIALLY ..]]`
   * (https://sqlite.org/syntax/foreign-key-clause.html). SQLite parses MATCH
   * but ignores it; it is kept so the schema reads back as declared.
   */
  references(
    table: string,
    columns: readonly string[],
    actions: {
      readonly onDelete?: ReferentialAction | undefined;
      readonly onUpdate?: ReferentialAction | undefined;
      readonly match?: ForeignKeyDefinition["match"] | undefined;
      readonly deferrable?: boolean | undefined;
      readonly initially?: ForeignKeyDefinition["initially"] | undefined;
    },
  ): string {
    let text = `REFERENCES ${this.#quoter.quoteIdentifier(table)} (${this.#columnList(columns)})`;
    if (actions.onDelete !== undefined) text += ` ON DELETE ${actions.onDelete}`;
    if (actions.onUpdate !== undefined) text += ` ON UPDATE ${actions.onUpdate}`;
    if (actions.match !== undefined) text += ` MATCH ${actions.match}`;
    if (actions.deferrable === false) {
      text += " NOT DEFERRABLE";
    } else if (actions.deferrable === true || actions.initially !== undefined) {
      // INITIALLY needs DEFERRABLE before it in SQLite's grammar (and means it in PostgreSQL).
      text += " DEFERRABLE";
    }
    if (actions.initially !== undefined) text += ` INITIALLY ${actions.initially}`;
    return text;
  }

  /** `CREATE [UNIQUE] INDEX [IF NOT EXISTS] "ix" ON "t" (cols) [WHERE ...]`; expressions are written as given. */
  createIndex(table: string, index: Omit<IndexDefinition, "kind">, ifNotExists: boolean): CompiledStatement {
    if (index.columns.length === 0)
      throw new TypeError(`index "${index.name}" on "${table}" needs at least one column`);
    const columns = index.columns
      .map((column) => (typeof column === "string" ? this.#quoter.quoteIdentifier(column) : column.text))
      .join(", ");
    let sql = `CREATE ${index.unique === true ? "UNIQUE " : ""}INDEX ${ifNotExists ? "IF NOT EXISTS " : ""}`;
    sql += `${this.#quoter.quoteIdentifier(index.name)} ON ${this.#quoter.quoteIdentifier(table)} (${columns})`;
    if (index.where !== undefined) sql += ` WHERE ${expressionText(index.where)}`;
    return { sql, parameters: [] };
  }

  /**
   * One index per `index: true` column, named `ix_<table>_<column>` as
   * Alembic's default naming convention does; `unique: true` with it makes
   * the index unique (as SQLAlchemy does) instead of adding a UNIQUE constraint.
   */
  columnIndexes(table: string, columns: readonly ColumnDefinition[], ifNotExists: boolean): CompiledStatement[] {
    return columns
      .filter((column) => column.options.index === true)
      .map((column) =>
        this.createIndex(
          table,
          { name: `ix_${table}_${column.name}`, columns: [column.name], unique: column.options.unique === true },
          ifNotExists,
        ),
      );
  }

  #constraintName(name: string | undefined): string {
    return name === undefined ? "" : `CONSTRAINT ${this.#quoter.quoteIdentifier(name)} `;
  }

  #columnList(columns: readonly string[]): string {
    return columns.map((column) => this.#quoter.quoteIdentifier(column)).join(", ");
  }
}

function resolvePrimaryKey(table: TableDefinition): ResolvedPrimaryKey {
  const flagged = table.columns.filter((column) => column.options.primaryKey === true).map((column) => column.name);
  const declared = table.constraints.filter((constraint) => constraint.kind === "primaryKey");
  if (declared.length > 1) {
    throw new TypeError(`table "${table.name}" declares ${declared.length} primary keys; a table has at most one`);
  }
  const explicit = declared[0];
  if (explicit !== undefined && flagged.length > 0 && !sameMembers(flagged, explicit.columns)) {
    throw new TypeError(
      `table "${table.name}": the columns marked primaryKey (${flagged.join(", ")}) differ from primaryKey(${explicit.columns.join(", ")}); declare the primary key once`,
    );
  }
  const columns = explicit?.columns ?? flagged;
  const autoincrement = table.columns.filter((column) => column.options.autoincrement === true);
  const first = autoincrement[0];
  if (first === undefined) return { columns, name: explicit?.name, autoincrementColumn: undefined };
  if (autoincrement.length > 1 || columns.length !== 1 || columns[0] !== first.name || !isIntegerType(first.type)) {
    throw new SqliteUnsupportedOperationError(
      "createTable",
      `table "${table.name}": SQLite allows AUTOINCREMENT only on a table whose primary key is one integer column ` +
        `(https://sqlite.org/autoinc.html); column "${first.name}" is not that. Make it the only primary key column ` +
        "with an integer type, or drop autoincrement (an INTEGER primary key gets new ids without it).",
    );
  }
  return { columns, name: explicit?.name, autoincrementColumn: first.name };
}

function sameMembers(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((name) => right.includes(name));
}

function optionalName(name: string | undefined): { name?: string } {
  return name === undefined ? {} : { name };
}

function expressionText(expression: SqlExpression | string): string {
  return typeof expression === "string" ? expression : expression.text;
}
