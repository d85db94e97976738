import type { BatchRead, Emit, RebuildOptions, Step } from "./sqlite-batch-rebuild.js";
import { copyColumns, hasHiddenRowid, rowidAlias, rowidName, temporaryName } from "./sqlite-batch-render.js";
import type { ColumnRenamePlan } from "./sqlite-batch-renames.js";
import { quoteName } from "./sqlite-batch-sql.js";
import { type BatchTable, reasonOf, SqliteBatchError } from "./sqlite-batch-types.js";
import type Database from "better-sqlite3";

/** The live table's row count (online, before anything changes). */
export async function countRows(read: BatchRead, quoted: string): Promise<number> {
  const rows = await read<{ n: number | bigint }>(`SELECT count(*) AS "n" FROM ${quoted}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * `INSERT INTO tmp SELECT ... FROM t`: one statement, or (online, when the
 * run reports progress) rowid-ordered chunks whose bounds are read first,
 * each annotated with the rows copied once it has run.
 */
export async function copyRows(
  scratch: Database.Database,
  original: BatchTable,
  target: BatchTable,
  total: number | undefined,
  options: RebuildOptions,
  step: Step,
  emit: Emit,
  renames: ColumnRenamePlan,
): Promise<void> {
  // The new table's hidden rowid takes the old rowid, hidden or aliased:
  // an INTEGER PRIMARY KEY that stops being the alias (its type changed, or
  // the key moved) keeps its values as the rowid, so what is keyed by the
  // rowid (an FTS index with the default content_rowid, an R*Tree's ids)
  // still finds its rows.
  const keepRowid = rowidName(original) !== undefined && hasHiddenRowid(target);
  const sourceName = (source: string) => renames.currentName.get(source.toLowerCase()) ?? source;
  // The old table's rowid, by a name no column of it has taken.
  const rowid = rowidName(original);
  const { targets, sources } = copyColumns(target, keepRowid, sourceName, rowid);
  if (targets.length === 0) return;
  const table = original.name;
  const insert = `INSERT INTO ${quoteName(temporaryName(table))} (${targets.join(", ")}) SELECT ${sources.join(", ")} FROM ${quoteName(table)}`;
  const chunkSize = options.chunkSize ?? 100_000;
  const rowidKept = keepRowid || sameRowidAlias(original, target);
  const read = options.read;
  if (
    options.progress !== true ||
    read === undefined ||
    total === undefined ||
    !rowidKept ||
    rowid === undefined ||
    total <= chunkSize
  ) {
    // Compiled on the (empty) scratch table too, so a copy SQLite cannot prepare fails now.
    try {
      scratch.exec(insert);
    } catch (error) {
      throw new SqliteBatchError(
        `Batch rebuild of "${table}" failed while copying the rows: ${reasonOf(error)}\n  SQL: ${insert}`,
        { cause: error },
      );
    }
    emit(
      "copying the rows",
      insert,
      total !== undefined && options.progress === true ? { progress: { table, copied: total, total } } : {},
    );
    return;
  }
  // The last rowid of each full chunk, read as text: rowids are 64-bit, and
  // one above 2^53 would not survive a JS number.
  const bounds = (
    await read<{ bound: string }>(
      `SELECT CAST("r" AS TEXT) AS "bound" FROM (SELECT ${rowid} AS "r", row_number() OVER (ORDER BY ${rowid}) AS "n" FROM ${quoteName(table)}) WHERE "n" % ${chunkSize} = 0 ORDER BY "n"`,
    )
  ).map((row) => row.bound);
  // Rowids are integers; the bounds go into the statements' text (each one is a step of the run).
  const odd = bounds.find((bound) => !/^-?\d+$/.test(bound));
  if (odd !== undefined) {
    throw new SqliteBatchError(`Batch rebuild of "${table}": its rowid ${JSON.stringify(odd)} is not an integer`);
  }
  step("copying the rows", `${insert} WHERE 0`);
  for (let at = 0; at <= bounds.length; at++) {
    const lower = at === 0 ? undefined : bounds[at - 1];
    const upper = bounds[at];
    if (upper === undefined && at * chunkSize >= total) break;
    const where = [
      lower === undefined ? undefined : `${rowid} > ${lower}`,
      upper === undefined ? undefined : `${rowid} <= ${upper}`,
    ]
      .filter((part) => part !== undefined)
      .join(" AND ");
    const copied = Math.min((at + 1) * chunkSize, total);
    emit("copying the rows", `${insert} WHERE ${where} ORDER BY ${rowid}`, { progress: { table, copied, total } });
  }
}

/** The new table's rowid alias copies the old one's, so `max(rowid)` of the copy is the last rowid read. */
function sameRowidAlias(original: BatchTable, target: BatchTable): boolean {
  const before = rowidAlias(original);
  const after = rowidAlias(target);
  return before !== undefined && after !== undefined && after.source === before.name;
}
