import type { ScriptRevision } from "@retort/core";

/**
 * Draws revisions (newest first, each after all its descendants) as a
 * graph in the style of `git log --graph`: one lane per line of history,
 * `*` for a revision, `/` where lanes join at a branch point and `\` where
 * a merge point opens lanes for its parents.
 */
export function drawHistoryGraph(
  revisions: readonly ScriptRevision[],
  label: (revision: ScriptRevision) => string,
): string[] {
  const lines: string[] = [];
  // Each lane waits for one revision id: the parent its last revision named.
  let lanes: string[] = [];
  for (const revision of revisions) {
    let column = lanes.indexOf(revision.id);
    if (column === -1) {
      lanes.push(revision.id);
      column = lanes.length - 1;
    }
    const joining = lanes.flatMap((id, lane) => (id === revision.id && lane !== column ? [lane] : []));
    if (joining.length > 0) {
      lines.push(lanes.map((_, lane) => (joining.includes(lane) ? "/" : "|")).join(" "));
      lanes = lanes.filter((_, lane) => !joining.includes(lane));
    }
    lines.push(`${lanes.map((_, lane) => (lane === column ? "*" : "|")).join(" ")}  ${label(revision)}`);
    const [first, ...others] = revision.downRevisions;
    if (first === undefined) {
      lanes.splice(column, 1);
      continue;
    }
    // A parent another lane already waits for joins that lane later.
    const opened = others.filter((parent) => !lanes.includes(parent));
    lanes[column] = first;
    if (opened.length > 0) {
      lanes.splice(column + 1, 0, ...opened);
      lines.push(lanes.map((_, lane) => (lane > column && lane <= column + opened.length ? "\\" : "|")).join(" "));
    }
  }
  return lines;
}
