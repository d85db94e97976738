import type { DialectName, QueryResult } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import type { MigrationContext } from "../runtime/migration-context.js";
import {
  badArgument,
  checkAlterColumnValues,
  checkBooleanOptions,
  checkColumnDefinition,
  checkName,
  checkNameList,
  checkRows,
  checkSqlText,
  checkText,
  describeValue,
} from "../schema/check-arguments.js";
import { checkOptions } from "../schema/check-options.js";
import { type SqlExpression, sql } from "../schema/sql-expression.js";
import type { ColumnDefinition, TableElement } from "../schema/table-elements.js";
import { splitTableElements, type TableDefinition, type TableOptions } from "../schema/table.js";
import { BatchOperations } from "./batch-operations.js";
import type { ExcludeElement, Operation } from "./operation.js";
import {
  ADD_COLUMN_OPTIONS,
  type AddColumnOptions,
  ALTER_COLUMN_OPTIONS,
  type AlterColumnOptions,
  BATCH_ALTER_TABLE_OPTIONS,
  type BatchAlterTableOptions,
  BULK_INSERT_OPTIONS,
  type BulkInsertOptions,
  CREATE_CHECK_CONSTRAINT_OPTIONS,
  CREATE_EXCLUDE_CONSTRAINT_OPTIONS,
  CREATE_INDEX_OPTIONS,
  CREATE_PRIMARY_KEY_OPTIONS,
  CREATE_SCHEMA_OPTIONS,
  CREATE_TABLE_COMMENT_OPTIONS,
  CREATE_UNIQUE_CONSTRAINT_OPTIONS,
  type CreateCheckConstraintOptions,
  type CreateExcludeConstraintOptions,
  type CreateIndexOptions,
  type CreatePrimaryKeyOptions,
  type CreateSchemaOptions,
  type CreateTableCommentOptions,
  type CreateUniqueConstraintOptions,
  DROP_COLUMN_OPTIONS,
  DROP_CONSTRAINT_OPTIONS,
  DROP_INDEX_OPTIONS,
  DROP_SCHEMA_OPTIONS,
  DROP_TABLE_COMMENT_OPTIONS,
  DROP_TABLE_OPTIONS,
  type DropColumnOptions,
  type DropConstraintOptions,
  type DropIndexOptions,
  type DropSchemaOptions,
  type DropTableCommentOptions,
  type DropTableOptions,
  EXCLUDE_ELEMENT_KEYS,
  FOREIGN_KEY_OPTIONS,
  type ForeignKeyOptions,
  NAMING_CONVENTION_KEYS,
  RENAME_TABLE_OPTIONS,
  type RenameTableOptions,
  withDialectOptions,
} from "./operation-options.js";

export type { AlterColumnOptions, ForeignKeyOptions } from "./operation-options.js";

/** Where `op` sends the operations it builds: the online runner or the offline emitter. */
export interface OperationSink {
  run(operation: Operation): Promise<void>;
  /**
   * Watches work a method does before it reaches `run` (a batch block), so
   * that a migration that does not await it fails like one that does not
   * await `run`. Optional.
   */
  track?(description: string, work: Promise<void>): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<QueryResult<Row>>;
  readonly context: MigrationContext;
}

/** The connection as a migration sees it through `op.getBind()`. */
export interface Bind {
  readonly dialect: { readonly name: DialectName };
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
}

/** The values of `batchAlterTable`'s `recreate`. */
const RECREATE_VALUES: readonly unknown[] = ["auto", "always", "never"];

/**
 * The `op` object a migration's `upgrade` and `downgrade` receive. Each
 * method builds an operation object and hands it to the run; names follow
 * Alembic's `op.*`, camelCased. Every options object is checked when the
 * method is called: an unknown key (a typo) throws `UnknownOptionError`.
 *
 * ```ts
 * export async function upgrade(op: Operations) {
 *   await op.createTable("account",
 *     column("id", integer(), { primaryKey: true }),
 *     column("name", string(50), { nullable: false }),
 *   );
 * }
 * ```
 */
