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

const { patchPgClient } = require("./patch-pg-client.cjs");

const answerAfterMs = Number(process.env.RETORT_BENCH_ANSWER_AFTER_MS ?? 0);
const MIGRATION_DDL = /^CREATE TABLE "t_\d+"/;
const gaps = [];
let lastAnswered = 0;

patchPgClient(
  (query) =>
    function answeredLocally(config, ...rest) {
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
    },
  process.env.RETORT_BENCH_PG_TIMES,
  () => ({ gaps }),
);
