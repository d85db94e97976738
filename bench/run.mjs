#!/usr/bin/env node
// Retort benchmarks (not tests: nothing here fails on a time).
//
//   node bench/run.mjs [--quick] [--no-alembic] [--sizes GRAPH[,APPLY]] [--repeats N] [--only GROUP] [--keep]
//
// Prints one JSON object on stdout; progress goes to stderr. See bench/README.md.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateRetortProject, rid, settle } from "./gen-retort.mjs";
import { applyCases, memoryCase, postgresCase, realSizeCases, startupCase } from "./issue-cases.mjs";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, "..");
const retortBin = path.join(repoRoot, "apps", "cli", "bin", "retort.cjs");
// ../shared/bench/gen_alembic.py next to the repository (or next to the folder of
// worktrees, ../../shared, when the repository is a worktree); RETORT_BENCH_GEN_ALEMBIC wins.
const genAlembic =
  process.env.RETORT_BENCH_GEN_ALEMBIC ??
  [path.resolve(repoRoot, "..", "shared"), path.resolve(repoRoot, "..", "..", "shared")]
    .map((shared) => path.join(shared, "bench", "gen_alembic.py"))
    .find((file) => fs.existsSync(file)) ??
  path.resolve(repoRoot, "..", "shared", "bench", "gen_alembic.py");

/** A run slower than this is measured once instead of taking the median of several. */
const SLOW_SECONDS = 10;

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const opts = {
    quick: false,
    alembic: true,
    graphSize: 10_000,
    applySize: 1_000,
    repeats: 3,
    keep: false,
    only: null,
  };
  let sizes = null;
  let repeats = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--quick") opts.quick = true;
    else if (a === "--no-alembic") opts.alembic = false;
    else if (a === "--keep") opts.keep = true;
    else if (a === "--only" || a.startsWith("--only=")) {
      opts.only = value();
      if (!["graph", "apply", "startup", "real", "memory", "postgres"].includes(opts.only)) {
        usage(`bad --only: ${opts.only} (graph, apply, startup, real, memory or postgres)`);
      }
    } else if (a === "--sizes" || a.startsWith("--sizes=")) sizes = value();
    else if (a === "--repeats" || a.startsWith("--repeats=")) repeats = value();
    else if (a === "-h" || a === "--help") usage();
    else usage(`unknown argument: ${a}`);
  }
  if (opts.quick) {
    opts.graphSize = 2_000;
    opts.repeats = 1;
  }
  if (sizes !== null) {
    const [g, ap] = sizes.split(",").map((s) => Number(s.trim()));
    if (!Number.isInteger(g) || g < 1) usage(`bad --sizes: ${sizes}`);
    opts.graphSize = g;
    if (ap !== undefined) {
      if (!Number.isInteger(ap) || ap < 1) usage(`bad --sizes: ${sizes}`);
      opts.applySize = ap;
    }
  }
  if (repeats !== null) {
    opts.repeats = Number(repeats);
    if (!Number.isInteger(opts.repeats) || opts.repeats < 1) usage(`bad --repeats: ${repeats}`);
  }
  return opts;
}

function usage(error) {
  const text = `usage: node bench/run.mjs [--quick] [--no-alembic] [--sizes GRAPH[,APPLY]] [--repeats N] [--only GROUP] [--keep]
  --quick        graph commands on 2,000 revisions instead of 10,000, 1 timed run per case
  --no-alembic   time Retort only
  --sizes G[,A]  revisions for the graph cases (default 10000) and for upgrade from empty (default 1000)
  --repeats N    timed runs per case, median reported (default 3; 1 with --quick)
  --only GROUP   one group: graph (heads/current/no-op upgrade), apply (upgrade from empty, warm and cold),
                 startup (--version vs node -e 0), real (550 revisions, TypeScript config), memory (10,000 upgrade),
                 postgres (upgrade from empty on PostgreSQL: own work per migration; see bench/postgres.mjs)
  --keep         keep the generated projects (path printed on stderr)
`;
  if (error) {
    process.stderr.write(`${error}\n${text}`);
    process.exit(2);
  }
  process.stdout.write(text);
  process.exit(0);
}

const opts = parseArgs(process.argv.slice(2));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// ---------------------------------------------------------------- running

const timeBin = ["/usr/bin/time", "/bin/time"].find((p) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return spawnSync(p, ["-f", "%M", "true"], { encoding: "utf8" }).status === 0;
  } catch {
    return false;
  }
});

