/**
 * Colour for a terminal, and none elsewhere. Colour is on when the stream
 * is a TTY, unless `--no-color` is given, `NO_COLOR` is set to a non-empty
 * value (https://no-color.org) or `TERM=dumb`.
 *
 * A few SGR codes rather than Node's `util.styleText`: that function came
 * with Node 20.12 (the packages support 20.10) and only checks the stream
 * and `NO_COLOR` itself from Node 22.13, so the rule above would be needed
 * anyway.
 */
export interface Palette {
  readonly enabled: boolean;
  /** `FAILED`. */
  failure(text: string): string;
  /** `WARNING`. */
  warning(text: string): string;
  /** A revision id. */
  revision(text: string): string;
  /** `(head)` markers. */
  head(text: string): string;
  /** Secondary text: durations, counters. */
  dim(text: string): string;
}

const plainText = (text: string) => text;

export const plain: Palette = {
  enabled: false,
  failure: plainText,
  warning: plainText,
  revision: plainText,
  head: plainText,
  dim: plainText,
};

function sgr(open: string, close: string): (text: string) => string {
  return (text) => (text === "" ? text : `\u001b[${open}m${text}\u001b[${close}m`);
}

export const colors: Palette = {
  enabled: true,
  failure: sgr("1;31", "0"),
  warning: sgr("1;33", "0"),
  revision: sgr("33", "39"),
  head: sgr("1;32", "0"),
  dim: sgr("2", "22"),
};

/** Whether to colour what goes to `stream`, by the rule above. */
export function colorEnabled(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
  noColorFlag: boolean,
): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export function paletteFor(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>> = process.env,
  noColorFlag = false,
): Palette {
  return colorEnabled(stream, env, noColorFlag) ? colors : plain;
}
