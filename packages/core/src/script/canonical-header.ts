/**
 * The header of a migration file that begins as `retort revision` writes
 * it, read with a few sticky regular expressions instead of the scanner:
 * an optional leading `/** … *\/` comment, single-statement imports
 * (`import { a, type B } from "pkg";`), then the header exports, one per
 * line, each a plain literal (`export const downRevision = "r1";`, `null`,
 * `["a", "b"]`). The scanner runs mostly unoptimised in a short process
 * (about 25 ms for the 550 headers of a fresh deploy's `upgrade` here);
 * these expressions are native code.
 *
 * It answers only where the scanner would read the same: every token of
 * that beginning is unambiguous, and it gives a header only when all the
 * header names that occur anywhere in the file (`present`, as
 * `readRevisionHeader` counts them) were declared in it, which is where the
 * scanner stops too. Anything else (a comment of another kind, a typed or
 * multi-line declaration, an escape in a string, a byte-order mark) is
 * `undefined`, and the scanner reads the file.
 */

export type CanonicalName = "revision" | "downRevision" | "branchLabels" | "dependsOn" | "message" | "createDate";
export type CanonicalValue = string | string[] | null;

export interface CanonicalHeader {
  readonly values: Map<CanonicalName, CanonicalValue>;
  /** The leading `/** … *\/` comment, as the scanner keeps it. */
  readonly docComment: string | undefined;
}

/** Line breaks and spaces between statements (not `\u2028`, a byte-order mark or other white space). */
const GAP = "[ \\t\\r\\n]*";
/** A string without escapes or line breaks: its text is its value. */
const STRING = `"[^"\\\\\\n\\r\\u2028\\u2029]*"|'[^'\\\\\\n\\r\\u2028\\u2029]*'`;
/** The end of a statement: `;`, spaces, perhaps a `//` comment, then a line break (or the end of the file). */
const END = `[ \\t]*;[ \\t]*(?:\\/\\/[^\\n\\r\\u2028\\u2029]*)?(?:\\r?\\n${GAP}|$)`;

/** White space, then a doc comment (the scanner's: `/**` but not `/**\/`) and white space after it. */
const LEADING = new RegExp(`${GAP}(\\/\\*\\*(?!\\/)[\\s\\S]*?\\*\\/)?${GAP}`, "y");
/** `import { … } from "…";` (names, commas, `type`, `as`; no strings, comments or semicolons inside). */
const IMPORT = new RegExp(`import[ \\t]+(?:type[ \\t]+)?\\{[^}'"\`/;]*\\}[ \\t]*from[ \\t]*(?:${STRING})${END}`, "y");
const DECLARATION = new RegExp(
  "export[ \\t]+(?:const|let|var)[ \\t]+(revision|downRevision|branchLabels|dependsOn|message|createDate)" +
    `[ \\t]*=[ \\t]*(${STRING}|null|\\[[ \\t]*(?:(?:${STRING})[ \\t]*(?:,[ \\t]*(?:${STRING})[ \\t]*)*,?[ \\t]*)?\\])${END}`,
  "y",
);
const ARRAY_ITEM = new RegExp(STRING, "g");

export function canonicalHeader(text: string, present: number): CanonicalHeader | undefined {
  LEADING.lastIndex = 0;
  const leading = LEADING.exec(text);
  if (leading === null) return undefined;
  let at = LEADING.lastIndex;
  for (;;) {
    IMPORT.lastIndex = at;
    if (!IMPORT.test(text)) break;
    at = IMPORT.lastIndex;
  }
  const values = new Map<CanonicalName, CanonicalValue>();
  for (;;) {
    DECLARATION.lastIndex = at;
    const declaration = DECLARATION.exec(text);
    if (declaration === null) break;
    at = DECLARATION.lastIndex;
    const name = declaration[1] as CanonicalName;
    if (!values.has(name)) values.set(name, literalValue(declaration[2] as string));
  }
  if (!values.has("revision") || values.size !== present) return undefined;
  return { values, docComment: leading[1] };
}

function literalValue(literal: string): CanonicalValue {
  if (literal === "null") return null;
  if (literal.startsWith("[")) return (literal.match(ARRAY_ITEM) ?? []).map((item) => item.slice(1, -1));
  return literal.slice(1, -1);
}
