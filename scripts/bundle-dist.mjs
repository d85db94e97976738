// The esbuild step every bundled package's build runs after tsc: the
// compiled dist/ files become a few modules, so a command reads a handful of
// files instead of dozens. Packages stay external (one instance of
// @retort/core's classes for the CLI, the drivers and the migrations). Types
// stay in dist/ (tsc's .d.ts files). Each package's scripts/bundle.mjs says
// what it bundles and why.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * @param {string} scriptUrl the calling script's `import.meta.url` (in <package>/scripts/)
 * @param {{ entryPoints: Record<string, string>, outdir: string, clean: string, chunkNames?: string }} options
 *   entry points, output folder and the folder to empty first, relative to the package's dist/;
 *   `chunkNames` turns on code splitting (shared chunks) when there are several entry points or lazy imports
 */
export async function bundleDist(scriptUrl, { entryPoints, outdir, clean, chunkNames }) {
  const dist = path.join(path.dirname(fileURLToPath(scriptUrl)), "..", "dist");
  fs.rmSync(path.join(dist, clean), { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, file]) => [name, path.join(dist, file)])),
    outdir: path.join(dist, outdir),
    ...(chunkNames === undefined ? {} : { splitting: true, chunkNames }),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    // The map sits beside each bundle without a `sourceMappingURL` comment
    // in it. Source maps are on once a compiled config or migration is
    // imported, and from then on Node reads and parses the map of every
    // module that names one as it loads: a driver package loaded after the
    // config cost 10 ms of parsing per command, for frames of Retort's own
    // code that no message shows. A maintainer maps such a frame with the
    // `.map` file next to the bundle (the mappings only, not the sources).
    sourcemap: "external",
    sourcesContent: false,
    logLevel: "warning",
  });
}
