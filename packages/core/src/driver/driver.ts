import type { PortableSqlFunction } from "../schema/sql-expression.js";
import type { BatchAlterTableOperation } from "../operations/batch-operation.js";
import type { CompiledStatement, Operation } from "../operations/operation.js";
import type { RunStatement } from "../pipeline/statement-sink.js";
import type { DatabaseUrl } from "../config/database-url.js";
import type { DatabaseIntrospector } from "../introspection/reflected-schema.js";
import type { ColumnType } from "../schema/column-type.js";

/**
 * What a database can do. Core branches on these flags, never on a dialect's
 * name.
 */
export interface DialectCapabilities {
  /** DDL can be rolled back: the run (or each migration) is one transaction. */
  readonly transactionalDdl: boolean;
  /**
   * The migration lock is the write transaction itself (SQLite's
   * `BEGIN IMMEDIATE`): it is released at every commit, so a run with one
   * transaction per migration must re-check the version table after each
   * `begin()`.
   */
  readonly lockHeldByTransaction: boolean;
  /** ALTER COLUMN of type/nullability and constraint changes in place (false on SQLite: use batch mode). */
  readonly alterInPlace: boolean;
  /** `enumType()` is a native type (PostgreSQL's named type, MySQL's inline `ENUM(...)`); false: a CHECK. */
  readonly nativeEnum: boolean;
  /**
   * An enum is a type of its own, created before its tables and dropped
   * after them (`CREATE TYPE ... AS ENUM`, PostgreSQL). False where a native
   * enum is written inline in the column (MySQL's `ENUM('a', 'b')`).
   */
  readonly enumTypes: boolean;
  readonly schemas: boolean;
  readonly ifNotExists: boolean;
  /** `COMMENT ON` tables and columns (false on SQLite: comments are dropped from CREATE TABLE). */
  readonly comments: boolean;
  /** CREATE INDEX takes an access method (`USING gin`) and options such as `CONCURRENTLY`. */
  readonly indexMethods: boolean;
}

/** What a compile call may be given besides the operation. */
export interface CompileOptions {
  /**
   * Receives the compiler's warnings (a deprecated option); the CLI prints
   * them as `WARNING: ...`. Without it the dialect's own channel is used,
   * if it has one.
   */
  readonly warn?: (message: string) => void;
}

/**
 * The names of the dialects, as keys: Retort's three, plus those that
 * third-party dialect packages add by declaration merging, so that a
 * misspelt name in a migration (`=== "postgres"`) is a type error while
 * another package's dialect is still a valid name:
 *
 * ```ts
 * declare module "@retort/core" {
 *   interface DialectNames {
 *     cockroachdb: true;
 *   }
 * }
 * ```
 */
export interface DialectNames {
  sqlite: true;
  postgresql: true;
  mysql: true;
}

/**
 * A dialect's name: `"sqlite" | "postgresql" | "mysql"` and any name a
 * dialect package registered in `DialectNames`.
 */
export type DialectName = keyof DialectNames;

/** What a driver accepts beyond one value per placeholder (`Dialect.parameterBinding`). */
export interface ParameterBinding {
  /** Values beyond the last placeholder are dropped (mysql2 writes the values into the text, client side). */
  readonly extraValuesIgnored?: boolean;
  /** The SQL may hold placeholders the driver binds from an object only (`?1`, `:a`, `@a`, `$a` on SQLite): refused with a list. */
  readonly namedPlaceholders?: boolean;
  /** Text of several statements without values runs as a script, an unbound placeholder as NULL (sqlite3_exec). */
  readonly scriptBindsNull?: boolean;
  /**
   * How the driver finds placeholders, where it differs from standard SQL,
   * as mysql2 reads them: `#` starts a comment to the end of the line, `??`
   * stands for an identifier (a name, `a.b`, or a list of names) and three
   * or more `?` for none.
   */
  readonly mysqlSyntax?: boolean;
  /** A backslash escapes the next character in a `'...'` or `"..."` string (MySQL's default mode). */
  readonly backslashEscapes?: boolean;
}

