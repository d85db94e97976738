import type {
  AlterColumnOperation,
  CompiledStatement,
  CreateIndexOperation,
  DropColumnOperation,
  Operation,
  RenameTableOperation,
} from "@retort/core";
import { SqliteUnsupportedOperationError } from "./sqlite-errors.js";
import type { SqliteQuoter } from "./sqlite-table-compiler.js";

/** Operations that change a table after it exists, and which SQLite mostly cannot do in place. */
export type SqliteAlterOperation = Extract<
  Operation,
  {
    kind:
      | "renameTable"
      | "dropColumn"
      | "alterColumn"
      | "createUniqueConstraint"
      | "createForeignKey"
      | "createCheckConstraint"
      | "createPrimaryKey"
      | "createExcludeConstraint"
      | "dropConstraint"
      | "createTableComment"
      | "dropTableComment";
  }
>;

/** Alembic's wording, so users searching for it find the same advice. */
const NO_CONSTRAINT_ALTER =
  "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode feature which " +
  "allows for SQLite migrations using a copy-and-move strategy";

/**
 * The ALTER forms SQLite has (https://sqlite.org/lang_altertable.html):
 * `RENAME TO` (3.1.0), `RENAME COLUMN` (3.25.0) and `DROP COLUMN` (3.35.0).
 * Everything else throws `SqliteUnsupportedOperationError` before the
 * database is touched, naming `op.batchAlterTable(...)` (the copy-and-move
 * procedure of lang_altertable.html §7), or a dialect check for
 * PostgreSQL-only features.
 */
export class SqliteAlterCompiler {
  readonly #quoter: SqliteQuoter;

  constructor(quoter: SqliteQuoter) {
    this.#quoter = quoter;
  }

