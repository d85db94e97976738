import { EXPRESSION_KEYWORDS, Refusal, type Token } from "./type-tokens.js";

/** A name can be a type's name (`string`, `Foo`); these cannot. */
export const NOT_TYPE_NAMES = new Set([
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

/**
 * The tokens of a file being stripped (see `stripTypes`) and what the
 * stripper learned of each: blanked, a binding, an object key; with the
 * reading of types, which only looks at tokens (the callers blank what it
 * spans).
 */
export class TokenMarks {
  /** Per token: blanked. */
  readonly blank: boolean[];
  /** Tokens naming something declared here (variables, parameters, functions) and method names. */
  readonly bindings = new Set<number>();
  /** Tokens naming an object literal's key. */
  readonly keys = new Set<number>();
  /** Whole statements blanked (a type alias, an interface, an import of types), by first token: the index after each. */
  readonly statements = new Map<number, number>();

  constructor(
    readonly source: string,
    readonly tokens: readonly Token[],
  ) {
    this.blank = new Array<boolean>(tokens.length).fill(false);
  }

  token(index: number): Token | undefined {
    return this.tokens[index];
  }

  is(index: number, text: string): boolean {
    const token = this.tokens[index];
    return token !== undefined && token.text === text && (token.kind === "punct" || token.kind === "name");
  }

  isName(index: number): boolean {
    return this.tokens[index]?.kind === "name";
  }

  /** Blanks the statement of tokens `[from, to)` (see `statements`). */
  blankStatement(from: number, to: number): void {
    this.blankRange(from, to);
    this.statements.set(from, to);
  }

  /**
   * Whether the blanked statement starting at `from` must leave a `;`:
   * it is the body of a statement (`if (a) type A = B`), or the code
   * before it did not end with one (it relied on the line break before
   * the statement) and the code after it could continue it (`foo()` then
   * `type A = B` then `(bar)()` would read as `foo()(bar)()`).
   */
  needsSemicolon(from: number): boolean {
    let before = from - 1;
    while (before >= 0 && this.blank[before]) before--;
    const previous = this.tokens[before];
    if (previous === undefined || (previous.kind === "punct" && (previous.text === ";" || previous.text === "{"))) {
      return false;
    }
    // The statement is the body of `if (…)`, `else`, `do`, a loop or a label: without it the next one would be.
    if (previous.kind === "punct" && ((previous.text === ")" && previous.statementParen) || previous.text === ":")) {
      return true;
    }
    if (previous.kind === "name" && (previous.text === "else" || previous.text === "do")) return true;
    let after = this.statements.get(from) ?? from;
    while (after < this.tokens.length && this.blank[after]) after++;
    const next = this.tokens[after];
    if (next === undefined) return false;
    if (next.kind === "punct") return !["}", ";", ")", "]"].includes(next.text);
    return next.kind === "template" || next.kind === "head" || next.kind === "regex";
  }

  blankRange(from: number, to: number): void {
    for (let index = from; index < to; index++) this.blank[index] = true;
  }

  /** The first `,` of this bracket level from `index`, or `close`. */
  untilComma(index: number, close: number): number {
    let at = index;
    while (at < close) {
      const token = this.tokens[at] as Token;
      if (token.kind === "punct" && token.text === ",") return at;
      at = token.match > at ? token.match + 1 : at + 1;
    }
    return close;
  }

  /** After a declaration ending at `index`: its `;`, or a line break, `}` or the end. */
  statementEnd(index: number, what: string): number {
    if (this.is(index, ";")) return index + 1;
    const next = this.token(index);
    if (next === undefined || next.newline || next.text === "}") return index;
    throw new Refusal(`${what} it cannot read`);
  }

  /** From `<` at `index`, the index after its matching `>` (brackets skipped). */
  angleEnd(index: number): number {
    const close = this.#closingAngle(index, (token) => !(token.kind === "punct" && CLOSERS.has(token.text)));
    if (close === -1) throw new Refusal("type arguments it cannot read");
    return close + 1;
  }

  /**
   * From `<` at `index`, the index of its matching `>`, brackets and
   * template substitutions skipped; -1 when a token `accepts` refuses (or
   * the end) comes first.
   */
  #closingAngle(index: number, accepts: (token: Token) => boolean): number {
    let depth = 0;
    let at = index;
    while (at < this.tokens.length) {
      const token = this.tokens[at] as Token;
      if (token.kind === "head" || token.kind === "middle") {
        at = token.match;
        continue;
      }
      if (token.kind === "punct") {
        if (token.text === "(" || token.text === "[" || token.text === "{") {
          at = token.match + 1;
          continue;
        }
        if (token.text === "<") depth++;
        else if (token.text === ">") {
          depth--;
          if (depth === 0) return at;
        } else if (!accepts(token)) return -1;
      } else if (!accepts(token)) return -1;
      at++;
    }
    return -1;
  }

  /** A type at `index`; returns the index after it. */
  typeEnd(index: number): number {
    let at = index;
    if (this.is(at, "|") || this.is(at, "&")) at++;
    at = this.typeOperandEnd(at);
    while (this.is(at, "|") || this.is(at, "&")) at = this.typeOperandEnd(at + 1);
    const next = this.token(at);
    if (next?.kind === "name" && next.text === "extends" && !next.newline) throw new Refusal("a conditional type");
    return at;
  }

  typeOperandEnd(index: number): number {
    let at = index;
    // A constructor type: `new (…) => T`, `abstract new (…) => T`.
    if (this.is(at, "abstract") && this.is(at + 1, "new")) at++;
    if (this.is(at, "new")) {
      if (!this.is(at + 1, "(")) throw new Refusal("a constructor type it cannot read");
      at = (this.tokens[at + 1] as Token).match + 1;
      if (!this.is(at, "=>")) throw new Refusal("a constructor type it cannot read");
      return this.typeEnd(at + 1);
    }
    while (this.isName(at) && ["keyof", "readonly", "unique"].includes((this.tokens[at] as Token).text)) {
      if (!this.isName(at + 1) && !this.is(at + 1, "(") && !this.is(at + 1, "[") && !this.is(at + 1, "{")) break;
      at++;
    }
    const token = this.token(at);
    if (token === undefined) throw new Refusal("a type cut short");
    if (token.kind === "punct") {
      switch (token.text) {
        case "(": {
          const close = token.match;
          if (this.is(close + 1, "=>")) {
            this.#functionTypeParameters(at + 1, close);
            return this.typeEnd(close + 2);
          }
          if (this.typeEnd(at + 1) !== close) throw new Refusal("a parenthesized type it cannot read");
          at = close + 1;
          break;
        }
        case "<": {
          at = this.angleEnd(at);
          if (!this.is(at, "(")) throw new Refusal("a generic function type it cannot read");
          at = (this.tokens[at] as Token).match + 1;
          if (!this.is(at, "=>")) throw new Refusal("a generic function type it cannot read");
          return this.typeEnd(at + 1);
        }
        case "{":
          this.#typeLiteral(at + 1, token.match);
          at = token.match + 1;
          break;
        case "[":
          this.#tupleType(at + 1, token.match);
          at = token.match + 1;
          break;
        case "-":
          if (this.token(at + 1)?.kind !== "number") throw new Refusal("a type it cannot read");
          at += 2;
          break;
        default:
          throw new Refusal(`a type starting with "${token.text}"`);
      }
    } else if (token.kind === "string" || token.kind === "number" || token.kind === "template") {
      at++;
    } else if (token.kind === "head") {
      at = token.match;
      while ((this.tokens[at] as Token).kind === "middle") at = (this.tokens[at] as Token).match;
      at++;
    } else if (token.kind === "name") {
      if (NOT_TYPE_NAMES.has(token.text)) throw new Refusal(`a type starting with "${token.text}"`);
      if (token.text === "typeof") {
        at++;
        if (!this.isName(at) || this.is(at, "import")) throw new Refusal("a typeof type it cannot read");
      }
      at++;
      while (this.is(at, ".") && this.isName(at + 1)) at += 2;
      if (this.is(at, "<") && !(this.tokens[at] as Token).newline) at = this.typeArgumentListEnd(at);
      if (this.isName(at) && (this.tokens[at] as Token).text === "is" && !(this.tokens[at] as Token).newline) {
        throw new Refusal("a type predicate");
      }
    } else {
      throw new Refusal("a type it cannot read");
    }
    // `T[]`, or an indexed access `T["key"]`.
    while (this.is(at, "[") && !(this.tokens[at] as Token).newline) {
      const close = (this.tokens[at] as Token).match;
      if (close !== at + 1 && this.typeEnd(at + 1) !== close)
        throw new Refusal("an indexed access type it cannot read");
      at = close + 1;
    }
    return at;
  }

  /**
   * From `<` at `index`, type arguments read as types (`Map<string, T[]>`),
   * unlike `angleEnd`, which only finds the `>`; returns the index after it.
   */
  typeArgumentListEnd(index: number): number {
    let at = index + 1;
    for (;;) {
      at = this.typeEnd(at);
      if (this.is(at, ">")) return at + 1;
      if (!this.is(at, ",")) throw new Refusal("type arguments it cannot read");
      at++;
    }
  }

  /** A function type's parameters in `[from, close)`: `a: T`, `b?: U`, `...rest: V[]`. */
  #functionTypeParameters(from: number, close: number): void {
    let at = from;
    while (at < close) {
      if (this.is(at, "...")) at++;
      if (!this.isName(at) || NOT_TYPE_NAMES.has((this.tokens[at] as Token).text)) {
        throw new Refusal("a function type's parameters it cannot read");
      }
      at++;
      if (this.is(at, "?")) at++;
      if (this.is(at, ":")) at = this.typeEnd(at + 1);
      if (this.is(at, ",")) at++;
      else if (at !== close) throw new Refusal("a function type's parameters it cannot read");
    }
  }

  /** A tuple's elements in `[from, close)`: `T`, `T?`, `...T`, `name: T`, `name?: T`. */
  #tupleType(from: number, close: number): void {
    let at = from;
    while (at < close) {
      if (this.is(at, "...")) at++;
      if (this.isName(at) && (this.is(at + 1, ":") || (this.is(at + 1, "?") && this.is(at + 2, ":")))) {
        at = this.is(at + 1, "?") ? at + 3 : at + 2;
      }
      at = this.typeEnd(at);
      if (this.is(at, "?")) at++;
      if (this.is(at, ",")) at++;
      else if (at !== close) throw new Refusal("a tuple type it cannot read");
    }
  }

  /**
   * An object type's members in `[from, close)`, each `name?: T`,
   * `readonly name: T`, `name?(params): T`, `[key: K]: T` or `(params): T`,
   * separated by `;`, `,` or a line break. Mapped types are refused.
   */
  #typeLiteral(from: number, close: number): void {
    let at = from;
    while (at < close) {
      if (this.is(at, ";") || this.is(at, ",")) {
        at++;
        continue;
      }
      const start = at;
      if (this.is(at, "readonly") && !this.is(at + 1, ":") && !this.is(at + 1, "?") && !this.is(at + 1, "(")) at++;
      const key = this.token(at) as Token;
      if (key.kind === "punct" && key.text === "[") {
        // An index signature: `[key: string]: T`.
        if (!this.isName(at + 1) || !this.is(at + 2, ":")) throw new Refusal("an object type it cannot read");
        if (this.typeEnd(at + 3) !== key.match) throw new Refusal("an object type it cannot read");
        at = key.match + 1;
      } else if (key.kind === "name" || key.kind === "string" || key.kind === "number") {
        at++;
        if (this.is(at, "?")) at++;
      } else if (!(key.kind === "punct" && key.text === "(")) {
        throw new Refusal("an object type it cannot read");
      }
      if (this.is(at, "(")) {
        const paren = (this.tokens[at] as Token).match;
        this.#functionTypeParameters(at + 1, paren);
        at = paren + 1;
        if (this.is(at, ":")) at = this.typeEnd(at + 1);
      } else {
        if (!this.is(at, ":")) throw new Refusal("an object type it cannot read");
        at = this.typeEnd(at + 1);
      }
      const next = this.token(at);
      const separated = at === close || this.is(at, ";") || this.is(at, ",") || next?.newline === true;
      if (!separated || at === start) throw new Refusal("an object type it cannot read");
    }
  }

  /** `type Name<T> = Type;` from `start` (`type`, or `export` before it); returns the index after it. */
  typeAlias(start: number, index: number): number {
    let at = index + 2;
    if (this.is(at, "<")) at = this.angleEnd(at);
    if (!this.is(at, "=")) throw new Refusal("a type alias it cannot read");
    at = this.typeEnd(at + 1);
    at = this.statementEnd(at, "a type alias");
    this.blankStatement(start, at);
    return at;
  }

  /** `interface Name<T> extends A, B { … }` from `start`; returns the index after it. */
  interfaceDeclaration(start: number, index: number): number {
    if (!this.isName(index + 1) || (this.tokens[index + 1] as Token).newline) throw new Refusal('"interface"');
    let at = index + 2;
    if (this.is(at, "<")) at = this.angleEnd(at);
    if (this.is(at, "extends")) {
      at = this.typeEnd(at + 1);
      while (this.is(at, ",")) at = this.typeEnd(at + 1);
    }
    if (!this.is(at, "{")) throw new Refusal("an interface it cannot read");
    at = (this.tokens[at] as Token).match + 1;
    this.blankStatement(start, at);
    return at;
  }

  /**
   * `<` after an expression: type arguments of a call (`f<T>(x)`,
   * `` f<T>`x` ``), blanked, or a comparison, left alone. Like
   * TypeScript, it reads type arguments when the tokens up to a matching
   * `>` can be types and a call follows; type arguments followed by
   * anything else are refused.
   */
  typeArguments(index: number): number {
    const at = this.#closingAngle(index, canBeInTypeArguments);
    if (at === -1) return index + 1;
    const following = this.token(at + 1);
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
    // They must read as types, brackets and all (`a < (b > c) > (d)` is two comparisons in TypeScript).
    if (this.typeArgumentListEnd(index) !== at + 1) throw new Refusal("type arguments it cannot read");
    this.blankRange(index, at + 1);
    return at + 1;
  }
}

/** Punctuators a type argument list can hold. */
const TYPE_PUNCTUATORS = new Set([",", ".", "|", "&", "=>", "-"]);
/** The closing brackets and `;`: type arguments end before them. */
const CLOSERS = new Set([";", ")", "]", "}"]);

/** Whether `token` can be in the type arguments of a call (else the `<` was a comparison). */
function canBeInTypeArguments(token: Token): boolean {
  if (token.kind === "punct") return TYPE_PUNCTUATORS.has(token.text);
  if (token.kind === "regex") return false;
  if (token.kind === "name" && (NOT_TYPE_NAMES.has(token.text) || EXPRESSION_KEYWORDS.has(token.text))) {
    return ["extends", "typeof", "keyof", "void"].includes(token.text);
  }
  return true;
}

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