/**
 * The syntax of one database: quoting, literals and the DDL compiler. Pure:
 * no connection, so the same object serves online runs and `--sql` output.
 */
export interface Dialect {
  /** `sqlite`, `postgresql`, `mysql`: what migrations see as `op.getContext().dialect.name`. */
  readonly name: DialectName;
  readonly capabilities: DialectCapabilities;
  /** Quotes an identifier by the dialect's rules (always quotes). */
  quoteIdentifier(name: string): string;
  /**
   * The longest index or constraint name the database keeps, in characters
   * (SQLAlchemy's `max_identifier_length`, or its `max_index_name_length`
   * and `max_constraint_name_length` where it has them): PostgreSQL 63,
   * MySQL 64. A name a schema module's `namingConvention` makes that is
   * longer is shortened as SQLAlchemy shortens it (the first `n - 8`
   * characters, `_`, 4 hex digits of its MD5), so that autogenerate writes
   * and `check` expects the names SQLAlchemy gives. Optional: without it
   * (SQLite, SQLAlchemy's 9999) names are never shortened.
   */
  readonly maxIdentifierLength?: number;
  /** Renders a value as a SQL literal (for offline scripts and DDL defaults); a ``sql`...` `` expression as its SQL. */
  renderLiteral(value: unknown): string;
  /**
   * A portable function (`currentTimestamp()`, ...) as this database writes
   * it. Optional: without it the SQL standard's spelling is used
   * (`CURRENT_TIMESTAMP`). `DialectBase` has it.
   */
  renderSqlFunction?(name: PortableSqlFunction): string;
  /** The placeholder of the 1-based parameter `index` (`?` or `$1`). */
  placeholder(index: number): string;
  /**
   * How the driver binds a statement's list of values online, for offline
   * scripts to refuse what it refuses (see `inlineParameters`). Optional:
   * every value must have a placeholder and every placeholder a value.
   */
  readonly parameterBinding?: ParameterBinding;
  /**
   * Compiles an operation to statements. An operation the database cannot do
   * in place throws an error naming the way out (batch mode on SQLite); it
   * never returns empty SQL for it. Options keyed by another dialect's
   * name (`{ postgresql: {...} }`) are ignored; unknown keys in its own
   * block are an `UnknownOptionError`.
   */
  compile(operation: Operation, options?: CompileOptions): CompiledStatement[];
  /**
   * A column type as this database writes it (`VARCHAR(255)`, `DATETIME`),
   * for autogenerate's messages and type comparison. Optional: without it
   * standard SQL names are used. `DialectBase` takes it from its compiler.
   */
  typeText?(type: ColumnType): string;
  /**
   * The query that says what `name` is: one row with a `kind` column,
   * `"table"` or `"view"`, or no row when nothing has that name. Core reads
   * the version table's kind with it, through the run's statement sink.
   * Optional: without it the connection's `relationKind`/`tableExists` is asked.
   */
  relationKindQuery?(name: string, schema?: string): CompiledStatement;
  /**
   * The query that reads the declared width of a character column: one row
   * with a `width` column (its maximum length in characters; null when it
   * has none, as TEXT), no row when the table or column does not exist.
   * Core reads `version_num`'s width with it, before a run writes an id
   * longer than the 32 characters Retort creates it with. `undefined` when
   * the database does not enforce a width (SQLite). Optional: without it
   * no width is checked.
   */
  columnWidthQuery?(table: string, column: string, schema?: string): CompiledStatement | undefined;
  /**
   * Statements a `--sql` script writes before each `BEGIN;`, for what an
   * online run sets on its connection outside the transaction (SQLite:
   * `PRAGMA foreign_keys = OFF`, a no-op inside a transaction, so that a
   * batch rebuild's DROP TABLE fires no ON DELETE CASCADE). Optional: none.
   */
  readonly scriptBeforeBegin?: readonly string[];
  /**
   * Statements a `--sql` script starts with, for what an online run's
   * connection is set to (MySQL: `SET NAMES utf8mb4`, the character set
   * the driver connects with; a client's default may be another, and an
   * emoji in a value would fail). Optional: none.
   */
  readonly scriptPreamble?: readonly string[];
  /**
   * Reads the live schema as core's table model (autogenerate, `check`,
   * batch reflection). Optional until every dialect has one.
   */
  readonly introspector?: DatabaseIntrospector;
  /**
   * Whether a batch block's steps need the table rebuilt (move and copy)
   * rather than compiled one by one with `compile`. Absent: never (as on
   * PostgreSQL, whose ALTER does it all). Throws for a batch that can be
   * done neither way (SQLite's `recreate: "never"` with a step it cannot
   * ALTER).
   */
  requiresRecreate?(operation: BatchAlterTableOperation): boolean;
  /**
   * Compiles a batch block that `requiresRecreate` to the statements of the
   * rebuild: create, copy, drop, rename, indexes, triggers, views, and the
   * checks (row count, foreign keys) as statements that fail the run when
   * they fail. It may read the database first (`context.read`: reflection,
   * counts); every write is a returned statement, sent through the run's
   * statement sink like any other.
   */
  compileRebuild?(operation: BatchAlterTableOperation, context: LiveReadContext): Promise<RunStatement[]>;
  /**
   * Checks an operation against the database before it is compiled
   * (SQLite refuses, naming batch mode, a `dropColumn` of a column an index
   * uses). Does nothing offline, where there is nothing to read. Optional.
   */
  checkOperation?(operation: Operation, context: LiveReadContext): Promise<void>;
}

