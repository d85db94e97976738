// Named imports: this file loads before anything else, and a default
// import of a built-in makes the bundle copy the whole module's properties.
import { readFileSync, statSync } from "node:fs";
import { Module } from "node:module";
import { join } from "node:path";

/**
 * A request for one of Retort's packages or one of its subpaths, as
 * Retort's bundles make them (`@retort/core/errors`) and as the driver
 * loader does (`@retort/sqlite`).
 */
const RETORT_REQUEST = /^(@retort\/[a-z0-9][a-z0-9._-]*)(\/[a-z0-9][a-z0-9._-]*)?$/;

/** The conditions Node's `require` matches in an `exports` map (besides `default`). */
const REQUIRE_CONDITIONS = new Set(["require", "node", "default"]);
/** Conditions `require` never matches: their targets are skipped. */
const OTHER_CONDITIONS = new Set(["types", "import"]);

interface ModuleStatics {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _nodeModulePaths(from: string): string[];
}

/** The `exports` map of each package folder looked at (`null`: no package.json there). */
const exportMaps = new Map<string, unknown>();

/**
 * Resolves requests for Retort's own packages (`@retort/*`) without Node's
 * `exports` machinery. Node 20 answers the first such request by loading
 * its ES module resolver (about 5 ms here) and every later one in about
 * 1.5 ms (URL objects, a package.json reader); a command makes three to
 * five (the CLI's core entries, the driver, the driver's core entry).
 *
 * This finds the package folder along the requiring module's
 * `node_modules` paths as Node does, reads the package's `exports` map
 * and takes the target Node's `require` would (a string, or the
 * `require`/`node`/`default` condition, skipping `types` and `import`),
 * then hands the file to Node's own resolution, which follows symlinks as
 * for any request (one module instance per file). Anything else — a
 * package without `exports`, a pattern, another condition, a subpath it
 * does not export, a request with `paths` — goes to Node unchanged, so a
 * missing package fails with Node's own error.
 */
export function installPackageResolver(): void {
  const statics = Module as unknown as ModuleStatics;
  const original = statics._resolveFilename;
  statics._resolveFilename = function resolveFilename(request, parent, isMain, options) {
    if (options === undefined && typeof request === "string" && request.startsWith("@retort/")) {
      const file = retortPackageFile(request, parentPaths(parent, statics));
      if (file !== undefined) return original.call(this, file, parent, isMain);
    }
    return original.call(this, request, parent, isMain, options);
  };
}

function parentPaths(parent: unknown, statics: ModuleStatics): readonly string[] {
  const paths = (parent as { paths?: unknown } | null | undefined)?.paths;
  return Array.isArray(paths) ? (paths as string[]) : statics._nodeModulePaths(process.cwd());
}

/** The file `require(request)` names, for a request of one of Retort's packages; `undefined` to let Node decide. */
export function retortPackageFile(request: string, paths: readonly string[]): string | undefined {
  const match = RETORT_REQUEST.exec(request);
  if (match === null) return undefined;
  const name = match[1] as string;
  const subpath = match[2] === undefined ? "." : `.${match[2]}`;
  for (const folder of paths) {
    const root = join(folder, name);
    if (!exportMaps.has(root)) exportMaps.set(root, readExports(root));
    const exportsMap = exportMaps.get(root);
    if (exportsMap === null) continue;
    // The nearest package of that name decides, as in Node.
    if (typeof exportsMap !== "object" || Array.isArray(exportsMap)) return undefined;
    const entry = Object.hasOwn(exportsMap, subpath) ? (exportsMap as Record<string, unknown>)[subpath] : undefined;
    const target = requireTarget(entry);
    return target === undefined ? undefined : join(root, target);
  }
  return undefined;
}

/** The `exports` of `<root>/package.json`: `null` when there is none, `undefined` when it has no such field. */
function readExports(root: string): unknown {
  const file = join(root, "package.json");
  if (statSync(file, { throwIfNoEntry: false }) === undefined) return null;
  try {
    const json = JSON.parse(readFileSync(file, "utf8")) as { exports?: unknown };
    return json.exports;
  } catch {
    return undefined;
  }
}

/** The relative file an `exports` entry gives `require`, or `undefined` when Node should work it out. */
function requireTarget(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry.startsWith("./") && !entry.includes("*") ? entry : undefined;
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return undefined;
  for (const [condition, target] of Object.entries(entry)) {
    if (OTHER_CONDITIONS.has(condition)) continue;
    if (!REQUIRE_CONDITIONS.has(condition)) return undefined;
    return requireTarget(target);
  }
  return undefined;
}
