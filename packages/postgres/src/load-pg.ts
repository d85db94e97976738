import { createRequire } from "node:module";
import type pg from "pg";

const require = createRequire(import.meta.url);
let loaded: typeof pg | undefined;

/**
 * pg, loaded on the first connection rather than with the package, so a
 * run that never connects to PostgreSQL does not pay for it.
 *
 * pg decides at load time whether it runs in a Cloudflare Worker
 * (`isCloudflareRuntime()` in `pg/lib/stream.js`): it reads
 * `navigator.userAgent`, and where there is no global `navigator` (Node 20
 * and older) it constructs a `Response`, which makes Node load its
 * bundled undici: about 15 ms of a `retort check`. Node 21 and later
 * define `navigator` with `userAgent` `Node.js/<major>`; on older Node the
 * same object stands in while pg loads and is removed afterwards, so pg
 * takes its Node.js path without the detour.
 */
export function loadPg(): typeof pg {
  if (loaded !== undefined) return loaded;
  const standIn = !("navigator" in globalThis);
  if (standIn) {
    const userAgent = `Node.js/${process.versions.node.split(".")[0]}`;
    Object.defineProperty(globalThis, "navigator", { value: { userAgent }, configurable: true, writable: true });
  }
  try {
    loaded = require("pg") as typeof pg;
  } finally {
    if (standIn) Reflect.deleteProperty(globalThis, "navigator");
  }
  return loaded;
}