  compile(operation: SqliteAlterOperation): CompiledStatement[] {
    switch (operation.kind) {
      case "renameTable":
        return [this.#renameTable(operation)];
      case "dropColumn":
        return [this.#dropColumn(operation)];
      case "alterColumn":
        return [this.#alterColumn(operation)];
      case "createUniqueConstraint":
      case "createCheckConstraint":
      case "createPrimaryKey":
      case "dropConstraint": {
        const verb = operation.kind === "dropConstraint" ? "drop" : "add";
        return refuse(
          operation.kind,
          `${NO_CONSTRAINT_ALTER} (cannot ${verb} constraint "${operation.name}" on table "${operation.table}"). ` +
            batchHint(operation.table, `batch.${operation.kind}("${operation.name}", ...)`),
        );
      }
      case "createForeignKey":
        return refuse(
          operation.kind,
          `${NO_CONSTRAINT_ALTER} (cannot add foreign key "${operation.name}" on table "${operation.sourceTable}"). ` +
            batchHint(operation.sourceTable, `batch.createForeignKey("${operation.name}", ...)`),
        );
      case "createExcludeConstraint":
        return refuse(
          operation.kind,
          `EXCLUDE constraints are a PostgreSQL feature; SQLite has none (constraint "${operation.name}" on ` +
            `"${operation.table}"). Guard the call with a dialect check: ` +
            `if (op.getContext().dialect.name === "postgresql") { ... }`,
        );
      case "createTableComment":
      case "dropTableComment":
        return refuse(
          operation.kind,
          `Table comments are a PostgreSQL (and MySQL) feature; SQLite has no COMMENT (table "${operation.table}"). ` +
            `Guard the call with a dialect check: if (op.getContext().dialect.name !== "sqlite") { ... }`,
        );
      default:
        return assertNeverAlter(operation);
    }
  }

  /**
   * PostgreSQL-only options of CREATE INDEX: refused rather than silently
   * dropped, so a migration does not believe it got a GIN or covering index.
   */
  rejectPostgresIndexOptions(operation: CreateIndexOperation): void {
    const features = [
      operation.concurrently === true ? "CONCURRENTLY" : undefined,
      operation.using === undefined ? undefined : `USING ${operation.using}`,
      operation.include === undefined ? undefined : "INCLUDE (...)",
    ].filter((feature): feature is string => feature !== undefined);
    if (features.length === 0) return;
    refuse(
      operation.kind,
      `CREATE INDEX ${features.join(", ")} is a PostgreSQL feature; SQLite has none (index "${operation.name}" on ` +
        `"${operation.table}"). Guard the option with a dialect check (op.getContext().dialect.name === "postgresql"), ` +
        "or drop it on SQLite.",
    );
  }

  /** `ALTER TABLE "a" RENAME TO "b"` (https://sqlite.org/lang_altertable.html#alter_table_rename). */
  #renameTable(operation: RenameTableOperation): CompiledStatement {
    return this.#statement(operation.table, `RENAME TO ${this.#quoter.quoteIdentifier(operation.newName)}`);
  }

  /**
   * `ALTER TABLE "t" DROP COLUMN "c"` (SQLite 3.35.0+). SQLite itself
   * refuses a PRIMARY KEY, UNIQUE, indexed or referenced column
   * (https://sqlite.org/lang_altertable.html#alter_table_drop_column); the
   * compiler cannot see the table, so that error comes from the database,
   * and the driver's error names batch mode. There is no DROP COLUMN IF
   * EXISTS.
   */
  #dropColumn(operation: DropColumnOperation): CompiledStatement {
    if (operation.ifExists === true) {
      refuse(
        operation.kind,
        `SQLite has no DROP COLUMN IF EXISTS (column "${operation.column}" of "${operation.table}"). ` +
          `Check for the column first (PRAGMA table_info("${operation.table}")), or drop the ifExists option.`,
      );
    }
    return this.#statement(operation.table, `DROP COLUMN ${this.#quoter.quoteIdentifier(operation.column)}`);
  }

  /**
   * Only a pure rename runs in place: `ALTER TABLE "t" RENAME COLUMN "a" TO
   * "b"` (3.25.0+), which also rewrites indexes, triggers and views. Type,
   * nullability, default, comment and autoincrement changes need batch mode.
   */
  #alterColumn(operation: AlterColumnOperation): CompiledStatement {
    const changes = [
      operation.type === undefined ? undefined : "type",
      operation.nullable === undefined ? undefined : "nullability",
      operation.serverDefault === undefined ? undefined : "server default",
      operation.comment === undefined ? undefined : "comment",
      operation.autoincrement === undefined ? undefined : "autoincrement",
    ].filter((change): change is string => change !== undefined);
    if (changes.length > 0) {
      refuse(
        operation.kind,
        `SQLite cannot ALTER COLUMN in place: changing the ${changes.join(", ")} of column "${operation.column}" ` +
          `of "${operation.table}" needs the table rebuilt (https://sqlite.org/lang_altertable.html#otheralter). ` +
          batchHint(operation.table, `batch.alterColumn("${operation.column}", {...})`),
      );
    }
    if (operation.newColumnName === undefined) {
      refuse(operation.kind, `alterColumn("${operation.table}", "${operation.column}") changes nothing`);
    }
    const from = this.#quoter.quoteIdentifier(operation.column);
    const to = this.#quoter.quoteIdentifier(operation.newColumnName as string);
    return this.#statement(operation.table, `RENAME COLUMN ${from} TO ${to}`);
  }

  #statement(table: string, action: string): CompiledStatement {
    return { sql: `ALTER TABLE ${this.#quoter.quoteIdentifier(table)} ${action}`, parameters: [] };
  }
}

/** The way out: the batch block that does the same change by copy-and-move. */
export function batchHint(table: string, call: string): string {
  return `Use op.batchAlterTable("${table}", {}, async (batch) => { await ${call} }) instead.`;
}

function refuse(operation: string, message: string): never {
  throw new SqliteUnsupportedOperationError(operation, message);
}

function assertNeverAlter(value: never): never {
  throw new Error(`Unexpected operation: ${JSON.stringify(value)}`);
}
