import path from "node:path";
import { describe, expect, it } from "vitest";
import { readRevisionHeader } from "./read-revision-header.js";

const file = path.resolve("/app/migrations/versions/ae10_add.ts");

function read(text: string) {
  return readRevisionHeader(file, text);
}

function failure(text: string): { message: string; code: string | undefined } {
  try {
    read(text);
  } catch (error) {
    return { message: (error as Error).message, code: (error as { code?: string }).code };
  }
  throw new Error("expected the header to be rejected");
}

describe("readRevisionHeader", () => {
  it("reads SPEC.md's example", () => {
    const header = read(`/** Add user settings table */
import type { Operations } from "@retort/core";

export const revision = "001abc123def";
export const downRevision = null;      // string | string[] (merge) | null
export const branchLabels = null;      // string | string[] | null
export const dependsOn = null;         // string | string[] | null
export const message = "Add user settings table";
export const createDate = "2025-11-13 12:00:00.000000";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("user_settings");
}
`);
    expect(header).toEqual({
      revision: "001abc123def",
      downRevision: null,
      branchLabels: null,
      dependsOn: null,
      message: "Add user settings table",
      createDate: "2025-11-13 12:00:00.000000",
      doc: "Add user settings table",
      longDoc: "Add user settings table",
      path: file,
    });
  });

  it.each([
    ["single quotes", "export const revision = 'a1';", { revision: "a1" }],
    ["backticks", "export const revision = `a1`;", { revision: "a1" }],
    [
      "let and var",
      "export let revision = 'a1'; export var downRevision = 'z0';",
      { revision: "a1", downRevision: "z0" },
    ],
    [
      "type annotations",
      'export const revision: string = "a1";\nexport const downRevision: string | string[] | null = null;',
      { downRevision: null },
    ],
    [
      "generic annotations",
      'export const revision = "a1";\nexport const dependsOn: ReadonlyArray<string> | Array<string> = ["x"];',
      { dependsOn: ["x"] },
    ],
    ["a function type annotation", 'export const revision: (() => string) | string = "a1";', { revision: "a1" }],
    [
      "as const arrays with trailing commas",
      'export const revision = "m";\nexport const downRevision = ["a", "b",] as const;',
      { downRevision: ["a", "b"] },
    ],
    ["satisfies", 'export const revision = "a1" satisfies string;', { revision: "a1" }],
    [
      "comments between",
      'export /* c */ const /* c */ revision /* c */ = /* c */ "a1" /* c */; // c',
      { revision: "a1" },
    ],
    [
      "no semicolons",
      'export const revision = "a1"\nexport const downRevision = "z0"\nexport const message = "m"',
      { downRevision: "z0", message: "m" },
    ],
    [
      "one declaration list",
      'export const revision = "a1", downRevision = "z0", branchLabels = "lbl";',
      { downRevision: "z0", branchLabels: ["lbl"] },
    ],
    [
      "undefined as null",
      'export const revision = "a1"; export const downRevision = undefined;',
      { downRevision: null },
    ],
    [
      "escapes",
      String.raw`export const revision = "a1"; export const message = "tab\tquote\"nl\nuni\u00e9\x41\u{1F600}";`,
      { message: 'tab\tquote"nl\nuniéA😀' },
    ],
    [
      "a list of one as a scalar",
      'export const revision = "a1"; export const downRevision = ["z0"];',
      { downRevision: "z0" },
    ],
    [
      "an empty list as null",
      'export const revision = "a1"; export const downRevision = []; export const dependsOn = [];',
      { downRevision: null, dependsOn: null },
    ],
    [
      "duplicate parents once",
      'export const revision = "a1"; export const downRevision = ["z0", "z0"];',
      { downRevision: "z0" },
    ],
    [
      "a string dependsOn as a list",
      'export const revision = "a1"; export const dependsOn = "d";',
      { dependsOn: ["d"] },
    ],
    ["a BOM and a shebang", '\uFEFF#!/usr/bin/env node\nexport const revision = "a1";', { revision: "a1" }],
    ["CRLF line ends", 'export const revision = "a1"\r\nexport const downRevision = "z0"\r\n', { downRevision: "z0" }],
  ])("accepts %s", (_, text, expected) => {
    expect(read(text)).toMatchObject(expected);
  });

  it("ignores declarations that are not at the top level or not exported", () => {
    const header = read(`
      const downRevision = "not-exported";
      function f() { export const revision = "nested"; }
      namespace N { export const revision = "in-namespace"; }
      const s = \`\${"}"} export const revision = "in-template"\`;
      const r = /export const revision = "in-regex"/;
      // export const revision = "in-comment";
      /* export const revision = "in-block-comment"; */
      export const revision = "real";
    `);
    expect(header.revision).toBe("real");
    expect(header.downRevision).toBeNull();
  });

  it("keeps scanning past other exports and code", () => {
    const header = read(`
      import { x } from "./x.js";
      export const other = { a: [1, 2, { b: "}" }], c: 10 / 2 / 1 };
      export function helper(a: number): number { return a / 2; }
      export const revision = "after_code";
      export const downRevision = "z0";
    `);
    expect(header).toMatchObject({ revision: "after_code", downRevision: "z0" });
  });

  it("takes the doc from the leading comment: its first paragraph", () => {
    const header = read(`/**
 * Add a column
 * to the account table
 *
 * Revision ID: a1
 * Revises: z0
 */
export const revision = "a1";
export const message = "something else";
`);
    expect(header.doc).toBe("Add a column\nto the account table");
    expect(header.longDoc).toBe("Add a column\nto the account table\n\nRevision ID: a1\nRevises: z0");
  });

  it("skips a line comment before the doc but not a token", () => {
    expect(read('// @ts-nocheck\n/** Doc */\nexport const revision = "a1";').doc).toBe("Doc");
    expect(
      read('import x from "y";\n/** Not the doc */\nexport const revision = "a1"; export const message = "M";').doc,
    ).toBe("M");
  });

  it("falls back to the message, then to nothing", () => {
    expect(read('export const revision = "a1"; export const message = "Msg";')).toMatchObject({
      doc: "Msg",
      longDoc: "Msg",
    });
    expect(read('export const revision = "a1";')).toMatchObject({
      doc: "",
      longDoc: "",
      message: null,
      createDate: null,
    });
  });

  it.each([
    [
      "no revision",
      "export const downRevision = null;",
      /it has no 'export const revision = "\.\.\."'.*Every migration file must export its id/,
    ],
    [
      "a computed revision",
      'const id = "a1";\nexport const revision = id;',
      /\(line 2\): 'revision' is not a literal value \(found `id`\)/,
    ],
    [
      "a concatenation",
      'export const revision = "a" + "1";',
      /'revision' is not a literal value \(it continues with `\+`\)/,
    ],
    ["a method call", 'export const revision = "a1".trim();', /it continues with `\.`/],
    [
      "an interpolated template",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a file with ${} is the case under test.
      "export const revision = `a${1}`;",
      /'revision' is a template literal with \$\{\} interpolation/,
    ],
    [
      "a non-string element",
      'export const revision = "a1"; export const downRevision = ["z0", other];',
      /an element of 'downRevision' is not a string literal \(found `other`\)/,
    ],
    [
      "a spread",
      'export const revision = "a1"; export const downRevision = [...others];',
      /an element of 'downRevision'/,
    ],
    ["a number", "export const revision = 1;", /'revision' is not a literal value \(found `1`\)/],
    ["null revision", "export const revision = null;", /'revision' must be a non-empty string/],
    ["a list revision", 'export const revision = ["a"];', /'revision' must be a non-empty string/],
    [
      "a list message",
      'export const revision = "a"; export const message = ["a"];',
      /'message' must be a string, not an array/,
    ],
    ["no value", "export let revision;", /'revision' is declared without a value/],
    [
      "illegal characters",
      'export const revision = "a-b";',
      /Character\(s\) '-' not allowed in revision identifier 'a-b'/,
    ],
    [
      "Alembic's down_revision, which would make the file a new root",
      'export const revision = "b2";\nexport const down_revision = "a1";',
      /it exports 'down_revision', Alembic's name, which Retort does not read.*export const downRevision = \.\.\.;/s,
    ],
  ])("rejects %s, naming the file, the reason and the fix", (_, text, message) => {
    const { message: text_, code } = failure(text);
    expect(text_).toMatch(message);
    expect(text_.startsWith(`Can't read the header of ${file}`)).toBe(true);
    expect(code).toBe("SCRIPT_HEADER");
  });

  it("reads downRevision when a comment or the code mentions down_revision", () => {
    expect(
      read('export const revision = "b2";\nexport const downRevision = "a1"; // was down_revision').downRevision,
    ).toBe("a1");
  });

  it.each([
    [
      "an unterminated string",
      'import x from "y";\nconst a = 1;\nconst s = "abc;\nexport const revision = "a1";\n',
      "3:11: unterminated string literal",
    ],
    [
      "an unterminated comment",
      'const a = 1; /* never closed\nexport const revision = "a1";',
      "1:14: unterminated comment",
    ],
    [
      "an unterminated template",
      "const s = `abc;\nexport const revision = 'a1';\nexport const downRevision = null;\n",
      "1:11: unterminated template literal",
    ],
    [
      "an unclosed brace",
      'export function helper() {\n  return 1;\n\nexport const revision = "a1";\nexport const downRevision = null;\n',
      "1:26: unclosed '{'",
    ],
    [
      "a stray closing brace",
      'const a = 1;\n}\nexport const revision = "a1";\nexport const downRevision = null;\n',
      "2:1: unexpected '}'",
    ],
    ["a mismatched bracket", 'const a = f({1);\nexport const revision = "a1";\n', "1:15: '{' is closed by ')'"],
  ])("names %s above the header and its line:column", (_, text, problem) => {
    const { message, code } = failure(text);
    expect(message).toContain(`${file}:${problem} before 'export const revision'. `);
    expect(message).toContain("fix the syntax error");
    expect(message).not.toContain("has no");
    expect(code).toBe("SCRIPT_SYNTAX");
  });

  it("asks esbuild for the syntax error the scanner cannot see", () => {
    // Balanced and terminated, but not valid TypeScript: the `export` is swallowed by a type.
    const { message, code } = failure('type T = {\n  a: string;\n  export const revision = "a1";\n};\n');
    expect(code).toBe("SCRIPT_SYNTAX");
    expect(message).toMatch(new RegExp(`^${file.replaceAll("/", "\\/")}:3:\\d+: .+ before 'export const revision'`));
  });

  it("keeps 'no revision' for a valid file without a header, and the scanner's limit for valid code it misreads", () => {
    expect(failure("export function helper() {\n  return 1;\n}\n").message).toContain(
      "it has no 'export const revision",
    );
    // A division after `++` the scanner takes for a regular expression.
    const misread = failure("let x = 1;\nconst a = x++ / 2;\nexport const revision = 'a1';\n");
    expect(misread.code).toBe("SCRIPT_HEADER");
    expect(misread.message).toMatch(/\(line 2\): unterminated regular expression, before any 'export const revision'/);
  });

  it("tolerates code it cannot scan after the header", () => {
    const header = read('export const revision = "a1";\nexport async function upgrade() { const s = "unclosed\n}');
    expect(header.revision).toBe("a1");
  });

  it("keeps the first of duplicate declarations", () => {
    expect(
      read('export const revision = "a1"; export const message = "first"; export const message = "second";').message,
    ).toBe("first");
  });
});
