import type { ExistingComputed } from "../operations/operation.js";
import type { ColumnType } from "../schema/column-type.js";
import type {
  CheckDefinition,
  ColumnDefinition,
  ForeignKeyDefinition,
  IndexDefinition,
  ServerDefault,
  UniqueDefinition,
} from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";

/** What the column was before a change: enough to write the alteration and its reverse. */
export interface ExistingColumn {
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly serverDefault: ServerDefault | null;
  readonly comment: string | null;
  /** The database numbers it (MySQL's AUTO_INCREMENT): a MODIFY must say so again, or it is lost. */
  readonly autoincrement?: true;
  /** The column is generated: a MODIFY (MySQL) must restate `GENERATED ALWAYS AS (...)`, or it becomes a plain one. */
  readonly computed?: ExistingComputed;
}

interface ColumnChange<Kind extends string, Value> {
  readonly kind: Kind;
  readonly schema?: string;
  readonly table: string;
  readonly column: string;
  readonly existing: ExistingColumn;
  readonly from: Value;
  readonly to: Value;
}

/**
 * One difference between the declared schema and the database, named as
 * Alembic's `as_diffs()` tuples (`add_table`, `modify_nullable`, ...).
 * `check` lists them; `planMigration` turns them into operations.
 */
export type SchemaDiff =
  | { readonly kind: "add_table"; readonly table: TableDefinition }
  | { readonly kind: "remove_table"; readonly table: TableDefinition }
  | { readonly kind: "add_column"; readonly schema?: string; readonly table: string; readonly column: ColumnDefinition }
  | {
      readonly kind: "remove_column";
      readonly schema?: string;
      readonly table: string;
      readonly column: ColumnDefinition;
    }
  | ColumnChange<"modify_type", ColumnType>
  | ColumnChange<"modify_nullable", boolean>
  | ColumnChange<"modify_default", ServerDefault | null>
  | ColumnChange<"modify_comment", string | null>
  | { readonly kind: "add_index"; readonly schema?: string; readonly table: string; readonly index: IndexDefinition }
  | { readonly kind: "remove_index"; readonly schema?: string; readonly table: string; readonly index: IndexDefinition }
  | {
      readonly kind: "add_constraint";
      readonly schema?: string;
      readonly table: string;
      readonly constraint: (UniqueDefinition | CheckDefinition) & { readonly name: string };
    }
  | {
      readonly kind: "remove_constraint";
      readonly schema?: string;
      readonly table: string;
      readonly constraint: (UniqueDefinition | CheckDefinition) & { readonly name: string };
    }
  | {
      readonly kind: "add_fk";
      readonly schema?: string;
      readonly table: string;
      readonly foreignKey: ForeignKeyDefinition & { readonly name: string };
    }
  | {
      readonly kind: "remove_fk";
      readonly schema?: string;
      readonly table: string;
      readonly foreignKey: ForeignKeyDefinition & { readonly name: string };
      /**
       * The database keeps the key without a name (SQLite): `foreignKey.name`
       * is the name `UNNAMED_FOREIGN_KEY_CONVENTION` gives it in the batch
       * that drops it.
       */
      readonly unnamed?: true;
    }
  | {
      readonly kind: "add_table_comment";
      readonly schema?: string;
      readonly table: string;
      readonly comment: string;
      readonly existing: string | null;
    }
  | {
      readonly kind: "remove_table_comment";
      readonly schema?: string;
      readonly table: string;
      readonly existing: string;
    }
  | { readonly kind: "add_enum"; readonly schema?: string; readonly name: string; readonly values: readonly string[] }
  | {
      readonly kind: "remove_enum";
      readonly schema?: string;
      readonly name: string;
      readonly values: readonly string[];
    }
  | {
      readonly kind: "add_enum_value";
      readonly schema?: string;
      readonly name: string;
      readonly value: string;
      /** The label it goes before, or undefined for the end. */
      readonly before?: string;
    };

export type SchemaDiffKind = SchemaDiff["kind"];

/** Which table a diff belongs to (undefined for enums). */
export function diffTable(diff: SchemaDiff): string | undefined {
  if (diff.kind === "add_table" || diff.kind === "remove_table") return diff.table.name;
  if (diff.kind === "add_enum" || diff.kind === "remove_enum" || diff.kind === "add_enum_value") return undefined;
  return diff.table;
}

/**
 * One line per difference, in the form of Alembic's diff tuples:
 * `('add_column', None, 'users', 'age')`,
 * `('modify_type', None, 'users', 'email', VARCHAR(100) -> VARCHAR(255))`.
 * `typeText` renders types in the database's words.
 */
