#!/usr/bin/env node
import { main } from "../dist/retort.js";

// V8 keeps 10 frames by default: a database error raised in the driver
// would lose the frame of the migration that ran the statement, which the
// FAILED message shows (`at migrations/versions/ab12_add.ts:14:11`).
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50);
process.exitCode = await main(process.argv.slice(2));
