import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadEsbuild, resolveImportedPackages } from "./module-compiler.js";
import { moduleProjects } from "./test-support/module-projects.js";

const project = moduleProjects("retort-resolve-");

/** esbuild with its builds counted. */
function countingEsbuild() {
  const esbuild = loadEsbuild();
  if (typeof esbuild === "string") throw new Error(esbuild);
  const counted = { ...esbuild, builds: 0 };
  counted.build = ((options: Parameters<typeof esbuild.build>[0]) => {
    counted.builds++;
    return esbuild.build(options);
  }) as typeof esbuild.build;
  return counted;
}

describe("resolveImportedPackages", () => {
  it("resolves the packages a source imports, as Node's import would, and each only once", async () => {
    const { folder } = project({});
    const file = path.join(folder, "a1.ts");
    const source = [
      'import { flavour } from "dual";',
      "import type { Operations } from 'no-such-types';",
      'import path from "node:path";',
      'import { helper } from "./helper";',
      'export const message = "import x from \\"not-at-line-start\\"";',
    ].join("\n");
    const esbuild = countingEsbuild();
    // A second batch asking while the first resolution runs waits for it.
    const [urls, during] = await Promise.all([
      resolveImportedPackages(esbuild, [file], new Map([[file, source]])),
      resolveImportedPackages(esbuild, [file], new Map([[file, 'export { flavour } from "dual";']])),
    ]);
    // The `import` condition (esm.mjs), not `require`'s.
    const dual = pathToFileURL(path.join(folder, "node_modules", "dual", "esm.mjs")).href;
    expect(urls.get(`${folder}\0dual`)).toBe(dual);
    expect(during.get(`${folder}\0dual`)).toBe(dual);
    // A package that does not resolve has no entry; built-ins, local files and text that only looks like an import are not asked for.
    expect(urls.has(`${folder}\0no-such-types`)).toBe(false);
    for (const specifier of ["node:path", "./helper", "not-at-line-start"]) {
      expect(urls.has(`${folder}\0${specifier}`)).toBe(false);
    }
    expect(esbuild.builds).toBe(1);
    // Asked again later (the bundle's metafile names the same package): found, no build.
    const after = await resolveImportedPackages(esbuild, [file], new Map([[file, 'import { flavour } from "dual";']]));
    expect(after.get(`${folder}\0dual`)).toBe(dual);
    expect(esbuild.builds).toBe(1);
  });

  it("does not look up a type-only import, which the compiled code does not hold", async () => {
    const { folder } = project({});
    const file = path.join(folder, "retort.config.ts");
    const typesOnly = [
      'import type { RetortConfig } from "dual";',
      "import type * as Types from 'dual';",
      'import type Default from "dual";',
      'export type { Flavour } from "dual";',
    ].join("\n");
    const esbuild = countingEsbuild();
    const none = await resolveImportedPackages(esbuild, [file], new Map([[file, typesOnly]]));
    expect(none.has(`${folder}\0dual`)).toBe(false);
    expect(esbuild.builds).toBe(0);
    // `import type from "x"` imports a default named `type`.
    const used = await resolveImportedPackages(esbuild, [file], new Map([[file, 'import type from "dual";']]));
    expect(used.get(`${folder}\0dual`)).toBe(pathToFileURL(path.join(folder, "node_modules", "dual", "esm.mjs")).href);
    expect(esbuild.builds).toBe(1);
  });
});
