#!/usr/bin/env node
// Bundles the compiled package (dist/, from tsc) into one CommonJS file,
// dist/bundle/index.cjs, so that a command that connects (a no-op
// `upgrade`, `current`) reads one file instead of about thirty, and the CLI
// can compile it with a code cache (see scripts/bundle-dist.mjs): the batch
// compiler and the introspector come with the dialect's module graph and
// were each a separate import. @retort/core and better-sqlite3 stay external
// (one instance of core's classes). Types stay in dist/ (tsc's .d.ts files).

import { bundleDist } from "../../../scripts/bundle-dist.mjs";

await bundleDist(import.meta.url, { entryPoints: { index: "index.js" }, outdir: "bundle", clean: ["bundle"] });
