import { describe, expect, it } from "vitest";
import type { RevisionGraph } from "../graph/revision-graph.js";
import { graphOf } from "../graph/test-support/graph-of.js";
import { HeadMaintainer } from "./head-maintainer.js";
import {
  checkUpgradeTarget,
  type MigrationStep,
  planDowngrade,
  planUpgrade,
  type RevisionStep,
} from "./migration-plan.js";

// Fixtures of Alembic's tests/test_version_traversal.py.
const graphs = {
  // RevisionPathTest: a -> b -> c -> d -> e with Alembic's ids.
  path: graphOf([
    ["e6239818bb3a", null],
    ["548bbb905360", "e6239818bb3a"],
    ["b7ea43dc85e4", "548bbb905360"],
    ["1bbe33445780", "b7ea43dc85e4"],
    ["3975fb1a0125", "1bbe33445780"],
  ]),
  branched: graphOf([
    ["a", null],
    ["b", "a"],
    ["c1", "b", { labels: ["c1branch"] }],
    ["d1", "c1"],
    ["c2", "b", { labels: ["c2branch"] }],
    ["d2", "c2"],
  ]),
  merged: graphOf([
    ["a", null],
    ["b", "a"],
    ["c1", "b"],
    ["d1", "c1"],
    ["c2", "b", { labels: ["c2branch"] }],
    ["d2", "c2"],
    ["e", ["d1", "d2"]],
    ["f", "e"],
  ]),
  fromMergepoint: graphOf([
    ["a1", null],
    ["b1", "a1"],
    ["c1", "b1"],
    ["a2", null],
    ["b2", "a2"],
    ["c2", "b2"],
    ["d1", ["c1", "c2"]],
    ["d2", "c2"],
  ]),
  threeWay: graphOf([
    ["a1", null],
    ["b1", "a1"],
    ["c1", "b1"],
    ["a2", null],
    ["b2", "a2"],
    ["c2", "b2"],
    ["a3", null],
    ["b3", "a3"],
    ["c3", "b3"],
    ["d1", ["c1", "c2", "c3"]],
    ["d2", "c2"],
    ["d3", "c3"],
  ]),
  dependsOnTwo: graphOf([
    ["a1", null],
    ["a2", null],
    ["a3", null],
    ["amerge", ["a1", "a2", "a3"]],
    ["b1", null],
    ["b2", null],
    ["bmerge", ["b1", "b2"]],
    ["c1", null],
    ["c2", null],
    ["c3", null],
    ["cmerge", ["c1", "c2", "c3"]],
    ["d1", null, { deps: ["a3", "b2", "c1"] }],
  ]),
  dependsOnThree: graphOf([
    ["a1", null],
    ["a2", "a1"],
    ["b1", null],
    ["b2", "b1", { deps: ["a2"] }],
    ["b3", "b2"],
    ["a3", "a2", { deps: ["b1"] }],
  ]),
  ownDownrev: graphOf([
    ["a1", null],
    ["a2", "a1", { deps: ["a1"] }],
  ]),
  dependsOnFour: graphOf([
    ["a1", null],
    ["a2", "a1"],
    ["a3", "a2"],
    ["b1", null],
    ["b2", "b1", { deps: ["a3"] }],
    ["b3", "b2"],
    ["b4", "b3", { deps: ["a3"] }],
  ]),
  dependsOnLabel: graphOf([
    ["a1", null, { labels: ["lib1"] }],
    ["b1", "a1"],
    ["c1", "b1", { labels: ["c1lib"] }],
    ["a2", null],
    ["b2", "a2"],
    ["c2", "b2", { deps: ["c1lib"] }],
    ["d1", "c1"],
    ["e1", "d1"],
    ["f1", "e1"],
  ]),
  forest: graphOf([
    ["a1", null],
    ["b1", "a1"],
    ["a2", null],
    ["b2", "a2"],
  ]),
  crossDependencies: graphOf([
    ["a", null],
    ["b", "a"],
    ["c1", "b", { labels: ["c1branch"] }],
    ["d1", "c1"],
    ["c2", "b", { labels: ["c2branch"] }],
    ["d2", "c2", { deps: ["c1"] }],
  ]),
  // #1373: taking down a merge whose parents are related through dependsOn.
  relatedParents: graphOf([
    ["a", null],
    ["b1", "a"],
    ["b2", "a", { deps: ["b1"] }],
    ["c", ["b1", "b2"]],
  ]),
};

