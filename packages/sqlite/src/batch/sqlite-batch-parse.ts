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
  /** Named and unnamed constraints in declaration order (column-level ones included), the primary key aside. */
  readonly constraints: readonly ParsedConstraint[];
  /** The PRIMARY KEY clause, column- or table-level. */
  readonly primaryKey: ParsedConstraint | undefined;
  readonly primaryKeyName: string | undefined;
  readonly autoincrement: boolean;
  /** `WITHOUT ROWID`, `STRICT`: the text after the closing parenthesis. */
  readonly tableOptions: string;
}

export interface ParsedColumn {
  readonly collate: string | undefined;
  readonly generated: { readonly expression: string; readonly stored: boolean } | undefined;
  /**
   * The DEFAULT value as written: `'x'`, `-1`, `CURRENT_TIMESTAMP`,
   * `(lower(hex(randomblob(4))))` with its parentheses, which
   * `PRAGMA table_xinfo` drops.
   */
  readonly defaultSql: string | undefined;
  /** The NOT NULL clause as written, with its conflict clause: `NOT NULL ON CONFLICT REPLACE`. */
  readonly notNullSql: string | undefined;
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
  /**
   * The clause as written, without its `CONSTRAINT name`:
   * `UNIQUE (email COLLATE NOCASE) ON CONFLICT IGNORE`,
   * `PRIMARY KEY DESC AUTOINCREMENT`, `REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED`.
   */
  readonly sql: string;
  /** For a column-level constraint, the column it is declared on (its text names no column then). */
  readonly column: string | undefined;
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
  let primaryKey: ParsedConstraint | undefined;
  let autoincrement = false;
  const collect = (parsed: ParsedClauses) => {
    for (const constraint of parsed.constraints) {
      if (constraint.kind === "primaryKey") primaryKey = constraint;
      else constraints.push(constraint);
    }
    autoincrement ||= parsed.autoincrement;
  };
  for (const part of splitTopLevel(tokens.slice(open + 1, close))) {
    if (tableConstraintStart.has(part[0]?.kind === "word" ? part[0].name.toUpperCase() : "")) {
      collect(parseConstraints(sql, part, undefined));
      continue;
    }
    const name = (part[0] as SqlToken).name;
    let start = 1;
    while (start < part.length && !isColumnConstraint(part[start])) start++;
    const parsed = parseConstraints(sql, part.slice(start), name);
    collect(parsed);
    columns.set(name.toLowerCase(), {
      collate: parsed.collate,
      generated: parsed.generated,
      defaultSql: parsed.defaultSql,
      notNullSql: parsed.notNullSql,
    });
  }
  return {
    columns,
    constraints,
    primaryKey,
    primaryKeyName: primaryKey?.name,
    autoincrement,
    tableOptions: textOf(sql, tokens, close + 1),
  };
}

function isColumnConstraint(token: SqlToken | undefined): boolean {
  return token?.kind === "word" && columnConstraintStart.has(token.name.toUpperCase());
}

interface ParsedClauses {
  constraints: ParsedConstraint[];
  autoincrement: boolean;
  collate: string | undefined;
  generated: ParsedColumn["generated"];
  defaultSql: string | undefined;
  notNullSql: string | undefined;
}

