#!/usr/bin/env node
// Bundles the compiled CLI (dist/, from tsc) into dist/retort.js, which
// bin/retort.js runs, with the parts loaded on demand (the run renderer, the
// commands) in dist/chunks/. Every command paid for resolving and loading
// about twenty-five small modules before doing anything; now a handful.
// @retort/core and the drivers stay external: migrations import the same
// @retort/core, and one instance of its classes must serve both. The entry
// sits in dist/ as main.js does, so `import.meta.url`-relative paths
// (../package.json) stay right.

import { bundleDist } from "../../../scripts/bundle-dist.mjs";

await bundleDist(import.meta.url, {
  entryPoints: { retort: "main.js", "retort-commands": "commands/index.js" },
  outdir: ".",
  clean: "chunks",
  chunkNames: "chunks/[name]-[hash]",
});