type Name = keyof typeof graphs;
const [A, B, C, D, E] = ["e6239818bb3a", "548bbb905360", "b7ea43dc85e4", "1bbe33445780", "3975fb1a0125"];

/** Applies the steps one by one and returns the heads (as sorted sets) after each. */
function headsAfterEach(graph: RevisionGraph, heads: readonly string[], steps: readonly MigrationStep[]): string[][] {
  const maintainer = new HeadMaintainer(graph, heads);
  return steps.map((step) => {
    maintainer.apply(step);
    return [...maintainer.heads].sort();
  });
}

function describeSteps(steps: readonly RevisionStep[]): string[] {
  return steps.map((step) => step.revision.id);
}

const sorted = (ids: readonly string[]) => [...ids].sort();

/** `[graph, current heads, target, expected steps, expected heads afterwards]`. */
type PlanCase = readonly [Name, readonly string[], string, readonly string[], readonly string[]];

const upgrades: readonly PlanCase[] = [
  ["path", [C], E, [D, E], [E]],
  ["path", [], C, [A, B, C], [C]],
  ["path", [A], "+2", [B, C], [C]],
  ["path", [A], "+1", [B], [B]],
  ["path", [B], "+3", [C, D, E], [E]],
  ["path", [A], `${B}+2`, [B, C, D], [D]],
  ["path", [A], `${D}-2`, [B], [B]],
  ["path", [E], "head", [], [E]],
  ["branched", ["b"], "d1", ["c1", "d1"], ["d1"]],
  ["branched", ["b"], "c2branch@head-1", ["c2"], ["c2"]],
  ["branched", ["c1"], "c2branch@+1", ["c2"], ["c1", "c2"]],
  ["branched", ["c1", "c2"], "c2branch@+1", ["d2"], ["c1", "d2"]],
  ["branched", [], "base+1", ["a"], ["a"]],
  ["branched", [], "+1", ["a"], ["a"]],
  ["branched", ["a"], "heads", ["b", "c2", "d2", "c1", "d1"], ["d1", "d2"]],
  ["merged", ["b"], "f", ["c2", "d2", "c1", "d1", "e", "f"], ["f"]],
  ["fromMergepoint", ["d2", "b1"], "d1", ["c1", "d1"], ["d1", "d2"]],
  ["threeWay", ["d3", "d2", "b1"], "d1", ["c1", "d1"], ["d1", "d2", "d3"]],
  ["threeWay", ["d3", "b2", "b1"], "d1", ["c2", "c1", "d1"], ["d1", "d3"]],
  ["threeWay", ["d3", "d1"], "d2", ["d2"], ["d1", "d2", "d3"]],
  ["ownDownrev", [], "a2", ["a1", "a2"], ["a2"]],
  ["dependsOnLabel", ["a2"], "c2", ["a1", "b1", "c1", "b2", "c2"], ["c2"]],
  ["forest", [], "heads", ["a2", "b2", "a1", "b1"], ["b1", "b2"]],
];

