import type { GraphData } from "./build-graph.js";
import { RevisionOverlapError } from "./revision-errors.js";
import type { Revision, RevisionLinks } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

/** Which edges a walk follows. */
export type EdgeKind = "down" | "allDown" | "normalizedDown" | "next" | "allNext" | "normalizedNext";

/** The edges for "ancestors" and "descendants", with or without `dependsOn`. */
export function ancestorEdges(includeDependencies: boolean): EdgeKind {
  return includeDependencies ? "normalizedDown" : "down";
}

export function descendantEdges(includeDependencies: boolean): EdgeKind {
  // Alembic walks descendants over every dependency edge, ancestors over the
  // normalized ones; both reach the same revisions, since a dependency
  // dropped by normalization is still reached through an ancestor.
  return includeDependencies ? "allNext" : "next";
}

type Links<S extends RevisionSource> = RevisionLinks<S>;

/**
 * The revisions marked 1 in `marks` (indexed by ordinal), in file order:
 * a stored graph makes only those, not every revision to filter them.
 */
export function markedRevisions<S extends RevisionSource>(data: GraphData<S>, marks: Uint8Array): Revision<S>[] {
  const marked: Revision<S>[] = [];
  for (let ordinal = 0; ordinal < marks.length; ordinal++) if (marks[ordinal] === 1) marked.push(data.at(ordinal));
  return marked;
}

// One accessor per edge kind keeps the hot loops' property loads monomorphic.
const EDGES: Record<EdgeKind, (links: Links<RevisionSource>) => readonly Revision<RevisionSource>[]> = {
  down: (links) => links.down,
  allDown: (links) => links.allDown,
  normalizedDown: (links) => links.normalizedDown,
  next: (links) => links.next,
  allNext: (links) => links.allNext,
  normalizedNext: (links) => links.normalizedNext,
};

function edgesOf<S extends RevisionSource>(kind: EdgeKind): (links: Links<S>) => readonly Revision<S>[] {
  return EDGES[kind] as unknown as (links: Links<S>) => readonly Revision<S>[];
}

/**
 * Alembic's `_iterate_related_revisions`: a depth-first walk from each
 * start in turn, sharing one `seen` set, yielding revisions in visiting
 * order (the starts included). The order matters only where Alembic
 * relies on it (the last descendant visited when propagating labels).
 *
 * With `check`, a start that reaches another start raises
 * `Requested revision X overlaps with other requested revisions Y`. Like
 * Alembic, the check only sees what this start's own walk reached before
 * running into revisions an earlier start already visited.
 */
export function walkRelated<S extends RevisionSource>(
  starts: readonly Revision<S>[],
  edges: EdgeKind,
  size: number,
  check = false,
): Revision<S>[] {
  const seen = new Uint8Array(size);
  const reached = check ? new Int32Array(size).fill(-1) : undefined;
  const result: Revision<S>[] = [];
  const stack: Revision<S>[] = [];
  const edgesFrom = edgesOf<S>(edges);
  starts.forEach((start, startIndex) => {
    stack.push(start);
    while (stack.length > 0) {
      const revision = stack.pop() as Revision<S>;
      if (reached) reached[revision.ordinal] = startIndex;
      if (seen[revision.ordinal]) continue;
      seen[revision.ordinal] = 1;
      for (const next of edgesFrom(revision.links)) stack.push(next);
      result.push(revision);
    }
    if (reached) {
      const overlaps = starts.filter((other) => other !== start && reached[other.ordinal] === startIndex);
      if (overlaps.length > 0) {
        throw new RevisionOverlapError(
          start.id,
          unique(overlaps).map((other) => other.id),
        );
      }
    }
  });
  return result;
}

/** Marks (by ordinal) every revision reachable from `starts` over `edges`, the starts included. */
export function markRelated<S extends RevisionSource>(
  starts: Iterable<Revision<S>>,
  edges: EdgeKind,
  size: number,
  marks: Uint8Array = new Uint8Array(size),
): Uint8Array {
  const stack: Revision<S>[] = [];
  const edgesFrom = edgesOf<S>(edges);
  for (const start of starts) {
    if (marks[start.ordinal]) continue;
    marks[start.ordinal] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const revision = stack.pop() as Revision<S>;
      for (const next of edgesFrom(revision.links)) {
        if (marks[next.ordinal]) continue;
        marks[next.ordinal] = 1;
        stack.push(next);
      }
    }
  }
  return marks;
}

/** Ancestors and descendants of `revision`, itself included: what "shares lineage" means. */
export function lineageMarks<S extends RevisionSource>(
  revision: Revision<S>,
  includeDependencies: boolean,
  size: number,
  marks: Uint8Array = new Uint8Array(size),
): Uint8Array {
  const down = markRelated([revision], ancestorEdges(includeDependencies), size);
  const up = markRelated([revision], descendantEdges(includeDependencies), size);
  for (let index = 0; index < size; index++) if (down[index] || up[index]) marks[index] = 1;
  return marks;
}

/**
 * Whether `ancestor` is `descendant` or one of its ancestors. The search
 * from `descendant` skips revisions not deeper than `ancestor` (a parent is
 * always shallower than its child), so it only covers the band between them.
 */
export function isAncestorOrSelf<S extends RevisionSource>(
  ancestor: Revision<S>,
  descendant: Revision<S>,
  includeDependencies: boolean,
): boolean {
  if (ancestor === descendant) return true;
  const floor = ancestor.links.depth;
  if (descendant.links.depth <= floor) return false;
  const edgesFrom = edgesOf<S>(ancestorEdges(includeDependencies));
  const seen = new Set<Revision<S>>([descendant]);
  const stack: Revision<S>[] = [descendant];
  while (stack.length > 0) {
    const revision = stack.pop() as Revision<S>;
    for (const parent of edgesFrom(revision.links)) {
      if (parent === ancestor) return true;
      if (parent.links.depth <= floor || seen.has(parent)) continue;
      seen.add(parent);
      stack.push(parent);
    }
  }
  return false;
}

/** Revisions from `list` in first-seen order, without repeats. */
export function unique<T>(list: Iterable<T>): T[] {
  return [...new Set(list)];
}
