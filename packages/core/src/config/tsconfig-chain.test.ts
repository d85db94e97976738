import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryFolders } from "./test-support/module-projects.js";
import { CompiledModuleCache } from "./compiled-module-cache.js";
import { flattenTsconfig, parseJsonc } from "./tsconfig-chain.js";

const folderWith = temporaryFolders("retort-tsconfig-");

describe("flattenTsconfig", () => {
  it("follows relative and package extends, later files winning, comments and trailing commas allowed", () => {
    const folder = folderWith({
      "node_modules/preset/package.json": JSON.stringify({ name: "preset", exports: { "./tsconfig": "./base.json" } }),
      "node_modules/preset/base.json": '{ "compilerOptions": { "strict": true, "useDefineForClassFields": false } }',
      "base.json":
        '{\n  // shared\n  "compilerOptions": { "experimentalDecorators": true, /* old */ "strict": false, },\n}',
      "migrations/tsconfig.json":
        '{ "extends": ["../base.json", "preset/tsconfig"], "compilerOptions": { "jsx": "react" } }',
    });
    expect(JSON.parse(flattenTsconfig(path.join(folder, "migrations", "tsconfig.json")) as string)).toEqual({
      compilerOptions: { experimentalDecorators: true, strict: true, useDefineForClassFields: false, jsx: "react" },
    });
  });

  it("gives undefined for an extends it cannot find or a loop", () => {
    const folder = folderWith({
      "missing/tsconfig.json": '{ "extends": "./nope.json" }',
      "a.json": '{ "extends": "./b.json" }',
      "b.json": '{ "extends": "./a.json" }',
    });
    expect(flattenTsconfig(path.join(folder, "missing", "tsconfig.json"))).toBeUndefined();
    expect(flattenTsconfig(path.join(folder, "a.json"))).toBeUndefined();
  });

  it("keeps // and /* inside strings", () => {
    expect(parseJsonc('{ "a": "http://x/*y*/", // c\n "b": [1, 2,], }')).toEqual({ a: "http://x/*y*/", b: [1, 2] });
  });
});

describe("CompiledModuleCache and an extends chain", () => {
  it("compiles again when a file the tsconfig extends changes, and leaves files under a broken chain to the hooks", async () => {
    const folder = folderWith({
      "base.json": '{ "compilerOptions": { "useDefineForClassFields": true } }',
      "migrations/tsconfig.json": '{ "extends": "../base.json" }',
      "migrations/a1.ts": "export class A { x?: number }\nexport const revision: string = 'a1';",
      "broken/tsconfig.json": '{ "extends": "./gone.json" }',
      "broken/b2.ts": "export const revision: string = 'b2';",
    });
    const cache = path.join(folder, "cache");
    const file = path.join(folder, "migrations", "a1.ts");
    const first = await new CompiledModuleCache(cache).source(file);
    expect(first).toHaveProperty("url");
    fs.writeFileSync(path.join(folder, "base.json"), '{ "compilerOptions": { "useDefineForClassFields": false } }');
    const second = await new CompiledModuleCache(cache).source(file);
    expect(second).toHaveProperty("url");
    expect(second).not.toEqual(first);
    expect(await new CompiledModuleCache(cache).source(path.join(folder, "broken", "b2.ts"))).toEqual({
      hooks: "its tsconfig.json (or one it extends) could not be read",
    });
  });
});
