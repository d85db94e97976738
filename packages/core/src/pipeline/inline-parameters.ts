import type { Dialect } from "../driver/driver.js";
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
  const first = dialect.placeholder(1);
  const numbered = first !== dialect.placeholder(2);
  const prefix = numbered ? first.slice(0, first.indexOf("1")) : first;
  if (parameters.length === 0 && !sql.includes(prefix[0] as string) && !dialect.parameterBinding?.namedPlaceholders) {
    return sql;
  }
  const mysqlSyntax = dialect.parameterBinding?.mysqlSyntax === true;
  const backslashEscapes = dialect.parameterBinding?.backslashEscapes === true;
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
  while (index < sql.length) {
    const skip = skipLiteral(sql, index, mysqlSyntax, backslashEscapes);
    if (skip > index) {
      out += sql.slice(index, skip);
      index = skip;
      continue;
    }
    const char = sql[index] as string;
    if (char === ";") ended = true;
    else if (ended && !WHITESPACE.test(char)) several = true;
    if (dialect.parameterBinding?.namedPlaceholders) {
      const token = namedPlaceholderAt(sql, index);
      if (token !== undefined) {
        named ??= token;
        out += token;
        index += token.length;
        continue;
      }
    }
    if (sql.startsWith(prefix, index)) {
      if (!numbered) {
        const identifier = mysqlSyntax && sql.startsWith("??", index) && sql[index + 2] !== "?";
        if (mysqlSyntax && sql.startsWith("???", index)) {
          // Three or more: not a placeholder to mysql2.
          const run = /^\?+/.exec(sql.slice(index))?.[0] as string;
          out += run;
          index += run.length;
          continue;
        }
        if (identifier && next < parameters.length) {
          out += identifierList(parameters[next], dialect);
          next++;
          index += 2;
          continue;
        }
        if (next < parameters.length) out += dialect.renderLiteral(parameters[next]);
        else {
          missing ??= `${prefix} number ${next + 1}`;
          out += prefix;
        }
        next++;
        index += prefix.length;
        continue;
      }
      const digits = /^\d+/.exec(sql.slice(index + prefix.length, index + prefix.length + 12))?.[0];
      if (digits !== undefined && !IDENTIFIER_PART.test(sql[index - 1] ?? " ")) {
        const position = Number(digits);
        if (position >= 1 && position <= parameters.length) {
          used[position - 1] = 1;
          out += dialect.renderLiteral(parameters[position - 1]);
        } else {
          missing ??= `${prefix}${digits}`;
          out += prefix + digits;
        }
        index += prefix.length + digits.length;
        continue;
      }
    }
    out += char;
    index++;
  }
  // SQLite runs text of several statements without values as a script, an unbound placeholder as NULL.
  if (parameters.length === 0 && several && dialect.parameterBinding?.scriptBindsNull) return out;
  checkBinding(parameters.length, { numbered, prefix, used, next, missing, named }, dialect);
  return out;
}

/** Throws `ParameterMismatchError` when the driver would refuse the values found by `inlineParameters`. */
function checkBinding(
  given: number,
  found: {
    numbered: boolean;
    prefix: string;
    used: Uint8Array;
    next: number;
    missing: string | undefined;
    named: string | undefined;
  },
  dialect: Dialect,
): void {
  const values = `${given} value${given === 1 ? "" : "s"} given`;
  if (found.named !== undefined) {
    throw new ParameterMismatchError(
      `The placeholder ${found.named} cannot be bound: ${dialect.name} binds a list of values to ${found.prefix} placeholders only (${values})`,
      dialect.name,
    );
  }
  if (found.missing !== undefined) {
    throw new ParameterMismatchError(`The placeholder ${found.missing} has no value (${values})`, dialect.name);
  }
  if (!found.numbered) {
    if (found.next < given && !dialect.parameterBinding?.extraValuesIgnored) {
      throw new ParameterMismatchError(
        `${values} but the statement has ${found.next} ${found.prefix} placeholder${found.next === 1 ? "" : "s"}: value ${found.next + 1} is not used`,
        dialect.name,
      );
    }
    return;
  }
  const unused = found.used.indexOf(0);
  if (unused !== -1) {
    throw new ParameterMismatchError(
      `${values} but the statement has no placeholder ${found.prefix}${unused + 1}: value ${unused + 1} is not used`,
      dialect.name,
    );
  }
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
