import { detectCycles } from "./detect-cycles.js";
import { walkRelated } from "./graph-walk.js";
import {
  DependencySelfLoopError,
  DuplicateLabelError,
  DuplicateRevisionError,
  EmptyReferenceError,
  InvalidRevisionIdError,
  MissingRevisionError,
  SelfLoopError,
} from "./graph-validation-errors.js";
import { NO_LABELS, NO_REVISIONS, Revision } from "./revision.js";
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
  /** The number of revisions (without making them all, for a stored graph). */
  readonly size: number;
  readonly revisions: Revision<S>[];
  /** The revision of an ordinal (below `size`), without making the others (for a stored graph). */
  at(ordinal: number): Revision<S>;
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

/**
 * Names that already mean something wherever a revision is given: a
 * revision called `base` would be applied and then read back as an empty
 * database (`current` prints nothing, `downgrade base` has nothing to do).
 */
export const RESERVED_IDS: ReadonlySet<string> = new Set(["base", "head", "heads"]);

/** Why `id` cannot be a revision's id, and what to do. */
export function reservedIdMessage(id: string, where = ""): string {
  return `Revision identifier '${id}'${where} is a reserved word (base, head, heads name revisions in every command): choose another id (and rename every downRevision and dependsOn that names it)`;
}
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
  linkNormalized(revisions, normalizeDependencies(revisions));

  const data = assembleGraphData(revisions, byId, labels);
  detectCycles(revisions, data.heads, data.bases, data.realHeads, data.realBases);
  propagateBranchLabels(revisions);
  return data;
}

/** @internal The graph's lookups and end points, once every revision is linked. */
export function assembleGraphData<S extends RevisionSource>(
  revisions: Revision<S>[],
  byId: Map<string, Revision<S>>,
  labels: Map<string, Revision<S>>,
): GraphData<S> {
  const heads: Revision<S>[] = [];
  const realHeads: Revision<S>[] = [];
  const bases: Revision<S>[] = [];
  const realBases: Revision<S>[] = [];
  // One pass in file order (these lists are in file order).
  for (const revision of revisions) {
    if (revision.links.next.length === 0) heads.push(revision);
    if (revision.links.allNext.length === 0) realHeads.push(revision);
    if (revision.downRevisions.length === 0) {
      bases.push(revision);
      if (revision.dependencies.length === 0) realBases.push(revision);
    }
  }
  return {
    size: revisions.length,
    revisions,
    at: (ordinal) => revisions[ordinal] as Revision<S>,
    byId,
    labels,
    keys: revisionKeys(byId, labels),
    heads,
    realHeads,
    bases,
    realBases,
  };
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
  if (RESERVED_IDS.has(id)) {
    const where = path === undefined ? "" : ` in ${path}`;
    throw new InvalidRevisionIdError(id, reservedIdMessage(id, where), path);
  }
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

/** @internal A header's id list as the graph keeps it (the shared empty list, or a copy without repeats). */
export function toList(value: string | readonly string[] | null): readonly string[] {
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
  linkParents(revision);
}

/** @internal Sets `allDown` from `down` and the resolved dependencies, and registers the revision as their child. */
export function linkParents<S extends RevisionSource>(revision: Revision<S>): void {
  const links = revision.links;
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

/** @internal `next` (children by `downRevision`) is `allNext` unless some child points here by `dependsOn`. */
export function splitChildren<S extends RevisionSource>(revisions: readonly Revision<S>[]): void {
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
 * common case. Returns whether any revision has a dependency.
 */
function normalizeDependencies<S extends RevisionSource>(revisions: readonly Revision<S>[]): boolean {
  const declarers = new Map<Revision<S>, number>();
  for (const revision of revisions) {
    for (const dependency of revision.links.resolvedDependencies) {
      declarers.set(dependency, (declarers.get(dependency) ?? 0) + 1);
    }
  }
  let anyDependency = false;
  for (const revision of revisions) {
    const links = revision.links;
    if (links.resolvedDependencies.length === 0) continue;
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
  }
  return anyDependency;
}

/**
 * @internal Sets `normalizedDown` and `normalizedNext` from `down` and
 * `normalizedDependencies` (`anyDependency`: some revision has a `dependsOn`).
 */
export function linkNormalized<S extends RevisionSource>(
  revisions: readonly Revision<S>[],
  anyDependency: boolean,
): void {
  for (const revision of revisions) {
    const links = revision.links;
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
