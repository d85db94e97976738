import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Parses a `.env` file: `KEY=VALUE` lines, an optional `export ` prefix,
 * `#` comments (whole lines, or after an unquoted value and a space),
 * values in double quotes (escapes `\n \r \t \" \\`, may span lines),
 * single quotes or backticks (taken as written). Unquoted values are
 * trimmed. Lines that are not assignments are ignored; the last
 * assignment of a key wins.
 *
 * ```ts
 * parseDotEnv('DATABASE_URL="postgresql://app@db/app" # prod\n'); // { DATABASE_URL: "postgresql://app@db/app" }
 * ```
 */
export function parseDotEnv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let position = 0;
  while (position < source.length) {
    const lineEnd = indexOrEnd(source, "\n", position);
    const line = source.slice(position, lineEnd);
    const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/.exec(line);
    if (assignment === null) {
      position = lineEnd + 1;
      continue;
    }
    const key = assignment[1] ?? "";
    const valueStart = position + assignment[0].length;
    const quote = source.charAt(valueStart);
    if (quote === '"' || quote === "'" || quote === "`") {
      const close = findClosingQuote(source, valueStart + 1, quote);
      if (close !== -1) {
        const body = source.slice(valueStart + 1, close);
        result[key] = quote === '"' ? unescapeDoubleQuoted(body) : body;
        position = indexOrEnd(source, "\n", close) + 1;
        continue;
      }
    }
    const raw = source.slice(valueStart, lineEnd);
    // A `#` starts a comment only after white space, so `pa#ss` stays whole.
    const comment = raw.search(/(?:^|\s)#/);
    result[key] = (comment === -1 ? raw : raw.slice(0, comment)).trim();
    position = lineEnd + 1;
  }
  return result;
}

/**
 * Loads `.env` from `cwd` into `env` (default `process.env`). Variables
 * already set win over the file. Returns the names that were set; a
 * missing file sets nothing.
 */
export function loadDotEnv(
  cwd: string = process.cwd(),
  env: Record<string, string | undefined> = process.env,
): string[] {
  const file = path.join(cwd, ".env");
  if (!existsSync(file)) return [];
  const assigned: string[] = [];
  for (const [key, value] of Object.entries(parseDotEnv(readFileSync(file, "utf8")))) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    assigned.push(key);
  }
  return assigned;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

function findClosingQuote(text: string, from: number, quote: string): number {
  for (let index = from; index < text.length; index++) {
    const character = text.charAt(index);
    if (character === "\\" && quote === '"') {
      index++;
      continue;
    }
    if (character === quote) return index;
  }
  return -1;
}

function unescapeDoubleQuoted(body: string): string {
  return body.replace(/\\([nrt"\\])/g, (_, character: string) =>
    character === "n" ? "\n" : character === "r" ? "\r" : character === "t" ? "\t" : character,
  );
}
