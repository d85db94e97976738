import { afterEach, describe, expect, it } from "vitest";
import { TestProject } from "../../../tests/integration/support/test-project.js";

let project: TestProject;
afterEach(() => project?.cleanup());

/** A chain of `count` revisions whose `history` is far larger than a pipe's buffer (64 KiB). */
function longHistoryProject(count: number): TestProject {
  const result = new TestProject();
  for (let index = 0; index < count; index++) {
    const id = `r${String(index).padStart(4, "0")}`;
    const down = index === 0 ? null : `r${String(index - 1).padStart(4, "0")}`;
    result.addRevision({ id, down, message: `revision ${id} ${"with a long message ".repeat(10)}` });
  }
  return result;
}

describe("a closed stdout", () => {
  it("ends `retort history | head -1` quietly with status 0", async () => {
    project = longHistoryProject(600);
    const child = project.spawn("history");
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    // The reader goes away after the first chunk, as `head -1` does.
    child.stdout.once("data", () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });
});
