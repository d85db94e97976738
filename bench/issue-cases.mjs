// The cases of issue #12's table that the graph and apply cases of run.mjs do
// not cover: start-up against `node -e 0`, a real-size history (550 branchy
// revisions with a TypeScript config) warm and cold, upgrade from empty on
// 550 and 1,000 migrations warm and cold, and the peak memory of an upgrade
// of 10,000 migrations. `h` is run.mjs's harness (run, measure, addResult, …).

import fs from "node:fs";
import path from "node:path";
import { generateRetortProject, rid, settle } from "./gen-retort.mjs";

/** The URL line of the config `retort init` writes, and the benchmark's in its place. */
const INIT_URL = '  url: "sqlite:///app.db",';
const BENCH_URL = '  url: process.env.BENCH_DATABASE_URL ?? "sqlite:///bench.db",';
let initConfigText;

/**
 * The config `retort init` writes (its comments and `defineConfig` import
 * included), with the benchmark's URL: a project as a user starts it. Its
 * text decides how Retort loads it (a file that may hold a literal secret,
 * such as an example URL with a password in a comment, is compiled on every
 * run), so the benchmark takes the real one, written once per run by the
 * CLI it measures.
 */
function initConfig(h) {
  if (initConfigText === undefined) {
    const dir = path.join(h.work, "retort-init");
    fs.mkdirSync(dir, { recursive: true });
    h.retort(dir, ["init", "migrations"]);
    const text = fs.readFileSync(path.join(dir, "retort.config.ts"), "utf8");
    if (!text.includes(INIT_URL)) throw new Error(`the config retort init writes has no line ${INIT_URL}`);
    initConfigText = text.replace(INIT_URL, BENCH_URL);
  }
  return initConfigText;
}

/**
 * Retort's cold run: the first after the migration files changed (a fresh
 * deploy). What Retort keeps for the project goes (compiled migrations and
 * config, headers); Retort's own compiled code (`code/`) stays, as
 * Alembic's cold run loses the migrations' byte-code but keeps Alembic's
 * and SQLAlchemy's (pip writes it at install).
 */
function clearProjectCaches(h) {
  if (!fs.existsSync(h.cacheDir)) return;
  for (const name of fs.readdirSync(h.cacheDir)) {
    if (name !== "code") fs.rmSync(path.join(h.cacheDir, name), { recursive: true, force: true });
  }
}

/** The whole cache folder removed, Retort's own compiled code with it: a machine that never ran Retort. */
function clearRetortCache(h) {
  fs.rmSync(h.cacheDir, { recursive: true, force: true });
}

/** Alembic's cold run: the migrations' byte-code is gone, as after a deploy of changed files. */
function clearPycache(dir) {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory() && entry.name === "__pycache__") {
      fs.rmSync(path.join(entry.parentPath, entry.name), { recursive: true, force: true });
    }
  }
}

function withTsConfig(h, dir) {
  fs.rmSync(path.join(dir, "retort.config.json"), { force: true });
  fs.writeFileSync(path.join(dir, "retort.config.ts"), initConfig(h));
}

/** `retort --version` and `node -e 0`, alternated, medians of both. */
export function startupCase(h) {
  const runs = Math.max(9, h.opts.repeats * 3);
  const node = [];
  const retort = [];
  h.log(`start-up: retort --version vs node -e 0, ${runs} runs each`);
  for (let i = 0; i < runs; i++) {
    node.push(h.run([process.execPath, "-e", "0"], h.work).seconds);
    retort.push(h.retort(h.work, ["--version"]).seconds);
  }
  const nodeS = h.median(node);
  const retortS = h.median(retort);
  const ratio = retortS / nodeS;
  h.log(`  node -e 0 ${nodeS.toFixed(3)} s, retort --version ${retortS.toFixed(3)} s (${ratio.toFixed(2)}x)`);
  h.results.push({
    name: "version-vs-node",
    retort_s: h.round(retortS),
    node_s: h.round(nodeS),
    retort_runs_s: retort.map((x) => h.round(x)),
    node_runs_s: node.map((x) => h.round(x)),
    ratio_to_node: h.round(ratio, 2),
    goal: "at most 1.5x node -e 0",
    goal_met: ratio <= 1.5,
  });
}

/**
 * A history shaped like a real one: 550 branchy revisions (a merge every
 * ten), a TypeScript config; heads, history and current, warm and cold.
 */
