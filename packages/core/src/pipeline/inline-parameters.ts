import type { Dialect, ParameterBinding } from "../driver/driver.js";
import { ParameterMismatchError } from "./parameter-mismatch-error.js";

/**
 * Writes a statement's parameters into its SQL as literals of the dialect
 * (`renderLiteral` escapes them), for offline scripts, which have no
 * parameters. Placeholders are found outside quotes, comments and
 * PostgreSQL dollar-quoted bodies, in the dialect's own style: `?` in
 * order, or numbered (`$1`).
 *
 * Values and placeholders must match as the dialect's driver requires
 * online (`Dialect.parameterBinding`), else `ParameterMismatchError`: by
 * default every value has a placeholder and every placeholder a value.
 *
 * ```ts
 * inlineParameters("INSERT INTO t (a) VALUES ($1)", ["it's"], postgres); // "INSERT INTO t (a) VALUES ('it''s')"
 * ```
 */
export function inlineParameters(sql: string, parameters: readonly unknown[], dialect: Dialect): string {
  const { out, problem } = scanParameters(sql, parameters, dialect, dialect.parameterBinding, true);
  if (problem !== undefined) throw new ParameterMismatchError(problem, dialect.name);
  return out;
}

/**
 * Why the driver would refuse `values` for the placeholders of `sql`
 * (`"2 values given but the statement has 1 ? placeholder: value 2 is not
 * used"`), found as `inlineParameters` finds them, without writing any
 * value; `undefined` when they pair up. `binding` defaults to the
 * dialect's (a driver passes its session's own: MySQL's backslash mode).
 *
 * For a driver that would not refuse the mismatch itself (mysql2 drops
 * the values left over and sends a `?` without a value to the server as
 * it is), so that online refuses what `--sql` refuses.
 */
export function parameterMismatch(
  sql: string,
  values: readonly unknown[],
  dialect: Dialect,
  binding: ParameterBinding | undefined = dialect.parameterBinding,
): string | undefined {
  return scanParameters(sql, values, dialect, binding, false).problem;
}

/** The placeholders of `sql` paired with `parameters`: the text with them written in (when `render`), and what does not pair up. */
function scanParameters(
  sql: string,
  parameters: readonly unknown[],
  dialect: Dialect,
  binding: ParameterBinding | undefined,
  render: boolean,
): { out: string; problem: string | undefined } {
  const first = dialect.placeholder(1);
  const numbered = first !== dialect.placeholder(2);
  const prefix = numbered ? first.slice(0, first.indexOf("1")) : first;
  if (parameters.length === 0 && !sql.includes(prefix[0] as string) && !binding?.namedPlaceholders) {
    return { out: sql, problem: undefined };
  }
  const mysqlSyntax = binding?.mysqlSyntax === true;
  const backslashEscapes = binding?.backslashEscapes === true;
  const used = new Uint8Array(parameters.length);
  let out = "";
  let next = 0;
  let index = 0;
  /** The first placeholder without a value, and the first one the driver cannot bind from a list. */
  let missing: string | undefined;
  let named: string | undefined;
  /** A `;` has been seen, and code after it: the text holds several statements. */
  let ended = false;
  let several = false;
  /** The end of the text already in `out` (or passed over, when not rendering). */
  let done = 0;
  const write = (from: number, text: string) => {
    if (render) out += sql.slice(done, from) + text;
  };
  while (index < sql.length) {
    const skip = skipLiteral(sql, index, mysqlSyntax, backslashEscapes);
    if (skip > index) {
      index = skip;
      continue;
    }
    const char = sql[index] as string;
    if (char === ";") ended = true;
    else if (ended && !WHITESPACE.test(char)) several = true;
    if (binding?.namedPlaceholders) {
      const token = namedPlaceholderAt(sql, index);
      if (token !== undefined) {
        named ??= token;
        index += token.length;
        continue;
      }
    }
    if (sql.startsWith(prefix, index)) {
      if (!numbered) {
        if (mysqlSyntax && sql.startsWith("???", index)) {
          // Three or more: not a placeholder to mysql2.
          while (sql[index] === "?") index++;
          continue;
        }
        const identifier = mysqlSyntax && sql.startsWith("??", index);
        if (identifier && next < parameters.length) {
          write(index, render ? identifierList(parameters[next], dialect) : "");
          next++;
          index += 2;
          done = index;
          continue;
        }
        if (next < parameters.length) {
          write(index, render ? dialect.renderLiteral(parameters[next]) : "");
          done = index + prefix.length;
        } else missing ??= `${prefix} number ${next + 1}`;
        next++;
        index += prefix.length;
        continue;
      }
      const digits = /^\d+/.exec(sql.slice(index + prefix.length, index + prefix.length + 12))?.[0];
      if (digits !== undefined && !IDENTIFIER_PART.test(sql[index - 1] ?? " ")) {
        const position = Number(digits);
        const end = index + prefix.length + digits.length;
        if (position >= 1 && position <= parameters.length) {
          used[position - 1] = 1;
          write(index, render ? dialect.renderLiteral(parameters[position - 1]) : "");
          done = end;
        } else missing ??= `${prefix}${digits}`;
        index = end;
        continue;
      }
    }
    index++;
  }
  if (render) out += sql.slice(done);
  // SQLite runs text of several statements without values as a script, an unbound placeholder as NULL.
  if (parameters.length === 0 && several && binding?.scriptBindsNull) return { out, problem: undefined };
  const found = { numbered, prefix, used, next, missing, named };
  return { out, problem: bindingProblem(parameters.length, found, binding, dialect.name) };
}

