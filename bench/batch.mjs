#!/usr/bin/env node
// SQLite batch rebuild of a large table: rows per second, beside the floor
// (the same move-and-copy written by hand) and Alembic's batch mode.
//
//   node bench/batch.mjs [--rows 1000000] [--repeats 3] [--no-alembic]
//
// The table: id INTEGER PRIMARY KEY, a INTEGER, s VARCHAR(32), d REAL, with
// one index on a. The migration changes the type of `d` inside
// batchAlterTable (recreate "always"), which forces the rebuild.
// Prints one JSON object on stdout.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(benchDir, "..");
const cli = path.join(repo, "apps", "cli", "bin", "retort.cjs");
const cliNodeModules = path.join(repo, "apps", "cli", "node_modules");
const Database = createRequire(path.join(repo, "packages", "sqlite", "package.json"))("better-sqlite3");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const rows = option("--rows", 1_000_000);
const repeats = option("--repeats", 3);
const withAlembic = !args.includes("--no-alembic");
const log = (text) => process.stderr.write(`${text}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A file holding `big` with `rows` rows and one index, plus Retort's version table at r0. */
function seed(file) {
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  db.exec(`CREATE TABLE big (id INTEGER NOT NULL, a INTEGER, s VARCHAR(32), d REAL, PRIMARY KEY (id));
    CREATE INDEX ix_big_a ON big (a);
    CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
    INSERT INTO alembic_version VALUES ('r0');`);
  const insert = db.prepare("INSERT INTO big (id, a, s, d) VALUES (?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(i, i % 1000, `s${i}`.padEnd(32, "x"), i / 3);
  })();
  db.close();
}

function timed(fn) {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function floor(file) {
  const db = new Database(file);
  try {
    return timed(() => {
      db.exec(`BEGIN IMMEDIATE;
        CREATE TABLE _tmp_big (id INTEGER NOT NULL, a INTEGER, s VARCHAR(32), d NUMERIC(10, 2), PRIMARY KEY (id));
        INSERT INTO _tmp_big (id, a, s, d) SELECT id, a, s, CAST(d AS NUMERIC(10, 2)) FROM big;
        DROP TABLE big;
        ALTER TABLE _tmp_big RENAME TO big;
        CREATE INDEX ix_big_a ON big (a);
        COMMIT;`);
    });
  } finally {
    db.close();
  }
}

function retortProject(dir) {
  fs.mkdirSync(path.join(dir, "migrations", "versions"), { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), '{"type":"module","private":true}');
  if (!fs.existsSync(path.join(dir, "node_modules")))
    fs.symlinkSync(cliNodeModules, path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(
    path.join(dir, "retort.config.json"),
    JSON.stringify({ scriptLocation: "migrations", url: "sqlite:///bench.db" }),
  );
  fs.writeFileSync(
    path.join(dir, "migrations", "versions", "r0_base.ts"),
    'export const revision = "r0";\nexport const downRevision = null;\nexport async function upgrade() {}\nexport async function downgrade() {}\n',
  );
  fs.writeFileSync(
    path.join(dir, "migrations", "versions", "r1_batch.ts"),
    [
      'import { numeric, type Operations } from "@retort/core";',
      'export const revision = "r1";',
      'export const downRevision = "r0";',
      "export async function upgrade(op: Operations): Promise<void> {",
      '  await op.batchAlterTable("big", { recreate: "always" }, async (batch) => {',
      '    await batch.alterColumn("d", { type: numeric(10, 2) });',
      "  });",
      "}",
      "export async function downgrade(): Promise<void> {}",
    ].join("\n"),
  );
}

function alembicProject(dir, file) {
  fs.mkdirSync(path.join(dir, "alembic", "versions"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "alembic.ini"),
    `[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///${file}\n`,
  );
  fs.writeFileSync(
    path.join(dir, "alembic", "env.py"),
    [
      "from alembic import context",
      "from sqlalchemy import engine_from_config, pool",
      "config = context.config",
      "engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.', poolclass=pool.NullPool)",
      "with engine.connect() as connection:",
      "    context.configure(connection=connection)",
      "    with context.begin_transaction():",
      "        context.run_migrations()",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "alembic", "script.py.mako"), "");
  fs.writeFileSync(
    path.join(dir, "alembic", "versions", "r0.py"),
    "revision = 'r0'\ndown_revision = None\ndef upgrade(): pass\ndef downgrade(): pass\n",
  );
  fs.writeFileSync(
    path.join(dir, "alembic", "versions", "r1.py"),
    [
      "from alembic import op",
      "import sqlalchemy as sa",
      "revision = 'r1'",
      "down_revision = 'r0'",
      "def upgrade():",
      "    with op.batch_alter_table('big', recreate='always') as batch:",
      "        batch.alter_column('d', type_=sa.Numeric(10, 2))",
      "def downgrade(): pass",
    ].join("\n"),
  );
}

