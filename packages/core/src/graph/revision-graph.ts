import { buildGraphData, type GraphData } from "./build-graph.js";
import { type Collected, collectDowngrade, collectUpgrade } from "./collect-revisions.js";
import { ancestorEdges, descendantEdges, isAncestorOrSelf, markedRevisions, markRelated } from "./graph-walk.js";
import {
  allCurrent,
  filterForLineage,
  getCurrentHead,
  getRevisionOrNull,
  getRevisionsRaw,
  type RevisionIdentifier,
  revisionsOf,
} from "./identifier-resolution.js";
import { ResolutionError } from "./revision-errors.js";
import type { Revision } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";
import { restoreGraph, restoreStoredGraph, type StoredGraph, storeGraph } from "./stored-graph.js";
import { topologicalSort } from "./topological-sort.js";

/** Options of `RevisionGraph.iterateRevisions`, as Alembic's `iterate_revisions`. */
export interface IterateOptions {
  /** Also walk branches not below `lower` (upgrade), or other branches down to base (downgrade). */
  readonly implicitBase?: boolean;
  /** Include `lower` itself. */
  readonly inclusive?: boolean;
  /** Fail when a relative identifier runs off the graph (default true); otherwise stop at the end. */
  readonly assertRelativeLength?: boolean;
  /** Treat `upper` as the current heads and `lower` as a downgrade target. */
  readonly selectForDowngrade?: boolean;
  /** Receives Alembic's warnings (`downgrade -1 from multiple heads is ambiguous; ...`). */
  readonly onWarning?: (message: string) => void;
}

/** Options of the ancestry helpers. */
export interface LineageOptions {
  /** Follow `dependsOn` edges as well as `downRevision` ones (default true). */
  readonly includeDependencies?: boolean;
}

/**
 * The revision graph: migrations linked by `downRevision` (parents, several
 * for a merge point) and `dependsOn` (cross-branch dependencies), with
 * Alembic's identifier grammar and traversal order. Pure: no I/O.
 *
 * ```ts
 * const graph = RevisionGraph.build([
 *   { revision: "a1", downRevision: null },
 *   { revision: "b1", downRevision: "a1" },
 * ]);
 * graph.heads; // ["b1"]
 * graph.iterateRevisions("head", "base").map((r) => r.id); // ["b1", "a1"]
 * ```
 */
export class RevisionGraph<S extends RevisionSource = RevisionSource> {
  /** @internal */
  readonly data: GraphData<S>;
  /** Revisions no `downRevision` points to, in file order (what `retort heads` prints). */
  readonly heads: readonly string[];
  /** Revisions nothing points to, by `downRevision` or `dependsOn` (the `heads` symbol). */
  readonly realHeads: readonly string[];
  /** Revisions without `downRevision`, in file order. */
  readonly bases: readonly string[];
  /** Revisions without `downRevision` or `dependsOn`. */
  readonly realBases: readonly string[];

  private constructor(data: GraphData<S>) {
    this.data = data;
    this.heads = data.heads.map((revision) => revision.id);
    this.realHeads = data.realHeads.map((revision) => revision.id);
    this.bases = data.bases.map((revision) => revision.id);
    this.realBases = data.realBases.map((revision) => revision.id);
  }

  /** Every revision, in file order. */
  get revisions(): readonly Revision<S>[] {
    return this.data.revisions;
  }

  /**
   * Builds and validates the graph. `sources` are in file order, which
   * breaks ties in traversal exactly as Alembic's load order does. Throws
   * on duplicate ids or labels, a `downRevision` or `dependsOn` naming
   * nothing, self-loops and cycles.
   */
  static build<S extends RevisionSource>(sources: readonly S[]): RevisionGraph<S> {
    return new RevisionGraph(buildGraphData(sources));
  }

  /**
   * @internal The graph `record` (from `store()`) describes, for the very
   * sources it was built from, without validating it again; `undefined`
   * when the record does not fit them.
   */
  static restore<S extends RevisionSource>(sources: readonly S[], record: unknown): RevisionGraph<S> | undefined {
    const data = restoreGraph(sources, record);
    return data === undefined ? undefined : new RevisionGraph(data);
  }

  /**
   * @internal `restore` for sources read only when needed: `sourceAt` gives
   * the source of an ordinal (below `count`), and a revision (with its
   * source) is made only when a query reaches it; `allSources` gives them
   * all at once when a query needs every revision. The caller vouches that
   * the sources are the very ones the record was stored from.
   */
  static restoreStored<S extends RevisionSource>(
    count: number,
    sourceAt: (ordinal: number) => S,
    record: unknown,
    allSources?: () => readonly S[],
  ): RevisionGraph<S> | undefined {
    const data = restoreStoredGraph(count, sourceAt, record, allSources);
    return data === undefined ? undefined : new RevisionGraph(data);
  }

