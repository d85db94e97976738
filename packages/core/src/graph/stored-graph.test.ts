import { describe, expect, it } from "vitest";
import { RevisionGraph } from "./revision-graph.js";
import { graphShape } from "./test-support/graph-shape.js";
import { randomSources } from "./test-support/random-graph.js";
import { DamagedGraphError } from "./stored-graph.js";
import { checkUpgradeTarget, planUpgrade } from "../runtime/migration-plan.js";
import type { Revision } from "./revision.js";
import type { RevisionSource } from "./revision-source.js";

const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** A chain of `count` revisions, `r0` to `r<count-1>`. */
function chain(count: number): RevisionSource[] {
  const sources: RevisionSource[] = [];
  for (let index = 0; index < count; index++) {
    sources.push({ revision: `r${index}`, downRevision: index === 0 ? null : `r${index - 1}` });
  }
  return sources;
}

/** `sources`' stored graph restored lazily, with the set of ordinals whose source it read one at a time. */
function restoreRecording(
  sources: readonly RevisionSource[],
  record: unknown,
  allSources?: () => readonly RevisionSource[],
): { graph: RevisionGraph; read: Set<number> } {
  const read = new Set<number>();
  const sourceAt = (ordinal: number) => {
    read.add(ordinal);
    return sources[ordinal] as RevisionSource;
  };
  const graph = RevisionGraph.restoreStored(sources.length, sourceAt, record, allSources) as RevisionGraph;
  return { graph, read };
}

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

  it("gives back the same shape when each source is read only when a query needs it", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const sources = randomSources(seed, 5 + seed * 3);
      const built = RevisionGraph.build(sources);
      const record = throughJson(built.store());
      // Queries first, on a fresh graph each: they must answer alike before everything is made.
      const fresh = () =>
        RevisionGraph.restoreStored(sources.length, (ordinal) => sources[ordinal] as RevisionSource, record);
      expect(
        fresh()
          ?.iterateRevisions("heads", "base")
          .map((revision) => revision.id),
        `seed ${seed}`,
      ).toEqual(built.iterateRevisions("heads", "base").map((revision) => revision.id));
      const middle = built.revisions[Math.floor(sources.length / 2)] as Revision;
      expect(
        fresh()
          ?.getAllCurrent([middle.id])
          .map((revision) => revision.id),
      ).toEqual(built.getAllCurrent([middle.id]).map((revision) => revision.id));
      expect(
        fresh()
          ?.get(middle.id)
          ?.links.down.map((revision) => revision.id),
      ).toEqual(middle.links.down.map((revision) => revision.id));
      expect(graphShape(fresh() as RevisionGraph), `seed ${seed}`).toEqual(graphShape(built));
    }
  });

  it("makes only the revisions a query reaches: the heads and their neighbours for heads and a lookup of a head", () => {
    const sources = chain(1_000);
    const record = throughJson(RevisionGraph.build(sources).store());
    const { graph, read } = restoreRecording(sources, record);
    expect(graph.heads).toEqual(["r999"]);
    expect(graph.get("r999")?.isHead).toBe(true);
    expect(graph.getAllCurrent(["r999"]).map((revision) => revision.id)).toEqual(["r999"]);
    expect(graph.getRevision("head")?.id).toBe("r999");
    // The head, the base and the head's parent (made when the head was linked).
    expect([...read].sort((a, b) => a - b)).toEqual([0, 998, 999]);
    // A revision that is not a head: every revision is made, and found.
    expect(graph.get("r500")?.downRevisions).toEqual(["r499"]);
    expect(read.size).toBe(1_000);
    // Without `allSources`, a walk takes the sources one at a time.
    const { graph: alone, read: walked } = restoreRecording(sources, record);
    expect(alone.iterateRevisions("heads", "r989").map((revision) => revision.id)).toHaveLength(10);
    expect(walked.size).toBeGreaterThan(10);
    expect(graph.get("r5000")).toBeUndefined();
  });

  it("plans a no-op upgrade from the head without making every revision, and takes every source at once when a query needs them", () => {
    const sources = chain(1_000);
    const record = throughJson(RevisionGraph.build(sources).store());
    let all = 0;
    const { graph, read } = restoreRecording(sources, record, () => {
      all++;
      return sources;
    });
    checkUpgradeTarget(graph, "head");
    expect(planUpgrade(graph, ["r999"], "head")).toEqual([]);
    expect(read.size).toBeLessThan(5);
    expect(all).toBe(0);
    // From r997 the planner walks every ancestor of the head: after a few
    // sources one at a time, every source is taken, once, in one go.
    expect(planUpgrade(graph, ["r997"], "head").map((step) => step.revision.id)).toEqual(["r998", "r999"]);
    expect(graph.revisions.map((revision) => revision.id)).toEqual(sources.map((source) => source.revision));
    expect(all).toBe(1);
    expect(read.size).toBeLessThan(100);
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
    const up = record.up as number[];
    expect(RevisionGraph.restore(sources, { ...record, up: up.slice(0, -1) })).toBeUndefined();
    expect(RevisionGraph.restore(sources, { ...record, heads: [sources.length] })).toBeUndefined();
    expect(RevisionGraph.restore(sources, { ...record, next: [0] })).toBeUndefined();
    const parentsSwapped = RevisionGraph.restore(sources.slice().reverse(), record);
    expect(parentsSwapped).toBeUndefined();
  });

  it("raises DamagedGraphError when a revision a query reaches has an edge out of range, instead of a wrong graph", () => {
    const sources: RevisionSource[] = [
      { revision: "a", downRevision: null },
      { revision: "b", downRevision: "a" },
    ];
    const record = throughJson(RevisionGraph.build(sources).store()) as Record<string, unknown>;
    const damaged = { ...record, down: [7] };
    const sourceAt = (ordinal: number) => sources[ordinal] as RevisionSource;
    // The head is found without its edges; linking them finds the damage.
    const graph = RevisionGraph.restoreStored(2, sourceAt, damaged) as RevisionGraph;
    expect(graph.heads).toEqual(["b"]);
    expect(() => graph.get("b")?.links.down).toThrow(DamagedGraphError);
    const cut = RevisionGraph.restoreStored(2, sourceAt, { ...record, upEnds: [5, 5] }) as RevisionGraph;
    expect(() => cut.iterateRevisions("heads", "base")).toThrow(DamagedGraphError);
    // A RetortError: the CLI prints its message, which says what to delete, as a FAILED line.
    expect(new DamagedGraphError()).toMatchObject({
      code: "CACHE_DAMAGED",
      message: expect.stringMatching(/delete the cache folder/),
    });
    expect(RevisionGraph.restore(sources, damaged)).toBeUndefined();
  });
});
