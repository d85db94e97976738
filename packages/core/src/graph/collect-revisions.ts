import type { GraphData } from "./build-graph.js";
import { ancestorEdges, descendantEdges, markRelated, unique, walkRelated } from "./graph-walk.js";
import {
  getRevisionOrNull,
  getRevisionsRaw,
  resolveBranch,
  type RevisionIdentifier,
  revisionsOf,
  sharesLineage,
} from "./identifier-resolution.js";
import { parseDowngradeTarget, parseUpgradeTarget } from "./relative-target.js";
import { InvalidDowngradeTargetError, RangeNotAncestorError } from "./revision-errors.js";
import type { Revision } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

export interface CollectOptions {
  readonly inclusive: boolean;
  readonly implicitBase: boolean;
  readonly assertRelativeLength: boolean;
  readonly onWarning?: ((message: string) => void) | undefined;
}

/** What a collector hands to the topological sort. */
export interface Collected<S extends RevisionSource> {
  /** Marks (by ordinal) of the revisions to list. */
  readonly todo: Uint8Array;
  /** Where the sort starts (Alembic's `heads` argument). */
  readonly heads: readonly Revision<S>[];
  /**
   * True when the set is known to be closed under paths (every revision on
   * a path between two members is a member) and reachable from `heads`,
   * which the fast sort needs. Otherwise the sort checks.
   */
  readonly closed: boolean;
}

/** How a range end prints in Alembic's messages (`None` and `()` print as `base`). */
export function formatIdentifier(identifier: RevisionIdentifier): string {
  if (identifier === null || identifier.length === 0) return "base";
  return typeof identifier === "string" ? identifier : identifier.join(", ");
}

/**
 * Alembic's `_collect_upgrade_revisions`: the ancestors of the targets
 * (`upper`) that are not already applied below `lower`. Without
 * `implicitBase`, only descendants of `lower`, which must itself lie below
 * the targets.
 */
export function collectUpgrade<S extends RevisionSource>(
  data: GraphData<S>,
  upper: RevisionIdentifier,
  lower: RevisionIdentifier,
  options: CollectOptions,
): Collected<S> {
  const size = data.size;
  const targets = upgradeTargets(data, upper, lower, options.assertRelativeLength);
  const only = targets[0];
  if (
    options.implicitBase &&
    !options.inclusive &&
    targets.length === 1 &&
    Array.isArray(lower) &&
    lower.length === 1 &&
    lower[0] === only?.id
  ) {
    // Already at the single target (a no-op `upgrade head`): everything
    // below it is applied, and one start cannot overlap another, so the
    // walks below over the whole graph would find nothing to do.
    return { todo: new Uint8Array(size), heads: targets, closed: true };
  }

  // walkRelated (not a plain marking) for Alembic's overlap check.
  const required = marksOf(walkRelated(targets, ancestorEdges(true), size, true), size);
  let current = getRevisionsRaw(data, lower);
  if (
    !options.implicitBase &&
    current.some((revision) => revision !== null && (revision === "base" || !required[revision.ordinal]))
  ) {
    throw new RangeNotAncestorError(formatIdentifier(lower), formatIdentifier(upper));
  }
  if (current.length > 0 && current[0] === null) {
    // `lower` is relative (`-2`) and walking down from the heads ran out:
    // count from `upper` instead.
    const { target } = parseDowngradeTarget(data, upper, lower as string, options.assertRelativeLength);
    if (target === null || target === "base") {
      current = [];
      lower = null;
    } else {
      current = [target];
      lower = target.id;
    }
  }
  const currentRevisions = revisionsOf(current);
  const applied = marksOf(walkRelated(currentRevisions, ancestorEdges(true), size, true), size);
  const todo = new Uint8Array(size);
  for (let index = 0; index < size; index++) todo[index] = required[index] && !applied[index] ? 1 : 0;
  if (options.inclusive) {
    for (const revision of revisionsOf(getRevisionsRaw(data, lower))) todo[revision.ordinal] = 1;
  }
  if (current.length > 0 && !options.implicitBase) {
    const keep = marksOf(walkRelated(currentRevisions, descendantEdges(false), size, true), size);
    for (let index = 0; index < size; index++) if (!keep[index]) todo[index] = 0;
  }
  return { todo, heads: targets, closed: options.implicitBase && !options.inclusive };
}

