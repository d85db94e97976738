/**
 * `text` without the parentheses that enclose all of it (`((a + 1))` is
 * `a + 1`; `(a) + (b)` stays), trimmed: how expression text read back from a
 * database is compared with what a migration wrote.
 */
export function withoutOuterParentheses(text: string): string {
  let result = text.trim();
  while (result.startsWith("(") && result.endsWith(")") && balanced(result.slice(1, -1))) {
    result = result.slice(1, -1).trim();
  }
  return result;
}

/** Whether every parenthesis outside quotes (a string, a quoted name) is closed, in order. */
function balanced(text: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (const char of text) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      continue;
    }
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** A number as SQL text spells it (`-1`, `1.50`, `.5`, `1e20`): how a default is told from an expression. */
export const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
