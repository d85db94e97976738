import { readFileSync } from "node:fs";
import path from "node:path";
import { canonicalHeader } from "./canonical-header.js";
import type { RevisionHeader } from "./revision-header.js";
import { ScriptHeaderError, ScriptSyntaxError } from "./script-errors.js";
import { ScanError, SourceScanner, type Token } from "./source-scanner.js";
import { BracketTracker, compilerSyntaxError, type SyntaxProblem } from "./syntax-diagnosis.js";

type HeaderName = "revision" | "downRevision" | "branchLabels" | "dependsOn" | "message" | "createDate";
type HeaderValue = string | string[] | null;

const HEADER_NAMES: ReadonlySet<string> = new Set<HeaderName>([
  "revision",
  "downRevision",
  "branchLabels",
  "dependsOn",
  "message",
  "createDate",
]);

const LITERAL_FIX =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the message names JavaScript's ${} syntax.
  'Header exports are read without running the file, so they must be plain literals: a string ("…", \'…\' or `…` without ${}), an array of strings, or null, e.g. export const downRevision = "1975ea83b712";';

/** Characters with a meaning in revision identifiers (Alembic rejects them in `Revision`). */
const ILLEGAL_ID_CHARACTERS = ["+", "-", ":", "@"];

/**
 * Reads a migration file's header exports without running it:
 * `revision`, `downRevision`, `branchLabels`, `dependsOn`, `message`,
 * `createDate`, and the leading `/** ... *\/` comment as its doc.
 *
 * Values must be literals — strings in any quotes (backticks without
 * `${}`), arrays of strings (`as const` and trailing commas allowed) or
 * `null` — declared with `export const|let|var`, optionally typed
 * (`export const downRevision: string | null = null;`). Anything else, and a
 * file without `export const revision`, throws `ScriptHeaderError` naming
 * the file, the reason and the fix.
 *
 * ```ts
 * const header = readRevisionHeader(file, readFileSync(file, "utf8"));
 * header.downRevision; // "1975ea83b712"
 * ```
 */
export function readRevisionHeader(file: string, text: string): RevisionHeader {
  const absolute = path.resolve(file);
  const present = namesIn(text);
  const canonical = canonicalHeader(text, present);
  if (canonical !== undefined) {
    rejectAlembicNames(absolute, text, canonical.values);
    return buildHeader(absolute, canonical.values, canonical.docComment);
  }
  const scanner = new SourceScanner(text);
  const values = new Map<HeaderName, HeaderValue>();
  const brackets = new BracketTracker();
  let scanProblem: ScanError | undefined;
  try {
    scan(scanner, values, absolute, brackets, present);
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    // Code far below the header may use syntax this scanner misreads; what
    // was read before it stands, but a file without its id is an error.
    scanProblem = error;
  }
  if (!values.has("revision")) {
    const scanned = scanProblem ? { message: scanProblem.message, position: scanProblem.position } : brackets.finish();
    rejectSyntaxError(absolute, text, scanner, scanned);
  }
  rejectAlembicNames(absolute, text, values);
  return buildHeader(absolute, values, scanner.leadingDocComment);
}

/** Alembic's names of the header variables, with Retort's. */
const ALEMBIC_NAMES: readonly (readonly [string, HeaderName])[] = [
  ["down_revision", "downRevision"],
  ["depends_on", "dependsOn"],
  ["branch_labels", "branchLabels"],
];

/**
 * Refuses a header variable exported under Alembic's name (a file ported
 * from Python): `down_revision` would not be read, and the file would
 * become a new root without a word. Only looked for when Retort's name is
 * missing.
 */
function rejectAlembicNames(file: string, text: string, values: ReadonlyMap<HeaderName, HeaderValue>): void {
  for (const [alembic, retort] of ALEMBIC_NAMES) {
    if (values.has(retort) || !text.includes(alembic)) continue;
    if (!new RegExp(`\\bexport\\s+(?:const|let|var)\\s+${alembic}\\b`).test(text)) continue;
    throw new ScriptHeaderError(
      file,
      `it exports '${alembic}', Alembic's name, which Retort does not read`,
      `Rename it: export const ${retort} = ...; (Retort's header names are revision, downRevision, branchLabels, dependsOn).`,
    );
  }
}

/**
 * A file without `export const revision` may be a file with a syntax error
 * above its header (which hides the header from the scanner): say so, with
 * the line and column. The scanner's own finding (an unterminated string,
 * an unclosed bracket) is checked against esbuild's, which also supplies
 * the error when the scanner saw none. A file that compiles falls through
 * to the "no revision" error, or to the scanner's limit.
 */