export function realSizeCases(h) {
  const n = 550;
  const rdir = path.join(h.work, `retort-real-${n}`);
  const adir = path.join(h.work, `alembic-real-${n}`);
  h.log(`generating ${n} branchy revisions with a TypeScript config`);
  generateRetortProject(rdir, n, { branchy: true });
  withTsConfig(h, rdir);
  const written = Date.now();
  if (h.opts.alembic) h.run(["python3", h.genAlembic, adir, String(n), "--branchy"], h.work);
  settle(written);
  h.retort(rdir, ["stamp", "heads"]);
  if (h.opts.alembic) h.alembic(adir, ["stamp", "heads"]);
  const goal = { text: "at least 4x faster than Alembic", applies: h.opts.alembic, met: (e) => e.ratio >= 4 };
  for (const command of ["heads", "history", "current"]) {
    h.log(`real-size ${command}/${n}`);
    // Retort's warm runs and Alembic's in turn (see `measureAlternating`).
    const [warm, alembic] = h.measureAlternating([
      { label: `retort ${command} (warm)`, fn: () => h.retort(rdir, [command], { measureRss: true }) },
      h.opts.alembic
        ? { label: `alembic ${command}`, fn: () => h.alembic(adir, [command], { measureRss: true }) }
        : null,
    ]);
    const cold = h.attempt(command, () =>
      h.measure(`retort ${command} (cold)`, () => h.retort(rdir, [command]), { before: () => clearProjectCaches(h) }),
    );
    const empty = h.attempt(command, () =>
      h.measure(`retort ${command} (cold, empty cache folder)`, () => h.retort(rdir, [command]), {
        before: () => clearRetortCache(h),
      }),
    );
    h.addResult(`${command}/real-ts-config/${n}`, goal, warm, alembic, {
      revisions: n,
      retort_cold_s: cold?.seconds ? h.round(cold.seconds) : null,
      ratio_cold: cold?.seconds && alembic?.seconds ? h.round(alembic.seconds / cold.seconds, 2) : null,
      retort_cold_empty_cache_s: empty?.seconds ? h.round(empty.seconds) : null,
    });
  }
}

/**
 * Upgrade from an empty SQLite database: warm (the cache filled by an
 * earlier run) and cold (the project's caches and the migrations'
 * byte-code removed first, as on the first run after a deploy; see
 * `clearProjectCaches`), and for Retort also with the whole cache folder
 * removed (reported beside, not judged).
 */
export function applyCases(h, sizes) {
  for (const n of sizes) {
    const rdir = path.join(h.work, `retort-apply-${n}`);
    const adir = path.join(h.work, `alembic-apply-${n}`);
    const last = rid(n - 1);
    h.log(`generating ${n} linear revisions (TypeScript config) for upgrade from empty`);
    generateRetortProject(rdir, n);
    withTsConfig(h, rdir);
    if (h.opts.alembic) h.run(["python3", h.genAlembic, adir, String(n)], h.work);
    const check = () => h.expectAll("retort current after upgrade", h.retort(rdir, ["current"]).stdout, [last]);
    const upgrade = () => h.retort(rdir, ["upgrade", "head"], { measureRss: true });
    const aCheck = () => h.expectAll("alembic current after upgrade", h.alembic(adir, ["current"]).stdout, [last]);
    const aUpgrade = () => h.alembic(adir, ["upgrade", "head"], { measureRss: true });
    // Retort's runs and Alembic's in turn, warm and cold together (see `measureAlternating`): a
    // slower minute of the host then weighs on the warm and the cold runs alike, as the goal
    // compares them. A cold run's `before` empties the caches; the warm run after it finds
    // them filled again by that run.
    const [warm, alembicWarm, cold, alembicCold] = h.measureAlternating([
      { label: "retort upgrade head (warm)", fn: upgrade, before: () => h.removeDb(rdir), check },
      h.opts.alembic
        ? { label: "alembic upgrade head (warm)", fn: aUpgrade, before: () => h.removeDb(adir), check: aCheck }
        : null,
      {
        label: "retort upgrade head (cold)",
        fn: upgrade,
        before: () => {
          h.removeDb(rdir);
          clearProjectCaches(h);
        },
        check,
      },
      h.opts.alembic
        ? {
            label: "alembic upgrade head (cold)",
            fn: aUpgrade,
            before: () => {
              h.removeDb(adir);
              clearPycache(adir);
            },
            check: aCheck,
          }
        : null,
    ]);
    const empty = h.attempt("upgrade head", () =>
      h.measure("retort upgrade head (cold, empty cache folder)", upgrade, {
        before: () => {
          h.removeDb(rdir);
          clearRetortCache(h);
        },
        check,
      }),
    );
    const goal = {
      text: "at least 4x faster than Alembic, warm and cold; cold within 1.5x of warm",
      applies: h.opts.alembic,
      met: (e) => e.ratio >= 4 && e.ratio_cold >= 4 && e.retort_cold_s <= 1.5 * e.retort_s,
    };
    h.addResult(`upgrade-from-empty/linear/${n}`, goal, warm, alembicWarm, {
      revisions: n,
      retort_cold_s: cold?.seconds ? h.round(cold.seconds) : null,
      alembic_cold_s: alembicCold?.seconds ? h.round(alembicCold.seconds) : null,
      ratio_cold: cold?.seconds && alembicCold?.seconds ? h.round(alembicCold.seconds / cold.seconds, 2) : null,
      retort_cold_empty_cache_s: empty?.seconds ? h.round(empty.seconds) : null,
      ratio_cold_empty_cache:
        empty?.seconds && alembicCold?.seconds ? h.round(alembicCold.seconds / empty.seconds, 2) : null,
      retort_ms_per_migration: warm?.seconds ? h.round((warm.seconds / n) * 1000, 2) : null,
    });
  }
}

