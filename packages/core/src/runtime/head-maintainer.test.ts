import { describe, expect, it } from "vitest";
import { RevisionGraph } from "../graph/revision-graph.js";
import type { RevisionSource } from "../graph/revision-source.js";
import { HeadMaintainer } from "./head-maintainer.js";
import { type MigrationStep, planDowngrade, planUpgrade, type RevisionStep, type StampStep } from "./migration-plan.js";

type Spec = readonly [string, string | readonly string[] | null, string[]?];

function graphOf(specs: readonly Spec[]): RevisionGraph {
  return RevisionGraph.build<RevisionSource>(
    specs.map(([revision, downRevision, deps]) => ({ revision, downRevision, dependsOn: deps ?? null })),
  );
}

function step(graph: RevisionGraph, id: string, direction: "upgrade" | "downgrade" = "upgrade"): RevisionStep {
  const revision = graph.get(id);
  if (!revision) throw new Error(`no ${id}`);
  return { kind: "revision", direction, revision };
}

function stampStep(from: string[], to: string[], isUpgrade: boolean, branchMove: boolean): StampStep {
  return { kind: "stamp", from, to, isUpgrade, branchMove };
}

/** Applies the steps and returns the sorted heads after each. */
function trace(graph: RevisionGraph, heads: readonly string[], steps: readonly MigrationStep[]): string[][] {
  const maintainer = new HeadMaintainer(graph, heads);
  return steps.map((each) => {
    maintainer.apply(each);
    return [...maintainer.heads].sort();
  });
}

