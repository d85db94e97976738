import type { ConnectOptions, DatabaseUrl } from "@retort/core";
import { meantOption } from "@retort/core/dialect";
import { CommandError } from "@retort/core/errors";

/** MySQL's default port. */
export const DEFAULT_PORT = 3306;

/** Where and how to connect, read from a `mysql://` or `mariadb://` URL. */
export interface MysqlConnectionConfig {
  readonly host: string;
  readonly port: number;
  /** A Unix socket path (`?unix_socket=`), used instead of host and port. */
  readonly socketPath?: string | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly database: string;
  /** The connection's character set (`?charset=`, default utf8mb4). */
  readonly charset: string;
  /** `connect_timeout` in milliseconds. */
  readonly connectTimeoutMs?: number | undefined;
  /** TLS: undefined for none. */
  readonly ssl?: MysqlSslConfig | undefined;
  /** `host:port/database`, fit for messages (no user, no password). */
  readonly target: string;
  /** Texts that must never appear in a message. */
  readonly secrets: readonly string[];
}

export interface MysqlSslConfig {
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  /** Verify the server's certificate chain. */
  readonly verifyCert: boolean;
  /** Verify the host name too. */
  readonly verifyIdentity: boolean;
}

/** Query options read from the URL (SQLAlchemy's for PyMySQL and mysqlclient), with what they do. */
const SUPPORTED_OPTIONS: Readonly<Record<string, string>> = {
  charset: "the connection's character set, default utf8mb4",
  ssl: "true to connect with TLS (false: without)",
  ssl_mode: "DISABLED | PREFERRED | REQUIRED | VERIFY_CA | VERIFY_IDENTITY",
  ssl_ca: "CA certificate file",
  ssl_cert: "client certificate file",
  ssl_key: "client key file",
  ssl_check_hostname: "true | false: verify the server's host name",
  ssl_verify_cert: "true | false: verify the server's certificate",
  connect_timeout: "seconds to wait for the connection",
  unix_socket: "path of the server's Unix socket",
};

/**
 * Reads a `mysql://`, `mysql+pymysql://`, `mysql+mysqldb://`,
 * `mariadb://` or `mariadb+mariadbconnector://` URL as SQLAlchemy does:
 * user, password (percent-decoded by core), host (default `localhost`),
 * port (default 3306), database (required: migrations need one), and the
 * query options in `SUPPORTED_OPTIONS`. An unknown option is an error
 * naming the supported ones. The `+driver` part is ignored.
 *
 * ```ts
 * resolveMysqlUrl(parseDatabaseUrl("mysql+pymysql://app:pw@db/app?charset=utf8mb4")).target; // "db:3306/app"
 * ```
 */
export function resolveMysqlUrl(url: DatabaseUrl, _options: ConnectOptions = {}): MysqlConnectionConfig {
  if (url.scheme !== "mysql" && url.scheme !== "mariadb") {
    throw badUrl(`@retort/mysql cannot open a "${url.scheme}" URL; it handles mysql:// and mariadb:// URLs`);
  }
  for (const key of Object.keys(url.query)) {
    if (!(key in SUPPORTED_OPTIONS)) {
      throw badUrl(
        `Unknown option "${key}" in the MySQL URL${meantOption(key, Object.keys(SUPPORTED_OPTIONS))}; supported: ${Object.entries(
          SUPPORTED_OPTIONS,
        )
          .map(([name, meaning]) => `?${name}= (${meaning})`)
          .join(", ")}`,
      );
    }
  }
  const query = url.query;
  const host = url.host ?? "localhost";
  const port = url.port ?? DEFAULT_PORT;
  const database = url.database === undefined || url.database === "" ? undefined : decode(url.database);
  if (database === undefined) {
    throw badUrl(
      "The MySQL URL names no database: add it after the host (mysql://user@host:3306/app); Retort keeps its version table there",
    );
  }
  return {
    host,
    port,
    socketPath: nonEmpty(query.unix_socket),
    user: url.username,
    password: url.password,
    database,
    charset: nonEmpty(query.charset) ?? "utf8mb4",
    connectTimeoutMs: parseConnectTimeout(query.connect_timeout),
    ssl: parseSsl(query),
    target: `${host.includes(":") ? `[${host}]` : host}:${port}/${database}`,
    secrets: url.password === undefined || url.password === "" ? [] : [url.password],
  };
}

const SSL_MODES = ["DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"] as const;

function parseSsl(query: Readonly<Record<string, string | undefined>>): MysqlSslConfig | undefined {
  const files = {
    ca: nonEmpty(query.ssl_ca),
    cert: nonEmpty(query.ssl_cert),
    key: nonEmpty(query.ssl_key),
  };
  const anyFile = files.ca !== undefined || files.cert !== undefined || files.key !== undefined;
  let mode: (typeof SSL_MODES)[number] | undefined;
  if (query.ssl_mode !== undefined && query.ssl_mode !== "") {
    const upper = query.ssl_mode.toUpperCase();
    if (!(SSL_MODES as readonly string[]).includes(upper)) {
      throw badUrl(`?ssl_mode= in the MySQL URL must be one of ${SSL_MODES.join(", ")}; got "${query.ssl_mode}"`);
    }
    mode = upper as (typeof SSL_MODES)[number];
  }
  const ssl = parseBoolean(query, "ssl");
  if (mode === "DISABLED" || ssl === false) return undefined;
  if (mode === undefined && ssl === undefined && !anyFile) return undefined;
  // mysql2 has no "try TLS, else plain": PREFERRED encrypts without verifying, like REQUIRED.
  const verifyCert =
    parseBoolean(query, "ssl_verify_cert") ??
    (mode === "VERIFY_CA" || mode === "VERIFY_IDENTITY" || (mode === undefined && files.ca !== undefined));
  const verifyIdentity =
    parseBoolean(query, "ssl_check_hostname") ?? (mode === "VERIFY_IDENTITY" || (mode === undefined && verifyCert));
  return { ...files, verifyCert, verifyIdentity };
}

function parseBoolean(query: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const value = query[name];
  if (value === undefined || value === "") return undefined;
  const lower = value.toLowerCase();
  if (["true", "1", "yes", "on"].includes(lower)) return true;
  if (["false", "0", "no", "off"].includes(lower)) return false;
  throw badUrl(`?${name}= in the MySQL URL must be true or false; got "${value}"`);
}

function parseConnectTimeout(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw badUrl(`?connect_timeout= in the MySQL URL must be a number of seconds above 0; got "${value}"`);
  }
  return Math.round(seconds * 1000);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function badUrl(message: string): CommandError {
  return new CommandError(message, { code: "BAD_URL" });
}