const downgrades: readonly PlanCase[] = [
  ["path", [], "base", [], []],
  ["path", [A], A, [], [A]],
  ["path", [E], E, [], [E]],
  ["path", [E], C, [E, D], [C]],
  ["path", [C], "base", [C, B, A], []],
  ["path", [C], "-1", [C], [B]],
  ["path", [E], "-3", [E, D, C], [B]],
  ["path", [D], `${A}+2`, [D], [C]],
  ["path", [D], `${C}-2`, [D, C, B], [A]],
  ["branched", ["d1", "d2"], "a", ["d1", "c1", "d2", "c2", "b"], ["a"]],
  ["branched", ["d2", "d1"], "base+2", ["d1", "c1", "d2", "c2"], ["b"]],
  ["branched", ["d2", "d1"], "c2branch@base+2", ["d2", "c2"], ["d1"]],
  ["branched", ["d2", "d1"], "c2", ["d2"], ["c2", "d1"]],
  ["branched", ["d2", "d1"], "c2branch@base+3", ["d2"], ["c2", "d1"]],
  ["branched", ["d2", "d1"], "-1", ["d2"], ["c2", "d1"]],
  ["branched", ["c2", "d1"], "-1", ["c2"], ["d1"]],
  ["branched", ["d1", "d2"], "-1", ["d1"], ["c1", "d2"]],
  ["branched", ["c1", "d2"], "-1", ["c1"], ["d2"]],
  ["branched", ["d1", "d2"], "c1branch@-1", ["d1"], ["c1", "d2"]],
  ["branched", ["d2", "c1"], "d2-1", ["d2"], ["c1", "c2"]],
  ["branched", ["c1", "d2"], "d2-1", ["d2"], ["c1", "c2"]],
  ["branched", ["c1", "d2"], "c1branch@b", ["c1"], ["d2"]],
  ["branched", ["c1", "d2"], "c2branch@b", ["d2", "c2"], ["c1"]],
  ["branched", ["d1", "d2"], "c2@b", ["d2", "c2"], ["d1"]],
  ["branched", ["d1", "d2"], "d1@b", ["d1", "c1"], ["d2"]],
  ["branched", ["d1", "d2"], "c1branch@head-1", ["d1"], ["c1", "d2"]],
  ["branched", ["a"], "-1", ["a"], []],
  ["branched", ["d1", "c2"], "c2", [], ["c2", "d1"]],
  ["branched", ["d1", "c2"], "d1", [], ["c2", "d1"]],
  ["merged", ["f"], "b", ["f", "e", "d1", "c1", "d2", "c2"], ["b"]],
  ["fromMergepoint", ["d2", "d1"], "b1", ["d1", "c1"], ["b1", "d2"]],
  ["threeWay", ["d3", "d2", "d1"], "b1", ["d1", "c1"], ["b1", "d2", "d3"]],
  ["dependsOnTwo", ["amerge", "bmerge", "cmerge", "d1"], "b2", ["bmerge"], ["amerge", "b1", "cmerge", "d1"]],
  ["dependsOnTwo", ["amerge", "d1", "b1", "cmerge"], "d1@base", ["d1"], ["amerge", "b1", "b2", "cmerge"]],
  [
    "dependsOnTwo",
    ["amerge", "b1", "b2", "cmerge"],
    "base",
    ["amerge", "a1", "b1", "b2", "cmerge", "c1", "a2", "a3", "c2", "c3"],
    [],
  ],
  ["dependsOnThree", ["a3", "b2"], "b1", ["b2"], ["a3"]],
  ["ownDownrev", ["a2"], "a1", ["a2"], ["a1"]],
  ["dependsOnFour", ["b4"], "b3", ["b4"], ["b3"]],
  ["crossDependencies", ["d1", "d2"], "c2branch@b", ["d2", "c2"], ["d1"]],
  ["relatedParents", ["c"], "b2", ["c"], ["b2"]],
];