/** What the driver would refuse in the pairing `scanParameters` found, or `undefined`. */
function bindingProblem(
  given: number,
  found: {
    numbered: boolean;
    prefix: string;
    used: Uint8Array;
    next: number;
    missing: string | undefined;
    named: string | undefined;
  },
  binding: ParameterBinding | undefined,
  dialectName: string,
): string | undefined {
  const values = `${given} value${given === 1 ? "" : "s"} given`;
  if (found.named !== undefined) {
    return `The placeholder ${found.named} cannot be bound: ${dialectName} binds a list of values to ${found.prefix} placeholders only (${values})`;
  }
  if (found.missing !== undefined) return `The placeholder ${found.missing} has no value (${values})`;
  if (!found.numbered) {
    if (found.next < given && !binding?.extraValuesIgnored) {
      return `${values} but the statement has ${found.next} ${found.prefix} placeholder${found.next === 1 ? "" : "s"}: value ${found.next + 1} is not used`;
    }
    return undefined;
  }
  const unused = found.used.indexOf(0);
  if (unused !== -1) {
    return `${values} but the statement has no placeholder ${found.prefix}${unused + 1}: value ${unused + 1} is not used`;
  }
  return undefined;
}

const WHITESPACE = /\s/;
/** A character that continues an unquoted identifier (`a$1` is one name on PostgreSQL, not `a` and `$1`). */
const IDENTIFIER_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * A placeholder SQLite knows besides `?` at `index` (`?1`, `:name`, `@name`,
 * `$name`), which better-sqlite3 binds from an object, never from a list.
 */
function namedPlaceholderAt(sql: string, index: number): string | undefined {
  const char = sql[index];
  if (char === "?") return /^\?\d+/.exec(sql.slice(index, index + 12))?.[0];
  if (char !== ":" && char !== "@" && char !== "$") return undefined;
  if (IDENTIFIER_PART.test(sql[index - 1] ?? " ")) return undefined;
  return /^[:@$][A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(index, index + 130))?.[0];
}

/**
 * Where a `--` comment that runs to the end of `sql` starts, found outside
 * quotes and other comments; `undefined` when the text does not end in one.
 */
export function trailingLineComment(sql: string): number | undefined {
  let at = 0;
  while (at < sql.length) {
    const after = skipLiteral(sql, at);
    if (after === at) {
      at++;
      continue;
    }
    if (sql.startsWith("--", at) && after === sql.length && !sql.includes("\n", at)) return at;
    at = after;
  }
  return undefined;
}

/**
 * `sql` with each tab written as four spaces, as Alembic writes its
 * scripts, except inside quotes and dollar-quoted bodies: a tab there is
 * data (a parameter written in as a literal), which the script must keep.
 */
export function expandTabs(sql: string): string {
  if (!sql.includes("\t")) return sql;
  let out = "";
  let at = 0;
  while (at < sql.length) {
    const after = skipLiteral(sql, at);
    if (after > at) {
      const run = sql.slice(at, after);
      const comment = run.startsWith("--") || run.startsWith("/*");
      out += comment ? run.replaceAll("\t", "    ") : run;
      at = after;
      continue;
    }
    const char = sql[at] as string;
    out += char === "\t" ? "    " : char;
    at++;
  }
  return out;
}

/**
 * A `??` value as mysql2 writes it: a name in backticks (a dotted name
 * quoted part by part), a list of names separated by commas.
 */
function identifierList(value: unknown, dialect: Dialect): string {
  if (Array.isArray(value)) return value.map((item) => identifierList(item, dialect)).join(", ");
  const name = String(value);
  if (name.includes("->")) return dialect.quoteIdentifier(name);
  return name
    .split(".")
    .map((part) => dialect.quoteIdentifier(part))
    .join(".");
}

/**
 * The index after a quoted run, comment or dollar-quoted body starting at
 * `index`; `index` when none starts there. With `mysqlSyntax`, `#` starts a
 * comment; with `backslashEscapes`, a backslash escapes the next character
 * of a `'...'` or `"..."` string (see `ParameterBinding`).
 */
function skipLiteral(sql: string, index: number, mysqlSyntax = false, backslashEscapes = false): number {
  const char = sql[index];
  const next = sql[index + 1];
  if ((char === "-" && next === "-") || (mysqlSyntax && char === "#")) {
    const end = sql.indexOf("\n", index);
    return end === -1 ? sql.length : end + 1;
  }
  if (char === "/" && next === "*") {
    const end = sql.indexOf("*/", index + 2);
    return end === -1 ? sql.length : end + 2;
  }
  if (char === "'" || char === '"' || char === "`") {
    // PostgreSQL's E'...' strings take backslash escapes (E'it\'s'); MySQL's strings do by default.
    const backslashes =
      (backslashEscapes && char !== "`") ||
      (char === "'" && /(?:^|[^A-Za-z0-9_$])[Ee]$/.test(sql.slice(Math.max(0, index - 2), index)));
    let at = index + 1;
    while (at < sql.length) {
      if (backslashes && sql[at] === "\\") {
        at += 2;
        continue;
      }
      if (sql[at] === char) {
        if (sql[at + 1] === char) {
          at += 2;
          continue;
        }
        return at + 1;
      }
      at++;
    }
    return sql.length;
  }
  if (char === "$") {
    const tag = /^\$[A-Za-z_][A-Za-z0-9_]*\$|^\$\$/.exec(sql.slice(index, index + 64))?.[0];
    if (tag === undefined) return index;
    const end = sql.indexOf(tag, index + tag.length);
    return end === -1 ? sql.length : end + tag.length;
  }
  return index;
}