function which(cmd) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const p = path.join(dir || ".", cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {}
  }
  return null;
}

class CommandError extends Error {}

/**
 * Run argv with cwd; returns { seconds, stdout, stderr, rssKb }. Wall clock is
 * measured around the whole child process (spawn to exit), as a user sees it.
 * With measureRss the child is started under /usr/bin/time -f %M (negligible
 * overhead: one fork/exec) to get its peak resident set size.
 */
function run(argv, cwd, { measureRss = false } = {}) {
  let cmd = argv;
  let rssFile = null;
  if (measureRss && timeBin) {
    rssFile = path.join(os.tmpdir(), `retort-bench-rss-${process.pid}.txt`);
    cmd = [timeBin, "-f", "%M", "-o", rssFile, ...argv];
  }
  const start = process.hrtime.bigint();
  const res = spawnSync(cmd[0], cmd.slice(1), {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  let rssKb = null;
  if (rssFile) {
    try {
      const lines = fs.readFileSync(rssFile, "utf8").trim().split("\n");
      rssKb = Number(lines[lines.length - 1]);
      if (!Number.isFinite(rssKb)) rssKb = null;
    } catch {}
    fs.rmSync(rssFile, { force: true });
  }
  if (res.error) throw new CommandError(`${argv.join(" ")}: ${res.error.message}`);
  if (res.status !== 0) {
    const out = `${res.stderr ?? ""}${res.stdout ?? ""}`
      .trim()
      .split("\n")
      .filter((l) => !/^\s+at /.test(l))
      .slice(-8)
      .join("\n");
    throw new CommandError(
      `\`${argv.slice(-3).join(" ")}\` in ${cwd} exited with ${res.status ?? res.signal}:\n${out}`,
    );
  }
  return { seconds, stdout: res.stdout, stderr: res.stderr, rssKb };
}

const retort = (cwd, args, o) => run([process.execPath, retortBin, ...args], cwd, o);
let alembicBin = null;
const alembic = (cwd, args, o) => run([alembicBin, ...args], cwd, o);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x, digits = 3) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));

/**
 * Time one case: a first (warm-up) run, which is the measurement if it takes
 * longer than SLOW_SECONDS; otherwise `repeats` more runs and their median.
 * `before` runs untimed before every run (e.g. delete the database file);
 * `check` validates each run's output. A failing run gives `{ error }`
 * (see `measureAlternating`).
 */
function measure(label, fn, { before, check } = {}) {
  return measureAlternating([{ label, fn, before, check }])[0];
}

/**
 * Times several cases (Retort's and Alembic's side of one row) with their
 * runs in turn: the first (warm-up) run of each, then run i of each, and so
 * on, so that a minute in which the host is slower (this shared VM's speed
 * moves by a third from minute to minute) weighs on both sides instead of
 * on whichever ran then. Each case is measured as `measure` measures one;
 * `null` cases are skipped. A case whose run fails is reported as
 * `{ error }` and left out of the later turns; the others go on.
 */
function measureAlternating(cases) {
  const states = cases.map((c) =>
    c === null ? null : { c, runs: [], rss: null, first: undefined, firstRss: null, error: undefined },
  );
  const once = (state) => {
    try {
      state.c.before?.();
      const r = state.c.fn();
      state.c.check?.(r);
      return r;
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      log(`  ${state.c.label} FAILED: ${e.message}`);
      state.error = e.message.slice(0, 800);
      return null;
    }
  };
  for (const state of states) {
    if (state === null) continue;
    const r = once(state);
    if (r === null) continue;
    state.first = r.seconds;
    state.firstRss = r.rssKb ?? null;
    if (r.seconds > SLOW_SECONDS) {
      state.runs.push(r.seconds);
      state.rss = state.firstRss;
    }
  }
  for (let i = 0; i < opts.repeats; i++) {
    for (const state of states) {
      if (state === null || state.error !== undefined || state.first > SLOW_SECONDS) continue;
      const r = once(state);
      if (r === null) continue;
      state.runs.push(r.seconds);
      if (r.rssKb !== null && r.rssKb !== undefined) state.rss = Math.max(state.rss ?? 0, r.rssKb);
    }
  }
  return states.map((state) => {
    if (state === null) return undefined;
    if (state.error !== undefined) return { error: state.error };
    const seconds = median(state.runs);
    log(
      `  ${state.c.label}: ${seconds.toFixed(3)} s (first ${state.first.toFixed(3)} s, runs ${state.runs.map((x) => x.toFixed(3)).join(", ")})`,
    );
    return { seconds, first: state.first, runs: state.runs, rssKb: state.rss, firstRssKb: state.firstRss };
  });
}

