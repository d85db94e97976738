import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The compiler options a `tsconfig.json` gives, with its `extends` chain
 * followed (a relative path or a package's export such as
 * `@retort/core/tsconfig`; an array of them, later ones winning), as one
 * tsconfig text: what esbuild's transform is given (it reads no `extends`
 * itself) and what a compiled module's cache key holds, so an edit to any
 * file of the chain compiles the migrations again. `undefined` when a file
 * of the chain cannot be read or parsed: the caller leaves such files to
 * the loader hooks, which read tsconfig files themselves.
 */
export function flattenTsconfig(file: string): string | undefined {
  const options = compilerOptions(file, new Set());
  return options === undefined ? undefined : JSON.stringify({ compilerOptions: options });
}

function compilerOptions(file: string, seen: Set<string>): Record<string, unknown> | undefined {
  if (seen.has(file)) return undefined;
  seen.add(file);
  let config: { extends?: unknown; compilerOptions?: unknown };
  try {
    config = parseJsonc(fs.readFileSync(file, "utf8")) as typeof config;
  } catch {
    return undefined;
  }
  if (config === null || typeof config !== "object") return undefined;
  const parents = config.extends === undefined ? [] : Array.isArray(config.extends) ? config.extends : [config.extends];
  let merged: Record<string, unknown> = {};
  for (const parent of parents) {
    if (typeof parent !== "string") return undefined;
    const parentFile = resolveExtends(parent, path.dirname(file));
    const inherited = parentFile === undefined ? undefined : compilerOptions(parentFile, seen);
    if (inherited === undefined) return undefined;
    merged = { ...merged, ...inherited };
  }
  const own = config.compilerOptions;
  return own !== null && typeof own === "object" ? { ...merged, ...(own as Record<string, unknown>) } : merged;
}

function resolveExtends(specifier: string, folder: string): string | undefined {
  if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
    const target = path.resolve(folder, specifier);
    if (fs.existsSync(target) && fs.statSync(target).isFile()) return target;
    return fs.existsSync(`${target}.json`) ? `${target}.json` : undefined;
  }
  const require = createRequire(path.join(folder, "tsconfig.json"));
  for (const candidate of [specifier, `${specifier}.json`, `${specifier}/tsconfig.json`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // The next form TypeScript also tries.
    }
  }
  return undefined;
}

/** JSON with comments and trailing commas, as tsconfig files are written. */
export function parseJsonc(text: string): unknown {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (char === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 1;
      out += " ";
    } else {
      out += char;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}
