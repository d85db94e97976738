import { CommandError } from "../errors/retort-error.js";
import type { CompiledStatement, CreateTableOperation } from "../operations/operation.js";
import { string } from "../schema/column-type.js";
import { column, primaryKey } from "../schema/table-elements.js";
import type { StatementSink } from "../pipeline/statement-sink.js";
import type { VersionRowChange } from "./head-maintainer.js";
import { qualifiedName, versionRowStatement } from "./version-row-statements.js";

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

const READING_VERSION = {
  what: "Reading the current version",
  instead: "Give the starting revision instead: FROM:TO (e.g. 'upgrade --sql ae1027a6acf:head').",
};

/**
 * The version table: one row per head, as in Alembic. Core owns what the
 * rows mean; the dialect only quotes and compiles. Every statement goes
 * through the run's statement sink.
 */
export class VersionTable {
  readonly #sink: StatementSink;
  readonly #options: VersionTableOptions;
  readonly #qualifiedName: string;
  #deferUpdates = false;
  /** An UPDATE held back (see `deferUpdates`), not sent yet. */
  #heldUpdate: { readonly from: string; readonly to: string } | undefined;

  constructor(sink: StatementSink, options: VersionTableOptions) {
    this.#sink = sink;
    this.#options = options;
    this.#qualifiedName = qualifiedName(options, sink.dialect);
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
    const kind = await this.#sink.relationKind(this.#options.name, this.#options.schema, READING_VERSION);
    if (kind === "view") {
      throw new CommandError(
        `'${this.name}' is a view, not a table: the version table must be a table with one column version_num. Drop or rename the view, or set versionTable in the config to another name.`,
        { code: "VERSION_TABLE_SHAPE" },
      );
    }
    return kind === "table";
  }

  /**
   * Creates the table. In a schema of its own (`versionTableSchema`), a
   * failure names the table and the setting: the server's own message
   * (`schema "meta" does not exist`, MySQL's `Unknown database 'meta'`)
   * does not say which table, or why that schema.
   */
  async create(): Promise<void> {
    let statements: readonly CompiledStatement[];
    try {
      statements = this.#sink.dialect.compile(versionTableOperation(this.#options));
    } catch (error) {
      // A dialect without schemas (SQLite), offline: online the lookup of the table says it first.
      if (this.#options.schema === undefined || this.#sink.dialect.capabilities.schemas) throw error;
      throw new CommandError(
        `versionTableSchema in the config puts the version table in schema "${this.#options.schema}", but ${this.#sink.dialect.name} has no schemas. Remove versionTableSchema from the config.`,
        { code: "VERSION_TABLE_CREATE", cause: error },
      );
    }
    for (const statement of statements) {
      try {
        await this.#sink.execute(statement);
      } catch (error) {
        const schema = this.#options.schema;
        if (schema === undefined || this.#sink.offline) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new CommandError(
          `Cannot create the version table '${this.name}': ${reason}. versionTableSchema in the config puts it in schema "${schema}": if that schema does not exist, create it first (CREATE SCHEMA, outside the migrations: the version table is created before any of them runs), or set versionTableSchema to a schema that exists.`,
          { code: "VERSION_TABLE_CREATE", cause: error },
        );
      }
    }
  }

  /** Creates the table when it is missing; returns whether it did. */
  async ensure(): Promise<boolean> {
    if (await this.exists()) return false;
    await this.create();
    return true;
  }

  /** The heads recorded in the table, in row order; none when the table does not exist. */
  async readHeads(): Promise<string[]> {
    await this.flush();
    if (!(await this.exists())) return [];
    let rows: { version_num: unknown }[];
    try {
      const select = { sql: `SELECT version_num FROM ${this.#qualifiedName}`, parameters: [] };
      rows = (await this.#sink.query<{ version_num: unknown }>(select, READING_VERSION)).rows;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // Only a missing version_num says the table is something else; a refused read (a privilege) says nothing of it.
      if (!/version_num/i.test(reason)) {
        throw new CommandError(`Cannot read the version table '${this.name}': ${reason}`, {
          code: "VERSION_TABLE_READ",
          cause: error,
        });
      }
      throw new CommandError(
        `The table '${this.name}' is not a version table Retort can read: ${reason}. A version table has one column, version_num VARCHAR(32), one row per head (as Alembic's). If this table belongs to the application, set versionTable in the config to another name.`,
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

  /**
   * Holds UPDATEs back, so that consecutive steps along one branch write
   * one (a→b, b→c, c→d become `UPDATE … SET version_num = 'd' WHERE
   * version_num = 'a'`), sent by `flush()` before the transaction commits:
   * on PostgreSQL a round trip per migration saved. Only for a run in one
   * transaction with transactional DDL: nothing outside the transaction
   * sees the rows in between, and a failure rolls them back with the
   * schema. Any other change (a new branch, a merge, a branch to base)
   * first writes the held UPDATE, so the rows keep Alembic's order.
   */
  deferUpdates(): void {
    this.#deferUpdates = true;
  }

  /**
   * Writes one row change (UPDATE/INSERT/DELETE, Alembic's statement for
   * it). `undefined` when nothing is sent: an UPDATE that only moves the
   * one held back (see `deferUpdates`), the usual step of a long run.
   */
  apply(change: VersionRowChange): Promise<void> | undefined {
    if (this.#deferUpdates && change.kind === "update") {
      const held = this.#heldUpdate;
      if (held !== undefined && held.to === change.from) {
        this.#heldUpdate = { from: held.from, to: change.to };
        return undefined;
      }
      return this.#holdAfterFlush(change.from, change.to);
    }
    return this.#write(change);
  }

  async #holdAfterFlush(from: string, to: string): Promise<void> {
    await this.flush();
    this.#heldUpdate = { from, to };
  }

  async #write(change: VersionRowChange): Promise<void> {
    await this.flush();
    await this.#sink.execute(versionRowStatement(change, this.#options, this.#sink.dialect));
  }

  /** Sends the UPDATE held back, if any (before a commit, or before the rows are read). */
  async flush(): Promise<void> {
    const held = this.#heldUpdate;
    if (held === undefined) return;
    this.#heldUpdate = undefined;
    await this.#sink.execute(versionRowStatement({ kind: "update", ...held }, this.#options, this.#sink.dialect));
  }

  /** `stamp --purge`: removes every row; returns how many were removed (0 offline). */
  async purge(): Promise<number> {
    if (!this.#sink.offline && !(await this.exists())) return 0;
    const { rowCount } = await this.#sink.execute({ sql: `DELETE FROM ${this.#qualifiedName}`, parameters: [] });
    return this.#sink.offline ? 0 : rowCount;
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
