import { describe, expect, it } from "vitest";
import { RevisionGraph } from "./revision-graph.js";
import { graphShape } from "./test-support/graph-shape.js";
import { randomSources } from "./test-support/random-graph.js";

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
