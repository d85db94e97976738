#!/usr/bin/env node
// Bundles the compiled CLI (dist/, from tsc) into two CommonJS files:
// dist/code-cache.cjs, which bin/retort.cjs loads first (it compiles the
// others with a V8 code cache, see src/code-cache.ts), and dist/retort.cjs,
// the CLI itself, whose commands' modules run only once a command is named
// (`retort --version` does not load @retort/core's commands). Every command
// paid for resolving and loading about twenty-five small modules before
// doing anything; now two files and core's. @retort/core and the drivers
// stay external: migrations import the same @retort/core, and one instance
// of its classes must serve both. The bundles sit in dist/ as main.js does,
// so `import.meta.url`-relative paths (../package.json) stay right.

import { bundleDist } from "../../../scripts/bundle-dist.mjs";

// What earlier builds left: the ES module bundles and their chunks.
const stale = ["chunks", "retort.js", "retort.js.map", "retort-commands.js", "retort-commands.js.map"];
await bundleDist(import.meta.url, { entryPoints: { "code-cache": "code-cache.js" }, outdir: ".", clean: stale });
await bundleDist(import.meta.url, { entryPoints: { retort: "main.js" }, outdir: ".", clean: [] });
