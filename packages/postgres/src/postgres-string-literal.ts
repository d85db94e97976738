/**
 * PostgreSQL's string constants, read and written
 * (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS).
 * One value has several spellings: `'C:\temp'` (a standard string, where a
 * backslash is itself with `standard_conforming_strings` on, the default
 * since PostgreSQL 9.1) and `E'C:\\temp'` (an escape string, where it
 * starts an escape). Retort writes the second, which reads the same
 * whatever the setting says; the catalogs give the first back. Comparing
 * defaults needs one spelling, so both are read to their value and
 * written again with `postgresStringLiteral`.
 */

/**
 * A string written as PostgreSQL reads it: in single quotes with `''`
 * doubling, and as an escape string `E'...'` with backslashes doubled when
 * it holds one, so it reads the same whatever `standard_conforming_strings`
 * says.
 *
 * ```ts
 * postgresStringLiteral("it's"); // 'it''s'
 * postgresStringLiteral("C:\\temp"); // E'C:\\temp'
 * ```
 */
export function postgresStringLiteral(text: string): string {
  const doubled = text.replaceAll("'", "''");
  return text.includes("\\") ? `E'${doubled.replaceAll("\\", "\\\\")}'` : `'${doubled}'`;
}

/** A string constant read from the start of some SQL: its value, and where the constant ends. */
export interface StringConstant {
  readonly value: string;
  readonly end: number;
}

/**
 * How a session reads a standard string `'...'`: `standardStrings` is
 * `standard_conforming_strings`. On (PostgreSQL's default since 9.1), a
 * backslash in it is itself; off, it starts an escape, as in `E'...'`.
 */
export interface StringReading {
  readonly standardStrings: boolean;
}

/**
 * The string constant `text` starts with: a standard string `'...'`
 * (read as `reading` says; by default with `standard_conforming_strings`
 * on) or an escape string `E'...'`. Undefined when `text` starts with
 * something else, or with a constant PostgreSQL would refuse (an
 * unfinished one, a bad `\u` escape, bytes that are not UTF-8).
 *
 * ```ts
 * readStringConstant("'C:\\temp'::character varying"); // { value: "C:\\temp", end: 9 }
 * readStringConstant("E'C:\\\\temp'"); // { value: "C:\\temp", end: 11 }
 * ```
 */
export function readStringConstant(
  text: string,
  reading: StringReading = { standardStrings: true },
): StringConstant | undefined {
  if (text.startsWith("'")) return readQuoted(text, 1, !reading.standardStrings);
  if (/^[Ee]'/.test(text)) return readQuoted(text, 2, true);
  return undefined;
}

/**
 * The constant whose body starts at `start`, up to its closing quote.
 * Collected as UTF-8 bytes, because an escape string's octal and hex
 * escapes are bytes (`E'\303\251'` is "é").
 */
function readQuoted(text: string, start: number, escapes: boolean): StringConstant | undefined {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  const push = (chunk: string) => bytes.push(...encoder.encode(chunk));
  let at = start;
  while (at < text.length) {
    const char = text[at] as string;
    if (char === "'") {
      if (text[at + 1] === "'") {
        push("'");
        at += 2;
        continue;
      }
      return decodeUtf8(bytes, at + 1);
    }
    if (escapes && char === "\\") {
      const escaped = readEscape(text, at + 1);
      if (escaped === undefined) return undefined;
      if (typeof escaped.value === "number") bytes.push(escaped.value);
      else push(escaped.value);
      at = escaped.end;
      continue;
    }
    // One code point, surrogate pairs included.
    const point = String.fromCodePoint(text.codePointAt(at) as number);
    push(point);
    at += point.length;
  }
  return undefined;
}

function decodeUtf8(bytes: readonly number[], end: number): StringConstant | undefined {
  try {
    return { value: new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes)), end };
  } catch {
    return undefined;
  }
}

const CONTROL_ESCAPES: Readonly<Record<string, string>> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * The escape after a backslash at `at` in an escape string: a byte (octal
 * `\ooo`, hex `\xhh`) or text (`\n` and the like, `\uXXXX`,
 * `\UXXXXXXXX`, any other character as itself), and where it ends.
 */
function readEscape(text: string, at: number): { value: number | string; end: number } | undefined {
  const char = text[at];
  if (char === undefined) return undefined;
  const control = CONTROL_ESCAPES[char];
  if (control !== undefined) return { value: control, end: at + 1 };
  const octal = /^[0-7]{1,3}/.exec(text.slice(at, at + 3));
  if (octal !== null) return { value: Number.parseInt(octal[0], 8) & 0xff, end: at + octal[0].length };
  const hex = char === "x" ? /^[0-9A-Fa-f]{1,2}/.exec(text.slice(at + 1, at + 3)) : null;
  if (hex !== null) return { value: Number.parseInt(hex[0], 16), end: at + 1 + hex[0].length };
  if (char === "u" || char === "U") return readUnicodeEscape(text, at);
  return { value: char, end: at + 1 };
}

/** `\uXXXX` or `\UXXXXXXXX`; a pair of `\u` surrogates makes one character, as PostgreSQL reads it. */
function readUnicodeEscape(text: string, at: number): { value: string; end: number } | undefined {
  const digits = text[at] === "u" ? 4 : 8;
  const code = text.slice(at + 1, at + 1 + digits);
  if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(code)) return undefined;
  const point = Number.parseInt(code, 16);
  const end = at + 1 + digits;
  if (point >= 0xd800 && point <= 0xdbff) {
    const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(text.slice(end));
    if (low === null) return undefined;
    return { value: String.fromCharCode(point, Number.parseInt(low[1] as string, 16)), end: end + 6 };
  }
  if ((point >= 0xdc00 && point <= 0xdfff) || point > 0x10ffff) return undefined;
  return { value: String.fromCodePoint(point), end };
}
