import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { retortBin, TestProject } from "../../../tests/integration/support/test-project.js";
import { tableNames, versionRows } from "./database.js";

let project: TestProject;
afterEach(() => project?.cleanup());

/** The control characters in `text`, newlines aside. */
function controlCharacters(text: string): string[] {
  return [...text].filter((char) => char !== "\n" && (char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127));
}

const duration = String.raw`[\d.]+ m?s`;

/** A migration that waits until the file `go` exists in the project folder. */
const waitForGo = [
  `  const { existsSync } = await import("node:fs");`,
  `  while (!existsSync("go")) await new Promise((resolve) => setTimeout(resolve, 20));`,
  `  await op.createTable("t_slow", column("id", integer(), { primaryKey: true }));`,
].join("\n");

/** Resolves with the text read so far once `pattern` appears in it. */
function waitFor(read: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const text = read();
      if (pattern.test(text)) return resolve(text);
      if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} in:\n${text}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

/** Runs the CLI under a pseudo-terminal (`script`), as a person at a terminal would; returns what it showed. */
function runOnTerminal(dir: string, args: string[], env: Record<string, string | undefined> = {}) {
  const command = [process.execPath, retortBin, ...args].join(" ");
  const result = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: undefined, NO_COLOR: undefined, TERM: "xterm", ...env } as NodeJS.ProcessEnv,
    encoding: "utf8",
  });
  return { status: result.status, output: result.stdout.replaceAll("\r\n", "\n") };
}

describe("what a person sees during a run", () => {
  it("names the database first, then each migration with its duration, then the summary (off a terminal)", () => {
    project = new TestProject();
    project.addRevision({ id: "aaaa1111", down: null });
    project.addRevision({ id: "bbbb2222", down: "aaaa1111" });
    const up = project.run("upgrade", "head");
    expect(up.status).toBe(0);
    expect(up.stderr).toMatch(
      new RegExp(
        [
          String.raw`^Database: sqlite "test\.db" \(sqlite:///test\.db\)`,
          "Running upgrade  -> aaaa1111, m aaaa1111",
          `Finished upgrade  -> aaaa1111 in ${duration}`,
          "Running upgrade aaaa1111 -> bbbb2222, m bbbb2222",
          `Finished upgrade aaaa1111 -> bbbb2222 in ${duration}`,
          `Applied 2 migrations in ${duration}\n$`,
        ].join("\n"),
      ),
    );
    // No colour and no control character off a terminal.
    expect(controlCharacters(up.stderr)).toEqual([]);
    const down = project.run("downgrade", "base");
    expect(down.stderr).toMatch(new RegExp(`\nReverted 2 migrations in ${duration}\n$`));
    const stamp = project.run("stamp", "bbbb2222");
    expect(stamp.stderr).toMatch(new RegExp(`\nStamped bbbb2222 in ${duration}\n$`));
    const again = project.run("upgrade", "head");
    expect(again.stderr).toBe(
      'Database: sqlite "test.db" (sqlite:///test.db)\nNothing to do: the database is at bbbb2222\n',
    );
  });

  it("prints a slow migration's start line before it finishes", async () => {
    project = new TestProject();
    project.addRevision({ id: "aaaa1111", down: null, message: "slow one", upgrade: waitForGo });
    const child = project.spawn("upgrade", "head");
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const before = await waitFor(() => stderr, /Running upgrade {2}-> aaaa1111, slow one\n/);
    // The migration is still waiting: no end, no summary yet.
    expect(before).not.toContain("Finished");
    expect(tableNames(project.dbPath)).not.toContain("t_slow");
    writeFileSync(path.join(project.dir, "go"), "");
    expect(await closed).toBe(0);
    expect(stderr).toMatch(new RegExp(`Finished upgrade  -> aaaa1111 in ${duration}\nApplied 1 migration in`));
    expect(versionRows(project.dbPath)).toEqual(["aaaa1111"]);
  }, 30_000);

  it("names the database before connecting, with the password masked", () => {
    project = new TestProject();
    project.addRevision({ id: "aaaa1111", down: null });
    // Nothing listens on port 1: the command fails after saying where it tried.
    const result = project.run("--url", "postgresql://app:s3cret-pw@127.0.0.1:1/appdb", "current");
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n")[0]).toBe(
      'Database: postgresql "appdb" on 127.0.0.1:1 (postgresql://app:***@127.0.0.1:1/appdb)',
    );
    expect(result.stderr).toContain("FAILED:");
    expect(result.stderr).not.toContain("s3cret-pw");
  });

  it("keeps quiet with -q: no database line, no progress, no summary", () => {
    project = new TestProject();
    project.addRevision({ id: "aaaa1111", down: null });
    const result = project.run("-q", "upgrade", "head");
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(versionRows(project.dbPath)).toEqual(["aaaa1111"]);
  });

  it("says who holds the migration lock after a second of waiting, and how long it waited", async () => {
    project = new TestProject();
    project.addRevision({ id: "aaaa1111", down: null });
    project.ok("stamp", "base");
    // Another connection holds the write lock (SQLite's migration lock) for 2.5 s.
    const holder = new Database(project.dbPath);
    holder.exec("BEGIN IMMEDIATE");
    const release = setTimeout(() => holder.exec("COMMIT"), 2500);
    try {
      const result = await project.runAsync("upgrade", "head");
      expect(result.status).toBe(0);
      const lines = result.stderr.split("\n");
      expect(lines[1]).toBe(
        `Waiting for the migration lock held by another connection to ${project.dbPath} (SQLite cannot tell which process) ...`,
      );
      expect(lines[2]).toMatch(/^Acquired the migration lock after (1\.[5-9]|[2-9]\.\d) s$/);
      expect(lines[3]).toBe("Running upgrade  -> aaaa1111, m aaaa1111");
      expect(versionRows(project.dbPath)).toEqual(["aaaa1111"]);
    } finally {
      clearTimeout(release);
      holder.close();
    }
  }, 30_000);
});