export class Operations {
  readonly #sink: OperationSink;

  constructor(sink: OperationSink) {
    this.#sink = sink;
  }

  /** Runs an operation object directly (for operations built elsewhere). */
  invoke(operation: Operation): Promise<void> {
    return this.#sink.run(operation);
  }

  /**
   * `CREATE TABLE`: columns, constraints, then an optional `{ schema, comment }`;
   * or a table declared with `table(...)` (the schema module's), alone.
   */
  createTable(name: string | TableDefinition, ...elements: (TableElement | TableOptions)[]): Promise<void> {
    if (typeof name === "object" && name !== null && (name as TableDefinition).kind === "table") {
      if (elements.length > 0) {
        throw new TypeError(
          `op.createTable(table("${name.name}", ...)) takes the declared table alone: its columns and options are in it`,
        );
      }
      return this.invoke({ kind: "createTable", table: name });
    }
    if (typeof name !== "string") {
      throw new TypeError(
        `op.createTable takes a table name and its columns (op.createTable("users", column(...))), or a table(...) declaration; got ${describeValue(name)}`,
      );
    }
    return this.invoke({ kind: "createTable", table: splitTableElements(name, elements, "op.createTable") });
  }

  dropTable(name: string, options: DropTableOptions = {}): Promise<void> {
    checkName(name, "the table name", "op.dropTable", name);
    checkOptions(options, DROP_TABLE_OPTIONS, "op.dropTable", name);
    return this.invoke({ kind: "dropTable", table: name, ...options });
  }

  addColumn(table: string, column: ColumnDefinition, options: AddColumnOptions = {}): Promise<void> {
    checkName(table, "the table name", "op.addColumn", table);
    checkColumnDefinition(column, "op.addColumn", table);
    checkOptions(options, ADD_COLUMN_OPTIONS, "op.addColumn", table);
    return this.invoke({ kind: "addColumn", table, column, ...options });
  }

  /** `CREATE [UNIQUE] INDEX`; columns may be names or ``sql`lower(email)` `` expressions. */
  createIndex(
    name: string,
    table: string,
    columns: string | readonly (string | SqlExpression)[],
    options: CreateIndexOptions = {},
  ): Promise<void> {
    checkName(name, "the index name", "op.createIndex", name);
    checkName(table, "the table name", "op.createIndex", name);
    checkNameList(columns, "columns", "op.createIndex", name, { single: true, expressions: true });
    checkOptions(options, CREATE_INDEX_OPTIONS, "op.createIndex", name);
    checkBooleanOptions(options, ["unique"], "op.createIndex", name);
    const list = typeof columns === "string" ? [columns] : [...columns];
    return this.invoke({ kind: "createIndex", name, table, columns: list, ...withDialectOptions(options) });
  }

  dropIndex(name: string, options: DropIndexOptions = {}): Promise<void> {
    checkName(name, "the index name", "op.dropIndex", name);
    checkOptions(options, DROP_INDEX_OPTIONS, "op.dropIndex", name);
    return this.invoke({ kind: "dropIndex", name, ...options });
  }

  /**
   * Inserts rows. With a `table(...)` definition, values are converted by
   * the declared column types (booleans, dates, JSON).
   */
  bulkInsert(
    table: string | TableDefinition,
    rows: readonly Readonly<Record<string, unknown>>[],
    options: BulkInsertOptions = {},
  ): Promise<void> {
    const tableName: unknown = typeof table === "object" && table !== null ? table.name : table;
    if (typeof table !== "string" && (typeof table !== "object" || table === null || table.kind !== "table")) {
      badArgument("op.bulkInsert", undefined, "the table must be a table name or table(...)", table);
    }
    checkRows(rows, "op.bulkInsert", tableName);
    checkOptions(options, BULK_INSERT_OPTIONS, "op.bulkInsert", tableName);
    return this.invoke({ kind: "bulkInsert", table, rows, ...options });
  }

