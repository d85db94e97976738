// Preloaded (`node --require`) into a `retort upgrade head` by
// bench/postgres.mjs: times each migration's CREATE TABLE as the pg client
// sees it, and writes them to the file named by RETORT_BENCH_PG_TIMES when
// the process exits. Retort is not changed or told.
//
// - gap: from the previous migration's statement settling to this one
//   being handed to pg: Retort's own work between two statements.
// - roundTrip: from handing a statement to pg to its promise settling:
//   the server's work, the network, and any wait of the answer for a busy
//   main thread.
// - send: how long pg's own `query()` call took (building the message and
//   writing it to the socket), which `gap` includes: `gap - send` is
//   Retort's own work between two statements.

const { patchPgClient } = require("./patch-pg-client.cjs");

const gaps = [];
const roundTrips = [];
const sends = [];
let lastSettled = 0;
const MIGRATION_DDL = /^CREATE TABLE "t_\d+"/;

patchPgClient(
  (query) =>
    function timedQuery(config, ...rest) {
      const text = typeof config === "string" ? config : config?.text;
      const calling = performance.now();
      const result = query.call(this, config, ...rest);
      if (!MIGRATION_DDL.test(String(text)) || typeof result?.then !== "function") return result;
      const sent = performance.now();
      sends.push(sent - calling);
      if (lastSettled !== 0) gaps.push(sent - lastSettled);
      const settle = () => {
        lastSettled = performance.now();
        roundTrips.push(lastSettled - sent);
      };
      result.then(settle, settle);
      return result;
    },
  process.env.RETORT_BENCH_PG_TIMES,
  () => ({ gaps, roundTrips, sends }),
);
