import type {
  AddColumnOperation,
  AlterColumnOperation,
  BatchAlterTableOperation,
  ColumnDefinition,
  ColumnType,
  CompiledStatement,
  CreateCheckConstraintOperation,
  CreateExcludeConstraintOperation,
  CreateForeignKeyOperation,
  CreateIndexOperation,
  CreatePrimaryKeyOperation,
  CreateTableCommentOperation,
  CreateTableOperation,
  CreateUniqueConstraintOperation,
  DropColumnOperation,
  DropConstraintOperation,
  DropTableCommentOperation,
  ServerDefault,
  TableDefinition,
} from "@retort/core";
import { parseReference } from "@retort/core/dialect";
import {
  type ColumnRenderOptions,
  type CompilerDialect,
  DdlCompilerBase,
  type PrimaryKeySpec,
  type ReferenceOptions,
  statement,
} from "@retort/core/dialect";
import { SqliteUnsupportedOperationError } from "./sqlite-errors.js";
import {
  isConstantDefault,
  isIntegerType,
  isNullDefault,
  renderServerDefault,
  renderSqliteType,
  toColumnValue,
} from "./sqlite-types.js";

/**
 * The most `?` parameters one statement may bind: SQLITE_MAX_VARIABLE_NUMBER
 * defaults to 32766 since SQLite 3.32.0 (https://sqlite.org/limits.html#max_variable_number).
 * A multi-row VALUES has no row limit of its own
 * (https://sqlite.org/lang_select.html#the_values_clause).
 */
export const SQLITE_MAX_VARIABLES = 32766;

/** Alembic's wording, so users searching for it find the same advice. */
const NO_CONSTRAINT_ALTER =
  "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode feature which " +
  "allows for SQLite migrations using a copy-and-move strategy";

/**
 * Compiles operation objects to SQLite statements, on the base compiler's
 * standard SQL. What SQLite writes differently is overridden here: types
 * and defaults, `INTEGER PRIMARY KEY AUTOINCREMENT`, the clause order of a
 * column and a reference. SQLite's ALTER TABLE only renames and adds or
 * drops columns (https://sqlite.org/lang_altertable.html): everything else
 * throws `SqliteUnsupportedOperationError` before the database is touched,
 * naming `op.batchAlterTable(...)` (the copy-and-move procedure of §7).
 * PostgreSQL's options (`{ postgresql: {...} }`) are ignored.
 *
 * ```ts
 * const compiler = new SqliteDdlCompiler(new SqliteDialect());
 * compiler.compile({ kind: "dropTable", table: "users", ifExists: true });
 * // [{ sql: 'DROP TABLE IF EXISTS "users"', parameters: [] }]
 * ```
 */
export class SqliteDdlCompiler extends DdlCompilerBase {
  protected override readonly maxParameters: number;
  /** While a CREATE TABLE is written: its `INTEGER PRIMARY KEY AUTOINCREMENT` column. */
  #autoincrement: { readonly column: string; readonly name: string | undefined } | undefined;

  constructor(dialect: CompilerDialect, options: { readonly maxParameters?: number } = {}) {
    super(dialect);
    this.maxParameters = options.maxParameters ?? SQLITE_MAX_VARIABLES;
  }

  protected override unsupported(operation: string, message: string): never {
    throw new SqliteUnsupportedOperationError(operation, message);
  }

  /** SQLite has no schemas here (attached databases are out of scope): a schema option is an error, not ignored. */
  protected override rejectSchema(operation: string, table: string, schema: string): never {
    return this.unsupported(
      operation,
      `SQLite has no schemas: ${operation} on "${table}" was given schema "${schema}". ` +
        "Remove the schema option (attached databases are not supported).",
    );
  }

  protected override renderType(type: ColumnType): string {
    return renderSqliteType(type);
  }

  protected override renderDefault(value: ServerDefault): string {
    return renderServerDefault(value, (literal) => this.dialect.renderLiteral(literal));
  }

  protected override toColumnValue(value: unknown, type: ColumnType): unknown {
    return toColumnValue(value, type);
  }

  /**
   * CREATE TABLE as the base writes it (https://sqlite.org/lang_createtable.html),
   * with enum CHECKs and without comments (SQLite has no COMMENT; Alembic
   * drops them on SQLite too). An autoincrement column is written
   * `INTEGER PRIMARY KEY AUTOINCREMENT`, the only place SQLite accepts it.
   */
  protected override createTable(operation: CreateTableOperation): CompiledStatement[] {
    const table = operation.table;
    if (table.columns.length === 0) {
      throw new TypeError(
        `createTable("${table.name}") needs at least one column: SQLite has no table without columns`,
      );
    }
    const primaryKey = this.primaryKey(table);
    const column = autoincrementColumn(table, primaryKey);
    this.#autoincrement = column === undefined ? undefined : { column, name: primaryKey.name };
    try {
      return super.createTable(operation);
    } finally {
      this.#autoincrement = undefined;
    }
  }

