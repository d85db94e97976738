import type { Connection, ExecuteResult, QueryResult } from "../driver/driver.js";
import type { CompiledStatement } from "../operations/operation.js";
import type { RunStatement, StatementSink } from "./statement-sink.js";

/**
 * Runs each statement on a live connection, checking the row counts a
 * statement expects. `onStatement`, when given, sees every statement
 * before it is sent (for tests that compare a run's statements with what
 * the database received, and for tracing).
 */
export class ConnectionStatementSink implements StatementSink {
  readonly offline = false;
  readonly #connection: Connection;
  readonly #onStatement: ((sql: string) => void) | undefined;

  constructor(connection: Connection, options: { onStatement?: (sql: string) => void } = {}) {
    this.#connection = connection;
    this.#onStatement = options.onStatement;
  }

  get dialect() {
    return this.#connection.dialect;
  }

  get inTransaction(): boolean {
    return this.#connection.inTransaction;
  }

  get blocking(): boolean {
    return this.#connection.blocking === true;
  }

  execute(statement: RunStatement): Promise<ExecuteResult> {
    this.#onStatement?.(statement.sql);
    // Most statements have nothing to check: the connection's own promise, one turn sooner.
    if (statement.failure === undefined && statement.expectRows === undefined) {
      return this.#connection.execute(statement.sql, statement.parameters);
    }
    return this.#executeChecked(statement);
  }

  async #executeChecked(statement: RunStatement): Promise<ExecuteResult> {
    let result: ExecuteResult;
    try {
      result = await this.#connection.execute(statement.sql, statement.parameters);
    } catch (error) {
      throw statement.failure === undefined ? error : statement.failure(error);
    }
    const expected = statement.expectRows;
    if (expected !== undefined && result.rowCount !== expected.count) throw expected.mismatch(result.rowCount);
    return result;
  }

  query<Row = Record<string, unknown>>(statement: CompiledStatement): Promise<QueryResult<Row>> {
    this.#onStatement?.(statement.sql);
    return this.#connection.query<Row>(statement.sql, statement.parameters);
  }

  async relationKind(name: string, schema: string | undefined): Promise<"table" | "view" | undefined> {
    const query = this.dialect.relationKindQuery?.(name, schema);
    if (query !== undefined) return (await this.query<{ kind: "table" | "view" }>(query)).rows[0]?.kind;
    const connection = this.#connection;
    if (connection.relationKind !== undefined) return connection.relationKind(name, schema);
    return (await connection.tableExists(name, schema)) ? "table" : undefined;
  }

  begin(): Promise<void> {
    this.#onStatement?.("BEGIN");
    return this.#connection.begin();
  }

  commit(): Promise<void> {
    this.#onStatement?.("COMMIT");
    return this.#connection.commit();
  }

  rollback(): Promise<void> {
    if (this.#connection.inTransaction) this.#onStatement?.("ROLLBACK");
    return this.#connection.rollback();
  }

  comment(): void {}
}
