import { UnsupportedOperationError } from "../errors/database-error.js";
import type { CompiledStatement } from "../operations/operation.js";
import { checkOptions, type OptionNames } from "../schema/check-options.js";
import { type ColumnType, enumSchemaOf } from "../schema/column-type.js";
import { expressionSql } from "../schema/sql-expression.js";
import { parseReference } from "../schema/table-elements.js";
import { defaultIndexName, shortenConventionName } from "../schema/generated-names.js";
import type { ColumnDefinition, ConstraintDefinition, ServerDefault } from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";
import { deferrability, expressionText, statement } from "./ddl-clauses.js";
import {
  assertNever,
  type ColumnRenderOptions,
  type CompilerDialect,
  type IndexSpec,
  type OptionsOperation,
  type PrimaryKeySpec,
  type ReferenceOptions,
} from "./ddl-compiler-types.js";

/**
 * How a compiler writes the parts of a definition: names, types, defaults,
 * column definitions and their clauses, table constraints, references,
 * enum types, comments and CREATE INDEX. `DdlCompilerBase` extends it with
 * the statements of each operation; a dialect overrides these hooks on its
 * `DdlCompilerBase` subclass where its syntax differs. The errors a
 * compiler throws (`unsupported` and the messages built on it) live here
 * too, so every part can refuse with the way out.
 */
export abstract class DdlDefinitionRenderer {
  protected readonly dialect: CompilerDialect;

  constructor(dialect: CompilerDialect) {
    this.dialect = dialect;
  }

  // Hooks: errors, options.

  /** Throws the dialect's unsupported-operation error; override to throw your own class. */
  protected unsupported(operation: string, message: string): never {
    throw new UnsupportedOperationError(operation, message);
  }

  /** A schema given where the database has none is an error, not ignored. */
  protected rejectSchema(operation: string, table: string, schema: string): never {
    const database = this.dialect.databaseName;
    return this.unsupported(
      operation,
      `${database} has no schemas: ${operation} on "${table}" was given schema "${schema}". Remove the schema option.`,
    );
  }

  protected noSchemas(operation: string, name: string): never {
    const database = this.dialect.databaseName;
    return this.unsupported(
      operation,
      `${database} has no schemas: ${operation}("${name}") cannot run. ` +
        `Skip it on ${database} with a dialect check (op.getContext().dialect.capabilities.schemas).`,
    );
  }

  protected noComments(table: string): string {
    return `${this.dialect.databaseName} has no COMMENT (table "${table}")`;
  }

  /**
   * The keys this dialect takes in its block of an operation's dialect
   * options (`{ postgresql: {...} }`): none by default, so any key there is
   * an `UnknownOptionError`. A dialect with options overrides this.
   */
  protected dialectOptionNames(_kind: OptionsOperation["kind"]): OptionNames {
    return NO_OPTIONS;
  }

  /**
   * This dialect's block of an operation's dialect options
   * (`operation.dialectOptions[dialect.name]`), or `{}`. Blocks of other
   * dialects are ignored. Checked before the operation is compiled.
   */
  protected dialectOptions(operation: OptionsOperation): Readonly<Record<string, unknown>> {
    return operation.dialectOptions?.[this.dialect.name] ?? {};
  }

  // Hooks: names, types, defaults, clauses.

  /** `"schema"."name"`, or `"name"` without a schema. */
  protected tableName(name: string, schema: string | undefined): string {
    const quoted = this.dialect.quoteIdentifier(name);
    return schema === undefined ? quoted : `${this.dialect.quoteIdentifier(schema)}.${quoted}`;
  }

  /** The database's name for a column type; `schema` is the table's (for a native enum). */
  protected abstract renderType(type: ColumnType, schema: string | undefined): string;

  /** A column type as this compiler writes it, without a schema (`Dialect.typeText`). */
  typeText(type: ColumnType): string {
    return this.renderType(type, undefined);
  }

  /** A server default: ``sql`...` `` verbatim (a portable function as the dialect writes it), anything else as a literal. */
  protected renderDefault(value: ServerDefault): string {
    return typeof value === "object" ? expressionSql(value, this.dialect) : this.dialect.renderLiteral(value);
  }

  /**
   * A name Retort generated (`ix_<table>_<column>`), shortened past the
   * dialect's `maxIdentifierLength` as SQLAlchemy shortens convention names
   * (`shortenConventionName`).
   */
  protected conventionName(name: string): string {
    return shortenConventionName(name, this.dialect.maxIdentifierLength);
  }

