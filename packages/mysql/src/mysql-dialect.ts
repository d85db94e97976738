import type { CompiledStatement, DialectCapabilities, ParameterBinding } from "@retort/core";
import {
  type DdlCompilerBase,
  DialectBase,
  type DialectOptions,
  defineCapabilities,
  LiteralRenderer,
  shortenConventionName,
} from "@retort/core/dialect";
import { MysqlDdlCompiler } from "./mysql-ddl-compiler.js";
import { MysqlIdentifierError } from "./mysql-errors.js";
import { MysqlIntrospector } from "./mysql-introspector.js";
import { mysqlDateTime } from "./mysql-types.js";

/** Which server the SQL is for: MySQL 8 (the default) or MariaDB 10.11+. */
export type MysqlFlavor = "mysql" | "mariadb";

/**
 * What MySQL can do, as core sees it.
 *
 * - `transactionalDdl`: false. Every DDL statement commits implicitly
 *   (https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html), so each
 *   migration is committed with its version row on its own, and a failure
 *   reports which statements of the failed migration already ran.
 * - `lockHeldByTransaction`: false: the lock is `GET_LOCK()` on a session
 *   of its own (`MysqlLock`).
 * - `alterInPlace`: `MODIFY`/`CHANGE COLUMN`, constraints added and dropped
 *   in place.
 * - `nativeEnum`: `ENUM('a', 'b')`, written inline: `enumTypes` is false
 *   (no CREATE TYPE).
 * - `comments`: inline `COMMENT '...'` and `ALTER TABLE ... COMMENT = '...'`.
 * - `ifNotExists`: MariaDB only (`CREATE INDEX IF NOT EXISTS`, `ADD COLUMN
 *   IF NOT EXISTS`, `DROP INDEX IF EXISTS`); MySQL 8 lacks them.
 * - `schemas`: false. MySQL's schemas are databases; Retort works in the
 *   URL's database.
 */
export const mysqlCapabilities: DialectCapabilities = defineCapabilities({
  transactionalDdl: false,
  lockHeldByTransaction: false,
  alterInPlace: true,
  nativeEnum: true,
  schemas: false,
  ifNotExists: false,
  comments: true,
  indexMethods: false,
});

/** MariaDB's: MySQL's, with the IF [NOT] EXISTS forms. */
export const mariadbCapabilities: DialectCapabilities = defineCapabilities({
  ...mysqlCapabilities,
  ifNotExists: true,
});

export interface MysqlDialectOptions extends DialectOptions {
  /** `mysql` (default) or `mariadb`: the driver picks it from the server's version. */
  readonly flavor?: MysqlFlavor | undefined;
  /** The character set a `--sql` script sets first (`SET NAMES`), as the URL's connection would: default utf8mb4. */
  readonly charset?: string | undefined;
  /**
   * A backslash in a string literal is an escape character (default).
   * False for a session whose sql_mode holds NO_BACKSLASH_ESCAPES (the
   * driver reads it on connect): quotes are then doubled and a backslash
   * written as it is.
   */
  readonly backslashEscapes?: boolean | undefined;
}

/**
 * MySQL's and MariaDB's syntax on the dialect base: backtick quoting,
 * literals with backslashes escaped, `?` placeholders and the DDL
 * compiler. The name is `mysql` for both (what migrations see, and the key
 * of `{ mysql: {...} }` options), as SQLAlchemy's MariaDB dialect is a
 * MySQL one. Pure (no connection).
 *
 * ```ts
 * const dialect = new MysqlDialect();
 * dialect.quoteIdentifier("my`table"); // `my``table`
 * dialect.renderLiteral("a\\b");      // 'a\\b'
 * ```
 */
export class MysqlDialect extends DialectBase {
  readonly name = "mysql";
  readonly databaseName: string;
  readonly flavor: MysqlFlavor;
  override readonly capabilities: DialectCapabilities;
  /** Reads the connection's database from information_schema, as this server reports it. */
  readonly introspector: MysqlIntrospector;

  /**
   * mysql2 writes the values into the text client side, one per `?` (`??`
   * an identifier), and reads strings with backslash escapes unless the
   * session is in NO_BACKSLASH_ESCAPES. It would drop values left over and
   * send a `?` without a value as it is; the connection refuses both before
   * sending (`parameterMismatch`), as `--sql` does.
   */
  readonly parameterBinding: ParameterBinding;

  /** `SET NAMES <charset>`: a client replaying a script otherwise sends values in its own default character set. */
  readonly scriptPreamble: readonly string[];

  /** MySQL's and MariaDB's 64 characters (SQLAlchemy's `max_index_name_length` and `max_constraint_name_length`). */
  readonly maxIdentifierLength = MAX_IDENTIFIER_LENGTH;

  readonly #backslashEscapes: boolean;

