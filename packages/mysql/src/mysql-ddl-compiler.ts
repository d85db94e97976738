import type {
  AddColumnOperation,
  AlterColumnOperation,
  BatchAlterTableOperation,
  ColumnDefinition,
  ColumnType,
  CompiledStatement,
  CreateIndexOperation,
  CreateTableCommentOperation,
  CreateTableOperation,
  CreateUniqueConstraintOperation,
  DropColumnOperation,
  DropConstraintOperation,
  DropIndexOperation,
  DropTableCommentOperation,
  TableDefinition,
} from "@retort/core";
import {
  type ColumnRenderOptions,
  type CompilerDialect,
  DdlCompilerBase,
  type IndexSpec,
  type OptionNames,
  type OptionsOperation,
  optionNames,
  type ReferenceOptions,
  statement,
} from "@retort/core/dialect";
import { parseReference } from "@retort/core/dialect";
import { existingFromCopy } from "./mysql-batch.js";
import { defaultExpression } from "./mysql-defaults.js";
import { generatedClause } from "./mysql-generated-column.js";
import { MysqlUnsupportedOperationError } from "./mysql-errors.js";
import { INDEX_OPTIONS, INDEX_PREFIXES, type MysqlIndexOptions, mysqlTableOptionsClause } from "./mysql-options.js";
import { renderMysqlType, toColumnValue } from "./mysql-types.js";

/** The most placeholders one prepared statement may hold (65535). */
export const MYSQL_MAX_PARAMETERS = 65535;

const NO_OPTIONS = optionNames<Record<never, never>>({});

/** Integer types that can be AUTO_INCREMENT. */
const INTEGER_KINDS = new Set(["integer", "bigInteger", "smallInteger"]);

/**
 * The DDL compiler for MySQL 8 and MariaDB 10.11+: the base compiler's
 * statements with MySQL's rules where they differ (Alembic's `MySQLImpl`):
 *
 * - `alterColumn` restates the whole column with `MODIFY` (or `CHANGE
 *   COLUMN` when it is also renamed), taking what is not changed from the
 *   `existing*` options; a change of the server default alone is `ALTER
 *   COLUMN ... SET/DROP DEFAULT`, a rename alone `RENAME COLUMN`;
 * - `dropConstraint` by constraint type: `DROP FOREIGN KEY`, `DROP INDEX`
 *   (unique), `DROP PRIMARY KEY`, `DROP CHECK` (MariaDB: `DROP
 *   CONSTRAINT`);
 * - `DROP INDEX ix ON t` (an index belongs to its table);
 * - comments inline (`COMMENT '...'`, `COMMENT = '...'`);
 * - enums inline as `ENUM(...)`, autoincrement as `AUTO_INCREMENT`;
 * - no partial indexes, no deferrable constraints, no MATCH (refused).
 */
export class MysqlDdlCompiler extends DdlCompilerBase {
  protected override readonly maxParameters: number;
  /**
   * A `bulkInsert` statement carries at most about 4 MiB of values: the
   * server closes the connection on a packet over `max_allowed_packet`
   * (16 MiB by default on MariaDB, 64 MiB on MySQL 8).
   */
  protected override readonly maxStatementBytes = 4 * 1024 * 1024;

  constructor(dialect: CompilerDialect, options: { readonly maxParameters?: number } = {}) {
    super(dialect);
    this.maxParameters = options.maxParameters ?? MYSQL_MAX_PARAMETERS;
  }