describe("planUpgrade (Alembic test_version_traversal.py)", () => {
  it.each(upgrades)("%s from %j to %s", (name, heads, target, expected, expectedHeads) => {
    const graph = graphs[name];
    const steps = planUpgrade(graph, heads, target);
    expect(describeSteps(steps)).toEqual(expected);
    expect(steps.every((step) => step.kind === "revision" && step.direction === "upgrade")).toBe(true);
    expect(headsAfterEach(graph, heads, steps).at(-1) ?? sorted(heads)).toEqual(sorted(expectedHeads));
  });

  it("gives the heads after each step across a merge point", () => {
    const graph = graphs.merged;
    expect(headsAfterEach(graph, ["b"], planUpgrade(graph, ["b"], "f"))).toEqual([
      ["c2"],
      ["d2"],
      ["c1", "d2"],
      ["d1", "d2"],
      ["e"],
      ["f"],
    ]);
  });

  it("inserts a new row for a branch whose parent was absorbed by a merge", () => {
    const graph = graphs.threeWay;
    const maintainer = new HeadMaintainer(graph, ["d3", "d1"]);
    const [step] = planUpgrade(graph, ["d3", "d1"], "d2");
    expect(maintainer.apply(step as RevisionStep)).toEqual([{ kind: "insert", revision: "d2" }]);
  });

  it("merges the rows of a depends_on target (final table holds only the merge)", () => {
    const graph = graphOf([
      ["a001", null, { labels: ["alib"] }],
      ["b001", null, { labels: ["blib"] }],
      ["b002", "b001", { deps: ["a001"] }],
    ]);
    const steps = planUpgrade(graph, [], "heads");
    expect(describeSteps(steps)).toEqual(["a001", "b001", "b002"]);
    expect(headsAfterEach(graph, [], steps)).toEqual([["a001"], ["a001", "b001"], ["b002"]]);
    expect(graph.getAllCurrent(["b002"]).map((revision) => revision.id)).toEqual(["a001", "b002"]);
  });

  const failures: readonly [Name, readonly string[], string, string, string][] = [
    ["path", [B], "-2", "RELATIVE_REVISION", "Relative revision -2 didn't produce 2 migrations"],
    ["path", [B], "+5", "RELATIVE_REVISION", "Relative revision +5 didn't produce 5 migrations"],
    ["branched", ["c1", "c2"], "+1", "AMBIGUOUS_UPGRADE", "Ambiguous upgrade from multiple current revisions"],
    [
      "branched",
      ["a"],
      "head",
      "MULTIPLE_HEADS",
      "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    ],
    [
      "branched",
      ["a"],
      "zzzz",
      "RESOLUTION",
      "Can't locate revision identified by 'zzzz': No such revision or branch 'zzzz'",
    ],
    ["branched", ["gone"], "heads", "RESOLUTION", "Can't locate revision identified by 'gone'"],
  ];
  it.each(failures)("%s from %j to %s fails with %s", (name, heads, target, code, message) => {
    const plan = () => planUpgrade(graphs[name], heads, target);
    expect(plan).toThrow(message);
    expect(plan).toThrow(expect.objectContaining({ code }));
  });

  it("names the command's target in a MultipleHeads error on a branch", () => {
    const graph = graphOf([
      ["a", null, { labels: ["lib"] }],
      ["b1", "a"],
      ["b2", "a"],
    ]);
    expect(() => planUpgrade(graph, [], "lib@head")).toThrow(
      "Multiple head revisions are present for given argument 'lib@head'; please specify a specific target revision, '<branchname>@lib@head' to narrow",
    );
    expect(() => planUpgrade(graph, [], "lib@head")).toThrow(expect.objectContaining({ heads: ["b1", "b2"] }));
  });
});

describe("checkUpgradeTarget", () => {
  /** What a call raises, as comparable data (`undefined` when it returns). */
  const outcome = (call: () => unknown) => {
    try {
      call();
      return undefined;
    } catch (error) {
      return { type: (error as Error).constructor.name, message: (error as Error).message };
    }
  };

  it("raises exactly what planning the upgrade from base raises, for every kind of absolute target", () => {
    const targets = ["head", "heads", "base", "d1", "c1branch@head", "c2branch@heads", "nope", "c", "d", "e"];
    for (const [name, graph] of Object.entries(graphs)) {
      const ids = graph.revisions.flatMap((revision) => [revision.id, revision.id.slice(0, 2)]);
      for (const target of [...targets, ...ids]) {
        expect(
          outcome(() => checkUpgradeTarget(graph, target)),
          `${name}: ${target}`,
        ).toEqual(outcome(() => planUpgrade(graph, [], target)));
      }
    }
  });

  it("plans nothing when the database is at the single target, as the full walk does", () => {
    for (const graph of Object.values(graphs)) {
      for (const revision of graph.revisions) {
        expect(planUpgrade(graph, [revision.id], revision.id)).toEqual([]);
      }
      if (graph.heads.length === 1) expect(planUpgrade(graph, graph.heads, "head")).toEqual([]);
    }
  });
});

describe("planDowngrade (Alembic test_version_traversal.py)", () => {
  it.each(downgrades)("%s from %j to %s", (name, heads, target, expected, expectedHeads) => {
    const graph = graphs[name];
    const steps = planDowngrade(graph, heads, target);
    expect(describeSteps(steps)).toEqual(expected);
    expect(steps.every((step) => step.direction === "downgrade")).toBe(true);
    expect(headsAfterEach(graph, heads, steps).at(-1) ?? sorted(heads)).toEqual(sorted(expectedHeads));
  });

  it("gives the heads after each step across a merge point", () => {
    const graph = graphs.merged;
    expect(headsAfterEach(graph, ["f"], planDowngrade(graph, ["f"], "b"))).toEqual([
      ["e"],
      ["d1", "d2"],
      ["c1", "d2"],
      ["d2"],
      ["c2"],
      ["b"],
    ]);
  });

  it("takes a dependent branch down with its dependency", () => {
    const graph = graphs.crossDependencies;
    const steps = planDowngrade(graph, ["d1", "d2"], "c1branch@b");
    const ids = describeSteps(steps);
    expect(sorted(ids)).toEqual(["c1", "d1", "d2"]);
    expect(ids.indexOf("d1")).toBeLessThan(ids.indexOf("c1"));
    expect(ids.indexOf("d2")).toBeLessThan(ids.indexOf("c1"));
    expect(headsAfterEach(graph, ["d1", "d2"], steps).at(-1)).toEqual(["c2"]);
  });

  it("warns that -1 from several heads is ambiguous", () => {
    const warnings: string[] = [];
    planDowngrade(graphs.branched, ["d2", "d1"], "-1", { onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([
      "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.",
    ]);
  });

  const failures: readonly [Name, readonly string[], string, string, string][] = [
    ["path", [B], "-5", "RELATIVE_REVISION", "Relative revision -5 didn't produce 5 migrations"],
    ["path", [B], "+2", "RELATIVE_REVISION", "Relative revision +2 didn't produce 2 migrations"],
    ["branched", [], "-1", "RELATIVE_REVISION", "Relative revision -1 didn't produce 1 migrations"],
    [
      "path",
      [],
      B.slice(0, 3),
      "RANGE_NOT_ANCESTOR",
      `Destination ${B.slice(0, 3)} is not a valid downgrade target from current head(s)`,
    ],
    [
      "path",
      [B],
      C.slice(0, 4),
      "RANGE_NOT_ANCESTOR",
      `Destination ${C.slice(0, 4)} is not a valid downgrade target from current head(s)`,
    ],
    ["path", [E], `${A}-2`, "RELATIVE_REVISION", "Walked too far"],
    ["merged", ["f"], "e-1", "AMBIGUOUS_WALK", "Ambiguous walk"],
  ];
  it.each(failures)("%s from %j to %s fails with %s", (name, heads, target, code, message) => {
    const plan = () => planDowngrade(graphs[name], heads, target);
    expect(plan).toThrow(message);
    expect(plan).toThrow(expect.objectContaining({ code }));
  });
});
