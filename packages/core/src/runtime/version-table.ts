import type { Connection } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import type { CreateTableOperation } from "../operations/operation.js";
import { string } from "../schema/column-type.js";
import { column, primaryKey } from "../schema/table-elements.js";
import type { VersionRowChange } from "./head-maintainer.js";

export interface VersionTableOptions {
  /** Default `alembic_version`, so a database Alembic migrated is taken over as it is. */
  readonly name: string;
  readonly schema?: string | undefined;
  /** Default true: `CONSTRAINT <name>_pkc PRIMARY KEY (version_num)`. */
  readonly primaryKey: boolean;
}

/** The `CREATE TABLE` of the version table, as an operation every dialect compiles. */
export function versionTableOperation(options: VersionTableOptions): CreateTableOperation {
  const elements = [column("version_num", string(32), { nullable: false })];
  return {
    kind: "createTable",
    table: {
      kind: "table",
      name: options.name,
      columns: elements,
      constraints: options.primaryKey ? [primaryKey("version_num", { name: `${options.name}_pkc` })] : [],
      indexes: [],
      options: options.schema === undefined ? {} : { schema: options.schema },
    },
  };
}

/**
 * The version table: one row per head, as in Alembic. Core owns what the
 * rows mean; the dialect only quotes and compiles.
 */
export class VersionTable {
  readonly #connection: Connection;
  readonly #options: VersionTableOptions;
  readonly #qualifiedName: string;

  constructor(connection: Connection, options: VersionTableOptions) {
    this.#connection = connection;
    this.#options = options;
    const dialect = connection.dialect;
    const name = dialect.quoteIdentifier(options.name);
    this.#qualifiedName = options.schema === undefined ? name : `${dialect.quoteIdentifier(options.schema)}.${name}`;
  }

  get name(): string {
    return this.#options.schema === undefined ? this.#options.name : `${this.#options.schema}.${this.#options.name}`;
  }

