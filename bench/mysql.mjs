#!/usr/bin/env node
// Applying 1,000 migrations to MySQL/MariaDB: Retort's overhead per
// migration beyond the statements' own time, beside Alembic with PyMySQL
// where it is installed.
//
//   node bench/mysql.mjs [--count 1000] [--repeats 3] [--no-alembic]
//
// The server is RETORT_BENCH_MYSQL_URL, else RETORT_TEST_MYSQL_URL, else
// mysql://root@127.0.0.1:3306/test. Each run gets a fresh database, dropped
// afterwards. Alembic is RETORT_BENCH_ALEMBIC, else /tmp/alembic-latest's,
// else the one on PATH (it needs PyMySQL). Prints one JSON object on stdout.
//
// MySQL commits every DDL statement by itself, so Retort commits each
// migration with its version row (there is no one transaction to put them
// in). The floors are the statements sent by mysql2 on one session:
// - ddl_s: the 1,000 CREATE TABLE statements alone;
// - ddl_version_rows_s: each CREATE TABLE followed by the version row's
//   INSERT/UPDATE and a COMMIT, as a migration on MySQL must send them.
// - startup_s: a no-op `retort upgrade head` on an up-to-date database
//   (Node, reading the headers, connecting, the lock): paid once per run.
// - retort_s: `retort upgrade head` from an empty database.
// - overhead_per_migration_ms = (retort_s - startup_s - ddl_s) / count, and
//   beyond the version rows: (retort_s - startup_s - ddl_version_rows_s) / count.
// - retort_cpu_per_migration_ms: the CPU time (user + system, from
//   /usr/bin/time) of `upgrade head` beyond a no-op run, per migration:
//   Retort's own work, which the server's fsyncs and a busy disk do not
//   stretch; alembic_cpu_per_migration_ms the same for Alembic (whole run).
// Every round runs each case once, so a shared machine's load weighs on
// all alike; medians are reported, with every run.

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateRetortProject } from "./gen-retort.mjs";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(benchDir, "..");
const cli = path.join(repo, "apps", "cli", "bin", "retort.cjs");
/** Alembic's side of the graph: RETORT_BENCH_GEN_ALEMBIC, else ../shared/bench (beside the repository). */
const genAlembic =
  process.env.RETORT_BENCH_GEN_ALEMBIC ?? path.resolve(repo, "..", "shared", "bench", "gen_alembic.py");
const mysql = createRequire(path.join(repo, "packages", "mysql", "package.json"))("mysql2/promise");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const count = option("--count", 1000);
const repeats = option("--repeats", 3);
const withAlembic = !args.includes("--no-alembic");
const serverUrl =
  process.env.RETORT_BENCH_MYSQL_URL ?? process.env.RETORT_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

const log = (text) => process.stderr.write(`${text}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A mysql2 session on the server, in `database` when given. */
function session(database) {
  const url = new URL(serverUrl);
  return mysql.createConnection({
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    ...(database ? { database } : {}),
  });
}

async function admin(sql) {
  const connection = await session();
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

/** Runs `fn` with a fresh database's name and URL; drops the database afterwards. */
async function withDatabase(fn) {
  const name = `retort_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin(`CREATE DATABASE \`${name}\``);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString(), name);
  } finally {
    await admin(`DROP DATABASE IF EXISTS \`${name}\``);
  }
}

/** /usr/bin/time, to read a child's CPU time (user + system), where it is installed. */
const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/**
 * Runs a command; returns its wall-clock seconds and, with /usr/bin/time,
 * its CPU seconds (user + system): the process's own work, which the
 * server's fsyncs and a shared machine's disk do not stretch.
 */
