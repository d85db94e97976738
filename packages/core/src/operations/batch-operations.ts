import {
  checkAlterColumnValues,
  checkBooleanOptions,
  checkColumnDefinition,
  checkName,
  checkNameList,
  checkSqlText,
  checkText,
} from "../schema/check-arguments.js";
import { checkOptions } from "../schema/check-options.js";
import type { SqlExpression } from "../schema/sql-expression.js";
import type { ColumnDefinition } from "../schema/table-elements.js";
import type { BatchStep, ColumnPlacement } from "./batch-operation.js";
import {
  BATCH_ADD_COLUMN_OPTIONS,
  BATCH_ALTER_COLUMN_OPTIONS,
  BATCH_CREATE_INDEX_OPTIONS,
  BATCH_DROP_COLUMN_OPTIONS,
  BATCH_DROP_CONSTRAINT_OPTIONS,
  BATCH_TABLE_COMMENT_OPTIONS,
  type BatchAlterColumnOptions,
  type BatchCreateIndexOptions,
  type BatchDropColumnOptions,
  type BatchDropConstraintOptions,
  type BatchTableCommentOptions,
  FOREIGN_KEY_OPTIONS,
  type ForeignKeyOptions,
  withDialectOptions,
} from "./operation-options.js";

/**
 * The `batch` object of `op.batchAlterTable(name, options, async (batch) =>
 * ...)`: the table operations without the table name. Each call records a
 * step; nothing runs until the block ends. An unknown key in an options
 * object throws `UnknownOptionError` at the call.
 */
export class BatchOperations {
  readonly #table: string;
  readonly #schema: string | undefined;
  readonly #steps: BatchStep[] = [];

  constructor(table: string, schema?: string) {
    this.#table = table;
    this.#schema = schema;
  }

  /** The steps recorded so far, in order. */
  get steps(): readonly BatchStep[] {
    return [...this.#steps];
  }

  #where(): { table: string; schema?: string } {
    return this.#schema === undefined ? { table: this.#table } : { table: this.#table, schema: this.#schema };
  }

  async addColumn(column: ColumnDefinition, placement: ColumnPlacement = {}): Promise<void> {
    checkColumnDefinition(column, "batch.addColumn", undefined);
    checkOptions(placement, BATCH_ADD_COLUMN_OPTIONS, "batch.addColumn", column.name);
    this.#steps.push({ kind: "addColumn", ...this.#where(), column, ...placement });
  }

  async dropColumn(column: string, options: BatchDropColumnOptions = {}): Promise<void> {
    checkName(column, "the column name", "batch.dropColumn", column);
    checkOptions(options, BATCH_DROP_COLUMN_OPTIONS, "batch.dropColumn", column);
    this.#steps.push({ kind: "dropColumn", ...this.#where(), column, ...options });
  }

  async alterColumn(column: string, options: BatchAlterColumnOptions): Promise<void> {
    checkName(column, "the column name", "batch.alterColumn", column);
    checkOptions(options, BATCH_ALTER_COLUMN_OPTIONS, "batch.alterColumn", column);
    checkAlterColumnValues(options, "batch.alterColumn", column);
    this.#steps.push({ kind: "alterColumn", ...this.#where(), column, ...withDialectOptions(options) });
  }

  async createIndex(
    name: string,
    columns: string | readonly (string | SqlExpression)[],
    options: BatchCreateIndexOptions = {},
  ): Promise<void> {
    checkName(name, "the index name", "batch.createIndex", name);
    checkNameList(columns, "columns", "batch.createIndex", name, { single: true, expressions: true });
    checkOptions(options, BATCH_CREATE_INDEX_OPTIONS, "batch.createIndex", name);
    checkBooleanOptions(options, ["unique"], "batch.createIndex", name);
    const list = typeof columns === "string" ? [columns] : [...columns];
    this.#steps.push({ kind: "createIndex", name, ...this.#where(), columns: list, ...withDialectOptions(options) });
  }

  async dropIndex(name: string): Promise<void> {
    checkName(name, "the index name", "batch.dropIndex", name);
    this.#steps.push({ kind: "dropIndex", name, ...this.#where() });
  }

  async createUniqueConstraint(name: string, columns: readonly string[]): Promise<void> {
    checkName(name, "the constraint name", "batch.createUniqueConstraint", name);
    checkNameList(columns, "columns", "batch.createUniqueConstraint", name);
    this.#steps.push({ kind: "createUniqueConstraint", name, ...this.#where(), columns: [...columns] });
  }

  async createForeignKey(
    name: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: ForeignKeyOptions = {},
  ): Promise<void> {
    checkName(name, "the constraint name", "batch.createForeignKey", name);
    checkName(referentTable, "the referent table", "batch.createForeignKey", name);
    checkNameList(localColumns, "localColumns", "batch.createForeignKey", name);
    checkNameList(remoteColumns, "remoteColumns", "batch.createForeignKey", name);
    checkOptions(options, FOREIGN_KEY_OPTIONS, "batch.createForeignKey", name);
    const where = this.#where();
    this.#steps.push({
      kind: "createForeignKey",
      name,
      sourceTable: where.table,
      ...(where.schema === undefined ? {} : { sourceSchema: where.schema }),
      referentTable,
      localColumns: [...localColumns],
      remoteColumns: [...remoteColumns],
      ...options,
    });
  }

  async createCheckConstraint(name: string, condition: SqlExpression | string): Promise<void> {
    checkName(name, "the constraint name", "batch.createCheckConstraint", name);
    checkSqlText(condition, "the condition", "batch.createCheckConstraint", name);
    this.#steps.push({ kind: "createCheckConstraint", name, ...this.#where(), condition });
  }

  async createPrimaryKey(name: string, columns: readonly string[]): Promise<void> {
    checkName(name, "the constraint name", "batch.createPrimaryKey", name);
    checkNameList(columns, "columns", "batch.createPrimaryKey", name);
    this.#steps.push({ kind: "createPrimaryKey", name, ...this.#where(), columns: [...columns] });
  }

  async dropConstraint(name: string, options: BatchDropConstraintOptions = {}): Promise<void> {
    checkName(name, "the constraint name", "batch.dropConstraint", name);
    checkOptions(options, BATCH_DROP_CONSTRAINT_OPTIONS, "batch.dropConstraint", name);
    this.#steps.push({ kind: "dropConstraint", name, ...this.#where(), ...options });
  }

  async createTableComment(comment: string, options: BatchTableCommentOptions = {}): Promise<void> {
    checkText(comment, "the comment", "batch.createTableComment", undefined);
    checkOptions(options, BATCH_TABLE_COMMENT_OPTIONS, "batch.createTableComment");
    this.#steps.push({ kind: "createTableComment", ...this.#where(), comment, ...options });
  }

  async dropTableComment(options: BatchTableCommentOptions = {}): Promise<void> {
    checkOptions(options, BATCH_TABLE_COMMENT_OPTIONS, "batch.dropTableComment");
    this.#steps.push({ kind: "dropTableComment", ...this.#where(), ...options });
  }
}
