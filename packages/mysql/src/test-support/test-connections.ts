import { afterAll, afterEach, beforeAll } from "vitest";
import type { MysqlConnection } from "../mysql-connection.js";
import { MysqlDriver } from "../mysql-driver.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

/** A test file's database and the connections its tests open, closed after each test. */
export interface TestConnections {
  readonly driver: MysqlDriver;
  /** The file's database (created before its tests, dropped after them). */
  readonly database: TestDatabase;
  /** A connection to the file's database, closed after the test. */
  connect(): Promise<MysqlConnection>;
}

/**
 * Registers the hooks of a test file that connects to a database of its
 * own on the real server (`<prefix>_<pid>_<random>`): created before the
 * tests, dropped after them, each test's connections closed after it.
 */
export function useTestConnections(prefix: string): TestConnections {
  const driver = new MysqlDriver();
  const connections: MysqlConnection[] = [];
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(prefix);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    driver,
    get database(): TestDatabase {
      if (database === undefined) throw new Error(`the test database ${prefix} is not created yet`);
      return database;
    },
    async connect() {
      const connection = await driver.connect(this.database.url);
      connections.push(connection);
      return connection;
    },
  };
}