  /** `"name" TYPE` followed by `columnClauses`. */
  protected column(column: ColumnDefinition, options: ColumnRenderOptions): string {
    let text = `${this.dialect.quoteIdentifier(column.name)} ${this.columnType(column, options)}`;
    for (const clause of this.columnClauses(column, options)) text += ` ${clause}`;
    return text;
  }

  protected columnType(column: ColumnDefinition, options: ColumnRenderOptions): string {
    return this.renderType(column.type, options.schema);
  }

  /** `[DEFAULT ...] [GENERATED ALWAYS AS (...) STORED] [NOT NULL] [constraints]`. */
  protected columnClauses(column: ColumnDefinition, options: ColumnRenderOptions): string[] {
    const { computed, serverDefault } = column.options;
    const clauses: string[] = [];
    if (serverDefault !== undefined) clauses.push(`DEFAULT ${this.renderDefault(serverDefault)}`);
    if (computed !== undefined) clauses.push(`GENERATED ALWAYS AS (${computed.text}) STORED`);
    if (options.notNull) clauses.push("NOT NULL");
    return [...clauses, ...(options.constraints ?? [])];
  }

  // createTable's parts.

  /**
   * What follows CREATE TABLE's closing parenthesis, from the table's block
   * of this dialect's options (`{ mysql: { engine: "InnoDB" } }`), with its
   * leading space; empty by default. The base refuses any key in this
   * dialect's block (`UnknownOptionError`): a dialect that takes table
   * options overrides this. Other dialects' blocks are ignored.
   */
  protected tableOptionsClause(table: TableDefinition): string {
    const block = (table.options as Readonly<Record<string, unknown>>)[this.dialect.name];
    checkOptions(block, NO_OPTIONS, "op.createTable", table.name, this.dialect.name);
    return "";
  }

