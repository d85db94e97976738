// Preloaded (`node --require`) into a `retort upgrade head` by
// bench/pg-own-work-probe.mjs: the migrations' CREATE TABLE "t_N" never
// reach the server. Each is answered in this process, after
// RETORT_BENCH_ANSWER_AFTER_MS milliseconds (a timer: the thread sleeps as
// it does while a server works) or, with 0, on the event loop's next turn
// (setImmediate: no sleep). Every other statement (the lock, the version
// table, BEGIN/COMMIT) goes to the server as usual. Retort is not changed
// or told.
//
// It times the gap from one answer to the next statement being handed to
// pg (Retort's own work between two statements, as bench/pg-statement-times.cjs
// times it on the server) and writes the gaps to RETORT_BENCH_PG_TIMES at
// exit. Diagnostic only: the tables are not created, so the run proves
// nothing about the database.

const fs = require("node:fs");
const Module = require("node:module");

const out = process.env.RETORT_BENCH_PG_TIMES;
const answerAfterMs = Number(process.env.RETORT_BENCH_ANSWER_AFTER_MS ?? 0);
const MIGRATION_DDL = /^CREATE TABLE "t_\d+"/;
const gaps = [];
let lastAnswered = 0;
let patched = false;

function patch(pg) {
  if (patched || typeof pg?.Client !== "function") return;
  patched = true;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function answeredLocally(config, ...rest) {
    const text = typeof config === "string" ? config : config?.text;
    if (!MIGRATION_DDL.test(String(text))) return query.call(this, config, ...rest);
    if (lastAnswered !== 0) gaps.push(performance.now() - lastAnswered);
    return new Promise((resolve) => {
      const answer = () => {
        lastAnswered = performance.now();
        resolve({ command: "CREATE", rowCount: null, rows: [], fields: [] });
      };
      if (answerAfterMs > 0) setTimeout(answer, answerAfterMs);
      else setImmediate(answer);
    });
  };
}

const load = Module._load;
Module._load = function loadAndPatch(request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  if (request === "pg") patch(loaded);
  return loaded;
};

process.on("exit", () => {
  if (out) fs.writeFileSync(out, JSON.stringify({ gaps }));
});
