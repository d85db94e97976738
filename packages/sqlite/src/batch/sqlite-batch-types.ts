import type { ForeignKeyDefinition, ReferentialAction } from "@retort/core";
import { RetortError } from "@retort/core/errors";

/**
 * The in-memory model of a table that batch mode rebuilds. Types, defaults
 * and expressions are kept as SQL text, as SQLite stores them, so a
 * reflected table is written back exactly (collations, `DEFAULT (expr)`,
 * CHECK text) without a round trip through Retort's type vocabulary.
 */
export interface BatchColumn {
  readonly name: string;
  /**
   * The column of the old table whose values fill this one, by its old
   * name (a rename keeps it, so the copy still maps the data); undefined
   * for a new column, which gets its default.
   */
  readonly source: string | undefined;
  /** The key used for ordering: the old name of an existing column, the name of an added one. */
  readonly key: string;
  /** The declared type, e.g. `VARCHAR(50)` (may be empty). */
  readonly type: string;
  /** The declared type in the old table, to decide whether the copy needs a CAST. */
  readonly sourceType: string | undefined;
  readonly notNull: boolean;
  /**
   * The DEFAULT value's SQL as written in the table's `CREATE TABLE`
   * (`'x'`, `0`, `CURRENT_TIMESTAMP`, `(datetime('now'))`): an expression
   * keeps its parentheses, which `PRAGMA table_xinfo` drops.
   */
  readonly defaultSql: string | undefined;
  /** The NOT NULL clause as written (`NOT NULL ON CONFLICT REPLACE`), while the column stays NOT NULL. */
  readonly notNullSql?: string | undefined;
  readonly collate: string | undefined;
  /** A generated column (never copied: SQLite computes it). */
  readonly generated: { readonly expression: string; readonly stored: boolean } | undefined;
}

/**
 * The original text of a reflected constraint, written back as it was
 * (collations, `ON CONFLICT`, `DEFERRABLE`, `ASC`/`DESC`) instead of being
 * rendered from the fields. Undefined for a constraint a step added or
 * changed, which is rendered from its fields.
 */
export interface BatchClause {
  /** The clause without its `CONSTRAINT name`: `UNIQUE (email COLLATE NOCASE) ON CONFLICT IGNORE`. */
  readonly sql?: string | undefined;
  /** For a column-level clause (`UNIQUE ON CONFLICT IGNORE`, `REFERENCES p`), the column it is written on. */
  readonly column?: string | undefined;
}

export interface BatchPrimaryKey extends BatchClause {
  readonly name: string | undefined;
  readonly columns: readonly string[];
  /** `INTEGER PRIMARY KEY AUTOINCREMENT` (https://sqlite.org/autoinc.html). */
  readonly autoincrement: boolean;
}

export interface BatchUnique extends BatchClause {
  readonly kind: "unique";
  readonly name: string | undefined;
  readonly columns: readonly string[];
}

export interface BatchCheck {
  readonly kind: "check";
  readonly name: string | undefined;
  /** The condition inside `CHECK (...)`. */
  readonly condition: string;
}

export interface BatchForeignKey extends BatchClause {
  readonly kind: "foreignKey";
  readonly name: string | undefined;
  readonly columns: readonly string[];
  readonly referredTable: string;
  readonly referredColumns: readonly string[];
  readonly onDelete: ReferentialAction | undefined;
  readonly onUpdate: ReferentialAction | undefined;
  readonly match: ForeignKeyDefinition["match"] | undefined;
  /** The `[NOT] DEFERRABLE [INITIALLY ...]` text, as declared. */
  readonly deferrable: string | undefined;
}

export type BatchConstraint = BatchUnique | BatchCheck | BatchForeignKey;

/** One indexed term: a column (with its COLLATE/ASC/DESC suffix) or an expression. */
export interface BatchIndexTerm {
  readonly column: string | undefined;
  readonly expression: string | undefined;
  /** `COLLATE x`, `ASC`, `DESC`, as declared. */
  readonly suffix: string;
}

export interface BatchIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly terms: readonly BatchIndexTerm[];
  /** The WHERE of a partial index (https://sqlite.org/partialindex.html). */
  readonly where: string | undefined;
}

export interface BatchTable {
  readonly name: string;
  readonly columns: readonly BatchColumn[];
  readonly primaryKey: BatchPrimaryKey | undefined;
  readonly constraints: readonly BatchConstraint[];
  readonly indexes: readonly BatchIndex[];
  /** Table options after the closing parenthesis: `WITHOUT ROWID`, `STRICT`. */
  readonly tableOptions: string;
}

/** A trigger or view as `sqlite_schema` stores it. */
export interface SchemaObject {
  readonly type: "trigger" | "view";
  readonly name: string;
  /** The table (or view) a trigger is on; a view's own name. */
  readonly tableName: string;
  readonly sql: string;
}

/** A batch step that cannot apply to the table as it is (a missing column, constraint or index). */
export class SqliteBatchError extends RetortError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("BATCH", message, options);
    this.name = "SqliteBatchError";
  }
}

/** The message of a thrown value (an `Error`'s message, anything else as text). */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
