import Module from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { BATCH_CALLBACK, BATCH_CODE_CACHE_MARKER } from "./batch-script.js";
import { isBuiltin, isLocal, packageUrls } from "./module-compiler.js";
import { type StrippedImport, stripTypes } from "./type-stripper.js";

/** What `compileStrippedBatch` gives: the batch script and its source map. */
export interface StrippedBatch {
  readonly code: string;
  readonly map: string;
}

/** Compiler options that change what a TypeScript file compiles to beyond its types, or where its imports go. */
const TSCONFIG_REFUSED = /"(?:verbatimModuleSyntax|preserveValueImports|importsNotUsedAsValues|paths|baseUrl|jsx\w*)"/;
/** Line breaks other than `\n` and `\r\n` (V8 counts them as lines: the map would be off). */
const OTHER_LINE_BREAKS = /\r(?!\n)|[\u2028\u2029]/;
/**
 * Source text a batch cannot hold faithfully: `import.meta` and CommonJS's
 * names mean the file's own location or module system, and a dynamic
 * `import()` would be resolved from the batch's folder.
 */
export const NEEDS_OWN_MODULE =
  /\bimport\.meta\b|\b__dirname\b|\b__filename\b|\brequire\s*\(|\bmodule\.exports\b|\bexports\s*(?:\.|\[)|\bimport\s*\(/;

/**
 * The batch script for `files` without esbuild's bundler, when every one
 * of them can be compiled by blanking its types (see `stripTypes`): a
 * fresh deploy then starts no esbuild process and waits for none. In a
 * fresh Node process here, 550 small migrations cost about 0.2 s of the
 * run's own thread this way, most of it the JIT warming up, against
 * 240-275 ms for esbuild's build of them in its own process, and the
 * cold run's extra time over a warm one fell from about 0.46 to 0.18 s. `undefined` when any file cannot (a `.js` file, a
 * tsconfig with options that change the output, a local import, a
 * package that does not resolve, anything `stripTypes` refuses): then the
 * batch is built by esbuild as before (see `compileBatch`).
 *
 * The script has the shape `evaluateBatchScript` loads (see
 * `toBatchScript`): its imports, then `evaluate`, which links every
 * member's imports at once (a missing export throws the `SyntaxError`
 * linking would, and the batch falls back to one file at a time) and
 * hands out one loader per member. A member's code is its file's text,
 * types blanked, inside an async function that runs its top level once
 * (the first time its loader is called) and returns its exports; each of
 * its lines is one line of the script, character for character, and the
 * source map beside the script maps every token back to the `.ts` file.
 */
export async function compileStrippedBatch(
  esbuild: () => typeof import("esbuild") | string,
  files: readonly string[],
  sources: ReadonlyMap<string, string>,
  outfile: string,
  tsconfigOf: (file: string) => string | undefined,
): Promise<StrippedBatch | undefined> {
  const members: { file: string; text: string; stripped: Extract<ReturnType<typeof stripTypes>, { ok: true }> }[] = [];
  const byFolder = new Map<string, Set<string>>();
  for (const file of files) {
    const text = sources.get(file);
    const tsconfig = tsconfigOf(file);
    if (text === undefined || tsconfig === undefined || TSCONFIG_REFUSED.test(tsconfig)) return undefined;
    if (!/\.m?ts$/.test(file) || NEEDS_OWN_MODULE.test(text) || OTHER_LINE_BREAKS.test(text)) return undefined;
    const stripped = stripTypes(text);
    if (!stripped.ok) return undefined;
    const folder = path.dirname(file);
    for (const { specifier } of stripped.imports) {
      if (isBuiltin(specifier)) continue;
      if (isLocal(specifier) || specifier.startsWith("#")) return undefined;
      const wanted = byFolder.get(folder) ?? new Set<string>();
      wanted.add(specifier);
      byFolder.set(folder, wanted);
    }
    members.push({ file, text, stripped });
  }
  const urls = await packageUrls(esbuild, byFolder, true);
  /** The batch's imports (URLs and built-ins), each with the names its members take from it. */
  const imports = new Map<string, Set<string>>();
  const urlOf = (file: string, specifier: string): string | undefined =>
    isBuiltin(specifier) ? specifier : urls.get(`${path.dirname(file)}\0${specifier}`);
  for (const { file, stripped } of members) {
    for (const declaration of stripped.imports) {
      const url = urlOf(file, declaration.specifier);
      if (url === undefined) return undefined;
      const names = imports.get(url) ?? new Set<string>();
      if (declaration.defaultName !== undefined) names.add("default");
      for (const { imported } of declaration.named) names.add(imported);
      imports.set(url, names);
    }
  }
  const importList = [...imports.keys()];
  const lines: string[] = [];
  const link = importList.map(
    (url, index) =>
      `const __retortN${index} = __retortLink(${index}, ${JSON.stringify([...(imports.get(url) ?? [])])});`,
  );
  lines.push(
    `${BATCH_CODE_CACHE_MARKER}"use strict";module.exports = { imports: ${JSON.stringify(importList)}, evaluate: (function (__retortLink, ${BATCH_CALLBACK}, require, module, exports, __filename, __dirname) { ${link.join(" ")} ${HELPERS}`,
  );
  const sourceUrls: string[] = [];
  const fileUrls = new FileUrls();
  const mappings: string[] = [""];
  const encoder = new MappingEncoder();
  for (const [index, { file, text, stripped }] of members.entries()) {
    const declarations = stripped.imports.map((declaration) => {
      const url = urlOf(file, declaration.specifier) as string;
      return bindingsOf(declaration, importList.indexOf(url));
    });
    if (stripped.defaultExport !== undefined) declarations.push(`let ${DEFAULT_EXPORT};`);
    lines.push(`const __retortL${index} = __retortOnce(async function () { ${declarations.join(" ")}`);
    mappings.push("");
    const code = moduleToBody(stripped.code, stripped.imports, stripped.exportKeywords, stripped.defaultExport);
    // Whole, as one of the script's lines joined below (not split into its lines and joined again).
    lines.push(code);
    mappings.push(...encoder.member(index, text, stripped.tokenStarts, lineCount(code)));
    const getters = stripped.exports.map((name) => `${name}: () => ${name}`);
    if (stripped.defaultExport !== undefined) getters.push(`default: () => ${DEFAULT_EXPORT}`);
    const exported = getters.join(", ");
    lines.push(`return __retortExports({ ${exported} }); });`);
    mappings.push("");
    sourceUrls.push(fileUrls.of(file));
  }
  const loaders = members.map(({ file }, index) => `${JSON.stringify(file)}: __retortL${index}`).join(", ");
  lines.push(`${BATCH_CALLBACK}({ ${loaders} });`, "}) };");
  const mapName = `${path.basename(outfile, path.extname(outfile))}.map`;
  lines.push(`//# ${"sourceMappingURL"}=${mapName}`, "");
  const code = lines.join("\n");
  // What blanking cannot tell: whether the rest is JavaScript (`const x: number = ;`). A file that is
  // not sends the batch to esbuild, which leaves it out with its error; parsing here costs about
  // 10 ms for 550 members, where one broken member would have cost every other its batch. Parsed
  // as `require` will compile it (wrapped, under its file name), so that the `retort` command's
  // compile of it (see apps/cli's code cache) finds this one in V8's compilation cache instead of
  // parsing the batch a second time.
  try {
    new vm.Script((Module as unknown as { wrap(code: string): string }).wrap(code), { filename: outfile });
  } catch {
    return undefined;
  }
  const map = {
    version: 3,
    file: path.basename(outfile),
    sources: sourceUrls,
    names: [],
    mappings: mappings.join(";"),
  };
  return { code, map: JSON.stringify(map) };
}

/**
 * The batch's helpers, on its first line: a member's top level runs once
 * (its loader gives the same promise after), and its exports are live, as
 * an ES module's (a getter per name).
 */
const HELPERS =
  "const __retortOnce = (run) => { let running; return () => (running ??= run()); }; " +
  "const __retortExports = (getters) => { const exports = {}; for (const name of Object.keys(getters)) Object.defineProperty(exports, name, { get: getters[name], enumerable: true }); return exports; };";

/** The declarations giving a member the bindings of one import (`index` in the batch's imports). */
function bindingsOf(declaration: StrippedImport, index: number): string {
  const namespace = `__retortN${index}`;
  const parts: string[] = [];
  if (declaration.namespaceName !== undefined) parts.push(`const ${declaration.namespaceName} = ${namespace};`);
  if (declaration.defaultName !== undefined) parts.push(`const ${declaration.defaultName} = ${namespace}.default;`);
  if (declaration.named.length > 0) {
    const named = declaration.named.map(({ imported, local }) => `${JSON.stringify(imported)}: ${local}`);
    parts.push(`const { ${named.join(", ")} } = ${namespace};`);
  }
  return parts.join(" ");
}

/** The local holding a member's `export default` value: `export default` and it are both 14 characters. */
const DEFAULT_EXPORT = "__retortD";
const DEFAULT_ASSIGNMENT = `${DEFAULT_EXPORT} =`.padEnd("export default".length);

/**
 * The module's code as a function body: its import declarations blanked
 * (each leaves a `;`), its `export` keywords too, and `export default`
 * an assignment.
 */
function moduleToBody(
  code: string,
  imports: readonly StrippedImport[],
  exportKeywords: readonly number[],
  defaultExport: number | undefined,
): string {
  // Each replaced range with its text, in order, then one pass of slices (no array of characters).
  const edits: { start: number; end: number; text: string }[] = [];
  for (const { start, end } of imports) {
    // An empty statement where the declaration was: the code before it may have ended at its line
    // break (`const a = [1]`, then the import, then `(x)()`), and must not go on into the next line.
    edits.push({ start, end, text: `;${code.slice(start + 1, end).replace(NOT_LINE_BREAK, " ")}` });
  }
  for (const at of exportKeywords) edits.push({ start: at, end: at + "export".length, text: "      " });
  if (defaultExport !== undefined) {
    edits.push({ start: defaultExport, end: defaultExport + DEFAULT_ASSIGNMENT.length, text: DEFAULT_ASSIGNMENT });
  }
  edits.sort((one, other) => one.start - other.start);
  let body = "";
  let done = 0;
  for (const { start, end, text } of edits) {
    body += code.slice(done, start) + text;
    done = end;
  }
  return body + code.slice(done);
}

const NOT_LINE_BREAK = /[^\n\r]/g;

/** The lines of `text` as `split("\n")` counts them, without making them. */
function lineCount(text: string): number {
  let count = 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = "";
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/** `vlq` of 0 to 511, which nearly every delta is (a column within a line), made once. */
const SMALL_VLQ = Array.from({ length: 512 }, (_, value) => vlq(value));

function vlqOf(value: number): string {
  return value >= 0 && value < SMALL_VLQ.length ? (SMALL_VLQ[value] as string) : vlq(value);
}

/** Source map segments (version 3), one per kept token, each at the same column of the same line of its file. */
class MappingEncoder {
  #source = 0;
  #line = 0;
  #column = 0;

  /** The mappings of `lineCount` script lines holding member `source`'s lines in order. */
  member(source: number, text: string, tokenStarts: readonly number[], lineCount: number): string[] {
    const lines: string[][] = Array.from({ length: lineCount }, () => []);
    let line = 0;
    let lineStart = 0;
    let nextBreak = text.indexOf("\n");
    let previousColumn = 0;
    for (const start of tokenStarts) {
      while (nextBreak !== -1 && nextBreak < start) {
        line++;
        lineStart = nextBreak + 1;
        nextBreak = text.indexOf("\n", lineStart);
        previousColumn = 0;
      }
      const column = start - lineStart;
      const segment =
        vlqOf(column - previousColumn) +
        (source === this.#source ? "A" : vlq(source - this.#source)) +
        (line === this.#line ? "A" : vlq(line - this.#line)) +
        (column === this.#column ? "A" : vlq(column - this.#column));
      previousColumn = column;
      this.#source = source;
      this.#line = line;
      this.#column = column;
      (lines[line] as string[]).push(segment);
    }
    return lines.map((segments) => segments.join(","));
  }
}

/**
 * `pathToFileURL(file).href` for the members of a batch, most of them in
 * one folder: the folder's URL once, then the file's name after it when
 * that name needs no escaping (`pathToFileURL` costs about 10 µs a call in
 * a fresh process, 5 ms of a cold upgrade of 550 migrations).
 */
class FileUrls {
  readonly #folders = new Map<string, string>();

  of(file: string): string {
    const name = path.basename(file);
    if (!/^[\w.-]+$/.test(name) || name === "." || name === "..") return pathToFileURL(file).href;
    const folder = path.dirname(file);
    let url = this.#folders.get(folder);
    if (url === undefined) {
      url = pathToFileURL(folder).href;
      if (!url.endsWith("/")) url += "/";
      this.#folders.set(folder, url);
    }
    return url + name;
  }
}
