import { describe, expect, it } from "vitest";
import { MultipleHeadsError, ResolutionError, resolveForCommand } from "./revision-errors.js";
import { RevisionGraph } from "./revision-graph.js";
import type { RevisionSource } from "./revision-source.js";

type Spec = readonly [string, string | readonly string[] | null, string?];

function graphOf(specs: readonly Spec[]): RevisionGraph {
  return RevisionGraph.build<RevisionSource>(
    specs.map(([revision, downRevision, label]) => ({
      revision,
      downRevision,
      branchLabels: label === undefined ? null : [label],
    })),
  );
}

// LabeledBranchTest of Alembic's test_revision.py.
const labeled = graphOf([
  ["a", null, "abranch"],
  ["b", "a"],
  ["somelongername", "b"],
  ["c", "somelongername"],
  ["d", null],
  ["e", "d", "ebranch"],
  ["someothername", "e"],
  ["f", "someothername"],
]);
const forked = graphOf([
  ["a", null],
  ["b", "a"],
  ["c1", "b"],
  ["c2", "b"],
]);
const chain = graphOf([
  ["a", null],
  ["b", "a"],
  ["c", "b"],
]);
const hashes = graphOf([
  ["ab12cd34ef56", null],
  ["ab34cd56ef78", "ab12cd34ef56"],
  ["ab56ff001122", "ab34cd56ef78"],
  ["c1c1", "ab56ff001122", "c1branch"],
]);

const id = (revision: { id: string } | null) => revision?.id ?? null;

