import type {
  AddColumnOperation,
  BatchAlterTableOperation,
  CompiledStatement,
  CreateIndexOperation,
  DropIndexOperation,
  DropTableOperation,
  Operation,
} from "@retort/core";
import { parseReference } from "@retort/core";
import { PostgresAlterCompiler } from "./postgres-alter-compiler.js";
import { compileBulkInsert } from "./postgres-bulk-insert.js";
import { PostgresConstraintCompiler } from "./postgres-constraint-compiler.js";
import { PostgresUnsupportedOperationError } from "./postgres-errors.js";
import { qualifiedName } from "./postgres-identifiers.js";
import { type PostgresQuoter, PostgresTableCompiler } from "./postgres-table-compiler.js";
import { assertNever } from "./postgres-types.js";

/**
 * Compiles operation objects to PostgreSQL statements, one statement per
 * entry (the connection sends each alone, so a statement that refuses a
 * transaction block or a multi-statement string, such as
 * `CREATE INDEX CONCURRENTLY`, can run). The same output serves online runs
 * and `--sql` scripts.
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
export class PostgresDdlCompiler {
  readonly #quoter: PostgresQuoter;
  readonly #tables: PostgresTableCompiler;
  readonly #alter: PostgresAlterCompiler;
  readonly #constraints: PostgresConstraintCompiler;

  constructor(quoter: PostgresQuoter) {
    this.#quoter = quoter;
    this.#tables = new PostgresTableCompiler(quoter);
    this.#alter = new PostgresAlterCompiler(quoter, this.#tables);
    this.#constraints = new PostgresConstraintCompiler(quoter, this.#tables);
  }

  /**
   * The statements of one operation, in the order they must run.
   *
   * @throws PostgresUnsupportedOperationError for what PostgreSQL cannot do
   *   in place (a batch that asks for a table rebuild or a column position,
   *   `using` without a type change, ...), before anything is sent.
   */
  compile(operation: Operation): CompiledStatement[] {
    switch (operation.kind) {
      case "createTable":
        return this.#tables.createTable(operation.table, operation.ifNotExists === true);
      case "dropTable":
        return [this.#dropTable(operation)];
      case "renameTable":
        return this.#alter.renameTable(operation);
      case "addColumn":
        return this.#addColumn(operation);
      case "dropColumn":
        return this.#alter.dropColumn(operation);
      case "alterColumn":
        return this.#alter.alterColumn(operation);
      case "createIndex":
        return [this.#createIndex(operation)];
      case "dropIndex":
        return [this.#dropIndex(operation)];
      case "createUniqueConstraint":
        return this.#constraints.createUniqueConstraint(operation);
      case "createForeignKey":
        return this.#constraints.createForeignKey(operation);
      case "createCheckConstraint":
        return this.#constraints.createCheckConstraint(operation);
      case "createPrimaryKey":
        return this.#constraints.createPrimaryKey(operation);
      case "createExcludeConstraint":
        return this.#constraints.createExcludeConstraint(operation);
      case "dropConstraint":
        return this.#constraints.dropConstraint(operation);
      case "createTableComment":
        return this.#alter.createTableComment(operation);
      case "dropTableComment":
        return this.#alter.dropTableComment(operation);
      case "batchAlterTable":
        return this.#batchAlterTable(operation);
      case "bulkInsert":
        return compileBulkInsert(operation, this.#quoter);
      case "execute":
        return [{ sql: operation.sql, parameters: operation.parameters ?? [] }];
      case "createSchema":
        return [
          statement(
            `CREATE SCHEMA ${operation.ifNotExists === true ? "IF NOT EXISTS " : ""}${this.#quoter.quoteIdentifier(operation.name)}`,
          ),
        ];
      case "dropSchema": {
        const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
        const cascade = operation.cascade === true ? " CASCADE" : "";
        return [statement(`DROP SCHEMA ${ifExists}${this.#quoter.quoteIdentifier(operation.name)}${cascade}`)];
      }
      default:
        return assertNever(operation);
    }
  }

  /** `DROP TABLE [IF EXISTS] "schema"."t"`; enum types the table used stay (see the class comment). */
  #dropTable(operation: DropTableOperation): CompiledStatement {
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return statement(`DROP TABLE ${ifExists}${qualifiedName(operation.table, operation.schema)}`);
  }

  /**
   * `ALTER TABLE "t" ADD COLUMN [IF NOT EXISTS] <column>` with its
   * constraints inline (`PRIMARY KEY`, `UNIQUE`, `REFERENCES ...`), preceded
   * by `CREATE TYPE` for an enum and followed by its index (`index: true`)
   * and `COMMENT ON COLUMN`. A NOT NULL column needs a server default when
   * the table has rows; PostgreSQL says so if it has none.
   */
  #addColumn(operation: AddColumnOperation): CompiledStatement[] {
    const { table, column, schema } = operation;
    const ifNotExists = operation.ifNotExists === true;
    const options = column.options;
    const constraints: string[] = [];
    if (options.primaryKey === true) constraints.push("PRIMARY KEY");
    if (options.unique === true && options.index !== true) constraints.push("UNIQUE");
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      constraints.push(this.#tables.references(reference.table, [reference.column], reference));
    }
    const definition = this.#tables.column(column, {
      notNull: options.nullable === false || options.primaryKey === true,
      schema,
      constraints,
      operation: operation.kind,
      table,
    });
    const statements: CompiledStatement[] = [
      ...this.#tables.enumTypes([column], schema, ifNotExists),
      statement(
        `ALTER TABLE ${qualifiedName(table, schema)} ADD COLUMN ${ifNotExists ? "IF NOT EXISTS " : ""}${definition}`,
      ),
      ...this.#tables.columnIndexes(table, schema, [column], ifNotExists),
    ];
    if (options.comment !== undefined) statements.push(this.#tables.columnComment(table, schema, column));
    return statements;
  }

  #createIndex(operation: CreateIndexOperation): CompiledStatement {
    return this.#tables.createIndex(
      operation.table,
      operation.schema,
      {
        name: operation.name,
        columns: operation.columns,
        ...(operation.unique === undefined ? {} : { unique: operation.unique }),
        ...(operation.where === undefined ? {} : { where: operation.where }),
        concurrently: operation.concurrently,
        using: operation.using,
        include: operation.include,
      },
      operation.ifNotExists === true,
    );
  }

  /**
   * A batch on PostgreSQL runs as plain ALTERs (SPEC, "SQLite batch mode";
   * Alembic's `recreate="auto"` never rebuilds on PostgreSQL): each step
   * already names the batch's table and schema and compiles as the plain
   * operation, in the order recorded. What only a rebuild can do is
   * refused: `recreate: "always"`, and a column placed with
   * `insertBefore` / `insertAfter` (PostgreSQL appends columns and has no
   * way to reorder them: https://wiki.postgresql.org/wiki/Alter_column_position).
   */
  #batchAlterTable(operation: BatchAlterTableOperation): CompiledStatement[] {
    const where = `batchAlterTable("${operation.table}")`;
    if (operation.options.recreate === "always") {
      throw new PostgresUnsupportedOperationError(
        "batchAlterTable",
        `${where} with recreate: "always" asks for a table rebuild, which Retort does on SQLite only; ` +
          'PostgreSQL alters tables in place: use recreate: "auto" (or "never")',
      );
    }
    return operation.steps.flatMap((step) => {
      if ((step.kind === "addColumn" || step.kind === "alterColumn") && placed(step)) {
        const name = step.kind === "addColumn" ? step.column.name : step.column;
        throw new PostgresUnsupportedOperationError(
          step.kind,
          `${where}: column "${name}" is placed with insertBefore/insertAfter; column order needs a table rebuild, ` +
            "which Retort does on SQLite only. Remove the placement, or the batch, on PostgreSQL",
        );
      }
      return this.compile(step);
    });
  }

  /** `DROP INDEX [IF EXISTS] "schema"."ix"`: an index lives in its table's schema; the table is not needed. */
  #dropIndex(operation: DropIndexOperation): CompiledStatement {
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return statement(`DROP INDEX ${ifExists}${qualifiedName(operation.name, operation.schema)}`);
  }
}

function placed(step: { insertBefore?: string; insertAfter?: string }): boolean {
  return step.insertBefore !== undefined || step.insertAfter !== undefined;
}

function statement(sql: string): CompiledStatement {
  return { sql, parameters: [] };
}
