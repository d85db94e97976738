import { NOT_TYPE_NAMES, type TokenMarks } from "./type-syntax.js";
import { EXPRESSION_KEYWORDS, Refusal, type Token } from "./type-tokens.js";

/** Names after which `as` or `!` would not follow an expression. */
export const NOT_EXPRESSION_END = new Set(
  [...EXPRESSION_KEYWORDS, ...NOT_TYPE_NAMES].filter((name) => name !== "super"),
);

/**
 * TypeScript's assertions after an expression, for the stripper (see
 * `stripTypes`): where one is (`as`, `satisfies`; the walker blanks a
 * non-null `!` itself), and blanking it where that leaves the same
 * program, refusing where it would not.
 */
export class Assertions {
  readonly #marks: TokenMarks;
  /** Each `as`/`satisfies` assertion blanked, by its last token: its first (`as`). */
  readonly #ranges = new Map<number, number>();

  constructor(marks: TokenMarks) {
    this.#marks = marks;
  }

  /** Whether the token before `index` ends an expression (so `as`, `!` or `<` after it is TypeScript's). */
  endsExpression(index: number): boolean {
    const before = index - 1;
    const token = this.#marks.tokens[before];
    if (token === undefined || this.#marks.blank[before]) return false;
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

  /** `as Type`, `as const`, `satisfies Type` at `index`, blanked; returns the index after it. */
  blank(index: number): number {
    const word = (this.#marks.tokens[index] as Token).text;
    const next = this.#marks.token(index + 1);
    const end = next?.text === "const" && next.kind === "name" ? index + 2 : this.#marks.typeEnd(index + 1);
    const following = this.#marks.token(end);
    // `a + b as any * c` is `(a + b) * c` in TypeScript (`as` binds as `<` does): blanked, `*` would bind first.
    const tighter =
      following?.kind === "punct" &&
      (TIGHTER_THAN_AS.has(following.text) ||
        (following.text === ">" &&
          this.#marks.is(end + 1, ">") &&
          this.#marks.tokens[end + 1]?.start === following.end));
    if (tighter) throw new Refusal(`"${following.text}" after "${word} …"`);
    // Nothing but an operator follows `x as T` in TypeScript (`x as any[] .b` is an error esbuild lets through).
    if (following?.kind === "punct" && (following.text === "." || following.text === "?.")) {
      throw new Refusal(`"${following.text}" after "${word} …"`);
    }
    // `x as T` then `(y)` on the next line: TypeScript ends the statement there, JavaScript would call `x`.
    if (following !== undefined && !following.newline && (following.text === "(" || following.text === "[")) {
      throw new Refusal(`"${following.text}" after "${word} …"`);
    }
    if (following?.newline && (following.text === "(" || following.text === "[" || following.kind === "template")) {
      throw new Refusal(`"${word}" at the end of a line before "${following.text[0]}"`);
    }
    if (following?.newline && following.kind === "head") throw new Refusal("an assertion before a template literal");
    this.#marks.blankRange(index, end);
    this.#ranges.set(end - 1, index);
    return end;
  }

  /**
   * Whether `as` or `satisfies` at `index` is an assertion: after an
   * expression (looking past the assertions before it: `x as unknown as
   * T`), or after `}` with the type on the same line (`{ … } as const`; a
   * block's `}` then `as` on its line is not TypeScript); not a method of
   * that name (`{ get as() {} }`).
   */
  follows(index: number): boolean {
    let before = index - 1;
    for (;;) {
      if (this.#ranges.has(before)) before = (this.#ranges.get(before) as number) - 1;
      // `x! as T`: past the blanked non-null assertion.
      else if (this.#marks.is(before, "!") && this.#marks.blank[before]) before--;
      else break;
    }
    const next = this.#marks.token(index + 1);
    if (
      next?.kind === "punct" &&
      next.text === "(" &&
      this.#marks.is((this.#marks.tokens[index + 1] as Token).match + 1, "{")
    ) {
      return false;
    }
    if (this.#marks.is(before, "}") && !this.#marks.blank[before]) return next !== undefined && !next.newline;
    return this.endsExpression(before + 1);
  }
}

/** Binary operators that bind tighter than `as` (and `<`); `>>` is two `>` tokens. */
const TIGHTER_THAN_AS = new Set(["**", "*", "/", "%", "+", "-", "<<"]);
