import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { ConnectOptions, DatabaseUrl, Driver, ScratchDatabase } from "@retort/core";
import type pg from "pg";
import { loadPg } from "./load-pg.js";
import { applySessionTimeouts, PostgresConnection } from "./postgres-connection.js";
import { PostgresDialect } from "./postgres-dialect.js";
import {
  describeServerError,
  maskSecrets,
  PostgresConnectionError,
  serverError,
  toDatabaseError,
} from "./postgres-errors.js";
import { type PostgresConnectionConfig, resolvePostgresUrl, type SslMode } from "./postgres-url.js";

/**
 * The PostgreSQL driver: opens `postgresql://` and `postgres://` URLs with
 * pg (`postgresql+psycopg2://` and the like too: the driver part is
 * ignored).
 *
 * ```ts
 * import { driver } from "@retort/postgres";
 * import { parseDatabaseUrl } from "@retort/core/dialect";
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
    // A dialect of the run's own, so its deprecation warnings reach the run once each.
    const dialect =
      options.onWarning === undefined ? this.dialect : new PostgresDialect({ onWarning: options.onWarning });
    return new PostgresConnection(client, dialect, {
      config,
      // The lock's session idles through the whole run: TCP keepalive makes
      // a cut network end it (and the run notice) instead of hanging.
      open: () => openClient(config, { keepAlive: true }),
      ...(backendPid === undefined ? {} : { backendPid }),
    });
  }

  /**
   * A database created for the purpose on `url`'s server
   * (`retort_scratch_<pid>_<random>`), dropped with `drop()`.
   */
  async scratchDatabase(url: DatabaseUrl, options: ConnectOptions = {}): Promise<ScratchDatabase> {
    const name = `retort_scratch_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = await this.connect(url, options);
    const dropDatabase = async () => {
      try {
        await admin.execute(`DROP DATABASE IF EXISTS ${admin.dialect.quoteIdentifier(name)}`);
      } finally {
        await admin.close();
      }
    };
    let connection: PostgresConnection;
    try {
      await admin.execute(`CREATE DATABASE ${admin.dialect.quoteIdentifier(name)}`);
      connection = await this.connect({ ...url, database: name, raw: "" }, options);
    } catch (error) {
      await dropDatabase();
      throw error;
    }
    return {
      connection,
      async drop() {
        try {
          await connection.close();
        } finally {
          await dropDatabase();
        }
      },
    };
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

/** Node's error codes for failures below PostgreSQL's protocol: retrying without SSL would not help. */
const NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOENT",
  "EACCES",
]);

/**
 * Silence before the first TCP keepalive probe on a `keepAlive` session
 * (the operating system's default is often two hours). How many probes
 * and how far apart still follow the operating system's settings.
 */
export const KEEPALIVE_IDLE_MS = 10_000;

/**
 * Opens a `pg.Client` (not a pool: one session, so session settings and
 * advisory locks stay where they were made) and connects it, trying SSL
 * as libpq's `sslmode` says (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS):
 * `prefer` tries SSL then plain, `allow` plain then SSL; Unix sockets never
 * use SSL. Any failure becomes a `PostgresConnectionError` naming
 * `host:port/database`, with the password masked even where pg echoes it.
 *
 * The client gets an `error` listener at once: pg emits `error` when an idle
 * connection drops, and an unheard `error` event would end the process.
 *
 * With `keepAlive`, the socket sends TCP keepalive probes after
 * `KEEPALIVE_IDLE_MS` of silence, so that a session that idles for a long
 * time (the migration lock's) notices a cut network: the socket then fails
 * and pg emits `error`.
 *
 * ```ts
 * const client = await openClient(resolvePostgresUrl(parseDatabaseUrl("postgresql://app@db/app")));
 * ```
 */
export async function openClient(
  config: PostgresConnectionConfig,
  options: { readonly keepAlive?: boolean } = {},
): Promise<pg.Client> {
  const attempts = sslAttempts(config);
  let lastError: unknown;
  for (const [index, ssl] of attempts.entries()) {
    let clientConfig: pg.ClientConfig;
    try {
      clientConfig = clientConfigFor(config, ssl);
      if (options.keepAlive === true) {
        clientConfig.keepAlive = true;
        clientConfig.keepAliveInitialDelayMillis = KEEPALIVE_IDLE_MS;
      }
    } catch (error) {
      if (error instanceof PostgresConnectionError) throw error;
      throw connectionError(config, error);
    }
    const client = new (loadPg().Client)(clientConfig);
    client.on("error", () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      if (index === attempts.length - 1 || !worthRetrying(error)) break;
    }
  }
  throw connectionError(config, lastError);
}

/** The `ssl` option of each attempt, in order. */
export function sslAttempts(config: PostgresConnectionConfig): (false | "encrypt" | "verify-ca" | "verify-full")[] {
  // libpq ignores sslmode on Unix-domain sockets.
  if (config.host.startsWith("/")) return [false];
  const modes: Record<SslMode, (false | "encrypt" | "verify-ca" | "verify-full")[]> = {
    disable: [false],
    allow: [false, "encrypt"],
    prefer: ["encrypt", false],
    // With a root certificate, libpq's `require` verifies the CA like `verify-ca`.
    require: [config.sslFiles.rootCert === undefined ? "encrypt" : "verify-ca"],
    "verify-ca": ["verify-ca"],
    "verify-full": ["verify-full"],
  };
  return modes[config.sslMode];
}

function clientConfigFor(
  config: PostgresConnectionConfig,
  ssl: false | "encrypt" | "verify-ca" | "verify-full",
): pg.ClientConfig {
  return {
    host: config.host,
    port: config.port,
    ...(config.user === undefined ? {} : { user: config.user }),
    ...(config.password === undefined ? {} : { password: config.password }),
    ...(config.database === undefined ? {} : { database: config.database }),
    ...(config.options === undefined ? {} : { options: config.options }),
    ...(config.applicationName === undefined ? {} : { application_name: config.applicationName }),
    ...(config.clientEncoding === undefined ? {} : { client_encoding: config.clientEncoding }),
    ...(config.connectTimeoutMs === undefined ? {} : { connectionTimeoutMillis: config.connectTimeoutMs }),
    ssl: ssl === false ? false : tlsOptions(config, ssl),
  };
}

/**
 * Node TLS options for an sslmode: `encrypt` without verifying the
 * certificate (libpq's `prefer`/`require`), `verify-ca` checks the chain
 * but not the host name, `verify-full` both.
 */
function tlsOptions(
  config: PostgresConnectionConfig,
  mode: "encrypt" | "verify-ca" | "verify-full",
): ConnectionOptions {
  const { rootCert, cert, key } = config.sslFiles;
  const options: ConnectionOptions = {
    rejectUnauthorized: mode !== "encrypt",
    // `system` (libpq 16+): Node's bundled CA list, which is the default.
    ...(rootCert === undefined || rootCert === "system" ? {} : { ca: readSslFile(config, "sslrootcert", rootCert) }),
    ...(cert === undefined ? {} : { cert: readSslFile(config, "sslcert", cert) }),
    ...(key === undefined ? {} : { key: readSslFile(config, "sslkey", key) }),
  };
  if (mode === "verify-ca") options.checkServerIdentity = () => undefined;
  return options;
}

function readSslFile(config: PostgresConnectionConfig, option: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PostgresConnectionError(
      config.target,
      `Cannot connect to PostgreSQL at ${config.target}: the file given as ?${option}= cannot be read (${reason}). Fix the path in the database URL.`,
      option,
      { cause: error },
    );
  }
}

/** A server that refused the first way may take the other; a host that is down will not. */
function worthRetrying(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && NETWORK_ERRORS.has(code)) return false;
  const message = error instanceof Error ? error.message : "";
  return !/timeout/i.test(message);
}

/** Wraps a failure to connect: what failed, where, and what to try. */
export function connectionError(config: PostgresConnectionConfig, error: unknown): PostgresConnectionError {
  const fields = serverError(error);
  const nodeCode = (error as { code?: unknown } | undefined)?.code;
  const reason = fields?.code ?? (typeof nodeCode === "string" ? nodeCode : undefined);
  const text =
    fields === undefined ? (error instanceof Error ? error.message : String(error)) : describeServerError(fields);
  const hint = connectionHint(config, reason, text);
  const message = maskSecrets(
    `Cannot connect to PostgreSQL at ${config.target}: ${text.replace(/\.$/, "")}.${hint === "" ? "" : ` ${hint}`}`,
    config.secrets,
  );
  return new PostgresConnectionError(config.target, message, reason, { cause: error });
}

function connectionHint(config: PostgresConnectionConfig, reason: string | undefined, text: string): string {
  const socket = config.host.startsWith("/");
  switch (reason) {
    case "ECONNREFUSED":
      return socket
        ? `Is the server running locally and accepting connections on the socket in ${config.host}?`
        : `Is the server running on ${config.host} and accepting TCP/IP connections on port ${config.port}? Check the host and port in the database URL.`;
    case "ENOENT":
      return `There is no server socket for port ${config.port} in ${config.host}: is the server running locally, and is that folder its unix_socket_directories?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host name ${config.host} does not resolve: check the host in the database URL.`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${config.host} did not answer: check the host, the port and any firewall between here and the server.`;
    case "3D000":
      return "Create the database (CREATE DATABASE, or createdb) or fix the database name in the URL.";
    case "28P01":
      return "Check the user name and password in the database URL (or PGPASSWORD / ~/.pgpass).";
    case "28000":
      if (/role .* does not exist/i.test(text)) {
        return "Check the user name in the database URL, or create that role on the server.";
      }
      return "The server's pg_hba.conf refuses this user, database, client address or encryption; if the server requires SSL, add ?sslmode=require to the URL.";
    case "53300":
      return "The server has no free connection slots: close idle connections or raise max_connections.";
    case "57P03":
      return "The server is starting up, shutting down or in recovery: try again shortly.";
    default:
      break;
  }
  if (/does not support SSL/i.test(text)) {
    return `The server does not accept SSL connections, and ?sslmode=${config.sslMode} requires SSL: use ?sslmode=prefer or ?sslmode=disable, or enable SSL on the server.`;
  }
  if (/timeout/i.test(text)) {
    return `No answer within connect_timeout (${(config.connectTimeoutMs ?? 0) / 1000} s): check the host and port, or raise ?connect_timeout=.`;
  }
  if (/certificate|self[- ]signed|CERT_|altname/i.test(text) || /CERT|ALTNAME/.test(reason ?? "")) {
    return `The server's certificate could not be verified (sslmode=${config.sslMode}): give its CA with ?sslrootcert=/path/to/ca.pem, or use ?sslmode=require to encrypt without verifying.`;
  }
  return "";
}