  /**
   * Runs SQL text, with bound parameters in the dialect's placeholder style
   * (`?` on SQLite and MySQL, `$1` on PostgreSQL).
   */
  execute(statement: string | SqlExpression, parameters: readonly unknown[] = []): Promise<void> {
    checkSqlText(statement, "the statement", "op.execute", undefined);
    const text = typeof statement === "string" ? statement : statement.text;
    if (!Array.isArray(parameters)) {
      // A JavaScript migration (or a cast) can pass an object: named values are not bound by every driver.
      const shown = text.length > 60 ? `${text.slice(0, 60)}...` : text;
      const got = parameters === null ? "null" : typeof parameters;
      throw new TypeError(
        `op.execute(${JSON.stringify(shown)}, ...): the values must be an array, bound in order to the ` +
          `placeholders (? on SQLite and MySQL, $1, $2... on PostgreSQL); got ${got === "object" ? "an object" : got}. ` +
          "Write the values as a list in placeholder order.",
      );
    }
    return this.invoke({ kind: "execute", sql: text, parameters });
  }

  renameTable(table: string, newName: string, options: RenameTableOptions = {}): Promise<void> {
    checkName(table, "the table name", "op.renameTable", table);
    checkName(newName, "the new name", "op.renameTable", table);
    checkOptions(options, RENAME_TABLE_OPTIONS, "op.renameTable", table);
    return this.invoke({ kind: "renameTable", table, newName, ...options });
  }

  dropColumn(table: string, column: string, options: DropColumnOptions = {}): Promise<void> {
    checkName(table, "the table name", "op.dropColumn", table);
    checkName(column, "the column name", "op.dropColumn", table);
    checkOptions(options, DROP_COLUMN_OPTIONS, "op.dropColumn", `${table}.${column}`);
    return this.invoke({ kind: "dropColumn", table, column, ...options });
  }

  /**
   * Changes a column: `nullable`, `type`, `serverDefault` (`null` drops it),
   * `newColumnName`, `comment`, `autoincrement`, with the `existing*`
   * options describing the column as it is (MySQL needs them).
   */
  alterColumn(table: string, column: string, options: AlterColumnOptions): Promise<void> {
    checkName(table, "the table name", "op.alterColumn", table);
    checkName(column, "the column name", "op.alterColumn", table);
    checkOptions(options, ALTER_COLUMN_OPTIONS, "op.alterColumn", `${table}.${column}`);
    checkAlterColumnValues(options, "op.alterColumn", `${table}.${column}`);
    return this.invoke({ kind: "alterColumn", table, column, ...withDialectOptions(options) });
  }

  createUniqueConstraint(
    name: string,
    table: string,
    columns: readonly string[],
    options: CreateUniqueConstraintOptions = {},
  ): Promise<void> {
    checkName(name, "the constraint name", "op.createUniqueConstraint", name);
    checkName(table, "the table name", "op.createUniqueConstraint", name);
    checkNameList(columns, "columns", "op.createUniqueConstraint", name);
    checkOptions(options, CREATE_UNIQUE_CONSTRAINT_OPTIONS, "op.createUniqueConstraint", name);
    return this.invoke({ kind: "createUniqueConstraint", name, table, columns: [...columns], ...options });
  }

  createForeignKey(
    name: string,
    sourceTable: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: ForeignKeyOptions = {},
  ): Promise<void> {
    checkName(name, "the constraint name", "op.createForeignKey", name);
    checkName(sourceTable, "the source table", "op.createForeignKey", name);
    checkName(referentTable, "the referent table", "op.createForeignKey", name);
    checkNameList(localColumns, "localColumns", "op.createForeignKey", name);
    checkNameList(remoteColumns, "remoteColumns", "op.createForeignKey", name);
    checkOptions(options, FOREIGN_KEY_OPTIONS, "op.createForeignKey", name);
    return this.invoke({
      kind: "createForeignKey",
      name,
      sourceTable,
      referentTable,
      localColumns: [...localColumns],
      remoteColumns: [...remoteColumns],
      ...options,
    });
  }

