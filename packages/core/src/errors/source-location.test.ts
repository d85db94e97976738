import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
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
