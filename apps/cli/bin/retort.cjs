#!/usr/bin/env node
"use strict";
const { main } = require("../dist/retort.cjs");

// V8 keeps 10 frames by default: a database error raised in the driver
// would lose the frame of the migration that ran the statement, which the
// FAILED message shows (`at migrations/versions/ab12_add.ts:14:11`).
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50);
main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
