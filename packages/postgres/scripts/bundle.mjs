#!/usr/bin/env node
// Bundles the compiled package (dist/, from tsc) into one CommonJS file,
// dist/bundle/index.cjs, so that a command that connects reads one file
// instead of about twenty, and the CLI can compile it with a code cache
// (see scripts/bundle-dist.mjs). @retort/core and pg stay external (one
// instance of core's classes). Types stay in dist/ (tsc's .d.ts files).

import { bundleDist } from "../../../scripts/bundle-dist.mjs";

await bundleDist(import.meta.url, { entryPoints: { index: "index.js" }, outdir: "bundle", clean: ["bundle"] });
