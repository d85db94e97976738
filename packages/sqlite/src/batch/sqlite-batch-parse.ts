import {
  closingParen,
  isKeyword,
  isName,
  type SqlToken,
  significant,
  splitTopLevel,
  textOf,
  tokenize,
} from "./sqlite-batch-sql.js";
import type { BatchIndexTerm } from "./sqlite-batch-types.js";

/** What the CREATE TABLE text says that the pragmas do not (https://sqlite.org/lang_createtable.html). */
export interface ParsedTable {
  readonly columns: ReadonlyMap<string, ParsedColumn>;
  /** Named and unnamed constraints in declaration order (column-level ones included). */
  readonly constraints: readonly ParsedConstraint[];
  readonly primaryKeyName: string | undefined;
  readonly autoincrement: boolean;
  /** `WITHOUT ROWID`, `STRICT`: the text after the closing parenthesis. */
  readonly tableOptions: string;
}

export interface ParsedColumn {
  readonly collate: string | undefined;
  readonly generated: { readonly expression: string; readonly stored: boolean } | undefined;
}

export interface ParsedConstraint {
  readonly kind: "unique" | "check" | "foreignKey" | "primaryKey";
  readonly name: string | undefined;
  /** UNIQUE / FOREIGN KEY / PRIMARY KEY columns. */
  readonly columns: readonly string[];
  /** The CHECK condition. */
  readonly condition: string;
  /** The `[NOT] DEFERRABLE [INITIALLY ...]` text of a foreign key. */
  readonly deferrable: string | undefined;
}

