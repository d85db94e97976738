import { CommandError } from "../errors/retort-error.js";

/**
 * The first keyword of every top-level statement in `sql` that begins,
 * ends or abandons a transaction (`BEGIN`, `START TRANSACTION`, `COMMIT`,
 * `END`, `ROLLBACK` but not `ROLLBACK TO SAVEPOINT`, `ABORT`), or
 * `undefined` when there is none.
 *
 * Statements are split at semicolons outside quotes, comments and
 * PostgreSQL dollar-quoted bodies; inside a `CREATE` statement (a SQLite
 * trigger body, `BEGIN ... END`) semicolons do not end the statement until
 * its `BEGIN`/`CASE` blocks are closed. PL/pgSQL `BEGIN` inside `$$ ... $$`
 * is never seen.
 *
 * ```ts
 * findTransactionControl("CREATE TABLE a (x int); COMMIT"); // "COMMIT"
 * findTransactionControl("ROLLBACK TO SAVEPOINT s");        // undefined
 * ```
 */
export function findTransactionControl(sql: string): string | undefined {
  for (const words of statementHeads(sql)) {
    const [first, second] = words;
    if (first === undefined) continue;
    if (first === "ROLLBACK" && second === "TO") continue;
    if (first === "START" && second !== "TRANSACTION") continue;
    if (TRANSACTION_CONTROL.has(first)) return first === "START" ? "START TRANSACTION" : first;
  }
  return undefined;
}

const TRANSACTION_CONTROL = new Set(["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT"]);

/**
 * Refuses SQL that would end the run's transaction behind Retort's back;
 * `autocommitBlock` is the way to run such statements.
 */
export function assertNoTransactionControl(sql: string, where = "op.execute()"): void {
  const keyword = findTransactionControl(sql);
  if (keyword === undefined) return;
  throw new CommandError(
    `'${keyword}' in ${where} would end the run's transaction behind Retort's back, so the version table would no longer match the schema. Retort opens and commits transactions itself; remove the statement, or run statements that must be outside a transaction inside op.getContext().autocommitBlock(async () => { ... }).`,
    { code: "TRANSACTION_CONTROL" },
  );
}

/** The first two keywords (upper case) of each top-level statement. */
function* statementHeads(sql: string): Generator<string[]> {
  let words: string[] = [];
  /** BEGIN/CASE blocks open inside a CREATE statement. */
  let depth = 0;
  let index = 0;
  const length = sql.length;
  while (index < length) {
    const char = sql[index] as string;
    const next = sql[index + 1];
    if (char === "-" && next === "-") {
      const end = sql.indexOf("\n", index);
      index = end === -1 ? length : end + 1;
    } else if (char === "/" && next === "*") {
      const end = sql.indexOf("*/", index + 2);
      index = end === -1 ? length : end + 2;
    } else if (char === "'" || char === '"' || char === "`" || char === "[") {
      index = skipQuoted(sql, index, char === "[" ? "]" : char);
      words.push("");
    } else if (char === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(index, index + 64))?.[0];
      if (tag === undefined) {
        index++;
        continue;
      }
      const end = sql.indexOf(tag, index + tag.length);
      index = end === -1 ? length : end + tag.length;
      words.push("");
    } else if (char === ";") {
      if (depth === 0 || words[0] !== "CREATE") {
        yield words.slice(0, 2);
        words = [];
        depth = 0;
      }
      index++;
    } else if (/[A-Za-z_]/.test(char)) {
      let end = index + 1;
      while (end < length && /[A-Za-z0-9_$]/.test(sql[end] as string)) end++;
      const word = sql.slice(index, end).toUpperCase();
      if (words[0] === "CREATE") {
        if (word === "BEGIN" || word === "CASE") depth++;
        else if (word === "END" && depth > 0) depth--;
      }
      words.push(word);
      index = end;
    } else {
      if (!/\s/.test(char)) words.push(char);
      index++;
    }
  }
  yield words.slice(0, 2);
}

/** The index after the quoted run starting at `start` (a doubled closing quote is part of it). */
function skipQuoted(sql: string, start: number, close: string): number {
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