/** Heads from `retort heads` output: the revision ids at the start of lines. */
function parseHeads(stdout) {
  const ids = [];
  for (const line of stdout.split("\n")) {
    const m = line.match(/\b(r\d{6})\b/);
    if (m) ids.push(m[1]);
  }
  return [...new Set(ids)];
}

/** Heads of the generated graph, computed here so both tools can be checked against it. */
function expectedHeads(n, branchy) {
  const hasChild = new Set();
  for (let i = 1; i < n; i++) {
    let downs;
    if (branchy && i % 10 === 5) downs = [i - 1];
    else if (branchy && i % 10 === 9 && i >= 9) downs = [i - 1, i - 4];
    else if (branchy && i % 10 === 6 && i >= 6) downs = [i - 2];
    else downs = [i - 1];
    for (const d of downs) hasChild.add(d);
  }
  const heads = [];
  for (let i = 0; i < n; i++) if (!hasChild.has(i)) heads.push(rid(i));
  return heads;
}

function expectAll(what, text, ids) {
  const missing = ids.filter((id) => !text.includes(id));
  if (missing.length)
    throw new CommandError(`${what}: expected ${missing.join(", ")} in output, got:\n${text.slice(0, 2000)}`);
}

function removeDb(dir) {
  for (const suffix of ["", "-journal", "-wal", "-shm"])
    fs.rmSync(path.join(dir, `bench.db${suffix}`), { force: true });
}

// ---------------------------------------------------------------- cases

const results = [];
const notes = [];

function addResult(name, goal, r, a, extra = {}) {
  const entry = { name };
  entry.retort_s = r?.seconds !== undefined ? round(r.seconds) : null;
  if (r?.runs) entry.retort_runs_s = r.runs.map((x) => round(x));
  if (r?.first !== undefined && r.first !== r.runs[0]) entry.retort_first_s = round(r.first);
  if (r?.rssKb) entry.retort_peak_rss_mb = round(r.rssKb / 1024, 1);
  if (r?.firstRssKb && r.first !== r.runs[0]) entry.retort_first_peak_rss_mb = round(r.firstRssKb / 1024, 1);
  if (r?.error) entry.retort_error = r.error;
  if (opts.alembic) {
    entry.alembic_s = a?.seconds !== undefined ? round(a.seconds) : null;
    if (a?.runs) entry.alembic_runs_s = a.runs.map((x) => round(x));
    if (a?.first !== undefined && a.first !== a.runs[0]) entry.alembic_first_s = round(a.first);
    if (a?.error) entry.alembic_error = a.error;
    if (a?.rssKb) entry.alembic_peak_rss_mb = round(a.rssKb / 1024, 1);
    entry.ratio = r?.seconds && a?.seconds ? round(a.seconds / r.seconds, 2) : null;
  }
  Object.assign(entry, extra);
  if (goal && entry.retort_s !== null) {
    entry.goal = goal.text;
    entry.goal_met = goal.applies ? goal.met(entry) : null;
  }
  results.push(entry);
}

/** Wrap a measurement so that one failing case is reported instead of aborting the whole run. */
function attempt(label, fn) {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    log(`  ${label} FAILED: ${e.message}`);
    return { error: e.message.slice(0, 800) };
  }
}

