import type { ConnectOptions, DatabaseUrl } from "@retort/core";
import { meantOption } from "@retort/core/dialect";
import { CommandError } from "@retort/core/errors";

/** libpq's `sslmode` values (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION). */
export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** PostgreSQL's default port. */
export const DEFAULT_PORT = 5432;

/** Where and how to connect, read from a `postgresql://` URL. */
export interface PostgresConnectionConfig {
  /** A host name or address, or a Unix-socket folder (starts with `/`). */
  readonly host: string;
  readonly port: number;
  readonly user?: string | undefined;
  /** Absent: pg falls back to PGPASSWORD or ~/.pgpass. */
  readonly password?: string | undefined;
  /** Absent: pg uses PGDATABASE, else the user name. */
  readonly database?: string | undefined;
  /** libpq's `options`: command-line options for the server, e.g. `-c search_path=app`. */
  readonly options?: string | undefined;
  readonly applicationName?: string | undefined;
  readonly clientEncoding?: string | undefined;
  /** `connect_timeout` in milliseconds; absent waits as long as the OS does, as libpq. */
  readonly connectTimeoutMs?: number | undefined;
  readonly sslMode: SslMode;
  /** File paths of `sslrootcert` (or `system`), `sslcert` and `sslkey`. */
  readonly sslFiles: { readonly rootCert?: string; readonly cert?: string; readonly key?: string };
  /** `lock_timeout` / `statement_timeout` set on the session after connecting. */
  readonly sessionTimeouts: { readonly lockTimeoutMs?: number; readonly statementTimeoutMs?: number };
  /** `host:port/database`, fit for messages (no user, no password). */
  readonly target: string;
  /** Texts that must never appear in a message. */
  readonly secrets: readonly string[];
}

/** Query options read from the URL, with what they do. */
const SUPPORTED_OPTIONS: Readonly<Record<string, string>> = {
  sslmode: "disable | allow | prefer (default) | require | verify-ca | verify-full",
  sslrootcert: "CA certificate file (or 'system')",
  sslcert: "client certificate file",
  sslkey: "client key file",
  options: "server options, e.g. -c search_path=app",
  application_name: "the name the session reports in pg_stat_activity",
  connect_timeout: "seconds to wait for the connection",
  host: "host name, or a Unix-socket folder such as /var/run/postgresql",
  client_encoding: "the client's character set",
};

/**
 * Reads a `postgresql://` (or `postgres://`, `postgresql+psycopg2://`, ...)
 * URL as libpq would: user, password (already percent-decoded by core),
 * host (default `localhost`; `?host=/folder` for a Unix socket), port
 * (default 5432), database, and the query options in `SUPPORTED_OPTIONS`.
 * An unknown option is an error naming the supported ones, so a typo in
 * `?sslmode=` is never silently ignored. The `+driver` part is ignored.
 *
 * `sslmode` defaults to `prefer`, libpq's default (so URLs that worked with
 * psycopg2 work here); `application_name` defaults to
 * `options.applicationName`.
 *
 * ```ts
 * resolvePostgresUrl(parseDatabaseUrl("postgresql://app:pw@db/app?sslmode=require")).target; // "db:5432/app"
 * ```
 */
export function resolvePostgresUrl(url: DatabaseUrl, options: ConnectOptions = {}): PostgresConnectionConfig {
  if (url.scheme !== "postgresql" && url.scheme !== "postgres") {
    throw badUrl(`@retort/postgres cannot open a "${url.scheme}" URL; it handles postgresql:// and postgres:// URLs`);
  }
  for (const key of Object.keys(url.query)) {
    if (!(key in SUPPORTED_OPTIONS)) {
      throw badUrl(
        `Unknown option "${key}" in the PostgreSQL URL${meantOption(key, Object.keys(SUPPORTED_OPTIONS))}; supported: ${Object.entries(
          SUPPORTED_OPTIONS,
        )
          .map(([name, meaning]) => `?${name}= (${meaning})`)
          .join(", ")}`,
      );
    }
  }
  const query = url.query;
  const host = nonEmpty(query.host) ?? url.host ?? "localhost";
  const port = url.port ?? DEFAULT_PORT;
  const sslMode = parseSslMode(query.sslmode);
  const applicationName = query.application_name ?? options.applicationName;
  const database = url.database === undefined ? undefined : decodeDatabase(url.database);
  return {
    host,
    port,
    user: url.username,
    password: url.password,
    database,
    options: nonEmpty(query.options),
    applicationName,
    clientEncoding: nonEmpty(query.client_encoding),
    connectTimeoutMs: parseConnectTimeout(query.connect_timeout),
    sslMode,
    sslFiles: {
      ...(nonEmpty(query.sslrootcert) === undefined ? {} : { rootCert: query.sslrootcert as string }),
      ...(nonEmpty(query.sslcert) === undefined ? {} : { cert: query.sslcert as string }),
      ...(nonEmpty(query.sslkey) === undefined ? {} : { key: query.sslkey as string }),
    },
    sessionTimeouts: options.sessionTimeouts ?? {},
    target: `${host.includes(":") && !host.startsWith("/") ? `[${host}]` : host}:${port}/${database ?? url.username ?? ""}`,
    secrets: url.password === undefined || url.password === "" ? [] : [url.password],
  };
}

function parseSslMode(value: string | undefined): SslMode {
  if (value === undefined || value === "") return "prefer";
  if ((SSL_MODES as readonly string[]).includes(value)) return value as SslMode;
  throw badUrl(`?sslmode= in the PostgreSQL URL must be one of ${SSL_MODES.join(", ")}; got "${value}"`);
}

/** libpq's `connect_timeout` is in seconds; 0 means wait forever. */
function parseConnectTimeout(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw badUrl(`?connect_timeout= in the PostgreSQL URL must be a whole number of seconds; got "${value}"`);
  }
  return seconds === 0 ? undefined : seconds * 1000;
}

/** The database part is percent-decoded, as libpq and SQLAlchemy do (`my%20db` is `my db`). */
function decodeDatabase(text: string): string {
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
