/**
 * @retort/postgres: the PostgreSQL driver for Retort, on pg.
 *
 * The CLI loads it for `postgresql://` and `postgres://` URLs; programs can
 * use it directly:
 *
 * ```ts
 * import { driver } from "@retort/postgres";
 * ```
 */
import { PostgresDriver } from "./postgres-driver.js";

export { PostgresDriver, openClient } from "./postgres-driver.js";
export {
  PostgresDialect,
  postgresCapabilities,
  quotePostgresIdentifier,
  conventionName,
  MAX_IDENTIFIER_BYTES,
} from "./postgres-dialect.js";
export {
  PostgresDdlCompiler,
  POSTGRES_MAX_PARAMETERS,
  type PostgresAlterColumnOptions,
  type PostgresIndexOptions,
} from "./postgres-ddl-compiler.js";
export { PostgresConnection, type PostgresConnectionOptions } from "./postgres-connection.js";
export { PostgresIntrospector, postgresDefault } from "./postgres-introspector.js";
export { comparablePostgresType, postgresColumnType } from "./postgres-type-names.js";
export {
  PostgresLock,
  LOCK_NAMESPACE,
  lockKeys,
  resolvedLockKey,
  findLockHolders,
  describeLockHolder,
  type LockHolder,
  type PostgresLockOptions,
} from "./postgres-lock.js";
export {
  PostgresConnectionError,
  PostgresIdentifierError,
  PostgresUnsupportedOperationError,
  toDatabaseError,
} from "./postgres-errors.js";
export {
  resolvePostgresUrl,
  SSL_MODES,
  type PostgresConnectionConfig,
  type SslMode,
} from "./postgres-url.js";
export { renderPostgresType, serialType, toColumnValue, toPostgresValue } from "./postgres-types.js";

/** The driver object the CLI looks for (`import { driver } from "@retort/postgres"`). */
export const driver: PostgresDriver = new PostgresDriver();
export default driver;
