import type mysql from "mysql2/promise";
import { format, type SqlValue } from "sql-escaper";

/**
 * The server status flag of a session whose sql_mode holds
 * NO_BACKSLASH_ESCAPES, sent with every OK packet
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html).
 */
export const SERVER_STATUS_NO_BACKSLASH_ESCAPES = 512;

/** Whether an sql_mode value (`@@SESSION.sql_mode`) holds NO_BACKSLASH_ESCAPES. */
export function hasNoBackslashEscapes(sqlMode: unknown): boolean {
  return typeof sqlMode === "string" && sqlMode.toUpperCase().split(",").includes("NO_BACKSLASH_ESCAPES");
}

/**
 * Runs `sql` with `?` parameters on a mysql2 session. mysql2 writes the
 * values into the text itself, escaping with backslashes, which a session
 * in NO_BACKSLASH_ESCAPES reads otherwise: `it's` becomes `'it\'s'`, a
 * syntax error (or worse, the rest of the value read as SQL), and `a\b`
 * is stored as `a\\b`. For such a session the text is written here, with
 * mysql2's own escaper told the mode (quotes doubled, a backslash kept as
 * it is); otherwise mysql2 writes it as always.
 */
export function queryWithParameters(
  session: mysql.Connection,
  sql: string,
  values: readonly unknown[],
  noBackslashEscapes: boolean,
): ReturnType<mysql.Connection["query"]> {
  if (values.length === 0) return session.query(sql);
  if (!noBackslashEscapes) return session.query(sql, values as mysql.QueryValues);
  // The arguments mysql2's `format` passes (stringifyObjects off, the session's UTC time zone), and the mode.
  return session.query(format(sql, values as SqlValue[], false, "Z", { noBackslashEscapes: true }));
}
