#!/usr/bin/env node
// Bundles the compiled package (dist/, from tsc) into dist/bundle/core.cjs,
// with one small file per entry point (index, commands, dialect, errors)
// that hands on that entry's exports, so that importing @retort/core reads
// a few files instead of about a hundred and the CLI can compile it with a
// code cache (see scripts/bundle-dist.mjs). The entry points share one copy
// of the code: a class is one object whichever entry it is imported from.
// Each entry's modules run when it is first required (`retort heads` does
// not run autogenerate's module code). Everything lands two folders below
// the package root, as the compiled files are, so `import.meta.url`-relative
// paths (the templates folder) stay right. Types stay in dist/ (tsc's .d.ts
// files).

import { bundleDist } from "../../../scripts/bundle-dist.mjs";

await bundleDist(import.meta.url, {
  entryPoints: { index: "index.js", commands: "commands.js", dialect: "dialect/index.js", errors: "errors/index.js" },
  outdir: "bundle",
  clean: ["bundle"],
  bundleName: "core",
});
