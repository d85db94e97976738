import type { BatchColumn } from "./sqlite-batch-types.js";

/**
 * The final column order of a rebuilt table, as Alembic computes it
 * (alembic.md §6.2): a deterministic topological sort over "a comes before
 * b" pairs. The pairs are the consecutive pairs of the remaining existing
 * columns (or, with `partialReordering`, only the consecutive pairs inside
 * each tuple), plus the pairs that added or moved columns asked for. Ties go
 * to the column that comes first in the model's current order. Names in the
 * pairs are column keys (the old name of an existing column), so a rename
 * does not move a column.
 */
export function orderColumns(
  columns: readonly BatchColumn[],
  existingOrder: readonly string[],
  addOrdering: readonly (readonly [string, string])[],
  partialReordering?: readonly (readonly string[])[],
): BatchColumn[] {
  const keys = columns.map((column) => column.key);
  const known = new Set(keys);
  const keyOfName = (name: string) =>
    columns.find((column) => column.name.toLowerCase() === name.toLowerCase())?.key ?? name;
  const pairs: [string, string][] = [];
  if (partialReordering !== undefined && partialReordering.length > 0) {
    for (const tuple of partialReordering) {
      for (let index = 1; index < tuple.length; index++) {
        pairs.push([keyOfName(tuple[index - 1] as string), keyOfName(tuple[index] as string)]);
      }
    }
  } else {
    for (let index = 1; index < existingOrder.length; index++) {
      pairs.push([existingOrder[index - 1] as string, existingOrder[index] as string]);
    }
  }
  pairs.push(...addOrdering.map(([first, second]): [string, string] => [first, second]));
  const edges = pairs.filter(([first, second]) => first !== second && known.has(first) && known.has(second));

  const incoming = new Map<string, number>(keys.map((key) => [key, 0]));
  for (const [, second] of edges) incoming.set(second, (incoming.get(second) ?? 0) + 1);
  const sorted: string[] = [];
  const remaining = [...keys];
  while (remaining.length > 0) {
    const next = remaining.findIndex((key) => incoming.get(key) === 0);
    if (next === -1) {
      throw new Error(`column order has a cycle among: ${remaining.join(", ")} (check insertBefore/insertAfter)`);
    }
    const [key] = remaining.splice(next, 1) as [string];
    sorted.push(key);
    for (const [first, second] of edges) {
      if (first === key) incoming.set(second, (incoming.get(second) ?? 0) - 1);
    }
  }
  return sorted.map((key) => columns.find((column) => column.key === key) as BatchColumn);
}
