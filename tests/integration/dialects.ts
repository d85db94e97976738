import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Connection, Driver } from "@retort/core";
import { driver as mysqlDriver } from "@retort/mysql";
import { driver as postgresDriver } from "@retort/postgres";
import { driver as sqliteDriver } from "@retort/sqlite";
import mysql from "mysql2/promise";
import pg from "pg";
import {
  runMysqlScript,
  runPsqlScript,
  runSqliteScript,
  type SchemaSnapshot,
  snapshotMysql,
  snapshotPostgres,
  snapshotSqlite,
} from "./support/schema-snapshot.js";

/**
 * A database the scenarios run against. Each test file creates a fresh one
 * and drops it afterwards. A database listed here that cannot be reached
 * fails the run: it is never skipped.
 */
export interface TestDatabase {
  readonly dialect: string;
  readonly url: string;
  drop(): Promise<void>;
}

export interface DialectHarness {
  readonly name: string;
  readonly driver: Driver;
  /**
   * What the lock's `verify()` sends through the run's statement sink
   * before each commit, when the lock is not the transaction itself.
   */
  readonly lockCheck?: RegExp;
  /**
   * The order `SELECT version_num FROM alembic_version` (no ORDER BY)
   * returns rows in: `rowid` (insertion, an UPDATE keeps the place),
   * `heap` (an UPDATE moves the row to the end) or `key` (primary key
   * order, InnoDB's clustered index).
   */
  readonly versionRowOrder: "rowid" | "heap" | "key";
  /** What the database holds, read from its catalog (see `SchemaSnapshot`). */
  snapshot(connection: Connection): Promise<SchemaSnapshot>;
  /** Runs a `--sql` script with the database's own command-line client, stopping at the first error. */
  runScript(url: string, script: string): void;
  create(): Promise<TestDatabase>;
}

export const sqliteHarness: DialectHarness = {
  name: "sqlite",
  driver: sqliteDriver,
  versionRowOrder: "rowid",
  snapshot: snapshotSqlite,
  runScript: runSqliteScript,
  async create() {
    const dir = mkdtempSync(path.join(os.tmpdir(), "retort-it-"));
    return {
      dialect: "sqlite",
      url: `sqlite:///${path.join(dir, "test.db")}`,
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

let postgresServer: Promise<string> | undefined;

/**
 * The PostgreSQL server: `RETORT_TEST_POSTGRES_URL` when set (CI points it
 * at the local server), otherwise a container started with Testcontainers.
 */
function postgresServerUrl(): Promise<string> {
  postgresServer ??= (async () => {
    const fromEnvironment = process.env.RETORT_TEST_POSTGRES_URL;
    if (fromEnvironment) return fromEnvironment;
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
    const container = await new PostgreSqlContainer("postgres:16-alpine").start();
    return container.getConnectionUri();
  })();
  return postgresServer;
}

export const postgresHarness: DialectHarness = {
  name: "postgresql",
  driver: postgresDriver,
  lockCheck: /pg_locks/,
  versionRowOrder: "heap",
  snapshot: snapshotPostgres,
  runScript: runPsqlScript,
  async create() {
    const serverUrl = await postgresServerUrl();
    const name = `retort_it_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      dialect: "postgresql",
      url: url.toString(),
      async drop() {
        await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    };
  },
};

async function withAdmin<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the PostgreSQL test server (${new URL(serverUrl).host}); set RETORT_TEST_POSTGRES_URL or make Docker available for Testcontainers`,
      { cause: error },
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

let mysqlServer: Promise<string> | undefined;

/**
 * The MySQL/MariaDB server: `RETORT_TEST_MYSQL_URL` when set (CI points it
 * at the local MariaDB), otherwise a MySQL 8 container started with
 * Testcontainers.
 */
function mysqlServerUrl(): Promise<string> {
  mysqlServer ??= (async () => {
    const fromEnvironment = process.env.RETORT_TEST_MYSQL_URL;
    if (fromEnvironment) return fromEnvironment;
    const { MySqlContainer } = await import("@testcontainers/mysql");
    const container = await new MySqlContainer("mysql:8.4").withRootPassword("retort").start();
    return `mysql://root:retort@${container.getHost()}:${container.getPort()}/test`;
  })();
  return mysqlServer;
}

/**
 * MySQL 8 / MariaDB 10.11+: a database per test file on the server. The
 * driver's static dialect is MySQL 8's (what `--sql` scripts are written
 * for), so the capabilities the scenarios gate on are the ones both share.
 */
export const mysqlHarness: DialectHarness = {
  name: "mysql",
  driver: mysqlDriver,
  lockCheck: /IS_USED_LOCK/,
  versionRowOrder: "key",
  snapshot: snapshotMysql,
  runScript: runMysqlScript,
  async create() {
    const serverUrl = await mysqlServerUrl();
    const name = `retort_it_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await withMysqlAdmin(serverUrl, (session) => session.query(`CREATE DATABASE \`${name}\``));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      dialect: "mysql",
      url: url.toString(),
      async drop() {
        await withMysqlAdmin(serverUrl, (session) => session.query(`DROP DATABASE IF EXISTS \`${name}\``));
      },
    };
  },
};

async function withMysqlAdmin<T>(serverUrl: string, run: (session: mysql.Connection) => Promise<T>): Promise<T> {
  const url = new URL(serverUrl);
  let session: mysql.Connection;
  try {
    session = await mysql.createConnection({
      host: url.hostname,
      port: url.port === "" ? 3306 : Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
  } catch (error) {
    throw new Error(
      `Cannot reach the MySQL test server (${url.host}); set RETORT_TEST_MYSQL_URL or make Docker available for Testcontainers`,
      { cause: error },
    );
  }
  try {
    return await run(session);
  } finally {
    await session.end();
  }
}

/** Every harness `RETORT_TEST_DIALECTS` can name. */
const known: readonly DialectHarness[] = [sqliteHarness, postgresHarness, mysqlHarness];

const all: readonly DialectHarness[] = [sqliteHarness, postgresHarness, mysqlHarness];

/**
 * Every dialect, unless `RETORT_TEST_DIALECTS` (e.g. `sqlite`) narrows the
 * run on purpose while developing; CI leaves it unset.
 */
export const harnesses: readonly DialectHarness[] = selectHarnesses(process.env.RETORT_TEST_DIALECTS);

function selectHarnesses(filter: string | undefined): readonly DialectHarness[] {
  if (!filter) return all;
  const names = filter.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !known.some((harness) => harness.name === name));
  if (unknown.length > 0) throw new Error(`RETORT_TEST_DIALECTS names unknown dialects: ${unknown.join(", ")}`);
  return known.filter((harness) => names.includes(harness.name));
}
