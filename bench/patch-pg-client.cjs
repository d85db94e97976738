// For the preloads of bench/postgres.mjs and bench/pg-own-work-probe.mjs:
// replaces `pg.Client.prototype.query` with `wrap(query)` once the process
// loads pg (Retort's PostgreSQL driver requires it on first connect), and
// writes `record()` as JSON to `file` when the process exits, if `file` is
// set. Retort is not changed or told.

const fs = require("node:fs");
const Module = require("node:module");

/** @param {(query: Function) => Function} wrap @param {string | undefined} file @param {() => unknown} record */
function patchPgClient(wrap, file, record) {
  let patched = false;
  const load = Module._load;
  Module._load = function loadAndPatch(request, ...rest) {
    const loaded = load.call(this, request, ...rest);
    if (request === "pg" && !patched && typeof loaded?.Client === "function") {
      patched = true;
      loaded.Client.prototype.query = wrap(loaded.Client.prototype.query);
    }
    return loaded;
  };
  process.on("exit", () => {
    if (file) fs.writeFileSync(file, JSON.stringify(record()));
  });
}

module.exports = { patchPgClient };
