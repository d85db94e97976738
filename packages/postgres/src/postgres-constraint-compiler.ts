import type {
  CompiledStatement,
  CreateCheckConstraintOperation,
  CreateExcludeConstraintOperation,
  CreateForeignKeyOperation,
  CreatePrimaryKeyOperation,
  CreateUniqueConstraintOperation,
  DropConstraintOperation,
} from "@retort/core";
import { accessMethod, deferrability, excludeOperator, expressionText } from "./postgres-clauses.js";
import { qualifiedName } from "./postgres-identifiers.js";
import type { PostgresQuoter, PostgresTableCompiler } from "./postgres-table-compiler.js";

const CONSTRAINT_TYPES: readonly (string | undefined)[] = ["foreignkey", "primary", "unique", "check", undefined];

/**
 * Compiles `ALTER TABLE ... ADD CONSTRAINT` and `DROP CONSTRAINT`
 * (https://www.postgresql.org/docs/current/sql-altertable.html). Clauses
 * follow the table-constraint grammar of CREATE TABLE
 * (https://www.postgresql.org/docs/current/sql-createtable.html):
 * `REFERENCES ... MATCH ... ON DELETE ... ON UPDATE ...`, then
 * `[NOT] DEFERRABLE`, then `INITIALLY ...`.
 *
 * ```ts
 * constraints.createUniqueConstraint({ kind: "createUniqueConstraint", name: "uq_a", table: "t", columns: ["a"] });
 * // [{ sql: 'ALTER TABLE "t" ADD CONSTRAINT "uq_a" UNIQUE ("a")', parameters: [] }]
 * ```
 */
export class PostgresConstraintCompiler {
  readonly #quoter: PostgresQuoter;
  readonly #tables: PostgresTableCompiler;

  constructor(quoter: PostgresQuoter, tables: PostgresTableCompiler) {
    this.#quoter = quoter;
    this.#tables = tables;
  }

  /** `ALTER TABLE "t" ADD CONSTRAINT "uq" UNIQUE ("a", "b") [[NOT] DEFERRABLE] [INITIALLY ...]`. */
  createUniqueConstraint(operation: CreateUniqueConstraintOperation): CompiledStatement[] {
    const body = `UNIQUE (${this.#columns(operation.columns, operation.name)})`;
    return [this.#add(operation.table, operation.schema, operation.name, body + this.#deferrable(operation))];
  }

  /**
   * `ALTER TABLE "s"."t" ADD CONSTRAINT "fk" FOREIGN KEY ("a") REFERENCES "rs"."r" ("id") [MATCH ..] [ON DELETE ..] [ON UPDATE ..] [DEFERRABLE] [INITIALLY ..]`.
   * The referent table is qualified by `referentSchema` only: PostgreSQL
   * resolves an unqualified name through `search_path`, as Alembic leaves it.
   */
  createForeignKey(operation: CreateForeignKeyOperation): CompiledStatement[] {
    if (operation.localColumns.length !== operation.remoteColumns.length) {
      throw new TypeError(
        `createForeignKey("${operation.name}"): ${operation.localColumns.length} local column(s) refer to ${operation.remoteColumns.length} column(s) of "${operation.referentTable}"; the counts must match`,
      );
    }
    const references = this.#tables.references(
      { name: operation.referentTable, schema: operation.referentSchema },
      operation.remoteColumns,
      operation,
    );
    const body = `FOREIGN KEY (${this.#columns(operation.localColumns, operation.name)}) ${references}`;
    return [this.#add(operation.sourceTable, operation.sourceSchema, operation.name, body)];
  }

  /** `ALTER TABLE "t" ADD CONSTRAINT "ck" CHECK (condition)`; the condition is written as given. */
  createCheckConstraint(operation: CreateCheckConstraintOperation): CompiledStatement[] {
    const body = `CHECK (${expressionText(operation.condition)})`;
    return [this.#add(operation.table, operation.schema, operation.name, body)];
  }

  /** `ALTER TABLE "t" ADD CONSTRAINT "pk" PRIMARY KEY ("a", "b")` (the columns become NOT NULL). */
  createPrimaryKey(operation: CreatePrimaryKeyOperation): CompiledStatement[] {
    const body = `PRIMARY KEY (${this.#columns(operation.columns, operation.name)})`;
    return [this.#add(operation.table, operation.schema, operation.name, body)];
  }

  /**
   * `ALTER TABLE "t" ADD CONSTRAINT "ex" EXCLUDE USING gist ("room" WITH =, "during" WITH &&) [WHERE (...)] [DEFERRABLE] [INITIALLY ...]`.
   * An element given as a string is a column name (quoted); ``sql`...` `` is
   * an expression, written as is. The access method defaults to `gist`, as
   * SQLAlchemy's `ExcludeConstraint` does. Equality (`=`) on a scalar column
   * under gist needs the `btree_gist` extension
   * (https://www.postgresql.org/docs/current/btree-gist.html); ranges,
   * boxes and other geometric types have gist operator classes built in.
   */
  createExcludeConstraint(operation: CreateExcludeConstraintOperation): CompiledStatement[] {
    const what = `createExcludeConstraint("${operation.name}")`;
    if (operation.elements.length === 0) throw new TypeError(`${what} needs at least one element`);
    const elements = operation.elements
      .map((element) => {
        const expression =
          typeof element.expression === "string"
            ? this.#quoter.quoteIdentifier(element.expression)
            : element.expression.text;
        return `${expression} WITH ${excludeOperator(element.operator, what)}`;
      })
      .join(", ");
    let body = `EXCLUDE USING ${accessMethod(operation.using ?? "gist", what)} (${elements})`;
    // The predicate must be in parentheses (https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-EXCLUDE).
    if (operation.where !== undefined) body += ` WHERE (${expressionText(operation.where)})`;
    return [this.#add(operation.table, operation.schema, operation.name, body + this.#deferrable(operation))];
  }

  /**
   * `ALTER TABLE "t" DROP CONSTRAINT [IF EXISTS] "n"`, whatever the
   * constraint's type (PostgreSQL has one statement for all of them; `type`
   * is only checked, as Alembic checks it).
   */
  dropConstraint(operation: DropConstraintOperation): CompiledStatement[] {
    if (!CONSTRAINT_TYPES.includes(operation.type)) {
      throw new TypeError(
        `dropConstraint("${operation.name}"): type can be one of 'check', 'foreignkey', 'primary', 'unique' or undefined; got ${JSON.stringify(operation.type)}`,
      );
    }
    const ifExists = operation.ifExists === true ? "IF EXISTS " : "";
    return [
      statement(
        `ALTER TABLE ${qualifiedName(operation.table, operation.schema)} DROP CONSTRAINT ${ifExists}${this.#quoter.quoteIdentifier(operation.name)}`,
      ),
    ];
  }

  #add(table: string, schema: string | undefined, name: string, body: string): CompiledStatement {
    return statement(
      `ALTER TABLE ${qualifiedName(table, schema)} ADD CONSTRAINT ${this.#quoter.quoteIdentifier(name)} ${body}`,
    );
  }

  #deferrable(operation: { deferrable?: boolean; initially?: "DEFERRED" | "IMMEDIATE"; name: string }): string {
    return deferrability(operation, `Constraint "${operation.name}"`);
  }

  #columns(columns: readonly string[], name: string): string {
    if (columns.length === 0) throw new TypeError(`constraint "${name}" needs at least one column`);
    return columns.map((column) => this.#quoter.quoteIdentifier(column)).join(", ");
  }
}

function statement(sql: string): CompiledStatement {
  return { sql, parameters: [] };
}
