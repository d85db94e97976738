import type { ScriptRevision } from "@retort/core";

/** What the drawing reads of a revision: its id and its `downRevision` parents. */
export type GraphRevision = Pick<ScriptRevision, "id" | "downRevisions">;

/**
 * Draws revisions (newest first, each after all its descendants) as a
 * graph in the style of `git log --graph`: a column (two characters wide)
 * for each line of history, `*` for a revision, and one line for each of
 * its `downRevision` edges, which reaches the parent's `*` and nothing else.
 *
 * - A line runs straight down its column; a revision's first parent
 *   continues its column.
 * - A merge point opens a column for each other parent, to its right: `\`
 *   under the `*` when the next column is free, otherwise (and for a third
 *   parent on) along `-` on the revision's row to a `.` above the `\`
 *   (`*-.` in git), crossing the columns in between.
 * - Where several lines run down to one revision (a branch point), each
 *   joins the leftmost on a row of its own, nearest first: `/` from the
 *   column beside it, `/` and `_` under the columns between when it is
 *   farther away (git's `|_|/`).
 * - A root (no parent drawn) ends its column. The columns to its right do
 *   not move; a free column is used again, but never right under the end
 *   of a line: the revision drawn next, if unrelated, takes a column
 *   further right rather than look like the root's parent.
 *
 * `dependsOn` edges are not drawn (only `downRevision` lines of history),
 * nor are edges to revisions not in `revisions` (outside a `-r` range).
 */
export function drawHistoryGraph<R extends GraphRevision>(
  revisions: readonly R[],
  label: (revision: R) => string,
): string[] {
  const position = new Map<string, number>();
  for (const [index, revision] of revisions.entries()) position.set(revision.id, index);
  const lines: string[] = [];
  // lanes[k]: the revision the line in column k (character 2k) runs down to; null where there is none.
  const lanes: (string | null)[] = [];
  // The graph part of the last row: where a line ended, no new one may start below.
  let above = "";
  const cells = () => {
    const row: string[] = [];
    for (const [lane, id] of lanes.entries()) {
      if (lane > 0) row.push(" ");
      row.push(id === null ? " " : "|");
    }
    return row;
  };
  const push = (row: string[], text = "") => {
    above = row.join("").trimEnd();
    lines.push(text === "" ? above : `${above}  ${text}`);
  };
  for (const [index, revision] of revisions.entries()) {
    let column = lanes.indexOf(revision.id);
    if (column === -1) {
      // A new line of history (a head, or below a range): the leftmost free column not under a line's end.
      column = 0;
      while ((lanes[column] ?? null) !== null || (above[2 * column] ?? " ") !== " ") column++;
      while (lanes.length < column) lanes.push(null);
      lanes[column] = revision.id;
    }
    for (let lane = column + 1; lane < lanes.length; lane++) {
      if (lanes[lane] !== revision.id) continue;
      const row = cells();
      row[2 * lane] = "/";
      if (lane > column + 1) {
        for (let cell = 2 * column + 1; cell < 2 * lane; cell++) if (row[cell] === " ") row[cell] = "_";
      }
      lanes[lane] = null;
      push(row);
    }
    const row = cells();
    row[2 * column] = "*";
    const parents = [...new Set(revision.downRevisions.filter((parent) => (position.get(parent) ?? -1) > index))];
    lanes[column] = parents[0] ?? null;
    // A column for each other parent: the next free one to the right, one after another.
    const opened: number[] = [];
    for (const parent of parents.slice(1)) {
      let lane = (opened.at(-1) ?? column) + 1;
      while ((lanes[lane] ?? null) !== null) lane++;
      while (lanes.length < lane) lanes.push(null);
      lanes[lane] = parent;
      opened.push(lane);
    }
    const last = opened.at(-1);
    if (last !== undefined && (opened.length > 1 || last > column + 1)) {
      while (row.length < 2 * last) row.push(" ");
      for (let cell = 2 * column + 1; cell < 2 * last; cell++) if (row[cell] === " ") row[cell] = "-";
      for (const lane of opened) if (lane > column + 1) row[2 * lane - 1] = ".";
    }
    push(row, label(revision));
    if (last !== undefined) {
      const opening = cells();
      for (const lane of opened) opening[2 * lane] = "\\";
      push(opening);
    }
    while (lanes.length > 0 && lanes.at(-1) === null) lanes.pop();
  }
  return lines;
}
