import type { GraphData, RevisionKeys } from "./build-graph.js";
import { toList } from "./build-graph.js";
import { NO_LABELS, NO_REVISIONS, Revision, type RevisionLinks } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

/**
 * Changes whenever what `buildGraphData` computes (normalized dependencies,
 * depths, propagated labels, children) or the layout below does: a record
 * of another format is never restored.
 */
const FORMAT = "retort-graph-2";

/**
 * @internal What validating a graph found, kept so that the same sources
 * give the same graph without the checks and walks: plain arrays of
 * numbers (and label strings), cheap to write as JSON and to parse, with
 * each revision's edges in both directions so that a revision can be
 * linked on its own, when a query reaches it. Revisions are named by
 * ordinal (position in file order).
 */
export interface StoredGraph {
  readonly format: string;
  /** The number of revisions. */
  readonly count: number;
  /** Per revision, in order: how many parents by `downRevision`, then their ordinals. */
  readonly down: number[];
  /** Per revision, in order: how many children by `downRevision` or `dependsOn` (`allNext`), then their ordinals. */
  readonly up: number[];
  /** Per revision whose children by `downRevision` are not all of `up`: its ordinal, how many, their ordinals. */
  readonly next: number[];
  /** Per revision whose `normalizedNext` is not its `next`: its ordinal, how many, their ordinals. */
  readonly normalizedNext: number[];
  /**
   * Per revision with a `dependsOn`, in order: its ordinal, how many
   * resolved dependencies and their ordinals, then how many normalized
   * ones and their ordinals.
   */
  readonly dependencies: number[];
  /** Per revision, in order: its depth (longest path from a root). */
  readonly depths: number[];
  /** Per revision with branch labels after propagation: its ordinal, how many, then the labels in set order. */
  readonly labels: (number | string)[];
  /** The ordinals of the graph's heads, real heads, bases and real bases, in file order. */
  readonly heads: number[];
  readonly realHeads: number[];
  readonly bases: number[];
  readonly realBases: number[];
}

/** @internal The record of a graph built (and so validated) by `buildGraphData`. */
export function storeGraph<S extends RevisionSource>(data: GraphData<S>): StoredGraph {
  const down: number[] = [];
  const up: number[] = [];
  const next: number[] = [];
  const normalizedNext: number[] = [];
  const dependencies: number[] = [];
  const depths: number[] = [];
  const labels: (number | string)[] = [];
  for (const revision of data.revisions) {
    const links = revision.links;
    pushList(down, links.down);
    pushList(up, links.allNext);
    if (!sameRevisions(links.next, links.allNext)) {
      next.push(revision.ordinal);
      pushList(next, links.next);
    }
    if (!sameRevisions(links.normalizedNext, links.next)) {
      normalizedNext.push(revision.ordinal);
      pushList(normalizedNext, links.normalizedNext);
    }
    if (links.resolvedDependencies.length > 0) {
      dependencies.push(revision.ordinal);
      pushList(dependencies, links.resolvedDependencies);
      pushList(dependencies, links.normalizedDependencies);
    }
    depths.push(links.depth);
    if (links.labels.size > 0) labels.push(revision.ordinal, links.labels.size, ...links.labels);
  }
  return {
    format: FORMAT,
    count: data.revisions.length,
    down,
    up,
    next,
    normalizedNext,
    dependencies,
    depths,
    labels,
    heads: data.heads.map(ordinalOf),
    realHeads: data.realHeads.map(ordinalOf),
    bases: data.bases.map(ordinalOf),
    realBases: data.realBases.map(ordinalOf),
  };
}

function pushList(values: number[], revisions: readonly Revision<RevisionSource>[]): void {
  values.push(revisions.length);
  for (const revision of revisions) values.push(revision.ordinal);
}

function ordinalOf(revision: Revision<RevisionSource>): number {
  return revision.ordinal;
}

function sameRevisions(a: readonly Revision<RevisionSource>[], b: readonly Revision<RevisionSource>[]): boolean {
  return a.length === b.length && a.every((revision, index) => revision === b[index]);
}

/**
 * @internal The graph `storeGraph` recorded, for the very sources it was
 * built from, checked against them (each revision's parents and whether it
 * has dependencies): `undefined` when the record does not fit.
 */
