#!/usr/bin/env node
// Applying 1,000 migrations to PostgreSQL: Retort's overhead per migration
// beyond the DDL's own time, beside Alembic where it is installed.
//
//   node bench/postgres.mjs [--count 1000] [--repeats 3] [--no-alembic]
//
// The server is RETORT_BENCH_POSTGRES_URL, else RETORT_TEST_POSTGRES_URL,
// else postgresql://postgres@127.0.0.1:5432/postgres. Each run gets a fresh
// database, dropped afterwards. Prints one JSON object on stdout.
//
// - ddl_s: the same 1,000 CREATE TABLE statements sent by pg in one
//   transaction: the floor, the database's own work.
// - startup_s: a no-op `retort upgrade head` on an up-to-date database
//   (Node, reading the headers, connecting, the lock): paid once per run.
// - retort_s: `retort upgrade head` from an empty database.
// - overhead_per_migration_ms: the median over the runs of
//   (retort - startup - ddl) / count, each run paired with a floor measured
//   just before it (overhead_runs_ms lists them).

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateRetortProject } from "./gen-retort.mjs";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(benchDir, "..");
const cli = path.join(repo, "apps", "cli", "bin", "retort.js");
const genAlembic = path.resolve(repo, "..", "shared", "bench", "gen_alembic.py");
const pg = createRequire(path.join(repo, "packages", "postgres", "package.json"))("pg");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const count = option("--count", 1000);
const repeats = option("--repeats", 3);
const withAlembic = !args.includes("--no-alembic");
const serverUrl =
  process.env.RETORT_BENCH_POSTGRES_URL ??
  process.env.RETORT_TEST_POSTGRES_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

const log = (text) => process.stderr.write(`${text}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function admin(sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a fresh database's URL; drops the database afterwards. */
async function withDatabase(fn) {
  const name = `retort_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

function timed(fn) {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function retort(project, ...cliArgs) {
  const result = spawnSync(process.execPath, [cli, ...cliArgs], { cwd: project, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`retort ${cliArgs.join(" ")} failed:\n${result.stderr}`);
  return result;
}

async function ddlFloor() {
  return withDatabase(async (url) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const started = process.hrtime.bigint();
      await client.query("BEGIN");
      for (let i = 0; i < count; i++) {
        await client.query(`CREATE TABLE "t_${i}" ("id" INTEGER NOT NULL, "name" VARCHAR(50), PRIMARY KEY ("id"))`);
      }
      await client.query("COMMIT");
      return Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
      await client.end();
    }
  });
}

async function retortRun(project) {
  return withDatabase(async (url) => {
    fs.writeFileSync(path.join(project, "retort.config.json"), JSON.stringify({ scriptLocation: "migrations", url }));
    const apply = timed(() => retort(project, "upgrade", "head"));
    const check = retort(project, "current").stdout.trim();
    if (!check.startsWith(`r${String(count - 1).padStart(6, "0")}`)) throw new Error(`unexpected current: ${check}`);
    const startup = timed(() => retort(project, "upgrade", "head"));
    return { apply, startup };
  });
}

async function alembicRun() {
  if (!withAlembic) return { skipped: "--no-alembic" };
  const alembic = spawnSync("which", ["alembic"], { encoding: "utf8" }).stdout.trim();
  if (!alembic) return { skipped: "alembic is not installed (apt-get install -y alembic python3-psycopg2)" };
  if (!fs.existsSync(genAlembic)) return { skipped: `${genAlembic} not found` };
  const times = [];
  for (let run = 0; run < repeats; run++) {
    const seconds = await withDatabase(async (url) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-alembic-pg-"));
      try {
        const sqlalchemyUrl = url.replace(/^postgresql:/, "postgresql+psycopg2:");
        execFileSync("python3", [genAlembic, dir, String(count), "--url", sqlalchemyUrl]);
        return timed(() => {
          const result = spawnSync(alembic, ["upgrade", "head"], { cwd: dir, encoding: "utf8" });
          if (result.status !== 0) throw new Error(`alembic upgrade head failed:\n${result.stderr}`);
        });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    times.push(seconds);
  }
  return { seconds: median(times), runs: times };
}

async function main() {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-pg-"));
  try {
    generateRetortProject(project, count);
    // The floor and Retort's run alternate, and the overhead is taken per
    // pair: on this shared VM the floor alone moves by 25% from minute to
    // minute, more than the overhead being measured.
    log("retort upgrade head (one warm-up run first) ...");
    await retortRun(project);
    log(`${repeats} pairs: DDL floor (${count} CREATE TABLEs in one transaction), then retort upgrade head ...`);
    const floors = [];
    const runs = [];
    const overheads = [];
    for (let run = 0; run < repeats; run++) {
      const floor = await ddlFloor();
      const retortTimes = await retortRun(project);
      floors.push(floor);
      runs.push(retortTimes);
      overheads.push(((retortTimes.apply - retortTimes.startup - floor) / count) * 1000);
    }
    log("alembic upgrade head ...");
    const alembic = await alembicRun();
    const ddl = median(floors);
    const apply = median(runs.map((run) => run.apply));
    const startup = median(runs.map((run) => run.startup));
    const result = {
      machine: { node: process.version, cpus: os.cpus().length },
      server: new URL(serverUrl).host,
      count,
      ddl_s: Number(ddl.toFixed(3)),
      retort_s: Number(apply.toFixed(3)),
      startup_s: Number(startup.toFixed(3)),
      overhead_per_migration_ms: Number(median(overheads).toFixed(3)),
      overhead_runs_ms: overheads.map((ms) => Number(ms.toFixed(3))),
      goal_overhead_ms: 0.2,
      ...(alembic.skipped
        ? { alembic: alembic.skipped }
        : {
            alembic_s: Number(alembic.seconds.toFixed(3)),
            ratio: Number((alembic.seconds / apply).toFixed(2)),
          }),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

await main();
