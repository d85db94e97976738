import type {
  AlterColumnOperation,
  ColumnDefinition,
  ColumnType,
  CompiledStatement,
  CreateExcludeConstraintOperation,
  CreateIndexOperation,
} from "@retort/core";
import {
  type ColumnRenderOptions,
  type CompilerDialect,
  DdlCompilerBase,
  deferrability,
  expressionText,
  type OptionNames,
  type OptionsOperation,
  optionNames,
  type ReferenceOptions,
  statement,
} from "@retort/core/dialect";
import { PostgresUnsupportedOperationError } from "./postgres-errors.js";
import { renderPostgresType, serialType, toColumnValue } from "./postgres-types.js";

/**
 * The most parameters one statement may bind: the wire protocol counts them
 * in a 16-bit integer (Bind message, https://www.postgresql.org/docs/current/protocol-message-formats.html),
 * so the server refuses more than 65535.
 */
export const POSTGRES_MAX_PARAMETERS = 65535;

/** PostgreSQL's options of `createIndex`, in `{ postgresql: {...} }` (Alembic's `postgresql_concurrently`, `_using`, `_include`). */
export type PostgresIndexOptions = {
  /** `CREATE INDEX CONCURRENTLY` (run it in an autocommit block). */
  readonly concurrently?: boolean | undefined;
  /** The access method: `gin`, `gist`, `brin`, `hash`, ... */
  readonly using?: string | undefined;
  /** `INCLUDE (...)`: the non-key columns of a covering index. */
  readonly include?: readonly string[] | undefined;
};

/** PostgreSQL's options of `alterColumn`, in `{ postgresql: {...} }` (Alembic's `postgresql_using`). */
export type PostgresAlterColumnOptions = {
  /** The `USING` expression of a type change. */
  readonly using?: string | undefined;
};

const INDEX_OPTIONS = optionNames<PostgresIndexOptions>({ concurrently: true, using: true, include: true });
const ALTER_COLUMN_OPTIONS = optionNames<PostgresAlterColumnOptions>({ using: true });

/**
 * Compiles operation objects to PostgreSQL statements on the base
 * compiler's standard SQL, one statement per entry (the connection sends
 * each alone, so a statement that refuses a transaction block, such as
 * `CREATE INDEX CONCURRENTLY`, can run). What PostgreSQL adds is here:
 * SERIAL and identity columns, native enum types, stored generated columns,
 * index methods, `USING` casts, EXCLUDE constraints, and its options block
 * (`{ postgresql: { concurrently: true, using: "gin" } }`), whose unknown
 * keys are an `UnknownOptionError`. The same options at the top level
 * still work for one release, with a deprecation warning.
 *
 * Enum types: `createTable` and `addColumn` create the `enumType(...)` their
 * columns use (`CREATE TYPE ... AS ENUM`); `dropTable` does not drop them,
 * as Alembic's `drop_table` does not (other tables may use the type): drop
 * one with `op.execute('DROP TYPE "mood"')`. To use a type that already
 * exists in a new table or column, write `customType('"mood"')`.
 *
 * ```ts
 * const compiler = new PostgresDdlCompiler(new PostgresDialect());
 * compiler.compile({ kind: "dropTable", table: "users", schema: "app", ifExists: true });
 * // [{ sql: 'DROP TABLE IF EXISTS "app"."users"', parameters: [] }]
 * ```
 */
export class PostgresDdlCompiler extends DdlCompilerBase {
  protected override readonly maxParameters: number;

  constructor(dialect: CompilerDialect, options: { readonly maxParameters?: number } = {}) {
    super(dialect);
    this.maxParameters = options.maxParameters ?? POSTGRES_MAX_PARAMETERS;
  }

  protected override unsupported(operation: string, message: string): never {
    throw new PostgresUnsupportedOperationError(operation, message);
  }

  protected override renderType(type: ColumnType, schema: string | undefined): string {
    return renderPostgresType(type, schema);
  }

  protected override toColumnValue(value: unknown, type: ColumnType): unknown {
    return toColumnValue(value, type);
  }

