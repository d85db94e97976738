import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const integrationRoot = fileURLToPath(new URL("..", import.meta.url));
export const retortBin = fileURLToPath(new URL("../../../apps/cli/bin/retort.cjs", import.meta.url));

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RevisionSpec {
  readonly id: string;
  readonly down?: string | readonly string[] | null;
  readonly labels?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly message?: string;
  /** Body of upgrade(op); default creates table t_<id>. */
  readonly upgrade?: string;
  readonly downgrade?: string;
  /** File name; default `<id>_m.ts`. */
  readonly file?: string;
}

/**
 * A throw-away project in the system's temp folder: a config, a script
 * folder and a database URL (a SQLite file in the project by default).
 * `node_modules` links to the integration suite's, so migration files
 * resolve `@retort/core` and the CLI finds the drivers as in a user's
 * project.
 */
export class TestProject {
  readonly dir: string;

  constructor(options: { init?: boolean; config?: Record<string, unknown>; url?: string } = {}) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), "retort-cli-"));
    symlinkSync(path.join(integrationRoot, "node_modules"), path.join(this.dir, "node_modules"), "dir");
    writeFileSync(path.join(this.dir, "package.json"), JSON.stringify({ name: "retort-test-project", type: "module" }));
    if (options.init !== false) {
      const result = this.run("init", "migrations");
      if (result.status !== 0) throw new Error(`init failed: ${result.stderr}`);
      writeFileSync(
        path.join(this.dir, "retort.config.json"),
        JSON.stringify(
          { scriptLocation: "migrations", url: options.url ?? "sqlite:///test.db", ...options.config },
          null,
          2,
        ),
      );
      rmSync(path.join(this.dir, "retort.config.ts"), { force: true });
    }
  }

  get dbPath(): string {
    return path.join(this.dir, "test.db");
  }

  run(...args: string[]): RunResult {
    return this.runWith({}, ...args);
  }

  runWith(options: { env?: Record<string, string | undefined>; input?: string }, ...args: string[]): RunResult {
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATABASE_URL: undefined,
      RETORT_CONFIG: undefined,
      ...options.env,
    };
    const result = spawnSync(process.execPath, [retortBin, ...args], {
      cwd: this.dir,
      env: env as NodeJS.ProcessEnv,
      encoding: "utf8",
      input: options.input ?? "",
    });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  /** Starts the CLI without waiting (for concurrent runs and kill tests). */
  spawn(...args: string[]): ChildProcessWithoutNullStreams {
    const env = { ...process.env, DATABASE_URL: undefined, RETORT_CONFIG: undefined };
    return spawn(process.execPath, [retortBin, ...args], { cwd: this.dir, env: env as NodeJS.ProcessEnv });
  }

  /** Runs the CLI in the background and resolves when it exits. */
  runAsync(...args: string[]): Promise<RunResult> {
    const child = this.spawn(...args);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    return new Promise((resolve) => {
      child.on("close", (status) => resolve({ status: status ?? -1, stdout, stderr }));
    });
  }

  /** Runs and expects success; returns stdout. */
  ok(...args: string[]): string {
    const result = this.run(...args);
    if (result.status !== 0) {
      throw new Error(
        `retort ${args.join(" ")} exited ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
      );
    }
    return result.stdout;
  }

  write(relative: string, text: string): string {
    const file = path.join(this.dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  /** Writes a migration file into migrations/versions/. */
  addRevision(spec: RevisionSpec, folder = "migrations/versions"): string {
    const literal = (value: unknown) => (value === undefined ? "null" : JSON.stringify(value));
    const down = spec.down === undefined ? null : spec.down;
    const table = `t_${spec.id}`;
    const text = [
      `/** ${spec.message ?? `m ${spec.id}`} */`,
      `import type { Operations } from "@retort/core";`,
      `import { column, integer, string } from "@retort/core";`,
      ``,
      `export const revision = ${JSON.stringify(spec.id)};`,
      `export const downRevision = ${literal(down)};`,
      `export const branchLabels = ${literal(spec.labels)};`,
      `export const dependsOn = ${literal(spec.dependsOn)};`,
      `export const message = ${JSON.stringify(spec.message ?? `m ${spec.id}`)};`,
      ``,
      `export async function upgrade(op: Operations): Promise<void> {`,
      spec.upgrade ??
        `  await op.createTable(${JSON.stringify(table)}, column("id", integer(), { primaryKey: true }));`,
      `}`,
      ``,
      `export async function downgrade(op: Operations): Promise<void> {`,
      spec.downgrade ?? `  await op.dropTable(${JSON.stringify(table)});`,
      `}`,
      ``,
    ].join("\n");
    return this.write(path.join(folder, spec.file ?? `${spec.id}_m.ts`), text);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
