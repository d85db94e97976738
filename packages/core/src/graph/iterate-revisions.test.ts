import { describe, expect, it } from "vitest";
import type { IterateOptions, RevisionGraph } from "./revision-graph.js";
import { graphOf } from "./test-support/graph-of.js";

// Graphs of Alembic's tests/test_revision.py, in the same file order.
const graphs = {
  diamond: graphOf([
    ["a", null],
    ["b1", "a"],
    ["b2", "a"],
    ["c", ["b1", "b2"]],
    ["d", "c"],
  ]),
  empty: graphOf([]),
  chain: graphOf([
    ["a", null],
    ["b", "a"],
    ["c", "b"],
  ]),
  labeled: graphOf([
    ["a", null, { labels: "abranch" }],
    ["b", "a"],
    ["somelongername", "b"],
    ["c", "somelongername"],
    ["d", null],
    ["e", "d", { labels: "ebranch" }],
    ["someothername", "e"],
    ["f", "someothername"],
  ]),
  longShort: graphOf([
    ["a", null],
    ["b1", "a"],
    ["b2", "a"],
    ["c1", "b1"],
    ["d11", "c1"],
    ["d12", "c1"],
  ]),
  multipleBranch: graphOf([
    ["a", null],
    ["b1", "a"],
    ["b2", "a"],
    ["cb1", "b1"],
    ["cb2", "b2"],
    ["d1cb1", "cb1"],
    ["d2cb1", "cb1"],
    ["d1cb2", "cb2"],
    ["d2cb2", "cb2"],
    ["d3cb2", "cb2"],
    ["d1d2cb2", ["d1cb2", "d2cb2"]],
  ]),
  effectiveHead: graphOf([
    ["y1", null, { labels: "y" }],
    ["x1", null, { labels: "x" }],
    ["y2", "y1", { deps: "x1" }],
    ["x2", "x1"],
  ]),
  branchTravelling: graphOf([
    ["a1", null],
    ["a2", "a1"],
    ["a3", "a2"],
    ["b1", "a3"],
    ["b2", "a3"],
    ["cb1", "b1"],
    ["cb2", "b2"],
    ["db1", "cb1"],
    ["db2", "cb2"],
    ["e1b1", "db1"],
    ["fe1b1", "e1b1"],
    ["e2b1", "db1"],
    ["e2b2", "db2"],
    ["merge", ["e2b1", "e2b2"]],
  ]),
  multipleBase: graphOf([
    ["base1", null],
    ["base2", null],
    ["base3", null],
    ["a1a", "base1"],
    ["a1b", "base1"],
    ["a2", "base2"],
    ["a3", "base3"],
    ["b1a", "a1a"],
    ["b1b", "a1b"],
    ["b2", "a2"],
    ["b3", "a3"],
    ["c2", "b2"],
    ["d2", "c2"],
    ["mergeb3d2", ["b3", "d2"]],
  ]),
  crossOne: graphOf([
    ["base1", null, { labels: "b_1" }],
    ["a1a", "base1"],
    ["a1b", "base1"],
    ["b1a", "a1a"],
    ["b1b", "a1b", { deps: "a3" }],
    ["base2", null, { labels: "b_2" }],
    ["a2", "base2"],
    ["b2", "a2"],
    ["c2", "b2", { deps: "a3" }],
    ["d2", "c2"],
    ["base3", null, { labels: "b_3" }],
    ["a3", "base3"],
    ["b3", "a3"],
  ]),
  crossTwo: graphOf([
    ["base1", null, { labels: "b_1" }],
    ["a1", "base1"],
    ["b1", "a1"],
    ["c1", "b1"],
    ["base2", null, { deps: "b_1", labels: "b_2" }],
    ["a2", "base2"],
    ["b2", "a2"],
    ["c2", "b2"],
    ["d2", "c2"],
    ["base3", null, { labels: "b_3" }],
    ["a3", "base3"],
    ["b3", "a3"],
    ["c3", "b3", { deps: "b2" }],
    ["d3", "c3"],
  ]),
  crossThree: graphOf([
    ["base1", null],
    ["a1", "base1"],
    ["b1", "a1"],
    ["c2", null, { deps: "a1" }],
    ["c3", "c2"],
  ]),
  normalized: graphOf([
    ["a1", null],
    ["a2", "a1"],
    ["a3", "a2"],
    ["b1", null],
    ["b2", "b1", { deps: "a3" }],
    ["b3", "b2"],
    ["b4", "b3", { deps: "a3" }],
    ["b5", "b4", { deps: "b4" }],
  ]),
  normalizedThree: graphOf([
    ["c1", null],
    ["a1", null],
    ["a2", "a1", { deps: "c1" }],
    ["a3", "a2", { deps: "c1" }],
    ["b1", null],
    ["b2", "b1", { deps: "a3" }],
    ["b3", "b2"],
    ["b4", "b3", { deps: "a3" }],
    ["b5", "b4"],
  ]),
  dupeHead: graphOf([
    ["user_foo", null],
    ["user", "user_foo", { deps: "user_foo" }],
  ]),
  substrings: graphOf([
    ["user_foo", null],
    ["user", "user_foo"],
  ]),
  substringsDeps: graphOf([
    ["user_foo", null],
    ["user", null, { deps: "user_foo" }],
  ]),
};

