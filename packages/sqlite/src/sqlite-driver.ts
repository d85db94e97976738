import { statSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { Database, databaseOptions } from "./better-sqlite3.js";
import type { ConnectOptions, DatabaseUrl, Driver, ScratchDatabase } from "@retort/core";
import { LockTimeoutError } from "@retort/core/errors";
import { SqliteConnection } from "./sqlite-connection.js";
import { SqliteDialect } from "./sqlite-dialect.js";
import { isBusyError, SqliteOpenError, sqliteErrorCode } from "./sqlite-errors.js";
import { resolveSqliteUrl, type SqliteConnectionConfig } from "./sqlite-url.js";

/**
 * The SQLite driver: opens `sqlite:` URLs with better-sqlite3.
 *
 * ```ts
 * import { driver } from "@retort/sqlite";
 * const connection = await driver.connect(url, { cwd: process.cwd() });
 * ```
 *
 * On connect:
 * - the parent folder must exist: creating it is not the driver's job, and
 *   a typo in the path should not silently make a new, empty database;
 * - `PRAGMA foreign_keys` is set OFF, as SQLAlchemy (and SQLite's own
 *   default) leaves it, unless the URL says `?foreign_keys=on`.
 *   better-sqlite3 is built with foreign keys ON, so it is set explicitly;
 * - the journal mode is left alone: a file in WAL mode stays in WAL mode.
 */
export class SqliteDriver implements Driver {
  readonly dialect = new SqliteDialect();
  readonly schemes: readonly string[] = ["sqlite"];

  async connect(url: DatabaseUrl, options: ConnectOptions = {}): Promise<SqliteConnection> {
    const config = resolveSqliteUrl(url, options);
    const database = openDatabase(config);
    try {
      database.pragma(`foreign_keys = ${config.foreignKeys ? "ON" : "OFF"}`);
      // Reads the file header now, so a file that is not a database fails
      // here with its path rather than at the first migration.
      database.pragma("schema_version");
    } catch (error) {
      database.close();
      // Reading the header needs a shared lock: a writer holding the file for longer than the busy timeout.
      if (isBusyError(error)) {
        throw new LockTimeoutError(
          `Another process holds ${config.filename} locked for longer than ${config.busyTimeoutMs} ms, so it cannot ` +
            "even be read (SQLITE_BUSY). Another migration run, or an application writing to the database, is " +
            "still in a transaction: wait for it to finish and try again, or raise lock.timeoutMs in the Retort " +
            "config (or ?timeout=<seconds> in the URL).",
          undefined,
          { cause: error },
        );
      }
      throw openError(config.filename, error);
    }
    return new SqliteConnection(database, this.dialect, {
      filename: config.filename,
      busyTimeoutMs: config.busyTimeoutMs,
      timeoutFromUrl: config.timeoutFromUrl,
      onWarning: options.onWarning,
    });
  }

  /** An in-memory database (whatever `url` names), gone when closed. */
  async scratchDatabase(_url: DatabaseUrl, options: ConnectOptions = {}): Promise<ScratchDatabase> {
    const connection = await this.connect({ scheme: "sqlite", query: {}, raw: "sqlite://" }, options);
    return { connection, drop: () => connection.close() };
  }
}

function openDatabase(config: SqliteConnectionConfig): BetterSqlite3.Database {
  if (!config.memory) {
    const folder = dirname(config.filename);
    const folderStat = statSync(folder, { throwIfNoEntry: false });
    if (folderStat === undefined || !folderStat.isDirectory()) {
      throw new SqliteOpenError(
        config.filename,
        `Cannot open SQLite database ${config.filename}: the folder ${folder} does not exist. ` +
          "Create it first, or fix the path in the database URL (sqlite:///relative/path.db or sqlite:////absolute/path.db).",
      );
    }
  }
  try {
    return new Database(config.filename, databaseOptions({ timeout: config.busyTimeoutMs }));
  } catch (error) {
    throw openError(config.filename, error);
  }
}

function openError(filename: string, error: unknown): SqliteOpenError {
  const code = sqliteErrorCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  const hint =
    code === "SQLITE_NOTADB"
      ? " The file exists but is not a SQLite database: check the path in the database URL."
      : code === "SQLITE_CANTOPEN"
        ? " Check that the path is a file (not a folder) and that you may read and write it."
        : "";
  return new SqliteOpenError(
    filename,
    `Cannot open SQLite database ${filename}: ${code === undefined ? "" : `${code}: `}${reason}.${hint}`,
    { cause: error },
  );
}