export function restoreGraph<S extends RevisionSource>(
  sources: readonly S[],
  record: unknown,
): GraphData<S> | undefined {
  const data = restoreStoredGraph(sources.length, (ordinal) => sources[ordinal] as S, record);
  if (data === undefined) return undefined;
  for (const revision of data.revisions) {
    const links = revision.links;
    if (
      links.down.length !== revision.downRevisions.length ||
      links.down.some((parent, index) => parent.id !== revision.downRevisions[index]) ||
      (links.resolvedDependencies.length > 0) !== (revision.dependencies.length > 0)
    ) {
      return undefined;
    }
  }
  return data;
}

/**
 * @internal The graph `storeGraph` recorded, over sources given one at a
 * time by `sourceAt` (ordinals below `count`), for the very sources it was
 * built from: the caller vouches for that (the header cache hands a record
 * out only when every file is unchanged). Nothing is validated again and
 * nothing is walked: a revision, its source and its links are made when a
 * query first reaches it, so `heads` on 10,000 revisions makes a handful.
 * `undefined` when the record is not one of this format for `count`
 * revisions (an ordinal out of range, a list cut short): then the graph is built.
 */
export function restoreStoredGraph<S extends RevisionSource>(
  count: number,
  sourceAt: (ordinal: number) => S,
  record: unknown,
): GraphData<S> | undefined {
  if (!isRecord(record) || record.count !== count) return undefined;
  return StoredGraphData.create(count, sourceAt, record);
}

function isRecord(record: unknown): record is StoredGraph {
  if (typeof record !== "object" || record === null) return false;
  const candidate = record as Partial<StoredGraph>;
  return (
    candidate.format === FORMAT &&
    Array.isArray(candidate.down) &&
    Array.isArray(candidate.up) &&
    Array.isArray(candidate.next) &&
    Array.isArray(candidate.normalizedNext) &&
    Array.isArray(candidate.dependencies) &&
    Array.isArray(candidate.depths) &&
    Array.isArray(candidate.labels) &&
    Array.isArray(candidate.heads) &&
    Array.isArray(candidate.realHeads) &&
    Array.isArray(candidate.bases) &&
    Array.isArray(candidate.realBases)
  );
}

/** Whether `value` is an ordinal of a graph of `count` revisions. */
function isOrdinal(value: unknown, count: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < count;
}

/**
 * Where each list of a per-revision list (`down`, `up`) starts, or
 * `undefined` when the values are not `count` lists of ordinals.
 */
function indexLists(values: readonly unknown[], count: number): Int32Array | undefined {
  const starts = new Int32Array(count);
  let at = 0;
  for (let ordinal = 0; ordinal < count; ordinal++) {
    const end = listEnd(values, at, count);
    if (end < 0) return undefined;
    starts[ordinal] = at;
    at = end;
  }
  return at === values.length ? starts : undefined;
}

/** The end of the list (a length, then that many ordinals) at `at`, or -1. */
function listEnd(values: readonly unknown[], at: number, count: number): number {
  const length = values[at];
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || at + 1 + length > values.length) {
    return -1;
  }
  for (let index = at + 1; index <= at + length; index++) if (!isOrdinal(values[index], count)) return -1;
  return at + 1 + length;
}

/**
 * Where the entry of each revision in a sparse list starts (its ordinal,
 * then `lists` lists), or `undefined` when the values do not fit.
 */
function indexSparse(values: readonly unknown[], count: number, lists: number): Map<number, number> | undefined {
  const starts = new Map<number, number>();
  let at = 0;
  while (at < values.length) {
    const ordinal = values[at];
    if (!isOrdinal(ordinal, count) || starts.has(ordinal)) return undefined;
    starts.set(ordinal, at);
    at++;
    for (let list = 0; list < lists; list++) {
      at = listEnd(values, at, count);
      if (at < 0) return undefined;
    }
  }
  return starts;
}