/**
 * Peak RSS of `upgrade head` from empty over 10,000 migrations: a cold run
 * (it compiles and writes the cache), then a warm one; the larger peak counts.
 */
export function memoryCase(h, n) {
  const rdir = path.join(h.work, `retort-memory-${n}`);
  h.log(`generating ${n} linear revisions for the memory case`);
  generateRetortProject(rdir, n);
  const r = h.attempt("upgrade head (memory)", () => {
    const runs = [];
    for (const kind of ["cold", "warm"]) {
      h.removeDb(rdir);
      const result = h.retort(rdir, ["upgrade", "head"], { measureRss: true });
      h.log(
        `  upgrade head of ${n} (${kind}): ${result.seconds.toFixed(2)} s, peak ${(result.rssKb / 1024).toFixed(1)} MB`,
      );
      runs.push(result);
    }
    const seconds = runs[1].seconds;
    return { seconds, first: runs[0].seconds, runs: [seconds], rssKb: Math.max(...runs.map((x) => x.rssKb ?? 0)) };
  });
  const mb = r?.rssKb ? r.rssKb / 1024 : null;
  h.results.push({
    name: `memory/upgrade-from-empty/${n}`,
    retort_s: r?.seconds ? h.round(r.seconds) : null,
    retort_peak_rss_mb: mb === null ? null : h.round(mb, 1),
    ...(r?.error ? { retort_error: r.error } : {}),
    goal: "peak RSS under 150 MB",
    goal_met: mb === null ? null : mb < 150,
  });
}

/**
 * `upgrade head` of `n` migrations on PostgreSQL: Retort's own work between
 * two statements, per migration, beside the DDL's floor and Alembic (see
 * postgres.mjs, which this runs). A server that cannot be reached is a
 * note, not a failure: benchmarks are not tests.
 */
export async function postgresCase(h, n) {
  const { measurePostgres, GOAL_OWN_WORK_MS } = await import("./postgres.mjs");
  const name = `upgrade-from-empty/postgres/${n}`;
  const goal = `Retort's own work between two statements under ${GOAL_OWN_WORK_MS} ms per migration`;
  h.log(`PostgreSQL: upgrade head of ${n} migrations`);
  try {
    const r = await measurePostgres({
      count: n,
      repeats: h.opts.repeats,
      alembic: h.opts.alembic ? h.alembicBin : null,
      alembicSkipped: h.opts.alembic ? undefined : "Alembic cases skipped",
      genAlembic: h.genAlembic,
      log: (text) => h.log(`  ${text}`),
    });
    h.log(`  own work between statements ${r.own_work_ms} ms per migration (goal: under ${GOAL_OWN_WORK_MS} ms)`);
    const { machine, count, goal_met, goal_own_work_ms, ...measured } = r;
    h.results.push({
      name,
      ...measured,
      revisions: count,
      goal,
      goal_met,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    h.log(`  PostgreSQL case FAILED: ${message}`);
    h.notes.push(`PostgreSQL case not measured: ${message.split("\n")[0]}`);
    h.results.push({ name, retort_error: message.slice(0, 800), goal, goal_met: null });
  }
}
