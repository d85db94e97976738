import { expressionText, POSTGRES_CAST } from "./type-comparison.js";

/**
 * A partial index's condition (`where`) in one spelling, for comparison:
 * the text PostgreSQL gives back (`pg_get_expr`) and the text declared
 * compare equal when they are the same condition written two ways.
 *
 * - casts, double quotes, parentheses and spacing do not count (so a
 *   change of grouping alone is not seen): `(code)::text = 'x'::text` is
 *   `code = 'x'`, and `'-1'::integer` is `-1`;
 * - the forms PostgreSQL's parser rewrites are written as it writes them
 *   back: `!=` is `<>`; `LIKE`, `NOT LIKE`, `ILIKE`, `NOT ILIKE` are `~~`,
 *   `!~~`, `~~*`, `!~~*` (with `ESCAPE e`, the pattern is
 *   `like_escape(pattern, e)`); `x IN (a, b)` is `x = ANY (ARRAY[a, b])`
 *   and `x NOT IN (a, b)` `x <> ALL (ARRAY[a, b])` (with one value, `x = a`
 *   and `x <> a`); `x BETWEEN a AND b` is `x >= a AND x <= b`, `NOT
 *   BETWEEN` `x < a OR x > b`, and their `SYMMETRIC` forms both orders;
 *   `x IS NOT DISTINCT FROM y` is `NOT x IS DISTINCT FROM y`.
 *
 * A real difference (another column, operator, constant or connective)
 * still differs. Not rewritten: `IN` on a row (`(a, b) IN (...)`),
 * `SIMILAR TO`, and constants PostgreSQL writes out in full (a date
 * compared with a `timestamp` column is `'2020-01-01 00:00:00'`).
 */
export function conditionText(text: string): string {
  const plain = expressionText(text.replace(QUOTED_NUMBER_CAST, "$1").replace(POSTGRES_CAST, ""));
  return rewrite(tokenize(plain))
    .filter((token) => token !== "(" && token !== ")")
    .join(" ");
}

/** A number PostgreSQL quotes to cast it, as a negative constant: `'-1'::integer`. */
const QUOTED_NUMBER_CAST = /'(-?\d+(?:\.\d+)?)'::(?:integer|bigint|smallint|numeric|real|double precision)\b/gi;

const TOKEN =
  /\s+|('(?:[^']|'')*'|"(?:[^"]|"")*"|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+|[a-z_][a-z0-9_$]*(?:\.[a-z_][a-z0-9_$]*)*|[+\-*/<>=~!@#%^&|`?:]+|.)/giy;

/** SQL text as tokens: strings, quoted names, numbers, names, operators, punctuation. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
    if (match[1] !== undefined) tokens.push(match[1]);
  }
  return tokens;
}

/** Operators that bind tighter than a comparison: part of `BETWEEN`'s operand and bounds. */
const ARITHMETIC = new Set(["+", "-", "*", "/", "%", "^", "||"]);

/** Words that end no operand. */
const KEYWORDS = new Set(["and", "or", "not", "is", "between", "symmetric", "in", "like", "ilike", "escape"]);

const LIKE: Readonly<Record<string, string>> = { like: "~~", ilike: "~~*" };