function graphCases(work, shape) {
  const n = opts.graphSize;
  const branchy = shape === "branchy";
  const heads = expectedHeads(n, branchy);
  const rdir = path.join(work, `retort-${shape}-${n}`);
  const adir = path.join(work, `alembic-${shape}-${n}`);
  log(`generating ${n} ${shape} revisions (${heads.length} head${heads.length === 1 ? "" : "s"})`);
  generateRetortProject(rdir, n, { branchy });
  const written = Date.now();
  if (opts.alembic) run(["python3", genAlembic, adir, String(n), ...(branchy ? ["--branchy"] : [])], work);
  settle(written);

  // The issue's goals on 10,000 revisions: heads and no-op upgrade 20x Alembic, current 150x.
  const goalOf = (times) => ({
    text: `at least ${times}x faster than Alembic`,
    applies: n >= 10_000 && opts.alembic,
    met: (e) => e.ratio !== null && e.ratio >= times,
  });

  // Both databases stamped at the head(s) first; then each command's runs
  // alternate between Retort and Alembic (see `measureAlternating`).
  log(`retort and alembic ${shape}/${n}, runs in turn`);
  const rStamp = attempt("stamp", () => {
    removeDb(rdir);
    const listed = parseHeads(retort(rdir, ["heads"]).stdout);
    const target = listed.length > 1 ? "heads" : "head";
    log(`  retort stamp ${target} (retort heads lists ${listed.length})`);
    return { stamp: retort(rdir, ["stamp", target]) };
  });
  const aStamp = opts.alembic
    ? attempt("alembic stamp", () => {
        removeDb(adir);
        log("  alembic stamp heads");
        return { stamp: alembic(adir, ["stamp", "heads"]) };
      })
    : undefined;
  const noRun = (r) => {
    if (/Running upgrade/.test(r.stdout + r.stderr)) throw new CommandError("no-op upgrade ran migrations");
  };
  const listsHeads = (who, command) => (r) => expectAll(`${who} ${command}`, r.stdout, heads);
  // Per command: its arguments, the check of each side's output, and whether it needs the stamped database.
  const commands = [
    { name: "heads", args: ["heads"], check: listsHeads, stamped: false },
    { name: "current", args: ["current"], check: listsHeads, stamped: true },
    { name: "upgrade head (no-op)", args: ["upgrade", "head"], check: () => noRun, stamped: true },
  ];
  const [[rHeads, aHeads], [rCurrent, aCurrent], [rUpgrade, aUpgrade]] = commands.map((command) => {
    const side = (who, fn, stamp) =>
      command.stamped && stamp?.error !== undefined
        ? null
        : { label: `${who} ${command.name}`, fn, check: command.check(who, command.name) };
    const [r, a] = measureAlternating([
      side("retort", () => retort(rdir, command.args, { measureRss: true }), rStamp),
      opts.alembic ? side("alembic", () => alembic(adir, command.args, { measureRss: true }), aStamp) : null,
    ]);
    return [
      r ?? { error: `stamp failed: ${rStamp.error}` },
      opts.alembic ? (a ?? { error: `stamp failed: ${aStamp?.error}` }) : undefined,
    ];
  });
  const extra = { revisions: n, heads: heads.length };
  addResult(`heads/${shape}/${n}`, goalOf(20), rHeads, aHeads, extra);
  addResult(`current/${shape}/${n}`, goalOf(150), rCurrent, aCurrent, extra);
  addResult(`upgrade-noop/${shape}/${n}`, goalOf(20), rUpgrade, aUpgrade, extra);
}

// ---------------------------------------------------------------- the issue's table

/**
 * Issue #12's table, row by row, from the results of this run: each row
 * names its cases with what was measured against the goal, and is met when
 * every case was measured and met it (null when one was not measured, as
 * with `--only` or without Alembic).
 */
function goalTable(results) {
  const byName = new Map(results.map((entry) => [entry.name, entry]));
  const g = opts.graphSize;
  const a = opts.applySize;
  const gText = g.toLocaleString("en-US");
  const aText = a.toLocaleString("en-US");
  const times = (x) => (typeof x === "number" ? `${x}x` : "not measured");
  const rows = [
    [
      "`retort --version`",
      "at most 1.5x `node -e 0`",
      ["version-vs-node"],
      (e) => `${times(e.ratio_to_node)} node -e 0`,
    ],
    [
      "`heads`, `history`, `current`, 550 revisions, TypeScript config",
      "at least 4x faster than Alembic",
      ["heads/real-ts-config/550", "history/real-ts-config/550", "current/real-ts-config/550"],
      (e) => times(e.ratio),
    ],
    [
      `\`heads\` / no-op \`upgrade head\`, ${gText} revisions`,
      "at least 20x faster than Alembic",
      [`heads/linear/${g}`, `heads/branchy/${g}`, `upgrade-noop/linear/${g}`, `upgrade-noop/branchy/${g}`],
      (e) => times(e.ratio),
    ],
    [
      `\`current\`, ${gText} revisions`,
      "at least 150x faster than Alembic",
      [`current/linear/${g}`, `current/branchy/${g}`],
      (e) => times(e.ratio),
    ],
    [
      `\`upgrade head\` from empty, 550 and ${aText} migrations, SQLite`,
      "at least 4x faster than Alembic, warm and cold; cold within 1.5x of warm",
      [...new Set([550, a])].map((n) => `upgrade-from-empty/linear/${n}`),
      (e) =>
        `warm ${times(e.ratio)}, cold ${times(e.ratio_cold)}, cold/warm ${
          e.retort_cold_s && e.retort_s ? `${round(e.retort_cold_s / e.retort_s, 2)}x` : "not measured"
        }`,
    ],
    [
      `\`upgrade head\`, ${aText} migrations, PostgreSQL`,
      "Retort's own work between two statements under 0.2 ms per migration",
      [`upgrade-from-empty/postgres/${a}`],
      (e) => (typeof e.own_work_ms === "number" ? `${e.own_work_ms} ms` : "not measured"),
    ],
    [
      `peak memory, \`upgrade head\` of ${gText} migrations`,
      "under 150 MB",
      [`memory/upgrade-from-empty/${g}`],
      (e) => (typeof e.retort_peak_rss_mb === "number" ? `${e.retort_peak_rss_mb} MB` : "not measured"),
    ],
  ];
  const table = rows.map(([row, goal, names, show]) => {
    const cases = names.map((name) => {
      const entry = byName.get(name);
      return entry === undefined
        ? { name, measured: "not run", met: null }
        : { name, measured: show(entry), met: entry.goal_met ?? null };
    });
    const met = cases.some((c) => c.met === false) ? false : cases.every((c) => c.met === true) ? true : null;
    return { row, goal, met, cases };
  });
  const all = table.some((r) => r.met === false) ? false : table.every((r) => r.met === true) ? true : null;
  return { all_met: all, rows: table };
}