describe("getRevision", () => {
  const found: readonly [RevisionGraph, string | null, string | null][] = [
    [chain, "head", "c"],
    [chain, "base", null],
    [chain, null, null],
    [chain, "b", "b"],
    [labeled, "ebranch@head", "f"],
    [labeled, "abranch@head", "c"],
    [labeled, "abranch@heads", "c"],
    [labeled, "abranch@base", null],
    [labeled, "ebranch@d", "d"],
    [labeled, "ebranch@ebranch", "e"],
    [labeled, "abranch", "a"],
    [labeled, "ebranch", "e"],
    [labeled, "ebranch@some", "someothername"],
    [labeled, "abranch@some", "somelongername"],
    [labeled, "e", "e"],
    [labeled, "e@d", "d"],
    [labeled, "someoth@d", "d"],
    [hashes, "ab12", "ab12cd34ef56"],
    [hashes, "ab5", "ab56ff001122"],
    [hashes, "c1c", "c1c1"],
  ];
  it.each(found)("%#: %j", (graph, identifier, expected) => {
    expect(id(graph.getRevision(identifier))).toBe(expected);
  });

  const failures: readonly [RevisionGraph, string, string][] = [
    [labeled, "ebranch@b", "Can't locate revision identified by 'b': Revision b is not a member of branch 'ebranch'"],
    [labeled, "abranch@d", "Can't locate revision identified by 'd': Revision d is not a member of branch 'abranch'"],
    [labeled, "abranch@qprstuv", "Can't locate revision identified by 'qprstuv': No such revision or branch 'qprstuv'"],
    [
      labeled,
      "abranch@qpr",
      "Can't locate revision identified by 'qpr': No such revision or branch 'qpr'; please ensure at least four characters are present for partial revision identifier matches",
    ],
    [
      labeled,
      "ebranch@sos",
      "Can't locate revision identified by 'sos': No such revision or branch 'sos'; please ensure at least four characters are present for partial revision identifier matches",
    ],
    [labeled, "x@d", "Can't locate revision identified by 'x': No such branch: 'x'"],
    [labeled, "x@head", "Can't locate revision identified by 'x': No such branch: 'x'"],
    [labeled, "x@heads", "Can't locate revision identified by 'x': No such branch: 'x'"],
    [
      hashes,
      "ab",
      "Can't locate revision identified by 'ab': Multiple revisions start with 'ab': 'ab12cd34ef56', 'ab34cd56ef78', 'ab56ff001122'",
    ],
    [hashes, "c1", "Can't locate revision identified by 'c1': Multiple revisions start with 'c1': 'c1c1', 'c1branch'"],
    [hashes, "zzzz", "Can't locate revision identified by 'zzzz': No such revision or branch 'zzzz'"],
  ];
  it.each(failures)("%#: %j fails", (graph, identifier, message) => {
    let caught: unknown;
    try {
      graph.getRevision(identifier);
    } catch (error) {
      caught = error;
    }
    expect(ResolutionError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
  });

  it("lists the candidates of an ambiguous prefix", () => {
    expect(() => hashes.getRevision("ab")).toThrow(
      expect.objectContaining({ argument: "ab", candidates: ["ab12cd34ef56", "ab34cd56ef78", "ab56ff001122"] }),
    );
  });

  it("raises MultipleHeads for head and heads when there are several", () => {
    for (const identifier of ["head", "heads"]) {
      let caught: unknown;
      try {
        forked.getRevision(identifier);
      } catch (error) {
        caught = error;
      }
      expect(MultipleHeadsError.isInstance(caught)).toBe(true);
      expect(caught).toMatchObject({ code: "MULTIPLE_HEADS", heads: ["c1", "c2"] });
    }
    // The graph's text is Alembic's RevisionMap's; commands replace it with the command line's.
    expect(() => forked.getRevision("head")).toThrow("Multiple heads are present for given argument 'head'; c1, c2");
    expect(() => resolveForCommand("head", () => forked.getRevision("head"))).toThrow(
      "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    );
  });

  it("says when an identifier is not text", () => {
    expect(() => chain.getRevision(Buffer.from("12345") as unknown as string)).toThrow(
      "revision identifier b'12345' is not a string; ensure database driver settings are correct",
    );
  });
});

describe("getRevisions", () => {
  const cases: readonly [RevisionGraph, string | readonly string[] | null, readonly string[]][] = [
    [forked, "heads", ["c1", "c2"]],
    [forked, "base", []],
    [forked, ["c1", "b"], ["c1", "b"]],
    [chain, "-1", ["b"]],
    [chain, "-2", ["a"]],
    [chain, "-3", []],
    [forked, "-1", ["b", "b"]],
    [labeled, "ebranch@-1", ["someothername"]],
    [labeled, "heads", ["c", "f"]],
    [labeled, "ebranch@heads", ["f"]],
  ];
  it.each(cases)("%#: %j", (graph, identifier, expected) => {
    expect(graph.getRevisions(identifier).map((revision) => revision.id)).toEqual(expected);
  });

  it("raises MultipleHeads for head", () => {
    expect(() => forked.getRevisions("head")).toThrow("Multiple heads are present for given argument 'head'; c1, c2");
  });

  it("does not understand rev+N", () => {
    expect(() => chain.getRevisions("b+1")).toThrow("Can't locate revision identified by 'b+1'");
  });
});

describe("getCurrentHead and filterForLineage", () => {
  it("narrows the head to a branch", () => {
    expect(labeled.getCurrentHead("ebranch")).toBe("f");
    expect(labeled.getCurrentHead("abranch")).toBe("c");
    expect(() => labeled.getCurrentHead()).toThrow(MultipleHeadsError);
    expect(graphOf([]).getCurrentHead()).toBeNull();
  });

  it("filters across a merge by label and head", () => {
    const graph = graphOf([
      ["a", null],
      ["b", "a"],
      ["c1", "b", "c1branch"],
      ["c2", "b"],
      ["d", ["c1", "c2"]],
    ]);
    expect(graph.filterForLineage(["c1", "c2", "d"], "c1branch@head")).toEqual(["c1", "c2", "d"]);
    expect(labeled.filterForLineage(["f"], "heads")).toEqual(["f"]);
    expect(labeled.filterForLineage(["a", "f"], "ebranch")).toEqual(["f"]);
  });
});
