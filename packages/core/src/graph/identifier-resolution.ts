import type { GraphData } from "./build-graph.js";
import { ancestorEdges, lineageMarks, markedRevisions, markRelated, unique } from "./graph-walk.js";
import { AmbiguousWalkError, InvalidIdentifierError, MultipleHeadsError, ResolutionError } from "./revision-errors.js";
import type { Revision } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

/** An identifier or a list of them, as Alembic's `get_revisions` takes; `null` means base. */
export type RevisionIdentifier = string | readonly string[] | null;

/**
 * What a lookup can yield: a revision, `"base"` (a walk went below the
 * roots), or `null` (base, or a relative walk that ran off the graph),
 * mirroring the values Alembic's resolver passes around.
 */
export type Resolved<S extends RevisionSource> = Revision<S> | "base" | null;

/** Python's `int()` accepts these (surrounding spaces, a sign, `_` between digits). */
const INTEGER = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

function isRevision<S extends RevisionSource>(value: Resolved<S>): value is Revision<S> {
  return value !== null && value !== "base";
}

/** Keeps the revisions of a lookup result, dropping `base` and `null`. */
export function revisionsOf<S extends RevisionSource>(values: readonly Resolved<S>[]): Revision<S>[] {
  return values.filter(isRevision);
}

/**
 * Alembic's `_resolve_revision_number`: splits `label@rest` and expands the
 * symbols `heads`, `head` and `base`; anything else is returned as the id to
 * look up.
 */
export function resolveRevisionNumber<S extends RevisionSource>(
  data: GraphData<S>,
  identifier: RevisionIdentifier,
): { ids: readonly string[]; branchLabel: string | null } {
  if (Array.isArray(identifier)) {
    if (identifier.some((item) => typeof item !== "string")) throw notAString(identifier);
    return { ids: identifier, branchLabel: null };
  }
  // A database driver can hand back bytes instead of text.
  if (identifier !== null && typeof identifier !== "string") throw notAString(identifier);
  let rest: string | null = identifier;
  let branchLabel: string | null = null;
  if (identifier?.includes("@")) {
    const at = identifier.indexOf("@");
    branchLabel = identifier.slice(0, at) || null;
    rest = identifier.slice(at + 1);
  }
  // An unknown label before a symbol is an unknown branch, not an unknown revision.
  if (branchLabel && (rest === "heads" || rest === "head" || rest === "base")) resolveBranch(data, branchLabel);
  if (rest === "heads") {
    if (branchLabel) return { ids: filterForLineage(data, data.heads, branchLabel).map((r) => r.id), branchLabel };
    return { ids: data.realHeads.map((r) => r.id), branchLabel };
  }
  if (rest === "head") {
    const head = getCurrentHead(data, branchLabel);
    return { ids: head ? [head.id] : [], branchLabel };
  }
  if (rest === "base" || rest === null) return { ids: [], branchLabel };
  return { ids: [rest], branchLabel };
}

function notAString(value: unknown): InvalidIdentifierError {
  return new InvalidIdentifierError(
    `revision identifier ${describe(value)} is not a string; ensure database driver settings are correct`,
  );
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `(${value.map(describe).join(", ")})`;
  if (typeof value === "string") return `'${value}'`;
  if (value instanceof Uint8Array) return `b'${Buffer.from(value).toString("latin1")}'`;
  return String(value);
}

/** Alembic's `get_current_head`: the single versioned head, optionally within a branch's lineage. */
export function getCurrentHead<S extends RevisionSource>(
  data: GraphData<S>,
  branchLabel: string | null,
): Revision<S> | null {
  const heads = branchLabel ? filterForLineage(data, data.heads, branchLabel) : data.heads;
  if (heads.length > 1) {
    throw new MultipleHeadsError(
      heads.map((head) => head.id),
      branchLabel ? `${branchLabel}@head` : "head",
    );
  }
  return heads[0] ?? null;
}

