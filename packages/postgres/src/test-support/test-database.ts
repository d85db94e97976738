import type { DatabaseUrl } from "@retort/core";
import { parseDatabaseUrl } from "@retort/core";
import pg from "pg";

/**
 * The server the tests run against: `RETORT_TEST_POSTGRES_URL`, else the
 * local server. A test that cannot reach it fails; it is never skipped.
 */
export const SERVER_URL = process.env.RETORT_TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

/** A fresh database on the test server; `drop()` removes it (ending its sessions). */
export interface TestDatabase {
  readonly name: string;
  /** The URL text, as a user would write it. */
  readonly urlText: string;
  /** The URL as core parses it, for `driver.connect`. */
  readonly url: DatabaseUrl;
  /** Runs `fn` with a plain pg client on this database, to inspect what the driver did. */
  inspect<T>(fn: (client: pg.Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

/** The server's URL with another database name. */
export function urlFor(database: string, query: Record<string, string> = {}): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

export async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the PostgreSQL test server at ${new URL(connectionString).host}: start it, or point RETORT_TEST_POSTGRES_URL at one`,
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(prefix = "retort_pg"): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withClient(SERVER_URL, (client) => client.query(`CREATE DATABASE "${name}"`));
  const urlText = urlFor(name);
  return {
    name,
    urlText,
    url: parseDatabaseUrl(urlText),
    inspect: (fn) => withClient(urlText, fn),
    drop: async () => {
      await withClient(SERVER_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
