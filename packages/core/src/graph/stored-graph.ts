import {
  assembleGraphData,
  type GraphData,
  linkNormalized,
  linkParents,
  splitChildren,
  toList,
} from "./build-graph.js";
import { NO_REVISIONS, Revision } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

/**
 * Changes whenever what `buildGraphData` computes (normalized dependencies,
 * depths, propagated labels) or the layout below does: a record of another
 * format is never restored.
 */
const FORMAT = "retort-graph-1";

/**
 * @internal What validating a graph found, kept so that the same sources
 * give the same graph without the checks and walks: plain arrays of
 * numbers and strings, cheap to write as JSON and to parse. Revisions are
 * named by ordinal (position in file order).
 */
export interface StoredGraph {
  readonly format: string;
  /** The number of revisions. */
  readonly count: number;
  /** Per revision, in order: how many parents by `downRevision`, then their ordinals. */
  readonly down: number[];
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
}

/** @internal The record of a graph built (and so validated) by `buildGraphData`. */
export function storeGraph<S extends RevisionSource>(data: GraphData<S>): StoredGraph {
  const down: number[] = [];
  const dependencies: number[] = [];
  const depths: number[] = [];
  const labels: (number | string)[] = [];
  for (const revision of data.revisions) {
    const links = revision.links;
    down.push(links.down.length);
    for (const parent of links.down) down.push(parent.ordinal);
    if (links.resolvedDependencies.length > 0) {
      dependencies.push(revision.ordinal, links.resolvedDependencies.length);
      for (const dependency of links.resolvedDependencies) dependencies.push(dependency.ordinal);
      dependencies.push(links.normalizedDependencies.length);
      for (const dependency of links.normalizedDependencies) dependencies.push(dependency.ordinal);
    }
    depths.push(links.depth);
    if (links.labels.size > 0) labels.push(revision.ordinal, links.labels.size, ...links.labels);
  }
  return { format: FORMAT, count: data.revisions.length, down, dependencies, depths, labels };
}

/**
 * @internal The graph `storeGraph` recorded, for the very sources it was
 * built from (the caller guarantees that: the header cache hands a record
 * out only when every file is unchanged), linked without the validation and
 * the walks. `undefined` when the record does not fit the sources (another
 * format, another count, an ordinal out of range): then the graph is built.
 */
export function restoreGraph<S extends RevisionSource>(
  sources: readonly S[],
  record: unknown,
): GraphData<S> | undefined {
  if (!isRecord(record) || record.count !== sources.length || record.depths.length !== sources.length) return undefined;
  // Runs once per command over every revision, mostly before V8 has
  // optimized it: few passes, no closures, no iterators.
  const size = sources.length;
  const revisions: Revision<S>[] = new Array<Revision<S>>(size);
  const byId = new Map<string, Revision<S>>();
  const labels = new Map<string, Revision<S>>();
  let withDependencies = 0;
  for (let ordinal = 0; ordinal < size; ordinal++) {
    const source = sources[ordinal] as S;
    const revision = new Revision(
      source,
      ordinal,
      toList(source.downRevision),
      toList(source.dependsOn ?? null),
      toList(source.branchLabels ?? null),
    );
    revisions[ordinal] = revision;
    if (revision.dependencies.length > 0) withDependencies++;
    byId.set(revision.id, revision);
    if (revision.ownBranchLabels.size > 0) for (const label of revision.ownBranchLabels) labels.set(label, revision);
  }
  const reader = new OrdinalReader(revisions);
  if (restoreDependencies(reader, record.dependencies) !== withDependencies) return undefined;
  const down = record.down;
  const depths = record.depths;
  let at = 0;
  let anyDependency = false;
  for (let ordinal = 0; ordinal < size; ordinal++) {
    const revision = revisions[ordinal] as Revision<S>;
    const links = revision.links;
    const count = down[at];
    if (count !== revision.downRevisions.length) return undefined;
    const parents = reader.list(down, at + 1, count);
    const depth = depths[ordinal];
    if (parents === undefined || typeof depth !== "number") return undefined;
    at += 1 + count;
    links.down = parents;
    links.depth = depth;
    if (revision.dependencies.length > 0) {
      anyDependency = true;
      linkParents(revision);
    } else {
      // linkParents without dependencies: allDown is down.
      links.allDown = parents;
      for (let index = 0; index < parents.length; index++) {
        const parentLinks = (parents[index] as Revision<S>).links;
        if (parentLinks.allNext === NO_REVISIONS) parentLinks.allNext = [revision];
        else (parentLinks.allNext as Revision<S>[]).push(revision);
      }
    }
  }
  if (at !== down.length) return undefined;
  if (anyDependency) {
    splitChildren(revisions);
    linkNormalized(revisions, true);
  } else {
    // What splitChildren and linkNormalized give when nothing has a dependsOn.
    for (let ordinal = 0; ordinal < size; ordinal++) {
      const links = (revisions[ordinal] as Revision<S>).links;
      links.next = links.allNext;
      links.normalizedNext = links.allNext;
      links.normalizedDown = links.down;
    }
  }
  if (!restoreLabels(reader, record.labels)) return undefined;
  return assembleGraphData(revisions, byId, labels);
}

