import fs from "node:fs";
import path from "node:path";

/** `name`, `@scope/name`, either with a subpath. */
const BARE_SPECIFIER = /^((?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*)(\/[A-Za-z0-9._~/-]+)?$/;
/** The conditions an `import` from Node matches (esbuild's, for a Node build with no `conditions`). */
const IMPORT_CONDITIONS = new Set(["import", "node", "default"]);

/**
 * The file an ES module `import specifier` from `folder` loads, found the
 * way Node (and esbuild, which Retort otherwise asks) finds it, for the
 * common case only: a package in a `node_modules` folder above `folder`
 * whose `package.json` has an `exports` field naming the subpath exactly
 * (an exact key comes before patterns in Node's resolution too) and a
 * target for the conditions `import`, `node` or `default` (first match in
 * the map's order). Symlinks are resolved (pnpm's layout).
 * `undefined` for anything else (no `exports`, patterns, arrays, a
 * package importing itself by name, a target that does not exist): the
 * caller then asks esbuild, as it always did.
 */
export function resolvePackageDirectly(folder: string, specifier: string): string | undefined {
  const parsed = BARE_SPECIFIER.exec(specifier);
  if (parsed === null) return undefined;
  const name = parsed[1] as string;
  const subpath = `.${parsed[2] ?? ""}`;
  if (importsItself(folder, name)) return undefined;
  for (let directory = folder; ; ) {
    if (path.basename(directory) !== "node_modules") {
      const packageFolder = path.join(directory, "node_modules", name);
      const manifest = readManifest(path.join(packageFolder, "package.json"));
      if (manifest !== undefined) return fileOf(packageFolder, manifest, subpath);
    }
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

function fileOf(packageFolder: string, manifest: Record<string, unknown>, subpath: string): string | undefined {
  const exports = manifest.exports;
  if (exports === undefined || exports === null) return undefined;
  let entry: unknown;
  if (typeof exports === "string" || Array.isArray(exports)) {
    entry = subpath === "." ? exports : undefined;
  } else if (typeof exports === "object") {
    const keys = Object.keys(exports);
    const subpaths = keys.some((key) => key.startsWith("."));
    if (subpaths && keys.some((key) => !key.startsWith("."))) return undefined;
    entry = subpaths ? (exports as Record<string, unknown>)[subpath] : subpath === "." ? exports : undefined;
  }
  const target = targetOf(entry);
  if (target === undefined || !target.startsWith("./") || target.includes("*")) return undefined;
  const file = path.join(packageFolder, target);
  // `path.join` normalizes `..`: a target must stay inside its package.
  if (!file.startsWith(packageFolder + path.sep)) return undefined;
  try {
    const real = fs.realpathSync(file);
    // A TypeScript target is left to esbuild, whose answer the callers refuse.
    return fs.statSync(real).isFile() && !/\.[cm]?tsx?$/.test(real) ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A string target, or the first matching condition's (a nested map that
 * matches nothing passes to the next condition, as in Node); `undefined`
 * for no match, `null`, and anything with an array (fallbacks) in the way.
 */
function targetOf(entry: unknown): string | undefined {
  const target = matchTarget(entry);
  return typeof target === "string" ? target : undefined;
}

const GIVE_UP = Symbol("give-up");

function matchTarget(entry: unknown): string | undefined | typeof GIVE_UP {
  if (typeof entry === "string") return entry;
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return GIVE_UP;
  for (const [condition, value] of Object.entries(entry)) {
    if (!IMPORT_CONDITIONS.has(condition)) continue;
    const target = matchTarget(value);
    if (target !== undefined) return target;
  }
  return undefined;
}

/** Whether the package `folder` lies in is named `name` (Node resolves a package's import of its own name to itself). */
function importsItself(folder: string, name: string): boolean {
  for (let directory = folder; ; ) {
    const manifest = readManifest(path.join(directory, "package.json"));
    if (manifest !== undefined) return manifest.name === name;
    const parent = path.dirname(directory);
    if (parent === directory) return false;
    directory = parent;
  }
}

function readManifest(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
