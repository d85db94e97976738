/**
 * A small SQLite tokenizer for the SQL stored in `sqlite_master`: enough to
 * split a CREATE TABLE body, find which columns an expression mentions and
 * rename them, never treating text inside string literals as names
 * (https://sqlite.org/lang_keywords.html for the quoting forms).
 */
export interface SqlToken {
  readonly kind: "word" | "quoted" | "string" | "number" | "punct" | "space";
  /** The token as written. */
  readonly text: string;
  /** For words and quoted identifiers: the name, unquoted. */
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const closers: Record<string, string> = { '"': '"', "`": "`", "[": "]" };

export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let index = 0;
  const push = (kind: SqlToken["kind"], end: number, name = "") => {
    tokens.push({ kind, text: sql.slice(index, end), name, start: index, end });
    index = end;
  };
  while (index < sql.length) {
    const char = sql[index] as string;
    if (/\s/.test(char)) {
      let end = index;
      while (end < sql.length && /\s/.test(sql[end] as string)) end++;
      push("space", end);
    } else if (char === "-" && sql[index + 1] === "-") {
      const newline = sql.indexOf("\n", index);
      push("space", newline === -1 ? sql.length : newline);
    } else if (char === "/" && sql[index + 1] === "*") {
      const close = sql.indexOf("*/", index + 2);
      push("space", close === -1 ? sql.length : close + 2);
    } else if (char === "'") {
      push("string", scanQuoted(sql, index, "'"));
    } else if ((char === "x" || char === "X") && sql[index + 1] === "'") {
      // A BLOB literal, X'0A' (https://sqlite.org/lang_expr.html#literal_values_constants_).
      push("string", scanQuoted(sql, index + 1, "'"));
    } else if (char in closers) {
      const end = scanQuoted(sql, index, closers[char] as string);
      const inner = sql.slice(index + 1, end - 1);
      push("quoted", end, char === "[" ? inner : inner.replaceAll(char + char, char));
    } else if (/[A-Za-z_\u0080-\uffff]/.test(char)) {
      let end = index;
      while (end < sql.length && /[\w$\u0080-\uffff]/.test(sql[end] as string)) end++;
      push("word", end, sql.slice(index, end));
    } else if (/[0-9]/.test(char) || (char === "." && /[0-9]/.test(sql[index + 1] ?? ""))) {
      // A number; a lone "." (`t.email`, `NEW.email`) is punctuation, so the name after it is a name.
      push("number", numberEnd(sql, index));
    } else {
      push("punct", index + 1);
    }
  }
  return tokens;
}

/**
 * SQLite's numeric literal (https://sqlite.org/syntax/numeric-literal.html):
 * hex, or digits with an optional fraction and an exponent whose sign
 * belongs to the number (`1e-5`, `1.5E+3`; digits may be separated by `_`
 * since SQLite 3.46). Letters glued to it are kept in the token, so a
 * malformed literal stays one token that SQLite itself rejects.
 */
const numericLiteral = /0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?/y;

function numberEnd(sql: string, start: number): number {
  numericLiteral.lastIndex = start;
  let end = numericLiteral.test(sql) ? numericLiteral.lastIndex : start + 1;
  while (end < sql.length && /[\w.]/.test(sql[end] as string)) end++;
  return end;
}

function scanQuoted(sql: string, start: number, close: string): number {
  let index = start + 1;
  while (index < sql.length) {
    if (sql[index] === close) {
      if (close !== "]" && sql[index + 1] === close) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index++;
  }
  return sql.length;
}

/** The tokens that matter (no whitespace or comments). */
export function significant(tokens: readonly SqlToken[]): SqlToken[] {
  return tokens.filter((token) => token.kind !== "space");
}

/** True for a name token (word or quoted identifier). */
export function isName(token: SqlToken | undefined): token is SqlToken {
  return token !== undefined && (token.kind === "word" || token.kind === "quoted");
}

/** True when `token` is the keyword (case-insensitive, unquoted). */
export function isKeyword(token: SqlToken | undefined, keyword: string): boolean {
  return token?.kind === "word" && token.name.toUpperCase() === keyword;
}

/** The index of the `)` that closes the `(` at `open` (in a significant-token list). */
export function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    const text = (tokens[index] as SqlToken).text;
    if (text === "(") depth++;
    if (text === ")" && --depth === 0) return index;
  }
  throw new Error("unbalanced parentheses in SQL");
}

/** Splits a significant-token list at top-level commas. */
export function splitTopLevel(tokens: readonly SqlToken[]): SqlToken[][] {
  const parts: SqlToken[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.text === "(") depth++;
    if (token.text === ")") depth--;
    if (token.text === "," && depth === 0) parts.push([]);
    else (parts[parts.length - 1] as SqlToken[]).push(token);
  }
  return parts.filter((part) => part.length > 0);
}

