#!/usr/bin/env node
// Generate a Retort project with N revisions (linear chain, or branchy with merges).
//
//   node bench/gen-retort.mjs DIR N [--branchy]
//
// The graph (revision ids and down-revisions) is exactly the one written by
// ../shared/bench/gen_alembic.py, so both tools run the same input. Each
// migration creates a tiny table t_<i> in upgrade and drops it in downgrade.
//
// DIR gets retort.config.json, migrations/versions/r000123_m.ts, a package.json
// ({"type":"module"}) and node_modules -> apps/cli/node_modules of this repo,
// so that migration files resolve @retort/core and the CLI finds
// @retort/sqlite even when DIR is in os.tmpdir().

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
/** apps/cli/node_modules of the repository this script lives in. */
export const cliNodeModules = path.resolve(benchDir, "..", "apps", "cli", "node_modules");

/** Revision id of the i-th revision: r000000, r000001, ... */
export function rid(i) {
  return `r${String(i).padStart(6, "0")}`;
}

/**
 * Down-revision of the i-th revision, ported from gen_alembic.py:
 * null for the root, a string for a normal revision, [a, b] for a merge.
 */
export function downRevisionOf(i, branchy) {
  if (i === 0) return null;
  if (branchy && i % 10 === 5) return rid(i - 1); // normal
  if (branchy && i % 10 === 9 && i >= 9) return [rid(i - 1), rid(i - 4)]; // merge of two branches
  if (branchy && i % 10 === 6 && i >= 6) return rid(i - 2); // branch from i-2 (parallel to i-1)
  return rid(i - 1);
}

function literal(value) {
  return value === null ? "null" : JSON.stringify(value).replaceAll(",", ", ");
}

export function migrationSource(i, branchy) {
  return `/** m${i} */
import { column, integer, string, type Operations } from "@retort/core";

export const revision = "${rid(i)}";
export const downRevision = ${literal(downRevisionOf(i, branchy))};
export const branchLabels = null;
export const dependsOn = null;
export const message = "m${i}";

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable("t_${i}", column("id", integer(), { primaryKey: true }), column("name", string(50)));
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable("t_${i}");
}
`;
}

/** Write the project; returns its absolute path. */
export function generateRetortProject(dir, n, { branchy = false } = {}) {
  const root = path.resolve(dir);
  const versions = path.join(root, "migrations", "versions");
  fs.mkdirSync(versions, { recursive: true });
  fs.writeFileSync(
    path.join(root, "retort.config.json"),
    `${JSON.stringify({ scriptLocation: "migrations", url: "sqlite:///bench.db" }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(root, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  const link = path.join(root, "node_modules");
  let existing = null;
  try {
    existing = fs.readlinkSync(link);
  } catch {}
  if (existing !== cliNodeModules) {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(cliNodeModules, link, "dir");
  }
  for (let i = 0; i < n; i++) {
    fs.writeFileSync(path.join(versions, `${rid(i)}_m.ts`), migrationSource(i, branchy));
  }
  return root;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const branchy = args.includes("--branchy");
  const positional = args.filter((a) => !a.startsWith("--"));
  const [dir, nText] = positional;
  const n = Number(nText);
  if (!dir || !Number.isInteger(n) || n < 1) {
    process.stderr.write("usage: node bench/gen-retort.mjs DIR N [--branchy]\n");
    process.exit(2);
  }
  if (!fs.existsSync(cliNodeModules)) {
    process.stderr.write(`warning: ${cliNodeModules} does not exist; run pnpm install in the repository first\n`);
  }
  const root = generateRetortProject(dir, n, { branchy });
  process.stderr.write(`wrote ${n} ${branchy ? "branchy" : "linear"} revisions to ${root}\n`);
}

/**
 * Waits until files written at `since` (ms since the epoch) are older than
 * the 3 s in which Retort's header cache keeps no entry for them (a file
 * may change again within its timestamp tick), so that a warm run is warm:
 * users' migration files are older than that. Without the wait, every
 * graph command timed right after generating reads all the files.
 */
export function settle(since) {
  const left = since + 3_100 - Date.now();
  if (left > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, left);
}
