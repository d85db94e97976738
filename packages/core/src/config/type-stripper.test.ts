import { describe, expect, it } from "vitest";
import { stripTypes } from "./type-stripper.js";

function stripped(source: string): string {
  const outcome = stripTypes(source);
  if (!outcome.ok) throw new Error(`refused: ${outcome.reason}`);
  expect(outcome.code).toHaveLength(source.length);
  return outcome.code;
}

function refusal(source: string): string {
  const outcome = stripTypes(source);
  if (outcome.ok) throw new Error(`stripped:\n${outcome.code}`);
  return outcome.reason;
}

describe("stripTypes", () => {
  it("blanks what is TypeScript's and leaves every other character where it was", () => {
    const source = [
      'import { column, type Operations } from "@retort/core";',
      'import type { MigrationContext } from "@retort/core";',
      "type Row = { id: number };",
      "interface Named {",
      "  name: string;",
      "}",
      "export const downRevision: string | null = null;",
      "export async function upgrade(op: Operations, rows?: Row[]): Promise<void> {",
      "  const ids = (rows ?? []).map((row: Row): number => row.id!) as number[];",
      "  await op.bulkInsert<Row>(ids satisfies number[], { x: 1 } as const, column);",
      "}",
    ].join("\n");
    expect(stripped(source).split("\n")).toEqual([
      'import { column,                 } from "@retort/core";',
      "                                                     ",
      "                          ",
      "                 ",
      "               ",
      " ",
      "export const downRevision                = null;",
      "export async function upgrade(op            , rows        )                {",
      "  const ids = (rows ?? []).map((row     )         => row.id )            ;",
      "  await op.bulkInsert     (ids                   , { x: 1 }         , column);",
      "}",
    ]);
  });

  it("leaves out an import whose names are only types, as TypeScript does, and keeps a side-effect import", () => {
    const outcome = stripTypes(
      'import { Operations } from "@retort/core";\nimport "./setup.js";\nexport function f(op: Operations) {}',
    );
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.code.split("\n")[0]?.trim()).toBe("");
    expect(outcome.imports.map(({ specifier, named }) => [specifier, named])).toEqual([["./setup.js", []]]);
  });

  it("reads a comparison as a comparison and type arguments before a call as type arguments", () => {
    expect(stripped("for (let i = 0; i < n; i++) if (a < b && c > d) f(x < y, z);")).toBe(
      "for (let i = 0; i < n; i++) if (a < b && c > d) f(x < y, z);",
    );
    expect(stripped("const m = new Map<string, Array<number>>();")).toBe("const m = new Map                       ();");
    // TypeScript reads `a < b > (c)` as a call with a type argument.
    expect(stripped("g(a < b > (c));")).toBe("g(a       (c));");
    // Before what starts an expression on the same line, they were comparisons; before anything else, not.
    expect(stripped("g(a < b > c);")).toBe("g(a < b > c);");
    expect(refusal("const g = f<string>;")).toBe("type arguments without a call");
  });

  it("exports: declarations, and a default that is a call or a literal", () => {
    const outcome = stripTypes(
      "export const a = 1, b: number = 2;\nexport async function up() {}\nexport default defineConfig({ a });",
    );
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.exports).toEqual(["a", "b", "up"]);
    expect(outcome.defaultExport).toBe(outcome.code.indexOf("export default"));
    expect(refusal("type T = number;\nexport default T;")).toBe("an export default it cannot read");
    expect(refusal("export default function () {}")).toBe("an export default it cannot read");
    expect(refusal("export { a };")).toBe("an export list or re-export");
  });

  it("refuses what it cannot read for certain, naming it", () => {
    expect(refusal("enum Colour { Red }")).toBe('"enum"');
    expect(refusal("class A {}")).toBe('"class"');
    expect(refusal("namespace N {}")).toBe('"namespace …"');
    expect(refusal("const x = <number>y;")).toBe("a type assertion or a generic arrow function");
    expect(refusal("@sealed\nfunction f() {}")).toBe("a decorator");
    expect(refusal("function f(this: Window) {}")).toBe("a this parameter");
    expect(refusal("function f(x: string): void;\nfunction f(x: string) {}")).toBe("a function without a body");
    expect(refusal("let x!: number;")).toBe("a definite assignment");
    expect(refusal("if (a) {}\n/re/.test(s);")).toBe('a "/" after "}"');
    expect(refusal('import x = require("y");')).toBe("import = require()");
    expect(refusal("return 1;")).toBe("a return outside a function");
    expect(refusal("const f = (a: number)\n  : number => a;")).toBe("a line break in an arrow function's return type");
    // A local of an import's name (TypeScript tells the two apart; blanking does not).
    expect(refusal('import { a } from "x";\nexport function f(a: number) { return a; }')).toBe(
      "a declaration shadowing the import a",
    );
    expect(refusal('import { a } from "x";\nconst v = c ? a : 1;')).toBe('the import a used only before a ":"');
  });

  it("keeps statements apart where a blanked one ended the one before at its line break", () => {
    // Without the `;`, JavaScript would read `foo()(bar)()`.
    expect(stripped("foo()\ntype A = B\n(bar)()")).toBe("foo()\n;         \n(bar)()");
    expect(stripped("foo();\ntype A = B\n(bar)()")).toBe("foo();\n          \n(bar)()");
    expect(stripped("foo()\ninterface A {}\nbar()")).toBe("foo()\n              \nbar()");
    // The body of `if`: blanked, the next statement would become it.
    expect(stripped("if (a) type A = string\nc()")).toBe("if (a) ;              \nc()");
    // `as` binds as `<` does: blanked, `*` would bind first.
    expect(refusal("a + b as any * c")).toBe('"*" after "as …"');
    expect(stripped("a + (b as any) * c")).toBe("a + (b       ) * c");
    // A block's `}` is not an object literal's.
    expect(stripped("if (a) {} as\nb")).toBe("if (a) {} as\nb");
    // TypeScript reads these as comparisons, or cannot tell: left alone or refused, never blanked.
    expect(refusal("a < (b > c) > (d)")).toBe("a parenthesized type it cannot read");
    expect(refusal('let x\n/a!b/.test("s")')).toBe('a "/" at the start of a line');
    // TypeScript ends `y as T` at the line break; JavaScript would call `y`.
    expect(refusal("const x = y as T\n(z)()")).toBe('"as" at the end of a line before "("');
    expect(stripped("const x = y as T\nz()")).toBe("const x = y     \nz()");
  });

  it("tells a regular expression from a division by what comes before it", () => {
    const source = "if (ok) /x as y/.test(s);\nconst half = (a + b) / 2 / c;\nconst r = [1] as number[];";
    expect(stripped(source)).toBe(
      "if (ok) /x as y/.test(s);\nconst half = (a + b) / 2 / c;\nconst r = [1]            ;",
    );
  });
});