  /** @internal What `restore` needs to give this graph back from the same sources. */
  store(): StoredGraph {
    return storeGraph(this.data);
  }

  /** The revision with exactly this id (no labels, prefixes or symbols). */
  get(id: string): Revision<S> | undefined {
    // Through the keys (ids, then labels): a stored graph looks the heads up
    // first without making every revision. A label never equals an id.
    const found = this.data.keys.get(id);
    return found?.id === id ? found : undefined;
  }

  /**
   * Alembic's `get_revision`: one revision for an identifier (`head`, an
   * id or unique prefix, a label, `label@rev`, `label@head`), `null` for
   * `base`. Several heads raise `MultipleHeadsError`; an unknown identifier
   * raises `ResolutionError`.
   */
  getRevision(identifier: string | null): Revision<S> | null {
    return getRevisionOrNull(this.data, identifier);
  }

  /**
   * Alembic's `get_revisions`: the revisions an identifier or list of
   * identifiers names (`heads`, `label@heads`, `-N`, ...); empty for `base`.
   */
  getRevisions(identifier: RevisionIdentifier): Revision<S>[] {
    return revisionsOf(getRevisionsRaw(this.data, identifier));
  }

  /** The single versioned head, within a branch's lineage when `branchLabel` is given; `null` when empty. */
  getCurrentHead(branchLabel?: string): string | null {
    return getCurrentHead(this.data, branchLabel ?? null)?.id ?? null;
  }

  /**
   * Alembic's `iterate_revisions`: the revisions between `upper` and
   * `lower`, descendants first. By default (`upper` = targets, `lower` =
   * where the walk stops) it is what an upgrade would apply, in reverse;
   * with `selectForDowngrade`, `upper` is the current heads and `lower` the
   * downgrade target.
   */
  iterateRevisions(upper: RevisionIdentifier, lower: RevisionIdentifier, options: IterateOptions = {}): Revision<S>[] {
    const collectOptions = {
      inclusive: options.inclusive ?? false,
      implicitBase: options.implicitBase ?? false,
      assertRelativeLength: options.assertRelativeLength ?? true,
      onWarning: options.onWarning,
    };
    let collected: Collected<S>;
    if (options.selectForDowngrade) {
      if (lower !== null && typeof lower !== "string") {
        throw new ResolutionError(lower.join(", "), "a downgrade target must be a single identifier");
      }
      collected = collectDowngrade(this.data, upper, lower, collectOptions);
    } else {
      collected = collectUpgrade(this.data, upper, lower, collectOptions);
    }
    return topologicalSort(this.data, collected.todo, collected.heads, collected.closed);
  }

  /**
   * Alembic's `get_all_current`: the database heads plus their ancestors
   * (dependencies included), reduced to branch tips, in file order. This is
   * what `current` lists: a dependency target without a row of its own
   * still shows.
   */
  getAllCurrent(dbHeads: readonly string[]): Revision<S>[] {
    return allCurrent(this.data, dbHeads);
  }

  /** The revisions below `revisions` (themselves included), in file order. */
  ancestors(revisions: readonly (string | Revision<S>)[], options: LineageOptions = {}): Revision<S>[] {
    const edges = ancestorEdges(options.includeDependencies ?? true);
    return this.#marked(markRelated(this.#resolveAll(revisions), edges, this.data.size));
  }

  /** The revisions above `revisions` (themselves included), in file order. */
  descendants(revisions: readonly (string | Revision<S>)[], options: LineageOptions = {}): Revision<S>[] {
    const edges = descendantEdges(options.includeDependencies ?? true);
    return this.#marked(markRelated(this.#resolveAll(revisions), edges, this.data.size));
  }

  /** Whether `ancestor` is `descendant` or below it. */
  isAncestor(ancestor: string | Revision<S>, descendant: string | Revision<S>, options: LineageOptions = {}): boolean {
    const [lower, upper] = this.#resolveAll([ancestor, descendant]) as [Revision<S>, Revision<S>];
    return isAncestorOrSelf(lower, upper, options.includeDependencies ?? true);
  }

  /**
   * Alembic's `filter_for_lineage`: the targets that are an ancestor or a
   * descendant of what `checkAgainst` names (a revision, a label, `label@head`).
   */
  filterForLineage<T extends string | Revision<S>>(
    targets: readonly T[],
    checkAgainst: string | null,
    options: LineageOptions = {},
  ): T[] {
    return filterForLineage(this.data, targets, checkAgainst, options.includeDependencies ?? false);
  }

  #resolveAll(revisions: readonly (string | Revision<S>)[]): Revision<S>[] {
    return revisions.map((revision) => {
      if (typeof revision !== "string") return revision;
      const found = this.get(revision);
      if (!found) throw new ResolutionError(revision, `No such revision '${revision}'`);
      return found;
    });
  }

  #marked(marks: Uint8Array): Revision<S>[] {
    return markedRevisions(this.data, marks);
  }
}
