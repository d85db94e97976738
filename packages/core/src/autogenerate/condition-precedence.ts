import { closing, isName, KEYWORDS, split } from "./condition-tokens.js";

/** An operand as read by `precedenceGrouped`: its tokens, and how tightly its outermost operator binds. */
interface Operand {
  readonly tokens: readonly string[];
  /** `PRECEDENCE`'s level of its outermost operator; `ATOM` for a constant, name, call or group. */
  readonly level: number;
}

/**
 * PostgreSQL's operator precedence, lowest first
 * (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-PRECEDENCE);
 * `LIKE`, `IN`, `BETWEEN` and `SIMILAR TO` are rewritten before this reads
 * them (`~~` and `~` are "any other operator", as PostgreSQL writes them back).
 */
const PRECEDENCE = {
  or: 1,
  and: 2,
  not: 3,
  is: 4,
  comparison: 5,
  other: 7,
  additive: 8,
  multiplicative: 9,
  power: 10,
  collate: 12,
  unary: 13,
  subscript: 14,
} as const;
const ATOM = 100;
const COMPARISON = new Set(["<", ">", "=", "<=", ">=", "<>"]);

function binaryLevel(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  if (token === "or") return PRECEDENCE.or;
  if (token === "and") return PRECEDENCE.and;
  if (COMPARISON.has(token)) return PRECEDENCE.comparison;
  if (token === "+" || token === "-") return PRECEDENCE.additive;
  if (token === "*" || token === "/" || token === "%") return PRECEDENCE.multiplicative;
  if (token === "^") return PRECEDENCE.power;
  if (/^[+\-*/<>=~!@#%^&|`?]+$/.test(token)) return PRECEDENCE.other;
  return undefined;
}

/** What follows `IS` (and `IS NOT`) as a test of its own: `IS NULL`, `IS TRUE`, ... */
const IS_TESTS = new Set(["null", "true", "false", "unknown"]);

/**
 * One comparison's tokens with parentheses only where they group against
 * PostgreSQL's operator precedence, so that `(a + b) > 0`, `((a + b) > 0)`
 * and `a + b > 0`... compare as the same and `(a + 1) * 2` does not compare
 * as `a + 1 * 2`: `a + b * 2 > 0` is `a + b * 2 > 0`, `(a + b) * 2 > 0`
 * keeps its pair, `a - (b - 1)` too (the operators bind to the left), a
 * call's arguments and an array's items are read the same way. What it
 * cannot read (a sub-select, `CASE`, a syntax it does not know) is kept as
 * written without its parentheses.
 */
export function precedenceGrouped(tokens: readonly string[]): string[] {
  let source = tokens;
  let at = 0;
  const fail = (): never => {
    throw new UnreadExpression();
  };
  const grouped = (operand: Operand, needed: boolean): readonly string[] =>
    needed ? ["(", ...operand.tokens, ")"] : operand.tokens;
  const items = (inner: readonly string[]): string[] =>
    inner.length === 0
      ? []
      : split(inner).flatMap((item, index) => [...(index === 0 ? [] : [","]), ...precedenceGrouped(item)]);
  const readPrimary = (): Operand => {
    const token = source[at];
    if (token === undefined) return fail();
    if (token === "-" || token === "+") {
      at++;
      const operand = readOperand(PRECEDENCE.unary);
      return { tokens: [token, ...grouped(operand, operand.level < PRECEDENCE.unary)], level: PRECEDENCE.unary };
    }
    if (token === "not") {
      at++;
      const operand = readOperand(PRECEDENCE.not);
      return { tokens: ["not", ...grouped(operand, operand.level < PRECEDENCE.not)], level: PRECEDENCE.not };
    }
    if (token === "(") {
      const end = closing(source, at);
      if (source[end - 1] !== ")") return fail();
      const inner = source.slice(at + 1, end - 1);
      at = end;
      const members = split(inner);
      // A group is the operand it holds; a row keeps its parentheses.
      if (members.length === 1) return read(inner);
      return { tokens: ["(", ...items(inner), ")"], level: ATOM };
    }
    if (token === "case") {
      // Kept as written, parentheses aside, to its END.
      let depth = 0;
      const start = at;
      for (; at < source.length; at++) {
        if (source[at] === "case") depth++;
        else if (source[at] === "end" && --depth === 0) break;
      }
      if (at === source.length) return fail();
      at++;
      return { tokens: source.slice(start, at).filter((part) => part !== "(" && part !== ")"), level: ATOM };
    }
    if (!/^['"\w$]/.test(token) || KEYWORDS.has(token) || token === "select") return fail();
    at++;
    const next = source[at];
    if ((next === "(" && isName(token)) || (next === "[" && token === "array")) {
      const end = closing(source, at);
      const inner = source.slice(at + 1, end - 1);
      const close = next === "(" ? ")" : "]";
      if (source[end - 1] !== close) return fail();
      at = end;
      return { tokens: [token, next, ...items(inner), close], level: ATOM };
    }
    return { tokens: [token], level: ATOM };
  };
  const readOperand = (minimum: number): Operand => {
    let left = readPrimary();
    for (;;) {
      const token = source[at];
      if (token === "[" && PRECEDENCE.subscript >= minimum) {
        const end = closing(source, at);
        if (source[end - 1] !== "]") return fail();
        const inner = source.slice(at + 1, end - 1);
        at = end;
        const subscript = ["[", ...(inner.includes(":") ? inner : precedenceGrouped(inner)), "]"];
        left = {
          tokens: [...grouped(left, left.level < PRECEDENCE.subscript), ...subscript],
          level: PRECEDENCE.subscript,
        };
        continue;
      }
      if (token === "collate" && PRECEDENCE.collate >= minimum && source[at + 1] !== undefined) {
        const name = source[at + 1] as string;
        at += 2;
        left = {
          tokens: [...grouped(left, left.level < PRECEDENCE.collate), "collate", name],
          level: PRECEDENCE.collate,
        };
        continue;
      }
      if ((token === "isnull" || token === "notnull") && PRECEDENCE.is >= minimum) {
        at++;
        const test = token === "isnull" ? ["is", "null"] : ["is", "not", "null"];
        left = { tokens: [...grouped(left, left.level <= PRECEDENCE.is), ...test], level: PRECEDENCE.is };
        continue;
      }
      if (token === "is" && PRECEDENCE.is >= minimum) {
        const negated = source[at + 1] === "not";
        const word = source[negated ? at + 2 : at + 1] as string;
        const head = [...grouped(left, left.level <= PRECEDENCE.is), "is", ...(negated ? ["not"] : [])];
        if (IS_TESTS.has(word)) {
          at += negated ? 3 : 2;
          left = { tokens: [...head, word], level: PRECEDENCE.is };
          continue;
        }
        if (word === "distinct" && source[negated ? at + 3 : at + 2] === "from") {
          at += negated ? 4 : 3;
          const right = readOperand(PRECEDENCE.is + 1);
          left = {
            tokens: [...head, "distinct", "from", ...grouped(right, right.level <= PRECEDENCE.is)],
            level: PRECEDENCE.is,
          };
          continue;
        }
        return fail();
      }
      const level = binaryLevel(token);
      if (level === undefined || level < minimum) return left;
      at++;
      // Left-associative (a comparison, which does not associate, is grouped the same way).
      const right = readOperand(level + 1);
      const nonAssociative = level === PRECEDENCE.comparison;
      left = {
        tokens: [
          ...grouped(left, nonAssociative ? left.level <= level : left.level < level),
          token as string,
          ...grouped(right, right.level <= level),
        ],
        level,
      };
    }
  };
  const read = (part: readonly string[]): Operand => {
    const outer = { source, at };
    source = part;
    at = 0;
    try {
      const operand = readOperand(PRECEDENCE.or);
      if (at !== part.length) fail();
      return operand;
    } finally {
      source = outer.source;
      at = outer.at;
    }
  };
  try {
    return [...read(tokens).tokens];
  } catch (error) {
    if (!(error instanceof UnreadExpression)) throw error;
    return tokens.filter((token) => token !== "(" && token !== ")");
  }
}

/** `precedenceGrouped` met a syntax it does not read. */
class UnreadExpression extends Error {}
