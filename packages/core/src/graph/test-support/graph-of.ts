import { expect } from "vitest";
import { RevisionGraph } from "../revision-graph.js";
import type { RevisionSource } from "../revision-source.js";
import { graphShape } from "./graph-shape.js";

/** `[id, downRevision, { deps, labels }]`, in file order — the shape Alembic's tests use. */
export type GraphSpec = readonly [
  string,
  string | readonly string[] | null,
  { deps?: string | string[]; labels?: string | string[] }?,
];

/**
 * Builds a graph for a test from compact specs; order is file order. The
 * graph returned is the one restored from the built graph's stored record
 * (through JSON, as the header cache keeps it), after checking that the two
 * have the same shape: every test of traversal runs on a restored graph.
 */
export function graphOf(specs: readonly GraphSpec[]): RevisionGraph {
  const list = (value: string | string[] | undefined) =>
    value === undefined ? null : typeof value === "string" ? [value] : value;
  const sources = specs.map(([revision, downRevision, options]) => ({
    revision,
    downRevision,
    dependsOn: list(options?.deps),
    branchLabels: list(options?.labels),
  }));
  const built = RevisionGraph.build<RevisionSource>(sources);
  const restored = RevisionGraph.restore<RevisionSource>(sources, JSON.parse(JSON.stringify(built.store())));
  if (restored === undefined) throw new Error("the stored graph was not restored");
  expect(graphShape(restored)).toEqual(graphShape(built));
  return restored;
}
