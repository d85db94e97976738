import { markRelated, walkRelated } from "./graph-walk.js";
import {
  CycleError,
  DependencyCycleError,
  DependencySelfLoopError,
  DuplicateLabelError,
  DuplicateRevisionError,
  EmptyReferenceError,
  InvalidRevisionIdError,
  MissingRevisionError,
  SelfLoopError,
} from "./graph-validation-errors.js";
import { NO_LABELS, NO_REVISIONS, Revision } from "./revision.js";
import { revisionIdTooLong } from "./revision-id-length.js";
import type { RevisionSource } from "./revision-source.js";

/** @internal Lookup by Alembic's map keys: revision ids, then branch labels. */
export interface RevisionKeys<S extends RevisionSource> {
  get(key: string): Revision<S> | undefined;
  /** Every key in Alembic's map order (ids in file order, then labels): the order of prefix matches. */
  all(): IterableIterator<string>;
}

function revisionKeys<S extends RevisionSource>(
  byId: Map<string, Revision<S>>,
  labels: Map<string, Revision<S>>,
): RevisionKeys<S> {
  return {
    // A label never equals an id (that is a DuplicateLabelError), so the order of lookups does not matter.
    get: (key) => byId.get(key) ?? labels.get(key),
    *all() {
      yield* byId.keys();
      yield* labels.keys();
    },
  };
}

/** @internal What `RevisionGraph` is made of. */
export interface GraphData<S extends RevisionSource> {
  readonly revisions: Revision<S>[];
  readonly byId: Map<string, Revision<S>>;
  /** Branch labels and the revision declaring each, in file order. */
  readonly labels: Map<string, Revision<S>>;
  /** Revision ids and branch labels, as Alembic's map keys. */
  readonly keys: RevisionKeys<S>;
  readonly heads: Revision<S>[];
  readonly realHeads: Revision<S>[];
  readonly bases: Revision<S>[];
  readonly realBases: Revision<S>[];
}

// Characters with a meaning in identifiers (`label@rev`, `rev+1`, `a:b`).
const ILLEGAL_ID_CHARACTERS = ["@", "-", "+", ":"];
const ILLEGAL_ID = /[@+:-]/;

/**
 * Builds and validates the graph in Alembic's order of checks (`_revision_map`):
 * revisions and self-loops, branch labels, dependencies, edges, normalized
 * dependencies, cycles, label propagation. Where Alembic crashes or keeps
 * going with a broken map (a missing parent, a duplicate id), this raises
 * an error naming the file.
 */
export function buildGraphData<S extends RevisionSource>(sources: readonly S[]): GraphData<S> {
  const revisions = sources.map((source, ordinal) => createRevision(source, ordinal));
  const byId = new Map<string, Revision<S>>();
  for (const revision of revisions) {
    const existing = byId.get(revision.id);
    if (existing) throw new DuplicateRevisionError(revision.id, [existing.source.path, revision.source.path]);
    byId.set(revision.id, revision);
  }

  const labels = new Map<string, Revision<S>>();
  const keys = revisionKeys(byId, labels);
  for (const revision of revisions) {
    for (const label of revision.ownBranchLabels) {
      const owner = keys.get(label);
      if (owner) throw new DuplicateLabelError(label, revision.id, owner.id);
      labels.set(label, revision);
    }
  }

  for (const revision of revisions) linkRevision(revision, byId, keys);
  splitChildren(revisions);
  normalizeDependencies(revisions);

  const heads = revisions.filter((revision) => revision.links.next.length === 0);
  const realHeads = revisions.filter((revision) => revision.links.allNext.length === 0);
  const bases = revisions.filter((revision) => revision.downRevisions.length === 0);
  const realBases = bases.filter((revision) => revision.dependencies.length === 0);
  detectCycles(revisions, heads, bases, realHeads, realBases);
  propagateBranchLabels(revisions);
  return { revisions, byId, labels, keys, heads, realHeads, bases, realBases };
}

