import { CommandError } from "../errors/retort-error.js";
import type { PostWriteHook } from "../config/retort-config.js";
import { dynamicImport } from "../runtime/dynamic-import.js";

const placeholder = "REVISION_SCRIPT_FILENAME";

/**
 * Runs the configured post-write hooks on a new migration file, in order
 * (Alembic's `post_write_hooks`), e.g. a formatter:
 * `{ type: "exec", command: "npx", args: ["biome", "format", "--write", "REVISION_SCRIPT_FILENAME"] }`.
 */
export async function runPostWriteHooks(
  hooks: readonly PostWriteHook[],
  file: string,
  cwd: string,
  report: (line: string) => void = () => undefined,
): Promise<void> {
  for (const hook of hooks) {
    if (typeof hook === "function") {
      report(`Running post write hook '${hook.name || "function"}' ...`);
      await hook(file);
      report("done");
      continue;
    }
    const given = hook.args ?? [];
    const args = given.includes(placeholder)
      ? given.map((arg) => (arg === placeholder ? file : arg))
      : [...given, file];
    // Loaded when a hook runs: every command (`heads`, `current`) loads core's bundle.
    const { spawnSync } = await dynamicImport<typeof import("node:child_process")>("node:child_process");
    report(`Running post write hook '${hook.command}' ...`);
    const result = spawnSync(hook.command, args, { cwd: hook.cwd ?? cwd, stdio: "inherit" });
    if (result.error || result.status !== 0) {
      const reason = result.error ? result.error.message : `exit status ${result.status}`;
      throw new CommandError(
        `Post-write hook '${hook.command} ${args.join(" ")}' failed (${reason}); the file ${file} was written`,
        { code: "POST_WRITE_HOOK" },
      );
    }
    report("done");
  }
}
