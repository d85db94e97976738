import { column, type Dialect, type Operation, parseDatabaseUrl, sql, string, table } from "@retort/core";
import type { DialectHarness } from "../dialects.js";

/**
 * What the server's own dialect (the connection's: MariaDB or MySQL 8 by
 * version, for instance) compiles: scenarios leave out what it refuses
 * rather than name dialects.
 */
export interface DialectFeatures {
  /** `string()` without a length (MySQL needs one). */
  readonly unboundedString: boolean;
  /** Partial indexes (`where`; none on MySQL). */
  readonly partialIndex: boolean;
  /** Indexes on expressions (none on MariaDB). */
  readonly expressionIndex: boolean;
}

/** Whether the dialect compiles the operation (it refuses what the database cannot do). */
function compiles(dialect: Dialect, operation: Operation): boolean {
  try {
    dialect.compile(operation);
    return true;
  } catch {
    return false;
  }
}

/** Asks the dialect of a connection to `url` what it compiles. */
export async function dialectFeatures(harness: DialectHarness, url: string, cwd: string): Promise<DialectFeatures> {
  const connection = await harness.driver.connect(parseDatabaseUrl(url), { cwd });
  try {
    const dialect = connection.dialect;
    return {
      unboundedString: compiles(dialect, { kind: "createTable", table: table("t", column("c", string())) }),
      partialIndex: compiles(dialect, { kind: "createIndex", name: "ix", table: "t", columns: ["c"], where: sql`c` }),
      expressionIndex: compiles(dialect, { kind: "createIndex", name: "ix", table: "t", columns: [sql`lower(c)`] }),
    };
  } finally {
    await connection.close();
  }
}