const tableConstraintStart = new Set(["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]);
const columnConstraintStart = new Set([
  "CONSTRAINT",
  "PRIMARY",
  "NOT",
  "NULL",
  "UNIQUE",
  "CHECK",
  "DEFAULT",
  "COLLATE",
  "REFERENCES",
  "GENERATED",
  "AS",
]);

/** Parses the `sql` column of a table's `sqlite_master` row. */
export function parseCreateTable(sql: string): ParsedTable {
  const tokens = significant(tokenize(sql));
  const open = tokens.findIndex((token) => token.text === "(");
  const close = closingParen(tokens, open);
  const columns = new Map<string, ParsedColumn>();
  const constraints: ParsedConstraint[] = [];
  let primaryKeyName: string | undefined;
  let autoincrement = false;
  for (const part of splitTopLevel(tokens.slice(open + 1, close))) {
    if (tableConstraintStart.has(part[0]?.kind === "word" ? part[0].name.toUpperCase() : "")) {
      const parsed = parseConstraints(sql, part, undefined);
      for (const constraint of parsed.constraints) {
        if (constraint.kind === "primaryKey") primaryKeyName = constraint.name;
        else constraints.push(constraint);
      }
      continue;
    }
    const name = (part[0] as SqlToken).name;
    let start = 1;
    while (start < part.length && !isColumnConstraint(part[start])) start++;
    const parsed = parseConstraints(sql, part.slice(start), name);
    for (const constraint of parsed.constraints) {
      if (constraint.kind === "primaryKey") primaryKeyName = constraint.name;
      else constraints.push(constraint);
    }
    autoincrement ||= parsed.autoincrement;
    columns.set(name.toLowerCase(), { collate: parsed.collate, generated: parsed.generated });
  }
  return { columns, constraints, primaryKeyName, autoincrement, tableOptions: textOf(sql, tokens, close + 1) };
}

function isColumnConstraint(token: SqlToken | undefined): boolean {
  return token?.kind === "word" && columnConstraintStart.has(token.name.toUpperCase());
}

interface ParsedClauses {
  constraints: ParsedConstraint[];
  autoincrement: boolean;
  collate: string | undefined;
  generated: ParsedColumn["generated"];
}

/** Walks column or table constraint clauses; `column` is set for column-level ones. */
function parseConstraints(sql: string, tokens: readonly SqlToken[], column: string | undefined): ParsedClauses {
  const result: ParsedClauses = { constraints: [], autoincrement: false, collate: undefined, generated: undefined };
  let name: string | undefined;
  let index = 0;
  const add = (constraint: Omit<ParsedConstraint, "name">) => {
    result.constraints.push({ ...constraint, name });
    name = undefined;
  };
  const parenList = (at: number): [string[], number] => {
    const end = closingParen(tokens, at);
    const names = splitTopLevel(tokens.slice(at + 1, end)).map((term) => (term[0] as SqlToken).name);
    return [names, end + 1];
  };
  const empty = { columns: [], condition: "", deferrable: undefined };
  while (index < tokens.length) {
    const token = tokens[index] as SqlToken;
    const word = token.kind === "word" ? token.name.toUpperCase() : "";
    if (word === "CONSTRAINT") {
      name = (tokens[index + 1] as SqlToken).name;
      index += 2;
    } else if (word === "PRIMARY") {
      index += 2;
      let columns = column === undefined ? [] : [column];
      if (tokens[index]?.text === "(") [columns, index] = parenList(index);
      add({ ...empty, kind: "primaryKey", columns });
    } else if (word === "AUTOINCREMENT") {
      result.autoincrement = true;
      index++;
    } else if (word === "UNIQUE") {
      index++;
      let columns = column === undefined ? [] : [column];
      if (tokens[index]?.text === "(") [columns, index] = parenList(index);
      add({ ...empty, kind: "unique", columns });
    } else if (word === "CHECK") {
      const end = closingParen(tokens, index + 1);
      add({ ...empty, kind: "check", condition: textOf(sql, tokens, index + 2, end - 1) });
      index = end + 1;
    } else if (word === "FOREIGN" || word === "REFERENCES") {
      let columns = column === undefined ? [] : [column];
      if (word === "FOREIGN") [columns, index] = parenList(index + 2);
      index = skipReferences(tokens, index + 1);
      const deferrable = deferrableAt(sql, tokens, index);
      add({ ...empty, kind: "foreignKey", columns, deferrable: deferrable.text });
      index = deferrable.end;
    } else if (word === "COLLATE") {
      result.collate = (tokens[index + 1] as SqlToken).text;
      index += 2;
    } else if ((word === "GENERATED" || word === "AS") && column !== undefined) {
      const open = tokens.findIndex((candidate, at) => at > index && candidate.text === "(");
      const end = closingParen(tokens, open);
      const stored = isKeyword(tokens[end + 1], "STORED");
      result.generated = { expression: textOf(sql, tokens, open + 1, end - 1), stored };
      index = end + 1;
    } else if (token.text === "(") {
      index = closingParen(tokens, index) + 1;
    } else {
      index++;
    }
  }
  return result;
}

/** Skips `tbl [(cols)] [ON DELETE x] [ON UPDATE x] [MATCH x]`; returns the index after it. */
function skipReferences(tokens: readonly SqlToken[], index: number): number {
  let at = index + 1;
  if (tokens[at]?.text === "(") at = closingParen(tokens, at) + 1;
  while (at < tokens.length) {
    if (isKeyword(tokens[at], "ON")) {
      const action = tokens[at + 2];
      at += isKeyword(action, "SET") || isKeyword(action, "NO") ? 4 : 3;
    } else if (isKeyword(tokens[at], "MATCH")) {
      at += 2;
    } else {
      break;
    }
  }
  return at;
}

function deferrableAt(sql: string, tokens: readonly SqlToken[], index: number): { text?: string; end: number } {
  let end = index;
  if (isKeyword(tokens[end], "NOT")) end++;
  if (!isKeyword(tokens[end], "DEFERRABLE")) return { end: index };
  end++;
  if (isKeyword(tokens[end], "INITIALLY")) end += 2;
  return { text: textOf(sql, tokens, index, end - 1), end };
}

/** A parsed `CREATE [UNIQUE] INDEX name ON table (terms) [WHERE ...]` (https://sqlite.org/lang_createindex.html). */
export function parseCreateIndex(sql: string): { terms: BatchIndexTerm[]; where: string | undefined } {
  const tokens = significant(tokenize(sql));
  const on = tokens.findIndex((token) => isKeyword(token, "ON"));
  const open = tokens.findIndex((token, at) => at > on && token.text === "(");
  const close = closingParen(tokens, open);
  const terms = splitTopLevel(tokens.slice(open + 1, close)).map((term): BatchIndexTerm => {
    let end = term.length;
    while (end > 1 && ["ASC", "DESC"].includes((term[end - 1] as SqlToken).text.toUpperCase())) end--;
    if (end > 2 && isKeyword(term[end - 2], "COLLATE")) end -= 2;
    const suffix = end < term.length ? textOf(sql, term, end) : "";
    if (end === 1 && isName(term[0])) return { column: term[0].name, expression: undefined, suffix };
    return { column: undefined, expression: textOf(sql, term, 0, end - 1), suffix };
  });
  const whereAt = tokens.findIndex((token, at) => at > close && isKeyword(token, "WHERE"));
  return { terms, where: whereAt === -1 ? undefined : textOf(sql, tokens, whereAt + 1) };
}
