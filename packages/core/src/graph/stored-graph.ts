import { CommandError } from "../errors/retort-error.js";
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
  /** Per revision, in order: the ordinals of its parents by `downRevision`. */
  readonly down: number[];
  /** Per revision: where its parents end in `down` (they start where the revision before's end). */
  readonly downEnds: number[];
  /** Per revision, in order: the ordinals of its children by `downRevision` or `dependsOn` (`allNext`). */
  readonly up: number[];
  /** Per revision: where its children end in `up`. */
  readonly upEnds: number[];
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
  const downEnds: number[] = [];
  const up: number[] = [];
  const upEnds: number[] = [];
  const next: number[] = [];
  const normalizedNext: number[] = [];
  const dependencies: number[] = [];
  const depths: number[] = [];
  const labels: (number | string)[] = [];
  for (const revision of data.revisions) {
    const links = revision.links;
    for (const parent of links.down) down.push(parent.ordinal);
    downEnds.push(down.length);
    for (const child of links.allNext) up.push(child.ordinal);
    upEnds.push(up.length);
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
    downEnds,
    up,
    upEnds,
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
    let links: RevisionLinks<S>;
    try {
      links = revision.links;
    } catch (error) {
      if (error instanceof DamagedGraphError) return undefined;
      throw error;
    }
    if (
      links.down.length !== revision.downRevisions.length ||
      links.down.some((parent, index) => parent.id !== revision.downRevisions[index]) ||
      links.resolvedDependencies.length > 0 !== revision.dependencies.length > 0
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
 * `allSources`, when given, gives every source at once, for a query that
 * needs every revision (cheaper than one `sourceAt` each).
 * `undefined` when the record is not one of this format for `count`
 * revisions: then the graph is built. The edges are checked as they are
 * linked (an ordinal out of range, a list cut short throw a
 * `DamagedGraphError`), not all before: the header cache writes the
 * record whole or not at all.
 */
export function restoreStoredGraph<S extends RevisionSource>(
  count: number,
  sourceAt: (ordinal: number) => S,
  record: unknown,
  allSources?: () => readonly S[],
): GraphData<S> | undefined {
  if (!isRecord(record) || record.count !== count) return undefined;
  return StoredGraphData.create(count, sourceAt, record, allSources);
}

function isRecord(record: unknown): record is StoredGraph {
  if (typeof record !== "object" || record === null) return false;
  const candidate = record as Partial<StoredGraph>;
  return (
    candidate.format === FORMAT &&
    Array.isArray(candidate.down) &&
    Array.isArray(candidate.downEnds) &&
    Array.isArray(candidate.up) &&
    Array.isArray(candidate.upEnds) &&
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
  return typeof value === "number" && (value | 0) === value && value >= 0 && value < count;
}

/** How many sources a stored graph asks for one at a time before it asks for all of them. */
const ONE_BY_ONE = 64;

/** @internal A stored graph whose edges do not hold together (found while linking a revision). */
export class DamagedGraphError extends CommandError {
  constructor() {
    super(
      "The revision graph stored in the header cache is damaged (the cache file was edited, or its disk failed): " +
        "delete the cache folder (RETORT_CACHE_DIR if set, else $XDG_CACHE_HOME/retort or ~/.cache/retort) and run the command again; " +
        "the migration files are not affected",
      { code: "CACHE_DAMAGED" },
    );
    this.name = "DamagedGraphError";
  }
}

/** The end of the list (a length, then that many ordinals) at `at`, or -1. */
function listEnd(values: readonly unknown[], at: number, count: number): number {
  const length = values[at];
  if (typeof length !== "number" || (length | 0) !== length || length < 0 || at + 1 + length > values.length) {
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
  readonly #allSources: (() => readonly S[]) | undefined;
  /** Every source, once a query needed every revision and `allSources` gave them. */
  #sources: readonly S[] | undefined;
  /** How many sources were asked for one at a time. */
  #madeOne = 0;
  readonly #record: StoredGraph;
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
    allSources: (() => readonly S[]) | undefined,
  ): StoredGraphData<S> | undefined {
    const nextAt = indexSparse(record.next, count, 1);
    const normalizedNextAt = indexSparse(record.normalizedNext, count, 1);
    const dependenciesAt = indexSparse(record.dependencies, count, 2);
    const labelsOf = indexLabels(record.labels, count);
    if (
      record.downEnds.length !== count ||
      record.upEnds.length !== count ||
      nextAt === undefined ||
      normalizedNextAt === undefined ||
      dependenciesAt === undefined ||
      labelsOf === undefined ||
      record.depths.length !== count ||
      ![record.heads, record.realHeads, record.bases, record.realBases].every((list) =>
        list.every((ordinal) => isOrdinal(ordinal, count)),
      )
    ) {
      return undefined;
    }
    return new StoredGraphData(count, sourceAt, allSources, record, {
      nextAt,
      normalizedNextAt,
      dependenciesAt,
      labelsOf,
    });
  }

  private constructor(
    count: number,
    sourceAt: (ordinal: number) => S,
    allSources: (() => readonly S[]) | undefined,
    record: StoredGraph,
    index: {
      nextAt: Map<number, number>;
      normalizedNextAt: Map<number, number>;
      dependenciesAt: Map<number, number>;
      labelsOf: Map<number, string[]>;
    },
  ) {
    this.size = count;
    this.#sourceAt = sourceAt;
    this.#allSources = allSources;
    this.#record = record;
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
      if (this.#sources === undefined && this.#allSources !== undefined) this.#sources = this.#allSources();
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
    this.#heads ??= this.#revisionsOf(this.#record.heads);
    return this.#heads;
  }

  get realHeads(): Revision<S>[] {
    this.#realHeads ??= this.#revisionsOf(this.#record.realHeads);
    return this.#realHeads;
  }

  get bases(): Revision<S>[] {
    this.#bases ??= this.#revisionsOf(this.#record.bases);
    return this.#bases;
  }

  get realBases(): Revision<S>[] {
    this.#realBases ??= this.#revisionsOf(this.#record.realBases);
    return this.#realBases;
  }

  at(ordinal: number): Revision<S> {
    return this.#revision(ordinal);
  }

  #revisionsOf(ordinals: readonly number[]): Revision<S>[] {
    return ordinals.map((ordinal) => this.#revision(ordinal));
  }

  #revision(ordinal: number): Revision<S> {
    let revision = this.#made[ordinal];
    if (revision === undefined) {
      // A query that reaches more than a few revisions one by one (a walk)
      // takes every source at once: cheaper than one `sourceAt` each.
      if (this.#sources === undefined && this.#allSources !== undefined && ++this.#madeOne > ONE_BY_ONE) {
        this.#sources = this.#allSources();
      }
      const source = this.#sources?.[ordinal] ?? this.#sourceAt(ordinal);
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
    return this.#range(values, at + 1, at + 1 + (values[at] as number));
  }

  /** The revision `ordinal` has in `ends` (with `values`) of the record: the shared empty list for none. */
  #ended(values: readonly number[], ends: readonly number[], ordinal: number): readonly Revision<S>[] {
    return this.#range(values, ordinal === 0 ? 0 : (ends[ordinal - 1] as number), ends[ordinal] as number);
  }

  /** The revisions of `values[from..to)`, each checked to be an ordinal. */
  #range(values: readonly number[], from: number, to: number): readonly Revision<S>[] {
    if ((from | 0) !== from || (to | 0) !== to || from < 0 || to < from || to > values.length) {
      throw new DamagedGraphError();
    }
    if (to === from) return NO_REVISIONS;
    const list = new Array<Revision<S>>(to - from);
    for (let index = from; index < to; index++) {
      const ordinal = values[index] as number;
      if ((ordinal | 0) !== ordinal || ordinal < 0 || ordinal >= this.size) throw new DamagedGraphError();
      list[index - from] = this.#revision(ordinal);
    }
    return list;
  }

  /** What the builder links for `ordinal`, from the record (see `linkParents`, `splitChildren`, `linkNormalized`). */
  #linksOf(ordinal: number): RevisionLinks<S> {
    const record = this.#record;
    const down = this.#ended(record.down, record.downEnds, ordinal);
    let resolvedDependencies: readonly Revision<S>[] = NO_REVISIONS;
    let normalizedDependencies: readonly Revision<S>[] = NO_REVISIONS;
    const dependenciesAt = this.#dependenciesAt.get(ordinal);
    if (dependenciesAt !== undefined) {
      const dependencies = record.dependencies;
      resolvedDependencies = this.#list(dependencies, dependenciesAt + 1);
      normalizedDependencies = this.#list(
        dependencies,
        dependenciesAt + 2 + (dependencies[dependenciesAt + 1] as number),
      );
    }
    const allNext = this.#ended(record.up, record.upEnds, ordinal);
    const nextAt = this.#nextAt.get(ordinal);
    const next = nextAt === undefined ? allNext : this.#list(record.next, nextAt + 1);
    const normalizedNextAt = this.#normalizedNextAt.get(ordinal);
    const labels = this.#labelsOf.get(ordinal);
    const depth = record.depths[ordinal];
    if (typeof depth !== "number") throw new DamagedGraphError();
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
      depth,
    };
  }
}