/** Walks column or table constraint clauses; `column` is set for column-level ones. */
function parseConstraints(sql: string, tokens: readonly SqlToken[], column: string | undefined): ParsedClauses {
  const result: ParsedClauses = {
    constraints: [],
    autoincrement: false,
    collate: undefined,
    generated: undefined,
    defaultSql: undefined,
    notNullSql: undefined,
  };
  let name: string | undefined;
  let index = 0;
  const add = (constraint: Omit<ParsedConstraint, "name" | "sql" | "column">, start: number, end: number) => {
    result.constraints.push({ ...constraint, name, sql: textOf(sql, tokens, start, end - 1), column });
    name = undefined;
  };
  const parenList = (at: number): [string[], number] => {
    const end = closingParen(tokens, at);
    const names = splitTopLevel(tokens.slice(at + 1, end)).map((term) => (term[0] as SqlToken).name);
    return [names, end + 1];
  };
  // `ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE` (https://sqlite.org/lang_conflict.html).
  const skipConflict = (at: number) =>
    isKeyword(tokens[at], "ON") && isKeyword(tokens[at + 1], "CONFLICT") ? at + 3 : at;
  const empty = { columns: [], condition: "", deferrable: undefined };
  while (index < tokens.length) {
    const token = tokens[index] as SqlToken;
    const word = token.kind === "word" ? token.name.toUpperCase() : "";
    const start = index;
    if (word === "CONSTRAINT") {
      name = (tokens[index + 1] as SqlToken).name;
      index += 2;
    } else if (word === "PRIMARY") {
      index += 2;
      let columns = column === undefined ? [] : [column];
      if (tokens[index]?.text === "(") [columns, index] = parenList(index);
      if (isKeyword(tokens[index], "ASC") || isKeyword(tokens[index], "DESC")) index++;
      index = skipConflict(index);
      if (isKeyword(tokens[index], "AUTOINCREMENT")) {
        result.autoincrement = true;
        index++;
      }
      add({ ...empty, kind: "primaryKey", columns }, start, index);
    } else if (word === "UNIQUE") {
      index++;
      let columns = column === undefined ? [] : [column];
      if (tokens[index]?.text === "(") [columns, index] = parenList(index);
      index = skipConflict(index);
      add({ ...empty, kind: "unique", columns }, start, index);
    } else if (word === "NOT" && isKeyword(tokens[index + 1], "NULL")) {
      index = skipConflict(index + 2);
      result.notNullSql = textOf(sql, tokens, start, index - 1);
      name = undefined;
    } else if (word === "NULL") {
      index = skipConflict(index + 1);
      name = undefined;
    } else if (word === "CHECK") {
      const end = closingParen(tokens, index + 1);
      index = end + 1;
      add({ ...empty, kind: "check", condition: textOf(sql, tokens, start + 2, end - 1) }, start, index);
    } else if (word === "FOREIGN" || word === "REFERENCES") {
      let columns = column === undefined ? [] : [column];
      if (word === "FOREIGN") [columns, index] = parenList(index + 2);
      index = skipReferences(tokens, index + 1);
      const deferrable = deferrableAt(sql, tokens, index);
      index = deferrable.end;
      add({ ...empty, kind: "foreignKey", columns, deferrable: deferrable.text }, start, index);
    } else if (word === "COLLATE") {
      result.collate = (tokens[index + 1] as SqlToken).text;
      index += 2;
      name = undefined;
    } else if (word === "DEFAULT") {
      index++;
      const value = tokens[index];
      let end = index;
      if (value?.text === "(") end = closingParen(tokens, index);
      else if ((value?.text === "-" || value?.text === "+") && index + 1 < tokens.length) end = index + 1;
      result.defaultSql = textOf(sql, tokens, index, end);
      index = end + 1;
      name = undefined;
    } else if ((word === "GENERATED" || word === "AS") && column !== undefined) {
      const open = tokens.findIndex((candidate, at) => at > index && candidate.text === "(");
      const end = closingParen(tokens, open);
      const stored = isKeyword(tokens[end + 1], "STORED");
      result.generated = { expression: textOf(sql, tokens, open + 1, end - 1), stored };
      index = end + 1;
      name = undefined;
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

/** The statement that fires a trigger (https://sqlite.org/lang_createtrigger.html). */
export interface TriggerEvent {
  readonly event: "INSERT" | "UPDATE" | "DELETE";
  /** The columns of `UPDATE OF a, b` (empty for any column). */
  readonly columns: readonly string[];
}

/** Reads `CREATE [TEMP] TRIGGER [IF NOT EXISTS] name [BEFORE|AFTER|INSTEAD OF] event ON table`. */
export function parseTriggerEvent(sql: string): TriggerEvent | undefined {
  const tokens = significant(tokenize(sql));
  let at = tokens.findIndex((token) => isKeyword(token, "TRIGGER"));
  if (at === -1) return undefined;
  at++;
  if (isKeyword(tokens[at], "IF")) at += 3;
  at++;
  if (tokens[at]?.text === ".") at += 2;
  if (isKeyword(tokens[at], "BEFORE") || isKeyword(tokens[at], "AFTER")) at++;
  else if (isKeyword(tokens[at], "INSTEAD")) at += 2;
  const token = tokens[at];
  if (isKeyword(token, "INSERT")) return { event: "INSERT", columns: [] };
  if (isKeyword(token, "DELETE")) return { event: "DELETE", columns: [] };
  if (!isKeyword(token, "UPDATE")) return undefined;
  const columns: string[] = [];
  if (isKeyword(tokens[at + 1], "OF")) {
    for (at += 2; at < tokens.length && !isKeyword(tokens[at], "ON"); at++) {
      const name = tokens[at];
      if (isName(name)) columns.push(name.name);
    }
  }
  return { event: "UPDATE", columns };
}
