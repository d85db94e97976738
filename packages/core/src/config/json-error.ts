/**
 * Where a JSON text stops being JSON, for a config file's error: V8's own
 * message gives an offset for some mistakes and, for others, a piece of
 * the text around the mistake instead ("Unexpected token 'h', ..."hunter2"...
 * is not valid JSON"), which in a config can be part of a password. So the
 * place is found here (line and column), and the message keeps V8's reason
 * without its piece of the text.
 */

export interface JsonProblem {
  /** V8's reason, without the text it quotes or the offset. */
  readonly reason: string;
  /** 1-based; `undefined` where the text parses (it never should) or the place cannot be told. */
  readonly line: number | undefined;
  readonly column: number | undefined;
}

export function jsonProblem(text: string, error: Error): JsonProblem {
  const reason = error.message
    .replace(/,\s*(?:\.\.\.)?"[\s\S]* is not valid JSON$/, "")
    .replace(/ in JSON at position \d+[\s\S]*$/, "")
    .replace(/^Unexpected end of JSON input$/, "Unexpected end of the file");
  let offset: number | undefined;
  try {
    offset = firstError(text);
  } catch {
    // Nested too deep to follow: no place, the reason alone.
  }
  if (offset === undefined) return { reason, line: undefined, column: undefined };
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { reason, line, column: offset - lineStart + 1 };
}

/** The offset of the first character that is not JSON (the text's length when it ends too soon); `undefined` when it parses. */
function firstError(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw new Stop(at);
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text.charAt(at))) at++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text.charAt(at) !== char) fail();
      at++;
    }
  };
  const string = () => {
    at++;
    for (;;) {
      if (at >= text.length) fail();
      const char = text.charAt(at);
      if (char === '"') {
        at++;
        return;
      }
      if (char < " ") fail();
      if (char === "\\") {
        at++;
        const escaped = text.charAt(at);
        if (escaped === "u") {
          for (let digit = 0; digit < 4; digit++) {
            at++;
            if (!/[0-9a-fA-F]/.test(text.charAt(at))) fail();
          }
        } else if (!'"\\/bfnrt'.includes(escaped) || escaped === "") {
          fail();
        }
      }
      at++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = () => {
    space();
    const char = text.charAt(at);
    if (char === "{") {
      at++;
      space();
      if (text.charAt(at) === "}") {
        at++;
        return;
      }
      for (;;) {
        space();
        if (text.charAt(at) !== '"') fail();
        string();
        space();
        if (text.charAt(at) !== ":") fail();
        at++;
        value();
        space();
        if (text.charAt(at) === "}") {
          at++;
          return;
        }
        if (text.charAt(at) !== ",") fail();
        at++;
      }
    }
    if (char === "[") {
      at++;
      space();
      if (text.charAt(at) === "]") {
        at++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text.charAt(at) === "]") {
          at++;
          return;
        }
        if (text.charAt(at) !== ",") fail();
        at++;
      }
    }
    if (char === '"') return string();
    if (char === "t") return literal("true");
    if (char === "f") return literal("false");
    if (char === "n") return literal("null");
    NUMBER.lastIndex = at;
    if (!NUMBER.test(text)) fail();
    at = NUMBER.lastIndex;
  };
  try {
    value();
    space();
    if (at < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.offset;
    throw error;
  }
}

class Stop {
  constructor(readonly offset: number) {}
}
