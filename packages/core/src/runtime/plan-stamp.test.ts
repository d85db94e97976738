import { describe, expect, it } from "vitest";
import { graphOf } from "../graph/test-support/graph-of.js";
import { HeadMaintainer, type VersionRowChange } from "./head-maintainer.js";
import { planStamp, type StampStep } from "./migration-plan.js";

const graphs = {
  path: graphOf([
    ["a", null],
    ["b", "a"],
    ["c", "b"],
    ["d", "c"],
    ["e", "d"],
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
  dependsOn: graphOf([
    ["a1", null, { labels: ["lib1"] }],
    ["b1", "a1"],
    ["c1", "b1"],
    ["a2", null],
    ["b2", "a2"],
    ["c2", "b2", { deps: ["c1"] }],
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
};

type Name = keyof typeof graphs;

function stamp(name: Name, heads: readonly string[], targets: readonly string[]) {
  const graph = graphs[name];
  const steps = planStamp(graph, heads, targets);
  const maintainer = new HeadMaintainer(graph, heads);
  const changes: VersionRowChange[] = steps.flatMap((step) => maintainer.apply(step));
  return { steps, changes, heads: [...maintainer.heads].sort() };
}

/** `[graph, current heads, targets, expected steps, expected heads]` (Alembic's `_stamp_revs` cases). */
const cases: readonly [
  Name,
  readonly string[],
  readonly string[],
  readonly Omit<StampStep, "kind">[],
  readonly string[],
][] = [
  ["path", ["d"], ["base"], [{ from: ["d"], to: [], isUpgrade: false, branchMove: true }], []],
  ["path", ["d"], [], [{ from: ["d"], to: [], isUpgrade: false, branchMove: true }], []],
  ["path", [], ["c"], [{ from: [], to: ["c"], isUpgrade: true, branchMove: true }], ["c"]],
  ["path", ["c"], ["c"], [], ["c"]],
  ["path", ["a"], ["e"], [{ from: ["a"], to: ["e"], isUpgrade: true, branchMove: false }], ["e"]],
  ["path", ["e"], ["b"], [{ from: ["e"], to: ["b"], isUpgrade: false, branchMove: false }], ["b"]],
  ["branched", ["d1", "c2"], ["b"], [{ from: ["d1", "c2"], to: ["b"], isUpgrade: false, branchMove: false }], ["b"]],
  ["branched", ["d1", "c2"], ["c1branch@base"], [{ from: ["d1"], to: [], isUpgrade: false, branchMove: true }], ["c2"]],
  [
    "branched",
    ["d1", "c2"],
    ["c2branch@head"],
    [{ from: ["c2"], to: ["d2"], isUpgrade: true, branchMove: false }],
    ["d1", "d2"],
  ],
  ["merged", ["e"], ["c2"], [{ from: ["e"], to: ["c2"], isUpgrade: false, branchMove: false }], ["c2"]],
  ["merged", ["e"], ["a"], [{ from: ["e"], to: ["a"], isUpgrade: false, branchMove: false }], ["a"]],
  ["merged", ["c2"], ["e"], [{ from: ["c2"], to: ["e"], isUpgrade: true, branchMove: false }], ["e"]],
  [
    "merged",
    ["d1", "c2"],
    ["c2branch@head"],
    [{ from: ["d1", "c2"], to: ["f"], isUpgrade: true, branchMove: false }],
    ["f"],
  ],
  ["merged", ["d1", "c2"], ["e"], [{ from: ["d1", "c2"], to: ["e"], isUpgrade: true, branchMove: false }], ["e"]],
  ["merged", ["b"], ["e"], [{ from: ["b"], to: ["e"], isUpgrade: true, branchMove: false }], ["e"]],
  [
    "dependsOn",
    ["e1", "c2"],
    ["b1"],
    [{ from: ["e1", "c2"], to: ["b1"], isUpgrade: false, branchMove: false }],
    ["b1"],
  ],
  [
    "forest",
    [],
    ["heads"],
    [
      { from: [], to: ["b1"], isUpgrade: true, branchMove: true },
      { from: [], to: ["b2"], isUpgrade: true, branchMove: true },
    ],
    ["b1", "b2"],
  ],
  ["forest", ["b1", "b2"], ["heads"], [], ["b1", "b2"]],
  [
    "forest",
    ["b1", "b2"],
    ["base"],
    [
      { from: ["b1"], to: [], isUpgrade: false, branchMove: true },
      { from: ["b2"], to: [], isUpgrade: false, branchMove: true },
    ],
    [],
  ],
  // Not Alembic's behaviour (it lost the c2 row, SPEC "Known Alembic bugs"):
  // each destination moves only the heads in its own lineage.
  [
    "branched",
    ["c1", "c2"],
    ["c2", "d1"],
    [{ from: ["c1"], to: ["d1"], isUpgrade: true, branchMove: false }],
    ["c2", "d1"],
  ],
  [
    "branched",
    ["c1", "c2"],
    ["heads"],
    [
      { from: ["c1"], to: ["d1"], isUpgrade: true, branchMove: false },
      { from: ["c2"], to: ["d2"], isUpgrade: true, branchMove: false },
    ],
    ["d1", "d2"],
  ],
  [
    "branched",
    ["b"],
    ["c1", "c2"],
    [
      { from: ["b"], to: ["c1"], isUpgrade: true, branchMove: false },
      { from: ["b"], to: ["c2"], isUpgrade: true, branchMove: false },
    ],
    ["c1", "c2"],
  ],
  [
    "forest",
    ["a1", "a2"],
    ["b1", "a2"],
    [{ from: ["a1"], to: ["b1"], isUpgrade: true, branchMove: false }],
    ["a2", "b1"],
  ],
];

describe("planStamp", () => {
  it.each(cases)("%s from %j to %j", (name, heads, targets, expectedSteps, expectedHeads) => {
    const result = stamp(name, heads, targets);
    expect(result.steps).toEqual(expectedSteps.map((step) => ({ kind: "stamp", ...step })));
    expect(result.heads).toEqual(sorted(expectedHeads));
  });

  it("merges down to a branch point with one DELETE and one UPDATE", () => {
    expect(stamp("branched", ["d1", "c2"], ["b"]).changes).toEqual([
      { kind: "delete", revision: "d1" },
      { kind: "update", from: "c2", to: "b" },
    ]);
  });

  it("inserts each head into an empty table", () => {
    expect(stamp("forest", [], ["heads"]).changes).toEqual([
      { kind: "insert", revision: "b1" },
      { kind: "insert", revision: "b2" },
    ]);
  });

  it("says to give a single target when one is ambiguous", () => {
    expect(() => planStamp(graphs.branched, [], ["head"])).toThrow(
      expect.objectContaining({
        code: "MULTIPLE_HEADS",
        message: "Multiple heads are present; please specify a single target revision",
      }),
    );
  });

  it.each([
    ["-1", "-1"],
    ["b+1", "b+1"],
    ["c1branch@-1", "-1"],
    ["c1branch@+1", "+1"],
    ["head-1", "head-1"],
  ])(
    "refuses the relative target %s as Alembic does (Can't locate revision identified by '%s')",
    (target, argument) => {
      for (const heads of [[], ["d1", "c2"]]) {
        let caught: unknown;
        try {
          planStamp(graphs.branched, heads, ["c1", target]);
        } catch (error) {
          caught = error;
        }
        expect(caught).toMatchObject({ code: "RESOLUTION", argument });
        expect((caught as Error).message).toBe(
          `Can't locate revision identified by '${argument}': stamp takes absolute revisions, not a relative one ('${target}'); name the revision (see 'retort history')`,
        );
      }
    },
  );

  it("refuses two targets of which one is an ancestor of the other, which no run could start from", () => {
    for (const heads of [[], ["b"]]) {
      expect(() => planStamp(graphs.path, heads, ["b", "d"])).toThrow(
        expect.objectContaining({
          code: "REVISION_OVERLAP",
          message:
            "Can't stamp b and d together: b is an ancestor of d, and the version table holds one row per branch head. Stamp d alone (with --purge to replace every row).",
        }),
      );
    }
    // A dependency is not an ancestor: its row may stay beside the dependent's (as in upgrade).
    expect(() => planStamp(graphs.dependsOn, [], ["c1", "c2"])).not.toThrow();
  });

  it("fails on a current head no file defines", () => {
    expect(() => planStamp(graphs.path, ["gone"], ["c"])).toThrow("Can't locate revision identified by 'gone'");
  });
});

function sorted(ids: readonly string[]): string[] {
  return [...ids].sort();
}
