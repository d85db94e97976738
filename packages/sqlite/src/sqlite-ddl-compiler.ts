import type {
  AddColumnOperation,
  CompiledStatement,
  CreateIndexOperation,
  DropIndexOperation,
  DropTableOperation,
  Operation,
} from "@retort/core";
import { parseReference } from "@retort/core";
import { SqliteAlterCompiler } from "./sqlite-alter-compiler.js";
import { compileBulkInsert } from "./sqlite-bulk-insert.js";
import { SqliteUnsupportedOperationError } from "./sqlite-errors.js";
import { type SqliteQuoter, SqliteTableCompiler } from "./sqlite-table-compiler.js";
import { assertNever, isConstantDefault, isNullDefault } from "./sqlite-types.js";

/**
 * Compiles operation objects to SQLite statements. The same output serves
 * online runs and `--sql` scripts. An operation SQLite cannot do in place
 * throws `SqliteUnsupportedOperationError` naming the way out (batch mode);
 * it never returns empty SQL.
 *
 * ```ts
 * const compiler = new SqliteDdlCompiler(new SqliteDialect());
 * compiler.compile({ kind: "dropTable", table: "users", ifExists: true });
 * // [{ sql: 'DROP TABLE IF EXISTS "users"', parameters: [] }]
 * ```
 */
export class SqliteDdlCompiler {
  readonly #quoter: SqliteQuoter;
  readonly #tables: SqliteTableCompiler;
  readonly #alters: SqliteAlterCompiler;

  constructor(quoter: SqliteQuoter) {
    this.#quoter = quoter;
    this.#tables = new SqliteTableCompiler(quoter);
    this.#alters = new SqliteAlterCompiler(quoter);
  }

  compile(operation: Operation): CompiledStatement[] {
    switch (operation.kind) {
      case "createTable":
        rejectSchema(operation.kind, operation.table.name, operation.table.options.schema);
        return this.#tables.createTable(operation.table, operation.ifNotExists === true);
      case "dropTable":
        return [this.#dropTable(operation)];
      case "addColumn":
        return this.#addColumn(operation);
      case "createIndex":
        this.#alters.rejectPostgresIndexOptions(operation);
        return [this.#createIndex(operation)];
      case "dropIndex":
        return [this.#dropIndex(operation)];
      case "bulkInsert": {
        const table = operation.table;
        const name = typeof table === "string" ? table : table.name;
        rejectSchema(
          operation.kind,
          name,
          operation.schema ?? (typeof table === "string" ? undefined : table.options.schema),
        );
        return compileBulkInsert(operation, this.#quoter);
      }
      case "renameTable":
      case "dropColumn":
      case "alterColumn":
      case "createUniqueConstraint":
      case "createCheckConstraint":
      case "createPrimaryKey":
      case "createExcludeConstraint":
      case "dropConstraint":
      case "createTableComment":
      case "dropTableComment":
        rejectSchema(operation.kind, operation.table, operation.schema);
        return this.#alters.compile(operation);
      case "createForeignKey":
        rejectSchema(operation.kind, operation.sourceTable, operation.sourceSchema ?? operation.referentSchema);
        return this.#alters.compile(operation);
      case "batchAlterTable":
        // Batch mode needs the live table (or copyFrom) and runs through
        // SqliteConnection.applyOperation; compiling it alone would lose steps.
        throw new SqliteUnsupportedOperationError(
          operation.kind,
          `batchAlterTable("${operation.table}") runs on a live SQLite connection (SqliteConnection.applyOperation); ` +
            "it has no standalone SQL. Offline (--sql) batch mode is not supported by the SQLite driver yet.",
        );
      case "execute":
        return [{ sql: operation.sql, parameters: operation.parameters ?? [] }];
      case "createSchema":
      case "dropSchema":
        throw new SqliteUnsupportedOperationError(
          operation.kind,
          `SQLite has no schemas: ${operation.kind}("${operation.name}") cannot run. ` +
            "Skip it on SQLite with a dialect check (op.getContext().dialect.capabilities.schemas).",
        );
      default:
        return assertNever(operation);
    }
  }

  #dropTable(operation: DropTableOperation): CompiledStatement {
    rejectSchema(operation.kind, operation.table, operation.schema);
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return { sql: `DROP TABLE ${ifExists}${this.#quoter.quoteIdentifier(operation.table)}`, parameters: [] };
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
  #addColumn(operation: AddColumnOperation): CompiledStatement[] {
    const { table, column } = operation;
    rejectSchema(operation.kind, table, operation.schema);
    const options = column.options;
    const refuse = (reason: string, alternative = ""): never => {
      throw new SqliteUnsupportedOperationError(
        operation.kind,
        `SQLite cannot add column "${column.name}" to table "${table}" in place: ${reason} ` +
          "(https://sqlite.org/lang_altertable.html#alter_table_add_column). " +
          `${alternative}Use op.batchAlterTable("${table}", {}, async (batch) => { await batch.addColumn(...) }) ` +
          "to rebuild the table with the column.",
      );
    };
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
    if (column.type.kind === "enum") constraints.push(this.#tables.enumCheck(column));
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      constraints.push(this.#tables.references(reference.table, [reference.column], reference));
    }
    const definition = this.#tables.column(column, { notNull: options.nullable === false, constraints });
    return [
      { sql: `ALTER TABLE ${this.#quoter.quoteIdentifier(table)} ADD COLUMN ${definition}`, parameters: [] },
      ...this.#tables.columnIndexes(table, [column], false),
    ];
  }

  #createIndex(operation: CreateIndexOperation): CompiledStatement {
    rejectSchema(operation.kind, operation.table, operation.schema);
    return this.#tables.createIndex(
      operation.table,
      {
        name: operation.name,
        columns: operation.columns,
        ...(operation.unique === undefined ? {} : { unique: operation.unique }),
        ...(operation.where === undefined ? {} : { where: operation.where }),
      },
      operation.ifNotExists === true,
    );
  }

  /** `DROP INDEX [IF EXISTS] "ix"`: SQLite index names are per database, so the table is not needed. */
  #dropIndex(operation: DropIndexOperation): CompiledStatement {
    rejectSchema(operation.kind, operation.table ?? operation.name, operation.schema);
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return { sql: `DROP INDEX ${ifExists}${this.#quoter.quoteIdentifier(operation.name)}`, parameters: [] };
  }
}

/** SQLite has no schemas here (attached databases are out of scope): a schema option is an error, not ignored. */
function rejectSchema(operation: string, table: string, schema: string | undefined): void {
  if (schema === undefined) return;
  throw new SqliteUnsupportedOperationError(
    operation,
    `SQLite has no schemas: ${operation} on "${table}" was given schema "${schema}". ` +
      "Remove the schema option (attached databases are not supported).",
  );
}
