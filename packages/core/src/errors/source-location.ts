import { realpathSync } from "node:fs";
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
 * (then of its `cause`'s, and so on) whose file is `file`. Migrations and
 * configs are compiled by tsx, which turns on source maps, so the line is
 * the line of the `.ts` source. `undefined` when no frame is in `file` (a
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

/** The frames of an error's stack that name a file (not `node:` internals or native code), top first. */
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
 * One line of a V8 stack: `    at fn (/a/b.ts:3:9)`, `    at async fn
 * (file:///a/b.ts:3:9)` or `    at /a/b.ts:3:9`.
 */
function parseFrame(line: string): SourceLocation | undefined {
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
  if (compiled !== undefined) return { file: compiled, line: 0, column: 0 };
  let file = where;
  if (file.startsWith("file://")) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  if (!path.isAbsolute(file)) return undefined;
  return { file, line: Number(lineNumber), column: Number(column) };
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
