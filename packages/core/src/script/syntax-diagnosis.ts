import { createRequire } from "node:module";
import path from "node:path";
import type { Token } from "./source-scanner.js";

/** A syntax problem found while looking for the header: what and where (offset, or line and column). */
export interface SyntaxProblem {
  readonly message: string;
  readonly position?: number;
  readonly line?: number;
  readonly column?: number;
}

const CLOSING: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };

/**
 * Follows `( [ {` nesting while the header is scanned: `depth` tells
 * whether an `export` is at the top level, and the first imbalance is kept
 * as the syntax problem to report when no header is found (an unclosed `{`
 * above the header hides every export after it).
 */
export class BracketTracker {
  /** Open minus closed brackets (negative after a stray closing one). */
  depth = 0;
  problem: SyntaxProblem | undefined;
  readonly #open: Token[] = [];

  /** Feeds a punctuator token. */
  see(token: Token): void {
    const text = token.text;
    if (text === "(" || text === "[" || text === "{") {
      this.depth++;
      this.#open.push(token);
      return;
    }
    const opener = CLOSING[text];
    if (opener === undefined) return;
    this.depth--;
    const open = this.#open.pop();
    if (this.problem !== undefined) return;
    if (open === undefined) this.problem = { message: `unexpected '${text}'`, position: token.start };
    else if (open.text !== opener) {
      this.problem = { message: `'${open.text}' is closed by '${text}'`, position: token.start };
    }
  }

  /** At the end of the file: a bracket still open is the problem, unless one was found earlier. */
  finish(): SyntaxProblem | undefined {
    const unclosed = this.#open[0];
    if (this.problem === undefined && unclosed !== undefined) {
      this.problem = { message: `unclosed '${unclosed.text}'`, position: unclosed.start };
    }
    return this.problem;
  }
}

interface EsbuildMessage {
  readonly text: string;
  readonly location: { readonly line: number; readonly column: number } | null;
}

interface Esbuild {
  transformSync(code: string, options: { loader: string; sourcefile: string }): unknown;
}

/**
 * What esbuild (tsx's compiler, loaded only on this error path) says about
 * the file: its first syntax error, `null` when the file compiles, or
 * `undefined` when esbuild cannot be loaded.
 */
export function compilerSyntaxError(file: string, text: string): SyntaxProblem | null | undefined {
  const esbuild = loadEsbuild();
  if (esbuild === undefined) return undefined;
  const extension = path.extname(file).toLowerCase();
  const loader = extension === ".js" || extension === ".mjs" || extension === ".cjs" ? "js" : "ts";
  try {
    esbuild.transformSync(text, { loader, sourcefile: file });
    return null;
  } catch (error) {
    const first = (error as { errors?: readonly EsbuildMessage[] }).errors?.[0];
    if (first === undefined) return undefined;
    return {
      message: first.text,
      // esbuild's columns start at 0.
      ...(first.location ? { line: first.location.line, column: first.location.column + 1 } : {}),
    };
  }
}

function loadEsbuild(): Esbuild | undefined {
  try {
    // esbuild is tsx's dependency, not ours: resolve it from tsx.
    const require = createRequire(import.meta.url);
    return createRequire(require.resolve("tsx/package.json"))("esbuild") as Esbuild;
  } catch {
    return undefined;
  }
}
