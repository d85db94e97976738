#!/usr/bin/env node
// Bundles the compiled package (dist/, from tsc) into one module,
// dist/bundle/index.js, so that a command that connects (a no-op `upgrade`,
// `current`) reads one file instead of about thirty: the batch compiler and
// the introspector come with the dialect's module graph and were each a
// separate import. @retort/core and better-sqlite3 stay external (one
// instance of core's classes). Types stay in dist/ (tsc's .d.ts files).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const outdir = path.join(dist, "bundle");
fs.rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { index: path.join(dist, "index.js") },
  outdir,
  bundle: true,
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