function createRevision<S extends RevisionSource>(source: S, ordinal: number): Revision<S> {
  const id = source.revision;
  const path = source.path;
  if (typeof id !== "string" || id.length === 0) {
    const where = path === undefined ? "" : ` in ${path}`;
    throw new InvalidRevisionIdError(String(id), `Revision identifier${where} must be a non-empty string`, path);
  }
  rejectEmptyReference(source, "downRevision", source.downRevision);
  rejectEmptyReference(source, "dependsOn", source.dependsOn ?? null);
  const downRevisions = toList(source.downRevision);
  const dependencies = toList(source.dependsOn ?? null);
  if (downRevisions.includes(id)) throw new SelfLoopError(id, path);
  if (dependencies.includes(id)) throw new DependencySelfLoopError(id, path);
  if (ILLEGAL_ID.test(id)) {
    const illegal = ILLEGAL_ID_CHARACTERS.filter((character) => id.includes(character)).sort();
    throw new InvalidRevisionIdError(
      id,
      `Character(s) '${illegal.join(", ")}' not allowed in revision identifier '${id}'`,
      path,
    );
  }
  const tooLong = revisionIdTooLong(
    id,
    "shorten the id in that file (and every downRevision and dependsOn that names it)",
    path === undefined ? "" : ` in ${path}`,
  );
  if (tooLong !== undefined) throw new InvalidRevisionIdError(id, tooLong, path);
  return new Revision(source, ordinal, downRevisions, dependencies, toList(source.branchLabels ?? null));
}

/**
 * An empty (or blank) id in `downRevision` or `dependsOn` is a mistake, not
 * a root: `null` is the root marker. Without this check `""` silently made
 * the revision a new base.
 */
function rejectEmptyReference(
  source: RevisionSource,
  field: "downRevision" | "dependsOn",
  value: string | readonly string[] | null,
): void {
  if (value === null || value === undefined) return;
  const items = typeof value === "string" ? [value] : value;
  const empty = items.find((item) => typeof item === "string" && item.trim() === "");
  if (empty !== undefined) throw new EmptyReferenceError(source.revision, field, empty, source.path);
}

function toList(value: string | readonly string[] | null): readonly string[] {
  if (value === null || value === undefined || value.length === 0) return NO_REVISIONS;
  if (typeof value === "string") return [value];
  return value.length === 1 ? [...value] : [...new Set(value)];
}

/**
 * Resolves parents and dependencies to objects and registers the revision
 * as a child of each (in `allNext`; `next` is split off afterwards).
 */
function linkRevision<S extends RevisionSource>(
  revision: Revision<S>,
  byId: Map<string, Revision<S>>,
  keys: RevisionKeys<S>,
): void {
  const links = revision.links;
  if (revision.dependencies.length > 0) {
    const resolved: Revision<S>[] = [];
    for (const dependency of revision.dependencies) {
      const target = keys.get(dependency);
      if (!target) throw missing(revision, dependency, "dependsOn", keys);
      if (!resolved.includes(target)) resolved.push(target);
    }
    links.resolvedDependencies = resolved;
  }
  if (revision.downRevisions.length > 0) {
    links.down = revision.downRevisions.map((downRevision) => {
      const parent = byId.get(downRevision);
      if (!parent) throw missing(revision, downRevision, "downRevision", keys);
      return parent;
    });
  }
  links.allDown =
    links.resolvedDependencies.length === 0 ? links.down : [...new Set([...links.down, ...links.resolvedDependencies])];
  for (const parent of links.allDown) addChild(parent, "allNext", revision);
}

function addChild<S extends RevisionSource>(
  parent: Revision<S>,
  list: "allNext" | "normalizedNext",
  child: Revision<S>,
): void {
  const links = parent.links;
  if (links[list] === NO_REVISIONS) links[list] = [child];
  else (links[list] as Revision<S>[]).push(child);
}

/** `next` (children by `downRevision`) is `allNext` unless some child points here by `dependsOn`. */
function splitChildren<S extends RevisionSource>(revisions: readonly Revision<S>[]): void {
  for (const revision of revisions) {
    const links = revision.links;
    links.next = links.allNext.every((child) => child.links.down.includes(revision))
      ? links.allNext
      : links.allNext.filter((child) => child.links.down.includes(revision));
  }
}

