import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readRevisionHeader } from "./read-revision-header.js";
import { renderRevisionFile } from "./render-revision.js";
import { templatesDirectory } from "./template-directory.js";

const generic = fs.readFileSync(path.join(templatesDirectory(), "generic", "script.ts.template"), "utf8");
const multidb = fs.readFileSync(path.join(templatesDirectory(), "multidb", "script.ts.template"), "utf8");
const date = new Date(2025, 10, 13, 12, 0, 0, 0);

describe("renderRevisionFile", () => {
  it("writes SPEC.md's file shape with the generic template", () => {
    const text = renderRevisionFile(generic, {
      revision: "001abc123def",
      downRevision: null,
      message: "Add user settings table",
      date,
    });
    expect(text).toBe(`/** Add user settings table
 *
 * Revision ID: 001abc123def
 * Revises: 
 * Create Date: 2025-11-13 12:00:00.000000
 */
import type { Operations } from "@retort/core";

export const revision = "001abc123def";
export const downRevision = null;
export const branchLabels = null;
export const dependsOn = null;
export const message = "Add user settings table";
export const createDate = "2025-11-13 12:00:00.000000";

export async function upgrade(op: Operations): Promise<void> {
  // write the upgrade here
}

export async function downgrade(op: Operations): Promise<void> {
  // write the downgrade here
}
`);
  });

  it("writes merges, labels, dependencies, imports and bodies", () => {
    const text = renderRevisionFile(generic, {
      revision: "c3c3",
      downRevision: ["a1a1", "b2b2"],
      branchLabels: ["feature"],
      dependsOn: ["d4d4", "e5e5"],
      message: "merge",
      date,
      timezone: "UTC",
      imports: 'import { column, integer } from "@retort/core";',
      upgrades: 'await op.addColumn("account", column("n", integer()));\nawait op.execute("select 1");',
      downgrades: 'await op.dropColumn("account", "n");',
    });
    expect(text).toContain(" * Revises: a1a1, b2b2\n");
    expect(text).toContain(
      'import type { Operations } from "@retort/core";\nimport { column, integer } from "@retort/core";\n',
    );
    expect(text).toContain('export const downRevision = ["a1a1", "b2b2"];\n');
    expect(text).toContain('export const branchLabels = "feature";\n');
    expect(text).toContain('export const dependsOn = ["d4d4", "e5e5"];\n');
    expect(text).toContain(
      '  await op.addColumn("account", column("n", integer()));\n  await op.execute("select 1");\n}',
    );
    expect(text).toMatch(/Create Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00/);
  });

  it("writes `empty message` without a message", () => {
    const text = renderRevisionFile(generic, { revision: "r1", downRevision: [], date });
    expect(text.startsWith("/** empty message\n")).toBe(true);
    expect(text).toContain('export const message = "empty message";');
  });

  it.each([
    ["generic", generic],
    ["multidb", multidb],
  ])("is read back identically by readRevisionHeader (%s)", (_, template) => {
    const cases = [
      { revision: "ae1027a6acf", downRevision: null, message: "Add a column", branchLabels: null, dependsOn: null },
      {
        revision: "b2",
        downRevision: "a1",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a message holding ${x} must stay text.
        message: "Quotes \"double\" 'single' `back` ${x} \\ */ done",
        branchLabels: ["lbl"],
        dependsOn: ["dep"],
      },
      {
        revision: "m3",
        downRevision: ["a1", "b2"],
        message: "multi\nline message",
        branchLabels: ["x", "y"],
        dependsOn: ["p", "q"],
      },
      { revision: "u4", downRevision: "m3", message: "Ünïcödé ✓ 日本 \u2028 sep", branchLabels: null, dependsOn: null },
    ] as const;
    for (const values of cases) {
      const text = renderRevisionFile(template, { ...values, date, timezone: "Europe/Paris" });
      const header = readRevisionHeader("/app/versions/x.ts", text);
      expect(header).toEqual({
        revision: values.revision,
        downRevision: values.downRevision,
        branchLabels: values.branchLabels,
        dependsOn: values.dependsOn,
        message: values.message,
        createDate: expect.stringMatching(/^2025-11-13 \d\d:00:00\.000000\+01:00$/),
        doc: values.message.split("\n\n")[0],
        longDoc: expect.stringContaining(`Revision ID: ${values.revision}`),
        path: path.resolve("/app/versions/x.ts"),
      });
      expect(header.longDoc.startsWith(values.message)).toBe(true);
    }
  });
});
