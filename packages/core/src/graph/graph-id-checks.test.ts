import { describe, expect, it } from "vitest";
import { EmptyReferenceError } from "./graph-validation-errors.js";
import { RevisionGraph } from "./revision-graph.js";
import type { RevisionSource } from "./revision-source.js";

const path = "/app/migrations/versions/x_m.ts";

function failure(sources: readonly RevisionSource[]): Error {
  try {
    RevisionGraph.build(sources);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the graph to be rejected");
}

describe("revision ids longer than the version table's default VARCHAR(32)", () => {
  it("are accepted by the graph, as Alembic accepts them (the width is checked before a run writes one)", () => {
    const id = `b000_${"x".repeat(35)}`;
    const graph = RevisionGraph.build([
      { revision: "a1", downRevision: null },
      { revision: id, downRevision: "a1", path },
    ]);
    expect(graph.heads).toEqual([id]);
    expect(graph.getRevision(id.slice(0, 8))?.id).toBe(id);
  });
});

describe("empty downRevision and dependsOn", () => {
  it.each([
    ["an empty downRevision", { downRevision: "" }, "downRevision", '""'],
    ["a blank downRevision", { downRevision: "  " }, "downRevision", '"  "'],
    ["an empty string in a downRevision list", { downRevision: ["a1", ""] }, "downRevision", '""'],
    ["an empty dependsOn", { downRevision: null, dependsOn: [""] }, "dependsOn", '""'],
  ])("refuses %s instead of making a new root", (_, fields, field, shown) => {
    const error = failure([
      { revision: "a1", downRevision: null },
      { revision: "b1", path, ...fields } as RevisionSource,
    ]);
    expect(EmptyReferenceError.isInstance(error)).toBe(true);
    expect(error.message).toContain(
      `Revision b1 (in ${path}) has an empty ${field} (${shown}), which names no revision`,
    );
  });

  it("still reads null and an empty list as a root", () => {
    const graph = RevisionGraph.build([
      { revision: "a1", downRevision: null },
      { revision: "b1", downRevision: [] },
    ]);
    expect(graph.bases).toEqual(["a1", "b1"]);
  });
});
