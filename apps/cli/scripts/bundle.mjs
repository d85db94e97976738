#!/usr/bin/env node
// Bundles the compiled CLI (dist/, from tsc) into dist/retort.js, which
// bin/retort.js runs, with the parts loaded on demand (the run renderer, the
// commands) in dist/chunks/. Every command paid for resolving and loading
// about twenty-five small modules before doing anything; now a handful.
// @retort/core and the drivers stay external: migrations import the same
// @retort/core, and one instance of its classes must serve both. The entry
// sits in dist/ as main.js does, so `import.meta.url`-relative paths
// (../package.json) stay right.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
fs.rmSync(path.join(dist, "chunks"), { recursive: true, force: true });
await build({
  entryPoints: { retort: path.join(dist, "main.js") },
  outdir: dist,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  // Stack traces need the mappings, not the sources: a smaller map to parse
  // when source maps are on (they are once a compiled module is imported).
  sourcesContent: false,
  logLevel: "warning",
});
