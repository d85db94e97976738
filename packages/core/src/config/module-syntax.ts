import { NOT_TYPE_NAMES, type TokenMarks } from "./type-syntax.js";
import { Refusal, type Token } from "./type-tokens.js";

/**
 * One import declaration of a stripped module that stays: what it imports
 * after TypeScript's elision (see `stripTypes`).
 */
export interface StrippedImport {
  readonly specifier: string;
  /** `import x from` (the local name). */
  readonly defaultName: string | undefined;
  /** `import * as ns from` (the local name). */
  readonly namespaceName: string | undefined;
  /** `import { imported as local }`, value imports only. */
  readonly named: readonly { readonly imported: string; readonly local: string }[];
  /** Where the whole declaration lies in the source (`[start, end)`), its `;` included. */
  readonly start: number;
  readonly end: number;
}

interface ImportBinding {
  readonly imported: string;
  readonly local: string;
  /** The index of its first token. */
  readonly token: number;
  readonly kind: "default" | "namespace" | "named";
}

interface ImportDeclaration {
  readonly start: number;
  readonly end: number;
  readonly specifier: string;
  readonly bindings: ImportBinding[];
  readonly sideEffect: boolean;
}

/**
 * The import and export declarations of a file being stripped (see
 * `stripTypes`): what it imports and exports, and the elision of imports
 * used only as types.
 */
export class ModuleSyntax {
  readonly #marks: TokenMarks;
  readonly #imports: ImportDeclaration[] = [];
  readonly exports: string[] = [];
  readonly exportKeywords: number[] = [];
  defaultExport: number | undefined;

  constructor(marks: TokenMarks) {
    this.#marks = marks;
  }

