import type { BatchAlterTableOperation } from "../operations/batch-operation.js";
import { compileBulkInsert } from "../operations/compile-bulk-insert.js";
import type {
  AddColumnOperation,
  AlterColumnOperation,
  BulkInsertOperation,
  CompiledStatement,
  CreateCheckConstraintOperation,
  CreateExcludeConstraintOperation,
  CreateForeignKeyOperation,
  CreateIndexOperation,
  CreatePrimaryKeyOperation,
  CreateSchemaOperation,
  CreateTableCommentOperation,
  CreateTableOperation,
  CreateUniqueConstraintOperation,
  DropColumnOperation,
  DropConstraintOperation,
  DropIndexOperation,
  DropSchemaOperation,
  DropTableCommentOperation,
  DropTableOperation,
  Operation,
  RenameTableOperation,
} from "../operations/operation.js";
import type { ColumnType } from "../schema/column-type.js";
import { expressionSql } from "../schema/sql-expression.js";
import { column as columnOf, type IndexDefinition, parseReference } from "../schema/table-elements.js";
import { deferrability, expressionText, schemaOf, statement } from "./ddl-clauses.js";
import { assertNever, type IndexSpec } from "./ddl-compiler-types.js";
import { checkDialectOptions, DdlDefinitionRenderer } from "./ddl-definition-renderer.js";

/**
 * Compiles operation objects to statements, as Kysely's
 * `DefaultQueryCompiler` and Alembic's `DefaultImpl`: one exhaustive
 * `switch (operation.kind)`, a protected method per operation writing
 * standard SQL, and small hooks (type, default, column clauses, references,
 * index clauses, comments, bulk-insert values) a dialect overrides where its
 * syntax differs. What the database cannot do throws through `unsupported`
 * with the way out; nothing compiles to empty SQL. The hooks that write the
 * parts of a definition (names, types, columns, constraints, references,
 * enum types, comments, CREATE INDEX) and the errors are inherited from
 * `DdlDefinitionRenderer` (ddl-definition-renderer.ts); the operation
 * types (`IndexSpec`, `ReferenceOptions`, ...) are in ddl-compiler-types.ts.
 *
 * Dialect options: an operation's `dialectOptions` holds a block per
 * dialect (`{ postgresql: { concurrently: true } }`); a compiler reads its
 * own with `dialectOptions(...)`, which rejects unknown keys, and ignores
 * the others.
 */
export abstract class DdlCompilerBase extends DdlDefinitionRenderer {
  #warn: (message: string) => void = () => {};

  /** The statements of one operation, in the order they must run; `warn` receives deprecation warnings. */
  compile(operation: Operation, warn?: (message: string) => void): CompiledStatement[] {
    if (warn === undefined) return this.compileOperation(operation);
    const previous = this.#warn;
    this.#warn = warn;
    try {
      return this.compileOperation(operation);
    } finally {
      this.#warn = previous;
    }
  }

  protected compileOperation(operation: Operation): CompiledStatement[] {
    if (!this.tableSchemas()) {
      const target = schemaOf(operation);
      if (target !== undefined) this.rejectSchema(operation.kind, target.table, target.schema);
    }
    if (operation.kind === "createIndex" || operation.kind === "alterColumn") {
      checkDialectOptions(operation, this.dialect.name, this.dialectOptionNames(operation.kind));
    }
    switch (operation.kind) {
      case "createTable":
        return this.createTable(operation);
      case "dropTable":
        return this.dropTable(operation);
      case "renameTable":
        return this.renameTable(operation);
      case "addColumn":
        return this.addColumn(operation);
      case "dropColumn":
        return this.dropColumn(operation);
      case "alterColumn":
        return this.alterColumn(operation);
      case "createIndex":
        return this.createIndex(operation);
      case "dropIndex":
        return this.dropIndex(operation);
      case "createUniqueConstraint":
        return this.createUniqueConstraint(operation);
      case "createForeignKey":
        return this.createForeignKey(operation);
      case "createCheckConstraint":
        return this.createCheckConstraint(operation);
      case "createPrimaryKey":
        return this.createPrimaryKey(operation);
      case "createExcludeConstraint":
        return this.createExcludeConstraint(operation);
      case "dropConstraint":
        return this.dropConstraint(operation);
      case "createTableComment":
        return this.createTableComment(operation);
      case "dropTableComment":
        return this.dropTableComment(operation);
      case "batchAlterTable":
        return this.batchAlterTable(operation);
      case "bulkInsert":
        return this.bulkInsert(operation);
      case "execute":
        return [{ sql: operation.sql, parameters: operation.parameters ?? [] }];
      case "createSchema":
        return this.createSchema(operation);
      case "dropSchema":
        return this.dropSchema(operation);
      default:
        return assertNever(operation);
    }
  }