  createCheckConstraint(
    name: string,
    table: string,
    condition: SqlExpression | string,
    options: CreateCheckConstraintOptions = {},
  ): Promise<void> {
    checkName(name, "the constraint name", "op.createCheckConstraint", name);
    checkName(table, "the table name", "op.createCheckConstraint", name);
    checkSqlText(condition, "the condition", "op.createCheckConstraint", name);
    checkOptions(options, CREATE_CHECK_CONSTRAINT_OPTIONS, "op.createCheckConstraint", name);
    return this.invoke({ kind: "createCheckConstraint", name, table, condition, ...options });
  }

  createPrimaryKey(
    name: string,
    table: string,
    columns: readonly string[],
    options: CreatePrimaryKeyOptions = {},
  ): Promise<void> {
    checkName(name, "the constraint name", "op.createPrimaryKey", name);
    checkName(table, "the table name", "op.createPrimaryKey", name);
    checkNameList(columns, "columns", "op.createPrimaryKey", name);
    checkOptions(options, CREATE_PRIMARY_KEY_OPTIONS, "op.createPrimaryKey", name);
    return this.invoke({ kind: "createPrimaryKey", name, table, columns: [...columns], ...options });
  }

  /** PostgreSQL's `EXCLUDE` constraint, e.g. `[{ expression: "room", operator: "=" }, { expression: "during", operator: "&&" }]`. */
  createExcludeConstraint(
    name: string,
    table: string,
    elements: readonly ExcludeElement[],
    options: CreateExcludeConstraintOptions = {},
  ): Promise<void> {
    checkName(name, "the constraint name", "op.createExcludeConstraint", name);
    checkName(table, "the table name", "op.createExcludeConstraint", name);
    if (!Array.isArray(elements)) {
      badArgument(
        "op.createExcludeConstraint",
        name,
        "elements must be an array of { expression, operator }",
        elements,
      );
    }
    checkOptions(options, CREATE_EXCLUDE_CONSTRAINT_OPTIONS, "op.createExcludeConstraint", name);
    for (const element of elements) {
      checkOptions(element, EXCLUDE_ELEMENT_KEYS, "op.createExcludeConstraint", name, "an element");
    }
    return this.invoke({ kind: "createExcludeConstraint", name, table, elements: [...elements], ...options });
  }

  /** Drops a named constraint; `type` (`foreignkey`, `primary`, `unique`, `check`) is needed on MySQL. */
  dropConstraint(name: string, table: string, options: DropConstraintOptions = {}): Promise<void> {
    checkName(name, "the constraint name", "op.dropConstraint", name);
    checkName(table, "the table name", "op.dropConstraint", name);
    checkOptions(options, DROP_CONSTRAINT_OPTIONS, "op.dropConstraint", name);
    return this.invoke({ kind: "dropConstraint", name, table, ...options });
  }

  createTableComment(table: string, comment: string, options: CreateTableCommentOptions = {}): Promise<void> {
    checkName(table, "the table name", "op.createTableComment", table);
    checkText(comment, "the comment", "op.createTableComment", table);
    checkOptions(options, CREATE_TABLE_COMMENT_OPTIONS, "op.createTableComment", table);
    return this.invoke({ kind: "createTableComment", table, comment, ...options });
  }

  dropTableComment(table: string, options: DropTableCommentOptions = {}): Promise<void> {
    checkName(table, "the table name", "op.dropTableComment", table);
    checkOptions(options, DROP_TABLE_COMMENT_OPTIONS, "op.dropTableComment", table);
    return this.invoke({ kind: "dropTableComment", table, ...options });
  }