/** The labels of each revision the record lists, or `undefined` when it does not fit. */
function indexLabels(values: readonly unknown[], count: number): Map<number, string[]> | undefined {
  const labels = new Map<number, string[]>();
  let at = 0;
  while (at < values.length) {
    const ordinal = values[at];
    const size = values[at + 1];
    if (!isOrdinal(ordinal, count) || labels.has(ordinal) || typeof size !== "number" || size < 1) return undefined;
    const names = values.slice(at + 2, at + 2 + size);
    if (names.length !== size || names.some((name) => typeof name !== "string")) return undefined;
    labels.set(ordinal, names as string[]);
    at += 2 + size;
  }
  return labels;
}

/** The graph's data over a stored record, each revision made on first use. */
class StoredGraphData<S extends RevisionSource> implements GraphData<S> {
  readonly size: number;
  readonly keys: RevisionKeys<S>;
  readonly #sourceAt: (ordinal: number) => S;
  readonly #record: StoredGraph;
  readonly #downAt: Int32Array;
  readonly #upAt: Int32Array;
  readonly #nextAt: Map<number, number>;
  readonly #normalizedNextAt: Map<number, number>;
  readonly #dependenciesAt: Map<number, number>;
  readonly #labelsOf: Map<number, string[]>;
  readonly #made: (Revision<S> | undefined)[];
  readonly #link = (ordinal: number): RevisionLinks<S> => this.#linksOf(ordinal);
  #revisions: Revision<S>[] | undefined;
  #byId: Map<string, Revision<S>> | undefined;
  #labels: Map<string, Revision<S>> | undefined;
  #heads: Revision<S>[] | undefined;
  #realHeads: Revision<S>[] | undefined;
  #bases: Revision<S>[] | undefined;
  #realBases: Revision<S>[] | undefined;

  static create<S extends RevisionSource>(
    count: number,
    sourceAt: (ordinal: number) => S,
    record: StoredGraph,
  ): StoredGraphData<S> | undefined {
    const downAt = indexLists(record.down, count);
    const upAt = indexLists(record.up, count);
    const nextAt = indexSparse(record.next, count, 1);
    const normalizedNextAt = indexSparse(record.normalizedNext, count, 1);
    const dependenciesAt = indexSparse(record.dependencies, count, 2);
    const labelsOf = indexLabels(record.labels, count);
    if (
      downAt === undefined ||
      upAt === undefined ||
      nextAt === undefined ||
      normalizedNextAt === undefined ||
      dependenciesAt === undefined ||
      labelsOf === undefined ||
      record.depths.length !== count ||
      !record.depths.every((depth) => typeof depth === "number") ||
      ![record.heads, record.realHeads, record.bases, record.realBases].every((list) =>
        list.every((ordinal) => isOrdinal(ordinal, count)),
      )
    ) {
      return undefined;
    }
    return new StoredGraphData(count, sourceAt, record, {
      downAt,
      upAt,
      nextAt,
      normalizedNextAt,
      dependenciesAt,
      labelsOf,
    });
  }