function run(command, commandArgs, cwd) {
  const result = spawnSync(command, commandArgs, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed:\n${result.stderr}`);
  return result;
}

/** The duration Retort reports for the batch migration's step, in seconds. */
function stepSeconds(stderr) {
  const match = /Finished upgrade r0 -> r1 in ([\d.]+) (ms|s)/.exec(stderr);
  if (!match) throw new Error(`no progress line for r1 in:\n${stderr}`);
  return Number(match[1]) / (match[2] === "ms" ? 1000 : 1);
}

function count(file) {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT count(*) AS n FROM big").get().n;
  } finally {
    db.close();
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-batch-"));
try {
  const file = path.join(work, "bench.db");
  const result = { machine: { node: process.version, cpus: os.cpus().length }, rows, results: {} };
  const measure = (name, prepare, fn) => {
    const times = [];
    for (let i = 0; i < repeats; i++) {
      log(`${name} ${i + 1}/${repeats} ...`);
      seed(file);
      prepare?.();
      times.push(timed(fn));
      if (count(file) !== rows) throw new Error(`${name}: row count changed`);
    }
    const seconds = median(times);
    result.results[name] = { seconds: Number(seconds.toFixed(3)), rows_per_second: Math.round(rows / seconds) };
  };
  measure("floor", undefined, () => floor(file));
  // The rebuild alone, in this process through the driver's API: what
  // batchAlterTable costs once the migration module is loaded.
  const { driver } = await import(pathToFileURL(path.join(repo, "packages", "sqlite", "dist", "index.js")).href);
  const core = await import(pathToFileURL(path.join(repo, "packages", "core", "dist", "bundle", "index.js")).href);
  const apiTimes = [];
  for (let i = 0; i < repeats; i++) {
    log(`rebuild through the driver ${i + 1}/${repeats} ...`);
    seed(file);
    const connection = await driver.connect(core.parseDatabaseUrl(`sqlite:///${file}`));
    const started = process.hrtime.bigint();
    await connection.begin();
    // As a run does it: the dialect compiles the rebuild after reading the
    // table, and the statement sink sends each statement.
    const statements = await connection.dialect.compileRebuild(
      {
        kind: "batchAlterTable",
        table: "big",
        options: { recreate: "always" },
        steps: [{ kind: "alterColumn", table: "big", column: "d", type: core.numeric(10, 2) }],
      },
      {
        offline: false,
        read: async (sql, parameters) => (await connection.query(sql, parameters ?? [])).rows,
        warn: (message) => log(`warning: ${message}`),
        progress: false,
      },
    );
    const sink = new core.ConnectionStatementSink(connection);
    for (const statement of statements) await sink.execute(statement);
    await connection.commit();
    apiTimes.push(Number(process.hrtime.bigint() - started) / 1e9);
    await connection.close();
    if (count(file) !== rows) throw new Error("rebuild through the driver: row count changed");
  }
  const apiSeconds = median(apiTimes);
  result.results.retort_rebuild = {
    seconds: Number(apiSeconds.toFixed(3)),
    rows_per_second: Math.round(rows / apiSeconds),
  };
  retortProject(work);
  const steps = [];
  measure("retort", undefined, () => {
    steps.push(stepSeconds(run(process.execPath, [cli, "upgrade", "head"], work).stderr));
  });
  // The step's own duration: the rebuild, without Node's start-up and the command's reading of the scripts.
  result.results.retort.step_seconds = Number(median(steps).toFixed(3));
  // The CLI's fixed cost (Node, headers, connecting): a no-op run on the migrated file.
  const startup = median(
    Array.from({ length: 3 }, () => timed(() => run(process.execPath, [cli, "-q", "upgrade", "head"], work))),
  );
  result.results.retort.startup_seconds = Number(startup.toFixed(3));
  result.results.retort.rebuild_seconds = Number((result.results.retort.seconds - startup).toFixed(3));
  const alembic = withAlembic ? spawnSync("which", ["alembic"], { encoding: "utf8" }).stdout.trim() : "";
  if (alembic) {
    const dir = path.join(work, "alembic-project");
    alembicProject(dir, file);
    measure(
      "alembic",
      () => run(alembic, ["stamp", "r0"], dir),
      () => run(alembic, ["upgrade", "head"], dir),
    );
  } else {
    result.results.alembic = withAlembic ? "alembic is not installed" : "--no-alembic";
  }
  const floorSeconds = result.results.floor.seconds;
  result.rebuild_vs_floor = Number((result.results.retort_rebuild.seconds / floorSeconds).toFixed(2));
  result.cli_step_vs_floor = Number((result.results.retort.step_seconds / floorSeconds).toFixed(2));
  result.goal = "the rebuild within 1.1x of the floor (rebuild_vs_floor)";
  if (typeof result.results.alembic === "object") {
    result.alembic_vs_retort = Number((result.results.alembic.seconds / result.results.retort.seconds).toFixed(2));
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
