import { historyRevisions, RevisionGraph, type RevisionSource } from "@retort/core";
import { describe, expect, it } from "vitest";
import { drawHistoryGraph, type GraphRevision } from "../src/format/history-graph.js";
import { seededRandom } from "../../../packages/core/src/test-support/seeded-random.js";

/** `revision: down revisions` pairs, oldest first; `[]` for a root. */
type Shape = readonly (readonly [string, readonly string[], (readonly string[])?])[];

function build(shape: Shape): RevisionGraph {
  return RevisionGraph.build(
    shape.map(([revision, down, dependsOn]) => ({
      revision,
      downRevision: down.length === 0 ? null : down.length === 1 ? (down[0] as string) : down,
      dependsOn: dependsOn ?? null,
    })),
  );
}

/** What `history --graph` draws for `shape` (in `history`'s order), labels being the ids. */
function draw(shape: Shape, range?: string): string[] {
  return drawHistoryGraph(historyRevisions(build(shape), range), (revision) => revision.id);
}

/** Draws revisions given in this order, newest first. */
function drawInOrder(shape: Shape): string[] {
  const revisions = shape.map(([id, downRevisions]) => ({ id, downRevisions }));
  return drawHistoryGraph(revisions, (revision) => revision.id);
}

const upPorts = new Set(["|", "*", "/"]);
const downPorts = new Set(["|", "*", "\\"]);

/**
 * Reads a drawing back as strictly as an eye would: follows every line from
 * each `*` down to the `*` it reaches and returns the edges, `child>parent`,
 * sorted. Throws where a line ends nowhere, splits, runs next to a line it
 * could be taken for (a `|` or `*` right under a `/`, right above a `\`),
 * or where a character belongs to no line.
 */
function readEdges(rows: readonly string[], ids: readonly string[]): string[] {
  const grid: string[] = [];
  const nodes = new Map<string, string>();
  let drawn = 0;
  for (const [r, row] of rows.entries()) {
    const id = ids[drawn];
    const graph = id !== undefined && row.endsWith(`  ${id}`) ? row.slice(0, -(id.length + 2)) : row;
    if (graph !== row) {
      expect(graph.split("*"), `row ${r}: one *`).toHaveLength(2);
      nodes.set(`${r},${graph.indexOf("*")}`, id as string);
      drawn++;
    } else {
      expect(row, `row ${r}: no *`).not.toContain("*");
    }
    expect(graph, `row ${r}: only line characters`).toMatch(/^[ |*/\\_.-]*$/);
    grid.push(graph);
  }
  expect(drawn, "a row for each revision").toBe(ids.length);
  const at = (r: number, x: number) => (x < 0 ? " " : (grid[r]?.[x] ?? " "));
  const seen = new Set<string>();
  const fail = (r: number, x: number, why: string): never => {
    throw new Error(`row ${r}, character ${x}: ${why}\n${rows.join("\n")}`);
  };
  /** A line enters (r, x) from above (or from the upper right, into a `*` or `|`); the revision it reaches. */
  const arrive = (r: number, x: number): string => {
    for (;;) {
      const char = at(r, x);
      seen.add(`${r},${x}`);
      if (char === "*") return nodes.get(`${r},${x}`) as string;
      if (char === "|") {
        r++;
        continue;
      }
      if (char !== "/") return fail(r, x, "a line ends here");
      const below = at(r + 1, x);
      if (upPorts.has(below) || below === "\\") fail(r, x, "under a `/` a line that is not its");
      if (at(r, x - 1) === "_") {
        let y = x - 1;
        while (at(r, y) === "_" || (at(r, y) === "|" && at(r, y - 1) === "_")) {
          seen.add(`${r},${y}`);
          y--;
        }
        if (at(r, y) !== "|") fail(r, y, "`_` joins no column");
        x = y;
      } else {
        x -= 2;
      }
      r++;
      if (!upPorts.has(at(r, x))) fail(r, x, "a `/` leads nowhere");
    }
  };
  const edges: string[] = [];
  for (const [key, child] of nodes) {
    const [r, x] = key.split(",").map(Number) as [number, number];
    if (upPorts.has(at(r + 1, x))) edges.push(`${child}>${arrive(r + 1, x)}`);
    for (let y = 0; y < (grid[r + 1]?.length ?? 0); y++) {
      if (at(r + 1, y) !== "\\") continue;
      let source = y - 2;
      if (at(r, y - 1) === "-" || at(r, y - 1) === ".") {
        source = y - 1;
        while ("-.|".includes(at(r, source)) && source >= 0) source--;
      }
      if (at(r, source) !== "*") fail(r + 1, y, "a `\\` from no `*` (a line splitting?)");
      if (source !== x) continue;
      for (let cell = source + 1; cell < y; cell++) seen.add(`${r},${cell}`);
      if (downPorts.has(at(r, y))) fail(r + 1, y, "above a `\\` a line that is not its");
      seen.add(`${r + 1},${y}`);
      edges.push(`${child}>${arrive(r + 2, y)}`);
    }
  }
  for (const [r, graph] of grid.entries()) {
    for (const [x, char] of [...graph].entries()) {
      if (char !== " " && char !== "*" && !seen.has(`${r},${x}`)) fail(r, x, `\`${char}\` on no line`);
    }
  }
  return edges.sort();
}

