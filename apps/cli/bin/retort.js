#!/usr/bin/env node
// With a command named, its chunk (and @retort/core) starts loading beside
// the entry module instead of after it; `--version` and help alone skip it.
// A failed load is reported where main() imports the same module.
const namesCommand = process.argv.slice(2).some((arg) => !arg.startsWith("-"));
if (namesCommand) import("../dist/retort-commands.js").catch(() => undefined);
const { main } = await import("../dist/retort.js");

// V8 keeps 10 frames by default: a database error raised in the driver
// would lose the frame of the migration that ran the statement, which the
// FAILED message shows (`at migrations/versions/ab12_add.ts:14:11`).
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50);
process.exitCode = await main(process.argv.slice(2));
