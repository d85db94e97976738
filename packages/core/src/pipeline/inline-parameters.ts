import type { Dialect } from "../driver/driver.js";

/**
 * Writes a statement's parameters into its SQL as literals of the dialect
 * (`renderLiteral` escapes them), for offline scripts, which have no
 * parameters. Placeholders are found outside quotes, comments and
 * PostgreSQL dollar-quoted bodies, in the dialect's own style: `?` in
 * order, or numbered (`$1`).
 *
 * ```ts
 * inlineParameters("INSERT INTO t (a) VALUES ($1)", ["it's"], postgres); // "INSERT INTO t (a) VALUES ('it''s')"
 * ```
 */
export function inlineParameters(sql: string, parameters: readonly unknown[], dialect: Dialect): string {
  if (parameters.length === 0) return sql;
  const first = dialect.placeholder(1);
  const numbered = first !== dialect.placeholder(2);
  const prefix = numbered ? first.slice(0, first.indexOf("1")) : first;
  let out = "";
  let next = 0;
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] as string;
    const skip = skipLiteral(sql, index);
    if (skip > index) {
      out += sql.slice(index, skip);
      index = skip;
      continue;
    }
    if (sql.startsWith(prefix, index)) {
      if (!numbered) {
        out += dialect.renderLiteral(parameters[next++]);
        index += prefix.length;
        continue;
      }
      const digits = /^\d+/.exec(sql.slice(index + prefix.length))?.[0];
      if (digits !== undefined) {
        const position = Number(digits);
        if (position < 1 || position > parameters.length) {
          throw new Error(`placeholder ${prefix}${digits} has no parameter (${parameters.length} given)`);
        }
        out += dialect.renderLiteral(parameters[position - 1]);
        index += prefix.length + digits.length;
        continue;
      }
    }
    out += char;
    index++;
  }
  return out;
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

/** The index after a quoted run, comment or dollar-quoted body starting at `index`; `index` when none starts there. */
function skipLiteral(sql: string, index: number): number {
  const char = sql[index];
  const next = sql[index + 1];
  if (char === "-" && next === "-") {
    const end = sql.indexOf("\n", index);
    return end === -1 ? sql.length : end + 1;
  }
  if (char === "/" && next === "*") {
    const end = sql.indexOf("*/", index + 2);
    return end === -1 ? sql.length : end + 2;
  }
  if (char === "'" || char === '"' || char === "`") {
    // PostgreSQL's E'...' strings take backslash escapes (E'it\'s').
    const backslashes = char === "'" && /(?:^|[^A-Za-z0-9_$])[Ee]$/.test(sql.slice(Math.max(0, index - 2), index));
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