export function describeDiff(diff: SchemaDiff, typeText: (type: ColumnType) => string): string {
  const q = (value: string | undefined | null): string =>
    value === undefined || value === null ? "None" : `'${value.replaceAll("'", "\\'")}'`;
  const list = (values: readonly unknown[]): string =>
    `[${values.map((value) => (typeof value === "string" ? q(value) : describeValue(value))).join(", ")}]`;
  switch (diff.kind) {
    case "add_table":
    case "remove_table":
      return `('${diff.kind}', ${q(diff.table.options.schema)}, ${q(diff.table.name)})`;
    case "add_column":
    case "remove_column":
      return `('${diff.kind}', ${q(diff.schema)}, ${q(diff.table)}, ${q(diff.column.name)}, ${typeText(diff.column.type)})`;
    case "modify_type":
      return `('modify_type', ${q(diff.schema)}, ${q(diff.table)}, ${q(diff.column)}, ${describeType(diff.from, diff.to, typeText)} -> ${describeType(diff.to, diff.from, typeText)})`;
    case "modify_nullable":
      return `('modify_nullable', ${q(diff.schema)}, ${q(diff.table)}, ${q(diff.column)}, ${pyBool(diff.from)} -> ${pyBool(diff.to)})`;
    case "modify_default":
    case "modify_comment":
      return `('${diff.kind}', ${q(diff.schema)}, ${q(diff.table)}, ${q(diff.column)}, ${describeValue(diff.from)} -> ${describeValue(diff.to)})`;
    case "add_index":
    case "remove_index":
      return `('${diff.kind}', ${q(diff.schema)}, ${q(diff.table)}, ${q(diff.index.name)}, ${list(diff.index.columns)}${diff.index.unique ? ", unique" : ""}${diff.index.where === undefined ? "" : `, where ${describeValue(diff.index.where)}`}${describeDialectOptions(diff.index)})`;
    case "add_constraint":
    case "remove_constraint": {
      const constraint = diff.constraint;
      const detail =
        constraint.kind === "unique"
          ? `unique ${list(constraint.columns)}`
          : `check ${describeValue(constraint.condition)}`;
      return `('${diff.kind}', ${q(diff.schema)}, ${q(diff.table)}, ${q(constraint.name)}, ${detail})`;
    }
    case "add_fk":
    case "remove_fk": {
      const fk = diff.foreignKey;
      const name = diff.kind === "remove_fk" && diff.unnamed === true ? undefined : fk.name;
      return `('${diff.kind}', ${q(diff.schema)}, ${q(diff.table)}, ${q(name)}, ${list(fk.columns)} -> ${q(fk.referredTable)} ${list(fk.referredColumns)})`;
    }
    case "add_table_comment":
      return `('add_table_comment', ${q(diff.schema)}, ${q(diff.table)}, ${q(diff.existing)} -> ${q(diff.comment)})`;
    case "remove_table_comment":
      return `('remove_table_comment', ${q(diff.schema)}, ${q(diff.table)}, ${q(diff.existing)})`;
    case "add_enum":
    case "remove_enum":
      return `('${diff.kind}', ${q(diff.schema)}, ${q(diff.name)}, ${list(diff.values)})`;
    case "add_enum_value":
      return `('add_enum_value', ${q(diff.schema)}, ${q(diff.name)}, ${q(diff.value)})`;
    default: {
      const unreachable: never = diff;
      throw new Error(`unknown diff ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * A type in a `modify_type` line: the database's words, and for an enum
 * changed into another its name and values too where the words do not show
 * them (`mood['sad', 'happy']`; `VARCHAR(5) mood['sad', 'happy']` where the
 * dialect has no enum types).
 */
function describeType(type: ColumnType, other: ColumnType, typeText: (type: ColumnType) => string): string {
  const text = typeText(type);
  // MySQL's `ENUM('sad','happy')` shows its values already.
  if (type.kind !== "enum" || other.kind !== "enum" || type.values.every((value) => text.includes(value))) return text;
  return `${text === type.name ? "" : `${text} `}${type.name}[${type.values.map((value) => `'${value.replaceAll("'", "\\'")}'`).join(", ")}]`;
}

function pyBool(value: boolean): string {
  return value ? "True" : "False";
}

/**
 * `, mysql_length=100`: an index's dialect blocks as SQLAlchemy's keyword
 * arguments. A per-column value naming the index's only column is that
 * value (the database reads `{ body: 100 }` back for `length: 100`).
 */
function describeDialectOptions(index: IndexDefinition): string {
  const blocks = index.dialectOptions;
  if (blocks === undefined) return "";
  const only = index.columns.length === 1 && typeof index.columns[0] === "string" ? index.columns[0] : undefined;
  const shown = (value: unknown): unknown => {
    if (only === undefined || typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const entries = Object.entries(value);
    return entries.length === 1 && entries[0]?.[0] === only ? entries[0][1] : value;
  };
  return Object.entries(blocks)
    .flatMap(([dialect, block]) =>
      Object.entries(block).map(([key, value]) => `, ${dialect}_${key}=${JSON.stringify(shown(value))}`),
    )
    .join("");
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return `'${value.replaceAll("'", "\\'")}'`;
  if (typeof value === "object" && (value as { kind?: unknown }).kind === "sql") {
    return `sql\`${(value as { text: string }).text}\``;
  }
  return String(value);
}
