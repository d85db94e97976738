import type { CompileOptions, Dialect, DialectCapabilities, DialectName } from "../driver/driver.js";
import {
  expressionSql,
  isWrittenSqlExpression,
  type PortableSqlFunction,
  STANDARD_SQL_FUNCTIONS,
} from "../schema/sql-expression.js";
import type { CompiledStatement, Operation } from "../operations/operation.js";
import type { ColumnType } from "../schema/column-type.js";
import type { DdlCompilerBase } from "./ddl-compiler-base.js";
import { LiteralRenderer } from "./literal-renderer.js";

/**
 * The capabilities a dialect has unless it says otherwise: a conservative
 * SQL database with transactional DDL and ALTER in place, and none of the
 * extras. A dialect spreads these and sets what differs, so a capability
 * added here does not break it:
 *
 * ```ts
 * const capabilities = defineCapabilities({ schemas: true, comments: true });
 * ```
 */
export const DEFAULT_CAPABILITIES: DialectCapabilities = Object.freeze({
  transactionalDdl: true,
  lockHeldByTransaction: false,
  alterInPlace: true,
  nativeEnum: false,
  enumTypes: false,
  schemas: false,
  ifNotExists: false,
  comments: false,
  indexMethods: false,
});

/** The defaults with a dialect's differences, frozen. */
export function defineCapabilities(overrides: Partial<DialectCapabilities>): DialectCapabilities {
  return Object.freeze({ ...DEFAULT_CAPABILITIES, ...overrides });
}

/** What a dialect is constructed with. */
export interface DialectOptions {
  /**
   * Where the compiler's warnings go when a compile call gives no `warn`
   * (a connection passes its `ConnectOptions.onWarning` here).
   */
  readonly onWarning?: ((message: string) => void) | undefined;
}

/**
 * The defaults of a dialect, as Kysely's `DialectAdapterBase` and Alembic's
 * `DefaultImpl`: standard quoting and literals, `?` placeholders, the
 * default capabilities, and `compile` through the dialect's DDL compiler
 * (a `DdlCompilerBase`). A dialect sets `name`, `databaseName` and
 * `capabilities`, gives its compiler, and overrides only what it writes
 * differently:
 *
 * ```ts
 * class MyDialect extends DialectBase {
 *   readonly name = "mydb";
 *   readonly databaseName = "MyDB";
 *   override readonly capabilities = defineCapabilities({ ifNotExists: true });
 *   protected createCompiler() { return new MyDdlCompiler(this); }
 * }
 * ```
 *
 * A warning (a deprecated option) is given once per dialect object: a
 * connection makes its own, so once per run.
 */
export abstract class DialectBase implements Dialect {
  /** What migrations see as `op.getContext().dialect.name`, and the key of its options (`{ postgresql: {...} }`). */
  abstract readonly name: DialectName;
  /** The database's name in messages: `SQLite`, `PostgreSQL`. */
  abstract readonly databaseName: string;
  readonly capabilities: DialectCapabilities = DEFAULT_CAPABILITIES;
  readonly #onWarning: ((message: string) => void) | undefined;
  readonly #warned = new Set<string>();
  #lastWarn:
    | { readonly given: ((message: string) => void) | undefined; readonly once: (message: string) => void }
    | undefined;
  #compiler: DdlCompilerBase | undefined;
  #literals: LiteralRenderer | undefined;

  constructor(options: DialectOptions = {}) {
    this.#onWarning = options.onWarning;
  }

  /** The dialect's DDL compiler; called once, on first use. */
  protected abstract createCompiler(): DdlCompilerBase;

  /** The dialect's literal renderer; the standard one by default. */
  protected createLiteralRenderer(): LiteralRenderer {
    return new LiteralRenderer(this.databaseName);
  }

  /** Double-quotes, doubling embedded quotes (standard SQL); always quotes. */
  quoteIdentifier(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  /** A value as a SQL literal; a ``sql`...` `` expression as its SQL, a portable function natively. */
  renderLiteral(value: unknown): string {
    if (isWrittenSqlExpression(value)) return expressionSql(value, this);
    this.#literals ??= this.createLiteralRenderer();
    return this.#literals.render(value);
  }

  /**
   * A portable function (`currentTimestamp()`, `currentDate()`,
   * `currentTime()`) as this database writes it. The base writes the SQL
   * standard's `CURRENT_TIMESTAMP`, `CURRENT_DATE` and `CURRENT_TIME`, which
   * SQLite, PostgreSQL and MySQL accept as defaults and in values; a
   * database with other spellings overrides it.
   */
  renderSqlFunction(name: PortableSqlFunction): string {
    return STANDARD_SQL_FUNCTIONS[name];
  }

  /** `?` for every positional parameter. */
  placeholder(_index: number): string {
    return "?";
  }

  /**
   * `information_schema.tables`, standard SQL (PostgreSQL, MySQL): the
   * given schema, or the current one.
   */
  relationKindQuery(name: string, schema?: string): CompiledStatement {
    const inSchema = schema === undefined ? "CURRENT_SCHEMA" : this.placeholder(2);
    return {
      sql: `SELECT CASE WHEN table_type = 'VIEW' THEN 'view' ELSE 'table' END AS kind FROM information_schema.tables WHERE table_name = ${this.placeholder(1)} AND table_schema = ${inSchema}`,
      parameters: schema === undefined ? [name] : [name, schema],
    };
  }

  /**
   * `information_schema.columns`, standard SQL (MySQL overrides the current
   * schema, PostgreSQL reads its catalog): the given schema, or the current one.
   */
  columnWidthQuery(table: string, column: string, schema?: string): CompiledStatement | undefined {
    const inSchema = schema === undefined ? "CURRENT_SCHEMA" : this.placeholder(3);
    return {
      sql: `SELECT character_maximum_length AS width FROM information_schema.columns WHERE table_name = ${this.placeholder(1)} AND column_name = ${this.placeholder(2)} AND table_schema = ${inSchema}`,
      parameters: schema === undefined ? [table, column] : [table, column, schema],
    };
  }

  /** The type as the dialect's compiler writes it (`renderType`). */
  typeText(type: ColumnType): string {
    this.#compiler ??= this.createCompiler();
    return this.#compiler.typeText(type);
  }

  compile(operation: Operation, options: CompileOptions = {}): CompiledStatement[] {
    this.#compiler ??= this.createCompiler();
    return this.#compiler.compile(operation, this.#onceEach(options.warn ?? this.#onWarning));
  }

  /**
   * `warn` for each message once per dialect object. The last one made is
   * kept: a run passes the same `warn` for every operation.
   */
  #onceEach(warn: ((message: string) => void) | undefined): (message: string) => void {
    if (this.#lastWarn !== undefined && this.#lastWarn.given === warn) return this.#lastWarn.once;
    const once = (message: string): void => {
      if (warn === undefined || this.#warned.has(message)) return;
      this.#warned.add(message);
      warn(message);
    };
    this.#lastWarn = { given: warn, once };
    return once;
  }
}
