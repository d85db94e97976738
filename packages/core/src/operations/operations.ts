import type { QueryResult } from "../driver/driver.js";
import type { MigrationContext } from "../runtime/migration-context.js";
import type { SqlExpression } from "../schema/sql-expression.js";
import type { ColumnDefinition, TableElement } from "../schema/table-elements.js";
import { splitTableElements, type TableDefinition, type TableOptions } from "../schema/table.js";
import type { Operation } from "./operation.js";

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
    options: { unique?: boolean; where?: SqlExpression | string; schema?: string; ifNotExists?: boolean } = {},
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
