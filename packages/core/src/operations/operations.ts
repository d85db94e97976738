import type { QueryResult } from "../driver/driver.js";
import type { MigrationContext } from "../runtime/migration-context.js";
import type { ColumnType } from "../schema/column-type.js";
import { type SqlExpression, sql } from "../schema/sql-expression.js";
import type { ColumnDefinition, ReferentialAction, TableElement } from "../schema/table-elements.js";
import { splitTableElements, type TableDefinition, type TableOptions } from "../schema/table.js";
import type { BatchOptions } from "./batch-operation.js";
import { BatchOperations } from "./batch-operations.js";
import type { AlterColumnOperation, ConstraintType, ExcludeElement, Operation } from "./operation.js";

/** What `alterColumn` changes; see `AlterColumnOperation`. */
export type AlterColumnOptions = Omit<AlterColumnOperation, "kind" | "table" | "column">;

export interface ForeignKeyOptions {
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: "DEFERRED" | "IMMEDIATE";
  readonly match?: "FULL" | "PARTIAL" | "SIMPLE";
  readonly sourceSchema?: string;
  readonly referentSchema?: string;
}

/** Where `op` sends the operations it builds: the online runner or the offline emitter. */
export interface OperationSink {
  run(operation: Operation): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<QueryResult<Row>>;
  readonly context: MigrationContext;
}

/** The connection as a migration sees it through `op.getBind()`. */
export interface Bind {
  readonly dialect: { readonly name: string };
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
}