function rejectSyntaxError(
  file: string,
  text: string,
  scanner: SourceScanner,
  scanned: SyntaxProblem | undefined,
): void {
  const compiled = compilerSyntaxError(file, text);
  if (compiled === null) {
    // Valid code the scanner could not read (e.g. a `/` it took for a regular expression).
    if (scanned?.position === undefined) return;
    throw new ScriptHeaderError(
      file,
      `${scanned.message}, before any 'export const revision' was found`,
      "Move the header exports to the top of the file.",
      scanner.lineOf(scanned.position),
    );
  }
  const problem = scanned ?? compiled;
  if (problem === undefined) return;
  const location = problem.position === undefined ? problem : scanner.locationOf(problem.position);
  throw new ScriptSyntaxError(file, problem.message, location.line, location.column);
}

/** {@link readRevisionHeader} on a file's current contents. */
export function readRevisionHeaderFile(file: string): RevisionHeader {
  return readRevisionHeader(file, readFileSync(file, "utf8"));
}

/**
 * How many of the header names occur anywhere in `text`. A name that does
 * not occur cannot be exported, so the scan can stop once the others are
 * read: a file without `createDate` (one converted from Alembic, or written
 * by hand) is not read to its end. Substring searches are native code,
 * while the scanner runs mostly unoptimised in a short process.
 */
function namesIn(text: string): number {
  let count = 0;
  for (const name of HEADER_NAMES) if (text.includes(name)) count++;
  return count;
}

function scan(
  scanner: SourceScanner,
  values: Map<HeaderName, HeaderValue>,
  file: string,
  brackets: BracketTracker,
  present: number,
): void {
  for (;;) {
    const token = scanner.next();
    if (token.kind === "eof") return;
    if (token.kind === "punctuator") {
      brackets.see(token);
      continue;
    }
    if (brackets.depth !== 0 || token.kind !== "identifier" || token.text !== "export") continue;
    const keyword = scanner.peek();
    if (keyword.kind !== "identifier" || !["const", "let", "var"].includes(keyword.text)) continue;
    scanner.next();
    readDeclarations(scanner, values, file);
    // The header is usually at the top: stop once all of it is known.
    if (values.size === present && values.has("revision")) return;
  }
}

/** Reads `name [: type] = literal [as T]` declarators after `export const`. */
function readDeclarations(scanner: SourceScanner, values: Map<HeaderName, HeaderValue>, file: string): void {
  for (;;) {
    const nameToken = scanner.peek();
    if (nameToken.kind !== "identifier" || !HEADER_NAMES.has(nameToken.text)) return;
    scanner.next();
    const name = nameToken.text as HeaderName;
    let next = scanner.next();
    if (next.kind === "punctuator" && next.text === ":") {
      skipType(scanner, new Set(["="]));
      next = scanner.next();
    }
    if (next.kind !== "punctuator" || next.text !== "=") {
      throw new ScriptHeaderError(
        file,
        `'${name}' is declared without a value`,
        LITERAL_FIX,
        scanner.lineOf(next.start),
      );
    }
    const value = readLiteral(scanner, name, file);
    let after = scanner.peek();
    if (after.kind === "identifier" && (after.text === "as" || after.text === "satisfies")) {
      skipType(scanner, new Set([";", ","]));
      after = scanner.peek();
    }
    const endsStatement =
      after.kind === "eof" ||
      (after.kind === "punctuator" && (after.text === ";" || after.text === ",")) ||
      (after.newlineBefore &&
        after.kind !== "punctuator" &&
        after.kind !== "template" &&
        !["in", "instanceof"].includes(after.text));
    if (!endsStatement) {
      throw new ScriptHeaderError(
        file,
        `'${name}' is not a literal value (it continues with ${describe(after)})`,
        LITERAL_FIX,
        scanner.lineOf(after.start),
      );
    }
    if (!values.has(name)) values.set(name, value);
    if (after.kind === "punctuator" && after.text === ",") {
      scanner.next();
      continue;
    }
    return;
  }
}

function readLiteral(scanner: SourceScanner, name: HeaderName, file: string): HeaderValue {
  const token = scanner.next();
  const text = stringValue(token);
  if (text !== undefined) return text;
  if (token.kind === "identifier" && (token.text === "null" || token.text === "undefined")) return null;
  if (token.kind === "punctuator" && token.text === "[") {
    const items: string[] = [];
    for (;;) {
      const item = scanner.next();
      if (item.kind === "punctuator" && item.text === "]") return items;
      const itemText = stringValue(item);
      if (itemText === undefined) {
        throw new ScriptHeaderError(
          file,
          `an element of '${name}' is not a string literal (found ${describe(item)})`,
          LITERAL_FIX,
          scanner.lineOf(item.start),
        );
      }
      items.push(itemText);
      const separator = scanner.next();
      if (separator.kind === "punctuator" && separator.text === "]") return items;
      if (separator.kind !== "punctuator" || separator.text !== ",") {
        throw new ScriptHeaderError(
          file,
          `'${name}' is not a plain array of strings (found ${describe(separator)})`,
          LITERAL_FIX,
          scanner.lineOf(separator.start),
        );
      }
    }
  }
  const reason =
    token.kind === "template"
      ? `'${name}' is a template literal with \${} interpolation`
      : `'${name}' is not a literal value (found ${describe(token)})`;
  throw new ScriptHeaderError(file, reason, LITERAL_FIX, scanner.lineOf(token.start));
}

