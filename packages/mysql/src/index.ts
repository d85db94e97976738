/**
 * @retort/mysql: the MySQL (8+) and MariaDB (10.11+) driver for Retort, on mysql2.
 *
 * The CLI loads it for `mysql://` and `mariadb://` URLs; programs can use
 * it directly:
 *
 * ```ts
 * import { driver } from "@retort/mysql";
 * ```
 */
import { MysqlDriver } from "./mysql-driver.js";

export { MysqlDriver, openSession, connectionError } from "./mysql-driver.js";
export {
  MysqlDialect,
  mysqlCapabilities,
  mariadbCapabilities,
  quoteMysqlIdentifier,
  conventionName,
  MAX_IDENTIFIER_LENGTH,
  type MysqlFlavor,
  type MysqlDialectOptions,
} from "./mysql-dialect.js";
export { MysqlDdlCompiler, MYSQL_MAX_PARAMETERS } from "./mysql-ddl-compiler.js";
export type { MysqlIndexOptions } from "./mysql-options.js";
export { MysqlConnection, type MysqlConnectionOptions } from "./mysql-connection.js";
export {
  MysqlLock,
  lockName,
  findLockHolder,
  describeLockHolder,
  MAX_LOCK_NAME,
  type LockHolder,
  type MysqlLockOptions,
} from "./mysql-lock.js";
export {
  MysqlConnectionError,
  MysqlIdentifierError,
  MysqlUnsupportedOperationError,
  toDatabaseError,
} from "./mysql-errors.js";
export { resolveMysqlUrl, DEFAULT_PORT, type MysqlConnectionConfig, type MysqlSslConfig } from "./mysql-url.js";
export { MysqlIntrospector } from "./mysql-introspector.js";
export { mysqlColumnType, comparableMysqlType } from "./mysql-type-names.js";
export { mysqlDefault } from "./mysql-defaults.js";
export { renderMysqlType, toColumnValue, toMysqlValue, mysqlDateTime } from "./mysql-types.js";

/** The driver object the CLI looks for (`import { driver } from "@retort/mysql"`). */
export const driver: MysqlDriver = new MysqlDriver();
export default driver;

/** A driver whose `dialect` (for `--sql` scripts) writes MariaDB's SQL. */
export const mariadbDriver: MysqlDriver = new MysqlDriver({ flavor: "mariadb" });