/**
 * What a dialect's batch compiler is given: reads through the run's
 * statement sink, and where its warnings and progress go.
 */
export interface LiveReadContext {
  /** True for a `--sql` script: `read` then throws, saying what to pass instead (`copyFrom`). */
  readonly offline: boolean;
  /** Runs a read-only query through the run's statement sink and returns its rows. */
  read<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
  /** Receives warnings (a CAST that changes values); the CLI prints `WARNING: ...`. */
  warn(message: string): void;
  /** The run reports copy progress: a long copy may be split into chunks annotated with `progress`. */
  readonly progress: boolean;
}

export interface QueryResult<Row> {
  readonly rows: Row[];
}

export interface ExecuteResult {
  /** Rows changed by INSERT/UPDATE/DELETE. */
  readonly rowCount: number;
}

export interface LockOptions {
  /** Identifies what is locked: the database plus the version table. */
  readonly key: string;
  readonly timeoutMs: number;
  /**
   * Aborted when the run is interrupted (Ctrl-C) while it waits: stop
   * waiting at once (end the polling, or the statement that waits), so the
   * process can exit. Optional for a driver; one that ignores it keeps the
   * process alive until the lock is granted or times out.
   */
  readonly signal?: AbortSignal | undefined;
}

/** A read-only query on the migration connection, through the run's statement sink. */
export type LockRead = (sql: string, parameters: readonly unknown[]) => Promise<{ readonly rows: readonly unknown[] }>;

export interface LockHandle {
  release(): Promise<void>;
  /**
   * Throws `LockLostError` when the lock is already known to be lost (its
   * session ended: terminated, pooler, network). No round trip: the runner
   * calls it before every statement. Optional: a lock held by the
   * transaction itself (SQLite) cannot be lost without the transaction.
   */
  assertHeld?(): void;
  /**
   * Asks the database whether the lock is still held (one round trip);
   * throws `LockLostError` when it is not. The runner calls it before every
   * commit, so a run whose lock was taken over never commits, and gives it
   * `read`: a query through the run's statement sink, on the migration
   * connection (the lock's own session may be the one that died).
   */
  verify?(read?: LockRead): Promise<void>;
}

