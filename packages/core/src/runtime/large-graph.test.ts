import { describe, expect, it } from "vitest";
import { RevisionGraph } from "../graph/revision-graph.js";
import type { RevisionSource } from "../graph/revision-source.js";
import { HeadMaintainer } from "./head-maintainer.js";
import { historyRevisions } from "./history-range.js";
import { planDowngrade, planUpgrade } from "./migration-plan.js";

// Large graphs where anything quadratic in the number of revisions would
// take minutes instead of milliseconds. No time is asserted: a regression
// shows as a test that runs for a long time.
const COUNT = 10_000;
const id = (index: number) => `r${String(index).padStart(6, "0")}`;

function linear(): RevisionSource[] {
  return Array.from({ length: COUNT }, (_, index) => ({
    revision: id(index),
    downRevision: index === 0 ? null : id(index - 1),
  }));
}

/** The shape of shared/bench/gen_alembic.py --branchy: a branch every 10 revisions, merged 3 later. */
function branchy(): RevisionSource[] {
  return Array.from({ length: COUNT }, (_, index) => {
    let downRevision: string | string[] | null;
    if (index === 0) downRevision = null;
    else if (index % 10 === 5) downRevision = id(index - 1);
    else if (index % 10 === 9 && index >= 9) downRevision = [id(index - 1), id(index - 4)];
    else if (index % 10 === 6 && index >= 6) downRevision = id(index - 2);
    else downRevision = id(index - 1);
    return { revision: id(index), downRevision };
  });
}

function applyAll(graph: RevisionGraph, heads: readonly string[], steps: Parameters<HeadMaintainer["apply"]>[0][]) {
  const maintainer = new HeadMaintainer(graph, heads);
  for (const step of steps) maintainer.apply(step);
  return maintainer.heads;
}

describe.each([
  ["linear", linear],
  ["branchy", branchy],
])("%s graph of 10,000 revisions", (_name, sources) => {
  const graph = RevisionGraph.build(sources());
  const head = id(COUNT - 1);

  it("answers heads and identifiers", () => {
    expect(graph.heads).toEqual([head]);
    expect(graph.getRevisions("head").map((revision) => revision.id)).toEqual([head]);
    expect(() => graph.getRevision("r00500")).toThrow("Multiple revisions start with 'r00500'");
    expect(graph.getRevision(id(5000))?.id).toBe(id(5000));
    expect(graph.getRevisions(id(COUNT - 2)).map((revision) => revision.id)).toEqual([id(COUNT - 2)]);
  });

  it("plans upgrade head from head (no steps) and from base (every revision)", () => {
    expect(planUpgrade(graph, [head], "head")).toEqual([]);
    const steps = planUpgrade(graph, [], "head");
    expect(steps).toHaveLength(COUNT);
    expect(steps[0]?.revision.id).toBe(id(0));
    expect(steps[COUNT - 1]?.revision.id).toBe(head);
    expect(applyAll(graph, [], steps)).toEqual([head]);
  });

  it("plans a small upgrade and downgrade near the head", () => {
    const near = id(COUNT - 12);
    const steps = planUpgrade(graph, [near], "head");
    expect(steps.length).toBeGreaterThan(5);
    expect(steps.length).toBeLessThanOrEqual(12);
    expect(applyAll(graph, [near], steps)).toEqual([head]);
    expect(planUpgrade(graph, [near], "+1").at(-1)?.revision.id).toBe(id(COUNT - 11));
    const down = planDowngrade(graph, [head], "base");
    expect(down).toHaveLength(COUNT);
    expect(applyAll(graph, [head], down)).toEqual([]);
  });

  it("lists the whole history", () => {
    const history = historyRevisions(graph, undefined);
    expect(history).toHaveLength(COUNT);
    expect(history[0]?.id).toBe(head);
    expect(historyRevisions(graph, `${id(COUNT - 10)}:`).map((revision) => revision.id)).toHaveLength(10);
  });
});