  /** `mariadb` when the dialect was made for MariaDB. */
  get #mariadb(): boolean {
    return (this.dialect as { readonly flavor?: string }).flavor === "mariadb";
  }

  protected override unsupported(operation: string, message: string): never {
    throw new MysqlUnsupportedOperationError(operation, message);
  }

  protected override renderType(type: ColumnType, _schema: string | undefined): string {
    return renderMysqlType(type, (value) => this.dialect.renderLiteral(value));
  }

  protected override toColumnValue(value: unknown, type: ColumnType): unknown {
    return toColumnValue(value, type);
  }

  protected override dialectOptionNames(kind: OptionsOperation["kind"]): OptionNames {
    return kind === "createIndex" ? INDEX_OPTIONS : NO_OPTIONS;
  }

  /**
   * Refuses PostgreSQL's old top-level index options (`concurrently`,
   * `using`, `include`): MySQL cannot honour them; the same options in a
   * `{ postgresql: {...} }` block are PostgreSQL's alone and ignored here.
   */
  protected override createIndex(operation: CreateIndexOperation): CompiledStatement[] {
    const features = [
      operation.concurrently === true ? "CONCURRENTLY" : undefined,
      operation.using === undefined ? undefined : `USING ${operation.using}`,
      operation.include === undefined ? undefined : "INCLUDE (...)",
    ].filter((feature): feature is string => feature !== undefined);
    if (features.length > 0) {
      const database = this.dialect.databaseName;
      this.unsupported(
        operation.kind,
        `CREATE INDEX ${features.join(", ")} is a PostgreSQL feature; ${database} has none (index "${operation.name}" on ` +
          `"${operation.table}"). Pass it as PostgreSQL's option ({ postgresql: { ... } }), which ${database} ignores, ` +
          `or guard it with a dialect check (op.getContext().dialect.name === "postgresql").`,
      );
    }
    return super.createIndex(operation);
  }

  /**
   * A table's `schema` is another database on the server, as SQLAlchemy's
   * `schema=` on MySQL (`` `other`.`t` ``): the version table of
   * `versionTableSchema`, a table a migration keeps beside the URL's
   * database. `createSchema`/`dropSchema` stay refused.
   */
  protected override tableSchemas(): boolean {
    return true;
  }

  /**
   * A batch block runs as plain ALTERs; with `copyFrom`, an `alterColumn`
   * step takes the `existing*` options MODIFY needs from that table (see
   * `existingFromCopy`).
   */
  protected override batchAlterTable(operation: BatchAlterTableOperation): CompiledStatement[] {
    return super.batchAlterTable(existingFromCopy(operation));
  }

  /** `ENGINE=... DEFAULT CHARSET=... COLLATE ...` from the table's `{ mysql: {...} }` block. */
  protected override tableOptionsClause(table: TableDefinition): string {
    return mysqlTableOptionsClause(table, this.dialect.databaseName, (message) =>
      this.unsupported("createTable", message),
    );
  }

  protected override columnType(column: ColumnDefinition, options: ColumnRenderOptions): string {
    if (column.options.autoincrement === true && !INTEGER_KINDS.has(column.type.kind)) {
      this.unsupported(
        options.operation,
        `Column "${column.name}" of table "${options.table}": autoincrement needs an integer type (integer, bigInteger, smallInteger), not ${column.type.kind}`,
      );
    }
    return super.columnType(column, options);
  }

  /**
   * The base's clauses, then `AUTO_INCREMENT` and `COMMENT '...'`, then the
   * column's constraints. MariaDB takes no `NOT NULL` on a generated column
   * (a syntax error; it is always nullable) and no primary key on one: such
   * a column is refused, named.
   */
  protected override columnClauses(column: ColumnDefinition, options: ColumnRenderOptions): string[] {
    if (this.#mariadb && column.options.computed !== undefined && options.notNull) {
      const why =
        column.options.nullable === false
          ? "MariaDB has no NOT NULL generated columns: leave nullable out (or true)"
          : "MariaDB does not take a generated column in a primary key: make the key another column";
      this.unsupported(
        options.operation,
        `Column "${column.name}" of table "${options.table}" is generated (computed: ${column.options.computed.text}), and ${why}`,
      );
    }
    const clauses = super.columnClauses(column, { ...options, constraints: [] });
    if (column.options.autoincrement === true) clauses.push("AUTO_INCREMENT");
    if (column.options.comment !== undefined && column.options.comment !== null) {
      clauses.push(`COMMENT ${this.dialect.renderLiteral(column.options.comment)}`);
    }
    return [...clauses, ...(options.constraints ?? [])];
  }

  /** Comments are inline: the table's goes on CREATE TABLE as `COMMENT = '...'`. */
  protected override tableComments(): CompiledStatement[] {
    return [];
  }

  protected override createTable(operation: CreateTableOperation): CompiledStatement[] {
    const statements = super.createTable(operation);
    const comment = operation.table.options.comment;
    if (comment === undefined) return statements;
    return statements.map((item) =>
      item.sql.startsWith("CREATE TABLE ")
        ? statement(`${item.sql} COMMENT = ${this.dialect.renderLiteral(comment)}`)
        : item,
    );
  }

  /**
   * `REFERENCES ...` without MATCH and deferrability: InnoDB parses MATCH
   * but ignores it, and has no deferred constraints
   * (https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html),
   * so asking for them is refused rather than silently dropped.
   */
  protected override references(
    table: string | { readonly name: string; readonly schema?: string | undefined },
    columns: readonly string[],
    options: ReferenceOptions,
  ): string {
    const label = typeof table === "string" ? table : table.name;
    this.#noDeferrable(options, `A foreign key to "${label}"`);
    if (options.match !== undefined) {
      this.unsupported(
        "createForeignKey",
        `A foreign key to "${label}" asks for MATCH ${options.match}; InnoDB accepts MATCH but ignores it ` +
          "(https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html). Remove the match option",
      );
    }
    return super.references(table, columns, { onDelete: options.onDelete, onUpdate: options.onUpdate });
  }

  protected override createUniqueConstraint(operation: CreateUniqueConstraintOperation): CompiledStatement[] {
    this.#noDeferrable(operation, `Constraint "${operation.name}"`);
    const body = `UNIQUE (${this.constraintColumns(operation.columns, operation.name)})`;
    return [this.addConstraint(operation.table, operation.schema, operation.name, body)];
  }

  /**
   * `CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX [IF NOT EXISTS] ix ON t (cols)`
   * (the kind from `{ mysql: { prefix } }`). An expression
   * is a functional key part, written in its own parentheses as MySQL 8.0.13+
   * requires; MariaDB has none, and refuses it. MySQL has no partial
   * indexes: `where` is refused.
   */
  protected override createIndexStatement(
    table: string,
    schema: string | undefined,
    index: IndexSpec,
    ifNotExists: boolean,
  ): CompiledStatement {
    if (index.where !== undefined) {
      this.unsupported(
        "createIndex",
        `Index "${index.name}" on "${table}" has a WHERE clause; ${this.dialect.databaseName} has no partial indexes. ` +
          "Remove where, or skip the index on this database with a check of op.getContext().dialect.name",
      );
    }
    if (ifNotExists) this.#ifExists("createIndex", "CREATE INDEX IF NOT EXISTS");
    if (this.#mariadb && index.columns.some((column) => typeof column !== "string")) {
      this.unsupported(
        "createIndex",
        `Index "${index.name}" on "${table}" has an expression; MariaDB has no functional key parts ` +
          "(https://mariadb.com/kb/en/create-index/). Index a generated column (computed) holding the expression instead",
      );
    }
    if (index.columns.length === 0)
      throw new TypeError(`index "${index.name}" on "${table}" needs at least one column`);
    const length = (index.options as MysqlIndexOptions | undefined)?.length;
    const prefix = (column: string): string => {
      const value = typeof length === "number" ? length : length?.[column];
      if (value === undefined) return "";
      if (!Number.isInteger(value) || value <= 0) {
        throw new TypeError(
          `index "${index.name}": mysql length of "${column}" must be a positive integer; got ${value}`,
        );
      }
      return `(${value})`;
    };
    const columns = index.columns
      .map((column) =>
        typeof column === "string" ? `${this.dialect.quoteIdentifier(column)}${prefix(column)}` : `(${column.text})`,
      )
      .join(", ");
    const given = (index.options as MysqlIndexOptions | undefined)?.prefix;
    const kind = typeof given === "string" ? given.toUpperCase() : given;
    if (kind !== undefined && !INDEX_PREFIXES.has(kind)) {
      throw new TypeError(
        `index "${index.name}": mysql prefix must be "FULLTEXT" or "SPATIAL"; got ${JSON.stringify(given)}`,
      );
    }
    const unique = `${index.unique === true ? "UNIQUE " : ""}${kind === undefined ? "" : `${kind} `}`;
    const exists = ifNotExists ? "IF NOT EXISTS " : "";
    return statement(
      `CREATE ${unique}INDEX ${exists}${this.dialect.quoteIdentifier(index.name)} ON ${this.tableName(table, schema)} (${columns})`,
    );
  }

  /** `DROP INDEX [IF EXISTS] ix ON t`: MySQL needs the table. */
  protected override dropIndex(operation: DropIndexOperation): CompiledStatement[] {
    if (operation.table === undefined) {
      this.unsupported(
        "dropIndex",
        `dropIndex("${operation.name}") needs the table on ${this.dialect.databaseName} (DROP INDEX ... ON table): ` +
          `op.dropIndex("${operation.name}", { table: "<table>" })`,
      );
    }
    if (operation.ifExists === true) this.#ifExists("dropIndex", "DROP INDEX IF EXISTS");
    const exists = operation.ifExists === true ? "IF EXISTS " : "";
    const table = this.tableName(operation.table, operation.schema);
    return [statement(`DROP INDEX ${exists}${this.dialect.quoteIdentifier(operation.name)} ON ${table}`)];
  }

  /**
   * `ALTER TABLE t ADD COLUMN <column>`. A foreign key goes in the same
   * statement as `ADD FOREIGN KEY`: MySQL parses an inline `REFERENCES`
   * on a column and ignores it.
   */
  protected override addColumn(operation: AddColumnOperation): CompiledStatement[] {
    const { table, column, schema } = operation;
    const ifNotExists = operation.ifNotExists === true;
    if (ifNotExists) this.#ifExists("addColumn", "ADD COLUMN IF NOT EXISTS");
    const options = column.options;
    const constraints: string[] = [];
    if (options.primaryKey === true) constraints.push("PRIMARY KEY");
    if (options.unique === true && options.index !== true) constraints.push("UNIQUE");
    const definition = this.column(column, {
      notNull: options.nullable === false || options.primaryKey === true,
      schema,
      constraints,
      operation: operation.kind,
      table,
    });
    let sql = `ALTER TABLE ${this.tableName(table, schema)} ADD COLUMN ${ifNotExists ? "IF NOT EXISTS " : ""}${definition}`;
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      const target = this.references(reference.table, [reference.column], reference);
      sql += `, ADD FOREIGN KEY (${this.dialect.quoteIdentifier(column.name)}) ${target}`;
    }
    return [statement(sql), ...this.columnIndexes(table, schema, [column], ifNotExists)];
  }

  protected override dropColumn(operation: DropColumnOperation): CompiledStatement[] {
    if (operation.ifExists === true) this.#ifExists("dropColumn", "DROP COLUMN IF EXISTS");
    return super.dropColumn(operation);
  }

  /**
   * MySQL changes a column by restating it whole
   * (https://dev.mysql.com/doc/refman/8.0/en/alter-table.html), as Alembic does:
   *
   * - a change of type, nullability, autoincrement or comment is
   *   `MODIFY c <type> [GENERATED ALWAYS AS (...) STORED|VIRTUAL] [NOT] NULL
   *   [DEFAULT x] [AUTO_INCREMENT] [COMMENT '...']`
   *   (`CHANGE COLUMN c new ...` when renamed too). What is not changed comes
   *   from `existingType`, `existingNullable`, `existingServerDefault`,
   *   `existingAutoincrement`, `existingComputed` (see `generatedClause`)
   *   and `existingComment`; the type and the
   *   nullability are required (a MODIFY without them would change the
   *   column), and their absence is refused naming the missing option;
   * - the server default alone: `ALTER COLUMN c SET DEFAULT x` / `DROP DEFAULT`;
   * - a rename alone: `RENAME COLUMN c TO new`.
   */
  protected override alterColumn(operation: AlterColumnOperation): CompiledStatement[] {
    const { table, schema, column } = operation;
    const target = this.tableName(table, schema);
    const quoted = this.dialect.quoteIdentifier(column);
    const renamed = operation.newColumnName !== undefined && operation.newColumnName !== column;
    const refuse = (message: string): never => this.unsupported("alterColumn", message);
    const restate =
      operation.type !== undefined ||
      operation.nullable !== undefined ||
      operation.autoincrement !== undefined ||
      operation.comment !== undefined;
    if (!restate) {
      // A generated column (existingComputed) has no default to set or drop: refused there.
      if (operation.serverDefault !== undefined) generatedClause(operation, true, this.#mariadb, refuse);
      const statements: CompiledStatement[] = [];
      if (operation.serverDefault === null) {
        statements.push(statement(`ALTER TABLE ${target} ALTER COLUMN ${quoted} DROP DEFAULT`));
      } else if (operation.serverDefault !== undefined) {
        statements.push(
          statement(
            `ALTER TABLE ${target} ALTER COLUMN ${quoted} SET DEFAULT ${this.#default(operation.serverDefault)}`,
          ),
        );
      }
      if (renamed) {
        const to = this.dialect.quoteIdentifier(operation.newColumnName as string);
        statements.push(statement(`ALTER TABLE ${target} RENAME COLUMN ${quoted} TO ${to}`));
      }
      return statements;
    }
    const where = `op.alterColumn("${table}", "${column}")`;
    const type = operation.type ?? operation.existingType;
    const nullable = operation.nullable ?? operation.existingNullable;
    const missing = [
      ...(type === undefined ? ["existingType"] : []),
      ...(nullable === undefined ? ["existingNullable"] : []),
    ];
    if (missing.length > 0) {
      this.unsupported(
        "alterColumn",
        `${where}: ${this.dialect.databaseName} changes a column by restating it whole (MODIFY/CHANGE COLUMN), ` +
          `so Retort needs what is not changed: give ${missing.join(" and ")} ` +
          `(e.g. { ${missing.map((name) => (name === "existingType" ? "existingType: string(50)" : "existingNullable: false")).join(", ")} }). ` +
          "Also give existingServerDefault and existingComment if the column has them, or they are dropped, as with Alembic, " +
          "and existingComputed if it is generated, or it becomes a plain column",
      );
    }
    const serverDefault =
      operation.serverDefault !== undefined ? operation.serverDefault : operation.existingServerDefault;
    const autoincrement = operation.autoincrement ?? operation.existingAutoincrement ?? false;
    const comment = operation.comment !== undefined ? operation.comment : operation.existingComment;
    const columnType = type as ColumnType;
    if (autoincrement && !INTEGER_KINDS.has(columnType.kind)) {
      this.unsupported(
        "alterColumn",
        `${where}: autoincrement needs an integer type (integer, bigInteger, smallInteger), not ${columnType.kind}`,
      );
    }
    const generated = generatedClause(operation, nullable === true, this.#mariadb, refuse);
    let definition = `${this.renderType(columnType, schema)} ${generated ?? (nullable === true ? "NULL" : "NOT NULL")}`;
    if (serverDefault !== undefined && serverDefault !== null) definition += ` DEFAULT ${this.#default(serverDefault)}`;
    if (autoincrement) definition += " AUTO_INCREMENT";
    if (comment !== undefined && comment !== null) definition += ` COMMENT ${this.dialect.renderLiteral(comment)}`;
    const sql = renamed
      ? `ALTER TABLE ${target} CHANGE COLUMN ${quoted} ${this.dialect.quoteIdentifier(operation.newColumnName as string)} ${definition}`
      : `ALTER TABLE ${target} MODIFY ${quoted} ${definition}`;
    return [statement(sql)];
  }

  /**
   * By constraint type, as MySQL has no DROP CONSTRAINT for every kind
   * (Alembic refuses it the same way): `DROP FOREIGN KEY`, `DROP INDEX`
   * (a unique constraint is an index), `DROP PRIMARY KEY`, and for a check
   * `DROP CHECK` (MySQL) or `DROP CONSTRAINT` (MariaDB).
   */
  protected override dropConstraint(operation: DropConstraintOperation): CompiledStatement[] {
    const target = this.tableName(operation.table, operation.schema);
    const name = this.dialect.quoteIdentifier(operation.name);
    if (operation.ifExists === true && operation.type !== "primary") {
      this.#ifExists("dropConstraint", "DROP ... IF EXISTS");
    }
    const exists = operation.ifExists === true ? "IF EXISTS " : "";
    switch (operation.type) {
      case "foreignkey":
        return [statement(`ALTER TABLE ${target} DROP FOREIGN KEY ${exists}${name}`)];
      case "unique":
        return [statement(`ALTER TABLE ${target} DROP INDEX ${exists}${name}`)];
      case "primary":
        return [statement(`ALTER TABLE ${target} DROP PRIMARY KEY`)];
      case "check":
        return [statement(`ALTER TABLE ${target} DROP ${this.#mariadb ? "CONSTRAINT" : "CHECK"} ${exists}${name}`)];
      case undefined:
        return this.unsupported(
          "dropConstraint",
          `op.dropConstraint("${operation.name}", "${operation.table}") needs its type on ${this.dialect.databaseName}, ` +
            "which drops each kind of constraint its own way (DROP FOREIGN KEY, DROP INDEX, DROP PRIMARY KEY, DROP CHECK): " +
            "give { type: 'foreignkey' | 'unique' | 'primary' | 'check' }",
        );
      default:
        return super.dropConstraint(operation);
    }
  }

  /** `ALTER TABLE t COMMENT = '...'`. */
  protected override createTableComment(operation: CreateTableCommentOperation): CompiledStatement[] {
    const target = this.tableName(operation.table, operation.schema);
    return [statement(`ALTER TABLE ${target} COMMENT = ${this.dialect.renderLiteral(operation.comment)}`)];
  }

  /** `ALTER TABLE t COMMENT = ''` (MySQL's way of having none). */
  protected override dropTableComment(operation: DropTableCommentOperation): CompiledStatement[] {
    return [statement(`ALTER TABLE ${this.tableName(operation.table, operation.schema)} COMMENT = ''`)];
  }

  /** A literal default, or an expression in parentheses (MySQL 8.0.13+ / MariaDB 10.2+ take expression defaults so). */
  #default(value: NonNullable<AlterColumnOperation["serverDefault"]>): string {
    // A sql`...` expression as its SQL (a portable function as the dialect writes it).
    const text = this.dialect.renderLiteral(value).trim();
    return typeof value === "object" ? defaultExpression(text) : text;
  }

  protected override renderDefault(value: NonNullable<AlterColumnOperation["serverDefault"]>): string {
    return this.#default(value);
  }

  #noDeferrable(options: ReferenceOptions, what: string): void {
    if (options.deferrable === true || options.initially !== undefined) {
      this.unsupported(
        "createForeignKey",
        `${what} is deferrable; ${this.dialect.databaseName} checks constraints at once and has no DEFERRABLE. Remove deferrable and initially`,
      );
    }
  }

  #ifExists(operation: string, form: string): void {
    if (this.dialect.capabilities.ifNotExists) return;
    this.unsupported(
      operation,
      `${form} is not available on ${this.dialect.databaseName} 8 (MariaDB has it); check op.getContext().dialect.capabilities.ifNotExists first`,
    );
  }
}
