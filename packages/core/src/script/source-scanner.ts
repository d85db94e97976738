/**
 * A small JavaScript/TypeScript tokenizer: enough to find top-level
 * `export const name = <literal>` declarations without running or fully
 * parsing the file. It knows comments, strings, template literals (with
 * nested `${}`), regular expression literals (by the usual
 * previous-token rule) and numbers; everything else is an identifier or a
 * punctuator.
 */

export type TokenKind = "identifier" | "string" | "template" | "number" | "regex" | "punctuator" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** The identifier's name, the punctuator, or the raw source of other tokens. */
  readonly text: string;
  /** Cooked value of a string, or of a template literal without substitutions. */
  readonly value: string | undefined;
  /** For templates: true when it has a `${}` (it is then not a literal). */
  readonly interpolated: boolean;
  /** Offset of the token's first character. */
  readonly start: number;
  /** A line break separates it from the previous token (for automatic semicolons). */
  readonly newlineBefore: boolean;
}

/** A string, comment or regular expression that is never closed. */
export class ScanError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

/** After these words a `/` starts a regular expression, not a division. */
export const KEYWORDS_BEFORE_EXPRESSION: ReadonlySet<string> = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  r: "\r",
  t: "\t",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
};

export class SourceScanner {
  readonly source: string;
  /** The raw text of the first `/** ... *\/` comment that comes before any token. */
  leadingDocComment: string | undefined;
  #position = 0;
  #previous: Token | undefined;
  #peeked: Token | undefined;
  #braceDepth = 0;
  /** Brace depths at which a template's `${` was opened; its `}` resumes the template. */
  readonly #templateStack: number[] = [];