  constructor(options: MysqlDialectOptions = {}) {
    super(options);
    this.flavor = options.flavor ?? "mysql";
    this.#backslashEscapes = options.backslashEscapes ?? true;
    this.parameterBinding = { mysqlSyntax: true, backslashEscapes: this.#backslashEscapes };
    const charset = options.charset ?? "utf8mb4";
    if (!/^[A-Za-z0-9_]+$/.test(charset))
      throw new TypeError(`Not a MySQL character set name: ${JSON.stringify(charset)}`);
    this.scriptPreamble = [`SET NAMES ${charset}`];
    this.introspector = new MysqlIntrospector(this.flavor);
    this.databaseName = this.flavor === "mariadb" ? "MariaDB" : "MySQL";
    this.capabilities = this.flavor === "mariadb" ? mariadbCapabilities : mysqlCapabilities;
  }

  protected override createCompiler(): DdlCompilerBase {
    return new MysqlDdlCompiler(this);
  }

  protected override createLiteralRenderer(): LiteralRenderer {
    return new MysqlLiteralRenderer(this.databaseName, this.#backslashEscapes);
  }

  /** Always backtick-quotes, doubling embedded backticks; refuses names over 64 characters. */
  override quoteIdentifier(name: string): string {
    return quoteMysqlIdentifier(name);
  }

  /** `information_schema.tables` in the connection's database (`DATABASE()`). */
  override relationKindQuery(name: string, schema?: string): CompiledStatement {
    const inSchema = schema === undefined ? "DATABASE()" : "?";
    return {
      sql: `SELECT CASE WHEN table_type = 'VIEW' THEN 'view' ELSE 'table' END AS kind FROM information_schema.tables WHERE table_name = ? AND table_schema = ${inSchema}`,
      parameters: schema === undefined ? [name] : [name, schema],
    };
  }

  /** `information_schema.columns` in the connection's database (`DATABASE()`): `VARCHAR(n)`'s `n` in characters. */
  override columnWidthQuery(table: string, column: string, schema?: string): CompiledStatement {
    const inSchema = schema === undefined ? "DATABASE()" : "?";
    return {
      sql: `SELECT character_maximum_length AS width FROM information_schema.columns WHERE table_name = ? AND column_name = ? AND table_schema = ${inSchema}`,
      parameters: schema === undefined ? [table, column] : [table, column, schema],
    };
  }
}

/**
 * MySQL's literals: strings with `''` doubling and the backslash doubled
 * (it is an escape character unless NO_BACKSLASH_ESCAPES is set,
 * https://dev.mysql.com/doc/refman/8.0/en/string-literals.html; then only
 * quotes are doubled), booleans as `TRUE`/`FALSE` (1/0), a Date as
 * DATETIME text in UTC.
 */
class MysqlLiteralRenderer extends LiteralRenderer {
  readonly #backslashEscapes: boolean;

  constructor(databaseName: string, backslashEscapes: boolean) {
    super(databaseName);
    this.#backslashEscapes = backslashEscapes;
  }

  override render(value: unknown): string {
    if (value instanceof Date) return this.string(mysqlDateTime(value));
    return super.render(value);
  }

  protected override string(text: string): string {
    // Without backslash escapes there is no other way to write a NUL: it goes as it is (online only).
    if (!this.#backslashEscapes) return `'${text.replaceAll("'", "''")}'`;
    // A NUL as `\0`, as mysql2 escapes it online: a script's raw NUL byte is refused by the client.
    return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "''").replaceAll("\0", "\\0")}'`;
  }
}

/** The longest identifier MySQL keeps (https://dev.mysql.com/doc/refman/8.0/en/identifier-length.html). */
export const MAX_IDENTIFIER_LENGTH = 64;

/**
 * Backtick-quotes an identifier, doubling embedded backticks.
 *
 * @throws MysqlIdentifierError for an empty name or one over 64 characters.
 */
export function quoteMysqlIdentifier(name: string): string {
  if (name.length === 0) throw new MysqlIdentifierError(name, "an identifier cannot be empty");
  if ([...name].length > MAX_IDENTIFIER_LENGTH) {
    throw new MysqlIdentifierError(
      name,
      `"${name}" is ${[...name].length} characters long; MySQL allows at most ${MAX_IDENTIFIER_LENGTH} ` +
        "(https://dev.mysql.com/doc/refman/8.0/en/identifier-length.html). Choose a shorter name",
    );
  }
  return `\`${name.replaceAll("`", "``")}\``;
}

/**
 * Shortens a name Retort generated (`ix_<table>_<column>`) past 64
 * characters as SQLAlchemy does: the first 56, `_`, and the last 4 hex
 * digits of its MD5.
 */
export function conventionName(name: string): string {
  return shortenConventionName(name, MAX_IDENTIFIER_LENGTH);
}
