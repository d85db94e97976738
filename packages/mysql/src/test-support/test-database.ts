import type { DatabaseUrl } from "@retort/core";
import { parseDatabaseUrl } from "@retort/core";
import mysql from "mysql2/promise";

/**
 * The server the tests run against: `RETORT_TEST_MYSQL_URL`, else the
 * local server. A test that cannot reach it fails; it is never skipped.
 */
export const SERVER_URL = process.env.RETORT_TEST_MYSQL_URL || "mysql://root@127.0.0.1:3306/test";

export interface TestDatabase {
  readonly name: string;
  readonly urlText: string;
  readonly url: DatabaseUrl;
  drop(): Promise<void>;
}

/** A fresh database on the test server (`<prefix>_<pid>_<random>`); `drop()` removes it. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin((session) => session.query(`CREATE DATABASE \`${name}\``));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    name,
    urlText: url.toString(),
    url: parseDatabaseUrl(url.toString()),
    drop: () => admin((session) => session.query(`DROP DATABASE IF EXISTS \`${name}\``)).then(() => undefined),
  };
}

/** Runs `fn` on a plain mysql2 session to the test server (no database selected). */
export async function admin<T>(fn: (session: mysql.Connection) => Promise<T>): Promise<T> {
  const url = new URL(SERVER_URL);
  const session = await mysql.createConnection({
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    return await fn(session);
  } finally {
    await session.end();
  }
}
