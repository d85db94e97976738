import type { GraphData } from "./build-graph.js";
import { markedRevisions, markRelated, unique } from "./graph-walk.js";
import { RevisionError } from "./revision-errors.js";
import type { Revision } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

/**
 * Alembic's `_topological_sort`: lists the marked revisions descendants
 * first, walking depth-first down one branch at a time and stopping at a
 * revision that another pending branch still needs, with ties broken by
 * file order (the head that comes first in file order is walked first).
 *
 * Alembic keeps the full ancestor set of every current head and recomputes
 * it at every merge point and dependency, which is quadratic. This gives the
 * identical order in linear time when the set to sort is closed under paths
 * and reachable from the heads (always so for upgrade and downgrade plans):
 * then "the candidate is an ancestor of another current head" is the same
 * as "the candidate still has an unlisted child in the set", a counter.
 * Otherwise (some `history` ranges) it runs Alembic's algorithm as written.
 */
export function topologicalSort<S extends RevisionSource>(
  data: GraphData<S>,
  todo: Uint8Array,
  heads: readonly Revision<S>[],
  knownClosed: boolean,
): Revision<S>[] {
  const members = markedRevisions(data, todo);
  const start = startingHeads(heads, todo);
  if (knownClosed || fastSortApplies(data, todo, members, start)) return fastSort(data, todo, members, start);
  return exactSort(data, todo, start);
}

function startingHeads<S extends RevisionSource>(heads: readonly Revision<S>[], todo: Uint8Array): Revision<S>[] {
  return unique(heads.filter((head) => todo[head.ordinal] === 1)).sort((a, b) => a.ordinal - b.ordinal);
}

function fastSort<S extends RevisionSource>(
  data: GraphData<S>,
  todoMarks: Uint8Array,
  members: readonly Revision<S>[],
  start: Revision<S>[],
): Revision<S>[] {
  const size = data.size;
  const todo = Uint8Array.from(todoMarks);
  // Number of unlisted children (over normalized edges) inside the set.
  const pendingChildren = new Int32Array(size);
  for (const member of members) {
    for (const parent of member.links.normalizedDown) {
      if (todo[parent.ordinal]) pendingChildren[parent.ordinal] = (pendingChildren[parent.ordinal] ?? 0) + 1;
    }
  }
  const current = start;
  const isCurrent = new Uint8Array(size);
  for (const head of current) isCurrent[head.ordinal] = 1;
  const visited = new Uint32Array(size);
  let generation = 0;
  const output: Revision<S>[] = [];
  let index = 0;
  while (current.length > 0) {
    const candidate = current[index] as Revision<S>;
    if (pendingChildren[candidate.ordinal]) {
      // Another current head needs the candidate: switch to the first such
      // head in list order, found by walking up through unlisted revisions.
      generation++;
      markAbove(candidate, todo, visited, generation);
      const next = current.findIndex((head, position) => position !== index && visited[head.ordinal] === generation);
      if (next < 0) throw brokenSort(candidate);
      index = next;
      continue;
    }
    output.push(candidate);
    todo[candidate.ordinal] = 0;
    isCurrent[candidate.ordinal] = 0;
    const added: Revision<S>[] = [];
    for (const parent of candidate.links.normalizedDown) {
      if (!todo[parent.ordinal]) continue;
      pendingChildren[parent.ordinal] = (pendingChildren[parent.ordinal] ?? 0) - 1;
      if (!isCurrent[parent.ordinal]) added.push(parent);
    }
    if (added.length === 0) {
      current.splice(index, 1);
      index = Math.max(index - 1, 0);
    } else {
      current[index] = added[0] as Revision<S>;
      current.push(...added.slice(1));
      for (const head of added) isCurrent[head.ordinal] = 1;
    }
  }
  if (output.length !== members.length) throw brokenSort(undefined, markedRevisions(data, todo));
  return output;
}

function markAbove<S extends RevisionSource>(
  from: Revision<S>,
  todo: Uint8Array,
  visited: Uint32Array,
  generation: number,
): void {
  const stack = [from];
  visited[from.ordinal] = generation;
  while (stack.length > 0) {
    const revision = stack.pop() as Revision<S>;
    for (const child of revision.links.normalizedNext) {
      if (!todo[child.ordinal] || visited[child.ordinal] === generation) continue;
      visited[child.ordinal] = generation;
      stack.push(child);
    }
  }
}