  protected primaryKey(table: TableDefinition): PrimaryKeySpec {
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

  protected primaryKeyClause(primaryKey: PrimaryKeySpec): string[] {
    if (primaryKey.columns.length === 0) return [];
    return [`${this.constraintName(primaryKey.name)}PRIMARY KEY (${this.columnList(primaryKey.columns)})`];
  }

  /** The table constraints a column's options ask for: an enum CHECK (no native enums), UNIQUE, FOREIGN KEY. */
  protected columnTableConstraints(column: ColumnDefinition): string[] {
    const lines: string[] = [];
    if (column.type.kind === "enum" && !this.dialect.capabilities.nativeEnum) lines.push(this.enumCheck(column));
    if (column.options.unique === true && column.options.index !== true) {
      lines.push(`UNIQUE (${this.dialect.quoteIdentifier(column.name)})`);
    }
    if (column.options.references !== undefined) {
      const reference = parseReference(column.options.references);
      const target = this.references(reference.table, [reference.column], reference);
      lines.push(`FOREIGN KEY (${this.dialect.quoteIdentifier(column.name)}) ${target}`);
    }
    return lines;
  }

  /**
   * Without native enums: `CONSTRAINT "<enum name>" CHECK ("col" IN ('a', 'b'))`, named as SQLAlchemy
   * names it (its `checkName` when a naming convention gave it one).
   */
  protected enumCheck(column: ColumnDefinition): string {
    if (column.type.kind !== "enum") throw new TypeError(`column "${column.name}" is not an enum`);
    const values = column.type.values.map((value) => this.dialect.renderLiteral(value)).join(", ");
    return `${this.constraintName(column.type.checkName ?? column.type.name)}CHECK (${this.dialect.quoteIdentifier(column.name)} IN (${values}))`;
  }

  /** With enum types (`enumTypes`): a `createEnumType` for each distinct enum among the columns. */
  protected enumTypes(
    columns: readonly ColumnDefinition[],
    schema: string | undefined,
    ifNotExists: boolean,
  ): CompiledStatement[] {
    if (!this.dialect.capabilities.enumTypes) return [];
    const seen = new Map<string, readonly string[]>();
    const statements: CompiledStatement[] = [];
    for (const column of columns) {
      const type: ColumnType = column.type;
      if (type.kind !== "enum") continue;
      const typeSchema = enumSchemaOf(type, schema);
      const key = `${typeSchema ?? ""}.${type.name}`;
      const known = seen.get(key);
      if (known !== undefined) {
        if (known.join("\u0000") !== type.values.join("\u0000")) {
          throw new TypeError(`enumType("${type.name}") is declared twice with different values`);
        }
        continue;
      }
      seen.set(key, type.values);
      statements.push(this.createEnumType(type.name, type.values, typeSchema, ifNotExists));
    }
    return statements;
  }

  /** `CREATE TYPE "name" AS ENUM ('a', 'b')`; a dialect that can skip an existing type overrides this. */
  protected createEnumType(
    name: string,
    values: readonly string[],
    schema: string | undefined,
    ifNotExists: boolean,
  ): CompiledStatement {
    if (ifNotExists) this.unsupported("createTable", `CREATE TYPE "${name}" has no IF NOT EXISTS form here`);
    const list = values.map((value) => this.dialect.renderLiteral(value)).join(", ");
    return statement(`CREATE TYPE ${this.tableName(name, schema)} AS ENUM (${list})`);
  }

  /** A table constraint: PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK, named when it has a name. */
  protected constraint(constraint: ConstraintDefinition): string {
    const prefix = this.constraintName(constraint.name);
    switch (constraint.kind) {
      case "primaryKey":
        return `${prefix}PRIMARY KEY (${this.columnList(constraint.columns)})`;
      case "unique":
        return `${prefix}UNIQUE (${this.columnList(constraint.columns)})`;
      case "foreignKey":
        if (constraint.columns.length !== constraint.referredColumns.length) {
          throw new TypeError(
            `foreignKey(${constraint.columns.join(", ")}) refers to ${constraint.referredColumns.length} column(s) of "${constraint.referredTable}"; the counts must match`,
          );
        }
        return `${prefix}FOREIGN KEY (${this.columnList(constraint.columns)}) ${this.references(constraint.referredTable, constraint.referredColumns, constraint)}`;
      case "check":
        return `${prefix}CHECK (${expressionText(constraint.condition)})`;
      default:
        return assertNever(constraint);
    }
  }

  /**
   * `REFERENCES "s"."t" ("c") [MATCH ..] [ON DELETE ..] [ON UPDATE ..] [[NOT] DEFERRABLE] [INITIALLY ..]`.
   * A table named by a string may carry its schema (`"app.users"`) where
   * the database has schemas.
   */
  protected references(
    table: string | { readonly name: string; readonly schema?: string | undefined },
    columns: readonly string[],
    options: ReferenceOptions,
  ): string {
    const label = typeof table === "string" ? table : table.name;
    let text = `REFERENCES ${this.referencedTable(table)} (${this.columnList(columns)})`;
    if (options.match !== undefined) text += ` MATCH ${options.match}`;
    if (options.onDelete !== undefined) text += ` ON DELETE ${options.onDelete}`;
    if (options.onUpdate !== undefined) text += ` ON UPDATE ${options.onUpdate}`;
    return text + deferrability(options, `A foreign key to "${label}"`);
  }

  protected referencedTable(table: string | { readonly name: string; readonly schema?: string | undefined }): string {
    if (typeof table !== "string") return this.tableName(table.name, table.schema);
    const dot = table.indexOf(".");
    if (!this.dialect.capabilities.schemas || dot <= 0 || dot === table.length - 1) {
      return this.dialect.quoteIdentifier(table);
    }
    return this.tableName(table.slice(dot + 1), table.slice(0, dot));
  }

  /** Column and table comments after CREATE TABLE, where the database has comments. */
  protected tableComments(table: TableDefinition): CompiledStatement[] {
    if (!this.dialect.capabilities.comments) return [];
    const statements: CompiledStatement[] = [];
    const schema = table.options.schema;
    if (table.options.comment !== undefined) {
      const name = this.tableName(table.name, schema);
      statements.push(statement(`COMMENT ON TABLE ${name} IS ${this.dialect.renderLiteral(table.options.comment)}`));
    }
    for (const column of table.columns) {
      if (column.options.comment !== undefined) statements.push(this.columnComment(table.name, schema, column));
    }
    return statements;
  }

  /** `COMMENT ON COLUMN "s"."t"."c" IS '...'`. */
  protected columnComment(table: string, schema: string | undefined, column: ColumnDefinition): CompiledStatement {
    const target = `${this.tableName(table, schema)}.${this.dialect.quoteIdentifier(column.name)}`;
    return statement(`COMMENT ON COLUMN ${target} IS ${this.dialect.renderLiteral(column.options.comment ?? null)}`);
  }

  // Indexes.

  /**
   * `CREATE [UNIQUE] INDEX <indexPrefix>[IF NOT EXISTS] "ix" ON "s"."t"<indexMethod> (cols)<indexSuffix> [WHERE ...]`.
   * The index goes in the table's schema; expressions are written as given.
   */
  protected createIndexStatement(
    table: string,
    schema: string | undefined,
    index: IndexSpec,
    ifNotExists: boolean,
  ): CompiledStatement {
    if (index.columns.length === 0) {
      throw new TypeError(`index "${index.name}" on "${table}" needs at least one column`);
    }
    const options = index.options ?? {};
    const columns = index.columns
      .map((column) => (typeof column === "string" ? this.dialect.quoteIdentifier(column) : column.text))
      .join(", ");
    let sql = `CREATE ${index.unique === true ? "UNIQUE " : ""}INDEX ${this.indexPrefix(options)}`;
    sql += `${ifNotExists ? "IF NOT EXISTS " : ""}${this.dialect.quoteIdentifier(index.name)} ON ${this.tableName(table, schema)}`;
    sql += `${this.indexMethod(options, index.name)} (${columns})${this.indexSuffix(options)}`;
    if (index.where !== undefined) sql += ` WHERE ${expressionText(index.where)}`;
    return statement(sql);
  }

  /** Written after `INDEX ` (PostgreSQL's `CONCURRENTLY `). */
  protected indexPrefix(_options: Readonly<Record<string, unknown>>): string {
    return "";
  }

  /** Written after the table (PostgreSQL's ` USING gin`). */
  protected indexMethod(_options: Readonly<Record<string, unknown>>, _index: string): string {
    return "";
  }

  /** Written after the columns (PostgreSQL's ` INCLUDE (...)`). */
  protected indexSuffix(_options: Readonly<Record<string, unknown>>): string {
    return "";
  }

  /**
   * One index per `index: true` column, named `ix_<table>_<column>` as
   * Alembic's default naming convention does; with `unique: true` the index
   * is unique instead of a UNIQUE constraint being added, as in SQLAlchemy.
   */
  protected columnIndexes(
    table: string,
    schema: string | undefined,
    columns: readonly ColumnDefinition[],
    ifNotExists: boolean,
  ): CompiledStatement[] {
    return columns
      .filter((column) => column.options.index === true)
      .map((column) =>
        this.createIndexStatement(
          table,
          schema,
          {
            name: this.conventionName(defaultIndexName(table, schema, column.name)),
            columns: [column.name],
            unique: column.options.unique === true,
          },
          ifNotExists,
        ),
      );
  }

  // Constraint parts.

  protected addConstraint(table: string, schema: string | undefined, name: string, body: string): CompiledStatement {
    const target = this.tableName(table, schema);
    return statement(`ALTER TABLE ${target} ADD CONSTRAINT ${this.dialect.quoteIdentifier(name)} ${body}`);
  }

  protected constraintName(name: string | undefined): string {
    return name === undefined ? "" : `CONSTRAINT ${this.dialect.quoteIdentifier(name)} `;
  }

  protected columnList(columns: readonly string[]): string {
    if (columns.length === 0) throw new TypeError("a constraint needs at least one column");
    return columns.map((column) => this.dialect.quoteIdentifier(column)).join(", ");
  }

  protected constraintColumns(columns: readonly string[], name: string): string {
    if (columns.length === 0) throw new TypeError(`constraint "${name}" needs at least one column`);
    return this.columnList(columns);
  }
}

/** No options: any key in the dialect's block is unknown. */
export const NO_OPTIONS: OptionNames = { keys: new Set(), list: [] };

/**
 * Throws `UnknownOptionError` for a key of the dialect's block of an
 * operation's options that `names` does not list; `call` names what the
 * options were given to (`op.createIndex`, or `index` in a `table(...)`).
 */
export function checkDialectOptions(
  operation: OptionsOperation,
  dialectName: string,
  names: OptionNames,
  call = `op.${operation.kind}`,
): void {
  const block = operation.dialectOptions?.[dialectName];
  if (block === undefined) return;
  if (typeof block !== "object" || block === null || Array.isArray(block)) {
    throw new TypeError(`${call}: the ${dialectName} options must be an object; got ${JSON.stringify(block)}`);
  }
  const subject = operation.kind === "createIndex" ? operation.name : `${operation.table}.${operation.column}`;
  checkOptions(block, names, call, subject, dialectName);
}

function sameMembers(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((name) => right.includes(name));
}