  constructor(source: string) {
    this.source = source;
    if (source.charCodeAt(0) === 0xfeff) this.#position = 1;
    if (source.startsWith("#!", this.#position)) this.#skipLine();
  }

  /** The next token without consuming it. */
  peek(): Token {
    this.#peeked ??= this.#scan();
    return this.#peeked;
  }

  next(): Token {
    const token = this.peek();
    this.#peeked = undefined;
    return token;
  }

  /** 1-based line of an offset, for messages. */
  lineOf(position: number): number {
    return this.locationOf(position).line;
  }

  /** 1-based line and column (in UTF-16 units, as editors count) of an offset, for messages. */
  locationOf(position: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    const end = Math.min(position, this.source.length);
    for (let index = 0; index < end; index++) {
      if (this.source.charCodeAt(index) === 10) {
        line++;
        lineStart = index + 1;
      }
    }
    return { line, column: position - lineStart + 1 };
  }

  #scan(): Token {
    const newlineBefore = this.#skipTrivia();
    const token = this.#read(newlineBefore);
    this.#previous = token;
    return token;
  }

  /** Skips white space and comments; true when a line break was among them. */
  #skipTrivia(): boolean {
    const source = this.source;
    let newline = false;
    while (this.#position < source.length) {
      const code = source.charCodeAt(this.#position);
      if (code === 10 || code === 13 || code === 0x2028 || code === 0x2029) {
        newline = true;
        this.#position++;
      } else if (code === 32 || code === 9 || code === 11 || code === 12 || code === 0xa0 || code === 0xfeff) {
        this.#position++;
      } else if (code === 47 && source.charCodeAt(this.#position + 1) === 47) {
        this.#skipLine();
      } else if (code === 47 && source.charCodeAt(this.#position + 1) === 42) {
        const start = this.#position;
        const end = source.indexOf("*/", start + 2);
        if (end === -1) throw new ScanError("unterminated comment", start);
        this.#position = end + 2;
        const comment = source.slice(start, this.#position);
        if (comment.includes("\n")) newline = true;
        if (
          this.#previous === undefined &&
          this.leadingDocComment === undefined &&
          comment.startsWith("/**") &&
          comment !== "/**/"
        ) {
          this.leadingDocComment = comment;
        }
      } else if (code > 127 && /\s/.test(source.charAt(this.#position))) {
        this.#position++;
      } else {
        break;
      }
    }
    return newline;
  }

  #skipLine(): void {
    const source = this.source;
    while (this.#position < source.length) {
      const code = source.charCodeAt(this.#position);
      if (code === 10 || code === 13) return;
      this.#position++;
    }
  }

  #read(newlineBefore: boolean): Token {
    const source = this.source;
    const start = this.#position;
    if (start >= source.length) return token("eof", "", start, newlineBefore);
    const code = source.charCodeAt(start);
    if (isIdentifierStart(code)) {
      let end = start + 1;
      while (end < source.length && isIdentifierPart(source.charCodeAt(end))) end++;
      this.#position = end;
      return token("identifier", source.slice(start, end), start, newlineBefore);
    }
    if (code === 34 || code === 39) return this.#readString(code, start, newlineBefore);
    if (code === 96) {
      this.#position++;
      return this.#readTemplate(start, newlineBefore);
    }
    if (isDigit(code) || (code === 46 && isDigit(source.charCodeAt(start + 1))))
      return this.#readNumber(start, newlineBefore);
    if (code === 47 && this.#regexAllowed()) return this.#readRegex(start, newlineBefore);
    if (code === 125 && this.#templateStack.at(-1) === this.#braceDepth) {
      this.#templateStack.pop();
      this.#position++;
      return this.#readTemplate(start, newlineBefore);
    }
    if (code === 123) this.#braceDepth++;
    if (code === 125) this.#braceDepth--;
    let end = start + 1;
    if (code === 61 || code === 33) {
      // `=`, `==`, `===`, `=>`, `!`, `!=`, `!==`: kept whole so a lone `=` is an assignment.
      if (code === 61 && source.charCodeAt(end) === 62) end++;
      else if (source.charCodeAt(end) === 61) end += source.charCodeAt(end + 1) === 61 ? 2 : 1;
    }
    this.#position = end;
    return token("punctuator", source.slice(start, end), start, newlineBefore);
  }

  #regexAllowed(): boolean {
    const previous = this.#previous;
    if (previous === undefined) return true;
    switch (previous.kind) {
      case "identifier":
        return KEYWORDS_BEFORE_EXPRESSION.has(previous.text);
      case "punctuator":
        return previous.text !== ")" && previous.text !== "]" && previous.text !== "}";
      case "template":
        // After "`...${" an expression starts.
        return previous.text.endsWith("${");
      default:
        return false;
    }
  }

  #readString(quote: number, start: number, newlineBefore: boolean): Token {
    const source = this.source;
    let index = start + 1;
    let escaped = false;
    while (index < source.length) {
      const code = source.charCodeAt(index);
      if (code === quote) {
        this.#position = index + 1;
        const body = source.slice(start + 1, index);
        return token("string", source.slice(start, index + 1), start, newlineBefore, escaped ? cook(body) : body);
      }
      if (code === 92) {
        escaped = true;
        index += 2;
        continue;
      }
      if (code === 10 || code === 13) break;
      index++;
    }
    throw new ScanError("unterminated string literal", start);
  }

  /** Reads a template chunk from just after "`" or "}" up to "`" or "${". */
  #readTemplate(start: number, newlineBefore: boolean): Token {
    const source = this.source;
    const bodyStart = this.#position;
    let index = bodyStart;
    let escaped = false;
    while (index < source.length) {
      const code = source.charCodeAt(index);
      if (code === 92) {
        escaped = true;
        index += 2;
        continue;
      }
      if (code === 96) {
        this.#position = index + 1;
        const complete = source.charCodeAt(start) === 96;
        const body = source.slice(bodyStart, index);
        // Template literals read line breaks as "\n" whatever the file uses.
        const normalized = body.replace(/\r\n?/g, "\n");
        const cooked = complete ? (escaped ? cook(normalized) : normalized) : undefined;
        return token("template", source.slice(start, index + 1), start, newlineBefore, cooked, !complete);
      }
      if (code === 36 && source.charCodeAt(index + 1) === 123) {
        this.#position = index + 2;
        this.#templateStack.push(this.#braceDepth);
        return token("template", source.slice(start, index + 2), start, newlineBefore, undefined, true);
      }
      index++;
    }
    throw new ScanError("unterminated template literal", start);
  }

  #readNumber(start: number, newlineBefore: boolean): Token {
    const source = this.source;
    let end = start;
    while (end < source.length) {
      const code = source.charCodeAt(end);
      const previous = source.charCodeAt(end - 1);
      const exponentSign =
        (code === 43 || code === 45) &&
        (previous === 101 || previous === 69) &&
        !/^0[xX]/.test(source.slice(start, end));
      if (isIdentifierPart(code) || code === 46 || exponentSign) end++;
      else break;
    }
    this.#position = end;
    return token("number", source.slice(start, end), start, newlineBefore);
  }

  #readRegex(start: number, newlineBefore: boolean): Token {
    const source = this.source;
    let index = start + 1;
    let inClass = false;
    while (index < source.length) {
      const code = source.charCodeAt(index);
      if (code === 92) {
        index += 2;
        continue;
      }
      if (code === 10 || code === 13) break;
      if (code === 91) inClass = true;
      else if (code === 93) inClass = false;
      else if (code === 47 && !inClass) {
        index++;
        while (index < source.length && isIdentifierPart(source.charCodeAt(index))) index++;
        this.#position = index;
        return token("regex", source.slice(start, index), start, newlineBefore);
      }
      index++;
    }
    throw new ScanError("unterminated regular expression", start);
  }
}

function token(
  kind: TokenKind,
  text: string,
  start: number,
  newlineBefore: boolean,
  value?: string,
  interpolated = false,
): Token {
  return { kind, text, value, interpolated, start, newlineBefore };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentifierStart(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 36 || code === 95 || code === 92 || code > 127
  );
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || isDigit(code);
}

/** Decodes the escapes of a string or template body. */
function cook(body: string): string {
  return body.replace(
    /\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(\r\n|[\s\S]))/g,
    (
      _,
      braced: string | undefined,
      unicode: string | undefined,
      hex: string | undefined,
      other: string | undefined,
    ) => {
      const codePoint = braced ?? unicode ?? hex;
      if (codePoint !== undefined) return String.fromCodePoint(Number.parseInt(codePoint, 16));
      if (other === undefined) return "";
      // A backslash before a line break continues the string on the next line.
      if (other === "\n" || other === "\r" || other === "\r\n" || other === "\u2028" || other === "\u2029") return "";
      return SIMPLE_ESCAPES[other] ?? other;
    },
  );
}
