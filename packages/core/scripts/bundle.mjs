#!/usr/bin/env node
// Bundles the compiled package (dist/, from tsc) into dist/bundle/: one file
// per entry point (index, dialect, errors) and shared chunks, so that
// importing @retort/core reads a handful of files instead of about a hundred.
// Start-up of every `retort` command pays for that module graph. The entry
// points share their code through the chunks: a class is one object whichever
// entry point it is imported from. Everything lands two folders below the
// package root, as the compiled files are, so `import.meta.url`-relative paths
// (the templates folder) stay right. Types stay in dist/ (tsc's .d.ts files).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const outdir = path.join(dist, "bundle");
fs.rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    index: path.join(dist, "index.js"),
    dialect: path.join(dist, "dialect", "index.js"),
    errors: path.join(dist, "errors", "index.js"),
  },
  outdir,
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