  /** An import declaration at `index`; returns the index after it. */
  importDeclaration(index: number): number {
    let at = index + 1;
    const start = (this.#marks.tokens[index] as Token).start;
    const typeOnly =
      this.#marks.is(at, "type") &&
      !this.#marks.is(at + 1, ",") &&
      !(this.#marks.is(at + 1, "from") && this.#marks.token(at + 2)?.kind === "string");
    if (typeOnly) {
      while (at < this.#marks.tokens.length && this.#marks.token(at)?.kind !== "string") {
        const token = this.#marks.tokens[at] as Token;
        at = token.match > at ? token.match + 1 : at + 1;
      }
      at = this.#marks.statementEnd(at + 1, "an import");
      this.#marks.blankStatement(index, at);
      return at;
    }
    const bindings: ImportBinding[] = [];
    let sideEffect = true;
    if (this.#marks.isName(at) && !this.#marks.is(at, "from")) {
      if (this.#marks.is(at + 1, "=")) throw new Refusal("import = require()");
      bindings.push({ imported: "default", local: (this.#marks.tokens[at] as Token).text, token: at, kind: "default" });
      sideEffect = false;
      at++;
      if (this.#marks.is(at, ",")) at++;
    }
    if (this.#marks.is(at, "*")) {
      if (!this.#marks.is(at + 1, "as") || !this.#marks.isName(at + 2)) throw new Refusal("an import it cannot read");
      bindings.push({
        imported: "*",
        local: (this.#marks.tokens[at + 2] as Token).text,
        token: at + 2,
        kind: "namespace",
      });
      sideEffect = false;
      at += 3;
    } else if (this.#marks.is(at, "{")) {
      sideEffect = false;
      const close = (this.#marks.tokens[at] as Token).match;
      if (close === at + 1) throw new Refusal("an empty import list");
      at = this.#importSpecifiers(at + 1, close, bindings);
    }
    if (!sideEffect || bindings.length > 0) {
      if (!this.#marks.is(at, "from")) throw new Refusal("an import it cannot read");
      at++;
    }
    const specifier = this.#marks.token(at);
    if (specifier?.kind !== "string") throw new Refusal("an import it cannot read");
    at = this.#marks.statementEnd(at + 1, "an import");
    const end = (this.#marks.tokens[at - 1] as Token).end;
    this.#imports.push({ start, end, specifier: JSON.parse(toDoubleQuoted(specifier.text)), bindings, sideEffect });
    return at;
  }

  /** `a, b as c, type D, "e-f" as g` up to `close`; returns the index after `}`. */
  #importSpecifiers(from: number, close: number, bindings: ImportBinding[]): number {
    let at = from;
    while (at < close) {
      const end = this.#marks.untilComma(at, close);
      const words = this.#marks.tokens.slice(at, end);
      const texts = words.map((word) => word.text);
      if (texts.length === 0 || words.some((word) => word.kind !== "name" && word.kind !== "string")) {
        throw new Refusal("an import list it cannot read");
      }
      // TypeScript's reading: `type X` and `type X as Y` are type-only; `type as Y` imports `type`.
      const typeOnly = texts[0] === "type" && (texts.length === 2 || (texts.length === 4 && texts[2] === "as"));
      if (typeOnly) {
        this.#marks.blankRange(at, end < close ? end + 1 : end);
      } else if (texts.length === 1 && words[0]?.kind === "name") {
        bindings.push({ imported: texts[0] as string, local: texts[0] as string, token: at, kind: "named" });
      } else if (texts.length === 3 && texts[1] === "as" && words[2]?.kind === "name") {
        const imported = words[0]?.kind === "string" ? JSON.parse(toDoubleQuoted(texts[0] as string)) : texts[0];
        bindings.push({ imported, local: texts[2] as string, token: at, kind: "named" });
      } else {
        throw new Refusal("an import name it cannot read");
      }
      at = end < close ? end + 1 : end;
    }
    return close + 1;
  }

  /** An export declaration at `index`; returns the index to go on from. */
  exportDeclaration(index: number): number {
    const next = this.#marks.token(index + 1);
    if (next?.kind !== "name") throw new Refusal("an export list or re-export");
    const after = this.#marks.token(index + 2);
    if (next.text === "type" && after?.kind === "name" && !after.newline)
      return this.#marks.typeAlias(index, index + 1);
    if (next.text === "type" && after?.text === "{" && after.kind === "punct") return this.#typeExports(index);
    if (next.text === "interface") return this.#marks.interfaceDeclaration(index, index + 1);
    if (next.text === "default") return this.#exportDefault(index);
    let at = index + 1;
    if (next.text === "async" && this.#marks.is(index + 2, "function") && !after?.newline) at++;
    const keyword = (this.#marks.tokens[at] as Token).text;
    if (keyword === "function") {
      const name = this.#marks.token(this.#marks.is(at + 1, "*") ? at + 2 : at + 1);
      if (name?.kind !== "name") throw new Refusal("an export it cannot read");
      this.exports.push(name.text);
    } else if (keyword === "const" || keyword === "let" || keyword === "var") {
      // Each declarator's name: `export const a = 1, b = 2`.
      let name = at + 1;
      for (;;) {
        const token = this.#marks.token(name);
        if (token?.kind !== "name") throw new Refusal("an exported destructuring");
        this.exports.push(token.text);
        name = this.#nextDeclarator(name);
        if (name === -1) break;
      }
    } else {
      throw new Refusal(`export ${keyword}`);
    }
    this.exportKeywords.push((this.#marks.tokens[index] as Token).start);
    return index + 1;
  }

  /** `export type { A, B as C } [from "x"];` at `index`, blanked (it exports types only). */
  #typeExports(index: number): number {
    let at = (this.#marks.tokens[index + 2] as Token).match + 1;
    if (this.#marks.is(at, "from")) {
      if (this.#marks.token(at + 1)?.kind !== "string") throw new Refusal("an export it cannot read");
      at += 2;
    }
    at = this.#marks.statementEnd(at, "an export");
    this.#marks.blankStatement(index, at);
    return at;
  }

  /**
   * `export default <expression>` at `index`, when the expression is an
   * object or array literal or a call (not a function, class or arrow
   * function, whose name `default` an assignment would change):
   * `export default defineConfig({ … })`.
   */
  #exportDefault(index: number): number {
    const first = this.#marks.token(index + 2);
    const second = this.#marks.token(index + 3);
    const start = (this.#marks.tokens[index] as Token).start;
    const literal = first?.kind === "punct" && (first.text === "{" || first.text === "[");
    // A call (`defineConfig({ … })`): a bare name could be a type's, which TypeScript leaves out.
    const named =
      first?.kind === "name" &&
      !["function", "class", "async"].includes(first.text) &&
      !NOT_TYPE_NAMES.has(first.text) &&
      second?.kind === "punct" &&
      second.text === "(";
    if (this.#marks.source.slice(start, start + EXPORT_DEFAULT.length) !== EXPORT_DEFAULT || !(literal || named)) {
      throw new Refusal("an export default it cannot read");
    }
    if (this.defaultExport !== undefined) throw new Refusal("two default exports");
    this.defaultExport = start;
    return index + 2;
  }

  /** After the declarator named at `index`: the index of the next declarator's name, or -1. */
  #nextDeclarator(index: number): number {
    let at = index + 1;
    while (at < this.#marks.tokens.length) {
      const token = this.#marks.tokens[at] as Token;
      if (token.kind === "punct" && token.text === ",") return at + 1;
      if (token.kind === "punct" && token.text === ";") return -1;
      if (token.newline && at > index + 1 && STATEMENT_STARTS.has(token.text)) return -1;
      at = token.match > at ? token.match + 1 : at + 1;
    }
    return -1;
  }

  /**
   * The imports that stay: a binding is used as a value when its name
   * appears in the kept code other than as a property name; unused ones
   * are blanked, and so is a declaration left with none (TypeScript's
   * elision; a side-effect import stays).
   */
  elideImports(): StrippedImport[] {
    // Each name's uses in the kept code outside the import declarations, not as a property name.
    // Per name: `true` once it appears as a reference TypeScript would see, `false` while it only
    // appears where it might not be one (before a `:`, a key or a label, or in a conditional).
    const uses = new Map<string, boolean>();
    const declared = new Set<string>();
    const locals = new Set<string>();
    for (const declaration of this.#imports) for (const binding of declaration.bindings) locals.add(binding.local);
    let declaration = 0;
    const tokens = this.#marks.tokens;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as Token;
      if (token.kind !== "name" || this.#marks.blank[index] || !locals.has(token.text)) continue;
      while (declaration < this.#imports.length && (this.#imports[declaration]?.end ?? 0) <= token.start) declaration++;
      const inImport = (this.#imports[declaration]?.start ?? Number.POSITIVE_INFINITY) <= token.start;
      if (inImport) continue;
      if (this.#marks.is(index - 1, ".") || this.#marks.is(index - 1, "?.") || this.#marks.keys.has(index)) continue;
      if (this.#marks.bindings.has(index)) declared.add(token.text);
      else {
        const label =
          this.#marks.is(index + 1, ":") || this.#marks.is(index - 1, "break") || this.#marks.is(index - 1, "continue");
        uses.set(token.text, uses.get(token.text) === true || !label);
      }
    }
    const kept: StrippedImport[] = [];
    for (const declaration of this.#imports) {
      const bindings = declaration.bindings.filter((binding) => {
        // A local of the same name (which TypeScript tells from the import, and this does not).
        if (declared.has(binding.local)) throw new Refusal(`a declaration shadowing the import ${binding.local}`);
        const use = uses.get(binding.local);
        if (use === false) throw new Refusal(`the import ${binding.local} used only before a ":"`);
        return use === true;
      });
      if (!declaration.sideEffect && bindings.length === 0) {
        this.#blankChars(declaration.start, declaration.end);
        continue;
      }
      if (bindings.length < declaration.bindings.length) {
        for (const binding of declaration.bindings) {
          if (bindings.includes(binding)) continue;
          if (binding.kind === "named") this.#blankSpecifier(binding.token);
          else if (binding.kind === "default") {
            this.#marks.blank[binding.token] = true;
            if (this.#marks.is(binding.token + 1, ",")) this.#marks.blank[binding.token + 1] = true;
          } else {
            // `import x, * as ns`: blanking `* as ns` would leave `import x,`.
            throw new Refusal("an unused namespace import beside a default import");
          }
        }
      }
      kept.push({
        specifier: declaration.specifier,
        defaultName: bindings.find((binding) => binding.kind === "default")?.local,
        namespaceName: bindings.find((binding) => binding.kind === "namespace")?.local,
        named: bindings
          .filter((binding) => binding.kind === "named")
          .map(({ imported, local }) => ({ imported, local })),
        start: declaration.start,
        end: declaration.end,
      });
    }
    return kept;
  }

  /** Blanks every token within `[start, end)` of the source. */
  #blankChars(start: number, end: number): void {
    let first = -1;
    let last = -1;
    for (let index = 0; index < this.#marks.tokens.length; index++) {
      const token = this.#marks.tokens[index] as Token;
      if (token.start >= start && token.end <= end) {
        if (first === -1) first = index;
        last = index;
      }
    }
    if (first !== -1) this.#marks.blankStatement(first, last + 1);
  }

  /** Blanks a named import specifier from its first token to its `,` (the next one, or none at the end of the list). */
  #blankSpecifier(index: number): void {
    let at = index;
    while (at < this.#marks.tokens.length && !this.#marks.is(at, ",") && !this.#marks.is(at, "}")) {
      this.#marks.blank[at] = true;
      at++;
    }
    if (this.#marks.is(at, ",")) this.#marks.blank[at] = true;
  }
}

const EXPORT_DEFAULT = "export default";

/** Words that begin a statement: a declaration ends before one on a new line. */
export const STATEMENT_STARTS = new Set([
  "const",
  "let",
  "var",
  "function",
  "async",
  "export",
  "import",
  "if",
  "for",
  "while",
  "return",
  "await",
  "class",
  "type",
  "interface",
]);

/** A string token in double quotes, for `JSON.parse`. */
function toDoubleQuoted(text: string): string {
  if (text.startsWith('"')) return text;
  return `"${text.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`;
}
