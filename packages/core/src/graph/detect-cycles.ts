import { markRelated } from "./graph-walk.js";
import { CycleError, DependencyCycleError } from "./graph-validation-errors.js";
import type { Revision } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

/**
 * @internal Alembic's `_detect_cycles`: every revision must lie on a path from a base
 * up to a head, first over `downRevision` edges, then over all edges. Then a
 * check Alembic lacks: a cycle that hangs off a valid path (a merge point
 * whose second parent loops back) passes Alembic's test but would make
 * every traversal wrong, so the graph must also sort topologically.
 */
export function detectCycles<S extends RevisionSource>(
  revisions: readonly Revision<S>[],
  heads: readonly Revision<S>[],
  bases: readonly Revision<S>[],
  realHeads: readonly Revision<S>[],
  realBases: readonly Revision<S>[],
): void {
  if (revisions.length === 0) return;
  const size = revisions.length;
  const all = () => revisions.map((revision) => revision.id);
  if (heads.length === 0 || bases.length === 0) throw new CycleError(all());
  let outside = outsideOf(revisions, markRelated(heads, "down", size), markRelated(bases, "next", size));
  if (outside.length > 0) throw new CycleError(outside);
  if (realHeads.length === 0 || realBases.length === 0) throw new DependencyCycleError(all());
  outside = outsideOf(revisions, markRelated(realHeads, "allDown", size), markRelated(realBases, "allNext", size));
  if (outside.length > 0) throw new DependencyCycleError(outside);

  if (assignDepths(revisions)) return;
  let stuck = unsortable(revisions, "down");
  if (stuck.length > 0) throw new CycleError(stuck);
  stuck = unsortable(revisions, "allDown");
  throw new DependencyCycleError(stuck);
}

function outsideOf<S extends RevisionSource>(
  revisions: readonly Revision<S>[],
  fromHeads: Uint8Array,
  fromBases: Uint8Array,
): string[] {
  return revisions
    .filter((revision) => !(fromHeads[revision.ordinal] && fromBases[revision.ordinal]))
    .map((revision) => revision.id)
    .sort();
}

/**
 * The revisions left after repeatedly removing those without remaining
 * parents, then those without remaining children: the cycles and what lies
 * between them (empty for a valid graph).
 */
function unsortable<S extends RevisionSource>(revisions: readonly Revision<S>[], edges: "down" | "allDown"): string[] {
  const childEdges = edges === "down" ? "next" : "allNext";
  const alive = new Uint8Array(revisions.length).fill(1);
  const peel = (
    count: (revision: Revision<S>) => readonly Revision<S>[],
    other: (revision: Revision<S>) => readonly Revision<S>[],
  ) => {
    const remaining = revisions.map((revision) => count(revision).filter((r) => alive[r.ordinal]).length);
    const queue = revisions.filter((revision) => alive[revision.ordinal] && remaining[revision.ordinal] === 0);
    while (queue.length > 0) {
      const revision = queue.pop() as Revision<S>;
      alive[revision.ordinal] = 0;
      for (const neighbour of other(revision)) {
        if (!alive[neighbour.ordinal]) continue;
        remaining[neighbour.ordinal] = (remaining[neighbour.ordinal] ?? 0) - 1;
        if (remaining[neighbour.ordinal] === 0) queue.push(neighbour);
      }
    }
  };
  peel(
    (revision) => revision.links[edges],
    (revision) => revision.links[childEdges],
  );
  peel(
    (revision) => revision.links[childEdges],
    (revision) => revision.links[edges],
  );
  return revisions
    .filter((revision) => alive[revision.ordinal])
    .map((revision) => revision.id)
    .sort();
}

/**
 * Longest-path depth from the roots over all edges, for pruning ancestor
 * searches (Kahn's algorithm). Returns false when some revision is never
 * reached, i.e. the graph has a cycle.
 */
function assignDepths<S extends RevisionSource>(revisions: readonly Revision<S>[]): boolean {
  const remaining = new Int32Array(revisions.length);
  const queue: Revision<S>[] = [];
  for (const revision of revisions) {
    remaining[revision.ordinal] = revision.links.allDown.length;
    if (revision.links.allDown.length === 0) queue.push(revision);
  }
  let sorted = 0;
  while (queue.length > 0) {
    const revision = queue.pop() as Revision<S>;
    sorted++;
    for (const child of revision.links.allNext) {
      if (child.links.depth <= revision.links.depth) child.links.depth = revision.links.depth + 1;
      remaining[child.ordinal] = (remaining[child.ordinal] ?? 0) - 1;
      if (remaining[child.ordinal] === 0) queue.push(child);
    }
  }
  return sorted === revisions.length;
}
