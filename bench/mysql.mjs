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
    const apply = timed(() => retort(project, "upgrade", "head"));
    const check = retort(project, "current").stdout.trim();
    if (!check.startsWith(`r${String(count - 1).padStart(6, "0")}`)) throw new Error(`unexpected current: ${check}`);
    const startup = timed(() => retort(project, "upgrade", "head"));
    return { apply, startup };
  });
}

function findAlembic() {
  if (process.env.RETORT_BENCH_ALEMBIC) return process.env.RETORT_BENCH_ALEMBIC;
  if (fs.existsSync("/tmp/alembic-latest/bin/alembic")) return "/tmp/alembic-latest/bin/alembic";
  return spawnSync("which", ["alembic"], { encoding: "utf8" }).stdout.trim() || undefined;
}

async function alembicRun() {
  if (!withAlembic) return { skipped: "--no-alembic" };
  const alembic = findAlembic();
  if (!alembic) return { skipped: "alembic is not installed (pip install alembic pymysql)" };
  if (!fs.existsSync(genAlembic)) return { skipped: `${genAlembic} not found` };
  const version = spawnSync(alembic, ["--version"], { encoding: "utf8" }).stdout.trim();
  const times = [];
  for (let run = 0; run < repeats; run++) {
    const seconds = await withDatabase(async (url) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-alembic-my-"));
      try {
        const sqlalchemyUrl = url.replace(/^mysql:/, "mysql+pymysql:");
        execFileSync("python3", [genAlembic, dir, String(count), "--url", sqlalchemyUrl]);
        const seconds = timed(() => {
          const result = spawnSync(alembic, ["upgrade", "head"], { cwd: dir, encoding: "utf8" });
          if (result.status !== 0) throw new Error(`alembic upgrade head failed:\n${result.stderr}`);
        });
        const current = spawnSync(alembic, ["current"], { cwd: dir, encoding: "utf8" }).stdout;
        if (!current.includes(`r${String(count - 1).padStart(6, "0")}`)) throw new Error(`alembic current: ${current}`);
        return seconds;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    times.push(seconds);
  }
  return { seconds: median(times), runs: times, version };
}

async function main() {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-my-"));
  try {
    generateRetortProject(project, count);
    const server = await session();
    const [[{ version }]] = await server.query("SELECT VERSION() AS version");
    await server.end();
    log(`floors: ${count} CREATE TABLEs, alone and with their version rows ...`);
    const floors = [];
    const withRows = [];
    for (let run = 0; run < repeats; run++) {
      floors.push(await floor(false));
      withRows.push(await floor(true));
    }
    log("retort upgrade head (one warm-up run first) ...");
    await retortRun(project);
    const runs = [];
    for (let run = 0; run < repeats; run++) runs.push(await retortRun(project));
    log("alembic upgrade head ...");
    const alembic = await alembicRun();
    const ddl = median(floors);
    const ddlRows = median(withRows);
    const apply = median(runs.map((run) => run.apply));
    const startup = median(runs.map((run) => run.startup));
    const perMigration = (seconds) => Number((((apply - startup - seconds) / count) * 1000).toFixed(3));
    const result = {
      machine: { node: process.version, cpus: os.cpus().length },
      server: `${new URL(serverUrl).host} (${version})`,
      count,
      ddl_s: Number(ddl.toFixed(3)),
      ddl_version_rows_s: Number(ddlRows.toFixed(3)),
      retort_s: Number(apply.toFixed(3)),
      startup_s: Number(startup.toFixed(3)),
      overhead_per_migration_ms: perMigration(ddl),
      overhead_beyond_version_rows_ms: perMigration(ddlRows),
      runs: { ddl_s: floors, ddl_version_rows_s: withRows, retort_s: runs.map((run) => run.apply) },
      ...(alembic.skipped
        ? { alembic: alembic.skipped }
        : {
            alembic: alembic.version,
            alembic_s: Number(alembic.seconds.toFixed(3)),
            alembic_runs_s: alembic.runs,
            alembic_overhead_per_migration_ms: Number((((alembic.seconds - ddl) / count) * 1000).toFixed(3)),
            ratio: Number((alembic.seconds / apply).toFixed(2)),
          }),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

await main();
