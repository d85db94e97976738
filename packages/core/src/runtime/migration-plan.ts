import { upgradeTargets } from "../graph/collect-revisions.js";
import { ancestorEdges, descendantEdges, lineageMarks, markRelated, unique, walkRelated } from "../graph/graph-walk.js";
import { filterForLineage } from "../graph/identifier-resolution.js";
import { parseRelative } from "../graph/relative-target.js";
import { MultipleHeadsError, RangeNotAncestorError, ResolutionError, RevisionError } from "../graph/revision-errors.js";
import type { RevisionGraph } from "../graph/revision-graph.js";
import type { Revision } from "../graph/revision.js";
import type { RevisionSource } from "../graph/revision-source.js";

/** Run one migration's `upgrade` or `downgrade`, then move the version rows. */
export interface RevisionStep<S extends RevisionSource = RevisionSource> {
  readonly kind: "revision";
  readonly direction: "upgrade" | "downgrade";
  readonly revision: Revision<S>;
}

/**
 * Move the version rows without running migrations (`stamp`): from the
 * heads in `from` to those in `to`. `branchMove` means a whole branch row is
 * inserted (upgrade) or deleted (downgrade).
 */
export interface StampStep {
  readonly kind: "stamp";
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly isUpgrade: boolean;
  readonly branchMove: boolean;
}

export type MigrationStep<S extends RevisionSource = RevisionSource> = RevisionStep<S> | StampStep;

/** Options of the planners. */
export interface PlanOptions {
  /** Receives Alembic's warnings (`downgrade -1 from multiple heads is ambiguous; ...`). */
  readonly onWarning?: (message: string) => void;
}

/**
 * The migrations `upgrade <target>` runs from `currentHeads` (the version
 * table's rows), in order: Alembic's `_upgrade_revs`. `target` is anything
 * Alembic accepts: `head`, `heads`, an id or prefix, `label@head`, `+2`,
 * `label@+1`, `rev+2`, `rev-1`. Revisions on branches the database does not
 * have yet are applied too (as new rows).
 *
 * ```ts
 * planUpgrade(graph, ["ae1027a6acf"], "head").map((step) => step.revision.id);
 * ```
 */
export function planUpgrade<S extends RevisionSource>(
  graph: RevisionGraph<S>,
  currentHeads: readonly string[],
  target: string,
): RevisionStep<S>[] {
  return asCommand(target, `Destination ${target} is not a valid upgrade target from current head(s)`, () =>
    graph
      .iterateRevisions(target, currentHeads, { implicitBase: true })
      .reverse()
      .map((revision) => ({ kind: "revision", direction: "upgrade", revision })),
  );
}

/**
 * Raises what `planUpgrade(graph, [], target)` raises for an absolute
 * `target` (an unknown revision, `head` among several heads, targets that
 * overlap), without planning the upgrade from base: commands check the
 * target before connecting, and on 10,000 revisions that plan is a walk
 * and a sort of the whole graph.
 */
export function checkUpgradeTarget<S extends RevisionSource>(graph: RevisionGraph<S>, target: string): void {
  asCommand(target, `Destination ${target} is not a valid upgrade target from current head(s)`, () => {
    const targets = upgradeTargets(graph.data, target, [], true);
    // The overlap check of collectUpgrade's walk; one target cannot overlap.
    if (targets.length > 1) walkRelated(targets, ancestorEdges(true), graph.data.size, true);
  });
}

/**
 * The migrations `downgrade <target>` runs from `currentHeads`, in order:
 * Alembic's `_downgrade_revs`. `target` may be `base`, an id, `-1`,
 * `label@-1`, `label@rev` (take down only that branch), `rev-2`, `base+2`.
 */
export function planDowngrade<S extends RevisionSource>(
  graph: RevisionGraph<S>,
  currentHeads: readonly string[],
  target: string,
  options: PlanOptions = {},
): RevisionStep<S>[] {
  return asCommand(target, `Destination ${target} is not a valid downgrade target from current head(s)`, () =>
    graph
      .iterateRevisions(currentHeads, target, { selectForDowngrade: true, onWarning: options.onWarning })
      .map((revision) => ({ kind: "revision", direction: "downgrade", revision })),
  );
}