/**
 * @internal The revisions an upgrade to `upper` from `lower` aims at (the
 * first step of Alembic's `_collect_upgrade_revisions`). Alembic asserts
 * every target is a revision; a walk down to base simply means no target.
 */
export function upgradeTargets<S extends RevisionSource>(
  data: GraphData<S>,
  upper: RevisionIdentifier,
  lower: RevisionIdentifier,
  assertRelativeLength: boolean,
): Revision<S>[] {
  const targets = revisionsOf(parseUpgradeTarget(data, lower, upper, assertRelativeLength));
  return typeof lower === "string" && lower.includes("@") ? targetsOnBranch(data, targets, lower) : targets;
}

/**
 * `lower` of the form `label@...` keeps only targets carrying the label. A
 * revision id may stand for its branch: Alembic requires it to carry exactly
 * one label; otherwise this keeps the targets in its lineage.
 */
function targetsOnBranch<S extends RevisionSource>(
  data: GraphData<S>,
  targets: readonly Revision<S>[],
  lower: string,
): Revision<S>[] {
  const branch = lower.slice(0, lower.indexOf("@"));
  const branchRevision = getRevisionOrNull(data, branch);
  if (branchRevision && branchRevision.id === branch) {
    const labels = [...branchRevision.branchLabels];
    if (labels.length !== 1) return unique(targets.filter((target) => sharesLineage(data, target, branchRevision)));
    return unique(targets.filter((target) => target.branchLabels.has(labels[0] as string)));
  }
  return unique(targets.filter((target) => target.branchLabels.has(branch)));
}

/**
 * Alembic's `_collect_downgrade_revisions`: everything applied (below
 * `upper`, the current heads) that descends from the children of the
 * target (`lower`), restricted to a branch when the target names one.
 */
export function collectDowngrade<S extends RevisionSource>(
  data: GraphData<S>,
  upper: RevisionIdentifier,
  lower: string | null,
  options: CollectOptions,
): Collected<S> {
  const size = data.size;
  const parsed = parseDowngradeTarget(data, upper, lower, options.assertRelativeLength, options.onWarning);
  const target = parsed.target === "base" ? null : parsed.target;
  let roots: readonly Revision<S>[];
  if (target === null) roots = data.bases;
  else if (options.inclusive) roots = [target];
  else roots = target.links.next;

  if (parsed.branchLabel && roots.length > 1) {
    const onBranch = markRelated([resolveBranch(data, parsed.branchLabel)], ancestorEdges(false), size);
    roots = roots.filter((root) => onBranch[root.ordinal]);
    if (roots.length === 0) throw new InvalidDowngradeTargetError(lower ?? "base");
  }

  const heads = revisionsOf(getRevisionsRaw(data, upper));
  const dropped = markRelated(roots, descendantEdges(true), size);
  const active = markRelated(heads, ancestorEdges(true), size);
  const todo = new Uint8Array(size);
  let any = false;
  for (let index = 0; index < size; index++) {
    todo[index] = dropped[index] && active[index] ? 1 : 0;
    any ||= todo[index] === 1;
  }
  if (options.implicitBase) {
    // Wind the other branches back to base too.
    const belowRoots = markRelated(roots, ancestorEdges(true), size);
    for (let index = 0; index < size; index++) {
      if (active[index] && !belowRoots[index]) {
        todo[index] = 1;
        any = true;
      }
    }
  }
  if (target !== null && !any && !heads.includes(target)) {
    throw new RangeNotAncestorError("Nothing to drop", formatIdentifier(upper));
  }
  return { todo, heads, closed: true };
}

function marksOf<S extends RevisionSource>(revisions: readonly Revision<S>[], size: number): Uint8Array {
  const marks = new Uint8Array(size);
  for (const revision of revisions) marks[revision.ordinal] = 1;
  return marks;
}
