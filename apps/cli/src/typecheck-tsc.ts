import type { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { CommandError } from "@retort/core/commands";

/**
 * Type-checks `files` with the `tsc` of the project's TypeScript package
 * (`packageFile` is its package.json): TypeScript 7, the native compiler,
 * ships no compiler API in its package. The options are `tsconfig`'s,
 * through a temporary config in the script folder that extends it and
 * lists the files (in that folder, so that `@types` packages and relative
 * options resolve as for the script folder's own tsconfig.json); it is
 * removed afterwards. Returns the errors in `typeCheck`'s form,
 * `file:line:column - error TS2322: message`, paths relative to `cwd`.
 */
export function checkWithTsc(
  packageFile: string,
  files: readonly string[],
  tsconfig: string,
  scriptLocation: string,
  cwd: string,
): string[] {
  const manifest = JSON.parse(readFileSync(packageFile, "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.tsc;
  if (bin === undefined) {
    throw new CommandError(
      `The TypeScript package at ${path.dirname(packageFile)} has neither a compiler API nor a tsc command: reinstall it ('npm install --save-dev typescript'), then run the command again.`,
      { code: "TYPESCRIPT_UNUSABLE" },
    );
  }
  const temporary = path.join(scriptLocation, `.retort-check-types-${process.pid}.json`);
  try {
    writeFileSync(
      temporary,
      `${JSON.stringify({ extends: tsconfig, files, include: [], compilerOptions: { noEmit: true } }, null, 2)}\n`,
    );
  } catch (error) {
    throw new CommandError(
      `Cannot write ${temporary}, the temporary config TypeScript 7's tsc checks with (${(error as Error).message}): make the script folder writable, then run the command again.`,
      { code: "TYPESCRIPT_FAILED" },
    );
  }
  // node:child_process (3-4 ms) is loaded here only: every command loads this module.
  const { spawnSync: spawn } = createRequire(import.meta.url)(
    "node:child_process",
  ) as typeof import("node:child_process");
  let result: ReturnType<typeof spawnSync>;
  try {
    result = spawn(
      process.execPath,
      [path.join(path.dirname(packageFile), bin), "--project", temporary, "--pretty", "false"],
      { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
  } finally {
    rmSync(temporary, { force: true });
  }
  const output = `${result.stdout ?? ""}`;
  const errors = tscErrors(output, cwd);
  if (errors.length === 0 && result.status !== 0) {
    const said = `${output}${result.stderr ?? ""}`.trim() || (result.error?.message ?? `exit status ${result.status}`);
    throw new CommandError(`TypeScript's tsc failed without reporting a type error: ${said}`, {
      code: "TYPESCRIPT_FAILED",
    });
  }
  return errors;
}

/** `file(line,col): error TS2322: message`, as `tsc --pretty false` writes it (message lines after it indented). */
const TSC_ERROR = /^(.+)\((\d+),(\d+)\): error (TS\d+: .*)$/;
const TSC_GLOBAL_ERROR = /^error (TS\d+: .*)$/;

/** The error lines of tsc's output in `typeCheck`'s form; a message of several lines stays one entry. */
export function tscErrors(output: string, cwd: string): string[] {
  const errors: string[] = [];
  let continues = false;
  for (const line of output.split(/\r?\n/)) {
    const located = TSC_ERROR.exec(line);
    const global = located === null ? TSC_GLOBAL_ERROR.exec(line) : null;
    if (located !== null) {
      const [, file, row, column, text] = located as unknown as [string, string, string, string, string];
      const relative = path.relative(cwd, path.resolve(cwd, file)) || file;
      errors.push(`${relative}:${row}:${column} - error ${text}`);
      continues = true;
    } else if (global !== null) {
      errors.push(`error ${global[1]}`);
      continues = true;
    } else if (continues && /^\s+\S/.test(line)) {
      errors[errors.length - 1] += `\n${line.trimEnd()}`;
    } else {
      continues = false;
    }
  }
  return errors;
}
