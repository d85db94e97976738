#!/usr/bin/env node
// Autogenerate against a large schema: `retort check` beside `alembic check`
// on SQLite, PostgreSQL and MySQL/MariaDB, and the number of queries Retort's
// reflection sends.
//
//   node bench/autogenerate.mjs [--tables 500] [--repeats 5] [--no-alembic] [--only sqlite|postgres|mysql] [--keep]
//
// Each table t_<i>: id INTEGER primary key, parent_id INTEGER with a foreign
// key to t_<i-1>.id (t_0 to itself), name VARCHAR(50) NOT NULL, value
// INTEGER, a CHECK (value >= 0) and two indexes (name, parent_id). The
// database gets that schema; the declared schema (Retort's `table(...)`
// module, SQLAlchemy MetaData for Alembic) differs in five places, so both
// tools report the same small diff: a new table t_new, a new column
// t_1.extra, a new index ix_t_2_value, a removed index ix_t_3_name and
// t_4.name made nullable.
//
// PostgreSQL: RETORT_BENCH_POSTGRES_URL, else RETORT_TEST_POSTGRES_URL, else
// postgresql://postgres@127.0.0.1:5432/postgres; the bench creates its
// databases and drops them. MySQL/MariaDB: RETORT_TEST_MYSQL_URL, else
// mysql://root@127.0.0.1:3306/test (the server;
// the bench creates its databases there and drops them). Alembic: `alembic`
// on PATH (1.9+ for `check`), with psycopg2 for PostgreSQL and PyMySQL for
// MySQL. Prints one JSON object on stdout. See bench/README.md.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cliNodeModules } from "./gen-retort.mjs";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(benchDir, "..");
const cli = path.join(repo, "apps", "cli", "bin", "retort.cjs");
const Database = createRequire(path.join(repo, "packages", "sqlite", "package.json"))("better-sqlite3");
const pg = createRequire(path.join(repo, "packages", "postgres", "package.json"))("pg");
const mysql = createRequire(path.join(repo, "packages", "mysql", "package.json"))("mysql2/promise");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : args[index + 1];
};
const tableCount = Number(option("--tables", 500));
const repeats = Number(option("--repeats", 5));
const only = option("--only", null);
const keep = args.includes("--keep");
const withAlembic = !args.includes("--no-alembic");
if (!Number.isInteger(tableCount) || tableCount < 5) throw new Error("--tables must be at least 5");
if (!Number.isInteger(repeats) || repeats < 1) throw new Error("--repeats must be at least 1");
const DIALECTS = ["sqlite", "postgres", "mysql"];
if (only !== null && !DIALECTS.includes(only)) throw new Error("--only sqlite|postgres|mysql");
const serverUrl =
  process.env.RETORT_BENCH_POSTGRES_URL ??
  process.env.RETORT_TEST_POSTGRES_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";
const mysqlServerUrl = process.env.RETORT_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

const log = (text) => process.stderr.write(`[bench] ${text}\n`);
const round = (x, digits = 3) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** What both tools must report (a token per difference). */
const EXPECTED = ["t_new", "extra", "ix_t_2_value", "ix_t_3_name", "modify_nullable"];

// ---------------------------------------------------------------- the schema

/** The database's DDL for n tables (the same text on every database, but for MySQL's backticks). */
function ddl(n, q = '"') {
  const statements = [];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? 0 : i - 1;
    statements.push(
      `CREATE TABLE ${q}t_${i}${q} (${q}id${q} INTEGER NOT NULL, ${q}parent_id${q} INTEGER, ${q}name${q} VARCHAR(50) NOT NULL, ${q}value${q} INTEGER, ` +
        `CONSTRAINT ${q}pk_t_${i}${q} PRIMARY KEY (${q}id${q}), ` +
        `CONSTRAINT ${q}fk_t_${i}_parent_id${q} FOREIGN KEY (${q}parent_id${q}) REFERENCES ${q}t_${parent}${q} (${q}id${q}), ` +
        `CONSTRAINT ${q}ck_t_${i}_value${q} CHECK (value >= 0))`,
      `CREATE INDEX ${q}ix_t_${i}_name${q} ON ${q}t_${i}${q} (${q}name${q})`,
      `CREATE INDEX ${q}ix_t_${i}_parent_id${q} ON ${q}t_${i}${q} (${q}parent_id${q})`,
    );
  }
  return statements;
}