describe("HeadMaintainer", () => {
  it("keeps one row per branch through twin merge points (Alembic #297)", () => {
    const graph = graphOf([
      ["a", null],
      ["b1", "a"],
      ["b2", "a"],
      ["b3", "a"],
      ["c1", ["b1", "b2", "b3"]],
      ["c2", ["b1", "b2", "b3"]],
      ["d1", "c1"],
      ["d2", "c2"],
    ]);
    const steps = ["b3", "b1", "b2", "c2", "d2", "c1", "d1"].map((id) => step(graph, id));
    expect(trace(graph, ["a"], steps)).toEqual([
      ["b3"],
      ["b1", "b3"],
      ["b1", "b2", "b3"],
      ["c2"],
      ["d2"],
      ["c1", "d2"],
      ["d1", "d2"],
    ]);
  });

  it("handles merge points sharing one parent (NotQuiteTwinMergeTest)", () => {
    const graph = graphOf([
      ["a", null],
      ["b1", "a"],
      ["b2", "a"],
      ["b3", "a"],
      ["c1", ["b1", "b2"]],
      ["c2", ["b2", "b3"]],
      ["d1", "c1"],
      ["d2", "c2"],
    ]);
    const steps = ["b2", "b3", "c2", "d2", "b1", "c1", "d1"].map((id) => step(graph, id));
    expect(trace(graph, ["a"], steps)).toEqual([
      ["b2"],
      ["b2", "b3"],
      ["c2"],
      ["d2"],
      ["b1", "d2"],
      ["c1", "d2"],
      ["d1", "d2"],
    ]);
  });

  it("deletes a row whose parent stays implied through a dependency (DependsOnBranchTestOne)", () => {
    const graph = graphOf([
      ["a1", null],
      ["b1", "a1"],
      ["c1", "b1"],
      ["a2", null],
      ["b2", "a2"],
      ["c2", "b2", ["c1"]],
      ["d1", "c1"],
      ["e1", "d1"],
      ["f1", "e1"],
    ]);
    const maintainer = new HeadMaintainer(graph, ["c2", "d1"]);
    expect(maintainer.apply(step(graph, "d1", "downgrade"))).toEqual([{ kind: "delete", revision: "d1" }]);
    expect(maintainer.heads).toEqual(["c2"]);
  });

  it("does not re-insert a parent implied by the other parent when unmerging (Alembic #1373)", () => {
    const graph = graphOf([
      ["a", null],
      ["b1", "a"],
      ["b2", "a", ["b1"]],
      ["c", ["b1", "b2"]],
    ]);
    const maintainer = new HeadMaintainer(graph, ["c"]);
    expect(maintainer.apply(step(graph, "c", "downgrade"))).toEqual([{ kind: "update", from: "c", to: "b2" }]);
    expect(maintainer.heads).toEqual(["b2"]);
  });

  it("unmerges in downRevision order: INSERT the first parents, UPDATE to the last", () => {
    const graph = graphOf([
      ["a", null],
      ["b1", "a"],
      ["b2", "a"],
      ["c", ["b1", "b2"]],
    ]);
    const maintainer = new HeadMaintainer(graph, ["c"]);
    expect(maintainer.apply(step(graph, "c", "downgrade"))).toEqual([
      { kind: "insert", revision: "b1" },
      { kind: "update", from: "c", to: "b2" },
    ]);
    expect(maintainer.apply(step(graph, "c"))).toEqual([
      { kind: "delete", revision: "b1" },
      { kind: "update", from: "b2", to: "c" },
    ]);
  });

  it("applies stamp steps: add branches, merge, unmerge, tear down", () => {
    const graph = graphOf([
      ["a", null],
      ["b", "a"],
      ["c", "a"],
      ["d", ["b", "c"]],
    ]);
    expect(
      trace(
        graph,
        [],
        [
          stampStep([], ["b"], true, true),
          stampStep([], ["c"], true, true),
          stampStep(["b", "c"], ["d"], true, false),
          stampStep(["d"], ["b", "c"], false, false),
          stampStep(["b"], [], false, true),
          stampStep(["c"], ["a"], false, false),
          stampStep(["a"], [], false, true),
        ],
      ),
    ).toEqual([["b"], ["b", "c"], ["d"], ["b", "c"], ["c"], ["a"], []]);
  });

  it("refuses a step that does not fit the rows", () => {
    const graph = graphOf([
      ["a", null],
      ["b", "a"],
    ]);
    const maintainer = new HeadMaintainer(graph, ["b"]);
    expect(() => maintainer.apply(step(graph, "a", "downgrade"))).toThrow(
      expect.objectContaining({ code: "VERSION_STATE" }),
    );
    expect(() => maintainer.apply(step(graph, "b"))).toThrow(
      "Cannot record the upgrade to b: it is already a current head",
    );
  });

  it("keeps rows equivalent to the applied set on random graphs", () => {
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    let checked = 0;
    for (let round = 0; round < 150; round++) {
      const count = 3 + Math.floor(random() * 14);
      const specs: Spec[] = [];
      for (let index = 0; index < count; index++) {
        const pick = () => `r${Math.floor(random() * index)}`;
        const downs = index === 0 || random() < 0.1 ? [] : [...new Set([pick(), ...(random() < 0.25 ? [pick()] : [])])];
        const deps = index > 1 && random() < 0.2 ? [pick()].filter((dep) => !downs.includes(dep)) : [];
        specs.push([`r${index}`, downs, deps]);
      }
      const graph = graphOf(specs);
      const ids = graph.revisions.map((revision) => revision.id);
      let heads: readonly string[] = [];
      for (let move = 0; move < 6; move++) {
        const target = random() < 0.2 ? "heads" : (ids[Math.floor(random() * ids.length)] as string);
        const upgrade = random() < 0.6;
        let steps: RevisionStep[];
        try {
          steps = upgrade ? planUpgrade(graph, heads, target) : planDowngrade(graph, heads, target);
        } catch {
          continue;
        }
        const applied = new Set(graph.ancestors(heads).map((revision) => revision.id));
        const maintainer = new HeadMaintainer(graph, heads);
        for (const each of steps) {
          maintainer.apply(each);
          if (each.direction === "upgrade") applied.add(each.revision.id);
          else applied.delete(each.revision.id);
          // The rows, with everything below them, are exactly what is applied.
          const implied = graph.ancestors(maintainer.heads).map((revision) => revision.id);
          expect(new Set(implied)).toEqual(applied);
          checked++;
        }
        heads = maintainer.heads;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
