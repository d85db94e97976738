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
export { SqliteDdlCompiler, SQLITE_MAX_VARIABLES } from "./sqlite-ddl-compiler.js";
export { SqliteConnection } from "./sqlite-connection.js";
export { SqliteIntrospector, sqliteColumnType } from "./sqlite-introspector.js";
export { SqliteBatchError } from "./batch/sqlite-batch-types.js";
export type { BatchProgress } from "./batch/sqlite-batch-rebuild.js";
export { SqliteLock } from "./sqlite-lock.js";
export { SqliteOpenError, SqliteUnsupportedOperationError } from "./sqlite-errors.js";
export { resolveSqliteUrl, type SqliteConnectionConfig } from "./sqlite-url.js";
export {
  renderSqliteType,
  toColumnValue,
  toSqliteValue,
  type SqliteQuoter,
  type SqliteValue,
} from "./sqlite-types.js";

/** The driver object the CLI looks for (`import { driver } from "@retort/sqlite"`). */
export const driver: SqliteDriver = new SqliteDriver();
export default driver;
