import { precedenceGrouped } from "./condition-precedence.js";
import { closing, isName, KEYWORDS, split, tokenize } from "./condition-tokens.js";
import { expressionText, POSTGRES_CAST } from "./type-comparison.js";

/**
 * A partial index's condition (`where`) in one spelling, for comparison:
 * the text PostgreSQL gives back (`pg_get_expr`) and the text declared
 * compare equal when they are the same condition written two ways.
 *
 * - casts, double quotes and spacing do not count: `(code)::text =
 *   'x'::text` is `code = 'x'`, and `'-1'::integer` is `-1`;
 * - parentheses count only where they group against precedence
 *   (PostgreSQL writes one pair around every part, or, pretty-printed,
 *   around every operand that is an operation but for `*` inside `+`):
 *   `a = 1 AND (b = 2 OR b = 3)` is another condition than `(a = 1 AND
 *   b = 2) OR b = 3`, and `((a = 1) AND (b = 2))` is `a = 1 AND b = 2`;
 *   inside a comparison, `(price * 2) > 10` is `price * 2 > 10` while
 *   `(a + 1) * 2 > 0` is not `a + 1 * 2 > 0`, nor `a - (b - 1)` `a - b - 1`;
 * - the forms PostgreSQL's parser rewrites are written as it writes them
 *   back: `!=` is `<>`; `LIKE`, `NOT LIKE`, `ILIKE`, `NOT ILIKE` are `~~`,
 *   `!~~`, `~~*`, `!~~*` (with `ESCAPE e`, the pattern is
 *   `like_escape(pattern, e)`); `x IN (a, b)` is `x = ANY (ARRAY[a, b])`
 *   and `x NOT IN (a, b)` `x <> ALL (ARRAY[a, b])` (with one value, `x = a`
 *   and `x <> a`); `x BETWEEN a AND b` is `x >= a AND x <= b`, `NOT
 *   BETWEEN` `x < a OR x > b`, and their `SYMMETRIC` forms both orders;
 *   `x IS NOT DISTINCT FROM y` is `NOT x IS DISTINCT FROM y`; `x SIMILAR
 *   TO p` is `x ~ similar_to_escape(p)` (`NOT SIMILAR TO` `!~`, with
 *   `ESCAPE e` `similar_to_escape(p, e)`); a row compared with rows,
 *   `(a, b) IN ((1, 2), (3, 4))`, is `a = 1 AND b = 2 OR a = 3 AND b = 4`
 *   (`NOT IN` `(a <> 1 OR b <> 2) AND ...`, `(a, b) = (1, 2)` `a = 1 AND
 *   b = 2`, `<>` `a <> 1 OR b <> 2`).
 *
 * A real difference (another column, operator, constant, connective or
 * grouping of connectives) still differs. Not rewritten: constants
 * PostgreSQL writes out in full (a date compared with a `timestamp`
 * column is `'2020-01-01 00:00:00'`), and `IN` with values that are not
 * constants (PostgreSQL stores `a IN (b, c)` as `a = b OR a = c`).
 */
export function conditionText(text: string): string {
  const plain = expressionText(text.replace(QUOTED_NUMBER_CAST, "$1").replace(POSTGRES_CAST, ""));
  return canonical(rewrite(tokenize(plain))).join(" ");
}

/** A number PostgreSQL quotes to cast it, as a negative constant: `'-1'::integer`. */
const QUOTED_NUMBER_CAST = /'(-?\d+(?:\.\d+)?)'::(?:integer|bigint|smallint|numeric|real|double precision)\b/gi;

/** Operators that bind tighter than a comparison: part of `BETWEEN`'s operand and bounds. */
const ARITHMETIC = new Set(["+", "-", "*", "/", "%", "^", "||"]);

const LIKE: Readonly<Record<string, string>> = { like: "~~", ilike: "~~*" };

