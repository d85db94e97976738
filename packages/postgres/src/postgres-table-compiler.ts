import type {
  ColumnDefinition,
  ColumnType,
  CompiledStatement,
  ConstraintDefinition,
  Dialect,
  ForeignKeyDefinition,
  IndexDefinition,
  ReferentialAction,
  TableDefinition,
} from "@retort/core";
import { parseReference } from "@retort/core";
import { PostgresUnsupportedOperationError } from "./postgres-errors.js";
import { conventionName, qualifiedName, referencedTableName } from "./postgres-identifiers.js";
import { accessMethod, deferrability, expressionText } from "./postgres-clauses.js";
import { assertNever, renderPostgresType, renderServerDefault, serialType } from "./postgres-types.js";

/** The part of a dialect the compilers need: quoting and literals. */
export type PostgresQuoter = Pick<Dialect, "quoteIdentifier" | "renderLiteral">;

/** How a column's definition is written inside CREATE TABLE or ADD COLUMN. */
export interface ColumnRenderOptions {
  readonly notNull: boolean;
  /** The table's schema: an enum type lives beside its table. */
  readonly schema?: string | undefined;
  /** Column constraints written after the definition (`PRIMARY KEY`, `UNIQUE`, `REFERENCES ...`). */
  readonly constraints?: readonly string[];
  /** The operation and table, for error messages. */
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

/**
 * Writes CREATE TABLE, column definitions, constraints, enum types,
 * comments and CREATE INDEX in PostgreSQL's syntax
 * (https://www.postgresql.org/docs/current/sql-createtable.html). Shared by
 * the DDL compiler's `createTable`, `addColumn` and `createIndex`.
 *
 * ```ts
 * new PostgresTableCompiler(new PostgresDialect()).column(column("id", integer(), { autoincrement: true }), {
 *   notNull: true, operation: "createTable", table: "t",
 * }); // '"id" SERIAL NOT NULL'
 * ```
 */
export class PostgresTableCompiler {
  readonly #quoter: PostgresQuoter;

  constructor(quoter: PostgresQuoter) {
    this.#quoter = quoter;
  }

