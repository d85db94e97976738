#!/usr/bin/env node
"use strict";
// Retort's bundles (this CLI's, @retort/core's, the drivers') are CommonJS
// scripts that load with a V8 code cache from Retort's cache folder (see
// src/code-cache.ts), and find each other without Node's `exports`
// machinery (see src/package-resolver.ts). The hooks go in first.
const args = process.argv.slice(2);
const startup = require("../dist/code-cache.cjs");
startup.installPackageResolver();
const codeCache = startup.installCodeCache(args);
const { main } = require("../dist/retort.cjs");

// V8 keeps 10 frames by default: a database error raised in the driver
// would lose the frame of the migration that ran the statement, which the
// FAILED message shows (`at migrations/versions/ab12_add.ts:14:11`).
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50);
main(args).then((status) => {
  process.exitCode = status;
  codeCache?.save();
});
