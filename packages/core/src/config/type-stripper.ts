import { Assertions, NOT_EXPRESSION_END } from "./assertion-syntax.js";
import { ModuleSyntax, STATEMENT_STARTS, type StrippedImport } from "./module-syntax.js";
import { NOT_TYPE_NAMES, TokenMarks } from "./type-syntax.js";
import { Refusal, type Token, tokenize } from "./type-tokens.js";

export type { StrippedImport } from "./module-syntax.js";

export type StripOutcome =
  | {
      readonly ok: true;
      /** The module as JavaScript: the source with TypeScript's syntax blanked, every line break where it was. */
      readonly code: string;
      /** The import declarations that stay, in source order (side-effect imports included). */
      readonly imports: readonly StrippedImport[];
      /** The names the module exports (`export const x`, `export function f`), each its own local name. */
      readonly exports: readonly string[];
      /** Offsets of the `export` keywords of those declarations. */
      readonly exportKeywords: readonly number[];
      /** The offset of `export default` (followed by an expression: see `#exportDefault`). */
      readonly defaultExport: number | undefined;
      /** Where each token of the output starts (for a source map). */
      readonly tokenStarts: readonly number[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * TypeScript to JavaScript by blanking: the types, `import type`, type
 * aliases and interfaces, `as`/`satisfies` assertions, `!` assertions,
 * optional-parameter marks and type arguments are replaced with spaces
 * (line breaks stay), so every character left is where it was and a
 * stack trace's line and column are the `.ts` file's. Imports whose
 * bindings are used only as types are left out, as TypeScript (and
 * esbuild) leave them out.
 *
 * It is deliberately narrow: anything it does not understand for certain
 * refuses the file (`ok: false`, with the reason), and the caller compiles
 * that file with esbuild instead. Refused: enums, namespaces, `declare`,
 * classes, decorators, `<T>x` assertions and generic arrow functions,
 * `import x = require()`, `export =`, `export default` of a function,
 * class or arrow function, re-exports and
 * export lists, type arguments not followed by a call, parameter
 * properties, `this` parameters, overloads, type predicates, conditional
 * types, `using` declarations, `new.target`, `arguments`, a top-level
 * `return`, and tokens whose reading is ambiguous (see `tokenize`).
 */
export function stripTypes(source: string): StripOutcome {
  try {
    return new Stripper(source).run();
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}

class Stripper {
  readonly #marks: TokenMarks;
  readonly #module: ModuleSyntax;
  readonly #assertions: Assertions;

  constructor(source: string) {
    this.#marks = new TokenMarks(source, tokenize(source));
    this.#module = new ModuleSyntax(this.#marks);
    this.#assertions = new Assertions(this.#marks);
  }

  run(): StripOutcome {
    // Locals, not `this.#marks` at each use: a private field is a keyed load in unoptimised code.
    const marks = this.#marks;
    this.#walk(0, marks.tokens.length, { top: true, inFunction: false });
    const imports = this.#module.elideImports();
    const source = marks.source;
    const tokens = marks.tokens;
    const tokenStarts: number[] = [];
    let code = "";
    /** The end of the text already in `code`. */
    let done = 0;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as Token;
      if (!marks.blank[index]) {
        tokenStarts.push(token.start);
        continue;
      }
      // From the end of the previous token when it is blanked too, so comments inside a blanked range go.
      const from = index > 0 && marks.blank[index - 1] ? (tokens[index - 1] as Token).end : token.start;
      let blanked = blankText(source, from, token.end);
      if (marks.statements.has(index) && marks.needsSemicolon(index)) {
        blanked = `${blanked.slice(0, token.start - from)};${blanked.slice(token.start - from + 1)}`;
      }
      code += source.slice(done, from) + blanked;
      done = token.end;
    }
    code += source.slice(done);
    return {
      ok: true,
      code,
      imports,
      exports: this.#module.exports,
      exportKeywords: this.#module.exportKeywords,
      defaultExport: this.#module.defaultExport,
      tokenStarts,
    };
  }

  /**
   * Walks the tokens of `[from, to)`, one bracket level (nested brackets
   * are walked recursively), blanking what is TypeScript's.
   */
  #walk(from: number, to: number, context: { top: boolean; inFunction: boolean }): void {
    /** Conditional `?`s (and `case`s) whose `:` is still to come: `(a): b` after one is not a return type. */
    let pendingColons = 0;
    /** Inside `const`/`let`/`var` at this level: a `,` starts the next declarator. */
    let declaring = false;
    let index = from;
    // Locals, not `this.#marks` at each use: a private field is a keyed load in unoptimised code.
    const marks = this.#marks;
    const tokens = marks.tokens;
    while (index < to) {
      const token = tokens[index] as Token;
      const before = tokens[index - 1];
      const afterDot = before !== undefined && before.kind === "punct" && (before.text === "." || before.text === "?.");
      if (token.newline && STATEMENT_STARTS.has(token.text)) declaring = false;
      if (token.kind === "name" && !afterDot) {
        const next = marks.token(index + 1);
        const sameLineName = next !== undefined && next.kind === "name" && !next.newline;
        switch (token.text) {
          case "import":
            if (marks.is(index + 1, "(") || marks.is(index + 1, "."))
              throw new Refusal("a dynamic import or import.meta");
            if (!context.top) throw new Refusal("an import below the top level");
            index = this.#module.importDeclaration(index);
            continue;
          case "export":
            if (!context.top) throw new Refusal("an export below the top level");
            index = this.#module.exportDeclaration(index);
            continue;
          case "type":
            if (sameLineName && !["in", "of", "instanceof", "as", "satisfies"].includes(next.text)) {
              index = marks.typeAlias(index, index);
              continue;
            }
            break;
          case "interface":
            if (marks.is(index + 1, ":")) break;
            index = marks.interfaceDeclaration(index, index);
            continue;
          case "enum":
          case "class":
            // A property name (`{ enum: 1 }`).
            if (marks.is(index + 1, ":")) break;
            throw new Refusal(`"${token.text}"`);
          case "arguments":
            if (!context.inFunction) throw new Refusal("arguments outside a function");
            break;
          case "declare":
          case "namespace":
          case "module":
          case "abstract":
          case "using":
            if (sameLineName || (next?.kind === "string" && !next.newline)) throw new Refusal(`"${token.text} …"`);
            break;
          case "new":
            if (marks.is(index + 1, ".")) throw new Refusal("new.target");
            break;
          case "return":
            if (!context.inFunction) throw new Refusal("a return outside a function");
            break;
          case "function":
            index = this.#function(index);
            continue;
          case "const":
          case "let":
          case "var":
            index = this.#declarator(index + 1);
            declaring = true;
            continue;
          case "catch":
            if (marks.is(index + 1, "(")) {
              index = this.#catch(index + 1, context);
              continue;
            }
            break;
          case "case":
            pendingColons++;
            break;
          case "as":
          case "satisfies":
            if (this.#assertions.follows(index) && !token.newline) {
              index = this.#assertions.blank(index);
              continue;
            }
            break;
        }
        if (token.text.startsWith("__retort")) throw new Refusal(`the name ${token.text}`);
        if (next?.kind === "punct" && next.text === "=>") marks.bindings.add(index);
        // An object literal's key (`{ a: 1, b: 2 }`): not a reference, for `#elideImports`.
        if (pendingColons === 0 && marks.is(index + 1, ":") && (marks.is(index - 1, "{") || marks.is(index - 1, ","))) {
          marks.keys.add(index);
        }
        index++;
        continue;
      }
      if (token.kind === "head" || token.kind === "middle") {
        this.#walk(index + 1, token.match, { ...context, top: false });
        index = token.match;
        continue;
      }
      if (token.kind !== "punct") {
        index++;
        continue;
      }
      switch (token.text) {
        case "(": {
          index = this.#parenthesized(index, context, pendingColons > 0);
          continue;
        }
        case "[":
        case "{":
          this.#walk(index + 1, token.match, { ...context, top: false });
          index = token.match + 1;
          continue;
        case "?":
          pendingColons++;
          break;
        case ":":
          if (pendingColons > 0) pendingColons--;
          break;
        case ";":
          declaring = false;
          break;
        case ",":
          if (declaring) {
            index = this.#declarator(index + 1);
            continue;
          }
          break;
        case "!": {
          // `x!`, `f()!`, `a[0]!`, `"s"!`, `x!!`: TypeScript's non-null assertion (JavaScript has no postfix `!`).
          const previous = tokens[index - 1] as Token;
          const repeated = previous.text === "!" && marks.blank[index - 1];
          if ((repeated || this.#assertions.endsExpression(index)) && !token.newline) marks.blank[index] = true;
          break;
        }
        case "<":
          if (!this.#assertions.endsExpression(index))
            throw new Refusal("a type assertion or a generic arrow function");
          index = marks.typeArguments(index);
          continue;
        case "=>":
          if (marks.is(index + 1, "{")) {
            const body = tokens[index + 1] as Token;
            this.#walk(index + 2, body.match, { top: false, inFunction: true });
            index = body.match + 1;
            continue;
          }
          break;
        case "@":
          throw new Refusal("a decorator");
      }
      index++;
    }
  }

  /**
   * A `(` in an expression: an arrow function's parameters (followed by
   * `=>`, or by `: Type =>`), a method's (after a property name, followed
   * by `{` or `: Type {`), or a parenthesized expression or call.
   * Returns the index to go on from.
   */
  #parenthesized(index: number, context: { top: boolean; inFunction: boolean }, inConditional: boolean): number {
    const close = (this.#marks.tokens[index] as Token).match;
    const after = this.#marks.token(close + 1);
    const previous = this.#marks.token(index - 1);
    const afterName =
      previous !== undefined &&
      !this.#marks.blank[index - 1] &&
      (previous.kind === "name" || previous.kind === "string" || previous.kind === "number" || previous.text === "]") &&
      !(previous.kind === "name" && NOT_EXPRESSION_END.has(previous.text)) &&
      !["if", "while", "for", "with", "switch", "catch"].includes(previous.text);
    // A method's type parameters were blanked (`m<T>(x: T) {}`).
    const afterTypeParameters = previous !== undefined && this.#marks.blank[index - 1] && previous.text === ">";
    const method = () => {
      if (afterName) this.#marks.bindings.add(index - 1);
      // The method's name before its type parameters.
      else for (let at = index - 1; at >= 0 && this.#marks.blank[at]; at--) this.#marks.bindings.add(at - 1);
    };
    if (after !== undefined && after.text === "=>" && after.kind === "punct" && !after.newline) {
      this.#parameters(index);
      return close + 1;
    }
    if (after !== undefined && after.kind === "punct" && after.text === ":" && inConditional) {
      // `c ? (x: T): U => x : y`: TypeScript reads an arrow function there when a `:` follows its body.
      let arrow = false;
      try {
        arrow = this.#marks.is(this.#marks.typeEnd(close + 2), "=>");
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
      }
      if (arrow) throw new Refusal("an arrow function with a return type inside a conditional");
    }
    if (after !== undefined && after.kind === "punct" && after.text === ":" && !inConditional) {
      this.#parameters(index);
      const end = this.#returnType(close + 1);
      const following = this.#marks.token(end);
      if (following?.text === "=>" && following.kind === "punct") {
        // Blanked, a line break before `=>` would end the arrow function's parameters.
        for (let at = close + 1; at <= end; at++) {
          if ((this.#marks.tokens[at] as Token).newline)
            throw new Refusal("a line break in an arrow function's return type");
        }
        return end;
      }
      if (following?.text === "{" && following.kind === "punct" && (afterName || afterTypeParameters)) {
        method();
        return this.#body(end);
      }
      throw new Refusal("a return type it cannot place");
    }
    if (after?.text === "{" && after.kind === "punct" && (afterName || afterTypeParameters) && !after.newline) {
      method();
      this.#parameters(index);
      return this.#body(close + 1);
    }
    this.#walk(index + 1, close, { ...context, top: false });
    return close + 1;
  }

  /** A function's body (`{` at `index`); returns the index after its `}`. */
  #body(index: number): number {
    const open = this.#marks.tokens[index] as Token;
    if (open.text !== "{") throw new Refusal("a function without a body");
    this.#walk(index + 1, open.match, { top: false, inFunction: true });
    return open.match + 1;
  }

  /** `function* name<T>(params): Type { body }` from the `function` keyword. */
  #function(index: number): number {
    let at = index + 1;
    if (this.#marks.is(at, "*")) at++;
    if (this.#marks.isName(at)) this.#marks.bindings.add(at++);
    if (this.#marks.is(at, "<")) {
      const end = this.#marks.angleEnd(at);
      this.#marks.blankRange(at, end);
      at = end;
    }
    if (!this.#marks.is(at, "(")) throw new Refusal("a function it cannot read");
    const close = (this.#marks.tokens[at] as Token).match;
    this.#parameters(at);
    at = close + 1;
    if (this.#marks.is(at, ":")) at = this.#returnType(at);
    return this.#body(at);
  }

  /** `: Type` at `index`, blanked; returns the index after it. */
  #returnType(index: number): number {
    let start = index + 1;
    if (
      this.#marks.isName(start) &&
      (this.#marks.token(start)?.text === "asserts" || this.#marks.token(start + 1)?.text === "is")
    ) {
      throw new Refusal("a type predicate");
    }
    const end = this.#marks.typeEnd(start);
    this.#marks.blankRange(index, end);
    start = end;
    return start;
  }

  /** The parameter list whose `(` is at `index`: each `name?: Type = default`. */
  #parameters(index: number): void {
    const close = (this.#marks.tokens[index] as Token).match;
    let at = index + 1;
    while (at < close) {
      if (this.#marks.is(at, "...")) at++;
      const binding = this.#marks.token(at) as Token;
      if (binding.kind === "name") {
        if (binding.text === "this") throw new Refusal("a this parameter");
        if (NOT_TYPE_NAMES.has(binding.text) && binding.text !== "await" && binding.text !== "yield") {
          throw new Refusal(`the parameter ${binding.text}`);
        }
        this.#marks.bindings.add(at++);
      } else if (binding.text === "{" || binding.text === "[") {
        this.#pattern(at);
        at = binding.match + 1;
      } else {
        throw new Refusal("a parameter it cannot read");
      }
      if (this.#marks.is(at, "?")) {
        this.#marks.blank[at] = true;
        at++;
        if (!this.#marks.is(at, ":") && !this.#marks.is(at, ",") && at !== close)
          throw new Refusal("an optional parameter");
      }
      if (this.#marks.is(at, ":")) {
        const end = this.#marks.typeEnd(at + 1);
        this.#marks.blankRange(at, end);
        at = end;
      }
      if (this.#marks.is(at, "=")) {
        const end = this.#marks.untilComma(at + 1, close);
        this.#walk(at + 1, end, { top: false, inFunction: true });
        at = end;
      }
      if (this.#marks.is(at, ",")) at++;
      else if (at !== close) throw new Refusal("a parameter it cannot read");
    }
  }

  /** `catch (e: unknown)`: the `(` at `index`. */
  #catch(index: number, context: { top: boolean; inFunction: boolean }): number {
    const close = (this.#marks.tokens[index] as Token).match;
    let at = index + 1;
    const binding = this.#marks.token(at) as Token;
    if (binding.kind === "name") this.#marks.bindings.add(at++);
    else if (binding.text === "{" || binding.text === "[") {
      this.#pattern(at, context);
      at = binding.match + 1;
    }
    if (this.#marks.is(at, ":")) {
      const end = this.#marks.typeEnd(at + 1);
      this.#marks.blankRange(at, end);
      at = end;
    }
    if (at !== close) throw new Refusal("a catch clause it cannot read");
    return close + 1;
  }

  /**
   * A destructuring pattern (`{` or `[` at `index`), walked for the
   * expressions of its defaults; every name in it counts as a binding
   * (keys and default values too: see `#elideImports`).
   */
  #pattern(index: number, context = { top: false, inFunction: true }): void {
    const close = (this.#marks.tokens[index] as Token).match;
    for (let at = index + 1; at < close; at++) if (this.#marks.isName(at)) this.#marks.bindings.add(at);
    this.#walk(index + 1, close, context);
  }

  /** One declarator's binding and type (`x: T`, `{ a }: T`) at `index`; returns where its initializer starts. */
  #declarator(index: number): number {
    const binding = this.#marks.token(index);
    let at = index;
    if (binding?.kind === "name") {
      if (NOT_TYPE_NAMES.has(binding.text) || binding.text === "enum")
        throw new Refusal(`the declaration of ${binding.text}`);
      this.#marks.bindings.add(at++);
    } else if (binding !== undefined && (binding.text === "{" || binding.text === "[")) {
      this.#pattern(at);
      at = binding.match + 1;
    } else {
      throw new Refusal("a declaration it cannot read");
    }
    if (this.#marks.is(at, "!")) throw new Refusal("a definite assignment");
    if (this.#marks.is(at, ":")) {
      const end = this.#marks.typeEnd(at + 1);
      this.#marks.blankRange(at, end);
      at = end;
    }
    return at;
  }
}

const NOT_LINE_BREAK = /[^\n\r\u2028\u2029]/g;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** `source[from, to)` with every character but a line break made a space (most ranges hold none: no regular expression run). */
function blankText(source: string, from: number, to: number): string {
  const text = source.slice(from, to);
  return LINE_BREAK.test(text) ? text.replace(NOT_LINE_BREAK, " ") : " ".repeat(to - from);
}