function missing<S extends RevisionSource>(
  revision: Revision<S>,
  name: string,
  field: "downRevision" | "dependsOn",
  keys: RevisionKeys<S>,
): MissingRevisionError {
  let hint: string | undefined;
  const labelled = keys.get(name);
  if (labelled) {
    hint = `'${name}' is a branch label of revision ${labelled.id}; downRevision must name a revision id`;
  } else if (name.length > 0) {
    const allowed = field === "downRevision" ? "the full revision id" : "the full revision id or branch label";
    const matches = [...keys.all()].filter(
      (key) => key.startsWith(name) && (field === "dependsOn" || keys.get(key)?.id === key),
    );
    if (matches.length === 1) hint = `did you mean '${matches[0]}'? ${field} must give ${allowed}`;
  }
  return new MissingRevisionError({ revision: revision.id, path: revision.source.path, missing: name, field, hint });
}

/**
 * Drops each dependency that a `downRevision` ancestor already depends on
 * (Alembic's `_normalize_depends_on`). Only a dependency declared by more
 * than one revision can be dropped, so the ancestor walk is skipped for the
 * common case.
 */
function normalizeDependencies<S extends RevisionSource>(revisions: readonly Revision<S>[]): void {
  const declarers = new Map<Revision<S>, number>();
  for (const revision of revisions) {
    for (const dependency of revision.links.resolvedDependencies) {
      declarers.set(dependency, (declarers.get(dependency) ?? 0) + 1);
    }
  }
  let anyDependency = false;
  for (const revision of revisions) {
    const links = revision.links;
    if (links.resolvedDependencies.length === 0) {
      links.normalizedDown = links.down;
      continue;
    }
    anyDependency = true;
    const shared = new Set(links.resolvedDependencies.filter((dependency) => (declarers.get(dependency) ?? 0) > 1));
    if (shared.size > 0) {
      for (const ancestor of walkRelated([revision], "down", revisions.length)) {
        if (ancestor === revision) continue;
        for (const dependency of ancestor.links.resolvedDependencies) shared.delete(dependency);
      }
    }
    links.normalizedDependencies = links.resolvedDependencies.filter(
      (dependency) => (declarers.get(dependency) ?? 0) <= 1 || shared.has(dependency),
    );
    links.normalizedDown =
      links.normalizedDependencies.length === 0
        ? links.down
        : [...new Set([...links.down, ...links.normalizedDependencies])];
  }
  for (const revision of revisions) {
    const links = revision.links;
    if (!anyDependency || links.next === links.allNext) {
      links.normalizedNext = links.next;
      continue;
    }
    links.normalizedNext = links.allNext.filter((child) => child.links.normalizedDown.includes(revision));
  }
}

/**
 * Alembic's `_detect_cycles`: every revision must lie on a path from a base
 * up to a head, first over `downRevision` edges, then over all edges. Then a
 * check Alembic lacks: a cycle that hangs off a valid path (a merge point
 * whose second parent loops back) passes Alembic's test but would make
 * every traversal wrong, so the graph must also sort topologically.
 */
function detectCycles<S extends RevisionSource>(
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

/**
 * Alembic's `_add_branches`: each label goes to every `downRevision`
 * descendant of the revision declaring it, then down from the last
 * descendant visited until a real branch point or a merge point, so that a
 * label covers its whole line. Labels are processed in file order (Alembic
 * uses set order, which varies between runs).
 */
function propagateBranchLabels<S extends RevisionSource>(revisions: readonly Revision<S>[]): void {
  for (const revision of revisions) {
    if (revision.ownBranchLabels.size === 0) continue;
    const labels = [...revision.links.labels];
    const descendants = walkRelated([revision], "next", revisions.length);
    for (const node of descendants) addLabels(node, labels);
    let parent: Revision<S> | undefined = descendants[descendants.length - 1];
    while (parent && !parent.isRealBranchPoint && !parent.isMergePoint) {
      addLabels(parent, labels);
      parent = parent.links.down[0];
    }
  }
}

function addLabels<S extends RevisionSource>(revision: Revision<S>, labels: readonly string[]): void {
  const links = revision.links;
  if (links.labels === NO_LABELS) links.labels = new Set(labels);
  else for (const label of labels) (links.labels as Set<string>).add(label);
}