  // Hooks: warnings.

  /** Sends a warning (once per run: the dialect drops repeats). */
  protected warn(message: string): void {
    this.#warn(message);
  }

  // createTable.

  /**
   * The statements of `createTable`, in the order Alembic emits them: native
   * enum types, CREATE TABLE (column-level `primaryKey`, `unique` and
   * `references` become table constraints, as SQLAlchemy writes them), an
   * index per `index: true` column and per declared index, then comments.
   */
  protected createTable(operation: CreateTableOperation): CompiledStatement[] {
    const { table } = operation;
    const ifNotExists = operation.ifNotExists === true;
    if (table.columns.length === 0) throw new TypeError(`createTable("${table.name}") needs at least one column`);
    const schema = table.options.schema;
    const primaryKey = this.primaryKey(table);
    const lines = table.columns.map((column) =>
      this.column(column, {
        notNull: column.options.nullable === false || primaryKey.columns.includes(column.name),
        schema,
        operation: "createTable",
        table: table.name,
      }),
    );
    lines.push(...this.primaryKeyClause(primaryKey));
    for (const column of table.columns) lines.push(...this.columnTableConstraints(column));
    for (const constraint of table.constraints) {
      if (constraint.kind !== "primaryKey") lines.push(this.constraint(constraint));
    }
    const name = this.tableName(table.name, schema);
    const create = `CREATE TABLE ${ifNotExists ? "IF NOT EXISTS " : ""}${name} (\n  ${lines.join(",\n  ")}\n)${this.tableOptionsClause(table)}`;
    return [
      ...this.enumTypes(table.columns, schema, ifNotExists),
      statement(create),
      ...this.columnIndexes(table.name, schema, table.columns, ifNotExists),
      ...table.indexes.flatMap((index) => this.declaredIndex(table.name, schema, index, ifNotExists)),
      ...this.tableComments(table),
    ];
  }

  // Indexes.

  protected createIndex(operation: CreateIndexOperation): CompiledStatement[] {
    const spec: IndexSpec = {
      name: operation.name,
      columns: operation.columns,
      ...(operation.unique === undefined ? {} : { unique: operation.unique }),
      ...(operation.where === undefined ? {} : { where: operation.where }),
      options: this.indexOptions(operation),
    };
    return [this.createIndexStatement(operation.table, operation.schema, spec, operation.ifNotExists === true)];
  }

  /**
   * An `index(...)` of a declared table: compiled as `op.createIndex` with
   * the same options (its dialect's block checked the same way), so that
   * `{ mysql: { length } }` or `{ postgresql: { using } }` mean the same
   * in both places.
   */
  protected declaredIndex(
    table: string,
    schema: string | undefined,
    index: IndexDefinition,
    ifNotExists: boolean,
  ): CompiledStatement[] {
    const operation: CreateIndexOperation = {
      kind: "createIndex",
      name: index.name,
      table,
      columns: index.columns,
      ...(schema === undefined ? {} : { schema }),
      ...(index.unique === undefined ? {} : { unique: index.unique }),
      ...(index.where === undefined ? {} : { where: index.where }),
      ...(ifNotExists ? { ifNotExists } : {}),
      ...(index.dialectOptions === undefined ? {} : { dialectOptions: index.dialectOptions }),
    };
    checkDialectOptions(operation, this.dialect.name, this.dialectOptionNames("createIndex"), "index");
    return this.createIndex(operation);
  }

  /** The dialect's options of `createIndex`: its block (see `dialectOptionNames`). */
  protected indexOptions(operation: CreateIndexOperation): Readonly<Record<string, unknown>> {
    return this.dialectOptions(operation);
  }

  /** `DROP INDEX [IF EXISTS] "s"."ix"`: an index lives in its table's schema; the table is not needed. */
  protected dropIndex(operation: DropIndexOperation): CompiledStatement[] {
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return [statement(`DROP INDEX ${ifExists}${this.tableName(operation.name, operation.schema)}`)];
  }

  // Tables and columns.

  protected dropTable(operation: DropTableOperation): CompiledStatement[] {
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return [statement(`DROP TABLE ${ifExists}${this.tableName(operation.table, operation.schema)}`)];
  }

