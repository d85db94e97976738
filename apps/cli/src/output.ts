import { stderr, stdout } from "./stdio.js";
import { type Palette, paletteFor } from "./style.js";

/** Where a command writes: stdout for results (silenced by -q), stderr for progress and errors. */
export interface Output {
  readonly quiet: boolean;
  /** A result line on stdout (suppressed by `-q`, like Alembic's `msg`). */
  message(text: string): void;
  /** Data on stdout that `-q` never suppresses (`--json`, listings). */
  data(text: string): void;
  /** A progress or log line on stderr. */
  progress(text: string): void;
  readonly stderrIsTty: boolean;
  /** Colours for stdout and for stderr: each on only when that stream is a terminal (see `style.ts`). */
  readonly stdoutPaint: Palette;
  readonly stderrPaint: Palette;
}

export function processOutput(quiet: boolean, options: { noColor?: boolean } = {}): Output {
  const noColor = options.noColor ?? false;
  return {
    quiet,
    message(text) {
      if (!quiet) stdout.write(`${text}\n`);
    },
    data(text) {
      stdout.write(`${text}\n`);
    },
    progress(text) {
      if (!quiet) stderr.write(`${text}\n`);
    },
    stderrIsTty: stderr.isTTY,
    stdoutPaint: paletteFor(stdout, process.env, noColor),
    stderrPaint: paletteFor(stderr, process.env, noColor),
  };
}