/** Retort's declared schema: one `table(...)` export per table, with the diff. */
function retortSchema(n) {
  const lines = ['import { check, column, foreignKey, index, integer, sql, string, table } from "@retort/core";', ""];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? 0 : i - 1;
    const parts = [
      `"t_${i}"`,
      'column("id", integer(), { primaryKey: true })',
      'column("parent_id", integer())',
      `column("name", string(50)${i === 4 ? "" : ", { nullable: false }"})`,
      'column("value", integer())',
    ];
    if (i === 1) parts.push('column("extra", string(20))');
    parts.push(`foreignKey("parent_id", "t_${parent}", "id", { name: "fk_t_${i}_parent_id" })`);
    parts.push(`check(sql\`value >= 0\`, { name: "ck_t_${i}_value" })`);
    if (i !== 3) parts.push(`index("ix_t_${i}_name", ["name"])`);
    parts.push(`index("ix_t_${i}_parent_id", ["parent_id"])`);
    if (i === 2) parts.push('index("ix_t_2_value", ["value"])');
    lines.push(`export const t_${i} = table(${parts.join(", ")});`);
  }
  lines.push(
    'export const t_new = table("t_new", column("id", integer(), { primaryKey: true }), column("name", string(50)));',
  );
  return `${lines.join("\n")}\n`;
}

/** The same schema as SQLAlchemy MetaData. */
function sqlalchemyModels(n) {
  const lines = ["import sqlalchemy as sa", "", "metadata = sa.MetaData()", ""];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? 0 : i - 1;
    const parts = [
      `"t_${i}"`,
      "metadata",
      'sa.Column("id", sa.Integer, primary_key=True)',
      `sa.Column("parent_id", sa.Integer, sa.ForeignKey("t_${parent}.id", name="fk_t_${i}_parent_id"))`,
      `sa.Column("name", sa.String(50), nullable=${i === 4 ? "True" : "False"})`,
      'sa.Column("value", sa.Integer)',
    ];
    if (i === 1) parts.push('sa.Column("extra", sa.String(20))');
    parts.push(`sa.CheckConstraint("value >= 0", name="ck_t_${i}_value")`);
    if (i !== 3) parts.push(`sa.Index("ix_t_${i}_name", "name")`);
    parts.push(`sa.Index("ix_t_${i}_parent_id", "parent_id")`);
    if (i === 2) parts.push('sa.Index("ix_t_2_value", "value")');
    lines.push(`sa.Table(${parts.join(", ")})`);
  }
  lines.push(
    'sa.Table("t_new", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))',
  );
  return `${lines.join("\n")}\n`;
}

function writeRetortProject(dir, n, url) {
  fs.mkdirSync(path.join(dir, "migrations", "versions"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "retort.config.json"),
    `${JSON.stringify({ scriptLocation: "migrations", url, schema: "./schema.mjs" }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  fs.writeFileSync(path.join(dir, "schema.mjs"), retortSchema(n));
  fs.rmSync(path.join(dir, "node_modules"), { recursive: true, force: true });
  fs.symlinkSync(cliNodeModules, path.join(dir, "node_modules"), "dir");
}

function writeAlembicProject(dir, n, url) {
  fs.mkdirSync(path.join(dir, "alembic", "versions"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "alembic.ini"),
    `[alembic]
script_location = alembic
prepend_sys_path = .
sqlalchemy.url = ${url}
[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARN
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)s %(message)s
`,
  );
  fs.writeFileSync(
    path.join(dir, "alembic", "env.py"),
    `from alembic import context
from sqlalchemy import engine_from_config, pool
from models import metadata
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
`,
  );
  fs.writeFileSync(
    path.join(dir, "alembic", "script.py.mako"),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Mako's placeholders, not JavaScript's
    '"""${message}"""\nrevision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n',
  );
  fs.writeFileSync(path.join(dir, "models.py"), sqlalchemyModels(n));
}

// ---------------------------------------------------------------- running

/** Run a whole process; a check that finds differences exits non-zero, so the output is what is checked. */
function timedRun(argv, cwd, expected) {
  const started = process.hrtime.bigint();
  const res = spawnSync(argv[0], argv.slice(1), {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.error) throw new Error(`${argv.join(" ")}: ${res.error.message}`);
  const output = `${res.stdout}${res.stderr}`;
  const missing = expected.filter((token) => !output.includes(token));
  if (missing.length || res.status === 0)
    throw new Error(
      `${path.basename(argv[0])} ${argv.slice(1).join(" ")} (exit ${res.status}) did not report ${missing.join(", ") || "a failure"}:\n${output.slice(0, 3000)}`,
    );
  return seconds;
}

/** One untimed warm-up run, then `repeats` timed runs: min and median. */
function measure(label, argv, cwd, expected = EXPECTED) {
  const once = () => timedRun(argv, cwd, expected);
  const first = once();
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(once());
  const result = { min_s: round(Math.min(...runs)), median_s: round(median(runs)), first_s: round(first) };
  result.runs_s = runs.map((x) => round(x));
  log(`  ${label}: median ${result.median_s} s, min ${result.min_s} s (first ${result.first_s} s)`);
  return result;
}

function findAlembic() {
  if (!withAlembic) return { skipped: "--no-alembic" };
  let bin = null;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const p = path.join(dir || ".", "alembic");
    try {
      fs.accessSync(p, fs.constants.X_OK);
      bin = p;
      break;
    } catch {}
  }
  if (!bin) return { skipped: "alembic is not on PATH" };
  const version = spawnSync(bin, ["--version"], { encoding: "utf8" });
  if (version.status !== 0) return { skipped: `${bin} --version failed: ${version.stderr.trim()}` };
  const help = spawnSync(bin, ["--help"], { encoding: "utf8" }).stdout ?? "";
  if (!/\bcheck\b/.test(help)) return { skipped: `${version.stdout.trim()} has no \`alembic check\` (needs 1.9+)` };
  return { bin, version: version.stdout.trim() };
}

