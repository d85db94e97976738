/**
 * A parsed database URL in SQLAlchemy's form:
 * `dialect[+driver]://user:password@host:port/database?key=value`.
 * `sqlite:///relative.db`, `sqlite:////absolute.db` and `sqlite://` (memory)
 * follow SQLAlchemy's rules.
 */
export interface DatabaseUrl {
  /** The dialect part, lower case: `sqlite`, `postgresql`, `postgres`, `mysql`, `mariadb`. */
  readonly scheme: string;
  /** The part after `+`, e.g. `psycopg2`; informational only. */
  readonly driverName?: string;
  readonly username?: string;
  readonly password?: string;
  readonly host?: string;
  readonly port?: number;
  /** Database name; for SQLite the file path as written (empty: in memory). */
  readonly database?: string;
  readonly query: Readonly<Record<string, string>>;
  /** The URL as given. Never print it: use `maskUrl`. */
  readonly raw: string;
}