function isOperandEnd(token: string | undefined): boolean {
  if (token === undefined) return false;
  if (token === ")" || token === "]") return true;
  return /^['"\w.$]/.test(token) && !KEYWORDS.has(token);
}

/** A name, as of a function called: `lower`, `"My Func"`, `public.f`. */
function isName(token: string | undefined): boolean {
  return token !== undefined && /^[a-z_"]/i.test(token) && !KEYWORDS.has(token);
}

/** The index past the group that opens at `at` (`(` or `[`). */
function closing(tokens: readonly string[], at: number): number {
  const open = tokens[at];
  const close = open === "(" ? ")" : "]";
  let depth = 0;
  for (let index = at; index < tokens.length; index++) {
    if (tokens[index] === open) depth++;
    else if (tokens[index] === close && --depth === 0) return index + 1;
  }
  return tokens.length;
}

/** The index past one term starting at `at`: a constant or name, a call, a parenthesized group, `ARRAY[...]`. */
function termEnd(tokens: readonly string[], at: number): number {
  let index = at;
  if (tokens[index] === "-" || tokens[index] === "+") index++;
  const next = tokens[index + 1];
  if (tokens[index] === "(") return closing(tokens, index);
  if (next === "(" && isName(tokens[index])) return closing(tokens, index + 1);
  if (next === "[" && tokens[index] === "array") return closing(tokens, index + 1);
  return Math.min(index + 1, tokens.length);
}

/** The index past an operand starting at `at`: terms joined by arithmetic operators. */
function operandEnd(tokens: readonly string[], at: number): number {
  let index = termEnd(tokens, at);
  while (ARITHMETIC.has(tokens[index] as string) && index + 1 < tokens.length) index = termEnd(tokens, index + 1);
  return index;
}

/** Where the operand that ends `tokens` starts (the left side of a `BETWEEN`), or -1. */
function operandStart(tokens: readonly string[]): number {
  const termStart = (end: number): number => {
    let index = end - 1;
    const last = tokens[index];
    if (last === ")" || last === "]") {
      const open = last === ")" ? "(" : "[";
      for (let depth = 0; index >= 0; index--) {
        if (tokens[index] === last) depth++;
        else if (tokens[index] === open && --depth === 0) break;
      }
      if (last === ")" && isName(tokens[index - 1])) index--;
      else if (last === "]" && tokens[index - 1] === "array") index--;
    } else if (!isOperandEnd(last)) {
      return -1;
    }
    return index;
  };
  let start = termStart(tokens.length);
  while (start >= 2 && ARITHMETIC.has(tokens[start - 1] as string) && isOperandEnd(tokens[start - 2])) {
    start = termStart(start - 1);
    if (start < 0) return -1;
  }
  if (start >= 1 && (tokens[start - 1] === "-" || tokens[start - 1] === "+") && !isOperandEnd(tokens[start - 2])) {
    start--;
  }
  return start;
}

/** The tokens with PostgreSQL's rewrites applied (see `conditionText`). */
function rewrite(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < tokens.length; ) {
    const token = tokens[index] as string;
    const negated = token === "not" && ["in", "like", "ilike", "between"].includes(tokens[index + 1] as string);
    const at = negated ? index + 1 : index;
    const word = tokens[at] as string;
    if (token === "!=") {
      out.push("<>");
      index++;
    } else if (word === "like" || word === "ilike") {
      out.push(`${negated ? "!" : ""}${LIKE[word]}`);
      const patternEnd = operandEnd(tokens, at + 1);
      const pattern = rewrite(tokens.slice(at + 1, patternEnd));
      if (tokens[patternEnd] === "escape") {
        const escapeEnd = operandEnd(tokens, patternEnd + 1);
        out.push("like_escape", "(", ...pattern, ",", ...rewrite(tokens.slice(patternEnd + 1, escapeEnd)), ")");
        index = escapeEnd;
      } else {
        out.push(...pattern);
        index = patternEnd;
      }
    } else if (word === "in" && tokens[at + 1] === "(" && tokens[at + 2] !== "select") {
      const end = closing(tokens, at + 1);
      const values = split(tokens.slice(at + 2, end - 1)).map(rewrite);
      if (values.length === 1) out.push(negated ? "<>" : "=", ...(values[0] as string[]));
      else {
        const list = values.flatMap((value, at) => (at === 0 ? value : [",", ...value]));
        out.push(negated ? "<>" : "=", negated ? "all" : "any", "(", "array", "[", ...list, "]", ")");
      }
      index = end;
    } else if (word === "between" && operandStart(out) >= 0) {
      const symmetric = tokens[at + 1] === "symmetric";
      const lowAt = symmetric ? at + 2 : at + 1;
      const lowEnd = operandEnd(tokens, lowAt);
      if (tokens[lowEnd] !== "and") {
        out.push(...tokens.slice(index, lowEnd));
        index = lowEnd;
        continue;
      }
      const highEnd = operandEnd(tokens, lowEnd + 1);
      const operand = out.splice(operandStart(out));
      const low = rewrite(tokens.slice(lowAt, lowEnd));
      const high = rewrite(tokens.slice(lowEnd + 1, highEnd));
      const range = (from: string[], to: string[]) =>
        negated
          ? ["(", ...operand, "<", ...from, "or", ...operand, ">", ...to, ")"]
          : ["(", ...operand, ">=", ...from, "and", ...operand, "<=", ...to, ")"];
      out.push(...range(low, high));
      if (symmetric) out.push(negated ? "and" : "or", ...range(high, low));
      index = highEnd;
    } else if (
      token === "is" &&
      tokens[index + 1] === "not" &&
      tokens[index + 2] === "distinct" &&
      operandStart(out) >= 0
    ) {
      out.splice(operandStart(out), 0, "not");
      out.push("is", "distinct");
      index += 3;
    } else {
      out.push(token);
      index++;
    }
  }
  return out;
}

/** A list's items, split at its top-level commas. */
function split(tokens: readonly string[]): string[][] {
  const items: string[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token === "(" || token === "[") depth++;
    else if (token === ")" || token === "]") depth--;
    if (token === "," && depth === 0) items.push([]);
    else items[items.length - 1]?.push(token);
  }
  return items;
}
