#!/usr/bin/env node
// Diagnostic for the PostgreSQL row of issue #12: Retort's own work between
// two migrations' statements with the server's wait taken out, to tell the
// code's share from the host's.
//
//   node bench/pg-own-work-probe.mjs [--count 1000] [--repeats 5] [--waits 0,3]
//
// Runs `retort upgrade head` on a fresh database of RETORT_BENCH_POSTGRES_URL
// (else RETORT_TEST_POSTGRES_URL, else the local server) with
// bench/pg-answer-locally.cjs preloaded: each migration's CREATE TABLE is
// answered in the process, after each of `--waits` milliseconds (0: on the
// event loop's next turn, no sleep; 3: a timer, as long as a CREATE TABLE
// takes on this server, during which the thread sleeps). Prints one JSON
// object: per wait, the median over the runs of the mean and of the median
// gap (from an answer to the next statement handed to pg), in ms.
//
// On a host where a sleeping thread's caches are taken by others (a shared
// VM), the same code takes several times longer after a 3 ms sleep than
// back to back: the PostgreSQL row measures that too. Not a goal, not a test.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateRetortProject } from "./gen-retort.mjs";
import { defaultServerUrl, retortWith, withDatabase } from "./postgres.mjs";

const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), "pg-answer-locally.cjs");
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : args[index + 1];
};
const count = Number(option("--count", "1000"));
const repeats = Number(option("--repeats", "5"));
const waits = String(option("--waits", "0,3")).split(",").map(Number);
const o = { serverUrl: defaultServerUrl() };

const project = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-pg-probe-"));
try {
  generateRetortProject(project, count);
  const run = (waitMs) =>
    withDatabase(o, async (url) => {
      fs.writeFileSync(path.join(project, "retort.config.json"), JSON.stringify({ scriptLocation: "migrations", url }));
      const timesFile = path.join(project, "gaps.json");
      const env = { RETORT_BENCH_PG_TIMES: timesFile, RETORT_BENCH_ANSWER_AFTER_MS: String(waitMs) };
      retortWith(project, ["--require", preload], env, ["upgrade", "head"]);
      const { gaps } = JSON.parse(fs.readFileSync(timesFile, "utf8"));
      if (gaps.length !== count - 1) throw new Error(`timed ${gaps.length} gaps of ${count - 1}`);
      return { mean: mean(gaps), median: median(gaps) };
    });
  // Two warm-up runs, as bench/postgres.mjs: the CLI's code cache holds the migrations' code after them.
  await run(0);
  await run(0);
  const runs = Object.fromEntries(waits.map((wait) => [wait, []]));
  // The waits alternate, so that a slower minute of the host weighs on each.
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const wait of waits) {
      runs[wait].push(await run(wait));
      process.stderr.write(`wait ${wait} ms, run ${repeat + 1}: mean gap ${runs[wait].at(-1).mean.toFixed(3)} ms\n`);
    }
  }
  const result = {
    machine: { node: process.version, cpus: os.cpus().length },
    count,
    gaps_ms: Object.fromEntries(
      waits.map((wait) => [
        `wait_${wait}_ms`,
        {
          mean: Number(median(runs[wait].map((r) => r.mean)).toFixed(3)),
          median: Number(median(runs[wait].map((r) => r.median)).toFixed(3)),
          runs_mean: runs[wait].map((r) => Number(r.mean.toFixed(3))),
        },
      ]),
    ),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  fs.rmSync(project, { recursive: true, force: true });
}