  /**
   * Alters a table through a batch: the block's operations are recorded and
   * applied together on exit — as plain ALTERs where the database can, or by
   * rebuilding the table (SQLite's move-and-copy), keeping every row.
   *
   * ```ts
   * await op.batchAlterTable("users", {}, async (batch) => {
   *   await batch.alterColumn("email", { nullable: false });
   *   await batch.dropColumn("legacy_flag");
   * });
   * ```
   */
  batchAlterTable(
    table: string,
    options: BatchAlterTableOptions,
    fn: (batch: BatchOperations) => Promise<void> | void,
  ): Promise<void> {
    const work = this.#batchAlterTable(table, options, fn);
    return this.#sink.track?.(`op.batchAlterTable(${JSON.stringify(table)})`, work) ?? work;
  }

  async #batchAlterTable(
    table: string,
    options: BatchAlterTableOptions,
    fn: (batch: BatchOperations) => Promise<void> | void,
  ): Promise<void> {
    checkName(table, "the table name", "op.batchAlterTable", table);
    if (typeof fn !== "function") {
      badArgument("op.batchAlterTable", table, "the block must be a function (async (batch) => { ... })", fn);
    }
    checkOptions(options, BATCH_ALTER_TABLE_OPTIONS, "op.batchAlterTable", table);
    checkOptions(options.namingConvention, NAMING_CONVENTION_KEYS, "op.batchAlterTable", table, "namingConvention");
    // On every database, before the block runs, as Alembic checks them (not only where tables are rebuilt).
    if (options.recreate !== undefined && !RECREATE_VALUES.includes(options.recreate)) {
      throw new CommandError("recreate may be one of 'auto', 'always', or 'never'.", { code: "BATCH_OPTIONS" });
    }
    if (options.partialReordering !== undefined && options.recreate !== "always") {
      throw new CommandError("partialReordering requires recreate: 'always' (as in Alembic)", {
        code: "BATCH_OPTIONS",
      });
    }
    const { schema, ...batchOptions } = options;
    const batch = new BatchOperations(table, schema);
    await fn(batch);
    await this.invoke({
      kind: "batchAlterTable",
      table,
      ...(schema === undefined ? {} : { schema }),
      options: batchOptions,
      steps: batch.steps,
    });
  }

  /**
   * A value written into SQL as a literal of the current dialect (Alembic's
   * `inline_literal`), for statements that must carry values inline, e.g.
   * offline scripts: ``op.execute(sql`UPDATE t SET flag = ${op.inlineLiteral(true)}`)``.
   */
  inlineLiteral(value: unknown): SqlExpression {
    return sql(this.#sink.context.dialect.renderLiteral(value));
  }

  /** `CREATE SCHEMA`; only where the database has schemas (PostgreSQL). */
  createSchema(name: string, options: CreateSchemaOptions = {}): Promise<void> {
    checkName(name, "the schema name", "op.createSchema", name);
    checkOptions(options, CREATE_SCHEMA_OPTIONS, "op.createSchema", name);
    return this.invoke({ kind: "createSchema", name, ...options });
  }

  /** `DROP SCHEMA`; `cascade` drops what it contains too. */
  dropSchema(name: string, options: DropSchemaOptions = {}): Promise<void> {
    checkName(name, "the schema name", "op.dropSchema", name);
    checkOptions(options, DROP_SCHEMA_OPTIONS, "op.dropSchema", name);
    return this.invoke({ kind: "dropSchema", name, ...options });
  }

  getContext(): MigrationContext {
    return this.#sink.context;
  }

  /** The live connection, for reading data in a migration (`op.getBind().query(...)`). */
  getBind(): Bind {
    const sink = this.#sink;
    // Offline (`--sql`) the bind still names its dialect, as Alembic's mock
    // connection does; a query fails with OfflineUnavailableError.
    return {
      dialect: { name: sink.context.dialect.name },
      async query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]> {
        return (await sink.query<Row>(sql, parameters)).rows;
      },
    };
  }
}