function isOperandEnd(token: string | undefined): boolean {
  if (token === undefined) return false;
  if (token === ")" || token === "]") return true;
  return /^['"\w.$]/.test(token) && !KEYWORDS.has(token);
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
    const negated =
      token === "not" && ["in", "like", "ilike", "between", "similar"].includes(tokens[index + 1] as string);
    const at = negated ? index + 1 : index;
    const word = tokens[at] as string;
    const row = token === "(" && !isCall(out) ? rowComparison(tokens, index) : undefined;
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
        // Grouped: `LIKE` binds looser than `||`, `~~` as tightly (`a LIKE b || c` is `a ~~ (b || c)`).
        out.push("(", ...pattern, ")");
        index = patternEnd;
      }
    } else if (word === "similar" && tokens[at + 1] === "to") {
      out.push(negated ? "!~" : "~", "similar_to_escape", "(");
      const patternEnd = operandEnd(tokens, at + 2);
      out.push(...rewrite(tokens.slice(at + 2, patternEnd)));
      index = patternEnd;
      if (tokens[patternEnd] === "escape") {
        index = operandEnd(tokens, patternEnd + 1);
        out.push(",", ...rewrite(tokens.slice(patternEnd + 1, index)));
      }
      out.push(")");
    } else if (row !== undefined) {
      out.push(...row.expanded);
      index = row.end;
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

/** Whether a `(` after `out` opens a call's arguments (`lower(`, `"My Func"(`), not an operand of its own. */
function isCall(out: readonly string[]): boolean {
  return isName(out[out.length - 1]);
}

interface RowComparison {
  /** The comparison as PostgreSQL writes it: one comparison per member, in parentheses. */
  readonly expanded: string[];
  /** The index past it. */
  readonly end: number;
}

/**
 * A row of several members at `at` (`(a, b)`) compared with a row (`=`,
 * `<>`, `!=`) or a list of rows (`[NOT] IN`) of as many members, expanded
 * member by member as PostgreSQL stores it; `undefined` for anything else.
 */
function rowComparison(tokens: readonly string[], at: number): RowComparison | undefined {
  const leftEnd = closing(tokens, at);
  const left = split(tokens.slice(at + 1, leftEnd - 1));
  if (left.length < 2) return undefined;
  /** `a = 1 AND b = 2` for `=`, `a <> 1 OR b <> 2` for `<>`, each comparison grouped. */
  const compare = (right: string[][], operator: "=" | "<>"): string[] =>
    grouped(
      left.map((member, index) => ["(", ...rewrite(member), operator, ...rewrite(right[index] ?? []), ")"]),
      operator === "=" ? "and" : "or",
    );
  const operator = tokens[leftEnd] === "!=" ? "<>" : tokens[leftEnd];
  if (operator === "=" || operator === "<>") {
    const right = rowOf(tokens.slice(leftEnd + 1), left.length);
    if (right === undefined) return undefined;
    return { expanded: compare(right, operator), end: closing(tokens, leftEnd + 1) };
  }
  const negated = tokens[leftEnd] === "not";
  const listAt = negated ? leftEnd + 2 : leftEnd + 1;
  if (tokens[listAt - 1] !== "in" || tokens[listAt] !== "(") return undefined;
  const listEnd = closing(tokens, listAt);
  const rows: string[][][] = [];
  for (const item of split(tokens.slice(listAt + 1, listEnd - 1))) {
    const right = closing(item, 0) === item.length ? rowOf(item, left.length) : undefined;
    if (right === undefined) return undefined;
    rows.push(right);
  }
  // NOT IN: every row differs; IN: one row is equal.
  const expanded = grouped(
    rows.map((right) => compare(right, negated ? "<>" : "=")),
    negated ? "and" : "or",
  );
  return { expanded, end: listEnd };
}

/** The members of the row `(x, y)` that `tokens` begin with, when it has `size` of them. */
function rowOf(tokens: readonly string[], size: number): string[][] | undefined {
  if (tokens[0] !== "(") return undefined;
  const members = split(tokens.slice(1, closing(tokens, 0) - 1));
  return members.length === size ? members : undefined;
}

/** `parts` joined by `joiner`, in parentheses. */
function grouped(parts: readonly string[][], joiner: string): string[] {
  return ["(", ...parts.flatMap((part, index) => (index === 0 ? part : [joiner, ...part])), ")"];
}

/** A condition read as connectives (`AND`, `OR`, `NOT`) over comparisons. */
type Condition =
  | { readonly kind: "and" | "or"; readonly parts: readonly Condition[] }
  | { readonly kind: "not"; readonly part: Condition }
  | { readonly kind: "comparison"; readonly tokens: readonly string[] };

/**
 * The tokens in one spelling: `AND`/`OR` groups flattened, parentheses
 * only where a group binds against precedence (an `OR` inside an `AND` or
 * a `NOT`, an `AND` inside a `NOT`; inside a comparison, see
 * `precedenceGrouped`).
 */
function canonical(tokens: readonly string[]): string[] {
  return spell(readCondition(tokens));
}

function readCondition(tokens: readonly string[]): Condition {
  let at = 0;
  const readConnective = (kind: "and" | "or", readPart: () => Condition): Condition => {
    const parts = [readPart()];
    while (tokens[at] === kind) {
      at++;
      parts.push(readPart());
    }
    if (parts.length === 1) return parts[0] as Condition;
    return { kind, parts: parts.flatMap((part) => (part.kind === kind ? part.parts : [part])) };
  };
  const readOr = (): Condition => readConnective("or", readAnd);
  const readAnd = (): Condition => readConnective("and", readNot);
  const readNot = (): Condition => {
    if (tokens[at] === "not" && at + 1 < tokens.length) {
      at++;
      return { kind: "not", part: readNot() };
    }
    // A group that is a whole operand of a connective: read inside it.
    if (tokens[at] === "(") {
      const end = closing(tokens, at);
      if (end > at + 2 && (end === tokens.length || ["and", "or", ")"].includes(tokens[end] as string))) {
        const inner = readCondition(tokens.slice(at + 1, end - 1));
        at = end;
        return inner;
      }
    }
    const start = at;
    for (let depth = 0; at < tokens.length; at++) {
      const token = tokens[at] as string;
      if (token === "(" || token === "[") depth++;
      else if (token === ")" || token === "]") depth--;
      else if (depth === 0 && (token === "and" || token === "or") && at > start) break;
    }
    return { kind: "comparison", tokens: precedenceGrouped(tokens.slice(start, at)) };
  };
  const condition = readOr();
  // Whatever is left (an unbalanced `)`) is kept as written, parentheses aside.
  if (at >= tokens.length) return condition;
  const rest = tokens.slice(at).filter((token) => token !== "(" && token !== ")");
  return { kind: "and", parts: [condition, { kind: "comparison", tokens: rest }] };
}

function spell(condition: Condition): string[] {
  const grouped = (part: Condition, inside: "and" | "not"): string[] =>
    part.kind === "or" || (inside === "not" && part.kind === "and") ? ["(", ...spell(part), ")"] : spell(part);
  switch (condition.kind) {
    case "comparison":
      return [...condition.tokens];
    case "not":
      return ["not", ...grouped(condition.part, "not")];
    case "and":
      return condition.parts.flatMap((part, index) => [...(index === 0 ? [] : ["and"]), ...grouped(part, "and")]);
    case "or":
      return condition.parts.flatMap((part, index) => [...(index === 0 ? [] : ["or"]), ...spell(part)]);
  }
}