  /**
   * The statements of `createTable`, in the order Alembic emits them:
   * `CREATE TYPE ... AS ENUM` for each enum the columns use, CREATE TABLE
   * (column-level `primaryKey`, `unique` and `references` become table
   * constraints, as SQLAlchemy writes them), CREATE INDEX for `index: true`
   * columns and declared indexes, then COMMENT ON TABLE / COLUMN.
   */
  createTable(table: TableDefinition, ifNotExists: boolean): CompiledStatement[] {
    if (table.columns.length === 0) {
      throw new TypeError(`createTable("${table.name}") needs at least one column`);
    }
    const schema = table.options.schema;
    const primaryKey = resolvePrimaryKey(table);
    const lines = table.columns.map((column) =>
      this.column(column, {
        notNull: column.options.nullable === false || primaryKey.columns.includes(column.name),
        schema,
        operation: "createTable",
        table: table.name,
      }),
    );
    if (primaryKey.columns.length > 0) {
      lines.push(`${this.#constraintName(primaryKey.name)}PRIMARY KEY (${this.#columnList(primaryKey.columns)})`);
    }
    for (const column of table.columns) {
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
    const name = qualifiedName(table.name, schema);
    const create = `CREATE TABLE ${ifNotExists ? "IF NOT EXISTS " : ""}${name} (\n  ${lines.join(",\n  ")}\n)`;
    const statements: CompiledStatement[] = [
      ...this.enumTypes(table.columns, schema, ifNotExists),
      statement(create),
      ...this.columnIndexes(table.name, schema, table.columns, ifNotExists),
      ...table.indexes.map((index) => this.createIndex(table.name, schema, index, ifNotExists)),
    ];
    if (table.options.comment !== undefined) {
      statements.push(statement(`COMMENT ON TABLE ${name} IS ${this.#quoter.renderLiteral(table.options.comment)}`));
    }
    for (const column of table.columns) {
      if (column.options.comment !== undefined) statements.push(this.columnComment(table.name, schema, column));
    }
    return statements;
  }

  /**
   * `"name" TYPE [DEFAULT ...] [GENERATED ALWAYS AS (...) STORED] [NOT NULL] [constraints]`.
   * An autoincrement integer column is written SERIAL/BIGSERIAL/SMALLSERIAL,
   * as SQLAlchemy writes it: the sequence and its `nextval` default come
   * with it.
   */
  column(column: ColumnDefinition, options: ColumnRenderOptions): string {
    const { computed, serverDefault, autoincrement } = column.options;
    const refuse = (reason: string): never => {
      throw new PostgresUnsupportedOperationError(
        options.operation,
        `Column "${column.name}" of table "${options.table}": ${reason}`,
      );
    };
    let type = renderPostgresType(column.type, options.schema);
    if (autoincrement === true) {
      const serial = serialType(column.type);
      if (serial === undefined) {
        refuse(
          `autoincrement needs an integer type (integer, bigInteger, smallInteger), not ${column.type.kind}. ` +
            "For a generated UUID, use serverDefault: sql`gen_random_uuid()` instead",
        );
      }
      if (serverDefault !== undefined) {
        refuse(
          "autoincrement and serverDefault cannot both be set: SERIAL's default is the next value of its sequence",
        );
      }
      if (computed !== undefined) refuse("a computed column cannot autoincrement");
      type = serial as string;
    }
    let text = `${this.#quoter.quoteIdentifier(column.name)} ${type}`;
    if (serverDefault !== undefined) {
      if (computed !== undefined) {
        refuse(
          "a generated (computed) column cannot have a server default " +
            "(https://www.postgresql.org/docs/current/ddl-generated-columns.html)",
        );
      }
      text += ` DEFAULT ${renderServerDefault(serverDefault, (value) => this.#quoter.renderLiteral(value))}`;
    }
    // PostgreSQL only has stored generated columns before version 18
    // (https://www.postgresql.org/docs/current/ddl-generated-columns.html).
    if (computed !== undefined) text += ` GENERATED ALWAYS AS (${computed.text}) STORED`;
    if (options.notNull) text += " NOT NULL";
    for (const constraint of options.constraints ?? []) text += ` ${constraint}`;
    return text;
  }

  /**
   * `CREATE TYPE "name" AS ENUM ('a', 'b')` for each distinct enum among the
   * columns, in the table's schema. With `ifNotExists` the statement is
   * wrapped in a `DO` block that ignores an existing type (CREATE TYPE has
   * no IF NOT EXISTS).
   */
  enumTypes(
    columns: readonly ColumnDefinition[],
    schema: string | undefined,
    ifNotExists: boolean,
  ): CompiledStatement[] {
    const seen = new Map<string, readonly string[]>();
    const statements: CompiledStatement[] = [];
    for (const column of columns) {
      const type: ColumnType = column.type;
      if (type.kind !== "enum") continue;
      const known = seen.get(type.name);
      if (known !== undefined) {
        if (known.join("\u0000") !== type.values.join("\u0000")) {
          throw new TypeError(`enumType("${type.name}") is declared twice with different values`);
        }
        continue;
      }
      seen.set(type.name, type.values);
      const values = type.values.map((value) => this.#quoter.renderLiteral(value)).join(", ");
      const create = `CREATE TYPE ${qualifiedName(type.name, schema)} AS ENUM (${values})`;
      statements.push(statement(ifNotExists ? ignoreDuplicate(create) : create));
    }
    return statements;
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
        if (constraint.columns.length !== constraint.referredColumns.length) {
          throw new TypeError(
            `foreignKey(${constraint.columns.join(", ")}) refers to ${constraint.referredColumns.length} column(s) of "${constraint.referredTable}"; the counts must match`,
          );
        }
        return `${prefix}FOREIGN KEY (${this.#columnList(constraint.columns)}) ${this.references(constraint.referredTable, constraint.referredColumns, constraint)}`;
      case "check":
        return `${prefix}CHECK (${expressionText(constraint.condition)})`;
      default:
        return assertNever(constraint);
    }
  }

  /**
   * `REFERENCES "t" ("c") [MATCH ..] [ON DELETE ..] [ON UPDATE ..] [[NOT] DEFERRABLE] [INITIALLY ..]`,
   * in the order PostgreSQL's grammar requires
   * (https://www.postgresql.org/docs/current/sql-createtable.html). A table
   * written `"app.users"` is schema-qualified; `{ name, schema }` names the
   * schema explicitly (`createForeignKey`'s `referentSchema`), so a table
   * name holding a dot stays one name.
   */
  references(
    table: string | { readonly name: string; readonly schema?: string | undefined },
    columns: readonly string[],
    options: ReferenceOptions,
  ): string {
    const target = typeof table === "string" ? referencedTableName(table) : qualifiedName(table.name, table.schema);
    const label = typeof table === "string" ? table : table.name;
    let text = `REFERENCES ${target} (${this.#columnList(columns)})`;
    if (options.match === "PARTIAL") {
      throw new PostgresUnsupportedOperationError(
        "createForeignKey",
        `MATCH PARTIAL (foreign key to "${label}") is not implemented by PostgreSQL ` +
          "(https://www.postgresql.org/docs/current/sql-createtable.html): use MATCH FULL or MATCH SIMPLE",
      );
    }
    if (options.match !== undefined) text += ` MATCH ${options.match}`;
    if (options.onDelete !== undefined) text += ` ON DELETE ${options.onDelete}`;
    if (options.onUpdate !== undefined) text += ` ON UPDATE ${options.onUpdate}`;
    return text + deferrability(options, `A foreign key to "${label}"`);
  }

  /**
   * `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] "ix" ON "schema"."t" [USING method] (cols) [INCLUDE (cols)] [WHERE ...]`,
   * in the order of PostgreSQL's grammar
   * (https://www.postgresql.org/docs/current/sql-createindex.html). The
   * index goes in the table's schema (its name cannot be qualified).
   * Expressions are written as given, as SQLAlchemy writes `text()`:
   * PostgreSQL wants an expression that is not a function call in
   * parentheses, e.g. ``sql`(a + b)` ``. `CONCURRENTLY` cannot run inside
   * a transaction block: run it in `autocommitBlock`.
   */
  createIndex(
    table: string,
    schema: string | undefined,
    index: Omit<IndexDefinition, "kind"> & IndexMethodOptions,
    ifNotExists: boolean,
  ): CompiledStatement {
    if (index.columns.length === 0) {
      throw new TypeError(`index "${index.name}" on "${table}" needs at least one column`);
    }
    const columns = index.columns
      .map((column) => (typeof column === "string" ? this.#quoter.quoteIdentifier(column) : column.text))
      .join(", ");
    let sql = `CREATE ${index.unique === true ? "UNIQUE " : ""}INDEX ${index.concurrently === true ? "CONCURRENTLY " : ""}`;
    sql += `${ifNotExists ? "IF NOT EXISTS " : ""}${this.#quoter.quoteIdentifier(index.name)} ON ${qualifiedName(table, schema)}`;
    if (index.using !== undefined) sql += ` USING ${accessMethod(index.using, `index "${index.name}"`)}`;
    sql += ` (${columns})`;
    if (index.include !== undefined && index.include.length > 0) sql += ` INCLUDE (${this.#columnList(index.include)})`;
    if (index.where !== undefined) sql += ` WHERE ${expressionText(index.where)}`;
    return statement(sql);
  }

  /**
   * One index per `index: true` column, named `ix_<table>_<column>` as
   * Alembic's default naming convention does (shortened as SQLAlchemy
   * shortens it past 63 characters); with `unique: true` the index is
   * unique instead of a UNIQUE constraint being added, as in SQLAlchemy.
   */
  columnIndexes(
    table: string,
    schema: string | undefined,
    columns: readonly ColumnDefinition[],
    ifNotExists: boolean,
  ): CompiledStatement[] {
    return columns
      .filter((column) => column.options.index === true)
      .map((column) =>
        this.createIndex(
          table,
          schema,
          {
            name: conventionName(`ix_${table}_${column.name}`),
            columns: [column.name],
            unique: column.options.unique === true,
          },
          ifNotExists,
        ),
      );
  }

  /** `COMMENT ON COLUMN "schema"."t"."c" IS '...'` (https://www.postgresql.org/docs/current/sql-comment.html). */
  columnComment(table: string, schema: string | undefined, column: ColumnDefinition): CompiledStatement {
    const target = `${qualifiedName(table, schema)}.${this.#quoter.quoteIdentifier(column.name)}`;
    return statement(`COMMENT ON COLUMN ${target} IS ${this.#quoter.renderLiteral(column.options.comment ?? null)}`);
  }

  #constraintName(name: string | undefined): string {
    return name === undefined ? "" : `CONSTRAINT ${this.#quoter.quoteIdentifier(name)} `;
  }

  #columnList(columns: readonly string[]): string {
    if (columns.length === 0) throw new TypeError("a constraint needs at least one column");
    return columns.map((column) => this.#quoter.quoteIdentifier(column)).join(", ");
  }
}

/** PostgreSQL's index options of `createIndex` (Alembic's `postgresql_concurrently`, `postgresql_using`, `postgresql_include`). */
export interface IndexMethodOptions {
  readonly concurrently?: boolean | undefined;
  readonly using?: string | undefined;
  readonly include?: readonly string[] | undefined;
}

/** The primary key of a table being created, from column flags and/or a `primaryKey(...)` element. */
function resolvePrimaryKey(table: TableDefinition): { columns: readonly string[]; name: string | undefined } {
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
  return { columns: explicit?.columns ?? flagged, name: explicit?.name };
}

/**
 * Wraps a CREATE TYPE in a DO block that ignores `duplicate_object`
 * (SQLSTATE 42710), since CREATE TYPE has no IF NOT EXISTS
 * (https://www.postgresql.org/docs/current/sql-createtype.html). The
 * dollar-quote tag is chosen so that the body cannot end it.
 */
export function ignoreDuplicate(sql: string): string {
  let tag = "$retort$";
  for (let counter = 1; sql.includes(tag); counter++) tag = `$retort${counter}$`;
  return `DO ${tag} BEGIN ${sql}; EXCEPTION WHEN duplicate_object THEN NULL; END ${tag}`;
}

function sameMembers(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((name) => right.includes(name));
}

function statement(sql: string): CompiledStatement {
  return { sql, parameters: [] };
}
