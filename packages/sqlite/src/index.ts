/**
 * @retort/sqlite: the SQLite driver for Retort, on better-sqlite3.
 *
 * The CLI loads it for `sqlite:` URLs; programs can use it directly:
 *
 * ```ts
 * import { driver } from "@retort/sqlite";
 * ```
 */
import { SqliteDriver } from "./sqlite-driver.js";

export { SqliteDriver } from "./sqlite-driver.js";
export { SqliteDialect, sqliteCapabilities } from "./sqlite-dialect.js";
export { SqliteDdlCompiler } from "./sqlite-ddl-compiler.js";
export { SqliteTableCompiler, type SqliteQuoter } from "./sqlite-table-compiler.js";
export { compileBulkInsert, SQLITE_MAX_VARIABLES } from "./sqlite-bulk-insert.js";
export { SqliteConnection } from "./sqlite-connection.js";
export { SqliteAlterCompiler } from "./sqlite-alter-compiler.js";
export { SqliteBatchError } from "./batch/sqlite-batch-types.js";
export type { BatchProgress } from "./batch/sqlite-batch-rebuild.js";
export { SqliteLock } from "./sqlite-lock.js";
export { SqliteOpenError, SqliteUnsupportedOperationError } from "./sqlite-errors.js";
export { resolveSqliteUrl, type SqliteConnectionConfig } from "./sqlite-url.js";
export { renderSqliteType } from "./sqlite-types.js";
export { toColumnValue, toSqliteValue, type SqliteValue } from "./sqlite-values.js";

/** The driver object the CLI looks for (`import { driver } from "@retort/sqlite"`). */
export const driver: SqliteDriver = new SqliteDriver();
export default driver;