  /** `ALTER TABLE "s"."a" RENAME TO "b"`: the new name is not qualified (the table keeps its schema). */
  protected renameTable(operation: RenameTableOperation): CompiledStatement[] {
    const target = this.tableName(operation.table, operation.schema);
    return [statement(`ALTER TABLE ${target} RENAME TO ${this.dialect.quoteIdentifier(operation.newName)}`)];
  }

  /**
   * `ALTER TABLE "t" ADD COLUMN [IF NOT EXISTS] <column>` with its
   * constraints inline, preceded by a native enum's type and followed by
   * its index (`index: true`) and comment.
   */
  protected addColumn(operation: AddColumnOperation): CompiledStatement[] {
    const { table, column, schema } = operation;
    const ifNotExists = operation.ifNotExists === true;
    const options = column.options;
    const constraints: string[] = [];
    if (options.primaryKey === true) constraints.push("PRIMARY KEY");
    if (options.unique === true && options.index !== true) constraints.push("UNIQUE");
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      constraints.push(this.references(reference.table, [reference.column], reference));
    }
    const definition = this.column(column, {
      notNull: options.nullable === false || options.primaryKey === true,
      schema,
      constraints,
      operation: operation.kind,
      table,
    });
    const add = `ALTER TABLE ${this.tableName(table, schema)} ADD COLUMN ${ifNotExists ? "IF NOT EXISTS " : ""}${definition}`;
    const statements = [
      ...this.enumTypes([column], schema, ifNotExists),
      statement(add),
      ...this.columnIndexes(table, schema, [column], ifNotExists),
    ];
    if (options.comment !== undefined && this.dialect.capabilities.comments) {
      statements.push(this.columnComment(table, schema, column));
    }
    return statements;
  }

  /** `ALTER TABLE "t" DROP COLUMN [IF EXISTS] "c"` (never CASCADE). */
  protected dropColumn(operation: DropColumnOperation): CompiledStatement[] {
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    const target = this.tableName(operation.table, operation.schema);
    return [
      statement(`ALTER TABLE ${target} DROP COLUMN ${ifExists}${this.dialect.quoteIdentifier(operation.column)}`),
    ];
  }

  /**
   * `alterColumn` as separate statements, in Alembic's order: the type
   * (`alterColumnType`), `SET`/`DROP NOT NULL`, `SET DEFAULT x`/`DROP
   * DEFAULT`, autoincrement (`alterColumnAutoincrement`), the comment, and
   * `RENAME COLUMN` last, so the steps before name the old column.
   */
  protected alterColumn(operation: AlterColumnOperation): CompiledStatement[] {
    const { table, schema } = operation;
    const alter = `ALTER TABLE ${this.tableName(table, schema)} ALTER COLUMN ${this.dialect.quoteIdentifier(operation.column)}`;
    const statements: CompiledStatement[] = [];
    if (operation.type !== undefined) statements.push(...this.alterColumnType(operation, operation.type, alter));
    if (operation.nullable !== undefined) {
      statements.push(statement(`${alter} ${operation.nullable ? "DROP" : "SET"} NOT NULL`));
    }
    if (operation.serverDefault === null) {
      statements.push(statement(`${alter} DROP DEFAULT`));
    } else if (operation.serverDefault !== undefined) {
      statements.push(statement(`${alter} SET DEFAULT ${this.renderDefault(operation.serverDefault)}`));
    }
    if (operation.autoincrement !== undefined) {
      statements.push(...this.alterColumnAutoincrement(operation, operation.autoincrement, alter));
    }
    if (operation.comment !== undefined) {
      if (!this.dialect.capabilities.comments) {
        this.unsupported(operation.kind, `${this.dialect.databaseName} has no column comments`);
      }
      const target = `${this.tableName(table, schema)}.${this.dialect.quoteIdentifier(operation.column)}`;
      statements.push(statement(`COMMENT ON COLUMN ${target} IS ${this.dialect.renderLiteral(operation.comment)}`));
    }
    if (operation.newColumnName !== undefined && operation.newColumnName !== operation.column) {
      const from = this.dialect.quoteIdentifier(operation.column);
      const to = this.dialect.quoteIdentifier(operation.newColumnName);
      statements.push(statement(`ALTER TABLE ${this.tableName(table, schema)} RENAME COLUMN ${from} TO ${to}`));
    }
    return statements;
  }

  /** `... ALTER COLUMN "c" TYPE X`, with the enum type first where enums are native. */
  protected alterColumnType(operation: AlterColumnOperation, type: ColumnType, alter: string): CompiledStatement[] {
    return [
      ...this.enumTypes([columnOf(operation.column, type)], operation.schema, false),
      statement(`${alter} TYPE ${this.renderType(type, operation.schema)}`),
    ];
  }

  protected alterColumnAutoincrement(
    operation: AlterColumnOperation,
    _on: boolean,
    _alter: string,
  ): CompiledStatement[] {
    return this.unsupported(
      operation.kind,
      `${this.dialect.databaseName} cannot change autoincrement of column "${operation.column}" in place`,
    );
  }

  // Constraints and comments.

  /** `ALTER TABLE "t" ADD CONSTRAINT "uq" UNIQUE ("a", "b") [[NOT] DEFERRABLE] [INITIALLY ...]`. */
  protected createUniqueConstraint(operation: CreateUniqueConstraintOperation): CompiledStatement[] {
    const body = `UNIQUE (${this.constraintColumns(operation.columns, operation.name)})`;
    const deferrable = deferrability(operation, `Constraint "${operation.name}"`);
    return [this.addConstraint(operation.table, operation.schema, operation.name, body + deferrable)];
  }

  /**
   * `ALTER TABLE "s"."t" ADD CONSTRAINT "fk" FOREIGN KEY ("a") REFERENCES ...`.
   * The referent table is qualified by `referentSchema` only, as Alembic leaves it.
   */
  protected createForeignKey(operation: CreateForeignKeyOperation): CompiledStatement[] {
    if (operation.localColumns.length !== operation.remoteColumns.length) {
      throw new TypeError(
        `createForeignKey("${operation.name}"): ${operation.localColumns.length} local column(s) refer to ${operation.remoteColumns.length} column(s) of "${operation.referentTable}"; the counts must match`,
      );
    }
    const references = this.references(
      { name: operation.referentTable, schema: operation.referentSchema },
      operation.remoteColumns,
      operation,
    );
    const body = `FOREIGN KEY (${this.constraintColumns(operation.localColumns, operation.name)}) ${references}`;
    return [this.addConstraint(operation.sourceTable, operation.sourceSchema, operation.name, body)];
  }

  protected createCheckConstraint(operation: CreateCheckConstraintOperation): CompiledStatement[] {
    const body = `CHECK (${expressionText(operation.condition)})`;
    return [this.addConstraint(operation.table, operation.schema, operation.name, body)];
  }

  protected createPrimaryKey(operation: CreatePrimaryKeyOperation): CompiledStatement[] {
    const body = `PRIMARY KEY (${this.constraintColumns(operation.columns, operation.name)})`;
    return [this.addConstraint(operation.table, operation.schema, operation.name, body)];
  }

  /** EXCLUDE constraints are PostgreSQL's; refused unless a dialect writes them. */
  protected createExcludeConstraint(operation: CreateExcludeConstraintOperation): CompiledStatement[] {
    return this.unsupported(
      operation.kind,
      `${this.dialect.databaseName} has no EXCLUDE constraints (constraint "${operation.name}" on "${operation.table}")`,
    );
  }

  /** `ALTER TABLE "t" DROP CONSTRAINT [IF EXISTS] "n"` (`type` is only checked, as Alembic checks it). */
  protected dropConstraint(operation: DropConstraintOperation): CompiledStatement[] {
    if (!CONSTRAINT_TYPES.includes(operation.type)) {
      throw new TypeError(
        `dropConstraint("${operation.name}"): type can be one of 'check', 'foreignkey', 'primary', 'unique' or undefined; got ${JSON.stringify(operation.type)}`,
      );
    }
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    const target = this.tableName(operation.table, operation.schema);
    return [
      statement(`ALTER TABLE ${target} DROP CONSTRAINT ${ifExists}${this.dialect.quoteIdentifier(operation.name)}`),
    ];
  }

  /** `COMMENT ON TABLE "s"."t" IS '...'` where the database has comments. */
  protected createTableComment(operation: CreateTableCommentOperation): CompiledStatement[] {
    if (!this.dialect.capabilities.comments) this.unsupported(operation.kind, this.noComments(operation.table));
    const target = this.tableName(operation.table, operation.schema);
    return [statement(`COMMENT ON TABLE ${target} IS ${this.dialect.renderLiteral(operation.comment)}`)];
  }

  /** `COMMENT ON TABLE "s"."t" IS NULL`. */
  protected dropTableComment(operation: DropTableCommentOperation): CompiledStatement[] {
    if (!this.dialect.capabilities.comments) this.unsupported(operation.kind, this.noComments(operation.table));
    return [statement(`COMMENT ON TABLE ${this.tableName(operation.table, operation.schema)} IS NULL`)];
  }

  // Batches, rows, schemas.

  /**
   * Whether a table's operations may name its schema (`{ schema }`):
   * where the database has schemas. Else such an operation is refused
   * (`rejectSchema`), never run on the table of that name elsewhere. MySQL
   * overrides it: there a schema names another database.
   */
  protected tableSchemas(): boolean {
    return this.dialect.capabilities.schemas;
  }

  /**
   * A batch where the database alters in place runs as plain ALTERs, each
   * step compiled as the plain operation, in the order recorded (Alembic's
   * `recreate="auto"` without a rebuild). What only a rebuild can do is
   * refused: `recreate: "always"`, and a column placed with
   * `insertBefore`/`insertAfter`.
   */
  protected batchAlterTable(operation: BatchAlterTableOperation): CompiledStatement[] {
    const where = `batchAlterTable("${operation.table}")`;
    const database = this.dialect.databaseName;
    if (operation.options.recreate === "always") {
      this.unsupported(
        "batchAlterTable",
        `${where} with recreate: "always" asks for a table rebuild, which Retort does on SQLite only; ` +
          `${database} alters tables in place: use recreate: "auto" (or "never")`,
      );
    }
    return operation.steps.flatMap((step) => {
      if ((step.kind === "addColumn" || step.kind === "alterColumn") && placed(step)) {
        const name = step.kind === "addColumn" ? step.column.name : step.column;
        this.unsupported(
          step.kind,
          `${where}: column "${name}" is placed with insertBefore/insertAfter; column order needs a table rebuild, ` +
            `which Retort does on SQLite only. Remove the placement, or the batch, on ${database}`,
        );
      }
      return this.compileOperation(step);
    });
  }

  /** The most parameters one statement may bind. */
  protected abstract readonly maxParameters: number;

  /** About how many bytes of values one statement may carry (see `BulkInsertSyntax.maxStatementBytes`); no limit by default. */
  protected readonly maxStatementBytes: number | undefined = undefined;

  /** Converts a `bulkInsert` value by its declared column type (booleans, dates, JSON). */
  protected abstract toColumnValue(value: unknown, type: ColumnType): unknown;

  /** Multi-row INSERTs under `maxParameters`, values converted by `toColumnValue` (see `compileBulkInsert`). */
  protected bulkInsert(operation: BulkInsertOperation): CompiledStatement[] {
    const definition = typeof operation.table === "string" ? undefined : operation.table;
    const tableName = definition === undefined ? (operation.table as string) : definition.name;
    return compileBulkInsert(operation, {
      databaseName: this.dialect.databaseName,
      maxParameters: this.maxParameters,
      ...(this.maxStatementBytes === undefined ? {} : { maxStatementBytes: this.maxStatementBytes }),
      table: this.tableName(tableName, operation.schema ?? definition?.options.schema),
      quoteIdentifier: (name) => this.dialect.quoteIdentifier(name),
      placeholder: (index) => this.dialect.placeholder(index),
      toColumnValue: (value, type) => this.toColumnValue(value, type),
      renderExpression: (expression) => expressionSql(expression, this.dialect),
    });
  }

  protected createSchema(operation: CreateSchemaOperation): CompiledStatement[] {
    if (!this.dialect.capabilities.schemas) this.noSchemas(operation.kind, operation.name);
    const ifNotExists = operation.ifNotExists === true ? "IF NOT EXISTS " : "";
    return [statement(`CREATE SCHEMA ${ifNotExists}${this.dialect.quoteIdentifier(operation.name)}`)];
  }

  protected dropSchema(operation: DropSchemaOperation): CompiledStatement[] {
    if (!this.dialect.capabilities.schemas) this.noSchemas(operation.kind, operation.name);
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    const cascade = operation.cascade === true ? " CASCADE" : "";
    return [statement(`DROP SCHEMA ${ifExists}${this.dialect.quoteIdentifier(operation.name)}${cascade}`)];
  }
}

const CONSTRAINT_TYPES: readonly (string | undefined)[] = ["foreignkey", "primary", "unique", "check", undefined];

function placed(step: { insertBefore?: string; insertAfter?: string }): boolean {
  return step.insertBefore !== undefined || step.insertAfter !== undefined;
}