/** An open connection. Every method may throw a `DatabaseError` with the SQL (never a password). */
export interface Connection {
  readonly dialect: Dialect;
  /**
   * Where the lock is the write transaction (`lockHeldByTransaction`):
   * keeps the migration lock while a migration's `autocommitBlock` runs
   * outside any transaction. Called with the lock held, just before that
   * block's commit; the function it returns is called once the next
   * transaction has begun. Meanwhile another run's `begin()` waits, as for
   * the transaction itself. Optional.
   */
  keepLockAcrossCommit?(): () => void;
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<QueryResult<Row>>;
  execute(sql: string, parameters?: readonly unknown[]): Promise<ExecuteResult>;
  /** Starts a transaction; on SQLite this takes the write lock (`BEGIN IMMEDIATE`). */
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  readonly inTransaction: boolean;
  /**
   * True when statements run on the calling thread and nothing else runs
   * until they return (better-sqlite3). Leave it unset for a driver that
   * sends statements to a server and awaits the answer: while one runs,
   * the event loop turns, and the CLI writes its progress lines then
   * instead of before the statement is sent.
   */
  readonly blocking?: boolean;
  tableExists(name: string, schema?: string): Promise<boolean>;
  /**
   * What `name` is, where it exists: `"table"`, `"view"` (materialized
   * views and the like included), or `undefined` when nothing has that
   * name. Lets core refuse a version table that is not a table. Optional:
   * without it `tableExists` is used.
   */
  relationKind?(name: string, schema?: string): Promise<"table" | "view" | undefined>;
  /**
   * Takes the migration lock, waiting at most `timeoutMs`; fails with
   * `LockTimeoutError` naming the holder where the database can tell.
   * Where `lockHeldByTransaction`, this only configures the wait and
   * `begin()` takes the lock.
   */
  acquireLock(options: LockOptions): Promise<LockHandle>;
  /**
   * Who holds the migration lock `key` now, as the database can tell
   * (PostgreSQL: the session from `pg_stat_activity`), asked on this
   * connection while `acquireLock` waits, for the
   * `Waiting for the migration lock held by ...` line. Undefined when
   * nobody holds it or the database cannot tell. Optional.
   */
  lockHolder?(key: string): Promise<string | undefined>;
  /**
   * Asks the server to cancel the statement running on this connection,
   * from another session (PostgreSQL's `pg_cancel_backend`), so that an
   * interrupted run does not leave a statement holding its locks. Resolves
   * when the request was sent; a no-op when nothing runs. Optional.
   */
  cancel?(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** How long to wait for the lock / a busy database, in milliseconds. */
  readonly lockTimeoutMs?: number;
  /** Where relative SQLite paths are resolved (the current folder by default). */
  readonly cwd?: string;
  /** `lock_timeout` / `statement_timeout` for the migration session, where the database has them. */
  readonly sessionTimeouts?: { readonly lockTimeoutMs?: number; readonly statementTimeoutMs?: number };
  /** `application_name` (or the like) the session reports, when the URL sets none. */
  readonly applicationName?: string;
  /**
   * Receives the driver's warnings during a run (a SQLite batch CAST that
   * changes values); the CLI prints them as `WARNING: ...` on stderr.
   */
  readonly onWarning?: (message: string) => void;
}

/**
 * A dialect package's entry point: `export const driver: Driver`.
 * The CLI finds it by URL scheme (`sqlite:` -> `@retort/sqlite`).
 */
export interface Driver {
  readonly dialect: Dialect;
  /** URL schemes (the part before `+`), e.g. `["sqlite"]`. */
  readonly schemes: readonly string[];
  connect(url: DatabaseUrl, options?: ConnectOptions): Promise<Connection>;
  /**
   * The dialect a `--sql` script for `url` is written in, where the URL
   * alone tells more than `dialect` (the MySQL driver writes MariaDB's SQL
   * for `mariadb://`). Optional: `dialect` otherwise. A connection's
   * dialect is the connection's own (`Connection.dialect`), read from the
   * server where it matters.
   */
  offlineDialect?(url: DatabaseUrl): Dialect;
  /**
   * A throwaway database of this kind, next to `url`'s, where autogenerate
   * applies a `.sql` schema file before reading it back (SQLite: in memory;
   * PostgreSQL: a database created on the same server). `drop` closes it
   * and removes what was created. Optional: without it autogenerate cannot
   * read a `.sql` schema file.
   */
  scratchDatabase?(url: DatabaseUrl, options?: ConnectOptions): Promise<ScratchDatabase>;
}

/** A database made for one use and dropped after (see `Driver.scratchDatabase`). */
export interface ScratchDatabase {
  readonly connection: Connection;
  drop(): Promise<void>;
}