  protected override primaryKeyClause(primaryKey: PrimaryKeySpec): string[] {
    return this.#autoincrement === undefined ? super.primaryKeyClause(primaryKey) : [];
  }

  protected override columnType(column: ColumnDefinition, options: ColumnRenderOptions): string {
    // Only a column declared exactly INTEGER is an alias of the rowid, which
    // AUTOINCREMENT requires (https://sqlite.org/lang_createtable.html#rowid).
    return this.#autoincrement?.column === column.name ? "INTEGER" : super.columnType(column, options);
  }

  /** `[GENERATED ALWAYS AS (...)] [DEFAULT ...] [NOT NULL | PRIMARY KEY AUTOINCREMENT] [constraints]`. */
  protected override columnClauses(column: ColumnDefinition, options: ColumnRenderOptions): string[] {
    const { computed, serverDefault } = column.options;
    const clauses: string[] = [];
    // Generated columns are VIRTUAL by default, the kind ADD COLUMN accepts
    // (https://sqlite.org/gencol.html).
    if (computed !== undefined) clauses.push(`GENERATED ALWAYS AS (${computed.text})`);
    if (serverDefault !== undefined) clauses.push(`DEFAULT ${this.renderDefault(serverDefault)}`);
    const autoincrement = this.#autoincrement;
    if (autoincrement?.column === column.name) {
      clauses.push(`${this.constraintName(autoincrement.name)}PRIMARY KEY AUTOINCREMENT`);
    } else if (options.notNull) {
      clauses.push("NOT NULL");
    }
    return [...clauses, ...(options.constraints ?? [])];
  }

  /**
   * `REFERENCES "t" ("c") [ON DELETE ..] [ON UPDATE ..] [MATCH ..] [[NOT] DEFERRABLE [INITIALLY ..]]`
   * (https://sqlite.org/syntax/foreign-key-clause.html). SQLite parses MATCH
   * but ignores it; it is kept so the schema reads back as declared.
   */
  protected override references(
    table: string | { readonly name: string; readonly schema?: string | undefined },
    columns: readonly string[],
    options: ReferenceOptions,
  ): string {
    let text = `REFERENCES ${this.referencedTable(table)} (${this.columnList(columns)})`;
    if (options.onDelete !== undefined) text += ` ON DELETE ${options.onDelete}`;
    if (options.onUpdate !== undefined) text += ` ON UPDATE ${options.onUpdate}`;
    if (options.match !== undefined) text += ` MATCH ${options.match}`;
    if (options.deferrable === false) {
      text += " NOT DEFERRABLE";
    } else if (options.deferrable === true || options.initially !== undefined) {
      // INITIALLY needs DEFERRABLE before it in SQLite's grammar.
      text += " DEFERRABLE";
    }
    if (options.initially !== undefined) text += ` INITIALLY ${options.initially}`;
    return text;
  }

