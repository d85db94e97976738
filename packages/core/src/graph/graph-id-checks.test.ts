import { describe, expect, it } from "vitest";
import { EmptyReferenceError, InvalidRevisionIdError } from "./graph-validation-errors.js";
import { RevisionGraph } from "./revision-graph.js";
import { MAX_REVISION_ID_LENGTH } from "./revision-id-length.js";
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

describe("revision ids the version table cannot hold", () => {
  it("accepts an id of exactly 32 characters", () => {
    const id = "a".repeat(MAX_REVISION_ID_LENGTH);
    expect(RevisionGraph.build([{ revision: id, downRevision: null }]).heads).toEqual([id]);
  });

  it("refuses a longer id, naming the file, the id, its length and the fix", () => {
    const id = "b".repeat(33);
    const error = failure([
      { revision: "a1", downRevision: null },
      { revision: id, downRevision: "a1", path },
    ]);
    expect(InvalidRevisionIdError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `Revision identifier '${id}' in ${path} is 33 characters long, but the version table's version_num column holds at most 32 (VARCHAR(32), as in Alembic); shorten the id in that file (and every downRevision and dependsOn that names it)`,
    );
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
