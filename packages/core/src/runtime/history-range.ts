import { RetortError } from "../errors/retort-error.js";
import type { RevisionIdentifier } from "../graph/identifier-resolution.js";
import { MultipleHeadsError, RangeNotAncestorError } from "../graph/revision-errors.js";
import type { RevisionGraph } from "../graph/revision-graph.js";
import type { Revision } from "../graph/revision.js";
import type { RevisionSource } from "../graph/revision-source.js";

/** A `history -r` value that is not `start:end`. */
export class HistoryRangeError extends RetortError {
  readonly range: string;

  constructor(range: string) {
    super("HISTORY_RANGE", "History range requires [start]:[end], [start]:, or :[end]");
    this.name = "HistoryRangeError";
    this.range = range;
  }
}

/**
 * The revisions `history` lists, newest first (descendants before
 * ancestors, in Alembic's `walk_revisions` order). Without `range`, every
 * revision. With `start:end`: an empty start is `base`, an empty end
 * `heads`; either side may be `current` (the database heads, given as
 * `currentHeads`); `end` may be `+N` counted from `start`, and `start` may
 * be `-N`. Counts that run off the graph are clamped, as in Alembic.
 *
 * ```ts
 * historyRevisions(graph, "ae10:head").map((revision) => revision.id);
 * ```
 */
export function historyRevisions<S extends RevisionSource>(
  graph: RevisionGraph<S>,
  range: string | undefined,
  currentHeads: readonly string[] = [],
): Revision<S>[] {
  let start: RevisionIdentifier = null;
  let end: RevisionIdentifier = null;
  let startText = "base";
  let endText = "heads";
  if (range !== undefined) {
    const parts = range.trim().split(":");
    if (parts.length !== 2) throw new HistoryRangeError(range);
    const [first, second] = parts as [string, string];
    start = first;
    end = second;
    if (second === "current") end = currentHeads;
    else if (first === "current") start = currentHeads;
    // Python's `x or "base"`: an empty string or an empty list means the default.
    if (start.length === 0) start = null;
    if (end.length === 0) end = null;
    startText = start === null ? "base" : first;
    endText = end === null ? "heads" : second;
  }
  try {
    return graph.iterateRevisions(end ?? "heads", start ?? "base", { inclusive: true, assertRelativeLength: false });
  } catch (error) {
    if (RangeNotAncestorError.isInstance(error)) {
      throw new RangeNotAncestorError(
        error.lower,
        error.upper,
        `Requested range ${startText}:${endText} does not refer to ancestor/descendant revisions along the same branch`,
      );
    }
    if (MultipleHeadsError.isInstance(error)) throw MultipleHeadsError.forCommand(error.heads, endText);
    throw error;
  }
}
