import { BadUrlError, NoDatabaseUrlError } from "./config-errors.js";
import type { DatabaseUrl } from "./database-url.js";

/**
 * SQLAlchemy's URL grammar (`sqlalchemy/engine/url.py`, `_parse_url`), so
 * that settings written for Alembic parse the same way here. The password
 * stops at the first `@`: an `@` inside a password must be written `%40`.
 */
const URL_PATTERN =
  /^(?<name>[\w+]+):\/\/(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?(?:(?:\[(?<ipv6host>[^/?]+)\]|(?<ipv4host>[^/:?]+))?(?::(?<port>[^/?]*))?)?(?:\/(?<database>[^?]*))?(?:\?(?<query>.*))?$/s;

/** Query keys whose values are secrets too (libpq and mysql2 accept `password` there). */
const SECRET_QUERY_KEY = /pass|pwd|secret|token/i;

const URL_SHAPE =
  "dialect[+driver]://user:password@host:port/database, e.g. postgresql://app@localhost:5432/app or sqlite:///app.db";

/**
 * Parses a database URL in SQLAlchemy's form.
 *
 * - `sqlite:///relative.db` (relative to the current folder),
 *   `sqlite:////abs/path.db`, `sqlite://` and `sqlite:///:memory:` (in memory:
 *   `database` is `undefined` or `":memory:"`, see {@link isInMemorySqlite});
 * - `postgresql://user:pw@host:port/db?sslmode=require`, `postgres://`,
 *   `postgresql+psycopg2://`, `postgresql+asyncpg://`, `mysql://`,
 *   `mysql+pymysql://`, `mariadb://`.
 *
 * User name and password are percent-decoded. An unparseable URL throws a
 * `BadUrlError` whose message never contains the password.
 *
 * ```ts
 * parseDatabaseUrl("postgresql+asyncpg://app:s%40cret@db:5432/app").password; // "s@cret"
 * ```
 */
export function parseDatabaseUrl(raw: string): DatabaseUrl {
  const match = URL_PATTERN.exec(raw.trim());
  if (match?.groups === undefined) {
    throw new BadUrlError(`Could not parse the database URL '${maskUnparsed(raw)}': expected ${URL_SHAPE}`);
  }
  const groups = match.groups;
  const name = groups.name ?? "";
  const plus = name.indexOf("+");
  const scheme = (plus === -1 ? name : name.slice(0, plus)).toLowerCase();
  const driverName = plus === -1 ? undefined : name.slice(plus + 1).toLowerCase();
  const host = groups.ipv6host ?? groups.ipv4host;
  if (host?.includes("@")) {
    throw new BadUrlError(
      `Could not parse the database URL '${maskUnparsed(raw)}': the user name or password contains '@'; write it percent-encoded as %40`,
    );
  }
  let port: number | undefined;
  if (groups.port !== undefined && groups.port !== "") {
    if (!/^\d+$/.test(groups.port) || Number(groups.port) > 65535) {
      throw new BadUrlError(
        `Could not parse the database URL '${maskUnparsed(raw)}': the port must be a number from 0 to 65535`,
      );
    }
    port = Number(groups.port);
  }
  const query: Record<string, string> = {};
  if (groups.query !== undefined && groups.query !== "") {
    for (const [key, value] of new URLSearchParams(groups.query)) query[key] = value;
  }
  return {
    scheme,
    ...(driverName === undefined ? {} : { driverName }),
    ...(groups.username === undefined ? {} : { username: unquote(groups.username) }),
    ...(groups.password === undefined ? {} : { password: unquote(groups.password) }),
    ...(host === undefined ? {} : { host }),
    ...(port === undefined ? {} : { port }),
    ...(groups.database === undefined || groups.database === "" ? {} : { database: groups.database }),
    query,
    raw,
  };
}

/** True for `sqlite://` and `sqlite:///:memory:`, SQLAlchemy's two spellings of an in-memory database. */
export function isInMemorySqlite(url: DatabaseUrl): boolean {
  return (
    url.scheme === "sqlite" &&
    url.host === undefined &&
    url.username === undefined &&
    (url.database === undefined || url.database === ":memory:")
  );
}

/**
 * The URL with its password replaced by `***`, fit to show to a user (as
 * SQLAlchemy's `render_as_string(hide_password=True)`). Query values that
 * look like secrets (`password=`, `token=`) are masked too. A string that
 * does not parse is masked as well as can be, never echoed as is.
 *
 * ```ts
 * maskUrl("postgresql://app:secret@db/app"); // "postgresql://app:***@db/app"
 * ```
 */
export function maskUrl(url: string | DatabaseUrl): string {
  let parsed: DatabaseUrl;
  if (typeof url === "string") {
    try {
      parsed = parseDatabaseUrl(url);
    } catch {
      return maskUnparsed(url);
    }
  } else {
    parsed = url;
  }
  let text = `${parsed.scheme}${parsed.driverName === undefined ? "" : `+${parsed.driverName}`}://`;
  if (parsed.username !== undefined) {
    text += quoteUserInfo(parsed.username);
    if (parsed.password !== undefined) text += ":***";
    text += "@";
  }
  if (parsed.host !== undefined) text += parsed.host.includes(":") ? `[${parsed.host}]` : parsed.host;
  if (parsed.port !== undefined) text += `:${parsed.port}`;
  if (parsed.database !== undefined) text += `/${parsed.database}`;
  const entries = Object.entries(parsed.query);
  if (entries.length > 0) {
    text += `?${entries
      .map(
        ([key, value]) =>
          `${encodeURIComponent(key)}=${SECRET_QUERY_KEY.test(key) ? "***" : encodeURIComponent(value)}`,
      )
      .join("&")}`;
  }
  return text;
}

/** Where a database URL can come from, strongest first. */
export interface DatabaseUrlSources {
  /** `--url`. */
  readonly cliUrl?: string | undefined;
  /** The environment; its `DATABASE_URL` is used. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The config's `url`. */
  readonly configUrl?: string | undefined;
  /** The config file, named by the message when no URL is given (default `retort.config.ts`). */
  readonly configFile?: string | undefined;
}

/**
 * Picks the database URL: `--url`, then `DATABASE_URL`, then the config's
 * `url` (empty strings count as unset). Throws `NoDatabaseUrlError` naming
 * the three ways when none is given.
 */
export function resolveDatabaseUrl(sources: DatabaseUrlSources): string {
  return databaseUrlSource(sources).url;
}

/** `resolveDatabaseUrl`, with where the URL came from, in words for a message (`--url`, `DATABASE_URL`…). */
export function databaseUrlSource(sources: DatabaseUrlSources): { readonly url: string; readonly source: string } {
  const candidates: [string | undefined, string][] = [
    [sources.cliUrl, "--url"],
    [sources.env?.DATABASE_URL, "the DATABASE_URL environment variable (or a .env file)"],
    [sources.configUrl, "the config's url"],
  ];
  for (const [candidate, source] of candidates) {
    if (candidate !== undefined && candidate.trim() !== "") return { url: candidate.trim(), source };
  }
  throw new NoDatabaseUrlError(
    `No database URL given: pass --url URL, set the DATABASE_URL environment variable (a .env file in the current folder is read too), or set url in ${sources.configFile ?? "retort.config.ts"}`,
  );
}

/**
 * Masks what could be a password in a string that is not a valid URL: the
 * user-info part after `://`. Without `://` nothing of it is shown, since
 * the whole value might be a secret pasted into the wrong variable.
 */
function maskUnparsed(raw: string): string {
  const trimmed = raw.trim();
  const schemeEnd = trimmed.indexOf("://");
  if (schemeEnd === -1) return "<not shown: no '://' in it>";
  const scheme = trimmed.slice(0, schemeEnd);
  let rest = trimmed.slice(schemeEnd + 3);
  const at = rest.lastIndexOf("@");
  if (at !== -1) rest = `***@${rest.slice(at + 1)}`;
  return `${scheme}://${rest}`;
}

/** Python's lenient `unquote`: a malformed escape stays as written. */
function unquote(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** SQLAlchemy quotes user names with `quote(name, safe=" +")`. */
function quoteUserInfo(text: string): string {
  return encodeURIComponent(text).replaceAll("%20", " ").replaceAll("%2B", "+");
}