/**
 * Alembic's `filter_for_lineage`: keeps the targets that are an ancestor or
 * descendant of what `checkAgainst` names (its branch label and its
 * revisions). Sharing lineage is symmetric, so the lineage of the few
 * `checkAgainst` revisions is computed once instead of once per target.
 */
export function filterForLineage<S extends RevisionSource, T extends string | Revision<S>>(
  data: GraphData<S>,
  targets: readonly T[],
  checkAgainst: string | null,
  includeDependencies = false,
): T[] {
  // Symbols are expanded even with no targets (so `x@head` can still raise
  // MultipleHeads); the lookups of what they name happen only for targets.
  const { ids, branchLabel } = resolveRevisionNumber(data, checkAgainst);
  const shares = branchLabel ? [branchLabel, ...ids] : [...ids];
  if (targets.length === 0 || shares.length === 0) return [...targets];
  const size = data.size;
  const marks = new Uint8Array(size);
  for (const share of shares) {
    const revision = revisionForIdent(data, share, null);
    if (revision) lineageMarks(revision, includeDependencies, size, marks);
  }
  return targets.filter((target) => {
    const revision = typeof target === "string" ? revisionForIdent(data, target, null) : (target as Revision<S>);
    return revision !== null && marks[revision.ordinal] === 1;
  });
}

/** Whether `revision` is an ancestor or descendant of `other` (itself included). */
export function sharesLineage<S extends RevisionSource>(
  data: GraphData<S>,
  revision: Revision<S>,
  other: Revision<S>,
  includeDependencies = false,
): boolean {
  return lineageMarks(other, includeDependencies, data.size)[revision.ordinal] === 1;
}

/**
 * Alembic's `_revision_for_ident`: an exact id or label, else a unique
 * prefix of one (keys of more than 3 characters), checked against the
 * branch when one is given.
 */
export function revisionForIdent<S extends RevisionSource>(
  data: GraphData<S>,
  id: string | null,
  checkBranch: string | null,
): Revision<S> | null {
  const branchRevision = checkBranch ? resolveBranch(data, checkBranch) : null;
  if (id === null) return null;
  let revision = data.keys.get(id);
  if (!revision) {
    let candidates = [...data.keys.all()].filter((key) => key.length > 3 && key.startsWith(id));
    if (branchRevision) candidates = filterForLineage(data, candidates, checkBranch);
    if (candidates.length === 0) {
      const short =
        id.length < 4
          ? "; please ensure at least four characters are present for partial revision identifier matches"
          : "";
      throw new ResolutionError(id, `No such revision or branch '${id}'${short}`);
    }
    if (candidates.length > 1) {
      const shown = candidates.slice(0, 10).map((candidate) => `'${candidate}'`);
      const more = candidates.length > 10 ? `, ... (${candidates.length} in all)` : "";
      throw new ResolutionError(id, `Multiple revisions start with '${id}': ${shown.join(", ")}${more}`, candidates);
    }
    revision = data.keys.get(candidates[0] as string) as Revision<S>;
  }
  if (branchRevision && !sharesLineage(data, revision, branchRevision)) {
    throw new ResolutionError(id, `Revision ${revision.id} is not a member of branch '${checkBranch}'`);
  }
  return revision;
}

/** The revision a branch label names; a revision id (or prefix) may stand in for a label. */
export function resolveBranch<S extends RevisionSource>(data: GraphData<S>, label: string): Revision<S> {
  const labelled = data.keys.get(label);
  if (labelled) return labelled;
  try {
    return revisionForIdent(data, label, null) as Revision<S>;
  } catch (error) {
    if (ResolutionError.isInstance(error)) throw new ResolutionError(label, `No such branch: '${label}'`);
    throw error;
  }
}

/**
 * Alembic's `get_revisions`: each identifier of a list in turn; `-N`
 * (optionally `label@-N`) walks N steps down from every head.
 */