/**
 * The version-row moves of `stamp <targets...>`: Alembic's `_stamp_revs`,
 * without its multi-target bug. For each destination, only the current
 * heads in that destination's lineage (ancestors or descendants,
 * dependencies included) are moved to it; Alembic moved the heads related to
 * any destination, so `stamp c2 d1` from `{c1, c2}` lost the `c2` row.
 * A destination already present does nothing; one unrelated to every head
 * becomes a new row; `base` (or `label@base`) deletes the rows in its lineage.
 */
export function planStamp<S extends RevisionSource>(
  graph: RevisionGraph<S>,
  currentHeads: readonly string[],
  targets: readonly string[],
): StampStep[] {
  refuseRelative(targets);
  try {
    return stampSteps(graph, currentHeads, targets);
  } catch (error) {
    if (MultipleHeadsError.isInstance(error)) {
      throw new MultipleHeadsError(
        error.heads,
        error.argument,
        "Multiple heads are present; please specify a single target revision",
      );
    }
    throw error;
  }
}

/**
 * `stamp` takes absolute revisions only: Alembic's stamp cannot resolve a
 * relative one (`-1`, `rev+1`, `label@-1`) and says so with the part after
 * the label.
 */
function refuseRelative(targets: readonly string[]): void {
  for (const target of targets) {
    if (!parseRelative(target)) continue;
    const argument = target.slice(target.indexOf("@") + 1);
    throw new ResolutionError(
      argument,
      `stamp takes absolute revisions, not a relative one ('${target}'); name the revision (see 'retort history')`,
    );
  }
}

/**
 * Two stamp targets of which one is an ancestor of the other (`stamp a1
 * b2` where b2 descends from a1): Alembic writes both rows, a table no run
 * can start from (see `assertConsistentHeads`). Refused, naming both.
 */
function refuseNested<S extends RevisionSource>(graph: RevisionGraph<S>, revisions: readonly Revision<S>[]): void {
  for (const lower of revisions) {
    for (const upper of revisions) {
      if (lower === upper || !graph.isAncestor(lower, upper, { includeDependencies: false })) continue;
      throw new RevisionError(
        "REVISION_OVERLAP",
        `Can't stamp ${lower.id} and ${upper.id} together: ${lower.id} is an ancestor of ${upper.id}, and the version table holds one row per branch head. Stamp ${upper.id} alone (with --purge to replace every row).`,
      );
    }
  }
}

function stampSteps<S extends RevisionSource>(
  graph: RevisionGraph<S>,
  currentHeads: readonly string[],
  targets: readonly string[],
): StampStep[] {
  const data = graph.data;
  const size = graph.data.size;
  const heads = unique(graph.getRevisions(currentHeads));
  const destinations = targets.length > 0 ? targets : ["base"];
  const revisions = unique(graph.getRevisions(destinations));
  refuseNested(graph, revisions);
  if (revisions.length === 0) {
    // Every destination is base-like: delete the rows in their lineage.
    const filtered = unique(
      destinations
        .filter((destination) => destination)
        .flatMap((destination) => filterForLineage(data, heads, destination, true)),
    );
    return filtered.map((head) => ({ kind: "stamp", from: [head.id], to: [], isUpgrade: false, branchMove: true }));
  }
  const steps: StampStep[] = [];
  for (const destination of revisions) {
    const lineage = lineageMarks(destination, true, size);
    const related = heads.filter((head) => lineage[head.ordinal] === 1);
    if (related.includes(destination)) continue;
    const from = related.map((head) => head.id);
    if (related.length === 0) {
      steps.push({ kind: "stamp", from: [], to: [destination.id], isUpgrade: true, branchMove: true });
      continue;
    }
    const above = markRelated([destination], descendantEdges(true), size);
    const isDowngrade = related.some((head) => above[head.ordinal] === 1);
    steps.push({ kind: "stamp", from, to: [destination.id], isUpgrade: !isDowngrade, branchMove: false });
  }
  return steps;
}

/**
 * Alembic's `_catch_revision_errors` for a command: a range error gets the
 * command's text and a multiple-heads error names the command's target.
 */
function asCommand<T>(target: string, notAncestor: string, plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (RangeNotAncestorError.isInstance(error)) throw new RangeNotAncestorError(error.lower, error.upper, notAncestor);
    if (MultipleHeadsError.isInstance(error)) throw MultipleHeadsError.forCommand(error.heads, target);
    throw error;
  }
}
