import {
  type BatchAlterTableOperation,
  ConnectionStatementSink,
  type CopyProgress,
  type LiveReadContext,
  type Operation,
  type RunStatement,
} from "@retort/core";
import { compileRebuild } from "../batch/sqlite-batch-compiler.js";
import type { SqliteConnection } from "../sqlite-connection.js";

export interface RunBatchOptions {
  /** When set, a long copy goes in chunks and each chunk reports here. */
  readonly onProgress?: (progress: CopyProgress) => void;
  readonly chunkSize?: number;
  /** Sees each statement sent (the sink's `onStatement`). */
  readonly onStatement?: (sql: string) => void;
}

/**
 * Sends an operation through the dialect's hooks and a
 * `ConnectionStatementSink`, as the migration runner's operation sink does
 * (`checkOperation`, then `requiresRecreate` / `compileRebuild` for a batch,
 * else `compile`); warnings go to the connection's `onWarning`. Returns the
 * statements it sent.
 */
export async function runOperation(
  connection: SqliteConnection,
  operation: Operation,
  options: RunBatchOptions = {},
): Promise<RunStatement[]> {
  const sink = new ConnectionStatementSink(connection, options.onStatement ? { onStatement: options.onStatement } : {});
  const dialect = connection.dialect;
  const context: LiveReadContext = {
    offline: false,
    read: async <Row>(sql: string, parameters?: readonly unknown[]) =>
      (await sink.query<Row>({ sql, parameters: parameters ?? [] }, { what: "", instead: "" })).rows,
    warn: (message) => connection.onWarning?.(message),
    progress: options.onProgress !== undefined,
  };
  await dialect.checkOperation?.(operation, context);
  let statements: RunStatement[];
  if (operation.kind === "batchAlterTable" && dialect.requiresRecreate?.(operation) === true) {
    statements = await compileRebuild(
      operation as BatchAlterTableOperation,
      dialect,
      context,
      options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize },
    );
  } else if (operation.kind === "batchAlterTable") {
    statements = operation.steps.flatMap((step) => dialect.compile(step));
  } else {
    statements = dialect.compile(operation);
  }
  for (const statement of statements) {
    await sink.execute(statement);
    if (statement.progress !== undefined) options.onProgress?.(statement.progress);
  }
  return statements;
}
