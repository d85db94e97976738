/**
 * The tokenizer of the type stripper (see `stripTypes`): JavaScript's
 * tokens with TypeScript's few additions, each with its offsets and
 * whether a line break comes before it. It refuses (throws `Refusal`) what
 * it cannot tell apart for certain: a `/` after `}` or after `++`/`--`
 * (a regular expression or a division), a backslash in an identifier, a
 * private name, a hashbang, an unterminated literal or comment.
 *
 * `>` is always a token of its own (`>>`, `>=` and `>>>=` are several), so
 * that `Map<string, Array<number>>` closes twice; nothing the stripper
 * does depends on which operator a run of `>` was.
 */

import { KEYWORDS_BEFORE_EXPRESSION } from "../script/source-scanner.js";

export type TokenKind = "name" | "number" | "string" | "template" | "head" | "middle" | "tail" | "regex" | "punct";

export interface Token {
  readonly kind: TokenKind;
  /** The token's text (for a name, its name; for a punctuator, the punctuator). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** A line break between the previous token and this one. */
  readonly newline: boolean;
  /** For `(`, `[`, `{` and a template's head or middle: the index of the token that closes it. */
  match: number;
  /** For a `)` closing the head of `if`, `while`, `for` or `with`: a statement follows it. */
  statementParen: boolean;
}

/** Why a file cannot be stripped; the stripper catches it and reports the reason. */
export class Refusal extends Error {}

/** An identifier: ASCII (the common case, without the slower Unicode matching), then any. */
const ASCII_IDENTIFIER = /[A-Za-z_$][\w$]*/y;
const IDENTIFIER = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/uy;
const NUMBER =
  /(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)n?/y;