  /**
   * An autoincrement integer column is written SERIAL/BIGSERIAL/SMALLSERIAL,
   * as SQLAlchemy writes it: the sequence and its `nextval` default come
   * with it.
   */
  protected override columnType(column: ColumnDefinition, options: ColumnRenderOptions): string {
    const { computed, serverDefault, autoincrement } = column.options;
    if (autoincrement !== true) return super.columnType(column, options);
    const serial = serialType(column.type);
    if (serial === undefined) {
      this.#refuseColumn(
        column,
        options,
        `autoincrement needs an integer type (integer, bigInteger, smallInteger), not ${column.type.kind}. ` +
          "For a generated UUID, use serverDefault: sql`gen_random_uuid()` instead",
      );
    }
    if (serverDefault !== undefined) {
      this.#refuseColumn(
        column,
        options,
        "autoincrement and serverDefault cannot both be set: SERIAL's default is the next value of its sequence",
      );
    }
    if (computed !== undefined) this.#refuseColumn(column, options, "a computed column cannot autoincrement");
    return serial as string;
  }

  /**
   * `[DEFAULT ...] [GENERATED ALWAYS AS (...) STORED] [NOT NULL]`: PostgreSQL
   * only has stored generated columns before version 18
   * (https://www.postgresql.org/docs/current/ddl-generated-columns.html),
   * and they take no default.
   */
  protected override columnClauses(column: ColumnDefinition, options: ColumnRenderOptions): string[] {
    if (column.options.serverDefault !== undefined && column.options.computed !== undefined) {
      this.#refuseColumn(
        column,
        options,
        "a generated (computed) column cannot have a server default " +
          "(https://www.postgresql.org/docs/current/ddl-generated-columns.html)",
      );
    }
    return super.columnClauses(column, options);
  }

  /**
   * `CREATE TYPE ... AS ENUM`; with `ifNotExists` wrapped in a `DO` block
   * that ignores an existing type (CREATE TYPE has no IF NOT EXISTS).
   */
  protected override createEnumType(
    name: string,
    values: readonly string[],
    schema: string | undefined,
    ifNotExists: boolean,
  ): CompiledStatement {
    const create = super.createEnumType(name, values, schema, false);
    return ifNotExists ? statement(ignoreDuplicate(create.sql)) : create;
  }

  /** MATCH PARTIAL is not implemented by PostgreSQL: refused before the database says so. */
  protected override references(
    table: string | { readonly name: string; readonly schema?: string | undefined },
    columns: readonly string[],
    options: ReferenceOptions,
  ): string {
    if (options.match === "PARTIAL") {
      const label = typeof table === "string" ? table : table.name;
      this.unsupported(
        "createForeignKey",
        `MATCH PARTIAL (foreign key to "${label}") is not implemented by PostgreSQL ` +
          "(https://www.postgresql.org/docs/current/sql-createtable.html): use MATCH FULL or MATCH SIMPLE",
      );
    }
    return super.references(table, columns, options);
  }

  /** `concurrently`, `using`, `include` for `createIndex`; `using` for `alterColumn`. */
  protected override dialectOptionNames(kind: OptionsOperation["kind"]): OptionNames {
    return kind === "createIndex" ? INDEX_OPTIONS : ALTER_COLUMN_OPTIONS;
  }

  /** `{ postgresql: { concurrently, using, include } }`, or the deprecated top-level options (with a warning). */
  protected override indexOptions(operation: CreateIndexOperation): PostgresIndexOptions {
    const block = this.dialectOptions(operation);
    const legacy = {
      ...(operation.concurrently === undefined ? {} : { concurrently: operation.concurrently }),
      ...(operation.using === undefined ? {} : { using: operation.using }),
      ...(operation.include === undefined ? {} : { include: operation.include }),
    };
    this.#deprecated("op.createIndex", legacy);
    return { ...legacy, ...block };
  }

  /**
   * `CONCURRENTLY` cannot run inside a transaction block: run it in
   * `autocommitBlock` (https://www.postgresql.org/docs/current/sql-createindex.html).
   */
  protected override indexPrefix(options: PostgresIndexOptions): string {
    return options.concurrently === true ? "CONCURRENTLY " : "";
  }

  protected override indexMethod(options: PostgresIndexOptions, index: string): string {
    return options.using === undefined ? "" : ` USING ${accessMethod(options.using, `index "${index}"`)}`;
  }

  protected override indexSuffix(options: PostgresIndexOptions): string {
    if (options.include === undefined || options.include.length === 0) return "";
    return ` INCLUDE (${this.columnList(options.include)})`;
  }

  /**
   * `alterColumn` in Alembic's PostgreSQL order (see the base). Autoincrement:
   * turning an existing column into a SERIAL would mean creating a
   * sequence, owning it and setting a `nextval` default; an identity column
   * is the SQL-standard equivalent and one statement each way
   * (https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-ADD-IDENTITY).
   * PostgreSQL requires the column to be NOT NULL and without a default
   * first, so unless `nullable` is given a `SET NOT NULL` is written, and a
   * default must be dropped in the same call (`serverDefault: null`).
   *
   * @throws PostgresUnsupportedOperationError for `using` without `type`,
   *   `autoincrement: true` on a non-integer type, with `nullable: true` or
   *   with a new server default.
   */
  protected override alterColumn(operation: AlterColumnOperation): CompiledStatement[] {
    const refuse = (reason: string): never =>
      this.unsupported("alterColumn", `Column "${operation.column}" of table "${operation.table}": ${reason}`);
    if (this.#alterOptions(operation).using !== undefined && operation.type === undefined) {
      refuse("using must be used with type (it is the USING expression of the type change)");
    }
    if (operation.autoincrement === true) checkIdentity(operation, refuse);
    const implied = operation.autoincrement === true && operation.existingNullable !== false ? false : undefined;
    const nullable = operation.nullable ?? implied;
    return super.alterColumn(nullable === operation.nullable ? operation : { ...operation, nullable });
  }

  /** `... TYPE X [USING expr]`, after the enum type it may need. */
  protected override alterColumnType(
    operation: AlterColumnOperation,
    type: ColumnType,
    alter: string,
  ): CompiledStatement[] {
    const statements = super.alterColumnType(operation, type, alter);
    const using = this.#alterOptions(operation).using;
    if (using === undefined) return statements;
    const last = statements.pop() as CompiledStatement;
    return [...statements, statement(`${last.sql} USING ${using}`)];
  }

  /** `true`: `ADD GENERATED BY DEFAULT AS IDENTITY`; `false`: `DROP IDENTITY IF EXISTS` (a SERIAL's default is not an identity). */
  protected override alterColumnAutoincrement(
    _operation: AlterColumnOperation,
    on: boolean,
    alter: string,
  ): CompiledStatement[] {
    return [statement(on ? `${alter} ADD GENERATED BY DEFAULT AS IDENTITY` : `${alter} DROP IDENTITY IF EXISTS`)];
  }

  /**
   * `ALTER TABLE "t" ADD CONSTRAINT "ex" EXCLUDE USING gist ("room" WITH =, "during" WITH &&) [WHERE (...)] [DEFERRABLE] [INITIALLY ...]`.
   * An element given as a string is a column name (quoted); ``sql`...` `` is
   * an expression, written as is. The access method defaults to `gist`, as
   * SQLAlchemy's `ExcludeConstraint` does. Equality (`=`) on a scalar column
   * under gist needs the `btree_gist` extension
   * (https://www.postgresql.org/docs/current/btree-gist.html).
   */
  protected override createExcludeConstraint(operation: CreateExcludeConstraintOperation): CompiledStatement[] {
    const what = `createExcludeConstraint("${operation.name}")`;
    if (operation.elements.length === 0) throw new TypeError(`${what} needs at least one element`);
    const elements = operation.elements
      .map((element) => {
        const expression =
          typeof element.expression === "string"
            ? this.dialect.quoteIdentifier(element.expression)
            : element.expression.text;
        return `${expression} WITH ${excludeOperator(element.operator, what)}`;
      })
      .join(", ");
    let body = `EXCLUDE USING ${accessMethod(operation.using ?? "gist", what)} (${elements})`;
    // The predicate must be in parentheses (https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-EXCLUDE).
    if (operation.where !== undefined) body += ` WHERE (${expressionText(operation.where)})`;
    body += deferrability(operation, `Constraint "${operation.name}"`);
    return [this.addConstraint(operation.table, operation.schema, operation.name, body)];
  }

  /** `{ postgresql: { using } }`, or the deprecated top-level `using` (with a warning). */
  #alterOptions(operation: AlterColumnOperation): PostgresAlterColumnOptions {
    const block = this.dialectOptions(operation);
    const legacy = operation.using === undefined ? {} : { using: operation.using };
    this.#deprecated("op.alterColumn", legacy);
    return { ...legacy, ...block };
  }

  #deprecated(call: string, legacy: Readonly<Record<string, unknown>>): void {
    for (const key of Object.keys(legacy)) {
      this.warn(
        `${call}: the top-level option '${key}' is deprecated and will be removed in the next release; ` +
          `pass it as { postgresql: { ${key}: ... } }, which other databases ignore`,
      );
    }
  }

  #refuseColumn(column: ColumnDefinition, options: ColumnRenderOptions, reason: string): never {
    return this.unsupported(options.operation, `Column "${column.name}" of table "${options.table}": ${reason}`);
  }
}