// ---------------------------------------------------------------- main

if (!fs.existsSync(retortBin)) {
  log(`${retortBin} not found`);
  process.exit(1);
}
if (opts.alembic) {
  alembicBin = process.env.RETORT_BENCH_ALEMBIC ?? which("alembic");
  if (!alembicBin) {
    opts.alembic = false;
    notes.push("alembic is not on PATH: Alembic cases skipped");
  } else if (!fs.existsSync(genAlembic)) {
    opts.alembic = false;
    notes.push(`${path.relative(repoRoot, genAlembic)} not found: Alembic cases skipped`);
  }
  if (!opts.alembic) log(notes[notes.length - 1]);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "retort-bench-"));
log(`working in ${work}`);
// Retort's cache (compiled modules, headers) of this run only: a cold case empties it.
const cacheDir = path.join(work, "retort-cache");
process.env.RETORT_CACHE_DIR = cacheDir;
const harness = {
  opts,
  work,
  cacheDir,
  genAlembic,
  alembicBin,
  results,
  notes,
  log,
  run,
  retort,
  alembic: (...args) => alembic(...args),
  measure,
  measureAlternating,
  attempt,
  addResult,
  expectAll,
  removeDb,
  median,
  round,
};
const started = Date.now();
let versionText = null;
try {
  try {
    versionText = retort(work, ["--version"]).stdout.trim();
  } catch (e) {
    log(`retort --version failed: ${e.message}`);
  }
  let alembicVersion = null;
  if (opts.alembic) {
    try {
      alembicVersion = run([alembicBin, "--version"], work).stdout.trim();
    } catch {}
  }
  const wanted = (group) => opts.only === null || opts.only === group;
  if (wanted("startup")) startupCase(harness);
  // PostgreSQL's own work next, before the long CPU-bound cases: on this
  // shared VM, code that sleeps between statements runs 1.5-2.5x slower
  // for a few minutes after sustained load (bench/README.md, twenty-sixth
  // round), which no deploy would have run before it.
  if (wanted("postgres")) await postgresCase(harness, opts.applySize);
  if (wanted("real")) realSizeCases(harness);
  if (wanted("apply")) applyCases(harness, [...new Set([550, opts.applySize])]);
  if (wanted("graph")) {
    graphCases(work, "linear");
    graphCases(work, "branchy");
  }
  if (wanted("memory")) memoryCase(harness, opts.graphSize);

  const out = {
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? null,
      platform: `${os.platform()} ${os.release()}`,
      total_mem_gb: round(os.totalmem() / 2 ** 30, 1),
    },
    retort: versionText,
    alembic: opts.alembic ? alembicVersion : null,
    options: {
      quick: opts.quick,
      graph_revisions: opts.graphSize,
      apply_revisions: opts.applySize,
      repeats: opts.repeats,
      only: opts.only,
      slow_run_s: SLOW_SECONDS,
      peak_rss: timeBin ? `${timeBin} -f %M` : "not measured (no /usr/bin/time)",
    },
    results,
    goals: goalTable(results),
    ...(notes.length ? { notes } : {}),
    total_s: round((Date.now() - started) / 1000, 1),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  if (opts.keep) log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