  /**
   * `ALTER TABLE "t" ADD COLUMN ...` within SQLite's limits
   * (https://sqlite.org/lang_altertable.html#alter_table_add_column): no
   * PRIMARY KEY or UNIQUE column, no NOT NULL column without a non-NULL
   * default, no CURRENT_* or parenthesized default. Those fail here, before
   * the database is touched, pointing to batch mode. A reference is written
   * inline (`REFERENCES "t" ("c")`), which SQLite accepts when the default
   * is NULL; `index: true` adds a CREATE INDEX.
   */
  protected override addColumn(operation: AddColumnOperation): CompiledStatement[] {
    const { table, column } = operation;
    const options = column.options;
    const refuse = (reason: string, alternative = ""): never =>
      this.unsupported(
        operation.kind,
        `SQLite cannot add column "${column.name}" to table "${table}" in place: ${reason} ` +
          "(https://sqlite.org/lang_altertable.html#alter_table_add_column). " +
          `${alternative}Use op.batchAlterTable("${table}", {}, async (batch) => { await batch.addColumn(...) }) ` +
          "to rebuild the table with the column.",
      );
    if (operation.ifNotExists === true) {
      refuse(
        "SQLite has no ADD COLUMN IF NOT EXISTS",
        `Check for the column first (PRAGMA table_info("${table}")), or drop the ifNotExists option. `,
      );
    }
    if (options.primaryKey === true) refuse("ALTER TABLE ... ADD COLUMN cannot add a PRIMARY KEY column");
    if (options.unique === true) {
      refuse(
        "ALTER TABLE ... ADD COLUMN cannot add a UNIQUE column",
        `Add it without unique and then op.createIndex("uq_${table}_${column.name}", "${table}", ["${column.name}"], { unique: true }), or: `,
      );
    }
    const serverDefault = options.serverDefault;
    if (serverDefault !== undefined && !isConstantDefault(serverDefault)) {
      refuse(
        "a column added with ALTER TABLE cannot have a non-constant default (CURRENT_TIME, CURRENT_DATE, " +
          "CURRENT_TIMESTAMP or an expression in parentheses)",
      );
    }
    // A generated column needs no default; SQLite checks its NOT NULL against the existing rows.
    if (options.nullable === false && options.computed === undefined && isNullDefault(serverDefault)) {
      refuse(
        "a NOT NULL column added with ALTER TABLE needs a non-NULL server default",
        "Give it a serverDefault, or add it nullable, fill it, and make it NOT NULL in batch mode. ",
      );
    }
    const constraints: string[] = [];
    if (column.type.kind === "enum") constraints.push(this.enumCheck(column));
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      constraints.push(this.references(reference.table, [reference.column], reference));
    }
    const definition = this.column(column, {
      notNull: options.nullable === false,
      constraints,
      operation: operation.kind,
      table,
    });
    return [
      statement(`ALTER TABLE ${this.dialect.quoteIdentifier(table)} ADD COLUMN ${definition}`),
      ...this.columnIndexes(table, undefined, [column], false),
    ];
  }

  /**
   * The deprecated top-level PostgreSQL options of CREATE INDEX are refused
   * rather than silently dropped, so a migration does not believe it got a
   * GIN or covering index; the same options in a `{ postgresql: {...} }`
   * block are PostgreSQL's alone and ignored here.
   */
  protected override createIndex(operation: CreateIndexOperation): CompiledStatement[] {
    const features = [
      operation.concurrently === true ? "CONCURRENTLY" : undefined,
      operation.using === undefined ? undefined : `USING ${operation.using}`,
      operation.include === undefined ? undefined : "INCLUDE (...)",
    ].filter((feature): feature is string => feature !== undefined);
    if (features.length > 0) {
      this.unsupported(
        operation.kind,
        `CREATE INDEX ${features.join(", ")} is a PostgreSQL feature; SQLite has none (index "${operation.name}" on ` +
          `"${operation.table}"). Pass it as PostgreSQL's option ({ postgresql: { ... } }), which SQLite ignores, ` +
          `or guard it with a dialect check (op.getContext().dialect.name === "postgresql").`,
      );
    }
    return super.createIndex(operation);
  }

  /**
   * `ALTER TABLE "t" DROP COLUMN "c"` (SQLite 3.35.0+). SQLite itself
   * refuses a PRIMARY KEY, UNIQUE, indexed or referenced column
   * (https://sqlite.org/lang_altertable.html#alter_table_drop_column); the
   * compiler cannot see the table, so that error comes from the database,
   * and the driver's error names batch mode. There is no DROP COLUMN IF
   * EXISTS.
   */
  protected override dropColumn(operation: DropColumnOperation): CompiledStatement[] {
    if (operation.ifExists === true) {
      this.unsupported(
        operation.kind,
        `SQLite has no DROP COLUMN IF EXISTS (column "${operation.column}" of "${operation.table}"). ` +
          `Check for the column first (PRAGMA table_info("${operation.table}")), or drop the ifExists option.`,
      );
    }
    return super.dropColumn(operation);
  }

  /**
   * Only a pure rename runs in place: `ALTER TABLE "t" RENAME COLUMN "a" TO
   * "b"` (3.25.0+), which also rewrites indexes, triggers and views. Type,
   * nullability, default, comment and autoincrement changes need batch mode.
   */
  protected override alterColumn(operation: AlterColumnOperation): CompiledStatement[] {
    const changes = [
      operation.type === undefined ? undefined : "type",
      operation.nullable === undefined ? undefined : "nullability",
      operation.serverDefault === undefined ? undefined : "server default",
      operation.comment === undefined ? undefined : "comment",
      operation.autoincrement === undefined ? undefined : "autoincrement",
    ].filter((change): change is string => change !== undefined);
    if (changes.length > 0) {
      this.unsupported(
        operation.kind,
        `SQLite cannot ALTER COLUMN in place: changing the ${changes.join(", ")} of column "${operation.column}" ` +
          `of "${operation.table}" needs the table rebuilt (https://sqlite.org/lang_altertable.html#otheralter). ` +
          batchHint(operation.table, `batch.alterColumn("${operation.column}", {...})`),
      );
    }
    if (operation.newColumnName === undefined) {
      this.unsupported(operation.kind, `alterColumn("${operation.table}", "${operation.column}") changes nothing`);
    }
    const from = this.dialect.quoteIdentifier(operation.column);
    const to = this.dialect.quoteIdentifier(operation.newColumnName as string);
    return [statement(`ALTER TABLE ${this.dialect.quoteIdentifier(operation.table)} RENAME COLUMN ${from} TO ${to}`)];
  }

  protected override createUniqueConstraint(operation: CreateUniqueConstraintOperation): CompiledStatement[] {
    return this.#noConstraintAlter(operation.kind, operation.name, operation.table);
  }

  protected override createCheckConstraint(operation: CreateCheckConstraintOperation): CompiledStatement[] {
    return this.#noConstraintAlter(operation.kind, operation.name, operation.table);
  }

  protected override createPrimaryKey(operation: CreatePrimaryKeyOperation): CompiledStatement[] {
    return this.#noConstraintAlter(operation.kind, operation.name, operation.table);
  }

  protected override dropConstraint(operation: DropConstraintOperation): CompiledStatement[] {
    return this.#noConstraintAlter(operation.kind, operation.name, operation.table);
  }

  protected override createForeignKey(operation: CreateForeignKeyOperation): CompiledStatement[] {
    return this.unsupported(
      operation.kind,
      `${NO_CONSTRAINT_ALTER} (cannot add foreign key "${operation.name}" on table "${operation.sourceTable}"). ` +
        batchHint(operation.sourceTable, `batch.createForeignKey("${operation.name}", ...)`),
    );
  }

  protected override createExcludeConstraint(operation: CreateExcludeConstraintOperation): CompiledStatement[] {
    return this.unsupported(
      operation.kind,
      `EXCLUDE constraints are a PostgreSQL feature; SQLite has none (constraint "${operation.name}" on ` +
        `"${operation.table}"). Guard the call with a dialect check: ` +
        `if (op.getContext().dialect.name === "postgresql") { ... }`,
    );
  }

  protected override createTableComment(operation: CreateTableCommentOperation): CompiledStatement[] {
    return this.unsupported(operation.kind, this.noComments(operation.table));
  }

  protected override dropTableComment(operation: DropTableCommentOperation): CompiledStatement[] {
    return this.unsupported(operation.kind, this.noComments(operation.table));
  }

  protected override noComments(table: string): string {
    return (
      `Table comments are a PostgreSQL (and MySQL) feature; SQLite has no COMMENT (table "${table}"). ` +
      `Guard the call with a dialect check: if (op.getContext().dialect.name !== "sqlite") { ... }`
    );
  }

  /**
   * A batch is run by the migration runner, which asks the dialect whether
   * the table must be rebuilt (`requiresRecreate`) and compiles the rebuild
   * against the live table or `copyFrom` (`compileRebuild`, in `batch/`);
   * compiling the block alone here would lose that.
   */
  protected override batchAlterTable(operation: BatchAlterTableOperation): CompiledStatement[] {
    return this.unsupported(
      operation.kind,
      `batchAlterTable("${operation.table}") is compiled by the run against the live SQLite table (or copyFrom): ` +
        "SqliteDialect.requiresRecreate and compileRebuild; it has no standalone compile().",
    );
  }

  #noConstraintAlter(kind: string, name: string, table: string): never {
    const verb = kind === "dropConstraint" ? "drop" : "add";
    return this.unsupported(
      kind,
      `${NO_CONSTRAINT_ALTER} (cannot ${verb} constraint "${name}" on table "${table}"). ` +
        batchHint(table, `batch.${kind}("${name}", ...)`),
    );
  }
}

