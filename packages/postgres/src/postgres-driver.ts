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
    const { client, backendPid } = await openSession(config);
    return new PostgresConnection(client, this.dialect, {
      config,
      // The lock's session idles through the whole run: TCP keepalive makes
      // a cut network end it (and the run notice) instead of hanging.
      open: () => openClient(config, { keepAlive: true }),
      ...(backendPid === undefined ? {} : { backendPid }),
    });
  }
}

/** Connects, applies the session timeouts and reads the backend pid; closes the client if that fails. */
async function openSession(
  config: PostgresConnectionConfig,
): Promise<{ client: pg.Client; backendPid: number | undefined }> {
  const client = await openClient(config);
  let sql = "SET lock_timeout / statement_timeout";
  try {
    await applySessionTimeouts(client, config.sessionTimeouts);
    sql = "SELECT pg_backend_pid() AS pid";
    const { rows } = await client.query<{ pid: number }>(sql);
    return { client, backendPid: rows[0]?.pid };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toDatabaseError(error, sql, { secrets: config.secrets });
  }
}
