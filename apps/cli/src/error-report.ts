import { readFileSync } from "node:fs";
import path from "node:path";
import { sourceMappedStack, stackFrames } from "@retort/core/errors";

/** How deep the report follows `cause`. */
const MAX_CAUSES = 8;

/**
 * Whether a failure prints the stack: `-v`/`--verbose` anywhere on the
 * command line (a command's own `--verbose` counts too), or `RETORT_DEBUG`
 * set to anything but `0`. Read from the raw arguments, so that it holds
 * even when the arguments themselves fail to parse.
 */
export function wantsStacks(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const debug = env.RETORT_DEBUG;
  if (debug !== undefined && debug !== "" && debug !== "0") return true;
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "-v" || arg === "--verbose");
}

/**
 * The stack of `error` and then of each of its causes, printed before the
 * `FAILED:` line (which always ends the output). The first error's message
 * is left out (the `FAILED:` line has it); each cause comes with its own.
 */
export function stackReport(error: unknown): string {
  const parts: string[] = [];
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSES && current !== undefined; depth++) {
    const stack = readableFrames(
      sourceMappedStack(current instanceof Error ? (current.stack ?? String(current)) : String(current)),
    );
    parts.push(depth === 0 ? framesOnly(stack) : `Caused by: ${stack}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${parts.filter((part) => part !== "").join("\n")}\n`;
}

/**
 * `text` with what looks like a secret written as `***`: the password of a
 * URL (`postgresql://app:***@db/app`, also when a path joined its `//`
 * into one `/`), and the password of a `CREATE ROLE ... PASSWORD '...'` or
 * `IDENTIFIED BY '...'` statement. The last guard of every failure the
 * command prints: a URL typed where a command or a revision goes, a failed
 * statement that carries one, a driver's message quoting it.
 *
 * ```ts
 * maskSecretsInText("invalid command 'postgresql://app:s3cret@db/app'"); // "... 'postgresql://app:***@db/app'"
 * ```
 */
export function maskSecretsInText(text: string): string {
  return text.replace(URL_PASSWORD, "$1***").replace(SQL_PASSWORD, "$1'***'");
}

/**
 * `scheme://user:password` up to the `@` of the host, or up to a quote or
 * a space when the rest was cut off (a revision argument is split at its
 * `@`). A port (`host:5432/db`) is followed by `/`, and stays.
 */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/?[^\s/:@'"`]*:)([^\s'"`@/]+)(?=[@'"`\s]|$)/gi;

/** A password in a statement about a user or role: `CREATE ROLE app PASSWORD 'x'`, `... IDENTIFIED BY 'x'`. */
const SQL_PASSWORD = /(\b(?:USER|ROLE)\b[^\n]*?\b(?:PASSWORD|IDENTIFIED\s+BY)\s+)('(?:[^']|'')*'|\$\$[\s\S]*?\$\$)/gi;

/**
 * A line asking for a bug report when the error was thrown by Retort's own
 * code (its top frame is in the `retort` or an `@retort/*` package), and
 * nothing otherwise: an error from a library or from the user's code is
 * not Retort's bug.
 */
export function bugNote(error: unknown): string {
  const top = error instanceof Error ? stackFrames(error)[0] : undefined;
  if (top === undefined || !isRetortFile(top.file)) return "";
  return "This is a bug in Retort; please report it, with the command and this output.\n";
}

/**
 * A frame of a `.ts` file that tsx ran from a `data:` URL carries the whole
 * compiled module in the URL; the report shows the file instead.
 */
function readableFrames(stack: string): string {
  return stack.replace(
    /data:text\/javascript,\S*?\?filePath=(\S*?)(:\d+:\d+)(?=\)?$)/gm,
    (_, file: string, at: string) => {
      try {
        return `${decodeURIComponent(file).replace(/\?.*$/, "")} (compiled)${at}`;
      } catch {
        return `<compiled module>${at}`;
      }
    },
  );
}

/**
 * The frames of a stack without the error's own text: V8 indents a frame
 * by four spaces, while a Retort message's own lines (`  at
 * migrations/versions/b000_copy.ts:16:32`, `  The whole run was rolled
 * back: ...`) have two, and stay with the FAILED: line.
 */
function framesOnly(stack: string): string {
  const lines = stack.split("\n");
  const first = lines.findIndex((line) => /^ {4}at /.test(line));
  return first === -1 ? "" : lines.slice(first).join("\n");
}

const packageNames = new Map<string, string | undefined>();

/** Whether `file` belongs to the `retort` package or an `@retort/*` one (by its nearest package.json). */
function isRetortFile(file: string): boolean {
  const name = packageNameOf(path.dirname(file));
  return name === "retort" || (name?.startsWith("@retort/") ?? false);
}

function packageNameOf(folder: string): string | undefined {
  if (packageNames.has(folder)) return packageNames.get(folder);
  let name: string | undefined;
  try {
    const json = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { name?: unknown };
    if (typeof json.name === "string") name = json.name;
  } catch {
    // No package.json here (or an unreadable one): look further up.
  }
  // A package.json without a name (`{ "type": "module" }` in a subfolder) does not end the search.
  const parent = path.dirname(folder);
  if (name === undefined && parent !== folder) name = packageNameOf(parent);
  packageNames.set(folder, name);
  return name;
}
