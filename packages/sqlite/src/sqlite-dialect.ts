import { CommandError } from "@retort/core/errors";
import type {
  BatchAlterTableOperation,
  CompiledStatement,
  DialectCapabilities,
  LiveReadContext,
  Operation,
  RunStatement,
} from "@retort/core";
import { type DdlCompilerBase, DialectBase, defineCapabilities, LiteralRenderer } from "@retort/core/dialect";
import * as batch from "./batch/sqlite-batch-compiler.js";
import { SqliteDdlCompiler } from "./sqlite-ddl-compiler.js";
import { SqliteIntrospector } from "./sqlite-introspector.js";

/**
 * What SQLite can do, as core sees it (the rest are the base's defaults).
 *
 * - `transactionalDdl`: SQLite's DDL is transactional (a `CREATE TABLE` rolls
 *   back with the transaction); Retort runs migrations inside `BEGIN
 *   IMMEDIATE ... COMMIT`. (Alembic says `False` only because of pysqlite's
 *   old implicit-commit behaviour, not because of SQLite.)
 * - `lockHeldByTransaction`: SQLite has no advisory lock; the migration lock
 *   is the write lock that `BEGIN IMMEDIATE` takes, released by COMMIT.
 * - `alterInPlace`: false. SQLite's ALTER TABLE only renames and adds or
 *   drops columns (https://sqlite.org/lang_altertable.html); the rest goes
 *   through batch mode (move-and-copy).
 * - `schemas`: false. Attached databases are out of scope.
 * - `comments`, `indexMethods`, `nativeEnum`: false (an enum is a CHECK).
 */
export const sqliteCapabilities: DialectCapabilities = defineCapabilities({
  transactionalDdl: true,
  lockHeldByTransaction: true,
  alterInPlace: false,
  ifNotExists: true,
});

/**
 * SQLite's syntax on the dialect base: standard double-quoting (never
 * SQLite's fallback of reading an unknown "identifier" as a string,
 * https://sqlite.org/quirks.html#dblquote), `?` placeholders, its literals
 * and its DDL compiler. Pure (no connection), so online runs and `--sql`
 * output share it.
 *
 * ```ts
 * const dialect = new SqliteDialect();
 * dialect.quoteIdentifier('my "table"'); // "my ""table"""
 * dialect.renderLiteral("it's");          // 'it''s'
 * ```
 */
export class SqliteDialect extends DialectBase {
  readonly name = "sqlite";
  readonly databaseName = "SQLite";
  override readonly capabilities: DialectCapabilities = sqliteCapabilities;
  readonly introspector = new SqliteIntrospector();
  /**
   * better-sqlite3 binds a list to `?` only (`:a`, `@a`, `$a`, `?1` take an
   * object) and refuses a value too many or too few; text of several
   * statements without values runs through `exec`, which binds NULL.
   */
  readonly parameterBinding = { namedPlaceholders: true, scriptBindsNull: true } as const;
  /**
   * A script turns foreign keys off before its transaction, as an online
   * run does on a connection that enforces them (`SqliteConnection.begin`):
   * run with them on, a rebuild's DROP TABLE would delete child rows
   * through ON DELETE CASCADE.
   */
  readonly scriptBeforeBegin: readonly string[] = ["PRAGMA foreign_keys = OFF"];

  /** Batch mode: see `batch/sqlite-batch-compiler.ts`. */
  requiresRecreate(operation: BatchAlterTableOperation): boolean {
    return batch.requiresRecreate(operation, this);
  }

  compileRebuild(operation: BatchAlterTableOperation, context: LiveReadContext): Promise<RunStatement[]> {
    return batch.compileRebuild(operation, this, context);
  }

  checkOperation(operation: Operation, context: LiveReadContext): Promise<void> {
    return batch.checkOperation(operation, context);
  }

  /** `sqlite_master`, names compared as SQLite does (case-insensitively); SQLite has no schemas. */
  override relationKindQuery(name: string, schema?: string): CompiledStatement {
    if (schema !== undefined && schema !== "main") {
      throw new CommandError(
        `SQLite has no schemas: cannot look for table "${name}" in schema "${schema}"; remove versionTableSchema from the configuration`,
        { code: "UNSUPPORTED" },
      );
    }
    return {
      sql: "SELECT type AS kind FROM sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE",
      parameters: [name],
    };
  }

  /** SQLite does not enforce `VARCHAR(n)`: any id fits in `version_num` (as Alembic finds). */
  override columnWidthQuery(): undefined {
    return undefined;
  }

  protected override createCompiler(): DdlCompilerBase {
    return new SqliteDdlCompiler(this);
  }

  protected override createLiteralRenderer(): LiteralRenderer {
    return new SqliteLiteralRenderer(this.databaseName);
  }
}

/**
 * SQLite's literals: the standard ones, with booleans as 1/0 (SQLite has no
 * boolean storage class), a Buffer/Uint8Array as a blob `X'..'`, arrays as
 * JSON text, and infinities as the out-of-range reals SQLite reads as
 * infinity (https://sqlite.org/lang_expr.html#literal_values_constants_).
 */
class SqliteLiteralRenderer extends LiteralRenderer {
  protected override number(value: number): string {
    if (Number.isNaN(value)) throw new RangeError("Cannot render NaN as a SQLite literal (SQLite stores NaN as NULL)");
    if (value === Number.POSITIVE_INFINITY) return "9e999";
    if (value === Number.NEGATIVE_INFINITY) return "-9e999";
    return String(value);
  }

  protected override boolean(value: boolean): string {
    return value ? "1" : "0";
  }

  /**
   * A text with NUL characters as a concatenation with `char(0)`: a NUL
   * inside a quoted literal ends the statement for the sqlite3 shell (and
   * for every tool that reads the script as C strings), which then runs
   * what is left as another statement. Same text as the value bound online.
   */
  protected override string(text: string): string {
    if (!text.includes("\u0000")) return super.string(text);
    const parts = text.split("\u0000").map((part) => super.string(part));
    return `(${parts.join(" || char(0) || ")})`;
  }
}
