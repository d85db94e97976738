import { describe, expect, it } from "vitest";
import { RevisionGraph } from "../graph/revision-graph.js";
import type { RevisionSource } from "../graph/revision-source.js";
import { historyRevisions } from "./history-range.js";

function graphOf(specs: readonly (readonly [string, string | readonly string[] | null])[]): RevisionGraph {
  return RevisionGraph.build<RevisionSource>(specs.map(([revision, downRevision]) => ({ revision, downRevision })));
}

const chain = graphOf([
  ["a", null],
  ["b", "a"],
  ["c", "b"],
  ["d", "c"],
]);
const three = graphOf([
  ["a", null],
  ["b", "a"],
  ["c", "b"],
]);
// Two heads c and y over a common b.
const forked = graphOf([
  ["a", null],
  ["b", "a"],
  ["c", "b"],
  ["x", "b"],
  ["y", "x"],
]);
const merged = graphOf([
  ["a", null],
  ["b", "a"],
  ["c1", "b"],
  ["d1", "c1"],
  ["c2", "b"],
  ["d2", "c2"],
  ["e", ["d1", "d2"]],
  ["f", "e"],
]);

const ids = (graph: RevisionGraph, range: string | undefined, current?: readonly string[]) =>
  historyRevisions(graph, range, current).map((revision) => revision.id);

describe("historyRevisions", () => {
  const cases: readonly [RevisionGraph, string | undefined, readonly string[] | undefined, readonly string[]][] = [
    [chain, undefined, undefined, ["d", "c", "b", "a"]],
    [merged, undefined, undefined, ["f", "e", "d1", "c1", "d2", "c2", "b", "a"]],
    [forked, undefined, undefined, ["c", "y", "x", "b", "a"]],
    [chain, ":", undefined, ["d", "c", "b", "a"]],
    [chain, "b:", undefined, ["d", "c", "b"]],
    [chain, ":b", undefined, ["b", "a"]],
    [chain, "b:c", undefined, ["c", "b"]],
    [chain, " b:c ", undefined, ["c", "b"]],
    [chain, "base:head", undefined, ["d", "c", "b", "a"]],
    [chain, "b:+1", undefined, ["c", "b"]],
    [chain, "b:+10", undefined, ["d", "c", "b"]],
    [chain, ":+2", undefined, ["b", "a"]],
    [chain, "-2:", undefined, ["d", "c", "b"]],
    [chain, "-1:d", undefined, ["d", "c"]],
    [three, "-5:c", undefined, ["c", "b", "a"]],
    [chain, "current:", ["b"], ["d", "c", "b"]],
    [chain, ":current", ["b"], ["b", "a"]],
    [chain, "current:", [], ["d", "c", "b", "a"]],
    [chain, ":current", [], ["d", "c", "b", "a"]],
    [merged, "c2:f", undefined, ["f", "e", "d2", "c2"]],
    [forked, "x:", undefined, ["y", "x"]],
  ];
  it.each(cases)("%#: %j", (graph, range, current, expected) => {
    expect(ids(graph, range, current)).toEqual(expected);
  });

  const failures: readonly [RevisionGraph, string, string, string][] = [
    [chain, "b", "HISTORY_RANGE", "History range requires [start]:[end], [start]:, or :[end]"],
    [chain, "a:b:c", "HISTORY_RANGE", "History range requires [start]:[end], [start]:, or :[end]"],
    [
      chain,
      "d:a",
      "RANGE_NOT_ANCESTOR",
      "Requested range d:a does not refer to ancestor/descendant revisions along the same branch",
    ],
    [
      forked,
      "-1:c",
      "RANGE_NOT_ANCESTOR",
      "Requested range -1:c does not refer to ancestor/descendant revisions along the same branch",
    ],
    [forked, "-1:y", "REVISION_OVERLAP", "Requested revision x overlaps with other requested revisions b"],
    // Alembic's walk from the head lands exactly on base, which is "not an
    // ancestor" (one step more or less works).
    [
      three,
      "-3:c",
      "RANGE_NOT_ANCESTOR",
      "Requested range -3:c does not refer to ancestor/descendant revisions along the same branch",
    ],
    [
      forked,
      ":head",
      "MULTIPLE_HEADS",
      "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    ],
    [chain, "zzzz:", "RESOLUTION", "Can't locate revision identified by 'zzzz'"],
  ];
  it.each(failures)("%#: %j fails with %s", (graph, range, code, message) => {
    const run = () => historyRevisions(graph, range);
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ code }));
  });
});
