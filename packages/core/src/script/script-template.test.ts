// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${name} is the template syntax under test.
import { describe, expect, it } from "vitest";
import { code, literal, renderCommentText, renderLiteral, renderTemplate } from "./script-template.js";

describe("renderTemplate", () => {
  it("renders data as TypeScript literals, never as code", () => {
    const text = renderTemplate("const a = ${value};\n", { value: literal('"; process.exit(1); "') });
    expect(text).toBe('const a = "\\"; process.exit(1); \\"";\n');
  });

  it("renders the comment filter as text safe in a doc comment", () => {
    const text = renderTemplate("/** ${message | comment} */", { message: literal("ends */ here\nsecond line") });
    expect(text).toBe("/** ends *\\/ here\n * second line */");
  });

  it("indents multi-line code like its placeholder and drops an empty one's line", () => {
    const template = "import x;\n${imports}\nfunction f() {\n  ${body}\n}\n";
    expect(renderTemplate(template, { imports: code(""), body: code("a();\nb();\n\nc();") })).toBe(
      "import x;\nfunction f() {\n  a();\n  b();\n\n  c();\n}\n",
    );
  });

  it("keeps $${ as a literal ${", () => {
    expect(renderTemplate("const s = `$${x}`; ${y}", { y: literal(null) })).toBe("const s = `${x}`; null");
  });

  it.each([
    ["${nope}", /line 1: unknown placeholder \$\{nope\} \(known: a\)/],
    ["\n${a.b}", /line 2: unsupported placeholder \$\{a\.b\}/],
    ["${a | upper}", /unknown filter 'upper'/],
    ["`${a}` ${x", /unclosed \$\{/],
  ])("rejects %s, naming the template and the line", (template, message) => {
    expect(() => renderTemplate(template, { a: literal("v") }, "/app/migrations/script.ts.template")).toThrow(message);
    expect(() => renderTemplate(template, { a: literal("v") }, "/app/migrations/script.ts.template")).toThrow(
      /^\/app\/migrations\/script\.ts\.template, line/,
    );
  });

  it("rejects a filter on code", () => {
    expect(() => renderTemplate("${body | comment}", { body: code("x") })).toThrow(/body is code and takes no filter/);
  });
});

describe("renderLiteral and renderCommentText", () => {
  it.each([
    [null, "null", ""],
    ["abc", '"abc"', "abc"],
    [["a", "b"], '["a", "b"]', "a, b"],
    ["tab\there 'q' \u2028", "\"tab\\there 'q' \u2028\"", "tab\there 'q' \u2028"],
  ])("%j", (value, asLiteral, asComment) => {
    expect(renderLiteral(value)).toBe(asLiteral);
    expect(renderCommentText(value)).toBe(asComment);
  });
});
