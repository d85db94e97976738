import type { ColumnDefinition, IndexDefinition } from "@retort/core";
import { INDEX_PREFIXES, type MysqlIndexOptions } from "./mysql-options.js";

/**
 * The prefix length of each named column of an index, from its
 * `{ mysql: { length } }` block (a number is every column's), as the
 * compiler writes them; `undefined` when the index gives no length.
 */
export function prefixLengths(index: IndexDefinition): ReadonlyMap<string, number> | undefined {
  const length = (index.dialectOptions?.mysql as MysqlIndexOptions | undefined)?.length;
  if (length === undefined) return undefined;
  const lengths = new Map<string, number>();
  for (const column of index.columns) {
    if (typeof column !== "string") continue;
    const value = typeof length === "number" ? length : length[column];
    if (value !== undefined) lengths.set(column, value);
  }
  return lengths;
}

/**
 * A declared index's prefix lengths are the ones the database reports
 * (information_schema.STATISTICS.SUB_PART, read into the reflected index's
 * `{ mysql: { length } }`), column by column. A prefix as long as a
 * VARCHAR/VARBINARY column (of `columns`, the reflected table's) is the
 * whole column: the server reports no SUB_PART for it. An index declared
 * without a length is not compared on lengths, as before lengths could be
 * declared.
 */
export function samePrefixLengths(
  declared: IndexDefinition,
  reflected: IndexDefinition,
  columns: readonly ColumnDefinition[] = [],
): boolean {
  const wanted = prefixLengths(declared);
  if (wanted === undefined) return true;
  const found = prefixLengths(reflected) ?? new Map<string, number>();
  const whole = (name: string, length: number | undefined): number | undefined => {
    const type = columns.find((column) => column.name === name)?.type;
    const size = type?.kind === "string" || type?.kind === "binary" ? type.length : undefined;
    return length !== undefined && size !== undefined && length >= size ? undefined : length;
  };
  return declared.columns.every(
    (column) => typeof column !== "string" || whole(column, wanted.get(column)) === found.get(column),
  );
}

/**
 * The `{ mysql: {...} }` block of a reflected index: `length`, each
 * column's SUB_PART where it has one, and `prefix`, the kind of a
 * `FULLTEXT` or `SPATIAL` index (STATISTICS.INDEX_TYPE), so that an index
 * dropped by a migration is created again as it was.
 */
export function reflectedIndexOptions(
  parts: readonly { readonly column_name: string | null; readonly sub_part: number | string | null }[],
  indexType: string,
): { readonly mysql: MysqlIndexOptions } | undefined {
  const length: Record<string, number> = {};
  for (const part of parts) {
    if (part.column_name !== null && part.sub_part !== null) length[part.column_name] = Number(part.sub_part);
  }
  const kind = indexType.toUpperCase();
  const block: MysqlIndexOptions = {
    ...(Object.keys(length).length === 0 ? {} : { length }),
    ...(INDEX_PREFIXES.has(kind) ? { prefix: kind as "FULLTEXT" | "SPATIAL" } : {}),
  };
  return Object.keys(block).length === 0 ? undefined : { mysql: block };
}

/** A declared index's kind (`{ mysql: { prefix } }`) is the reflected one's; an index declared without one is not compared on it. */
export function sameIndexKind(declared: IndexDefinition, reflected: IndexDefinition): boolean {
  const kind = (index: IndexDefinition) => (index.dialectOptions?.mysql as MysqlIndexOptions | undefined)?.prefix;
  const wanted = kind(declared);
  return wanted === undefined || wanted.toUpperCase() === (kind(reflected) ?? "");
}
