import { isAbsolute, resolve } from "node:path";
import type { ConnectOptions, DatabaseUrl } from "@retort/core";
import { meantOption } from "@retort/core/dialect";
import { CommandError } from "@retort/core/errors";

/** better-sqlite3's default busy timeout, and pysqlite's (`timeout=5.0`). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Where and how to open a SQLite database, read from a `sqlite:` URL. */
export interface SqliteConnectionConfig {
  /** An absolute path, or `:memory:`. */
  readonly filename: string;
  readonly memory: boolean;
  /** How long a statement (and `BEGIN IMMEDIATE`) waits for another connection's lock. */
  readonly busyTimeoutMs: number;
  /** True when the URL's `?timeout=` set it: then it also wins over the lock's timeout. */
  readonly timeoutFromUrl: boolean;
  /** `PRAGMA foreign_keys`: off unless `?foreign_keys=on`, as in SQLAlchemy. */
  readonly foreignKeys: boolean;
}

const supportedOptions = ["timeout", "foreign_keys"];
/** SQLAlchemy/pysqlite options that mean nothing here; accepted so existing URLs keep working. */
const ignoredOptions = ["check_same_thread", "cached_statements"];

/**
 * Reads a `sqlite:` URL in SQLAlchemy's form: `sqlite:///relative.db`
 * (relative to `options.cwd`, else the current folder),
 * `sqlite:////absolute.db`, and `sqlite://` or `sqlite:///:memory:` for an
 * in-memory database. Query options: `timeout` (seconds, as in pysqlite) and
 * `foreign_keys` (`on`/`off`). `timeout`, being the more specific, wins over
 * `options.lockTimeoutMs` (the config's `lock.timeoutMs`).
 */
export function resolveSqliteUrl(url: DatabaseUrl, options: ConnectOptions = {}): SqliteConnectionConfig {
  if (url.scheme !== "sqlite") {
    throw new CommandError(`@retort/sqlite cannot open a "${url.scheme}" URL; it handles sqlite:///path.db URLs`, {
      code: "BAD_URL",
    });
  }
  if (url.host !== undefined || url.username !== undefined || url.port !== undefined) {
    // `sqlite://app.db` has a host and no path: SQLAlchemy refuses it (it opened an in-memory database).
    const shown = `sqlite://${url.host ?? ""}${url.port === undefined ? "" : `:${url.port}`}${url.database === undefined ? "" : `/${url.database}`}`;
    const meant = [url.host, url.database].filter((part) => part !== undefined && part !== "").join("/");
    throw new CommandError(
      `Invalid SQLite URL: ${shown} has a host part (before the third "/"), which a SQLite file has not. ` +
        "Valid SQLite URL forms are: sqlite:///:memory: (or, sqlite://), sqlite:///relative/path/to/file.db, " +
        `sqlite:////absolute/path/to/file.db${meant === "" ? "" : `. Did you mean sqlite:///${meant}?`}`,
      { code: "BAD_URL" },
    );
  }
  for (const key of Object.keys(url.query)) {
    if (!supportedOptions.includes(key) && !ignoredOptions.includes(key)) {
      throw new CommandError(
        `Unknown option "${key}" in the SQLite URL${meantOption(key, supportedOptions)}; supported: ${supportedOptions.map((name) => `?${name}=`).join(", ")}`,
        { code: "BAD_URL" },
      );
    }
  }
  const database = url.database ?? "";
  const memory = database === "" || database === ":memory:";
  const filename = memory
    ? ":memory:"
    : isAbsolute(database)
      ? database
      : resolve(options.cwd ?? process.cwd(), database);
  const urlTimeoutMs = parseTimeout(url.query.timeout);
  return {
    filename,
    memory,
    busyTimeoutMs: urlTimeoutMs ?? options.lockTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    timeoutFromUrl: urlTimeoutMs !== undefined,
    foreignKeys: parseSwitch("foreign_keys", url.query.foreign_keys) ?? false,
  };
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0) {
    throw new CommandError(`?timeout= in the SQLite URL must be a number of seconds; got "${value}"`, {
      code: "BAD_URL",
    });
  }
  return Math.round(seconds * 1000);
}

function parseSwitch(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const normalized = value.trim().toLowerCase();
  if (["on", "true", "1", "yes"].includes(normalized)) return true;
  if (["off", "false", "0", "no"].includes(normalized)) return false;
  throw new CommandError(`?${name}= in the SQLite URL must be on or off; got "${value}"`, { code: "BAD_URL" });
}