function stringValue(token: Token): string | undefined {
  if (token.kind === "string" || (token.kind === "template" && !token.interpolated)) return token.value;
  return undefined;
}

/**
 * Skips a type annotation up to one of `stops` at nesting depth 0, or up to
 * a line break after which the type cannot go on (an automatic semicolon).
 */
function skipType(scanner: SourceScanner, stops: ReadonlySet<string>): void {
  let depth = 0;
  let previous: Token | undefined;
  for (;;) {
    const token = scanner.peek();
    if (token.kind === "eof") return;
    if (depth === 0) {
      if (token.kind === "punctuator" && (stops.has(token.text) || token.text === ";")) return;
      const continues =
        previous === undefined ||
        ["|", "&", ".", "<", ",", ":", "as", "satisfies", "keyof", "readonly", "typeof"].includes(previous.text);
      if (
        token.newlineBefore &&
        !continues &&
        !(token.kind === "punctuator" && ["|", "&", ".", "<", "["].includes(token.text))
      )
        return;
    }
    scanner.next();
    // `=>` of a function type is its own token, so it never stops at "=".
    if (token.kind === "punctuator") {
      if (["(", "[", "{", "<"].includes(token.text)) depth++;
      else if ([")", "]", "}", ">"].includes(token.text)) depth--;
    }
    previous = token;
  }
}

function describe(token: Token): string {
  if (token.kind === "eof") return "the end of the file";
  const text = token.text.length > 30 ? `${token.text.slice(0, 30)}…` : token.text;
  return `\`${text}\``;
}

function buildHeader(
  file: string,
  values: Map<HeaderName, HeaderValue>,
  docComment: string | undefined,
): RevisionHeader {
  const revision = values.get("revision");
  if (revision === undefined) {
    throw new ScriptHeaderError(
      file,
      "it has no 'export const revision = \"...\"'",
      'Every migration file must export its id as a string literal, e.g. export const revision = "ae1027a6acf"; move files that are not migrations out of the version locations.',
    );
  }
  if (typeof revision !== "string" || revision.trim() === "") {
    throw new ScriptHeaderError(
      file,
      "'revision' must be a non-empty string",
      'Write e.g. export const revision = "ae1027a6acf";',
    );
  }
  const illegal = ILLEGAL_ID_CHARACTERS.filter((character) => revision.includes(character));
  if (illegal.length > 0) {
    throw new ScriptHeaderError(
      file,
      `Character(s) '${illegal.join(", ")}' not allowed in revision identifier '${revision}'`,
      "Rename the revision, and every downRevision and dependsOn that names it.",
    );
  }
  const message = singleString(file, "message", values.get("message"));
  const createDate = singleString(file, "createDate", values.get("createDate"));
  const longDoc = docComment === undefined ? (message ?? "") : cleanDocComment(docComment);
  return {
    revision,
    downRevision: scalarOrList(dedupe(asList(values.get("downRevision")))),
    branchLabels: nonEmpty(dedupe(asList(values.get("branchLabels")))),
    dependsOn: nonEmpty(dedupe(asList(values.get("dependsOn")))),
    message,
    createDate,
    // Alembic's `doc` is the docstring's first paragraph.
    doc: longDoc.split("\n\n")[0] ?? "",
    longDoc,
    path: file,
  };
}

function singleString(file: string, name: HeaderName, value: HeaderValue | undefined): string | null {
  if (value === undefined || value === null || typeof value === "string") return value ?? null;
  throw new ScriptHeaderError(
    file,
    `'${name}' must be a string, not an array`,
    `Write e.g. export const ${name} = "...";`,
  );
}

function asList(value: HeaderValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  return typeof value === "string" ? [value] : value;
}

function dedupe(items: string[]): string[] {
  return items.length < 2 ? items : [...new Set(items)];
}

function nonEmpty(items: string[]): string[] | null {
  return items.length === 0 ? null : items;
}

function scalarOrList(items: string[]): string | string[] | null {
  if (items.length === 0) return null;
  return items.length === 1 ? (items[0] ?? null) : items;
}

/** The text of a `/** ... *\/` comment: without the delimiters and the ` * ` margin. */
function cleanDocComment(comment: string): string {
  const body = comment.slice(3, -2);
  const lines = body.split(/\r?\n/).map((line) => line.replace(/^\s*\*(?: |(?=\S)|$)?/, "").trimEnd());
  const text = lines.join("\n").trim();
  // Undo the `*\/` that the template's comment filter writes for `*/`.
  return text.replaceAll("*\\/", "*/");
}
