import fs from "node:fs";
import { createRequire } from "node:module";

/** Where the CLI writes its own text: standard output or standard error. */
export interface StdioWriter {
  write(text: string): void;
  /** Whether the descriptor is a terminal (asked once, when first needed). */
  readonly isTTY: boolean;
}

type StreamName = "stdout" | "stderr";

/**
 * Standard output and error as the CLI writes to them. Node makes
 * `process.stdout` and `process.stderr` on first use, and for a pipe that
 * loads its socket and stream modules (about 25 of Node's own, 2-3 ms of a
 * command that prints a line). So, while neither the CLI nor anything
 * else (a migration's `console.log`, a warning of core's) has asked for
 * the stream, the text goes to the descriptor with `fs.writeSync`; once
 * the stream exists, everything goes through it, so the order of lines is
 * kept whatever Node does with the stream's writes. On Windows, where a
 * console wants Node's own conversion, the stream is always used.
 *
 * A reader that went away (`retort history | head -1`) ends the writes to
 * that descriptor quietly, as `ignoreClosedPipes` does for the streams. A
 * descriptor that cannot take the text now (a non-blocking pipe that is
 * full) hands the rest to the stream, which waits for it.
 */
class StandardStream implements StdioWriter {
  readonly #fd: 1 | 2;
  readonly #name: StreamName;
  #closed = false;
  #tty: boolean | undefined;

  constructor(fd: 1 | 2, name: StreamName) {
    this.#fd = fd;
    this.#name = name;
  }

  get isTTY(): boolean {
    this.#tty ??=
      streamMade[this.#name] || process.platform === "win32"
        ? process[this.#name].isTTY === true
        : isTerminal(this.#fd);
    return this.#tty;
  }

  write(text: string): void {
    if (this.#closed) return;
    if (streamMade[this.#name] || process.platform === "win32") {
      process[this.#name].write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) written += fs.writeSync(this.#fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EPIPE") {
        this.#closed = true;
        return;
      }
      process[this.#name].write(bytes.subarray(written));
    }
  }
}

/** Whether the stream of each name has been made (by anyone): from then on the CLI writes through it. */
const streamMade: Record<StreamName, boolean> = { stdout: false, stderr: false };

export const stdout: StdioWriter = new StandardStream(1, "stdout");
export const stderr: StdioWriter = new StandardStream(2, "stderr");

let watched = false;

/**
 * Watches for `process.stdout` and `process.stderr` being made, so that
 * the CLI's writes go through a stream once it exists, and a closed pipe
 * does not crash the command: Node emits EPIPE as an `'error'` event on
 * the stream, which left unhandled ends the process with a stack trace.
 * Here a closed stdout or stderr is quietly dropped, as `git log | head`
 * is: later writes to it go nowhere, and the command runs to its end (a
 * migration is never cut off half-way because a pager closed) with its own
 * exit status, 0 when it succeeds. Any other stream error is rethrown.
 * Neither stream is made here.
 */
export function ignoreClosedPipes(): void {
  if (watched) return;
  watched = true;
  for (const name of ["stdout", "stderr"] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    const getter = descriptor?.get;
    if (descriptor === undefined || getter === undefined || descriptor.configurable !== true) {
      // Not Node's lazy getter (a test harness replaced it): take the stream as it is.
      guarded(name, process[name]);
      continue;
    }
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: descriptor.enumerable ?? true,
      get() {
        // Node's own getter from now on: it keeps the stream it made.
        Object.defineProperty(process, name, descriptor);
        return guarded(name, getter.call(process) as NodeJS.WriteStream);
      },
    });
  }
}

function guarded(name: StreamName, stream: NodeJS.WriteStream): NodeJS.WriteStream {
  streamMade[name] = true;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
  });
  return stream;
}

/**
 * `tty.isatty(fd)`, but only for a character device that can be one:
 * anything else (a pipe, a file, a socket) is no terminal, nor on Linux is
 * a memory device (major number 1: `/dev/null`, as in `> /dev/null 2>&1`),
 * and `node:tty` loads Node's socket and stream modules. A descriptor that
 * is not open is no terminal.
 */
function isTerminal(fd: number): boolean {
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    if (process.platform === "linux" && Math.floor(stat.rdev / 256) % 4096 === 1) return false;
  } catch {
    return false;
  }
  const tty = createRequire(import.meta.url)("node:tty") as typeof import("node:tty");
  return tty.isatty(fd);
}
