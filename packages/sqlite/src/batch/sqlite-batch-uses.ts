import { mentions } from "./sqlite-batch-sql.js";
import type { BatchConstraint, BatchIndex } from "./sqlite-batch-types.js";

const same = (left: string, right: string) => left.toLowerCase() === right.toLowerCase();

/** True when the constraint names the column (a CHECK that mentions it, a self-reference to it). */
export function constraintUses(constraint: BatchConstraint, column: string, table: string): boolean {
  if (constraint.kind === "check") return mentions(constraint.condition, column);
  if (constraint.columns.some((name) => same(name, column))) return true;
  return (
    constraint.kind === "foreignKey" &&
    same(constraint.referredTable, table) &&
    constraint.referredColumns.some((name) => same(name, column))
  );
}

/** True when an index term or the partial-index WHERE names the column. */
export function indexUses(index: BatchIndex, column: string): boolean {
  return (
    index.terms.some((term) =>
      term.column !== undefined ? same(term.column, column) : mentions(term.expression ?? "", column),
    ) ||
    (index.where !== undefined && mentions(index.where, column))
  );
}

/** The `[NOT] DEFERRABLE [INITIALLY ...]` text of a foreign key's options. */
export function deferrableText(deferrable: boolean | undefined, initially: string | undefined): string | undefined {
  if (deferrable === false) return "NOT DEFERRABLE";
  if (deferrable !== true && initially === undefined) return undefined;
  return initially === undefined ? "DEFERRABLE" : `DEFERRABLE INITIALLY ${initially}`;
}
