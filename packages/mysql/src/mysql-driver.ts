import { readFileSync } from "node:fs";
import type { ConnectOptions, DatabaseUrl, Driver, ScratchDatabase } from "@retort/core";
import mysql from "mysql2/promise";
import { MysqlConnection } from "./mysql-connection.js";
import { MysqlDialect, type MysqlFlavor } from "./mysql-dialect.js";
import { hasNoBackslashEscapes } from "./mysql-parameters.js";
import { describeError, maskSecrets, MysqlConnectionError, serverError, toDatabaseError } from "./mysql-errors.js";
import { type MysqlConnectionConfig, resolveMysqlUrl } from "./mysql-url.js";

/**
 * The MySQL and MariaDB driver: opens `mysql://` and `mariadb://` URLs
 * (`mysql+pymysql://`, `mysql+mysqldb://`, `mariadb+mariadbconnector://`
 * too: the driver part is ignored) with mysql2.
 *
 * On connect it reads `VERSION()` and the session's sql_mode, and gives
 * the connection a dialect for the server it found (MariaDB has the IF
 * [NOT] EXISTS forms and drops a check with DROP CONSTRAINT) whose string
 * literals fit the mode (NO_BACKSLASH_ESCAPES: a backslash is not
 * escaped). A `--sql` script has no connection: it is
 * written in MariaDB's SQL for a `mariadb://` URL (`offlineDialect`), else
 * in `driver.dialect`'s, MySQL 8's unless the driver was made with
 * `{ flavor: "mariadb" }`.
 *
 * ```ts
 * import { driver } from "@retort/mysql";
 * const connection = await driver.connect(parseDatabaseUrl("mysql://app@localhost/app"));
 * ```
 */
export class MysqlDriver implements Driver {
  readonly dialect: MysqlDialect;
  readonly schemes: readonly string[] = ["mysql", "mariadb"];
  #mariadb: MysqlDialect | undefined;

  constructor(options: { readonly flavor?: MysqlFlavor } = {}) {
    this.dialect = new MysqlDialect({ flavor: options.flavor });
  }

  /**
   * MariaDB's dialect for a `mariadb://` URL (`mariadb+mariadbconnector://`
   * too), `dialect` for any other; one whose script sets the URL's
   * `?charset=` when it is not utf8mb4.
   */
  offlineDialect(url: DatabaseUrl): MysqlDialect {
    const flavor = url.scheme === "mariadb" ? "mariadb" : this.dialect.flavor;
    const charset = url.query.charset === undefined || url.query.charset === "" ? "utf8mb4" : url.query.charset;
    if (charset !== "utf8mb4") return new MysqlDialect({ flavor, charset });
    if (flavor === this.dialect.flavor) return this.dialect;
    this.#mariadb ??= new MysqlDialect({ flavor: "mariadb" });
    return this.#mariadb;
  }

  async connect(url: DatabaseUrl, options: ConnectOptions = {}): Promise<MysqlConnection> {
    const config = resolveMysqlUrl(url, options);
    const session = await openSession(config);
    let flavor: MysqlFlavor;
    let noBackslashEscapes: boolean;
    const sql = "SELECT VERSION() AS version, @@SESSION.sql_mode AS sql_mode";
    try {
      const [rows] = await session.query(sql);
      const row = (rows as { version: string; sql_mode: unknown }[])[0];
      flavor = /mariadb/i.test(String(row?.version ?? "")) ? "mariadb" : "mysql";
      noBackslashEscapes = hasNoBackslashEscapes(row?.sql_mode);
    } catch (error) {
      await session.end().catch(() => session.destroy());
      throw toDatabaseError(error, sql, config.secrets);
    }
    const dialect =
      flavor === this.dialect.flavor && options.onWarning === undefined && !noBackslashEscapes
        ? this.dialect
        : new MysqlDialect({ flavor, onWarning: options.onWarning, backslashEscapes: !noBackslashEscapes });
    return new MysqlConnection(session, dialect, { config, open: () => openSession(config), noBackslashEscapes });
  }

