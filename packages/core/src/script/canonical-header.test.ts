import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalHeader } from "./canonical-header.js";
import { readRevisionHeader } from "./read-revision-header.js";

const file = path.resolve("/app/migrations/versions/r1_add.ts");

/** What the scanner reads: a line comment first is trivia to it, and leaves the canonical reading out. */
function scanned(text: string): unknown {
  return outcome(() => readRevisionHeader(file, `// read by the scanner\n${text}`));
}

function read(text: string): unknown {
  return outcome(() => readRevisionHeader(file, text));
}

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    return { error: (error as Error).message.replace(/:\d+/g, ":<line>") };
  }
}

function present(text: string): number {
  return ["revision", "downRevision", "branchLabels", "dependsOn", "message", "createDate"].filter((name) =>
    text.includes(name),
  ).length;
}

const BODY = `
export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("t", column("id", integer(), { primaryKey: true }));
}
`;

const GENERATED = `/** add users
 *
 * Revision ID: ae1027a6acf
 * Revises: 1975ea83b712
 * Create Date: 2026-12-03 02:00:00.000000
 */
import type { Operations } from "@retort/core";
import { column, integer } from "@retort/core";

export const revision = "ae1027a6acf";
export const downRevision = "1975ea83b712";
export const branchLabels = null;
export const dependsOn = null;
export const message = "add users";
export const createDate = "2026-12-03 02:00:00.000000";
${BODY}`;

/** Files the canonical reading takes, each read as the scanner reads it. */
const TAKEN: Record<string, string> = {
  "a generated file": GENERATED,
  "a generated file with CRLF line breaks": GENERATED.replace(/\n/g, "\r\n"),
  "no doc comment, no imports": `export const revision = "r1";\nexport const downRevision = null;${BODY}`,
  "a merge, labels and dependencies as arrays": `/** merge */
import { column, integer, type Operations } from "@retort/core";
export const revision = "r9";
export const downRevision = ["r7", 'r8'];
export const branchLabels = ["feature",];
export const dependsOn = [];
export const message = "merge";
${BODY}`,
  "SPEC.md's header, with comments after the values": `/** Add user settings table */
import type { Operations } from "@retort/core";

export const revision = "001abc123def";
export const downRevision = null;      // string | string[] (merge) | null
export const branchLabels = null;      // string | string[] | null
export const dependsOn = null;         // string | string[] | null
export const message = "Add user settings table";
export const createDate = "2025-11-13 12:00:00.000000";
${BODY}`,
  "let and var, a name declared twice (the first counts)": `export let revision = "r1";
export var downRevision = "r0";
export const revision = "r2";
${BODY}`,
  "a multi-line import": `import {
  column,
  integer,
  type Operations,
} from "@retort/core";
export const revision = "r1";
export const downRevision = null;
${BODY}`,
  "a doc comment that is only stars": `/***/\nexport const revision = "r1";${BODY}`,
  "an id Alembic refuses (the same error after)": `export const revision = "r1-x";\nexport const downRevision = null;${BODY}`,
  "a file that ends after its header": `export const revision = "r1";\nexport const downRevision = null;`,
};

/** Files it leaves to the scanner, each still read as the scanner reads it. */
const DECLINED: Record<string, string> = {
  "a name used in the body but not declared in the header": `export const revision = "r1";
export const downRevision = null;
const message = "declared below, not exported";${BODY}`,
  "two declarations on a line": `export const revision = "r1"; export const downRevision = null;${BODY}`,
  "an escape in a string": `export const revision = "r1";\nexport const message = "say \\"hi\\"";${BODY}`,
  "a typed declaration": `export const revision: string = "r1";\nexport const downRevision = null;${BODY}`,
  "a template literal": `export const revision = \`r1\`;\nexport const downRevision = null;${BODY}`,
  "an empty comment before the header": `/**/\nexport const revision = "r1";\nexport const downRevision = null;${BODY}`,
  "a block comment before the doc comment": `/* licence */\n/** doc */\nexport const revision = "r1";${BODY}`,
  "a byte-order mark": `\ufeff/** doc */\nexport const revision = "r1";${BODY}`,
  "a value that is not a literal": `export const revision = "r1";\nexport const downRevision = previous;${BODY}`,
  "undefined as the value": `export const revision = "r1";\nexport const downRevision = undefined;${BODY}`,
  "a default import": `import ops from "@retort/core";\nexport const revision = "r1";${BODY}`,
  "a header below other code": `const x = 1;\nexport const revision = "r1";${BODY}`,
  "a header without revision": `export const downRevision = null;${BODY}`,
  "an array over several lines": `export const revision = "r9";\nexport const downRevision = [\n  "r7",\n  "r8",\n];${BODY}`,
  "a line separator in a string": `export const revision = "r1";\nexport const message = "a\u2028b";${BODY}`,
};

describe("canonicalHeader", () => {
  for (const [name, text] of Object.entries(TAKEN)) {
    it(`reads ${name} as the scanner does`, () => {
      expect(canonicalHeader(text, present(text))).toBeDefined();
      expect(read(text)).toEqual(scanned(text));
    });
  }

  for (const [name, text] of Object.entries(DECLINED)) {
    it(`leaves ${name} to the scanner`, () => {
      expect(canonicalHeader(text, present(text))).toBeUndefined();
    });
  }

  it("gives the values and the doc comment of a generated file", () => {
    expect(canonicalHeader(GENERATED, present(GENERATED))).toEqual({
      values: new Map<string, unknown>([
        ["revision", "ae1027a6acf"],
        ["downRevision", "1975ea83b712"],
        ["branchLabels", null],
        ["dependsOn", null],
        ["message", "add users"],
        ["createDate", "2026-12-03 02:00:00.000000"],
      ]),
      docComment: GENERATED.slice(0, GENERATED.indexOf("*/") + 2),
    });
  });

  it("reads arrays with both quotes, a trailing comma and none", () => {
    const text = `export const revision = "r9";\nexport const downRevision = ["r7", 'r8'];\nexport const branchLabels = ["a",];\nexport const dependsOn = [];\n`;
    expect(canonicalHeader(text, 4)?.values).toEqual(
      new Map<string, unknown>([
        ["revision", "r9"],
        ["downRevision", ["r7", "r8"]],
        ["branchLabels", ["a"]],
        ["dependsOn", []],
      ]),
    );
  });
});
