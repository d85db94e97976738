import type { SqlExpression } from "../schema/sql-expression.js";
import type {
  CheckDefinition,
  ForeignKeyDefinition,
  IndexDefinition,
  UniqueDefinition,
} from "../schema/table-elements.js";
import { conditionText } from "./condition-text.js";
import { expressionText } from "./type-comparison.js";

// How the comparison tells indexes, unique constraints and foreign keys
// apart: by signature (columns or expressions, in order), and how it names
// the ones declared without a name.

export function signature(columns: readonly (string | SqlExpression)[]): string {
  const terms = columns.map(term);
  if (terms.length === 1 && typeof terms[0] === "string") return terms[0];
  // Expressions as PostgreSQL gives them back (`lower(label::text)`) compare with the declared `lower(label)`.
  return terms.map((item) => (typeof item === "string" ? item : `(${item.expression})`)).join("\u0000");
}

/** The default order, written out: `x ASC`, `x ASC NULLS LAST`, `x NULLS LAST`. */
const DEFAULT_ORDER = /\s+(?:asc(?:\s+nulls\s+last)?|nulls\s+last)$/i;
/** A column's name alone, bare or double-quoted. */
const BARE_NAME = /^(?:([a-z_][\w$]*)|"((?:[^"]|"")+)")$/i;

/**
 * A column of an index: its name, or an expression in one spelling. A
 * `sql` term that is only a column's name (`sql\`"created_at"\``, with the
 * default order `ASC` or not) is that column, as the database reads it back.
 */
function term(column: string | SqlExpression): string | { readonly expression: string } {
  if (typeof column === "string") return column;
  const written = column.text.trim();
  const bare = BARE_NAME.exec(/\sdesc\s+nulls\s+last$/i.test(written) ? written : written.replace(DEFAULT_ORDER, ""));
  if (bare !== null) return bare[1] ?? (bare[2] as string).replaceAll('""', '"');
  return { expression: expressionText(column.text) };
}

/**
 * Same columns or expressions in the same order, same uniqueness, same
 * partial-index condition (see `whereText`: casts, quotes and parentheses
 * the database adds do not count).
 */
export function sameIndex(declared: IndexDefinition, reflected: IndexDefinition): boolean {
  return (
    signature(declared.columns) === signature(reflected.columns) &&
    Boolean(declared.unique) === Boolean(reflected.unique) &&
    whereText(declared.where) === whereText(reflected.where)
  );
}

/**
 * A partial index's condition in one spelling (see `conditionText`):
 * PostgreSQL gives `(code::text = 'x'::text) AND (owner <> ALL
 * (ARRAY[1, 2]))` back for `code = 'x' AND owner NOT IN (1, 2)`; a
 * change of grouping against precedence is seen.
 */
function whereText(where: IndexDefinition["where"]): string | undefined {
  if (where === undefined) return undefined;
  return conditionText(typeof where === "string" ? where : where.text);
}

/** What a foreign key's signature takes into account beyond the key itself. */
export interface ForeignKeySignatureOptions {
  /** RESTRICT is NO ACTION (see `DatabaseIntrospector.restrictIsNoAction`). */
  readonly restrictIsNoAction?: boolean;
  /** The schema an unqualified name resolves to: `public.users` is `users` there. */
  readonly defaultSchema?: string | undefined;
  /** The database reads DEFERRABLE and INITIALLY back: they are part of the key (as Alembic's). */
  readonly deferral?: boolean;
}

/**
 * A foreign key's columns, referred table (unqualified in the default
 * schema) and columns, actions (NO ACTION, and RESTRICT where it is the
 * same, as none) and, where the database reads them back, whether it is
 * deferrable and initially deferred (INITIALLY DEFERRED makes a key
 * deferrable; INITIALLY IMMEDIATE is the default).
 */
export function foreignKeySignature(fk: ForeignKeyDefinition, options: ForeignKeySignatureOptions = {}): string {
  const action = (value: string | undefined) =>
    value === undefined || value === "NO ACTION" || (options.restrictIsNoAction === true && value === "RESTRICT")
      ? ""
      : value;
  const prefix = options.defaultSchema === undefined ? undefined : `${options.defaultSchema}.`;
  const deferred = fk.initially === "DEFERRED";
  const deferral =
    options.deferral === true
      ? `${fk.deferrable === true || deferred ? "deferrable" : ""}${deferred ? " deferred" : ""}`
      : "";
  return [
    signature(fk.columns),
    prefix !== undefined && fk.referredTable.startsWith(prefix)
      ? fk.referredTable.slice(prefix.length)
      : fk.referredTable,
    signature(fk.referredColumns),
    action(fk.onDelete),
    action(fk.onUpdate),
    deferral,
  ].join("|");
}

export function named<T extends UniqueDefinition | CheckDefinition>(
  constraint: T,
  table: string,
): T & { name: string } {
  if (constraint.name !== undefined) return constraint as T & { name: string };
  const columns = constraint.kind === "unique" ? constraint.columns.join("_") : "check";
  return { ...constraint, name: `uq_${table}_${columns}` };
}

export function namedForeignKey(fk: ForeignKeyDefinition, table: string): ForeignKeyDefinition & { name: string } {
  if (fk.name !== undefined) return fk as ForeignKeyDefinition & { name: string };
  return { ...fk, name: `fk_${table}_${fk.columns.join("_")}_${fk.referredTable}` };
}