  /** A database created for the purpose on `url`'s server (`retort_scratch_<pid>_<random>`), dropped with `drop()`. */
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
    let connection: MysqlConnection;
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

/**
 * Opens one mysql2 session (not a pool: session state and user locks stay
 * where they were made), with TCP keepalive, UTC for dates, and the
 * `error` event heard at once (an unheard one would end the process). A
 * failure becomes a `MysqlConnectionError` naming `host:port/database`,
 * with the password masked.
 */
export async function openSession(config: MysqlConnectionConfig): Promise<mysql.Connection> {
  let options: mysql.ConnectionOptions;
  try {
    options = {
      host: config.host,
      port: config.port,
      ...(config.socketPath === undefined ? {} : { socketPath: config.socketPath }),
      ...(config.user === undefined ? {} : { user: config.user }),
      ...(config.password === undefined ? {} : { password: config.password }),
      database: config.database,
      charset: config.charset,
      timezone: "Z",
      dateStrings: false,
      supportBigNumbers: true,
      bigNumberStrings: false,
      multipleStatements: true,
      enableKeepAlive: true,
      keepAliveInitialDelay: 10_000,
      ...(config.connectTimeoutMs === undefined ? {} : { connectTimeout: config.connectTimeoutMs }),
      ...(config.ssl === undefined ? {} : { ssl: tlsOptions(config) }),
    };
  } catch (error) {
    if (error instanceof MysqlConnectionError) throw error;
    throw connectionError(config, error);
  }
  try {
    const session = await mysql.createConnection(options);
    session.on("error", () => undefined);
    return session;
  } catch (error) {
    throw connectionError(config, error);
  }
}

function tlsOptions(config: MysqlConnectionConfig): mysql.SslOptions {
  const ssl = config.ssl as NonNullable<MysqlConnectionConfig["ssl"]>;
  return {
    rejectUnauthorized: ssl.verifyCert,
    ...(ssl.ca === undefined ? {} : { ca: readSslFile(config, "ssl_ca", ssl.ca) }),
    ...(ssl.cert === undefined ? {} : { cert: readSslFile(config, "ssl_cert", ssl.cert) }),
    ...(ssl.key === undefined ? {} : { key: readSslFile(config, "ssl_key", ssl.key) }),
    ...(ssl.verifyCert && !ssl.verifyIdentity ? { verifyIdentity: false } : {}),
  };
}

function readSslFile(config: MysqlConnectionConfig, option: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MysqlConnectionError(
      config.target,
      `Cannot connect to MySQL at ${config.target}: the file given as ?${option}= cannot be read (${reason}). Fix the path in the database URL.`,
      option,
      { cause: error },
    );
  }
}

/** Wraps a failure to connect: what failed, where, and what to try. */
export function connectionError(config: MysqlConnectionConfig, error: unknown): MysqlConnectionError {
  const fields = serverError(error);
  const nodeCode = (error as { code?: unknown } | undefined)?.code;
  const reason = fields?.code ?? (typeof nodeCode === "string" ? nodeCode : undefined);
  const text = describeError(error);
  const hint = connectionHint(config, reason);
  const message = maskSecrets(
    `Cannot connect to MySQL at ${config.target}: ${text.replace(/\.$/, "")}.${hint === "" ? "" : ` ${hint}`}`,
    config.secrets,
  );
  return new MysqlConnectionError(config.target, message, reason, { cause: error });
}

function connectionHint(config: MysqlConnectionConfig, reason: string | undefined): string {
  switch (reason) {
    case "ECONNREFUSED":
      return `Is the server running on ${config.host} and accepting TCP/IP connections on port ${config.port}? Check the host and port in the database URL.`;
    case "ENOENT":
      return `There is no server socket at ${config.socketPath ?? "the given path"}: is the server running locally?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host name ${config.host} does not resolve: check the host in the database URL.`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${config.host} did not answer: check the host, the port and any firewall between here and the server.`;
    case "ER_ACCESS_DENIED_ERROR":
    case "ER_DBACCESS_DENIED_ERROR":
      return "Check the user name and password in the database URL, and the user's grants on this database.";
    case "ER_BAD_DB_ERROR":
      return "Create the database (CREATE DATABASE) or fix the database name in the URL.";
    case "HANDSHAKE_NO_SSL_SUPPORT":
      return "The server does not accept TLS connections: remove ?ssl= / ?ssl_mode= from the URL, or enable TLS on the server.";
    default:
      return "";
  }
}
