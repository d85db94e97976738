import type { DialectCapabilities } from "../driver/driver.js";
import { UnsupportedOperationError } from "../errors/database-error.js";
import type { BatchAlterTableOperation } from "../operations/batch-operation.js";
import { compileBulkInsert } from "../operations/compile-bulk-insert.js";
import type {
  AddColumnOperation,
  AlterColumnOperation,
  BulkInsertOperation,
  CompiledStatement,
  CreateCheckConstraintOperation,
  CreateExcludeConstraintOperation,
  CreateForeignKeyOperation,
  CreateIndexOperation,
  CreatePrimaryKeyOperation,
  CreateSchemaOperation,
  CreateTableCommentOperation,
  CreateTableOperation,
  CreateUniqueConstraintOperation,
  DropColumnOperation,
  DropConstraintOperation,
  DropIndexOperation,
  DropSchemaOperation,
  DropTableCommentOperation,
  DropTableOperation,
  Operation,
  RenameTableOperation,
} from "../operations/operation.js";
import { checkOptions, type OptionNames } from "../schema/check-options.js";
import type { ColumnType } from "../schema/column-type.js";
import { expressionSql, type PortableSqlFunction } from "../schema/sql-expression.js";
import { column as columnOf, parseReference } from "../schema/table-elements.js";
import type {
  ColumnDefinition,
  ConstraintDefinition,
  ForeignKeyDefinition,
  IndexDefinition,
  ReferentialAction,
  ServerDefault,
} from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";
import { deferrability, expressionText, schemaOf, statement } from "./ddl-clauses.js";

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

/**
 * Compiles operation objects to statements, as Kysely's
 * `DefaultQueryCompiler` and Alembic's `DefaultImpl`: one exhaustive
 * `switch (operation.kind)`, a protected method per operation writing
 * standard SQL, and small hooks (type, default, column clauses, references,
 * index clauses, comments, bulk-insert values) a dialect overrides where its
 * syntax differs. What the database cannot do throws through `unsupported`
 * with the way out; nothing compiles to empty SQL.
 *
 * Dialect options: an operation's `dialectOptions` holds a block per
 * dialect (`{ postgresql: { concurrently: true } }`); a compiler reads its
 * own with `dialectOptions(...)`, which rejects unknown keys, and ignores
 * the others.
 */
export abstract class DdlCompilerBase {
  protected readonly dialect: CompilerDialect;
  #warn: (message: string) => void = () => {};

  constructor(dialect: CompilerDialect) {
    this.dialect = dialect;
  }

  /** The statements of one operation, in the order they must run; `warn` receives deprecation warnings. */
  compile(operation: Operation, warn?: (message: string) => void): CompiledStatement[] {
    if (warn === undefined) return this.compileOperation(operation);
    const previous = this.#warn;
    this.#warn = warn;
    try {
      return this.compileOperation(operation);
    } finally {
      this.#warn = previous;
    }
  }

  protected compileOperation(operation: Operation): CompiledStatement[] {
    if (!this.dialect.capabilities.schemas) {
      const target = schemaOf(operation);
      if (target !== undefined) this.rejectSchema(operation.kind, target.table, target.schema);
    }
    if (operation.kind === "createIndex" || operation.kind === "alterColumn") this.#checkDialectOptions(operation);
    switch (operation.kind) {
      case "createTable":
        return this.createTable(operation);
      case "dropTable":
        return this.dropTable(operation);
      case "renameTable":
        return this.renameTable(operation);
      case "addColumn":
        return this.addColumn(operation);
      case "dropColumn":
        return this.dropColumn(operation);
      case "alterColumn":
        return this.alterColumn(operation);
      case "createIndex":
        return this.createIndex(operation);
      case "dropIndex":
        return this.dropIndex(operation);
      case "createUniqueConstraint":
        return this.createUniqueConstraint(operation);
      case "createForeignKey":
        return this.createForeignKey(operation);
      case "createCheckConstraint":
        return this.createCheckConstraint(operation);
      case "createPrimaryKey":
        return this.createPrimaryKey(operation);
      case "createExcludeConstraint":
        return this.createExcludeConstraint(operation);
      case "dropConstraint":
        return this.dropConstraint(operation);
      case "createTableComment":
        return this.createTableComment(operation);
      case "dropTableComment":
        return this.dropTableComment(operation);
      case "batchAlterTable":
        return this.batchAlterTable(operation);
      case "bulkInsert":
        return this.bulkInsert(operation);
      case "execute":
        return [{ sql: operation.sql, parameters: operation.parameters ?? [] }];
      case "createSchema":
        return this.createSchema(operation);
      case "dropSchema":
        return this.dropSchema(operation);
      default:
        return assertNever(operation);
    }
  }