/** Retort's statements for one `checkSchema` call through the API (reflection included). */
async function countStatements(project) {
  const core = await import(
    pathToFileURL(createRequire(path.join(project, "package.json")).resolve("@retort/core")).href
  );
  const config = JSON.parse(fs.readFileSync(path.join(project, "retort.config.json"), "utf8"));
  const statements = [];
  const { diffs } = await core.checkSchema(config, { cwd: project, onStatement: (sql) => statements.push(sql) });
  const queries = statements.filter((sql) => !/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql.trim()));
  return { statements: statements.length, queries: queries.length, diffs: diffs.length };
}

// ---------------------------------------------------------------- dialects

async function pgAdmin(sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function pgDatabase(n) {
  const name = `retort_bench_ag_${process.pid}_${n}_${Math.random().toString(36).slice(2, 8)}`;
  await pgAdmin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`BEGIN; ${ddl(n).join(";\n")}; COMMIT`);
  } finally {
    await client.end();
  }
  return { url: url.toString(), drop: () => pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function mysqlSession(database) {
  const url = new URL(mysqlServerUrl);
  return mysql.createConnection({
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    multipleStatements: true,
    ...(database === undefined ? {} : { database }),
  });
}

async function mysqlAdmin(sql) {
  const session = await mysqlSession();
  try {
    await session.query(sql);
  } finally {
    await session.end();
  }
}

async function mysqlDatabase(n) {
  const name = `retort_bench_ag_${process.pid}_${n}_${Math.random().toString(36).slice(2, 8)}`;
  await mysqlAdmin(`CREATE DATABASE \`${name}\``);
  const session = await mysqlSession(name);
  try {
    await session.query(ddl(n, "`").join(";\n"));
  } finally {
    await session.end();
  }
  const url = new URL(mysqlServerUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => mysqlAdmin(`DROP DATABASE IF EXISTS \`${name}\``) };
}

/** Alembic's URL for Retort's: SQLAlchemy's driver named (psycopg2, PyMySQL). */
function alembicUrlFor(url) {
  return url.replace(/^postgresql:/, "postgresql+psycopg2:").replace(/^mysql:/, "mysql+pymysql:");
}

/** A fresh database of n tables: its URL, and how to drop it (SQLite: a file in dir). */
async function createDatabase(dialect, dir, n) {
  if (dialect === "sqlite") {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `bench-${n}.db`);
    sqliteDatabase(file, n);
    return { url: `sqlite:///${file}`, drop: async () => undefined };
  }
  return dialect === "mysql" ? mysqlDatabase(n) : pgDatabase(n);
}

function sqliteDatabase(file, n) {
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  db.exec(`BEGIN; ${ddl(n).join(";\n")}; COMMIT`);
  db.close();
}