/** An identity needs an integer column, NOT NULL, and no default (the identity supplies values). */
function checkIdentity(operation: AlterColumnOperation, refuse: (reason: string) => never): void {
  const type: ColumnType | undefined = operation.type ?? operation.existingType;
  if (type !== undefined && serialType(type) === undefined) {
    refuse(
      `autoincrement needs an integer type (integer, bigInteger, smallInteger), not ${type.kind}: ` +
        "PostgreSQL's identity columns are integers (https://www.postgresql.org/docs/current/sql-createtable.html)",
    );
  }
  if (operation.nullable === true) {
    refuse("an identity column is NOT NULL; autoincrement: true cannot go with nullable: true");
  }
  if (operation.serverDefault !== undefined && operation.serverDefault !== null) {
    refuse(
      "autoincrement: true and a serverDefault cannot both be set: the identity supplies the default. " +
        "Use serverDefault: null to drop an existing default first",
    );
  }
}

/**
 * Wraps a CREATE TYPE in a DO block that ignores `duplicate_object`
 * (SQLSTATE 42710), since CREATE TYPE has no IF NOT EXISTS
 * (https://www.postgresql.org/docs/current/sql-createtype.html). The
 * dollar-quote tag is chosen so that the body cannot end it.
 */
export function ignoreDuplicate(sql: string): string {
  let tag = "$retort$";
  for (let counter = 1; sql.includes(tag); counter++) tag = `$retort${counter}$`;
  return `DO ${tag} BEGIN ${sql}; EXCEPTION WHEN duplicate_object THEN NULL; END ${tag}`;
}

