import { describe, expect, it } from "vitest";
import { RevisionGraph } from "./revision-graph.js";
import type { RevisionSource } from "./revision-source.js";
import { graphShape } from "./test-support/graph-shape.js";

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A valid graph of `size` revisions with branches, merges, dependencies
 * (on ids and on labels) and labels, listed in a shuffled file order.
 */
function randomSources(seed: number, size: number): RevisionSource[] {
  const next = random(seed);
  const pick = (below: number) => Math.floor(next() * below);
  const sources: RevisionSource[] = [];
  const labelOwners: string[] = [];
  for (let index = 0; index < size; index++) {
    const id = `r${seed}x${index}`;
    let downRevision: string | string[] | null = null;
    if (index > 0 && next() > 0.1) {
      const first = `r${seed}x${pick(index)}`;
      const second = `r${seed}x${pick(index)}`;
      downRevision = next() < 0.2 && second !== first ? [first, second] : first;
    }
    const dependsOn: string[] = [];
    if (index > 1 && next() < 0.25) dependsOn.push(`r${seed}x${pick(index)}`);
    if (labelOwners.length > 0 && next() < 0.1) dependsOn.push(`label${pick(labelOwners.length)}`);
    let branchLabels: string[] | null = null;
    if (next() < 0.1) {
      branchLabels = [`label${labelOwners.length}`];
      labelOwners.push(id);
    }
    sources.push({ revision: id, downRevision, dependsOn: dependsOn.length > 0 ? dependsOn : null, branchLabels });
  }
  for (let index = sources.length - 1; index > 0; index--) {
    const other = pick(index + 1);
    [sources[index], sources[other]] = [sources[other] as RevisionSource, sources[index] as RevisionSource];
  }
  return sources;
}

const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("stored graph", () => {
  it("gives back a graph of the same shape as the one built, for graphs with merges, dependencies and labels", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const sources = randomSources(seed, 5 + seed * 3);
      const built = RevisionGraph.build(sources);
      const restored = RevisionGraph.restore(sources, throughJson(built.store()));
      expect(restored, `seed ${seed}`).toBeDefined();
      expect(graphShape(restored as RevisionGraph), `seed ${seed}`).toEqual(graphShape(built));
      expect(restored?.iterateRevisions("heads", "base").map((revision) => revision.id)).toEqual(
        built.iterateRevisions("heads", "base").map((revision) => revision.id),
      );
    }
  });

  it("keeps an empty graph empty", () => {
    const restored = RevisionGraph.restore([], throughJson(RevisionGraph.build([]).store()));
    expect(restored?.revisions).toEqual([]);
    expect(restored?.heads).toEqual([]);
  });

  it("refuses a record that does not fit the sources", () => {
    const sources = randomSources(7, 30);
    const record = throughJson(RevisionGraph.build(sources).store()) as Record<string, unknown>;
    expect(RevisionGraph.restore(sources.slice(1), record)).toBeUndefined();
    expect(RevisionGraph.restore(sources, { ...record, format: "retort-graph-0" })).toBeUndefined();
    expect(RevisionGraph.restore(sources, null)).toBeUndefined();
    expect(RevisionGraph.restore(sources, "graph")).toBeUndefined();
    const down = record.down as number[];
    const outOfRange = down.map((value, index) => (index > 0 && value > 0 ? 10_000 : value));
    expect(RevisionGraph.restore(sources, { ...record, down: outOfRange })).toBeUndefined();
    expect(RevisionGraph.restore(sources, { ...record, down: down.slice(0, -1) })).toBeUndefined();
    expect(RevisionGraph.restore(sources, { ...record, depths: [] })).toBeUndefined();
    expect(RevisionGraph.restore(sources, { ...record, dependencies: [] })).toBeUndefined();
    expect(RevisionGraph.restore(sources, { ...record, labels: [0, 2, "x"] })).toBeUndefined();
  });
});
