import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  types: [],
  skipLibCheck: true,
};

/**
 * Type-checks `file` (with `text` in place of its content when given)
 * against the built `@retort/core`, as a project's migration is checked.
 */
function diagnostics(file: string, text?: string): { line: number; code: number; text: string }[] {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) =>
    text !== undefined && path.resolve(name) === file
      ? ts.createSourceFile(name, text, version)
      : read(name, version, onError, create);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ({
    line: diagnostic.file ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1 : 0,
    code: diagnostic.code,
    text: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
  }));
}

describe("the dialect name type", () => {
  it.each([
    ["dialect-name-typo", '"postgres"'],
    ["dialect-name-registered", '"cockroach"'],
  ])("%s: each line marked @ts-expect-error is a type error (%s), and nothing else", (name, literal) => {
    const file = path.join(here, "types", `${name}.fixture.ts`);
    expect(diagnostics(file)).toEqual([]);
    // Without the markers, the lines after them fail with TS2367, and only they.
    const lines = readFileSync(file, "utf8").split("\n");
    const marked = lines.flatMap((line, index) => (line.includes("@ts-expect-error") ? [index + 2] : []));
    expect(marked.length).toBeGreaterThan(0);
    const unmarked = lines.map((line) => (line.includes("@ts-expect-error") ? "" : line)).join("\n");
    const found = diagnostics(file, unmarked);
    expect(found.map((diagnostic) => diagnostic.line)).toEqual(marked);
    for (const diagnostic of found) {
      expect(diagnostic.code).toBe(2367);
      expect(diagnostic.text).toContain(`and '${literal}' have no overlap`);
    }
  });
});