const STRING = /"(?:[^"\\\n\r]|\\(?:\r\n|[\s\S]))*"|'(?:[^'\\\n\r]|\\(?:\r\n|[\s\S]))*'/y;
/** A template's text up to its end or its next substitution, after the opening `` ` `` or `}`. */
const TEMPLATE_TEXT = /(?:[^`\\$]|\\[\s\S]|\$(?!\{))*(`|\$\{)/y;
const REGEX = /\/(?:[^/\\[\n\r]|\\[^\n\r]|\[(?:[^\]\\\n\r]|\\[^\n\r])*\])+\/[a-z]*/y;
const SPACE = /(?:[ \t\v\f\u00a0\ufeff\p{Zs}]+|\r\n?|[\n\u2028\u2029]|\/\/[^\n\r\u2028\u2029]*|\/\*[\s\S]*?\*\/)+/uy;
/** Punctuators, longest first; `>` stands alone (see above); `?.` before a digit is `?` (`a?.5:1`). */
const PUNCTUATOR =
  /\.\.\.|===|!==|\*\*=|<<=|&&=|\|\|=|\?\?=|=>|==|!=|<=|&&|\|\||\?\?|\?\.(?!\d)|\+\+|--|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|\*\*|<<|[{}()[\];,<>+\-*/%&|^!~?:=.@#]/y;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** Names after which an expression starts (a `/` there begins a regular expression; `extends` in a type). */
export const EXPRESSION_KEYWORDS: ReadonlySet<string> = new Set([...KEYWORDS_BEFORE_EXPRESSION, "extends"]);

const STATEMENT_HEADS = new Set(["if", "while", "for", "with"]);
/** Punctuators that are never the start of a longer one. */
const SINGLE_PUNCTUATORS = new Set(["(", ")", "[", "]", "{", ";", ",", ":", "~", "@"]);
const OPENING: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  /** Open brackets: the index of `(`, `[`, `{` or a template's head/middle. */
  const open: number[] = [];
  let at = 0;
  let newline = false;
  if (source.startsWith("#!")) throw new Refusal("a hashbang line");
  const push = (kind: TokenKind, text: string, end: number) => {
    tokens.push({ kind, text, start: at, end, newline, match: -1, statementParen: false });
    at = end;
    newline = false;
  };
  while (at < source.length) {
    const char = source[at] as string;
    if (char === " " || char === "\t") {
      at++;
      continue;
    }
    if (char === "\n") {
      newline = true;
      at++;
      continue;
    }
    if (char === "/" || char > "~" || char < " ") {
      SPACE.lastIndex = at;
      const space = SPACE.exec(source);
      if (space !== null) {
        if (LINE_BREAK.test(space[0])) newline = true;
        at += space[0].length;
        continue;
      }
    }
    if (char === "/" && source[at + 1] === "*") throw new Refusal("an unterminated comment");
    // `test` and `lastIndex` rather than `exec`: no match array for each token.
    const single = SINGLE_PUNCTUATORS.has(char);
    if (!single) {
      ASCII_IDENTIFIER.lastIndex = at;
      let end = char <= "~" && ASCII_IDENTIFIER.test(source) ? ASCII_IDENTIFIER.lastIndex : -1;
      const after = end === -1 ? "" : (source[end] ?? "");
      if (end === -1 || after > "~" || after === "\\") {
        IDENTIFIER.lastIndex = at;
        end = IDENTIFIER.test(source) ? IDENTIFIER.lastIndex : -1;
      }
      if (end !== -1) {
        push("name", source.slice(at, end), end);
        continue;
      }
    }
    if (char === "\\") throw new Refusal("an escape in an identifier");
    if (char === "#") throw new Refusal("a private name");
    if ((char >= "0" && char <= "9") || (char === "." && /\d/.test(source[at + 1] ?? ""))) {
      NUMBER.lastIndex = at;
      if (!NUMBER.test(source)) throw new Refusal("a number it cannot read");
      push("number", source.slice(at, NUMBER.lastIndex), NUMBER.lastIndex);
      continue;
    }
    if (char === '"' || char === "'") {
      STRING.lastIndex = at;
      if (!STRING.test(source)) throw new Refusal("an unterminated string");
      push("string", source.slice(at, STRING.lastIndex), STRING.lastIndex);
      continue;
    }
    if (char === "`" || (char === "}" && tokens[open.at(-1) ?? -1]?.kind.match(/^(?:head|middle)$/))) {
      TEMPLATE_TEXT.lastIndex = at + 1;
      const text = TEMPLATE_TEXT.exec(source);
      if (text === null) throw new Refusal("an unterminated template literal");
      const ends = text[1] === "`";
      const kind: TokenKind = char === "`" ? (ends ? "template" : "head") : ends ? "tail" : "middle";
      if (char === "}") {
        const opener = open.pop() as number;
        (tokens[opener] as Token).match = tokens.length;
      }
      if (!ends) open.push(tokens.length);
      push(kind, source.slice(at, at + 1 + text[0].length), at + 1 + text[0].length);
      continue;
    }
    if (char === "/" && source[at + 1] !== "*" && startsRegex(tokens, newline)) {
      REGEX.lastIndex = at;
      const regex = REGEX.exec(source);
      if (regex === null) throw new Refusal("a regular expression it cannot read");
      push("regex", regex[0], at + regex[0].length);
      continue;
    }
    let punct: string = char;
    if (!single) {
      PUNCTUATOR.lastIndex = at;
      if (!PUNCTUATOR.test(source)) throw new Refusal(`the character ${JSON.stringify(char)}`);
      punct = source.slice(at, PUNCTUATOR.lastIndex);
    }
    if (punct === "(" || punct === "[" || punct === "{") open.push(tokens.length);
    if (punct === ")" || punct === "]" || punct === "}") {
      const opener = open.pop();
      const opening = opener === undefined ? undefined : tokens[opener];
      if (opening === undefined || opening.text !== OPENING[punct]) {
        throw new Refusal(`an unmatched ${punct}`);
      }
      opening.match = tokens.length;
      push("punct", punct, at + 1);
      if (punct === ")") {
        (tokens.at(-1) as Token).statementParen = headsStatement(tokens, (opener as number) - 1);
      }
      continue;
    }
    push("punct", punct, at + punct.length);
  }
  if (open.length > 0) throw new Refusal("an unclosed bracket");
  return tokens;
}

/**
 * Whether the token at `index` is `if`, `while`, `for` (or the `await` of
 * `for await`) or `with` starting a statement, not a property's name
 * (`o.if(a)`).
 */
function headsStatement(tokens: readonly Token[], index: number): boolean {
  let at = index;
  const token = tokens[at];
  if (token?.kind !== "name") return false;
  if (token.text === "await" && tokens[at - 1]?.text === "for") at--;
  const head = tokens[at] as Token;
  const before = tokens[at - 1];
  const property = before?.kind === "punct" && (before.text === "." || before.text === "?.");
  return head.kind === "name" && STATEMENT_HEADS.has(head.text) && !property;
}

/**
 * Whether a `/` after these tokens begins a regular expression (else a
 * division); refuses where that is unclear: after `}`, `++`, `--`, `>`
 * (which may close type arguments: TypeScript then reads a division), a
 * `!` that may be TypeScript's non-null assertion, the name `of`, and
 * at the start of a line where a division would go on from the line
 * before (where a statement may also have ended).
 */
function startsRegex(tokens: readonly Token[], newline: boolean): boolean {
  const previous = tokens.at(-1);
  if (previous === undefined) return true;
  const regex = startsRegexAfter(tokens, previous);
  if (!regex && newline) throw new Refusal('a "/" at the start of a line');
  return regex;
}

function startsRegexAfter(tokens: readonly Token[], previous: Token): boolean {
  switch (previous.kind) {
    case "name":
      if (previous.text === "of") throw new Refusal('a "/" after "of"');
      return EXPRESSION_KEYWORDS.has(previous.text);
    case "number":
    case "string":
    case "template":
    case "tail":
    case "regex":
      return false;
    case "head":
    case "middle":
      return true;
    case "punct":
      if (previous.text === ")") return previous.statementParen;
      if (previous.text === "]") return false;
      if (previous.text === "}" || previous.text === "++" || previous.text === "--" || previous.text === ">") {
        throw new Refusal(`a "/" after "${previous.text}"`);
      }
      if (previous.text === "!" && !previous.newline) {
        const operand = tokens.at(-2);
        const postfix =
          operand !== undefined &&
          (operand.kind === "number" ||
            operand.kind === "string" ||
            operand.kind === "template" ||
            operand.kind === "tail" ||
            (operand.kind === "name" && !EXPRESSION_KEYWORDS.has(operand.text)) ||
            (operand.kind === "punct" && (operand.text === "]" || (operand.text === ")" && !operand.statementParen))));
        if (postfix) throw new Refusal('a "/" after a "!" that may be a non-null assertion');
      }
      return true;
  }
}