/**
 * Sets the resolved and normalized dependencies of the revisions the
 * record lists; returns how many, or -1 when the record does not fit.
 */
function restoreDependencies<S extends RevisionSource>(
  reader: OrdinalReader<S>,
  dependencies: readonly unknown[],
): number {
  let restored = 0;
  let at = 0;
  while (at < dependencies.length) {
    const revision = reader.one(dependencies[at]);
    const resolved = reader.list(dependencies, at + 2, dependencies[at + 1]);
    if (
      revision === undefined ||
      revision.dependencies.length === 0 ||
      resolved === undefined ||
      resolved.length === 0
    ) {
      return -1;
    }
    at += 2 + resolved.length;
    const normalized = reader.list(dependencies, at + 1, dependencies[at]);
    if (normalized === undefined || revision.links.resolvedDependencies !== NO_REVISIONS) return -1;
    revision.links.resolvedDependencies = resolved;
    revision.links.normalizedDependencies = normalized;
    at += 1 + normalized.length;
    restored++;
  }
  return restored;
}

function isRecord(record: unknown): record is StoredGraph {
  if (typeof record !== "object" || record === null) return false;
  const candidate = record as Partial<StoredGraph>;
  return (
    candidate.format === FORMAT &&
    Array.isArray(candidate.down) &&
    Array.isArray(candidate.dependencies) &&
    Array.isArray(candidate.depths) &&
    Array.isArray(candidate.labels)
  );
}

function restoreLabels<S extends RevisionSource>(reader: OrdinalReader<S>, labels: readonly unknown[]): boolean {
  let at = 0;
  while (at < labels.length) {
    const revision = reader.one(labels[at]);
    const count = labels[at + 1];
    if (revision === undefined || typeof count !== "number" || count < 1) return false;
    const names = labels.slice(at + 2, at + 2 + count);
    if (names.length !== count || names.some((name) => typeof name !== "string")) return false;
    revision.links.labels = new Set(names as string[]);
    at += 2 + count;
  }
  return true;
}

/** Turns stored ordinals into revisions, checking each is one. */
class OrdinalReader<S extends RevisionSource> {
  readonly #revisions: readonly Revision<S>[];

  constructor(revisions: readonly Revision<S>[]) {
    this.#revisions = revisions;
  }

  one(ordinal: unknown): Revision<S> | undefined {
    return typeof ordinal === "number" ? this.#revisions[ordinal] : undefined;
  }

  /** `count` revisions from `values[at]` on; the shared empty list for none. */
  list(values: readonly unknown[], at: number, count: unknown): readonly Revision<S>[] | undefined {
    if (typeof count !== "number" || count < 0 || at + count > values.length) return undefined;
    if (count === 0) return NO_REVISIONS;
    const list: Revision<S>[] = [];
    for (let index = at; index < at + count; index++) {
      const revision = this.one(values[index]);
      if (revision === undefined) return undefined;
      list.push(revision);
    }
    return list;
  }
}
