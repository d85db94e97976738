import { needsCast } from "./sqlite-batch-render.js";
import { quoteName, typeAffinity } from "./sqlite-batch-sql.js";
import type { BatchTable } from "./sqlite-batch-types.js";

/** A column the copy converts through `CAST(... AS type)`. */
export interface CastColumn {
  /** The column's name in the new table. */
  readonly name: string;
  /** The old table's column it is copied from. */
  readonly source: string;
  readonly fromType: string;
  readonly toType: string;
}

/** What the CAST does to one column's values. */
export interface CastChange {
  readonly column: CastColumn;
  /** Rows whose value the CAST changes. */
  readonly changed: number;
  /** One of them, before and after the CAST, as SQL literals. */
  readonly example: { readonly before: string; readonly after: string } | undefined;
}

/** The columns whose type affinity changes, which the copy converts through CAST (see `needsCast`). */
export function castColumns(target: BatchTable): CastColumn[] {
  return target.columns
    .filter((column) => needsCast(column, target))
    .map((column) => ({
      name: column.name,
      source: column.source as string,
      fromType: column.sourceType as string,
      toType: column.type,
    }));
}

/**
 * The condition that a value changes under the copy's CAST. It compares as
 * SQLite compares (https://sqlite.org/datatype3.html#type_conversions_prior_to_comparison):
 * the CAST side has the new type's affinity, which is applied to the old
 * value first, so `'42'` becoming 42 is no change, while `'abc'` becoming 0,
 * `1.5` becoming 1 or `'2024-01-01'` becoming 2024 are. NULL stays NULL.
 * To a number, a text with leading zeros (`'00501'`, a postal code or an
 * account number) changes too, though it compares equal: the number keeps
 * no zeros, and the text cannot be had back.
 */
export function castChangedCondition(column: CastColumn): string {
  const source = quoteName(column.source);
  const changed = `${source} IS NOT CAST(${source} AS ${column.toType})`;
  const affinity = typeAffinity(column.toType);
  if (affinity === "TEXT" || affinity === "BLOB") return changed;
  return `(${changed} OR (typeof(${source}) = 'text' AND ltrim(${source}, ' +-') GLOB '0[0-9]*'))`;
}

/** One scan of the old table that counts, per cast column, the rows whose value changes. */
export function castCountSql(table: string, columns: readonly CastColumn[]): string {
  const counts = columns.map((column, at) => `coalesce(sum(${castChangedCondition(column)}), 0) AS "c${at}"`);
  return `SELECT ${counts.join(", ")} FROM ${quoteName(table)}`;
}

/** One changed value of the column, before and after the CAST. */
export function castExampleSql(table: string, column: CastColumn): string {
  const source = quoteName(column.source);
  return `SELECT ${source} AS "before", CAST(${source} AS ${column.toType}) AS "after" FROM ${quoteName(table)} WHERE ${castChangedCondition(column)} LIMIT 1`;
}

/** A value read from SQLite, as a SQL literal for a message. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString("hex").toUpperCase()}'`;
  return String(value);
}

function describe(change: CastChange, total: number): string {
  const { column } = change;
  const example = change.example === undefined ? "" : `, e.g. ${change.example.before} becomes ${change.example.after}`;
  const renamed = column.source === column.name ? "" : ` (copied from "${column.source}")`;
  return `CAST(... AS ${column.toType}) changes ${change.changed} of ${total} values of column "${column.name}"${renamed} (${column.fromType || "no type"} to ${column.toType}${example})`;
}

/** The warning printed when a CAST changes values (the copy goes on, as in Alembic). */
export function castWarning(table: string, changes: readonly CastChange[], total: number): string {
  return (
    `Batch rebuild of "${table}": ${changes.map((change) => describe(change, total)).join("; ")}. ` +
    "Pass { strictCast: true } to batchAlterTable to fail instead."
  );
}

/** The error of `strictCast: true` when a CAST would change values. */
export function castRefusal(table: string, changes: readonly CastChange[], total: number): string {
  return (
    `Batch rebuild of "${table}" refused (strictCast): ${changes.map((change) => describe(change, total)).join("; ")}. ` +
    'Fix those values first (op.execute("UPDATE ...") before the block), or drop strictCast to convert them as Alembic does. Nothing was changed.'
  );
}