  // Hooks: errors, warnings, options.

  /** Throws the dialect's unsupported-operation error; override to throw your own class. */
  protected unsupported(operation: string, message: string): never {
    throw new UnsupportedOperationError(operation, message);
  }

  /** Sends a warning (once per run: the dialect drops repeats). */
  protected warn(message: string): void {
    this.#warn(message);
  }

  /** A schema given where the database has none is an error, not ignored. */
  protected rejectSchema(operation: string, table: string, schema: string): never {
    const database = this.dialect.databaseName;
    return this.unsupported(
      operation,
      `${database} has no schemas: ${operation} on "${table}" was given schema "${schema}". Remove the schema option.`,
    );
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

  /** Throws `UnknownOptionError` for a key of this dialect's block that `dialectOptionNames` does not list. */
  #checkDialectOptions(operation: OptionsOperation): void {
    const block = operation.dialectOptions?.[this.dialect.name];
    if (block === undefined) return;
    const call = `op.${operation.kind}`;
    if (typeof block !== "object" || block === null || Array.isArray(block)) {
      throw new TypeError(`${call}: the ${this.dialect.name} options must be an object; got ${JSON.stringify(block)}`);
    }
    const subject = operation.kind === "createIndex" ? operation.name : `${operation.table}.${operation.column}`;
    checkOptions(block, this.dialectOptionNames(operation.kind), call, subject, this.dialect.name);
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

  /** A name Retort generated (`ix_<table>_<column>`); a dialect with a length limit shortens it. */
  protected conventionName(name: string): string {
    return name;
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

  // createTable and its parts.

  /**
   * The statements of `createTable`, in the order Alembic emits them: native
   * enum types, CREATE TABLE (column-level `primaryKey`, `unique` and
   * `references` become table constraints, as SQLAlchemy writes them), an
   * index per `index: true` column and per declared index, then comments.
   */
  protected createTable(operation: CreateTableOperation): CompiledStatement[] {
    const { table } = operation;
    const ifNotExists = operation.ifNotExists === true;
    if (table.columns.length === 0) throw new TypeError(`createTable("${table.name}") needs at least one column`);
    const schema = table.options.schema;
    const primaryKey = this.primaryKey(table);
    const lines = table.columns.map((column) =>
      this.column(column, {
        notNull: column.options.nullable === false || primaryKey.columns.includes(column.name),
        schema,
        operation: "createTable",
        table: table.name,
      }),
    );
    lines.push(...this.primaryKeyClause(primaryKey));
    for (const column of table.columns) lines.push(...this.columnTableConstraints(column));
    for (const constraint of table.constraints) {
      if (constraint.kind !== "primaryKey") lines.push(this.constraint(constraint));
    }
    const name = this.tableName(table.name, schema);
    const create = `CREATE TABLE ${ifNotExists ? "IF NOT EXISTS " : ""}${name} (\n  ${lines.join(",\n  ")}\n)${this.tableOptionsClause(table)}`;
    return [
      ...this.enumTypes(table.columns, schema, ifNotExists),
      statement(create),
      ...this.columnIndexes(table.name, schema, table.columns, ifNotExists),
      ...table.indexes.map((index) => this.createIndexStatement(table.name, schema, index, ifNotExists)),
      ...this.tableComments(table),
    ];
  }

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

  /** Without native enums: `CONSTRAINT "<enum name>" CHECK ("col" IN ('a', 'b'))`, named as SQLAlchemy names it. */
  protected enumCheck(column: ColumnDefinition): string {
    if (column.type.kind !== "enum") throw new TypeError(`column "${column.name}" is not an enum`);
    const values = column.type.values.map((value) => this.dialect.renderLiteral(value)).join(", ");
    return `${this.constraintName(column.type.name)}CHECK (${this.dialect.quoteIdentifier(column.name)} IN (${values}))`;
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
      const known = seen.get(type.name);
      if (known !== undefined) {
        if (known.join("\u0000") !== type.values.join("\u0000")) {
          throw new TypeError(`enumType("${type.name}") is declared twice with different values`);
        }
        continue;
      }
      seen.set(type.name, type.values);
      statements.push(this.createEnumType(type.name, type.values, schema, ifNotExists));
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

  protected createIndex(operation: CreateIndexOperation): CompiledStatement[] {
    const spec: IndexSpec = {
      name: operation.name,
      columns: operation.columns,
      ...(operation.unique === undefined ? {} : { unique: operation.unique }),
      ...(operation.where === undefined ? {} : { where: operation.where }),
      options: this.indexOptions(operation),
    };
    return [this.createIndexStatement(operation.table, operation.schema, spec, operation.ifNotExists === true)];
  }

  /** The dialect's options of `createIndex`: its block (see `dialectOptionNames`). */
  protected indexOptions(operation: CreateIndexOperation): Readonly<Record<string, unknown>> {
    return this.dialectOptions(operation);
  }

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
            name: this.conventionName(`ix_${table}_${column.name}`),
            columns: [column.name],
            unique: column.options.unique === true,
          },
          ifNotExists,
        ),
      );
  }

  /** `DROP INDEX [IF EXISTS] "s"."ix"`: an index lives in its table's schema; the table is not needed. */
  protected dropIndex(operation: DropIndexOperation): CompiledStatement[] {
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return [statement(`DROP INDEX ${ifExists}${this.tableName(operation.name, operation.schema)}`)];
  }

  // Tables and columns.

  protected dropTable(operation: DropTableOperation): CompiledStatement[] {
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return [statement(`DROP TABLE ${ifExists}${this.tableName(operation.table, operation.schema)}`)];
  }

  /** `ALTER TABLE "s"."a" RENAME TO "b"`: the new name is not qualified (the table keeps its schema). */
  protected renameTable(operation: RenameTableOperation): CompiledStatement[] {
    const target = this.tableName(operation.table, operation.schema);
    return [statement(`ALTER TABLE ${target} RENAME TO ${this.dialect.quoteIdentifier(operation.newName)}`)];
  }

  /**
   * `ALTER TABLE "t" ADD COLUMN [IF NOT EXISTS] <column>` with its
   * constraints inline, preceded by a native enum's type and followed by
   * its index (`index: true`) and comment.
   */
  protected addColumn(operation: AddColumnOperation): CompiledStatement[] {
    const { table, column, schema } = operation;
    const ifNotExists = operation.ifNotExists === true;
    const options = column.options;
    const constraints: string[] = [];
    if (options.primaryKey === true) constraints.push("PRIMARY KEY");
    if (options.unique === true && options.index !== true) constraints.push("UNIQUE");
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      constraints.push(this.references(reference.table, [reference.column], reference));
    }
    const definition = this.column(column, {
      notNull: options.nullable === false || options.primaryKey === true,
      schema,
      constraints,
      operation: operation.kind,
      table,
    });
    const add = `ALTER TABLE ${this.tableName(table, schema)} ADD COLUMN ${ifNotExists ? "IF NOT EXISTS " : ""}${definition}`;
    const statements = [
      ...this.enumTypes([column], schema, ifNotExists),
      statement(add),
      ...this.columnIndexes(table, schema, [column], ifNotExists),
    ];
    if (options.comment !== undefined && this.dialect.capabilities.comments) {
      statements.push(this.columnComment(table, schema, column));
    }
    return statements;
  }

  /** `ALTER TABLE "t" DROP COLUMN [IF EXISTS] "c"` (never CASCADE). */
  protected dropColumn(operation: DropColumnOperation): CompiledStatement[] {
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    const target = this.tableName(operation.table, operation.schema);
    return [
      statement(`ALTER TABLE ${target} DROP COLUMN ${ifExists}${this.dialect.quoteIdentifier(operation.column)}`),
    ];
  }

  /**
   * `alterColumn` as separate statements, in Alembic's order: the type
   * (`alterColumnType`), `SET`/`DROP NOT NULL`, `SET DEFAULT x`/`DROP
   * DEFAULT`, autoincrement (`alterColumnAutoincrement`), the comment, and
   * `RENAME COLUMN` last, so the steps before name the old column.
   */
  protected alterColumn(operation: AlterColumnOperation): CompiledStatement[] {
    const { table, schema } = operation;
    const alter = `ALTER TABLE ${this.tableName(table, schema)} ALTER COLUMN ${this.dialect.quoteIdentifier(operation.column)}`;
    const statements: CompiledStatement[] = [];
    if (operation.type !== undefined) statements.push(...this.alterColumnType(operation, operation.type, alter));
    if (operation.nullable !== undefined) {
      statements.push(statement(`${alter} ${operation.nullable ? "DROP" : "SET"} NOT NULL`));
    }
    if (operation.serverDefault === null) {
      statements.push(statement(`${alter} DROP DEFAULT`));
    } else if (operation.serverDefault !== undefined) {
      statements.push(statement(`${alter} SET DEFAULT ${this.renderDefault(operation.serverDefault)}`));
    }
    if (operation.autoincrement !== undefined) {
      statements.push(...this.alterColumnAutoincrement(operation, operation.autoincrement, alter));
    }
    if (operation.comment !== undefined) {
      if (!this.dialect.capabilities.comments) {
        this.unsupported(operation.kind, `${this.dialect.databaseName} has no column comments`);
      }
      const target = `${this.tableName(table, schema)}.${this.dialect.quoteIdentifier(operation.column)}`;
      statements.push(statement(`COMMENT ON COLUMN ${target} IS ${this.dialect.renderLiteral(operation.comment)}`));
    }
    if (operation.newColumnName !== undefined && operation.newColumnName !== operation.column) {
      const from = this.dialect.quoteIdentifier(operation.column);
      const to = this.dialect.quoteIdentifier(operation.newColumnName);
      statements.push(statement(`ALTER TABLE ${this.tableName(table, schema)} RENAME COLUMN ${from} TO ${to}`));
    }
    return statements;
  }

  /** `... ALTER COLUMN "c" TYPE X`, with the enum type first where enums are native. */
  protected alterColumnType(operation: AlterColumnOperation, type: ColumnType, alter: string): CompiledStatement[] {
    return [
      ...this.enumTypes([columnOf(operation.column, type)], operation.schema, false),
      statement(`${alter} TYPE ${this.renderType(type, operation.schema)}`),
    ];
  }

  protected alterColumnAutoincrement(
    operation: AlterColumnOperation,
    _on: boolean,
    _alter: string,
  ): CompiledStatement[] {
    return this.unsupported(
      operation.kind,
      `${this.dialect.databaseName} cannot change autoincrement of column "${operation.column}" in place`,
    );
  }

  // Constraints and comments.

  /** `ALTER TABLE "t" ADD CONSTRAINT "uq" UNIQUE ("a", "b") [[NOT] DEFERRABLE] [INITIALLY ...]`. */
  protected createUniqueConstraint(operation: CreateUniqueConstraintOperation): CompiledStatement[] {
    const body = `UNIQUE (${this.constraintColumns(operation.columns, operation.name)})`;
    const deferrable = deferrability(operation, `Constraint "${operation.name}"`);
    return [this.addConstraint(operation.table, operation.schema, operation.name, body + deferrable)];
  }

  /**
   * `ALTER TABLE "s"."t" ADD CONSTRAINT "fk" FOREIGN KEY ("a") REFERENCES ...`.
   * The referent table is qualified by `referentSchema` only, as Alembic leaves it.
   */
  protected createForeignKey(operation: CreateForeignKeyOperation): CompiledStatement[] {
    if (operation.localColumns.length !== operation.remoteColumns.length) {
      throw new TypeError(
        `createForeignKey("${operation.name}"): ${operation.localColumns.length} local column(s) refer to ${operation.remoteColumns.length} column(s) of "${operation.referentTable}"; the counts must match`,
      );
    }
    const references = this.references(
      { name: operation.referentTable, schema: operation.referentSchema },
      operation.remoteColumns,
      operation,
    );
    const body = `FOREIGN KEY (${this.constraintColumns(operation.localColumns, operation.name)}) ${references}`;
    return [this.addConstraint(operation.sourceTable, operation.sourceSchema, operation.name, body)];
  }

  protected createCheckConstraint(operation: CreateCheckConstraintOperation): CompiledStatement[] {
    const body = `CHECK (${expressionText(operation.condition)})`;
    return [this.addConstraint(operation.table, operation.schema, operation.name, body)];
  }

  protected createPrimaryKey(operation: CreatePrimaryKeyOperation): CompiledStatement[] {
    const body = `PRIMARY KEY (${this.constraintColumns(operation.columns, operation.name)})`;
    return [this.addConstraint(operation.table, operation.schema, operation.name, body)];
  }

  /** EXCLUDE constraints are PostgreSQL's; refused unless a dialect writes them. */
  protected createExcludeConstraint(operation: CreateExcludeConstraintOperation): CompiledStatement[] {
    return this.unsupported(
      operation.kind,
      `${this.dialect.databaseName} has no EXCLUDE constraints (constraint "${operation.name}" on "${operation.table}")`,
    );
  }

  /** `ALTER TABLE "t" DROP CONSTRAINT [IF EXISTS] "n"` (`type` is only checked, as Alembic checks it). */
  protected dropConstraint(operation: DropConstraintOperation): CompiledStatement[] {
    if (!CONSTRAINT_TYPES.includes(operation.type)) {
      throw new TypeError(
        `dropConstraint("${operation.name}"): type can be one of 'check', 'foreignkey', 'primary', 'unique' or undefined; got ${JSON.stringify(operation.type)}`,
      );
    }
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    const target = this.tableName(operation.table, operation.schema);
    return [
      statement(`ALTER TABLE ${target} DROP CONSTRAINT ${ifExists}${this.dialect.quoteIdentifier(operation.name)}`),
    ];
  }

  /** `COMMENT ON TABLE "s"."t" IS '...'` where the database has comments. */
  protected createTableComment(operation: CreateTableCommentOperation): CompiledStatement[] {
    if (!this.dialect.capabilities.comments) this.unsupported(operation.kind, this.noComments(operation.table));
    const target = this.tableName(operation.table, operation.schema);
    return [statement(`COMMENT ON TABLE ${target} IS ${this.dialect.renderLiteral(operation.comment)}`)];
  }

  /** `COMMENT ON TABLE "s"."t" IS NULL`. */
  protected dropTableComment(operation: DropTableCommentOperation): CompiledStatement[] {
    if (!this.dialect.capabilities.comments) this.unsupported(operation.kind, this.noComments(operation.table));
    return [statement(`COMMENT ON TABLE ${this.tableName(operation.table, operation.schema)} IS NULL`)];
  }

  protected noComments(table: string): string {
    return `${this.dialect.databaseName} has no COMMENT (table "${table}")`;
  }

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

  // Batches, rows, schemas.

  /**
   * A batch where the database alters in place runs as plain ALTERs, each
   * step compiled as the plain operation, in the order recorded (Alembic's
   * `recreate="auto"` without a rebuild). What only a rebuild can do is
   * refused: `recreate: "always"`, and a column placed with
   * `insertBefore`/`insertAfter`.
   */
  protected batchAlterTable(operation: BatchAlterTableOperation): CompiledStatement[] {
    const where = `batchAlterTable("${operation.table}")`;
    const database = this.dialect.databaseName;
    if (operation.options.recreate === "always") {
      this.unsupported(
        "batchAlterTable",
        `${where} with recreate: "always" asks for a table rebuild, which Retort does on SQLite only; ` +
          `${database} alters tables in place: use recreate: "auto" (or "never")`,
      );
    }
    return operation.steps.flatMap((step) => {
      if ((step.kind === "addColumn" || step.kind === "alterColumn") && placed(step)) {
        const name = step.kind === "addColumn" ? step.column.name : step.column;
        this.unsupported(
          step.kind,
          `${where}: column "${name}" is placed with insertBefore/insertAfter; column order needs a table rebuild, ` +
            `which Retort does on SQLite only. Remove the placement, or the batch, on ${database}`,
        );
      }
      return this.compileOperation(step);
    });
  }

  /** The most parameters one statement may bind. */
  protected abstract readonly maxParameters: number;

  /** Converts a `bulkInsert` value by its declared column type (booleans, dates, JSON). */
  protected abstract toColumnValue(value: unknown, type: ColumnType): unknown;

  /** Multi-row INSERTs under `maxParameters`, values converted by `toColumnValue` (see `compileBulkInsert`). */
  protected bulkInsert(operation: BulkInsertOperation): CompiledStatement[] {
    const definition = typeof operation.table === "string" ? undefined : operation.table;
    const tableName = definition === undefined ? (operation.table as string) : definition.name;
    return compileBulkInsert(operation, {
      databaseName: this.dialect.databaseName,
      maxParameters: this.maxParameters,
      table: this.tableName(tableName, operation.schema ?? definition?.options.schema),
      quoteIdentifier: (name) => this.dialect.quoteIdentifier(name),
      placeholder: (index) => this.dialect.placeholder(index),
      toColumnValue: (value, type) => this.toColumnValue(value, type),
      renderExpression: (expression) => expressionSql(expression, this.dialect),
    });
  }

  protected createSchema(operation: CreateSchemaOperation): CompiledStatement[] {
    if (!this.dialect.capabilities.schemas) this.noSchemas(operation.kind, operation.name);
    const ifNotExists = operation.ifNotExists === true ? "IF NOT EXISTS " : "";
    return [statement(`CREATE SCHEMA ${ifNotExists}${this.dialect.quoteIdentifier(operation.name)}`)];
  }

  protected dropSchema(operation: DropSchemaOperation): CompiledStatement[] {
    if (!this.dialect.capabilities.schemas) this.noSchemas(operation.kind, operation.name);
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    const cascade = operation.cascade === true ? " CASCADE" : "";
    return [statement(`DROP SCHEMA ${ifExists}${this.dialect.quoteIdentifier(operation.name)}${cascade}`)];
  }

  protected noSchemas(operation: string, name: string): never {
    const database = this.dialect.databaseName;
    return this.unsupported(
      operation,
      `${database} has no schemas: ${operation}("${name}") cannot run. ` +
        `Skip it on ${database} with a dialect check (op.getContext().dialect.capabilities.schemas).`,
    );
  }
}

const NO_OPTIONS: OptionNames = { keys: new Set(), list: [] };
const CONSTRAINT_TYPES: readonly (string | undefined)[] = ["foreignkey", "primary", "unique", "check", undefined];

function placed(step: { insertBefore?: string; insertAfter?: string }): boolean {
  return step.insertBefore !== undefined || step.insertAfter !== undefined;
}

function sameMembers(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((name) => right.includes(name));
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
