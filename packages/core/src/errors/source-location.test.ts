import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { transformSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { compiledModuleFile, formatLocation, locationIn, stackFrames } from "./source-location.js";

const file = path.resolve("/app/migrations/versions/ab12_add.ts");

function errorWithStack(frames: readonly string[], cause?: unknown): Error {
  const error = new Error("boom", { cause });
  error.stack = ["Error: boom", ...frames].join("\n");
  return error;
}

describe("stackFrames", () => {
  it.each([
    ["    at upgrade (/app/migrations/versions/ab12_add.ts:14:11)", { file, line: 14, column: 11 }],
    [`    at async upgrade (${pathToFileURL(file).href}:14:11)`, { file, line: 14, column: 11 }],
    [`    at ${pathToFileURL(file).href}:3:7`, { file, line: 3, column: 7 }],
    [`    at async ${file}:3:7`, { file, line: 3, column: 7 }],
    [
      "    at Object.<anonymous> (/app/a (copy).ts:2:1)",
      { file: path.resolve("/app/a (copy).ts"), line: 2, column: 1 },
    ],
  ])("reads %s", (line, frame) => {
    expect(stackFrames(errorWithStack([line]))).toEqual([frame]);
  });

  it("skips node internals and native frames", () => {
    const error = errorWithStack([
      "    at JSON.parse (<anonymous>)",
      "    at ModuleJob.run (node:internal/modules/esm/module_job:234:25)",
      "    at new Promise (<anonymous>)",
    ]);
    expect(stackFrames(error)).toEqual([]);
  });
});

describe("locationIn", () => {
  it("finds the first frame in the file, in the error or in its causes", () => {
    const thrown = errorWithStack([
      "    at helper (/app/lib/helper.ts:2:9)",
      `    at upgrade (${file}:14:11)`,
      `    at upgrade (${file}:20:3)`,
    ]);
    expect(locationIn(thrown, file)).toEqual({ file, line: 14, column: 11 });
    const wrapper = errorWithStack(["    at run (/app/node_modules/pg/lib/client.js:5:5)"], thrown);
    expect(locationIn(wrapper, file)).toEqual({ file, line: 14, column: 11 });
  });

  it("is undefined when no frame is in the file, or for a value that is not an error", () => {
    expect(locationIn(errorWithStack(["    at run (/app/node_modules/pg/lib/client.js:5:5)"]), file)).toBeUndefined();
    expect(locationIn("boom", file)).toBeUndefined();
  });
});

describe("formatLocation", () => {
  it("is relative to the current folder inside it, absolute outside", () => {
    const location = { file, line: 14, column: 11 };
    expect(formatLocation(location, path.resolve("/app"))).toBe(
      `${path.join("migrations", "versions", "ab12_add.ts")}:14:11`,
    );
    expect(formatLocation(location, path.resolve("/elsewhere"))).toBe(`${file}:14:11`);
  });
});

describe("compiledModuleFile", () => {
  it("reads the source file of a module tsx runs from a data: URL", () => {
    const url =
      "data:text/javascript,__filename%3D%22%2Fapp%2Fm.ts%22%3B(()%3D%3E%7B%7D)()%0A?filePath=%2Fapp%2Fmigrations%2Fversions%2Fa1_x.ts%3Fnamespace%3Dretort";
    expect(compiledModuleFile(url)).toBe("/app/migrations/versions/a1_x.ts");
    expect(compiledModuleFile("/app/a.ts")).toBeUndefined();
  });

  it("gives the file without a line for such a frame", () => {
    const error = new Error("boom");
    error.stack = `Error: boom\n    at upgrade (data:text/javascript,x?filePath=%2Fapp%2Fa1.ts%3Fnamespace%3Dretort:2:1424)`;
    const location = locationIn(error, "/app/a1.ts");
    expect(location).toEqual({ file: "/app/a1.ts", line: 0, column: 0 });
    expect(formatLocation(location as NonNullable<typeof location>, "/app")).toBe("a1.ts");
  });
});

describe("frames of a module Retort compiled", () => {
  // The stack of a module in Retort's cache names the compiled file while
  // Node's source maps are off (Retort leaves them off): the frame is
  // mapped back to the `.ts` source through the module's own source map.
  const dir = mkdtempSync(path.join(tmpdir(), "retort-source-location-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = path.join(dir, "b000_m.ts");
  const text = [
    'import type { Operations } from "@retort/core";',
    "",
    "type Row = { readonly id: number };",
    "export async function upgrade(op: Operations): Promise<void> {",
    "  const rows: Row[] = [];",
    '  if (rows.length === 0) throw new Error("no rows to copy");',
    "}",
  ].join("\n");

  /** The compiled code, and the 1-based line and column of `new Error` in it. */
  function compile(sourcemap: "external" | "inline") {
    const out = transformSync(text, { loader: "ts", format: "cjs", sourcemap, sourcefile: pathToFileURL(source).href });
    const lines = out.code.split("\n");
    const line = lines.findIndex((candidate) => candidate.includes("new Error"));
    return { out, line: line + 1, column: (lines[line] ?? "").indexOf("new Error") + 1 };
  }

  it("reads the source map beside a batch script", () => {
    const { out, line, column } = compile("external");
    const script = path.join(dir, "0123456789abcdef0123456789abcdef01234567.cjs");
    writeFileSync(script, `${out.code}//# sourceMappingURL=0123456789abcdef0123456789abcdef01234567.map\n`);
    writeFileSync(path.join(dir, "0123456789abcdef0123456789abcdef01234567.map"), out.map);
    const error = errorWithStack([`    at upgrade (${script}:${line}:${column})`]);
    expect(stackFrames(error)).toEqual([{ file: source, line: 6, column: 32 }]);
    expect(locationIn(error, source)).toEqual({ file: source, line: 6, column: 32 });
  });

  it("reads the inline source map of a module compiled on its own", () => {
    const { out, line, column } = compile("inline");
    const module = path.join(dir, "fedcba9876543210fedcba9876543210.mjs");
    writeFileSync(module, out.code);
    const error = errorWithStack([`    at upgrade (${pathToFileURL(module).href}:${line}:${column})`]);
    expect(stackFrames(error)).toEqual([{ file: source, line: 6, column: 32 }]);
  });

  it("leaves other files, and a compiled file without a map, as they are", () => {
    const { out, line, column } = compile("external");
    const other = path.join(dir, "helpers.cjs");
    const unmapped = path.join(dir, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.cjs");
    writeFileSync(other, `${out.code}//# sourceMappingURL=0123456789abcdef0123456789abcdef01234567.map\n`);
    writeFileSync(unmapped, out.code);
    const error = errorWithStack([`    at a (${other}:${line}:${column})`, `    at b (${unmapped}:${line}:${column})`]);
    expect(stackFrames(error)).toEqual([
      { file: other, line, column },
      { file: unmapped, line, column },
    ]);
  });
});