/**
 * An index access method (`btree`, `gin`, `gist`, `brin`, `hash`, `spgist`
 * or an extension's), written unquoted and lower-cased as SQLAlchemy writes
 * `postgresql_using`. Anything but a plain name is refused, since it is
 * written into the statement as is.
 */
export function accessMethod(method: unknown, what: string): string {
  if (typeof method !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(method)) {
    throw new TypeError(
      `${what}: the access method must be a plain name such as gin or brin; got ${JSON.stringify(method)}`,
    );
  }
  return method.toLowerCase();
}

/**
 * An operator of an EXCLUDE constraint element (`=`, `&&`, `<>`, or
 * `OPERATOR(schema.op)`), written into the statement as is, so only
 * operator characters are accepted
 * (https://www.postgresql.org/docs/current/sql-createoperator.html lists them).
 */
export function excludeOperator(operator: string, what: string): string {
  if (/^[+\-*/<>=~!@#%^&|`?]+$/.test(operator)) return operator;
  if (/^OPERATOR\(\s*(?:[A-Za-z_][A-Za-z0-9_]*\.)?[+\-*/<>=~!@#%^&|`?]+\s*\)$/i.test(operator)) return operator;
  throw new TypeError(
    `${what}: ${JSON.stringify(operator)} is not an operator (such as =, && or OPERATOR(pg_catalog.=))`,
  );
}