/**
 * The `op` object a migration's `upgrade` and `downgrade` receive. Each
 * method builds an operation object and hands it to the run; names follow
 * Alembic's `op.*`, camelCased.
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

  /** `CREATE TABLE`: columns, constraints, then an optional `{ schema, comment }`. */
  createTable(name: string, ...elements: (TableElement | TableOptions)[]): Promise<void> {
    return this.invoke({ kind: "createTable", table: splitTableElements(name, elements) });
  }

  dropTable(name: string, options: { schema?: string; ifExists?: boolean } = {}): Promise<void> {
    return this.invoke({ kind: "dropTable", table: name, ...options });
  }

  addColumn(
    table: string,
    column: ColumnDefinition,
    options: { schema?: string; ifNotExists?: boolean } = {},
  ): Promise<void> {
    return this.invoke({ kind: "addColumn", table, column, ...options });
  }

  /** `CREATE [UNIQUE] INDEX`; columns may be names or ``sql`lower(email)` `` expressions. */
  createIndex(
    name: string,
    table: string,
    columns: string | readonly (string | SqlExpression)[],
    options: {
      unique?: boolean;
      where?: SqlExpression | string;
      schema?: string;
      ifNotExists?: boolean;
      /** PostgreSQL `CONCURRENTLY` (inside `op.getContext().autocommitBlock`). */
      concurrently?: boolean;
      /** PostgreSQL access method, e.g. `gin`. */
      using?: string;
      /** PostgreSQL covering-index columns. */
      include?: readonly string[];
    } = {},
  ): Promise<void> {
    const list = typeof columns === "string" ? [columns] : [...columns];
    return this.invoke({ kind: "createIndex", name, table, columns: list, ...options });
  }

  dropIndex(name: string, options: { table?: string; schema?: string; ifExists?: boolean } = {}): Promise<void> {
    return this.invoke({ kind: "dropIndex", name, ...options });
  }

  /**
   * Inserts rows. With a `table(...)` definition, values are converted by
   * the declared column types (booleans, dates, JSON).
   */
  bulkInsert(
    table: string | TableDefinition,
    rows: readonly Readonly<Record<string, unknown>>[],
    options: { schema?: string } = {},
  ): Promise<void> {
    return this.invoke({ kind: "bulkInsert", table, rows, ...options });
  }

  /**
   * Runs SQL text, with bound parameters in the dialect's placeholder style
   * (`?` on SQLite and MySQL, `$1` on PostgreSQL).
   */
  execute(statement: string | SqlExpression, parameters: readonly unknown[] = []): Promise<void> {
    const text = typeof statement === "string" ? statement : statement.text;
    return this.invoke({ kind: "execute", sql: text, parameters });
  }

  renameTable(table: string, newName: string, options: { schema?: string } = {}): Promise<void> {
    return this.invoke({ kind: "renameTable", table, newName, ...options });
  }

  dropColumn(
    table: string,
    column: string,
    options: { schema?: string; ifExists?: boolean; existingType?: ColumnType } = {},
  ): Promise<void> {
    return this.invoke({ kind: "dropColumn", table, column, ...options });
  }

  /**
   * Changes a column: `nullable`, `type`, `serverDefault` (`null` drops it),
   * `newColumnName`, `comment`, `autoincrement`, with the `existing*`
   * options describing the column as it is (MySQL needs them).
   */
  alterColumn(table: string, column: string, options: AlterColumnOptions & { schema?: string }): Promise<void> {
    return this.invoke({ kind: "alterColumn", table, column, ...options });
  }

  createUniqueConstraint(
    name: string,
    table: string,
    columns: readonly string[],
    options: { schema?: string; deferrable?: boolean; initially?: "DEFERRED" | "IMMEDIATE" } = {},
  ): Promise<void> {
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
    options: { schema?: string } = {},
  ): Promise<void> {
    return this.invoke({ kind: "createCheckConstraint", name, table, condition, ...options });
  }

  createPrimaryKey(name: string, table: string, columns: readonly string[], options: { schema?: string } = {}) {
    return this.invoke({ kind: "createPrimaryKey", name, table, columns: [...columns], ...options });
  }

  /** PostgreSQL's `EXCLUDE` constraint, e.g. `[{ expression: "room", operator: "=" }, { expression: "during", operator: "&&" }]`. */
  createExcludeConstraint(
    name: string,
    table: string,
    elements: readonly ExcludeElement[],
    options: {
      using?: string;
      where?: SqlExpression | string;
      schema?: string;
      deferrable?: boolean;
      initially?: "DEFERRED" | "IMMEDIATE";
    } = {},
  ): Promise<void> {
    return this.invoke({ kind: "createExcludeConstraint", name, table, elements: [...elements], ...options });
  }

  /** Drops a named constraint; `type` (`foreignkey`, `primary`, `unique`, `check`) is needed on MySQL. */
  dropConstraint(
    name: string,
    table: string,
    options: { type?: ConstraintType; schema?: string; ifExists?: boolean } = {},
  ): Promise<void> {
    return this.invoke({ kind: "dropConstraint", name, table, ...options });
  }

  createTableComment(
    table: string,
    comment: string,
    options: { existingComment?: string | null; schema?: string } = {},
  ): Promise<void> {
    return this.invoke({ kind: "createTableComment", table, comment, ...options });
  }

  dropTableComment(table: string, options: { existingComment?: string | null; schema?: string } = {}) {
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
  async batchAlterTable(
    table: string,
    options: BatchOptions & { schema?: string },
    fn: (batch: BatchOperations) => Promise<void> | void,
  ): Promise<void> {
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
  createSchema(name: string, options: { ifNotExists?: boolean } = {}): Promise<void> {
    return this.invoke({ kind: "createSchema", name, ...options });
  }

  /** `DROP SCHEMA`; `cascade` drops what it contains too. */
  dropSchema(name: string, options: { ifExists?: boolean; cascade?: boolean } = {}): Promise<void> {
    return this.invoke({ kind: "dropSchema", name, ...options });
  }

  getContext(): MigrationContext {
    return this.#sink.context;
  }

  /** The live connection, for reading data in a migration (`op.getBind().query(...)`). */
  getBind(): Bind {
    const sink = this.#sink;
    if (sink.context.isOffline) {
      throw new Error("op.getBind() is not available in --sql (offline) mode: there is no database connection");
    }
    return {
      dialect: { name: sink.context.dialect.name },
      async query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]> {
        return (await sink.query<Row>(sql, parameters)).rows;
      },
    };
  }
}
