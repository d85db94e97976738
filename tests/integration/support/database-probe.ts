import { type Connection, parseDatabaseUrl } from "@retort/core";
import type { DialectHarness } from "../dialects.js";

/**
 * Looks at a test database the way a user would check it: with plain
 * queries through the dialect's own driver.
 */
export class DatabaseProbe {
  readonly #harness: DialectHarness;
  readonly #url: string;
  readonly #cwd: string;

  constructor(harness: DialectHarness, url: string, cwd: string) {
    this.#harness = harness;
    this.#url = url;
    this.#cwd = cwd;
  }

  async use<T>(fn: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = await this.#harness.driver.connect(parseDatabaseUrl(this.#url), { cwd: this.#cwd });
    try {
      return await fn(connection);
    } finally {
      await connection.close();
    }
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.use(async (connection) => (await connection.query(sql)).rows);
  }

  /** The version table's rows, sorted; none when it does not exist. */
  versionRows(table = "alembic_version"): Promise<string[]> {
    return this.use(async (connection) => {
      if (!(await connection.tableExists(table))) return [];
      const quoted = connection.dialect.quoteIdentifier(table);
      const rows = (await connection.query<{ version_num: string }>(`SELECT version_num FROM ${quoted}`)).rows;
      return rows.map((row) => row.version_num).sort();
    });
  }

  tableExists(name: string): Promise<boolean> {
    return this.use((connection) => connection.tableExists(name));
  }

  /** Which of `names` exist, in the order given. */
  async existingTables(names: readonly string[]): Promise<string[]> {
    return this.use(async (connection) => {
      const found: string[] = [];
      for (const name of names) if (await connection.tableExists(name)) found.push(name);
      return found;
    });
  }
}
