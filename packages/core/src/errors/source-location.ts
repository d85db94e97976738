import { readFileSync, realpathSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** A place in a source file, as a stack frame names it (1-based line and column; 0 when only the file is known). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** How deep `locationIn` follows `cause`. */
const MAX_CAUSES = 8;

/**
 * Where in `file` an error was thrown: the first frame of the error's stack
 * (then of its `cause`'s, and so on) whose file is `file`. The line is the
 * line of the `.ts` source: Retort's compiled modules carry source maps
 * (see `stackFrames`), and tsx turns Node's on for the files it loads.
 * `undefined` when no frame is in `file` (a
 * database error created in the driver, a syntax error found by the
 * compiler).
 *
 * ```ts
 * locationIn(error, "/app/migrations/versions/ab12_add.ts");
 * // { file: "/app/migrations/versions/ab12_add.ts", line: 14, column: 11 }
 * ```
 */
export function locationIn(error: unknown, file: string): SourceLocation | undefined {
  const wanted = new Set([path.resolve(file), realPath(file)]);
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSES && current instanceof Error; depth++) {
    for (const frame of stackFrames(current)) {
      if (wanted.has(frame.file) || wanted.has(realPath(frame.file))) return { ...frame, file: path.resolve(file) };
    }
    current = current.cause;
  }
  return undefined;
}

/**
 * The frames of an error's stack that name a file (not `node:` internals or
 * native code), top first. A frame in a module Retort compiled into its
 * cache names the source file and line instead, from the module's source
 * map, whether or not Node's source maps are on.
 */
export function stackFrames(error: Error): SourceLocation[] {
  const frames: SourceLocation[] = [];
  for (const line of (error.stack ?? "").split("\n")) {
    const frame = parseFrame(line);
    if (frame !== undefined) frames.push(frame);
  }
  return frames;
}

/**
 * `file:line:col` with the file relative to `cwd` when it lies inside it,
 * as a user would type it: `migrations/versions/ab12_add.ts:14:11`.
 */
export function formatLocation(location: SourceLocation, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, location.file);
  const shown = relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? location.file : relative;
  return location.line === 0 ? shown : `${shown}:${location.line}:${location.column}`;
}

/**
 * `error.stack` with each frame in a module Retort compiled naming the
 * `.ts` file, line and column it came from (see `stackFrames`); the other
 * lines as they are. For printing a stack when Node's source maps are off.
 */
export function sourceMappedStack(stack: string): string {
  return stack
    .split("\n")
    .map((line) => {
      const frame = framePlace(line);
      if (frame === undefined) return line;
      const original = originalLocation(frame.location);
      if (original === undefined) return line;
      const at = line.lastIndexOf(frame.place);
      return `${line.slice(0, at)}${original.file}:${original.line}:${original.column}${line.slice(at + frame.place.length)}`;
    })
    .join("\n");
}

/**
 * One line of a V8 stack: `    at fn (/a/b.ts:3:9)`, `    at async fn
 * (file:///a/b.ts:3:9)` or `    at /a/b.ts:3:9`.
 */
function parseFrame(line: string): SourceLocation | undefined {
  const frame = framePlace(line);
  if (frame === undefined) return undefined;
  return originalLocation(frame.location) ?? frame.location;
}

/** The place a stack line names (`/a/b.ts:3:9`, as written) and where that is, as Node reports it. */
function framePlace(line: string): { place: string; location: SourceLocation } | undefined {
  const text = line.trim();
  if (!text.startsWith("at ")) return undefined;
  const open = text.indexOf(" (");
  const place = text.endsWith(")") && open !== -1 ? text.slice(open + 2, -1) : text.slice(3).replace(/^async /, "");
  const match = /^(.*):(\d+):(\d+)$/.exec(place);
  if (match === null) return undefined;
  const [, where = "", lineNumber, column] = match;
  const compiled = compiledModuleFile(where);
  // A `.ts` file in a CommonJS package runs from a `data:` URL of its
  // compiled code, without a source map: its line numbers are the compiled
  // code's, so only the file is known (line 0).
  if (compiled !== undefined) return { place, location: { file: compiled, line: 0, column: 0 } };
  const file = absolutePath(where);
  return file === undefined
    ? undefined
    : { place, location: { file, line: Number(lineNumber), column: Number(column) } };
}

/** The absolute path a frame or a source map names (a path or a `file:` URL); `undefined` for anything else. */
function absolutePath(where: string): string | undefined {
  let file = where;
  if (file.startsWith("file://")) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(file) ? file : undefined;
}

/**
 * A module Retort compiled into its cache: a batch script (`<key>.cjs`, its
 * source map in a file beside it) or a module on its own (`<key>.mjs`, an
 * inline source map), named by its content's key.
 */
const COMPILED_MODULE = /^[0-9a-f]{32,64}\.[cm]js$/;
/** The source maps read so far, by compiled file (`null`: it has none). */
const sourceMaps = new Map<string, SourceMap | null>();

/**
 * Where a frame in a module Retort compiled came from: the `.ts` file, line
 * and column its source map gives. Retort leaves Node's source maps off
 * (turning them on costs every command about 7 ms; `--enable-source-maps`
 * still does), so Node's stack names the compiled file; the map is read
 * only when an error is reported. `undefined` for any other frame.
 */
function originalLocation(location: SourceLocation): SourceLocation | undefined {
  if (!COMPILED_MODULE.test(path.basename(location.file))) return undefined;
  let map = sourceMaps.get(location.file);
  if (map === undefined) {
    map = readSourceMap(location.file);
    sourceMaps.set(location.file, map);
  }
  if (map === null) return undefined;
  const entry = map.findEntry(location.line - 1, location.column - 1) as Partial<{
    originalSource: string;
    originalLine: number;
    originalColumn: number;
  }>;
  const { originalSource, originalLine, originalColumn } = entry;
  if (originalSource === undefined || originalLine === undefined || originalColumn === undefined) return undefined;
  const file = absolutePath(originalSource);
  return file === undefined ? undefined : { file, line: originalLine + 1, column: originalColumn + 1 };
}

/** The source map named by the last line of a compiled file (a file beside it or a `data:` URL), or `null`. */
function readSourceMap(file: string): SourceMap | null {
  try {
    const text = readFileSync(file, "utf8");
    const marker = "//# sourceMappingURL=";
    const at = text.lastIndexOf(marker);
    if (at === -1) return null;
    const url = text.slice(at + marker.length).trim();
    const base64 = /^data:application\/json;(?:charset=utf-8;)?base64,/.exec(url);
    const json =
      base64 !== null
        ? Buffer.from(url.slice(base64[0].length), "base64").toString("utf8")
        : url.includes(":")
          ? undefined
          : readFileSync(path.resolve(path.dirname(file), decodeURIComponent(url)), "utf8");
    return json === undefined ? null : new SourceMap(JSON.parse(json));
  } catch {
    return null;
  }
}

/**
 * The source file of a frame that tsx ran from a `data:` URL (a `.ts` file
 * compiled to CommonJS and loaded through the ESM hooks): the URL ends with
 * `?filePath=<the file, URL-encoded>`.
 */
export function compiledModuleFile(where: string): string | undefined {
  if (!where.startsWith("data:")) return undefined;
  const marker = where.lastIndexOf("?filePath=");
  if (marker === -1) return undefined;
  let file: string;
  try {
    file = decodeURIComponent(where.slice(marker + "?filePath=".length));
  } catch {
    return undefined;
  }
  const query = file.indexOf("?");
  file = query === -1 ? file : file.slice(0, query);
  return path.isAbsolute(file) ? file : undefined;
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