  private constructor(
    count: number,
    sourceAt: (ordinal: number) => S,
    record: StoredGraph,
    index: {
      downAt: Int32Array;
      upAt: Int32Array;
      nextAt: Map<number, number>;
      normalizedNextAt: Map<number, number>;
      dependenciesAt: Map<number, number>;
      labelsOf: Map<number, string[]>;
    },
  ) {
    this.size = count;
    this.#sourceAt = sourceAt;
    this.#record = record;
    this.#downAt = index.downAt;
    this.#upAt = index.upAt;
    this.#nextAt = index.nextAt;
    this.#normalizedNextAt = index.normalizedNextAt;
    this.#dependenciesAt = index.dependenciesAt;
    this.#labelsOf = index.labelsOf;
    this.#made = new Array<Revision<S> | undefined>(count);
    this.keys = {
      get: (key) => {
        // Commands mostly look up a head (the database's row): found
        // without making the map of every revision. Ids are unique and a
        // label never equals an id, so this is what the map would give.
        if (this.#byId === undefined) for (const head of this.heads) if (head.id === key) return head;
        return this.byId.get(key) ?? this.labels.get(key);
      },
      all: () => [...this.byId.keys(), ...this.labels.keys()][Symbol.iterator](),
    };
  }

  get revisions(): Revision<S>[] {
    if (this.#revisions === undefined) {
      const revisions = new Array<Revision<S>>(this.size);
      for (let ordinal = 0; ordinal < this.size; ordinal++) revisions[ordinal] = this.#revision(ordinal);
      this.#revisions = revisions;
    }
    return this.#revisions;
  }

  get byId(): Map<string, Revision<S>> {
    if (this.#byId === undefined) {
      const byId = new Map<string, Revision<S>>();
      for (const revision of this.revisions) byId.set(revision.id, revision);
      this.#byId = byId;
    }
    return this.#byId;
  }

  get labels(): Map<string, Revision<S>> {
    if (this.#labels === undefined) {
      const labels = new Map<string, Revision<S>>();
      for (const revision of this.revisions) for (const label of revision.ownBranchLabels) labels.set(label, revision);
      this.#labels = labels;
    }
    return this.#labels;
  }

  get heads(): Revision<S>[] {
    return (this.#heads ??= this.#revisionsOf(this.#record.heads));
  }

  get realHeads(): Revision<S>[] {
    return (this.#realHeads ??= this.#revisionsOf(this.#record.realHeads));
  }

  get bases(): Revision<S>[] {
    return (this.#bases ??= this.#revisionsOf(this.#record.bases));
  }

  get realBases(): Revision<S>[] {
    return (this.#realBases ??= this.#revisionsOf(this.#record.realBases));
  }

  #revisionsOf(ordinals: readonly number[]): Revision<S>[] {
    return ordinals.map((ordinal) => this.#revision(ordinal));
  }

  #revision(ordinal: number): Revision<S> {
    let revision = this.#made[ordinal];
    if (revision === undefined) {
      const source = this.#sourceAt(ordinal);
      revision = new Revision(
        source,
        ordinal,
        toList(source.downRevision),
        toList(source.dependsOn ?? null),
        toList(source.branchLabels ?? null),
        this.#link,
      );
      this.#made[ordinal] = revision;
    }
    return revision;
  }

  /** The revisions of the list (a length, then ordinals) at `at`: the shared empty list for none. */
  #list(values: readonly number[], at: number): readonly Revision<S>[] {
    const length = values[at] as number;
    if (length === 0) return NO_REVISIONS;
    const list = new Array<Revision<S>>(length);
    for (let index = 0; index < length; index++) list[index] = this.#revision(values[at + 1 + index] as number);
    return list;
  }

  /** What the builder links for `ordinal`, from the record (see `linkParents`, `splitChildren`, `linkNormalized`). */
  #linksOf(ordinal: number): RevisionLinks<S> {
    const record = this.#record;
    const down = this.#list(record.down, this.#downAt[ordinal] as number);
    let resolvedDependencies: readonly Revision<S>[] = NO_REVISIONS;
    let normalizedDependencies: readonly Revision<S>[] = NO_REVISIONS;
    const dependenciesAt = this.#dependenciesAt.get(ordinal);
    if (dependenciesAt !== undefined) {
      const dependencies = record.dependencies;
      resolvedDependencies = this.#list(dependencies, dependenciesAt + 1);
      normalizedDependencies = this.#list(dependencies, dependenciesAt + 2 + (dependencies[dependenciesAt + 1] as number));
    }
    const allNext = this.#list(record.up, this.#upAt[ordinal] as number);
    const nextAt = this.#nextAt.get(ordinal);
    const next = nextAt === undefined ? allNext : this.#list(record.next, nextAt + 1);
    const normalizedNextAt = this.#normalizedNextAt.get(ordinal);
    const labels = this.#labelsOf.get(ordinal);
    return {
      down,
      allDown: resolvedDependencies.length === 0 ? down : [...new Set([...down, ...resolvedDependencies])],
      normalizedDown: normalizedDependencies.length === 0 ? down : [...new Set([...down, ...normalizedDependencies])],
      next,
      allNext,
      normalizedNext: normalizedNextAt === undefined ? next : this.#list(record.normalizedNext, normalizedNextAt + 1),
      resolvedDependencies,
      normalizedDependencies,
      labels: labels === undefined ? NO_LABELS : new Set(labels),
      depth: record.depths[ordinal] as number,
    };
  }
}