async function runDialect(dialect, work, alembic) {
  log(`${dialect}: ${tableCount} tables`);
  const dir = path.join(work, dialect);
  const rdir = path.join(dir, "retort");
  const adir = path.join(dir, "alembic");
  const drops = [];
  try {
    const db = await createDatabase(dialect, dir, tableCount);
    drops.push(db.drop);
    const url = db.url;
    const alembicUrl = alembicUrlFor(url);
    writeRetortProject(rdir, tableCount, url);
    const retortResult = measure("retort check", [process.execPath, cli, "check"], rdir);

    // Reflection queries for 1 table and for all of them; the 1-table project
    // is also timed, for the fixed cost (start-up, connecting) of each tool.
    log("  counting Retort's statements");
    const counts = {};
    let oneTable = null;
    for (const n of [1, tableCount]) {
      const qdir = path.join(dir, `count-${n}`);
      let qurl = url;
      if (n !== tableCount) {
        const small = await createDatabase(dialect, dir, n);
        drops.push(small.drop);
        qurl = small.url;
      }
      writeRetortProject(qdir, n, qurl);
      counts[`tables_${n}`] = await countStatements(qdir);
      if (n === 1) oneTable = { dir: qdir, url: qurl };
    }
    const retortOne = measure("retort check, 1 table", [process.execPath, cli, "check"], oneTable.dir, ["t_new"]);

    let alembicResult = null;
    let alembicOne = null;
    let alembicNote;
    if (alembic.bin) {
      writeAlembicProject(adir, tableCount, alembicUrl);
      try {
        alembicResult = measure("alembic check", [alembic.bin, "check"], adir);
        const adirOne = path.join(dir, "alembic-1");
        writeAlembicProject(adirOne, 1, alembicUrlFor(oneTable.url));
        alembicOne = measure("alembic check, 1 table", [alembic.bin, "check"], adirOne, ["t_new"]);
      } catch (e) {
        alembicNote = `alembic check failed: ${e.message.slice(0, 800)}`;
        log(`  ${alembicNote}`);
      }
    } else alembicNote = alembic.skipped;

    return {
      tables: tableCount,
      retort: retortResult,
      alembic: alembicResult,
      ...(alembicNote ? { alembic_note: alembicNote } : {}),
      ratio_median: alembicResult ? round(alembicResult.median_s / retortResult.median_s, 2) : null,
      ratio_min: alembicResult ? round(alembicResult.min_s / retortResult.min_s, 2) : null,
      retort_statements: counts,
      one_table: {
        retort: retortOne,
        alembic: alembicOne,
        ratio_median: alembicOne ? round(alembicOne.median_s / retortOne.median_s, 2) : null,
      },
      // What the other 499 tables add to each tool's median: the ratio of the per-table costs.
      marginal_ratio: alembicResult
        ? round((alembicResult.median_s - alembicOne.median_s) / (retortResult.median_s - retortOne.median_s), 2)
        : null,
      ...(dialect === "postgres"
        ? {
            goal: "alembic / retort >= 5",
            goal_met: alembicResult ? alembicResult.median_s / retortResult.median_s >= 5 : null,
          }
        : {}),
    };
  } finally {
    for (const drop of drops) await drop().catch((e) => log(`drop failed: ${e.message}`));
  }
}

// ---------------------------------------------------------------- main

if (!fs.existsSync(cli)) {
  log(`${cli} not found: run pnpm build first`);
  process.exit(1);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-ag-"));
log(`working in ${work}`);
const started = Date.now();
try {
  const alembic = findAlembic();
  if (alembic.skipped) log(`Alembic skipped: ${alembic.skipped}`);
  const results = {};
  for (const dialect of DIALECTS) {
    if (only && only !== dialect) continue;
    try {
      results[dialect] = await runDialect(dialect, work, alembic);
    } catch (e) {
      log(`${dialect} FAILED: ${e.message}`);
      results[dialect] = { error: e.message.slice(0, 1500) };
    }
  }
  const out = {
    machine: { node: process.version, cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? null },
    retort: spawnSync(process.execPath, [cli, "--version"], { encoding: "utf8" }).stdout.trim(),
    alembic: alembic.bin ? alembic.version : null,
    ...(alembic.skipped ? { alembic_reason: alembic.skipped } : {}),
    postgres_server: only === null || only === "postgres" ? new URL(serverUrl).host : undefined,
    mysql_server: only === null || only === "mysql" ? new URL(mysqlServerUrl).host : undefined,
    repeats,
    diff: EXPECTED,
    results,
    total_s: round((Date.now() - started) / 1000, 1),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  if (keep) log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
