import type { SqlExpression } from "../schema/sql-expression.js";
import type {
  CheckDefinition,
  ForeignKeyDefinition,
  IndexDefinition,
  UniqueDefinition,
} from "../schema/table-elements.js";
import { expressionText } from "./type-comparison.js";

// How the comparison tells indexes, unique constraints and foreign keys
// apart: by signature (columns or expressions, in order), and how it names
// the ones declared without a name.

export function signature(columns: readonly (string | SqlExpression)[]): string {
  if (columns.length === 1 && typeof columns[0] === "string") return columns[0];
  // Expressions as PostgreSQL gives them back (`lower(label::text)`) compare with the declared `lower(label)`.
  return columns
    .map((column) => (typeof column === "string" ? column : `(${expressionText(column.text)})`))
    .join("\u0000");
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

/** A `::type` cast: one word, or one of the types of several words; a length or precision; `[]`. */
const CAST =
  /::(?:"[^"]+"|[a-z_][a-z0-9_]*(?: varying| precision| with(?:out)? time zone)?)(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])*/gi;

/**
 * A partial index's condition without casts and parentheses: PostgreSQL gives
 * `(code::text = 'x'::text) AND (owner IS NOT NULL)` back for
 * `code = 'x' AND owner IS NOT NULL`. (A change of grouping alone is
 * therefore not seen.)
 */
function whereText(where: IndexDefinition["where"]): string | undefined {
  if (where === undefined) return undefined;
  const text = typeof where === "string" ? where : where.text;
  return expressionText(text.replace(CAST, "")).replace(/[()]/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * A foreign key's columns, referred table (unqualified in `defaultSchema`)
 * and columns, and actions (NO ACTION, and RESTRICT where it is the same, as none).
 */
export function foreignKeySignature(
  fk: ForeignKeyDefinition,
  restrictIsNoAction: boolean,
  defaultSchema?: string,
): string {
  const action = (value: string | undefined) =>
    value === undefined || value === "NO ACTION" || (restrictIsNoAction && value === "RESTRICT") ? "" : value;
  // `public.users` is `users` where public is the schema an unqualified name resolves to.
  const prefix = defaultSchema === undefined ? undefined : `${defaultSchema}.`;
  return [
    signature(fk.columns),
    prefix !== undefined && fk.referredTable.startsWith(prefix)
      ? fk.referredTable.slice(prefix.length)
      : fk.referredTable,
    signature(fk.referredColumns),
    action(fk.onDelete),
    action(fk.onUpdate),
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
