import { EXPRESSION_KEYWORDS, Refusal, type Token, tokenize } from "./type-tokens.js";

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

/** A name can be a type's name (`string`, `Foo`); these cannot. */
const NOT_TYPE_NAMES = new Set([
  "function",
  "class",
  "if",
  "else",
  "for",
  "while",
  "do",
  "return",
  "const",
  "let",
  "var",
  "new",
  "delete",
  "in",
  "instanceof",
  "switch",
  "case",
  "default",
  "break",
  "continue",
  "throw",
  "try",
  "catch",
  "finally",
  "with",
  "yield",
  "await",
  "import",
  "export",
  "extends",
  "super",
  "enum",
  "debugger",
  "infer",
  "asserts",
  "is",
]);

/** Names after which `as` or `!` would not follow an expression. */
const NOT_EXPRESSION_END = new Set([...EXPRESSION_KEYWORDS, ...NOT_TYPE_NAMES].filter((name) => name !== "super"));

class Stripper {
  readonly #source: string;
  readonly #tokens: Token[];
  /** Per token: blanked. */
  readonly #blank: boolean[];
  readonly #imports: ImportDeclaration[] = [];
  readonly #exports: string[] = [];
  readonly #exportKeywords: number[] = [];
  /** Tokens naming something declared here (variables, parameters, functions) and method names. */
  readonly #bindings = new Set<number>();
  /** Tokens naming an object literal's key. */
  readonly #keys = new Set<number>();
  #defaultExport: number | undefined;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenize(source);
    this.#blank = new Array<boolean>(this.#tokens.length).fill(false);
  }

  run(): StripOutcome {
    this.#walk(0, this.#tokens.length, { top: true, inFunction: false });
    const imports = this.#elideImports();
    const source = this.#source;
    const tokens = this.#tokens;
    const tokenStarts: number[] = [];
    let code = "";
    /** The end of the text already in `code`. */
    let done = 0;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as Token;
      if (!this.#blank[index]) {
        tokenStarts.push(token.start);
        continue;
      }
      // From the end of the previous token when it is blanked too, so comments inside a blanked range go.
      const from = index > 0 && this.#blank[index - 1] ? (tokens[index - 1] as Token).end : token.start;
      code += source.slice(done, from) + source.slice(from, token.end).replace(NOT_LINE_BREAK, " ");
      done = token.end;
    }
    code += source.slice(done);
    return {
      ok: true,
      code,
      imports,
      exports: this.#exports,
      exportKeywords: this.#exportKeywords,
      defaultExport: this.#defaultExport,
      tokenStarts,
    };
  }

  #token(index: number): Token | undefined {
    return this.#tokens[index];
  }

  #is(index: number, text: string): boolean {
    const token = this.#tokens[index];
    return token !== undefined && token.text === text && (token.kind === "punct" || token.kind === "name");
  }

  #isName(index: number): boolean {
    return this.#tokens[index]?.kind === "name";
  }

  #blankRange(from: number, to: number): void {
    for (let index = from; index < to; index++) this.#blank[index] = true;
  }

  /** Whether the token before `index` ends an expression (so `as`, `!` or `<` after it is TypeScript's). */
  #endsExpression(index: number, pastBlanks = false): boolean {
    let before = index - 1;
    // `x as unknown as T`: the second `as` follows `x`.
    if (pastBlanks) while (before >= 0 && this.#blank[before]) before--;
    const token = this.#tokens[before];
    if (token === undefined || this.#blank[before]) return false;
    switch (token.kind) {
      case "name":
        return !NOT_EXPRESSION_END.has(token.text);
      case "number":
      case "string":
      case "template":
      case "tail":
      case "regex":
        return true;
      case "punct":
        return (token.text === ")" && !token.statementParen) || token.text === "]";
      default:
        return false;
    }
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
    while (index < to) {
      const token = this.#tokens[index] as Token;
      const afterDot = this.#is(index - 1, ".") || this.#is(index - 1, "?.");
      if (token.newline && STATEMENT_STARTS.has(token.text)) declaring = false;
      if (token.kind === "name" && !afterDot) {
        const next = this.#token(index + 1);
        const sameLineName = next !== undefined && next.kind === "name" && !next.newline;
        switch (token.text) {
          case "import":
            if (this.#is(index + 1, "(") || this.#is(index + 1, "."))
              throw new Refusal("a dynamic import or import.meta");
            if (!context.top) throw new Refusal("an import below the top level");
            index = this.#importDeclaration(index);
            continue;
          case "export":
            if (!context.top) throw new Refusal("an export below the top level");
            index = this.#exportDeclaration(index);
            continue;
          case "type":
            if (sameLineName && !["in", "of", "instanceof", "as", "satisfies"].includes(next.text)) {
              index = this.#typeAlias(index, index);
              continue;
            }
            break;
          case "interface":
            if (this.#is(index + 1, ":")) break;
            index = this.#interface(index, index);
            continue;
          case "enum":
          case "class":
            // A property name (`{ enum: 1 }`).
            if (this.#is(index + 1, ":")) break;
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
            if (this.#is(index + 1, ".")) throw new Refusal("new.target");
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
            if (this.#is(index + 1, "(")) {
              index = this.#catch(index + 1, context);
              continue;
            }
            break;
          case "case":
            pendingColons++;
            break;
          case "as":
          case "satisfies":
            if ((this.#endsExpression(index, true) || this.#is(index - 1, "}")) && !token.newline) {
              index = this.#assertion(index);
              continue;
            }
            break;
        }
        if (token.text.startsWith("__retort")) throw new Refusal(`the name ${token.text}`);
        if (next?.kind === "punct" && next.text === "=>") this.#bindings.add(index);
        // An object literal's key (`{ a: 1, b: 2 }`): not a reference, for `#elideImports`.
        if (pendingColons === 0 && this.#is(index + 1, ":") && (this.#is(index - 1, "{") || this.#is(index - 1, ","))) {
          this.#keys.add(index);
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
        case "!":
          if (this.#endsExpression(index) && !token.newline) {
            const previous = this.#tokens[index - 1] as Token;
            if (previous.kind === "name" || previous.text === ")" || previous.text === "]") this.#blank[index] = true;
          }
          break;
        case "<":
          if (!this.#endsExpression(index)) throw new Refusal("a type assertion or a generic arrow function");
          index = this.#typeArguments(index);
          continue;
        case "=>":
          if (this.#is(index + 1, "{")) {
            const body = this.#tokens[index + 1] as Token;
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
    const close = (this.#tokens[index] as Token).match;
    const after = this.#token(close + 1);
    const previous = this.#token(index - 1);
    const afterName =
      previous !== undefined &&
      !this.#blank[index - 1] &&
      (previous.kind === "name" || previous.kind === "string" || previous.kind === "number" || previous.text === "]") &&
      !(previous.kind === "name" && NOT_EXPRESSION_END.has(previous.text)) &&
      !["if", "while", "for", "with", "switch", "catch"].includes(previous.text);
    // A method's type parameters were blanked (`m<T>(x: T) {}`).
    const afterTypeParameters = previous !== undefined && this.#blank[index - 1] && previous.text === ">";
    const method = () => {
      if (afterName) this.#bindings.add(index - 1);
      // The method's name before its type parameters.
      else for (let at = index - 1; at >= 0 && this.#blank[at]; at--) this.#bindings.add(at - 1);
    };
    if (after !== undefined && after.text === "=>" && after.kind === "punct" && !after.newline) {
      this.#parameters(index);
      return close + 1;
    }
    if (after !== undefined && after.kind === "punct" && after.text === ":" && inConditional) {
      // `c ? (x: T): U => x : y`: TypeScript reads an arrow function there when a `:` follows its body.
      let arrow = false;
      try {
        arrow = this.#is(this.#type(close + 2), "=>");
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
      }
      if (arrow) throw new Refusal("an arrow function with a return type inside a conditional");
    }
    if (after !== undefined && after.kind === "punct" && after.text === ":" && !inConditional) {
      this.#parameters(index);
      const end = this.#returnType(close + 1);
      const following = this.#token(end);
      if (following?.text === "=>" && following.kind === "punct") {
        // Blanked, a line break before `=>` would end the arrow function's parameters.
        for (let at = close + 1; at <= end; at++) {
          if ((this.#tokens[at] as Token).newline) throw new Refusal("a line break in an arrow function's return type");
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
    const open = this.#tokens[index] as Token;
    if (open.text !== "{") throw new Refusal("a function without a body");
    this.#walk(index + 1, open.match, { top: false, inFunction: true });
    return open.match + 1;
  }

  /** `function* name<T>(params): Type { body }` from the `function` keyword. */
  #function(index: number): number {
    let at = index + 1;
    if (this.#is(at, "*")) at++;
    if (this.#isName(at)) this.#bindings.add(at++);
    if (this.#is(at, "<")) {
      const end = this.#skipAngles(at);
      this.#blankRange(at, end);
      at = end;
    }
    if (!this.#is(at, "(")) throw new Refusal("a function it cannot read");
    const close = (this.#tokens[at] as Token).match;
    this.#parameters(at);
    at = close + 1;
    if (this.#is(at, ":")) at = this.#returnType(at);
    return this.#body(at);
  }

  /** `: Type` at `index`, blanked; returns the index after it. */
  #returnType(index: number): number {
    let start = index + 1;
    if (this.#isName(start) && (this.#token(start)?.text === "asserts" || this.#token(start + 1)?.text === "is")) {
      throw new Refusal("a type predicate");
    }
    const end = this.#type(start);
    this.#blankRange(index, end);
    start = end;
    return start;
  }

  /** The parameter list whose `(` is at `index`: each `name?: Type = default`. */
  #parameters(index: number): void {
    const close = (this.#tokens[index] as Token).match;
    let at = index + 1;
    while (at < close) {
      if (this.#is(at, "...")) at++;
      const binding = this.#token(at) as Token;
      if (binding.kind === "name") {
        if (binding.text === "this") throw new Refusal("a this parameter");
        if (NOT_TYPE_NAMES.has(binding.text) && binding.text !== "await" && binding.text !== "yield") {
          throw new Refusal(`the parameter ${binding.text}`);
        }
        this.#bindings.add(at++);
      } else if (binding.text === "{" || binding.text === "[") {
        this.#pattern(at);
        at = binding.match + 1;
      } else {
        throw new Refusal("a parameter it cannot read");
      }
      if (this.#is(at, "?")) {
        this.#blank[at] = true;
        at++;
        if (!this.#is(at, ":") && !this.#is(at, ",") && at !== close) throw new Refusal("an optional parameter");
      }
      if (this.#is(at, ":")) {
        const end = this.#type(at + 1);
        this.#blankRange(at, end);
        at = end;
      }
      if (this.#is(at, "=")) {
        const end = this.#untilComma(at + 1, close);
        this.#walk(at + 1, end, { top: false, inFunction: true });
        at = end;
      }
      if (this.#is(at, ",")) at++;
      else if (at !== close) throw new Refusal("a parameter it cannot read");
    }
  }

  /** The first `,` of this bracket level from `index`, or `close`. */
  #untilComma(index: number, close: number): number {
    let at = index;
    while (at < close) {
      const token = this.#tokens[at] as Token;
      if (token.kind === "punct" && token.text === ",") return at;
      at = token.match > at ? token.match + 1 : at + 1;
    }
    return close;
  }

  /** `catch (e: unknown)`: the `(` at `index`. */
  #catch(index: number, context: { top: boolean; inFunction: boolean }): number {
    const close = (this.#tokens[index] as Token).match;
    let at = index + 1;
    const binding = this.#token(at) as Token;
    if (binding.kind === "name") this.#bindings.add(at++);
    else if (binding.text === "{" || binding.text === "[") {
      this.#pattern(at, context);
      at = binding.match + 1;
    }
    if (this.#is(at, ":")) {
      const end = this.#type(at + 1);
      this.#blankRange(at, end);
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
    const close = (this.#tokens[index] as Token).match;
    for (let at = index + 1; at < close; at++) if (this.#isName(at)) this.#bindings.add(at);
    this.#walk(index + 1, close, context);
  }

  /** One declarator's binding and type (`x: T`, `{ a }: T`) at `index`; returns where its initializer starts. */
  #declarator(index: number): number {
    const binding = this.#token(index);
    let at = index;
    if (binding?.kind === "name") {
      if (NOT_TYPE_NAMES.has(binding.text) || binding.text === "enum")
        throw new Refusal(`the declaration of ${binding.text}`);
      this.#bindings.add(at++);
    } else if (binding !== undefined && (binding.text === "{" || binding.text === "[")) {
      this.#pattern(at);
      at = binding.match + 1;
    } else {
      throw new Refusal("a declaration it cannot read");
    }
    if (this.#is(at, "!")) throw new Refusal("a definite assignment");
    if (this.#is(at, ":")) {
      const end = this.#type(at + 1);
      this.#blankRange(at, end);
      at = end;
    }
    return at;
  }

  /** `as Type`, `as const`, `satisfies Type` at `index`; returns the index after it. */
  #assertion(index: number): number {
    const previous = this.#tokens[index - 1] as Token;
    const next = this.#token(index + 1);
    if (previous.text === "}" && next?.kind !== "name")
      throw new Refusal(`"${(this.#tokens[index] as Token).text}" after "}"`);
    const end = next?.text === "const" && next.kind === "name" ? index + 2 : this.#type(index + 1);
    this.#blankRange(index, end);
    return end;
  }

  /**
   * `<` after an expression: type arguments of a call (`f<T>(x)`,
   * `` f<T>`x` ``), blanked, or a comparison, left alone. Like
   * TypeScript, it reads type arguments when the tokens up to a matching
   * `>` can be types and a call follows; type arguments followed by
   * anything else are refused.
   */
  #typeArguments(index: number): number {
    let depth = 0;
    let at = index;
    while (at < this.#tokens.length) {
      const token = this.#tokens[at] as Token;
      if (token.kind === "punct") {
        if (token.text === "<") depth++;
        else if (token.text === ">") {
          depth--;
          if (depth === 0) break;
        } else if (token.text === "(" || token.text === "[" || token.text === "{") {
          at = token.match + 1;
          continue;
        } else if (!TYPE_PUNCTUATORS.has(token.text)) return index + 1;
      } else if (token.kind === "name" && (NOT_TYPE_NAMES.has(token.text) || EXPRESSION_KEYWORDS.has(token.text))) {
        if (!["extends", "typeof", "keyof", "void"].includes(token.text)) return index + 1;
      } else if (token.kind === "head") {
        at = token.match;
        continue;
      } else if (token.kind === "regex") {
        return index + 1;
      }
      at++;
    }
    if (at >= this.#tokens.length) return index + 1;
    const following = this.#token(at + 1);
    const call =
      following !== undefined &&
      ((following.kind === "punct" && following.text === "(") ||
        following.kind === "template" ||
        following.kind === "head");
    if (!call) {
      // TypeScript's reading (`canFollowTypeArgumentsInExpression`): before `<`, `>`, `+`, `-`, or on the
      // same line before what starts an expression, these were comparisons (`f(a < b, c > d)`).
      const comparison =
        following !== undefined &&
        ((following.kind === "punct" && ["<", ">", "+", "-"].includes(following.text)) ||
          (!following.newline && startsExpression(following)));
      if (comparison) return index + 1;
      throw new Refusal("type arguments without a call");
    }
    // Type arguments must read as types.
    let inner = index + 1;
    while (inner < at) {
      inner = this.#type(inner);
      if (this.#is(inner, ",")) inner++;
      else if (inner !== at) throw new Refusal("type arguments it cannot read");
    }
    this.#blankRange(index, at + 1);
    return at + 1;
  }

  /** From `<` at `index`, the index after its matching `>` (brackets skipped). */
  #skipAngles(index: number): number {
    let depth = 0;
    let at = index;
    while (at < this.#tokens.length) {
      const token = this.#tokens[at] as Token;
      if (token.kind === "punct") {
        if (token.text === "<") depth++;
        else if (token.text === ">") {
          depth--;
          if (depth === 0) return at + 1;
        } else if (token.text === "(" || token.text === "[" || token.text === "{") {
          at = token.match + 1;
          continue;
        } else if (token.text === ";" || token.text === ")" || token.text === "]" || token.text === "}") {
          break;
        }
      } else if (token.kind === "head" || token.kind === "middle") {
        at = token.match;
        continue;
      }
      at++;
    }
    throw new Refusal("type arguments it cannot read");
  }

  /** A type at `index`; returns the index after it. */
  #type(index: number): number {
    let at = index;
    if (this.#is(at, "|") || this.#is(at, "&")) at++;
    at = this.#typeOperand(at);
    while (this.#is(at, "|") || this.#is(at, "&")) at = this.#typeOperand(at + 1);
    const next = this.#token(at);
    if (next?.kind === "name" && next.text === "extends" && !next.newline) throw new Refusal("a conditional type");
    return at;
  }

  #typeOperand(index: number): number {
    let at = index;
    // A constructor type: `new (…) => T`, `abstract new (…) => T`.
    if (this.#is(at, "abstract") && this.#is(at + 1, "new")) at++;
    if (this.#is(at, "new")) {
      if (!this.#is(at + 1, "(")) throw new Refusal("a constructor type it cannot read");
      at = (this.#tokens[at + 1] as Token).match + 1;
      if (!this.#is(at, "=>")) throw new Refusal("a constructor type it cannot read");
      return this.#type(at + 1);
    }
    while (this.#isName(at) && ["keyof", "readonly", "unique"].includes((this.#tokens[at] as Token).text)) {
      if (!this.#isName(at + 1) && !this.#is(at + 1, "(") && !this.#is(at + 1, "[") && !this.#is(at + 1, "{")) break;
      at++;
    }
    const token = this.#token(at);
    if (token === undefined) throw new Refusal("a type cut short");
    if (token.kind === "punct") {
      switch (token.text) {
        case "(": {
          at = token.match + 1;
          if (this.#is(at, "=>")) return this.#type(at + 1);
          break;
        }
        case "<": {
          at = this.#skipAngles(at);
          if (!this.#is(at, "(")) throw new Refusal("a generic function type it cannot read");
          at = (this.#tokens[at] as Token).match + 1;
          if (!this.#is(at, "=>")) throw new Refusal("a generic function type it cannot read");
          return this.#type(at + 1);
        }
        case "{":
        case "[":
          at = token.match + 1;
          break;
        case "-":
          if (this.#token(at + 1)?.kind !== "number") throw new Refusal("a type it cannot read");
          at += 2;
          break;
        default:
          throw new Refusal(`a type starting with "${token.text}"`);
      }
    } else if (token.kind === "string" || token.kind === "number" || token.kind === "template") {
      at++;
    } else if (token.kind === "head") {
      at = token.match;
      while ((this.#tokens[at] as Token).kind === "middle") at = (this.#tokens[at] as Token).match;
      at++;
    } else if (token.kind === "name") {
      if (NOT_TYPE_NAMES.has(token.text)) throw new Refusal(`a type starting with "${token.text}"`);
      if (token.text === "typeof") {
        at++;
        if (!this.#isName(at) || this.#is(at, "import")) throw new Refusal("a typeof type it cannot read");
      }
      at++;
      while (this.#is(at, ".") && this.#isName(at + 1)) at += 2;
      if (this.#is(at, "<") && !(this.#tokens[at] as Token).newline) at = this.#skipAngles(at);
      if (this.#isName(at) && (this.#tokens[at] as Token).text === "is" && !(this.#tokens[at] as Token).newline) {
        throw new Refusal("a type predicate");
      }
    } else {
      throw new Refusal("a type it cannot read");
    }
    while (this.#is(at, "[") && !(this.#tokens[at] as Token).newline) at = (this.#tokens[at] as Token).match + 1;
    return at;
  }

  /** `type Name<T> = Type;` from `start` (`type`, or `export` before it); returns the index after it. */
  #typeAlias(start: number, index: number): number {
    let at = index + 2;
    if (this.#is(at, "<")) at = this.#skipAngles(at);
    if (!this.#is(at, "=")) throw new Refusal("a type alias it cannot read");
    at = this.#type(at + 1);
    at = this.#statementEnd(at, "a type alias");
    this.#blankRange(start, at);
    return at;
  }

  /** `interface Name<T> extends A, B { … }` from `start`; returns the index after it. */
  #interface(start: number, index: number): number {
    if (!this.#isName(index + 1) || (this.#tokens[index + 1] as Token).newline) throw new Refusal('"interface"');
    let at = index + 2;
    if (this.#is(at, "<")) at = this.#skipAngles(at);
    if (this.#is(at, "extends")) {
      at = this.#type(at + 1);
      while (this.#is(at, ",")) at = this.#type(at + 1);
    }
    if (!this.#is(at, "{")) throw new Refusal("an interface it cannot read");
    at = (this.#tokens[at] as Token).match + 1;
    this.#blankRange(start, at);
    return at;
  }

  /** After a declaration ending at `index`: its `;`, or a line break, `}` or the end. */
  #statementEnd(index: number, what: string): number {
    if (this.#is(index, ";")) return index + 1;
    const next = this.#token(index);
    if (next === undefined || next.newline || next.text === "}") return index;
    throw new Refusal(`${what} it cannot read`);
  }

  /** An import declaration at `index`; returns the index after it. */
  #importDeclaration(index: number): number {
    let at = index + 1;
    const start = (this.#tokens[index] as Token).start;
    const typeOnly =
      this.#is(at, "type") &&
      !this.#is(at + 1, ",") &&
      !(this.#is(at + 1, "from") && this.#token(at + 2)?.kind === "string");
    if (typeOnly) {
      while (at < this.#tokens.length && this.#token(at)?.kind !== "string") {
        const token = this.#tokens[at] as Token;
        at = token.match > at ? token.match + 1 : at + 1;
      }
      at = this.#statementEnd(at + 1, "an import");
      this.#blankRange(index, at);
      return at;
    }
    const bindings: ImportBinding[] = [];
    let sideEffect = true;
    if (this.#isName(at) && !this.#is(at, "from")) {
      if (this.#is(at + 1, "=")) throw new Refusal("import = require()");
      bindings.push({ imported: "default", local: (this.#tokens[at] as Token).text, token: at, kind: "default" });
      sideEffect = false;
      at++;
      if (this.#is(at, ",")) at++;
    }
    if (this.#is(at, "*")) {
      if (!this.#is(at + 1, "as") || !this.#isName(at + 2)) throw new Refusal("an import it cannot read");
      bindings.push({ imported: "*", local: (this.#tokens[at + 2] as Token).text, token: at + 2, kind: "namespace" });
      sideEffect = false;
      at += 3;
    } else if (this.#is(at, "{")) {
      sideEffect = false;
      const close = (this.#tokens[at] as Token).match;
      if (close === at + 1) throw new Refusal("an empty import list");
      at = this.#importSpecifiers(at + 1, close, bindings);
    }
    if (!sideEffect || bindings.length > 0) {
      if (!this.#is(at, "from")) throw new Refusal("an import it cannot read");
      at++;
    }
    const specifier = this.#token(at);
    if (specifier?.kind !== "string") throw new Refusal("an import it cannot read");
    at = this.#statementEnd(at + 1, "an import");
    const end = (this.#tokens[at - 1] as Token).end;
    this.#imports.push({ start, end, specifier: JSON.parse(toDoubleQuoted(specifier.text)), bindings, sideEffect });
    return at;
  }

  /** `a, b as c, type D, "e-f" as g` up to `close`; returns the index after `}`. */
  #importSpecifiers(from: number, close: number, bindings: ImportBinding[]): number {
    let at = from;
    while (at < close) {
      const end = this.#untilComma(at, close);
      const words = this.#tokens.slice(at, end);
      const texts = words.map((word) => word.text);
      if (texts.length === 0 || words.some((word) => word.kind !== "name" && word.kind !== "string")) {
        throw new Refusal("an import list it cannot read");
      }
      // TypeScript's reading: `type X` and `type X as Y` are type-only; `type as Y` imports `type`.
      const typeOnly = texts[0] === "type" && (texts.length === 2 || (texts.length === 4 && texts[2] === "as"));
      if (typeOnly) {
        this.#blankRange(at, end < close ? end + 1 : end);
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
  #exportDeclaration(index: number): number {
    const next = this.#token(index + 1);
    if (next?.kind !== "name") throw new Refusal("an export list or re-export");
    const after = this.#token(index + 2);
    if (next.text === "type" && after?.kind === "name" && !after.newline) return this.#typeAlias(index, index + 1);
    if (next.text === "type" && after?.text === "{" && after.kind === "punct") return this.#typeExports(index);
    if (next.text === "interface") return this.#interface(index, index + 1);
    if (next.text === "default") return this.#exportDefault(index);
    let at = index + 1;
    if (next.text === "async" && this.#is(index + 2, "function") && !after?.newline) at++;
    const keyword = (this.#tokens[at] as Token).text;
    if (keyword === "function") {
      const name = this.#token(this.#is(at + 1, "*") ? at + 2 : at + 1);
      if (name?.kind !== "name") throw new Refusal("an export it cannot read");
      this.#exports.push(name.text);
    } else if (keyword === "const" || keyword === "let" || keyword === "var") {
      // Each declarator's name: `export const a = 1, b = 2`.
      let name = at + 1;
      for (;;) {
        const token = this.#token(name);
        if (token?.kind !== "name") throw new Refusal("an exported destructuring");
        this.#exports.push(token.text);
        name = this.#nextDeclarator(name);
        if (name === -1) break;
      }
    } else {
      throw new Refusal(`export ${keyword}`);
    }
    this.#exportKeywords.push((this.#tokens[index] as Token).start);
    return index + 1;
  }

  /** `export type { A, B as C } [from "x"];` at `index`, blanked (it exports types only). */
  #typeExports(index: number): number {
    let at = (this.#tokens[index + 2] as Token).match + 1;
    if (this.#is(at, "from")) {
      if (this.#token(at + 1)?.kind !== "string") throw new Refusal("an export it cannot read");
      at += 2;
    }
    at = this.#statementEnd(at, "an export");
    this.#blankRange(index, at);
    return at;
  }

  /**
   * `export default <expression>` at `index`, when the expression is an
   * object or array literal or a call (not a function, class or arrow
   * function, whose name `default` an assignment would change):
   * `export default defineConfig({ … })`.
   */
  #exportDefault(index: number): number {
    const first = this.#token(index + 2);
    const second = this.#token(index + 3);
    const start = (this.#tokens[index] as Token).start;
    const literal = first?.kind === "punct" && (first.text === "{" || first.text === "[");
    // A call (`defineConfig({ … })`): a bare name could be a type's, which TypeScript leaves out.
    const named =
      first?.kind === "name" &&
      !["function", "class", "async"].includes(first.text) &&
      !NOT_TYPE_NAMES.has(first.text) &&
      second?.kind === "punct" &&
      second.text === "(";
    if (this.#source.slice(start, start + EXPORT_DEFAULT.length) !== EXPORT_DEFAULT || !(literal || named)) {
      throw new Refusal("an export default it cannot read");
    }
    if (this.#defaultExport !== undefined) throw new Refusal("two default exports");
    this.#defaultExport = start;
    return index + 2;
  }

  /** After the declarator named at `index`: the index of the next declarator's name, or -1. */
  #nextDeclarator(index: number): number {
    let at = index + 1;
    while (at < this.#tokens.length) {
      const token = this.#tokens[at] as Token;
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
  #elideImports(): StrippedImport[] {
    // Each name's uses in the kept code outside the import declarations, not as a property name.
    // Per name: `true` once it appears as a reference TypeScript would see, `false` while it only
    // appears where it might not be one (before a `:`, a key or a label, or in a conditional).
    const uses = new Map<string, boolean>();
    const declared = new Set<string>();
    const locals = new Set<string>();
    for (const declaration of this.#imports) for (const binding of declaration.bindings) locals.add(binding.local);
    let declaration = 0;
    const tokens = this.#tokens;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as Token;
      if (token.kind !== "name" || this.#blank[index] || !locals.has(token.text)) continue;
      while (declaration < this.#imports.length && (this.#imports[declaration]?.end ?? 0) <= token.start) declaration++;
      const inImport = (this.#imports[declaration]?.start ?? Number.POSITIVE_INFINITY) <= token.start;
      if (inImport) continue;
      if (this.#is(index - 1, ".") || this.#is(index - 1, "?.") || this.#keys.has(index)) continue;
      if (this.#bindings.has(index)) declared.add(token.text);
      else {
        const label = this.#is(index + 1, ":") || this.#is(index - 1, "break") || this.#is(index - 1, "continue");
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
            this.#blank[binding.token] = true;
            if (this.#is(binding.token + 1, ",")) this.#blank[binding.token + 1] = true;
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
    for (let index = 0; index < this.#tokens.length; index++) {
      const token = this.#tokens[index] as Token;
      if (token.start >= start && token.end <= end) this.#blank[index] = true;
    }
  }

  /** Blanks a named import specifier from its first token to its `,` (the next one, or none at the end of the list). */
  #blankSpecifier(index: number): void {
    let at = index;
    while (at < this.#tokens.length && !this.#is(at, ",") && !this.#is(at, "}")) {
      this.#blank[at] = true;
      at++;
    }
    if (this.#is(at, ",")) this.#blank[at] = true;
  }
}

const EXPORT_DEFAULT = "export default";

/** Punctuators a type argument list can hold. */
const TYPE_PUNCTUATORS = new Set([",", ".", "|", "&", "=>", "-"]);

/** Words that begin a statement: a declaration ends before one on a new line. */
const STATEMENT_STARTS = new Set([
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

/** Whether `token` can start an expression and is not a binary operator (`in`, `instanceof`, `as`…). */
function startsExpression(token: Token): boolean {
  switch (token.kind) {
    case "name":
      return !["in", "instanceof", "as", "satisfies", "of"].includes(token.text);
    case "punct":
      return ["(", "[", "{", "!", "~", "++", "--", "...", "<", "+", "-", "/", "/="].includes(token.text);
    default:
      return true;
  }
}

const NOT_LINE_BREAK = /[^\n\r\u2028\u2029]/g;

/** A string token in double quotes, for `JSON.parse`. */
function toDoubleQuoted(text: string): string {
  if (text.startsWith('"')) return text;
  return `"${text.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`;
}