/** The edges the drawing must show: each revision to each of its parents in the list. */
function trueEdges(revisions: readonly GraphRevision[]): string[] {
  const listed = new Set(revisions.map((revision) => revision.id));
  return revisions
    .flatMap((revision) =>
      [...new Set(revision.downRevisions)].filter((id) => listed.has(id)).map((id) => `${revision.id}>${id}`),
    )
    .sort();
}

/** Asserts `rows`, and that reading them back gives exactly the edges of `revisions`. */
function expectDrawing(
  revisions: readonly GraphRevision[],
  rows: readonly string[],
  expected: readonly string[],
): void {
  expect(rows).toEqual(expected);
  expect(
    readEdges(
      rows,
      revisions.map((revision) => revision.id),
    ),
  ).toEqual(trueEdges(revisions));
}

function expectShape(shape: Shape, expected: readonly string[], range?: string): void {
  expectDrawing(historyRevisions(build(shape), range), draw(shape, range), expected);
}

function expectOrder(shape: Shape, expected: readonly string[]): void {
  expectDrawing(
    shape.map(([id, downRevisions]) => ({ id, downRevisions })),
    drawInOrder(shape),
    expected,
  );
}

describe("drawHistoryGraph", () => {
  it("draws a line of history", () => {
    expectShape(
      [
        ["a0a0", []],
        ["b0b0", ["a0a0"]],
        ["c0c0", ["b0b0"]],
      ],
      ["*  c0c0", "*  b0b0", "*  a0a0"],
    );
  });

  it("draws branches that meet at a merge and part at a branch point", () => {
    expectShape(
      [
        ["a0a0", []],
        ["b0b0", ["a0a0"]],
        ["c1c1", ["b0b0"]],
        ["d1d1", ["c1c1"]],
        ["c2c2", ["b0b0"]],
        ["d2d2", ["c2c2"]],
        ["e5e5", ["d1d1", "d2d2"]],
      ],
      ["*  e5e5", "| \\", "* |  d1d1", "* |  c1c1", "| *  d2d2", "| *  c2c2", "| /", "*  b0b0", "*  a0a0"],
    );
  });

  it("ends a root's column: a merge of two roots", () => {
    expectShape(
      [
        ["a1a1", []],
        ["a2a2", []],
        ["mmmm", ["a1a1", "a2a2"]],
      ],
      ["*  mmmm", "| \\", "* |  a1a1", "  *  a2a2"],
    );
  });

  it("ends a root's column: the branch below is not drawn as its parent", () => {
    expectShape(
      [
        ["a1a1", []],
        ["a2a2", []],
        ["b2b2", ["a2a2"]],
        ["mmmm", ["a1a1", "b2b2"]],
        ["c2c2", ["b2b2"]],
      ],
      ["*  mmmm", "| \\", "* |  a1a1", "  | *  c2c2", "  | /", "  *  b2b2", "  *  a2a2"],
    );
  });

  it("ends a root's column: a three-way merge of three branches", () => {
    expectShape(
      [
        ["a1a1", []],
        ["a2a2", []],
        ["a3a3", []],
        ["mmmm", ["a1a1", "a2a2", "a3a3"]],
      ],
      ["*--.  mmmm", "| \\ \\", "* | |  a1a1", "  * |  a2a2", "    *  a3a3"],
    );
    expectShape(
      [
        ["a1a1", []],
        ["a2a2", []],
        ["a3a3", []],
        ["b3b3", ["a3a3"]],
        ["mmmm", ["a1a1", "a2a2", "b3b3"]],
        ["cccc", ["b3b3"]],
      ],
      [
        "*--.  mmmm",
        "| \\ \\",
        "* | |  a1a1",
        "  | | *  cccc",
        "  * | |  a2a2",
        "    | /",
        "    *  b3b3",
        "    *  a3a3",
      ],
    );
  });

  it("starts an unrelated line of history beside, not under, a root", () => {
    expectShape(
      [
        ["a1a1", []],
        ["b1b1", ["a1a1"]],
        ["a2a2", []],
        ["b2b2", ["a2a2"]],
      ],
      ["*  b1b1", "*  a1a1", "  *  b2b2", "  *  a2a2"],
    );
    // r1r1's column takes no new line on the row right under it; h4h4 takes it a row later.
    expectOrder(
      [
        ["h1h1", ["r1r1"]],
        ["h2h2", ["r2r2"]],
        ["r1r1", []],
        ["h3h3", ["r3r3"]],
        ["h4h4", ["r4r4"]],
        ["r2r2", []],
        ["r3r3", []],
        ["r4r4", []],
      ],
      ["*  h1h1", "| *  h2h2", "* |  r1r1", "  | *  h3h3", "* | |  h4h4", "| * |  r2r2", "|   *  r3r3", "*  r4r4"],
    );
  });

  it("joins the children of a branch point a row at a time, nearest first", () => {
    expectShape(
      [
        ["a0a0", []],
        ["b1b1", ["a0a0"]],
        ["b2b2", ["a0a0"]],
        ["b3b3", ["a0a0"]],
      ],
      ["*  b1b1", "| *  b2b2", "| | *  b3b3", "| / |", "|___/", "*  a0a0"],
    );
  });

  it("joins a line across another one (git's |_|/)", () => {
    expectOrder(
      [
        ["c1c1", ["b0b0"]],
        ["x1x1", ["x0x0"]],
        ["c2c2", ["b0b0"]],
        ["b0b0", []],
        ["x0x0", []],
      ],
      ["*  c1c1", "| *  x1x1", "| | *  c2c2", "|_|_/", "* |  b0b0", "  *  x0x0"],
    );
  });

  it("opens a merge's columns past a busy one, crossing it (git's *-.)", () => {
    expectOrder(
      [
        ["aaaa", ["p1p1"]],
        ["xxxx", ["p2p2"]],
        ["p1p1", ["q1q1", "q2q2"]],
        ["p2p2", []],
        ["q2q2", []],
        ["q1q1", []],
      ],
      ["*  aaaa", "| *  xxxx", "*-|.  p1p1", "| | \\", "| * |  p2p2", "|   *  q2q2", "*  q1q1"],
    );
    expectOrder(
      [
        ["aaaa", ["p1p1"]],
        ["xxxx", ["p2p2"]],
        ["p1p1", ["q1q1", "q2q2", "q3q3"]],
        ["q3q3", ["p2p2"]],
        ["p2p2", []],
        ["q2q2", []],
        ["q1q1", []],
      ],
      [
        "*  aaaa",
        "| *  xxxx",
        "*-|.-.  p1p1",
        "| | \\ \\",
        "| | | *  q3q3",
        "| |_|_/",
        "| * |  p2p2",
        "|   *  q2q2",
        "*  q1q1",
      ],
    );
  });

  it("draws each edge to a parent other lines also run to", () => {
    expectOrder(
      [
        ["nnnn", ["bbbb"]],
        ["mmmm", ["aaaa", "bbbb"]],
        ["bbbb", ["aaaa"]],
        ["aaaa", []],
      ],
      ["*  nnnn", "| *  mmmm", "| | \\", "|_|_/", "* |  bbbb", "| /", "*  aaaa"],
    );
  });

  it("draws no line to a revision outside the range", () => {
    const shape: Shape = [
      ["a0a0", []],
      ["b0b0", ["a0a0"]],
      ["c1c1", ["b0b0"]],
      ["c2c2", ["b0b0"]],
      ["mmmm", ["c1c1", "c2c2"]],
    ];
    expectShape(shape, ["*  mmmm", "| \\", "* |  c1c1", "| *  c2c2", "| /", "*  b0b0"], "b0b0:heads");
    expectShape(shape, ["*  mmmm", "*  c1c1"], "c1c1:heads");
  });

  it("does not draw dependsOn", () => {
    expectShape(
      [
        ["a1a1", []],
        ["b1b1", ["a1a1"]],
        ["a2a2", [], ["b1b1"]],
        ["b2b2", ["a2a2"]],
      ],
      ["*  b2b2", "*  a2a2", "  *  b1b1", "  *  a1a1"],
    );
  });

  it("reads QA's drawings (before the fix) as the wrong edges they showed", () => {
    // a1a1 (a root) drawn over a2a2, and column 1 ending nowhere.
    expect(() => readEdges(["*  mmmm", "| \\", "* |  a1a1", "*  a2a2"], ["mmmm", "a1a1", "a2a2"])).toThrow(
      "row 3, character 2: a line ends here",
    );
    expect(
      readEdges(
        ["*  mmmm", "| \\", "* |  a1a1", "| *  c2c2", "| /", "*  b2b2", "*  a2a2"],
        ["mmmm", "a1a1", "c2c2", "b2b2", "a2a2"],
      ),
    ).toEqual(["a1a1>b2b2", "b2b2>a2a2", "c2c2>b2b2", "mmmm>a1a1", "mmmm>c2c2"]);
  });

  it("reads back as exactly the revisions' edges on random graphs, in history's order, in ranges and in any order", () => {
    let drawings = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const next = seededRandom(seed);
      const count = 2 + Math.floor(next() * 24);
      const sources: RevisionSource[] = [];
      for (let index = 0; index < count; index++) {
        const pick = () => `r${Math.floor(next() * index)}`;
        const merge = next();
        const downs =
          index === 0 || next() < 0.15
            ? []
            : [...new Set([pick(), ...(merge < 0.25 ? [pick()] : []), ...(merge < 0.08 ? [pick()] : [])])];
        const deps = index > 1 && next() < 0.2 ? [pick()].filter((dep) => !downs.includes(dep)) : [];
        sources.push({ revision: `r${index}`, downRevision: downs, dependsOn: deps });
      }
      let graph: RevisionGraph;
      try {
        graph = RevisionGraph.build(sources);
      } catch {
        continue;
      }
      const ids = graph.revisions.map((revision) => revision.id);
      const orders: GraphRevision[][] = [topologicalOrder(graph.revisions, next)];
      for (const range of [undefined, `${ids[Math.floor(next() * ids.length)]}:heads`]) {
        try {
          orders.push(historyRevisions(graph, range));
        } catch {
          // Not a range history accepts.
        }
      }
      for (const revisions of orders) {
        const rows = drawHistoryGraph(revisions, (revision) => revision.id);
        expect(
          readEdges(
            rows,
            revisions.map((revision) => revision.id),
          ),
        ).toEqual(trueEdges(revisions));
        drawings++;
      }
    }
    expect(drawings).toBeGreaterThan(1000);
  });
});

/** The revisions in a random order, each before its parents. */
function topologicalOrder(revisions: readonly GraphRevision[], next: () => number): GraphRevision[] {
  const children = new Map<string, number>();
  for (const revision of revisions) {
    for (const parent of new Set(revision.downRevisions)) children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  const byId = new Map(revisions.map((revision) => [revision.id, revision]));
  const ready = revisions.filter((revision) => !children.has(revision.id));
  const order: GraphRevision[] = [];
  while (ready.length > 0) {
    const [revision] = ready.splice(Math.floor(next() * ready.length), 1) as [GraphRevision];
    order.push(revision);
    for (const parent of new Set(revision.downRevisions)) {
      const left = (children.get(parent) as number) - 1;
      children.set(parent, left);
      if (left === 0) ready.push(byId.get(parent) as GraphRevision);
    }
  }
  expect(order).toHaveLength(revisions.length);
  return order;
}
