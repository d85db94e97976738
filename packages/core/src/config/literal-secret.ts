/**
 * Whether a source may hold a literal secret; such a file is never written
 * to Retort's cache and runs through the loader hooks, which keep compiled
 * code in memory. Deliberately broad (a false alarm only costs speed).
 */

/**
 * Secrets in the text as written: a URL with a password, or one assembled
 * in code (a URL literal followed by `+`, or a template with a substitution
 * before its `@`), a `?password=` query, SQL's `PASSWORD '…'` (or `$$…$$`)
 * or `IDENTIFIED BY '…'`, and a line that names something secret-like and
 * holds a quote.
 */
const LITERAL_SECRET = [
  /[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"`]*:[^\s@'"`/]*(?:@|['"`])/i,
  // A URL assembled in code: `"postgres://" + creds + "@db"`, `postgresql://${creds}@db`.
  /[a-z][a-z0-9+.-]*:\/\/[^\s'"`]*['"`]\s*\+/i,
  /[a-z][a-z0-9+.-]*:\/\/[^\s/@'"`]*\$\{[^\s@`]*@/i,
  /[?&](?:ssl)?(?:password|pwd|passwd)=/i,
  // In any quotes SQL takes: 'x', "x", $$x$$ or $tag$x$tag$ (a template literal's backtick too).
  /\bPASSWORD\s*\(?\s*['"`$]|\bIDENTIFIED\s+BY\s+['"`$]/i,
  // A line, comments included (the compiled code keeps some), naming something secret-like and holding a quote.
  /^(?=.*(?:pass(?:word|wd)|pwd|secret|token|api[_-]?key|credential))(?=.*['"`]).*$/im,
];

/**
 * Something secret-like named in the code (`dbPassword`, `DB_PASSWORD`,
 * `PGPASSWORD`, `url.password`, `authToken`, `clientSecret`, `apiKey`,
 * `x-api-key`, `credentials`…): with a string literal anywhere in the file,
 * the file may hold a secret, since the literal and the name are often on
 * different lines (`const pw = "…"` … `url.password = pw`). Comments do not
 * count, so that a config's comments may tell where a password belongs.
 */
const SECRET_WORD = /pass(?:word|wd)|pwd|secret|token|api[_-]?key|credential/i;

/**
 * A word one of the checks needs: a text without one (most migrations) is
 * cleared by one scan.
 */
const SECRET_HINT = /:\/\/|pass(?:word|wd)|pwd|secret|token|api[_-]?key|credential|identified/i;

export function holdsLiteralSecret(text: string): boolean {
  if (!SECRET_HINT.test(text)) return false;
  if (LITERAL_SECRET.some((pattern) => pattern.test(text))) return true;
  if (!SECRET_WORD.test(text)) return false;
  const code = withoutComments(text);
  return SECRET_WORD.test(code) && /['"`]/.test(code);
}

/**
 * The text with its `//` and `/* *\/` comments blanked, strings and template
 * literals kept (a template's `${…}` is read as part of the template, which
 * can only keep more text than a parser would). A regular-expression literal
 * holding a quote can make the rest of a line look like a string: that also
 * only keeps text.
 */
function withoutComments(text: string): string {
  let result = "";
  let start = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"' || char === "'" || char === "`") {
      index = endOfString(text, index, char);
    } else if (char === "/" && text[index + 1] === "/") {
      const end = text.indexOf("\n", index);
      result += text.slice(start, index);
      index = end === -1 ? text.length : end;
      start = index;
    } else if (char === "/" && text[index + 1] === "*") {
      const end = text.indexOf("*/", index + 2);
      result += `${text.slice(start, index)} `;
      index = end === -1 ? text.length : end + 2;
      start = index;
    } else {
      index++;
    }
  }
  return result + text.slice(start);
}

/** The index after the string that opens at `open` (the text's end if it never closes). */
function endOfString(text: string, open: number, quote: string): number {
  for (let index = open + 1; index < text.length; index++) {
    const char = text[index];
    if (char === "\\") index++;
    else if (char === quote) return index + 1;
    else if (char === "\n" && quote !== "`") return index;
  }
  return text.length;
}