function measured(what, command, commandArgs, cwd) {
  const cpuFile = path.join(os.tmpdir(), `retort-bench-cpu-${process.pid}.txt`);
  const argv = timeBin ? [timeBin, "-f", "%U %S", "-o", cpuFile, command, ...commandArgs] : [command, ...commandArgs];
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { cwd, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${what} failed:\n${result.stderr}`);
  let cpu = null;
  if (timeBin) {
    const [user, system] = fs.readFileSync(cpuFile, "utf8").trim().split("\n").at(-1).split(" ").map(Number);
    fs.rmSync(cpuFile, { force: true });
    cpu = user + system;
  }
  return { seconds, cpu, stdout: result.stdout };
}

function retort(project, ...cliArgs) {
  return measured(`retort ${cliArgs.join(" ")}`, process.execPath, [cli, ...cliArgs], project);
}

const createTable = (i) =>
  `CREATE TABLE \`t_${i}\` (\n  \`id\` INTEGER NOT NULL,\n  \`name\` VARCHAR(50),\n  PRIMARY KEY (\`id\`)\n)`;

/** The statements alone; with `versionRows`, each followed by its version row and a COMMIT. */
async function floor(versionRows) {
  return withDatabase(async (_url, name) => {
    const connection = await session(name);
    try {
      if (versionRows) {
        await connection.query(
          "CREATE TABLE `alembic_version` (`version_num` VARCHAR(32) NOT NULL, CONSTRAINT `alembic_version_pkc` PRIMARY KEY (`version_num`))",
        );
      }
      const started = process.hrtime.bigint();
      for (let i = 0; i < count; i++) {
        await connection.query(createTable(i));
        if (!versionRows) continue;
        await connection.query("START TRANSACTION");
        if (i === 0) await connection.query("INSERT INTO `alembic_version` (version_num) VALUES (?)", [`r${i}`]);
        else
          await connection.query("UPDATE `alembic_version` SET version_num = ? WHERE version_num = ?", [
            `r${i}`,
            `r${i - 1}`,
          ]);
        await connection.query("COMMIT");
      }
      return Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
      await connection.end();
    }
  });
}

async function retortRun(project) {
  return withDatabase(async (url) => {
    fs.writeFileSync(path.join(project, "retort.config.json"), JSON.stringify({ scriptLocation: "migrations", url }));
    const apply = retort(project, "upgrade", "head");
    const check = retort(project, "current").stdout.trim();
    if (!check.startsWith(`r${String(count - 1).padStart(6, "0")}`)) throw new Error(`unexpected current: ${check}`);
    const startup = retort(project, "upgrade", "head");
    return { apply: apply.seconds, startup: startup.seconds, applyCpu: apply.cpu, startupCpu: startup.cpu };
  });
}

function findAlembic() {
  if (process.env.RETORT_BENCH_ALEMBIC) return process.env.RETORT_BENCH_ALEMBIC;
  if (fs.existsSync("/tmp/alembic-latest/bin/alembic")) return "/tmp/alembic-latest/bin/alembic";
  return spawnSync("which", ["alembic"], { encoding: "utf8" }).stdout.trim() || undefined;
}

/** Alembic's `upgrade head` on a fresh database, or why it cannot run. */
function alembicSetup() {
  if (!withAlembic) return { skipped: "--no-alembic" };
  const alembic = findAlembic();
  if (!alembic) return { skipped: "alembic is not installed (pip install alembic pymysql)" };
  if (!fs.existsSync(genAlembic)) return { skipped: `${genAlembic} not found` };
  const version = spawnSync(alembic, ["--version"], { encoding: "utf8" }).stdout.trim();
  return { alembic, version };
}

async function alembicRun(alembic) {
  return withDatabase(async (url) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-alembic-my-"));
    try {
      const sqlalchemyUrl = url.replace(/^mysql:/, "mysql+pymysql:");
      execFileSync("python3", [genAlembic, dir, String(count), "--url", sqlalchemyUrl]);
      const run = measured("alembic upgrade head", alembic, ["upgrade", "head"], dir);
      const current = spawnSync(alembic, ["current"], { cwd: dir, encoding: "utf8" }).stdout;
      if (!current.includes(`r${String(count - 1).padStart(6, "0")}`)) throw new Error(`alembic current: ${current}`);
      return run;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

async function main() {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-my-"));
  try {
    generateRetortProject(project, count);
    const server = await session();
    const [[{ version }]] = await server.query("SELECT VERSION() AS version");
    await server.end();
    const alembic = alembicSetup();
    log("retort upgrade head, one warm-up run ...");
    await retortRun(project);
    // Each round runs every case once, so the load of a shared machine
    // weighs on all of them alike; the medians are reported.
    const floors = [];
    const withRows = [];
    const runs = [];
    const alembicTimes = [];
    for (let run = 0; run < repeats; run++) {
      log(`round ${run + 1}/${repeats}: floors, retort${alembic.skipped ? "" : ", alembic"} ...`);
      floors.push(await floor(false));
      withRows.push(await floor(true));
      runs.push(await retortRun(project));
      if (!alembic.skipped) alembicTimes.push(await alembicRun(alembic.alembic));
    }
    const ms = (seconds) => Number(((seconds / count) * 1000).toFixed(3));
    const round3 = (seconds) => (seconds === null ? null : Number(seconds.toFixed(3)));
    const ddl = median(floors);
    const ddlRows = median(withRows);
    const apply = median(runs.map((run) => run.apply));
    const startup = median(runs.map((run) => run.startup));
    // Retort's own work: the CPU time of the process beyond a no-op run.
    const cpu = timeBin ? median(runs.map((run) => run.applyCpu - run.startupCpu)) : null;
    const alembicWall = alembicTimes.length > 0 ? median(alembicTimes.map((run) => run.seconds)) : null;
    const alembicCpu = timeBin && alembicTimes.length > 0 ? median(alembicTimes.map((run) => run.cpu)) : null;
    const result = {
      machine: { node: process.version, cpus: os.cpus().length },
      server: `${new URL(serverUrl).host} (${version})`,
      count,
      ddl_s: round3(ddl),
      ddl_version_rows_s: round3(ddlRows),
      retort_s: round3(apply),
      startup_s: round3(startup),
      overhead_per_migration_ms: ms(apply - startup - ddl),
      overhead_beyond_version_rows_ms: ms(apply - startup - ddlRows),
      retort_cpu_per_migration_ms: cpu === null ? null : ms(cpu),
      runs: {
        ddl_s: floors.map(round3),
        ddl_version_rows_s: withRows.map(round3),
        retort_s: runs.map((run) => round3(run.apply)),
        retort_cpu_s: runs.map((run) => round3(run.applyCpu)),
      },
      ...(alembic.skipped
        ? { alembic: alembic.skipped }
        : {
            alembic: alembic.version,
            alembic_s: round3(alembicWall),
            alembic_runs_s: alembicTimes.map((run) => round3(run.seconds)),
            alembic_overhead_per_migration_ms: ms(alembicWall - ddl),
            alembic_cpu_per_migration_ms: alembicCpu === null ? null : ms(alembicCpu),
            ratio: Number((alembicWall / apply).toFixed(2)),
          }),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

await main();