/**
 * Whether the fast sort gives Alembic's order: every member reachable from
 * the starting heads inside the set, and no path between two members that
 * leaves the set (Alembic's ancestor sets span the whole graph).
 */
export function fastSortApplies<S extends RevisionSource>(
  data: GraphData<S>,
  todo: Uint8Array,
  members: readonly Revision<S>[],
  start: readonly Revision<S>[],
): boolean {
  const size = data.size;
  const reached = new Uint8Array(size);
  const stack = [...start];
  for (const head of start) reached[head.ordinal] = 1;
  let count = start.length;
  while (stack.length > 0) {
    const revision = stack.pop() as Revision<S>;
    for (const parent of revision.links.normalizedDown) {
      if (!todo[parent.ordinal] || reached[parent.ordinal]) continue;
      reached[parent.ordinal] = 1;
      count++;
      stack.push(parent);
    }
  }
  if (count !== members.length) return false;

  // Non-members below some member; a member with such a child means a path
  // member -> outside -> member.
  const outsideBelow = new Uint8Array(size);
  const pending = [...members];
  while (pending.length > 0) {
    const revision = pending.pop() as Revision<S>;
    for (const parent of revision.links.normalizedDown) {
      if (todo[parent.ordinal] || outsideBelow[parent.ordinal]) continue;
      outsideBelow[parent.ordinal] = 1;
      pending.push(parent);
    }
  }
  return !members.some((member) => member.links.normalizedNext.some((child) => outsideBelow[child.ordinal] === 1));
}

/** Alembic's algorithm as written, with full ancestor sets per current head. */
export function exactSort<S extends RevisionSource>(
  data: GraphData<S>,
  todoMarks: Uint8Array,
  start: Revision<S>[],
): Revision<S>[] {
  const size = data.size;
  const todo = Uint8Array.from(todoMarks);
  const ancestorsOf = (revision: Revision<S>) => markRelated([revision], "normalizedDown", size);
  const current = start;
  const ancestors = current.map(ancestorsOf);
  const output: Revision<S>[] = [];
  let index = 0;
  while (current.length > 0) {
    const candidate = current[index] as Revision<S>;
    const blocker = ancestors.findIndex((marks, position) => position !== index && marks[candidate.ordinal] === 1);
    if (blocker >= 0) {
      index = blocker;
      continue;
    }
    if (todo[candidate.ordinal]) {
      output.push(candidate);
      todo[candidate.ordinal] = 0;
    }
    const added = candidate.links.normalizedDown.filter((parent) => todo[parent.ordinal] && !current.includes(parent));
    if (added.length === 0) {
      current.splice(index, 1);
      ancestors.splice(index, 1);
      index = Math.max(index - 1, 0);
    } else if (candidate.links.normalizedDependencies.length === 0 && candidate.links.down.length === 1) {
      current[index] = added[0] as Revision<S>;
      (ancestors[index] as Uint8Array)[candidate.ordinal] = 0;
    } else {
      current[index] = added[0] as Revision<S>;
      current.push(...added.slice(1));
      ancestors[index] = ancestorsOf(added[0] as Revision<S>);
      ancestors.push(...added.slice(1).map(ancestorsOf));
    }
  }
  if (todo.some((mark) => mark === 1)) throw brokenSort(undefined, markedRevisions(data, todo));
  return output;
}

/**
 * Alembic fails an assertion here; it means the graph and the set to sort
 * disagree (a `history` range whose ends a dependency crosses). Names the
 * revision it stopped at, or those it could not place.
 */
function brokenSort<S extends RevisionSource>(
  at: Revision<S> | undefined,
  unplaced: readonly Revision<S>[] = [],
): RevisionError {
  if (at !== undefined)
    return new RevisionError("TRAVERSAL", `Dependency resolution failed; broken map at revision ${at.id}`);
  const ids = unplaced.map((revision) => revision.id).join(", ");
  const what = unplaced.length === 1 ? `revision ${ids} could not be placed` : `revisions ${ids} could not be placed`;
  return new RevisionError(
    "TRAVERSAL",
    `Dependency resolution failed; broken map: ${what} in order among the others ` +
      "(a dependency crosses the ends of the requested range; Alembic stops here too). " +
      "Ask for the whole history, or for a range whose ends are on one branch.",
  );
}
