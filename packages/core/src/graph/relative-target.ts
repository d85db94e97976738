import type { GraphData } from "./build-graph.js";
import { ancestorEdges, walkRelated } from "./graph-walk.js";
import {
  allCurrent,
  filterForLineage,
  getRevisionOrNull,
  getRevisionsRaw,
  type Resolved,
  type RevisionIdentifier,
  revisionsOf,
  walk,
} from "./identifier-resolution.js";
import { AmbiguousUpgradeError, RelativeRevisionError } from "./revision-errors.js";
import type { Revision } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

/**
 * Alembic's `_relative_destination`, `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)`,
 * matched at the start only (Python's `re.match`): optional `label@`,
 * optional symbol, signed count. `\w` is Unicode-aware in Python.
 */
const RELATIVE = /^(?:(.+?)@)?([\p{L}\p{N}_]+)?([+-]\d+)/u;

/** The parts of a relative identifier such as `label@rev+2`, or undefined for an absolute one. */
export function parseRelative(
  target: string,
): { branchLabel: string | null; symbol: string | null; relative: string; steps: number } | undefined {
  const match = RELATIVE.exec(target);
  if (!match) return undefined;
  const relative = match[3] as string;
  return {
    branchLabel: match[1] || null,
    symbol: match[2] ?? null,
    relative,
    steps: Number.parseInt(relative, 10),
  };
}

function toTuple(value: RevisionIdentifier): readonly string[] {
  if (value === null) return [];
  return typeof value === "string" ? [value] : value;
}

function didNotProduce(target: string, shown: string | number, steps: number): RelativeRevisionError {
  // Python prints 0 for -0.
  const text = typeof shown === "number" ? String(shown === 0 ? 0 : shown) : shown;
  return new RelativeRevisionError(target, `Relative revision ${text} didn't produce ${Math.abs(steps)} migrations`);
}

/**
 * Alembic's `_parse_upgrade_target`: the revisions an upgrade goes to.
 * `+N` counts from the current heads (narrowed by `label@`), `rev+N` and
 * `rev-N` from `rev`; anything else is an ordinary identifier.
 */
export function parseUpgradeTarget<S extends RevisionSource>(
  data: GraphData<S>,
  currentRevisions: RevisionIdentifier,
  target: RevisionIdentifier,
  assertRelativeLength: boolean,
): Resolved<S>[] {
  const parsed = typeof target === "string" ? parseRelative(target) : undefined;
  if (target === null || typeof target !== "string" || !parsed) return getRevisionsRaw(data, target);
  const { branchLabel, symbol, relative, steps } = parsed;
  let current: readonly (string | null)[] = toTuple(currentRevisions);
  if (steps > 0) {
    if (symbol === null) {
      if (current.length === 0) current = [null];
      let starts: readonly (string | Revision<S> | null)[] = current;
      if (branchLabel) {
        const currentRevs = revisionsOf(
          getRevisionsRaw(
            data,
            current.filter((id): id is string => id !== null),
          ),
        );
        starts = filterForLineage(data, currentRevs, branchLabel);
        if (starts.length === 0) {
          // The branch has no current head: start from the tips of what is
          // applied on that branch, or from base.
          const applied = walkRelated(currentRevs, ancestorEdges(true), data.size);
          const active = filterForLineage(data, applied, branchLabel);
          const below = new Set(active.flatMap((revision) => revision.links.normalizedDown));
          const tips = active.filter((revision) => !below.has(revision));
          starts = tips.length > 0 ? tips : [null];
        }
      }
      if (starts.length > 1) {
        throw new AmbiguousUpgradeError(
          starts.map((start) => (typeof start === "string" ? start : (start?.id ?? "base"))),
        );
      }
      const reached = walk(data, starts[0] ?? null, steps, branchLabel, assertRelativeLength);
      if (reached === null) throw didNotProduce(target, relative, steps);
      return [reached];
    }
    const reached = walk(data, getRevisionOrNull(data, symbol), steps, branchLabel, assertRelativeLength);
    // Alembic fails an assertion here; say what went wrong instead.
    if (reached === null) throw didNotProduce(target, relative, steps);
    return [reached];
  }
  if (symbol === null) throw didNotProduce(target, steps, steps);
  const start = branchLabel ? getRevisionOrNull(data, `${branchLabel}@${symbol}`) : getRevisionOrNull(data, symbol);
  const reached = walk(data, start, steps, null, assertRelativeLength);
  if (reached === null) throw didNotProduce(target, relative, steps);
  return [reached];
}

/**
 * Alembic's `_parse_downgrade_target`: the branch label a downgrade is
 * restricted to (if any) and the revision it goes down to (`null` or
 * `"base"` for base). `-N` counts down from the current head (the first one
 * when there are several, as Alembic does, with a warning).
 */
export function parseDowngradeTarget<S extends RevisionSource>(
  data: GraphData<S>,
  currentRevisions: RevisionIdentifier,
  target: string | null,
  assertRelativeLength: boolean,
  onWarning?: (message: string) => void,
): { branchLabel: string | null; target: Resolved<S> } {
  if (target === null) return { branchLabel: null, target: null };
  const parsed = parseRelative(target);
  if (parsed) {
    let { branchLabel, symbol } = parsed;
    const { relative, steps } = parsed;
    if (steps >= 0) {
      if (symbol === null) throw didNotProduce(target, relative, steps);
      const reached = walk(data, symbol, steps, branchLabel, assertRelativeLength);
      if (reached === null) throw new RelativeRevisionError(target, "Walked too far");
      return { branchLabel, target: reached };
    }
    const relativeToCurrent = symbol === null;
    if (relativeToCurrent) {
      if (branchLabel) {
        const current = toTuple(currentRevisions);
        let onBranch = filterForLineage(data, current, branchLabel);
        if (onBranch.length === 0) {
          // The branch's head may be applied only as a dependency of
          // another head: look among everything current.
          onBranch = filterForLineage(data, allCurrent(data, current), branchLabel).map((revision) => revision.id);
        }
        // Alembic asserts exactly one here.
        if (onBranch.length !== 1) throw didNotProduce(target, relative, steps);
        symbol = onBranch[0] as string;
      } else {
        const current = toTuple(currentRevisions);
        if (current.length === 0) throw didNotProduce(target, relative, steps);
        if (new Set(current).size > 1) {
          onWarning?.(
            "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.",
          );
        }
        symbol = current[0] as string;
        // Restrict the walk to the branch of the chosen head.
        branchLabel = symbol;
      }
    }
    const start = branchLabel ? getRevisionOrNull(data, `${branchLabel}@${symbol}`) : getRevisionOrNull(data, symbol);
    const reached = walk(data, start, steps, null, assertRelativeLength);
    if (reached === null) {
      if (relativeToCurrent) throw didNotProduce(target, relative, steps);
      throw new RelativeRevisionError(target, "Walked too far");
    }
    return { branchLabel, target: reached };
  }
  const at = target.lastIndexOf("@");
  const branchLabel = at > 0 ? target.slice(0, at) : null;
  return { branchLabel, target: getRevisionOrNull(data, target.slice(at + 1)) };
}
