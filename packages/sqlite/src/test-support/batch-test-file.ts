import type { BatchAlterTableOperation, BatchOptions, BatchStep } from "@retort/core";
import { afterEach } from "vitest";
import type { SqliteConnection } from "../sqlite-connection.js";
import { SqliteDriver } from "../sqlite-driver.js";
import { runOperation } from "./run-batch.js";
import { sqliteUrl, temporaryFolder } from "./temp-database.js";

/** A SQLite file per test: `open` creates it with a schema; it is closed and removed after the test. */
export interface BatchTestFile {
  open(schema: string): Promise<void>;
  readonly connection: SqliteConnection;
  /** Rows of a query on the file. */
  rows(query: string): Promise<Record<string, unknown>[]>;
  /** Runs a batch as the migration runner does: inside begin()/commit(), rolled back on failure. */
  inRun(operation: BatchAlterTableOperation): Promise<void>;
}

export function batchTestFile(): BatchTestFile {
  let folder: ReturnType<typeof temporaryFolder> | undefined;
  let connection: SqliteConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    folder?.remove();
    connection = undefined;
    folder = undefined;
  });
  const opened = (): SqliteConnection => {
    if (connection === undefined) throw new Error("batchTestFile: open() first");
    return connection;
  };
  return {
    async open(schema) {
      folder = temporaryFolder();
      connection = await new SqliteDriver().connect(sqliteUrl(folder.file()));
      await connection.execute(schema);
    },
    get connection() {
      return opened();
    },
    async rows(query) {
      return (await opened().query(query)).rows as Record<string, unknown>[];
    },
    async inRun(operation) {
      const session = opened();
      await session.begin();
      try {
        await runOperation(session, operation);
        await session.commit();
      } catch (error) {
        await session.rollback();
        throw error;
      }
    },
  };
}

/** A batch block on `table` with `steps` (each given the table's name). */
export function batch(
  table: string,
  steps: Omit<BatchStep, "table">[],
  options: BatchOptions = {},
): BatchAlterTableOperation {
  return { kind: "batchAlterTable", table, options, steps: steps.map((step) => ({ ...step, table }) as BatchStep) };
}
