import { RevisionGraph } from "../revision-graph.js";
import type { RevisionSource } from "../revision-source.js";

/** `[id, downRevision, { deps, labels }]`, in file order — the shape Alembic's tests use. */
export type GraphSpec = readonly [
  string,
  string | readonly string[] | null,
  { deps?: string | string[]; labels?: string | string[] }?,
];

/** Builds a graph for a test from compact specs; order is file order. */
export function graphOf(specs: readonly GraphSpec[]): RevisionGraph {
  const list = (value: string | string[] | undefined) =>
    value === undefined ? null : typeof value === "string" ? [value] : value;
  return RevisionGraph.build<RevisionSource>(
    specs.map(([revision, downRevision, options]) => ({
      revision,
      downRevision,
      dependsOn: list(options?.deps),
      branchLabels: list(options?.labels),
    })),
  );
}
