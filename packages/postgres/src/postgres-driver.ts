import type { ConnectOptions, DatabaseUrl, Driver } from "@retort/core";
import type pg from "pg";
import { openClient } from "./postgres-client.js";
import { applySessionTimeouts, PostgresConnection } from "./postgres-connection.js";
import { PostgresDialect } from "./postgres-dialect.js";
import { toDatabaseError } from "./postgres-errors.js";
import { type PostgresConnectionConfig, resolvePostgresUrl } from "./postgres-url.js";

/**
 * The PostgreSQL driver: opens `postgresql://` and `postgres://` URLs with
 * pg (`postgresql+psycopg2://` and the like too: the driver part is
 * ignored).
 *
 * ```ts
 * import { driver } from "@retort/postgres";
 * import { parseDatabaseUrl } from "@retort/core";
 * const connection = await driver.connect(parseDatabaseUrl("postgresql://app@localhost/app"), {
 *   applicationName: "retort",
 *   sessionTimeouts: { lockTimeoutMs: 5000 },
 * });
 * ```
 *
 * On connect:
 * - SSL as the URL's `sslmode` says (default `prefer`, as libpq);
 * - `application_name` from the URL, else `options.applicationName`;
 * - `SET lock_timeout` / `SET statement_timeout` from
 *   `options.sessionTimeouts` when given (the server's settings otherwise).
 *
 * The migration lock opens a second session with the same settings (see
 * `PostgresLock`).
 */
export class PostgresDriver implements Driver {
  readonly dialect = new PostgresDialect();
  readonly schemes: readonly string[] = ["postgresql", "postgres"];

  async connect(url: DatabaseUrl, options: ConnectOptions = {}): Promise<PostgresConnection> {
    const config = resolvePostgresUrl(url, options);
    const client = await openSession(config);
    return new PostgresConnection(client, this.dialect, { config, open: () => openClient(config) });
  }
}

/** Connects and applies the session timeouts; closes the client if they fail. */
async function openSession(config: PostgresConnectionConfig): Promise<pg.Client> {
  const client = await openClient(config);
  try {
    await applySessionTimeouts(client, config.sessionTimeouts);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toDatabaseError(error, "SET lock_timeout / statement_timeout", { secrets: config.secrets });
  }
  return client;
}