/** The way out: the batch block that does the same change by copy-and-move. */
export function batchHint(table: string, call: string): string {
  return `Use op.batchAlterTable("${table}", {}, async (batch) => { await ${call} }) instead.`;
}

/**
 * The column written `INTEGER PRIMARY KEY AUTOINCREMENT`, if one asks for
 * autoincrement: SQLite allows it only on a table whose primary key is one
 * integer column (https://sqlite.org/autoinc.html).
 */
function autoincrementColumn(table: TableDefinition, primaryKey: PrimaryKeySpec): string | undefined {
  const autoincrement = table.columns.filter((column) => column.options.autoincrement === true);
  const first = autoincrement[0];
  if (first === undefined) return undefined;
  const columns = primaryKey.columns;
  if (autoincrement.length > 1 || columns.length !== 1 || columns[0] !== first.name || !isIntegerType(first.type)) {
    throw new SqliteUnsupportedOperationError(
      "createTable",
      `table "${table.name}": SQLite allows AUTOINCREMENT only on a table whose primary key is one integer column ` +
        `(https://sqlite.org/autoinc.html); column "${first.name}" is not that. Make it the only primary key column ` +
        "with an integer type, or drop autoincrement (an INTEGER primary key gets new ids without it).",
    );
  }
  return first.name;
}
