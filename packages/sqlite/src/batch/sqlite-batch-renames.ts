import { quoteName } from "./sqlite-batch-sql.js";
import type { BatchTable } from "./sqlite-batch-types.js";

/** One `ALTER TABLE ... RENAME COLUMN` on the old table. */
export interface ColumnRenameStep {
  readonly from: string;
  readonly to: string;
  readonly sql: string;
  /** The names to show for `from` and `to` in messages (a column moved aside shows its own name). */
  readonly label: string;
}

/** How the old table's columns are renamed before the copy. */
export interface ColumnRenamePlan {
  readonly steps: readonly ColumnRenameStep[];
  /** The name each old column has after the steps, by its old name lower-cased (the copy reads it so). */
  readonly currentName: ReadonlyMap<string, string>;
  /** Temporary names (lower-cased) and the column each stands for, to put the real name back in messages. */
  readonly temporaryNames: ReadonlyMap<string, string>;
}

const same = (left: string, right: string) => left.toLowerCase() === right.toLowerCase();

/**
 * The `ALTER TABLE "t" RENAME COLUMN` statements that give the old table the
 * new table's column names before the copy, so that SQLite itself rewrites
 * every trigger and view that uses a renamed column (and other tables'
 * foreign keys to it), resolving names as it does
 * (https://sqlite.org/lang_altertable.html#altertabrencol). A column in the
 * way of a rename (a swap, a chain `a -> b, b -> c`, or a dropped column
 * whose name is reused) is first moved aside to a temporary name.
 */
export function planColumnRenames(original: BatchTable, target: BatchTable): ColumnRenamePlan {
  const current = new Map(original.columns.map((column) => [column.name.toLowerCase(), column.name]));
  const originalName = new Map(current);
  const renames = target.columns.filter(
    (column): column is typeof column & { source: string } =>
      column.source !== undefined && column.source !== column.name,
  );
  const steps: ColumnRenameStep[] = [];
  const temporaryNames = new Map<string, string>();
  const taken = new Set([...original.columns, ...target.columns].map((column) => column.name.toLowerCase()));
  let counter = 0;
  const temporary = () => {
    let name: string;
    do name = `_retort_tmp_${counter++}`;
    while (taken.has(name));
    taken.add(name);
    return name;
  };
  const rename = (old: string, to: string, label: string) => {
    const from = current.get(old.toLowerCase()) as string;
    steps.push({
      from,
      to,
      label,
      sql: `ALTER TABLE ${quoteName(original.name)} RENAME COLUMN ${quoteName(from)} TO ${quoteName(to)}`,
    });
    current.set(old.toLowerCase(), to);
  };
  for (const column of renames) {
    const blocking = [...current.entries()].find(([old, name]) => !same(old, column.source) && same(name, column.name));
    if (blocking !== undefined) {
      const [old, name] = blocking;
      const aside = temporary();
      const real = originalName.get(old) ?? name;
      temporaryNames.set(aside, real);
      rename(old, aside, `moving column "${real}" aside`);
    }
    rename(column.source, column.name, `renaming column "${column.source}" to "${column.name}"`);
  }
  return { steps, currentName: current, temporaryNames };
}

/** Puts the real column names back into a message that shows temporary ones. */
export function withRealNames(message: string, temporaryNames: ReadonlyMap<string, string>): string {
  let text = message;
  for (const [temporary, name] of temporaryNames) text = text.replace(new RegExp(`\\b${temporary}\\b`, "gi"), name);
  return text;
}
