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
      if (!quiet) process.stdout.write(`${text}\n`);
    },
    data(text) {
      process.stdout.write(`${text}\n`);
    },
    progress(text) {
      if (!quiet) process.stderr.write(`${text}\n`);
    },
    stderrIsTty: process.stderr.isTTY === true,
    stdoutPaint: paletteFor(process.stdout, process.env, noColor),
    stderrPaint: paletteFor(process.stderr, process.env, noColor),
  };
}

let pipesGuarded = false;

/**
 * A reader that goes away (`retort history | head -1`) makes the next write
 * fail with EPIPE, which Node emits as an `'error'` event on the stream: left
 * unhandled, it crashes with a stack trace. Here a closed stdout or stderr is
 * quietly dropped, as `git log | head` is: later writes to it go nowhere, and
 * the command runs to its end (a migration is never cut off half-way because
 * a pager closed) with its own exit status, 0 when it succeeds. Any other
 * stream error is rethrown.
 */
export function ignoreClosedPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
  };
  process.stdout.on("error", onError);
  process.stderr.on("error", onError);
}
