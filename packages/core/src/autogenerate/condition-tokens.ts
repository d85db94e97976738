/** Tokens of SQL text, for reading a partial index's condition (`condition-text.ts`, `condition-precedence.ts`). */

const TOKEN =
  /\s+|('(?:[^']|'')*'|"(?:[^"]|"")*"|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+|[a-z_][a-z0-9_$]*(?:\.[a-z_][a-z0-9_$]*)*|[+\-*/<>=~!@#%^&|`?:]+|.)/giy;

/** SQL text as tokens: strings, quoted names, numbers, names, operators, punctuation. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
    const token = match[1];
    if (token === undefined) continue;
    // `a>-1` is `a > -1`: an operator ends in `+` or `-` only with one of ~!@#%^&|`? in it (PostgreSQL's lexer).
    const trailing = /^([<>=*/+-]+?)([+-]+)$/.exec(token);
    if (trailing === null) tokens.push(token);
    else tokens.push(trailing[1] as string, ...(trailing[2] as string));
  }
  return tokens;
}

/** Words that end no operand. */
export const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "is",
  "between",
  "symmetric",
  "in",
  "like",
  "ilike",
  "similar",
  "to",
  "escape",
]);

/** A name, as of a function called: `lower`, `"My Func"`, `public.f`. */
export function isName(token: string | undefined): boolean {
  return token !== undefined && /^[a-z_"]/i.test(token) && !KEYWORDS.has(token);
}

/** The index past the group that opens at `at` (`(` or `[`). */
export function closing(tokens: readonly string[], at: number): number {
  const open = tokens[at];
  const close = open === "(" ? ")" : "]";
  let depth = 0;
  for (let index = at; index < tokens.length; index++) {
    if (tokens[index] === open) depth++;
    else if (tokens[index] === close && --depth === 0) return index + 1;
  }
  return tokens.length;
}

/** A list's items, split at its top-level commas. */
export function split(tokens: readonly string[]): string[][] {
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