/** The original text spanned by tokens `from..to` (inclusive) of `sql`. */
export function textOf(sql: string, tokens: readonly SqlToken[], from = 0, to = tokens.length - 1): string {
  const first = tokens[from];
  const last = tokens[to];
  return first === undefined || last === undefined ? "" : sql.slice(first.start, last.end);
}

/**
 * True when the token at `index` of a full token list is a bare word called
 * as a function: SQLite reads `length(name)` (a space or a comment may come
 * before the parenthesis) as a call, never as the column `length`, so a
 * column of that name is neither used nor renamed there. A quoted name is
 * left a column reference.
 */
function isFunctionCall(tokens: readonly SqlToken[], index: number): boolean {
  if (tokens[index]?.kind !== "word") return false;
  let next = index + 1;
  while (tokens[next]?.kind === "space") next++;
  return tokens[next]?.text === "(";
}

/**
 * The tokens of an expression that can name a column: its words and quoted
 * identifiers outside string literals, function names excepted.
 */
function columnNameTokens(tokens: readonly SqlToken[]): Set<SqlToken> {
  return new Set(tokens.filter((token, index) => isName(token) && !isFunctionCall(tokens, index)));
}

/**
 * True when the expression names column `identifier` outside string
 * literals and function names (names compare case-insensitively).
 */
export function mentions(sql: string, identifier: string): boolean {
  const wanted = identifier.toLowerCase();
  return [...columnNameTokens(tokenize(sql))].some((token) => token.name.toLowerCase() === wanted);
}

/**
 * Rewrites every column name of an expression found in `renames`
 * (lower-cased old name → new name), quoting the new names; function names
 * and string literals are left as written.
 */
export function renameIdentifiers(sql: string, renames: ReadonlyMap<string, string>): string {
  if (renames.size === 0) return sql;
  const tokens = tokenize(sql);
  const columns = columnNameTokens(tokens);
  return tokens
    .map((token) => {
      const target = columns.has(token) ? renames.get(token.name.toLowerCase()) : undefined;
      return target === undefined ? token.text : quoteName(target);
    })
    .join("");
}

/**
 * Renames columns inside a UNIQUE, PRIMARY KEY or FOREIGN KEY clause as
 * written (`UNIQUE (email COLLATE NOCASE) ON CONFLICT IGNORE`): only the
 * first name of each term of its column lists, so a collation, the
 * referenced table or a keyword is never taken for a column. The referenced
 * columns are renamed only for a reference to the table itself.
 */
export function renameClauseColumns(
  sql: string,
  renames: ReadonlyMap<string, string>,
  options: { selfReference?: boolean } = {},
): string {
  if (renames.size === 0) return sql;
  const all = tokenize(sql);
  const tokens = significant(all);
  const replace = new Map<SqlToken, string>();
  const renameList = (open: number): number => {
    const close = closingParen(tokens, open);
    for (const term of splitTopLevel(tokens.slice(open + 1, close))) {
      const first = term[0];
      const target = isName(first) ? renames.get(first.name.toLowerCase()) : undefined;
      if (first !== undefined && target !== undefined) replace.set(first, quoteName(target));
    }
    return close;
  };
  const references = tokens.findIndex((token) => isKeyword(token, "REFERENCES"));
  const firstList = tokens.findIndex((token) => token.text === "(");
  if (firstList !== -1 && (references === -1 || firstList < references)) renameList(firstList);
  if (references !== -1 && options.selfReference === true && tokens[references + 2]?.text === "(") {
    renameList(references + 2);
  }
  return all.map((token) => replace.get(token) ?? token.text).join("");
}

/** `"name"` with embedded quotes doubled (https://sqlite.org/lang_keywords.html). */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Column type affinity (https://sqlite.org/datatype3.html#determination_of_column_affinity). */
export function typeAffinity(declared: string): "INTEGER" | "TEXT" | "BLOB" | "REAL" | "NUMERIC" {
  const type = declared.toUpperCase();
  if (type.includes("INT")) return "INTEGER";
  if (type.includes("CHAR") || type.includes("CLOB") || type.includes("TEXT")) return "TEXT";
  if (type.includes("BLOB") || type.trim() === "") return "BLOB";
  if (type.includes("REAL") || type.includes("FLOA") || type.includes("DOUB")) return "REAL";
  return "NUMERIC";
}

/** Whether a table's options after its column list (`WITHOUT ROWID, STRICT`) make it STRICT (https://sqlite.org/stricttables.html). */
export function isStrictTable(tableOptions: string): boolean {
  return /\bstrict\b/i.test(tableOptions);
}
