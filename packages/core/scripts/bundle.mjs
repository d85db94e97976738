#!/usr/bin/env node
// Bundles the compiled package (dist/, from tsc) into dist/bundle/: one file
// per entry point (index, dialect, errors) and shared chunks, so that
// importing @retort/core reads a handful of files instead of about a hundred.
// Start-up of every `retort` command pays for that module graph. The entry
// points share their code through the chunks: a class is one object whichever
// entry point it is imported from. Everything lands two folders below the
// package root, as the compiled files are, so `import.meta.url`-relative paths
// (the templates folder) stay right. Types stay in dist/ (tsc's .d.ts files).

import { bundleDist } from "../../../scripts/bundle-dist.mjs";

await bundleDist(import.meta.url, {
  entryPoints: { index: "index.js", commands: "commands.js", dialect: "dialect/index.js", errors: "errors/index.js" },
  outdir: "bundle",
  clean: "bundle",
  chunkNames: "[name]-[hash]",
});
