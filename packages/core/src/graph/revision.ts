import type { RevisionSource } from "./revision-source.js";

/**
 * @internal The edges of one revision as object references, filled in by
 * the graph builder. Traversals use these instead of looking ids up. Lists
 * that are usually equal share one array (with no `dependsOn` involved,
 * `down`, `allDown` and `normalizedDown` are the same array), and empty
 * lists share a frozen empty array: a graph of thousands of revisions is
 * built without thousands of small allocations.
 */
export interface RevisionLinks<S extends RevisionSource> {
  /** Parents by `downRevision`, in the order written. */
  down: readonly Revision<S>[];
  /** `down` plus resolved dependencies, without duplicates. */
  allDown: readonly Revision<S>[];
  /** `down` plus normalized dependencies: the parents traversal and the version table use. */
  normalizedDown: readonly Revision<S>[];
  /** Children by `downRevision`, in file order. */
  next: readonly Revision<S>[];
  /** Children by `downRevision` or `dependsOn`, in file order. */
  allNext: readonly Revision<S>[];
  /** Children whose `normalizedDown` holds this revision, in file order. */
  normalizedNext: readonly Revision<S>[];
  resolvedDependencies: readonly Revision<S>[];
  normalizedDependencies: readonly Revision<S>[];
  /** Branch labels after propagation (shared empty set until one is added). */
  labels: ReadonlySet<string>;
  /** Length of the longest path from a root; a parent always has a smaller depth than its child. */
  depth: number;
}

/** @internal The shared empty list of `RevisionLinks`. */
export const NO_REVISIONS: readonly never[] = Object.freeze([]);
/** @internal The shared empty label set. */
export const NO_LABELS: ReadonlySet<string> = new Set<string>();

/**
 * One migration in the revision graph, with its edges resolved. Built by
 * `RevisionGraph.build`; read-only for everyone else.
 *
 * ```ts
 * const graph = RevisionGraph.build(sources);
 * const revision = graph.get("ae1027a6acf");
 * revision?.isHead; // no revision has it as downRevision
 * ```
 */
export class Revision<S extends RevisionSource = RevisionSource> {
  /** The revision id. */
  readonly id: string;
  /** What the graph was built from (the file header), unchanged. */
  readonly source: S;
  /** Position in load order (file order), from 0. */
  readonly ordinal: number;
  /** The `downRevision` ids (the versioned parents), in the order written. */
  readonly downRevisions: readonly string[];
  /** `dependsOn` as written: revision ids or branch labels. */
  readonly dependencies: readonly string[];
  /** The branch labels this revision declares itself. */
  readonly ownBranchLabels: ReadonlySet<string>;
  #links: RevisionLinks<S> | undefined;
  readonly #linker: ((ordinal: number) => RevisionLinks<S>) | undefined;
  #nextIds: ReadonlySet<string> | undefined;
  #allNextIds: ReadonlySet<string> | undefined;

  /**
   * @internal Use `RevisionGraph.build`. With `linker`, the links are made
   * by it on first use (a stored graph links only the revisions a command
   * reaches); otherwise they start empty, for the builder to fill in.
   */
  constructor(
    source: S,
    ordinal: number,
    downRevisions: readonly string[],
    dependencies: readonly string[],
    ownBranchLabels: readonly string[],
    linker?: (ordinal: number) => RevisionLinks<S>,
  ) {
    this.id = source.revision;
    this.source = source;
    this.ordinal = ordinal;
    this.downRevisions = downRevisions;
    this.dependencies = dependencies;
    this.ownBranchLabels = ownBranchLabels.length === 0 ? NO_LABELS : new Set(ownBranchLabels);
    this.#linker = linker;
    if (linker !== undefined) return;
    this.#links = {
      down: NO_REVISIONS,
      allDown: NO_REVISIONS,
      normalizedDown: NO_REVISIONS,
      next: NO_REVISIONS,
      allNext: NO_REVISIONS,
      normalizedNext: NO_REVISIONS,
      resolvedDependencies: NO_REVISIONS,
      normalizedDependencies: NO_REVISIONS,
      labels: ownBranchLabels.length === 0 ? NO_LABELS : new Set(ownBranchLabels),
      depth: 0,
    };
  }

  /** @internal The edges, as revisions. */
  get links(): RevisionLinks<S> {
    this.#links ??= (this.#linker as (ordinal: number) => RevisionLinks<S>)(this.ordinal);
    return this.#links;
  }

  /** `dependencies` with branch labels resolved to revision ids. */
  get resolvedDependencies(): readonly string[] {
    return ids(this.links.resolvedDependencies);
  }

  /**
   * `resolvedDependencies` minus those already a dependency of a
   * `downRevision` ancestor (they are implied, and would otherwise keep
   * redundant rows in the version table).
   */
  get normalizedDependencies(): readonly string[] {
    return ids(this.links.normalizedDependencies);
  }

  /** `downRevisions` plus `resolvedDependencies`, without duplicates. */
  get allDownRevisions(): readonly string[] {
    return ids(this.links.allDown);
  }

  /** `downRevisions` plus `normalizedDependencies`: the parents used to plan and to maintain the version table. */
  get normalizedDownRevisions(): readonly string[] {
    return ids(this.links.normalizedDown);
  }

  /**
   * Branch labels after propagation: a label applies to every descendant of
   * the revision declaring it, and down its line of ancestors until a branch
   * point or merge point.
   */
  get branchLabels(): ReadonlySet<string> {
    return this.links.labels;
  }

  /** Children by `downRevision`. */
  get nextRevisions(): ReadonlySet<string> {
    this.#nextIds ??= new Set(ids(this.links.next));
    return this.#nextIds;
  }

  /** Children by `downRevision` or `dependsOn`. */
  get allNextRevisions(): ReadonlySet<string> {
    this.#allNextIds ??= new Set(ids(this.links.allNext));
    return this.#allNextIds;
  }

  /** No revision has this one as `downRevision` (what `heads` lists). */
  get isHead(): boolean {
    return this.links.next.length === 0;
  }

  /** Nothing points here, by `downRevision` or by `dependsOn`. */
  get isRealHead(): boolean {
    return this.links.allNext.length === 0;
  }

  /** Has no `downRevision`. */
  get isBase(): boolean {
    return this.downRevisions.length === 0;
  }

  /** Has neither `downRevision` nor `dependsOn`. */
  get isRealBase(): boolean {
    return this.downRevisions.length === 0 && this.dependencies.length === 0;
  }

  /** More than one revision has this one as `downRevision`. */
  get isBranchPoint(): boolean {
    return this.links.next.length > 1;
  }

  /** More than one revision points here, by `downRevision` or `dependsOn`. */
  get isRealBranchPoint(): boolean {
    return this.links.allNext.length > 1;
  }

  /** Has more than one `downRevision`. */
  get isMergePoint(): boolean {
    return this.downRevisions.length > 1;
  }

  toString(): string {
    return this.id;
  }
}

function ids(revisions: readonly Revision<RevisionSource>[]): string[] {
  return revisions.map((revision) => revision.id);
}