describe("interrupted while waiting for the lock", () => {
  it("stops waiting at SIGINT, changes nothing and exits 130", async () => {
    project = new TestProject();
    project.addRevision({ id: "aaaa1111", down: null });
    project.ok("stamp", "base");
    const holder = new Database(project.dbPath);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const child = project.spawn("upgrade", "head");
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
      await waitFor(() => stderr, /Waiting for the migration lock held by /);
      const interrupted = Date.now();
      child.kill("SIGINT");
      expect(await closed).toBe(130);
      // It did not wait for the lock timeout (60 s by default).
      expect(Date.now() - interrupted).toBeLessThan(5000);
      expect(stderr).toContain(
        "FAILED: interrupted by SIGINT while waiting for the migration lock; nothing was changed.",
      );
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect(versionRows(project.dbPath)).toEqual([]);
  }, 30_000);
});

describe("on a terminal", () => {
  it("completes the start line in place, counts the migrations, and colours ids and FAILED", () => {
    project = new TestProject();
    project.addRevision({ id: "aaaa1111", down: null });
    project.addRevision({ id: "bbbb2222", down: "aaaa1111" });
    const { status, output } = runOnTerminal(project.dir, ["upgrade", "head"]);
    expect(status).toBe(0);
    const plainText = stripVTControlCharacters(output);
    expect(plainText).toMatch(
      new RegExp(
        [
          String.raw`\[1/2\] Running upgrade  -> aaaa1111, m aaaa1111 \.\.\. done \(${duration}\)`,
          String.raw`\[2/2\] Running upgrade aaaa1111 -> bbbb2222, m bbbb2222 \.\.\. done \(${duration}\)`,
          `Applied 2 migrations in ${duration}`,
        ].join("\n"),
      ),
    );
    expect(output).toContain("\u001b[33mbbbb2222\u001b[39m");
    const heads = runOnTerminal(project.dir, ["heads"]);
    expect(heads.output).toContain("\u001b[33mbbbb2222\u001b[39m \u001b[1;32m(head)\u001b[0m");
    const failed = runOnTerminal(project.dir, ["upgrade", "cccc"]);
    expect(failed.output).toContain("\u001b[1;31mFAILED:\u001b[0m Can't locate revision identified by 'cccc'");
  });

  it("has no colour with NO_COLOR or --no-color", () => {
    project = new TestProject();
    project.addRevision({ id: "aaaa1111", down: null });
    const noColorEnv = runOnTerminal(project.dir, ["upgrade", "head"], { NO_COLOR: "1" });
    expect(noColorEnv.status).toBe(0);
    expect(noColorEnv.output).toMatch(/Running upgrade {2}-> aaaa1111, m aaaa1111 \.\.\. done/);
    expect(noColorEnv.output).not.toContain("\u001b[");
    const heads = runOnTerminal(project.dir, ["heads", "--no-color"]);
    expect(heads.output).toBe("aaaa1111 (head)\n");
    const noColorFlag = runOnTerminal(project.dir, ["--no-color", "downgrade", "cccc"]);
    expect(noColorFlag.output).toContain("FAILED: Can't locate revision identified by 'cccc'");
    expect(noColorFlag.output).not.toContain("\u001b[");
  });
});