export function getRevisionsRaw<S extends RevisionSource>(
  data: GraphData<S>,
  identifier: RevisionIdentifier,
): Resolved<S>[] {
  if (Array.isArray(identifier)) {
    return (identifier as readonly string[]).flatMap((item) => getRevisionsRaw(data, item));
  }
  const { ids, branchLabel } = resolveRevisionNumber(data, identifier);
  const only = ids.length === 1 ? (ids[0] as string) : undefined;
  if (only !== undefined && INTEGER.test(only)) {
    const steps = Number.parseInt(only.replaceAll("_", ""), 10);
    if (steps < 0) {
      let heads = revisionsOf(getRevisionsRaw(data, "heads"));
      if (branchLabel !== null) heads = heads.filter((head) => head.branchLabels.has(branchLabel));
      return heads.map((head) => walk(data, head, steps));
    }
  }
  return ids.map((id) => revisionForIdent(data, id, branchLabel));
}

/** Alembic's `get_revision`: one revision or none; several heads raise `MultipleHeadsError`. */
export function getRevisionOrNull<S extends RevisionSource>(
  data: GraphData<S>,
  identifier: string | null,
): Revision<S> | null {
  const { ids, branchLabel } = resolveRevisionNumber(data, identifier);
  if (ids.length > 1) throw new MultipleHeadsError(ids, identifier ?? "base");
  return revisionForIdent(data, ids[0] ?? null, branchLabel);
}

/**
 * Alembic's `_walk`: `steps` up (positive) or down (negative) from `start`,
 * where `null` starts below the roots when walking up and above the heads
 * when walking down. Up, a branch label picks among children. Running off
 * the graph gives `null` with `noOverwalk`, else stops where it is; walking
 * down past a root gives `"base"`.
 */
export function walk<S extends RevisionSource>(
  data: GraphData<S>,
  start: string | Revision<S> | null,
  steps: number,
  branchLabel: string | null = null,
  noOverwalk = true,
): Resolved<S> {
  let position: Resolved<S> = typeof start === "string" ? getRevisionOrNull(data, start) : start;
  for (let step = 0; step < Math.abs(steps); step++) {
    let choices: readonly Resolved<S>[];
    if (steps > 0) {
      if (position === "base") throw new AmbiguousWalkError("base", []);
      const up: readonly Revision<S>[] = position === null ? data.bases : position.links.next;
      choices = branchLabel ? filterForLineage(data, up, branchLabel) : up;
    } else if (position === "base") {
      choices = [];
    } else {
      choices = position === null ? data.heads : position.links.down;
      if (choices.length === 0) choices = ["base"];
    }
    if (choices.length === 0) return noOverwalk ? null : position;
    if (choices.length > 1) {
      const from = position === null || position === "base" ? "base" : position.id;
      throw new AmbiguousWalkError(
        from,
        revisionsOf(choices).map((choice) => choice.id),
      );
    }
    position = choices[0] as Resolved<S>;
  }
  return position;
}

/**
 * Alembic's `_get_all_current`: the given heads plus all their ancestors
 * (dependencies included), reduced to those with no `downRevision` child in
 * the set. Since the set is closed under parents, a revision has a
 * descendant in it exactly when one of its children is in it. File order.
 */
export function allCurrent<S extends RevisionSource>(
  data: GraphData<S>,
  identifiers: RevisionIdentifier,
): Revision<S>[] {
  const top = unique(revisionsOf(getRevisionsRaw(data, identifiers)));
  // With every head among them (a database at its heads), the ancestors are
  // the whole graph (the build checks that each revision lies below a head)
  // and the tips are the heads: no walk over every revision is needed.
  const given = new Set(top);
  if (data.heads.length > 0 && data.heads.every((head) => given.has(head))) return [...data.heads];
  const marks = markRelated(top, ancestorEdges(true), data.size);
  return markedRevisions(data, marks).filter(
    (revision) => !revision.links.next.some((child) => marks[child.ordinal] === 1),
  );
}
