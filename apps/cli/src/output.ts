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
}

export function processOutput(quiet: boolean): Output {
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
  };
}