  /**
   * Whether the table exists. Something else of that name (a view) is an
   * error naming the way out: Retort never reads or writes versions
   * through it.
   */
  async exists(): Promise<boolean> {
    const connection = this.#connection;
    if (connection.relationKind === undefined) return connection.tableExists(this.#options.name, this.#options.schema);
    const kind = await connection.relationKind(this.#options.name, this.#options.schema);
    if (kind === "view") {
      throw new CommandError(
        `'${this.name}' is a view, not a table: the version table must be a table with one column version_num. Drop or rename the view, or set versionTable in the config to another name.`,
        { code: "VERSION_TABLE_SHAPE" },
      );
    }
    return kind === "table";
  }

  async create(): Promise<void> {
    for (const statement of this.#connection.dialect.compile(versionTableOperation(this.#options))) {
      await this.#connection.execute(statement.sql, statement.parameters);
    }
  }

  /** Creates the table when it is missing; returns whether it did. */
  async ensure(): Promise<boolean> {
    if (await this.exists()) return false;
    await this.create();
    return true;
  }

  /** The heads recorded in the table; none when the table does not exist. */
  async readHeads(): Promise<string[]> {
    if (!(await this.exists())) return [];
    let rows: { version_num: unknown }[];
    try {
      rows = (await this.#connection.query<{ version_num: unknown }>(`SELECT version_num FROM ${this.#qualifiedName}`))
        .rows;
    } catch (error) {
      throw new CommandError(
        `The table '${this.name}' is not a version table Retort can read: ${error instanceof Error ? error.message : String(error)}. A version table has one column, version_num VARCHAR(32), one row per head (as Alembic's). If this table belongs to the application, set versionTable in the config to another name.`,
        { code: "VERSION_TABLE_SHAPE", cause: error },
      );
    }
    return rows.map((row) => {
      if (typeof row.version_num !== "string") {
        throw new CommandError(
          `revision identifier ${String(row.version_num)} is not a string; ensure database driver settings are correct (the column version_num of '${this.name}' must be VARCHAR(32))`,
          { code: "VERSION_TABLE_SHAPE" },
        );
      }
      return row.version_num;
    });
  }

  async apply(change: VersionRowChange): Promise<void> {
    const connection = this.#connection;
    const p = (index: number) => connection.dialect.placeholder(index);
    switch (change.kind) {
      case "insert":
        await connection.execute(`INSERT INTO ${this.#qualifiedName} (version_num) VALUES (${p(1)})`, [
          change.revision,
        ]);
        return;
      case "update": {
        const result = await connection.execute(
          `UPDATE ${this.#qualifiedName} SET version_num = ${p(1)} WHERE version_num = ${p(2)}`,
          [change.to, change.from],
        );
        if (result.rowCount !== 1) {
          throw new CommandError(
            `Online migration expected to match one row when updating '${change.from}' to '${change.to}' in '${this.name}'; ${result.rowCount} found`,
            { code: "VERSION_TABLE_MISMATCH" },
          );
        }
        return;
      }
      case "delete": {
        const result = await connection.execute(`DELETE FROM ${this.#qualifiedName} WHERE version_num = ${p(1)}`, [
          change.revision,
        ]);
        if (result.rowCount !== 1) {
          throw new CommandError(
            `Online migration expected to match one row when deleting '${change.revision}' in '${this.name}'; ${result.rowCount} found`,
            { code: "VERSION_TABLE_MISMATCH" },
          );
        }
        return;
      }
      default: {
        const unreachable: never = change;
        throw new Error(`unknown version row change ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * Moves the table from the rows `before` to the rows `after` in at most
   * two statements (a one-transaction run writes its rows once, before the
   * commit). The DELETE must match exactly the rows expected, as each of
   * Alembic's row-by-row updates must.
   */
  async replaceRows(before: readonly string[], after: readonly string[]): Promise<void> {
    const connection = this.#connection;
    const p = (index: number) => connection.dialect.placeholder(index);
    const removed = before.filter((head) => !after.includes(head));
    const added = after.filter((head) => !before.includes(head));
    if (removed.length > 0) {
      const list = removed.map((_, index) => p(index + 1)).join(", ");
      const result = await connection.execute(
        `DELETE FROM ${this.#qualifiedName} WHERE version_num IN (${list})`,
        removed,
      );
      if (result.rowCount !== removed.length) {
        throw new CommandError(
          `Online migration expected to match ${removed.length} row(s) when replacing ${removed.join(", ")} with ${added.join(", ") || "nothing"} in '${this.name}'; ${result.rowCount} found`,
          { code: "VERSION_TABLE_MISMATCH" },
        );
      }
    }
    if (added.length > 0) {
      const values = added.map((_, index) => `(${p(index + 1)})`).join(", ");
      await connection.execute(`INSERT INTO ${this.#qualifiedName} (version_num) VALUES ${values}`, added);
    }
  }

  /** `stamp --purge`: removes every row. */
  async purge(): Promise<void> {
    if (await this.exists()) await this.#connection.execute(`DELETE FROM ${this.#qualifiedName}`);
  }
}

/**
 * Checks that every row of the version table names a revision of the
 * scripts. A row left by a deleted migration file blocks every command
 * that reads the table; the message names the way out.
 */
export function assertKnownRevisions(
  graph: { get(id: string): unknown },
  heads: readonly string[],
  table: string,
): void {
  for (const head of heads) {
    if (graph.get(head)) continue;
    throw new CommandError(
      `Can't locate revision identified by '${head}': the version table '${table}' names revision ${head}, which no migration file defines. Restore its file, or if it was removed on purpose, set the table with 'retort stamp --purge <revision>'.`,
      { code: "UNKNOWN_DATABASE_REVISION" },
    );
  }
}

/**
 * Checks that no row of the version table is an ancestor of another (by
 * `downRevision`; a `dependsOn` target may keep a row of its own). Such
 * rows (`a1, b2` where `b2` descends from `a1`) cannot come from a run:
 * they were written by hand or by two tools, and no plan from them is
 * right. The message names both rows and the way out.
 */
export function assertConsistentHeads(
  graph: { isAncestor(ancestor: string, descendant: string, options: { includeDependencies: boolean }): boolean },
  heads: readonly string[],
  table: string,
): void {
  if (heads.length < 2) return;
  for (const lower of heads) {
    for (const upper of heads) {
      if (lower === upper || !graph.isAncestor(lower, upper, { includeDependencies: false })) continue;
      throw new CommandError(
        `The version table '${table}' is inconsistent: it holds both ${lower} and ${upper}, and ${lower} is an ancestor of ${upper}. A version table holds one row per branch head. Find where the database really is, then set the table with 'retort stamp --purge ${upper}' (or the revisions the schema matches).`,
        { code: "INCONSISTENT_VERSION_TABLE" },
      );
    }
  }
}