type Upper = string | readonly string[] | null;

/** `[graph, upper, lower, expected, options]`; `_assert_iteration` defaults to `inclusive: true`. */
const iterations: readonly [keyof typeof graphs, Upper, Upper, readonly string[], IterateOptions?][] = [
  ["diamond", "d", "a", ["d", "c", "b1", "b2", "a"]],
  ["empty", "head", "base", []],
  ["chain", ["c", "c"], "a", ["c", "b"], { inclusive: false }],
  ["labeled", "heads", "ebranch@base", ["f", "someothername", "e", "d"]],
  ["labeled", "heads", "abranch@base", ["c", "somelongername", "b", "a"]],
  ["labeled", "ebranch@head", "base", ["f", "someothername", "e", "d"]],
  ["labeled", "abranch@head", "base", ["c", "somelongername", "b", "a"]],
  ["labeled", "heads", "ebranch@head", ["f"]],
  ["labeled", "heads", "ebranch@d", ["f", "someothername", "e", "d"]],
  ["labeled", "heads", "e@base", ["f", "someothername", "e", "d"]],
  ["labeled", "heads", "c@base", ["c", "somelongername", "b", "a"]],
  ["labeled", "heads", "ebranch@-2", ["f", "someothername", "e"]],
  ["labeled", "ebranch@+2", "base", ["e", "d"]],
  ["longShort", "heads", "base", ["b2", "d11", "d12", "c1", "b1", "a"]],
  ["multipleBranch", "d1d2cb2", "a", ["d1d2cb2", "d1cb2", "d2cb2", "cb2", "b2", "a"]],
  ["multipleBranch", ["d2cb2", "d3cb2"], "a", ["d2cb2", "d3cb2", "cb2", "b2", "a"]],
  ["multipleBranch", "d3cb2", "a", ["d3cb2", "cb2", "b2", "a"]],
  ["multipleBranch", "d3cb2", "base", ["d3cb2", "cb2", "b2", "a"]],
  ["multipleBranch", ["d3cb2", "cb1"], "base", ["cb1", "b1", "d3cb2", "cb2", "b2", "a"]],
  ["multipleBranch", ["d1cb1", "d2cb2", "d3cb2"], "b2", ["d2cb2", "d3cb2", "cb2", "b2"]],
  ["effectiveHead", ["x2", "y2"], "x@-1", ["x2"], { inclusive: false, selectForDowngrade: true }],
  ["effectiveHead", ["x1", "y2"], "x@-1", ["y2", "x1"], { inclusive: false, selectForDowngrade: true }],
  ["effectiveHead", "y2", "x@-1", ["y2", "x1"], { inclusive: false, selectForDowngrade: true }],
  [
    "branchTravelling",
    "merge",
    "db1",
    ["merge", "e2b1", "db1", "e2b2", "db2", "cb2", "b2"],
    { inclusive: true, implicitBase: true },
  ],
  [
    "branchTravelling",
    ["merge", "fe1b1"],
    "a3",
    ["fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3"],
  ],
  [
    "branchTravelling",
    "merge",
    "a1",
    ["merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"],
  ],
  ["branchTravelling", "merge", "b1", ["merge", "e2b1", "db1", "cb1", "b1"]],
  ["branchTravelling", "merge", "a2", ["merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2"]],
  [
    "branchTravelling",
    ["merge", "fe1b1"],
    "a1",
    ["fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"],
  ],
  [
    "branchTravelling",
    ["merge", "fe1b1"],
    ["cb1", "cb2"],
    ["fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "e2b2", "db2", "cb2"],
  ],
  [
    "branchTravelling",
    ["merge", "fe1b1"],
    ["cb1", "cb2"],
    ["fe1b1", "e1b1", "merge", "e2b1", "db1", "e2b2", "db2"],
    { inclusive: false },
  ],
  [
    "branchTravelling",
    ["e2b1", "b2", "fe1b1"],
    [],
    ["b2", "fe1b1", "e1b1", "e2b1", "db1", "cb1", "b1", "a3", "a2", "a1"],
    { inclusive: false },
  ],
  [
    "branchTravelling",
    ["fe1b1"],
    "base",
    ["fe1b1", "e1b1", "db1", "cb1", "b1", "a3", "a2", "a1"],
    { inclusive: false },
  ],
  ...(["base", null] as const).flatMap((lower) =>
    [true, false].map(
      (inclusive) =>
        [
          "multipleBase",
          "heads",
          lower,
          ["b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2", "c2", "b2", "a2", "base2"],
          { inclusive },
        ] as const,
    ),
  ),
  [
    "multipleBase",
    "heads",
    ["c2"],
    ["b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2"],
    { inclusive: false, implicitBase: true },
  ],
  ["multipleBase", "heads", ["c2"], ["mergeb3d2", "d2"], { inclusive: false }],
  [
    "multipleBase",
    "heads",
    ["c2"],
    ["b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2", "c2"],
    { inclusive: true, implicitBase: true },
  ],
  ["multipleBase", "b3", "base3", ["b3", "a3", "base3"]],
  ["multipleBase", ["b3", "b2"], "base3", ["b2", "a2", "base2", "b3", "a3"], { inclusive: false, implicitBase: true }],
  ...[false, true].map(
    (selectForDowngrade) =>
      [
        "crossOne",
        "heads",
        "base",
        ["b1a", "a1a", "b1b", "a1b", "base1", "d2", "c2", "b2", "a2", "base2", "b3", "a3", "base3"],
        { inclusive: true, selectForDowngrade },
      ] as const,
  ),
  ["crossOne", "b_2@head", "base", ["d2", "c2", "b2", "a2", "base2", "a3", "base3"]],
  [
    "crossOne",
    "b_2@head",
    "b_2@base",
    ["d2", "c2", "b2", "a2", "base2"],
    { inclusive: true, selectForDowngrade: true },
  ],
  ["crossOne", "b_3@head", "base", ["b3", "a3", "base3"]],
  ["crossOne", "b_3@head", "base", ["b3", "a3", "base3"], { inclusive: true, selectForDowngrade: true }],
  ["crossOne", "b1b@head", "base", ["b1b", "a1b", "base1", "a3", "base3"]],
  ["crossOne", "b1b@head", "b1b@base", ["b1b", "a1b", "base1"], { inclusive: true, selectForDowngrade: true }],
  ["crossOne", "heads", "b_2@base", ["d2", "c2", "b2", "a2", "base2", "a3", "base3"]],
  ["crossOne", "heads", "b_2@base", ["d2", "c2", "b2", "a2", "base2"], { inclusive: true, selectForDowngrade: true }],
  ["crossOne", "heads", "b_3@base", ["b3", "a3", "base3"]],
  [
    "crossOne",
    "heads",
    "b_3@base",
    ["b1b", "d2", "c2", "b3", "a3", "base3"],
    { inclusive: true, selectForDowngrade: true },
  ],
  [
    "crossTwo",
    "heads",
    "base",
    ["c1", "b1", "a1", "d2", "c2", "d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"],
  ],
  ["crossTwo", "b_2@head", "base", ["d2", "c2", "b2", "a2", "base2", "base1"]],
  ["crossTwo", "b_3@head", "base", ["d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"]],
  ["crossTwo", "b_1@head", "base", ["c1", "b1", "a1", "base1"]],
  ["crossTwo", "heads", "b_1@base", ["c1", "b1", "a1", "base1"]],
  ["crossTwo", "heads", "b_2@base", ["d2", "c2", "b2", "a2", "base2", "base1"]],
  ["crossTwo", "heads", "b_3@base", ["d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"]],
  ["crossThree", "heads", "base", ["b1", "c3", "c2", "a1", "base1"]],
  ["normalized", "b4", "b1@base", ["b4", "b3", "b2", "b1"], { inclusive: true, selectForDowngrade: true }],
  [
    "normalized",
    "heads",
    "base",
    ["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"],
    { inclusive: true, selectForDowngrade: true },
  ],
  ["normalized", "heads", "a2", ["b5", "b4", "b3", "b2", "a3", "a2"], { inclusive: true, selectForDowngrade: true }],
  [
    "normalized",
    "heads",
    "a2",
    ["b5", "b4", "b3", "b2", "b1", "a3", "a2"],
    { inclusive: true, selectForDowngrade: true, implicitBase: true },
  ],
  [
    "normalized",
    "b5",
    ["b1"],
    ["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"],
    { inclusive: true, implicitBase: true },
  ],
  [
    "normalizedThree",
    "b5",
    ["b1"],
    ["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1", "c1"],
    { inclusive: true, implicitBase: true },
  ],
  ["dupeHead", "heads", null, ["user", "user_foo"]],
  ["substrings", "heads", null, ["user", "user_foo"]],
  ["substringsDeps", "heads", null, ["user", "user_foo"]],
];

/** Reversed, the result must list parents (normalized edges) before children. */
function expectTopological(graph: RevisionGraph, result: readonly string[]): void {
  const position = new Map(result.map((id, index) => [id, index]));
  for (const id of result) {
    for (const parent of graph.get(id)?.normalizedDownRevisions ?? []) {
      if (position.has(parent)) expect(position.get(parent)).toBeGreaterThan(position.get(id) as number);
    }
  }
}

describe("iterateRevisions (Alembic test_revision.py)", () => {
  it.each(iterations.map((row, index) => [index, ...row] as const))(
    "#%i %s: %j -> %j",
    (_index, name, upper, lower, expected, options) => {
      const graph = graphs[name];
      const result = graph
        .iterateRevisions(upper, lower, { inclusive: true, ...options })
        .map((revision) => revision.id);
      expect(result).toEqual(expected);
      expectTopological(graph, result);
    },
  );

  const failures: readonly [keyof typeof graphs, Upper, Upper, string, string][] = [
    ["multipleBranch", "b1", "d1cb1", "RANGE_NOT_ANCESTOR", "Revision d1cb1 is not an ancestor of revision b1"],
    ["multipleBranch", "d2cb2", "b1", "RANGE_NOT_ANCESTOR", "Revision b1 is not an ancestor of revision d2cb2"],
    ["multipleBranch", null, "d1cb1", "RANGE_NOT_ANCESTOR", "Revision d1cb1 is not an ancestor of revision base"],
    ["multipleBranch", [], "d1cb1", "RANGE_NOT_ANCESTOR", "Revision d1cb1 is not an ancestor of revision base"],
    ["crossOne", "b2", "d2", "RANGE_NOT_ANCESTOR", "Revision d2 is not an ancestor of revision b2"],
    ["crossOne", "b3", "d2", "RANGE_NOT_ANCESTOR", "Revision d2 is not an ancestor of revision b3"],
    [
      "branchTravelling",
      ["db1", "b2", "fe1b1"],
      [],
      "REVISION_OVERLAP",
      "Requested revision fe1b1 overlaps with other requested revisions db1",
    ],
    ["multipleBase", ["c2"], ["a2", "b2"], "REVISION_OVERLAP", "overlaps with other requested revisions"],
  ];

  it.each(failures)("%s: %j -> %j fails with %s", (name, upper, lower, code, message) => {
    const run = () => graphs[name].iterateRevisions(upper, lower);
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ code }));
  });

  it("names the revisions it cannot order when a dependency crosses a range's ends (Alembic fails an assertion)", () => {
    const graph = graphOf([
      ["aaaa", null],
      ["bbbb", null, { deps: "aaaa" }],
    ]);
    const run = () => graph.iterateRevisions("bbbb", "aaaa", { inclusive: true, assertRelativeLength: false });
    expect(run).toThrow(expect.objectContaining({ code: "TRAVERSAL" }));
    expect(run).toThrow("broken map: revision aaaa could not be placed in order among the others");
    expect(run).toThrow("Ask for the whole history");
  });

  it("lists the ancestors of a merge point", () => {
    const ids = graphs.branchTravelling.ancestors(["merge"]).map((revision) => revision.id);
    expect(new Set(ids)).toEqual(
      new Set(["a1", "e2b2", "e2b1", "cb2", "merge", "a3", "a2", "b1", "b2", "db1", "db2", "cb1"]),
    );
  });
});
