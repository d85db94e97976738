import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { queryAll, versionRows } from "./database.js";
import { retortBin, TestProject } from "./harness.js";

let project: TestProject;
afterEach(() => project?.cleanup());

function runAsync(cwd: string, args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [retortBin, ...args], { cwd, env: { ...process.env, DATABASE_URL: "" } });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (status) => resolve({ status: status ?? -1, stderr }));
  });
}

describe("several processes upgrading one SQLite file", () => {
  for (const transactionPerMigration of [false, true]) {
    it(`apply each migration exactly once (transactionPerMigration: ${transactionPerMigration})`, async () => {
      project = new TestProject({ config: { transactionPerMigration } });
      project.addRevision({
        id: "r000",
        down: null,
        upgrade: '  await op.execute("CREATE TABLE applied (revision TEXT NOT NULL)");',
        downgrade: '  await op.execute("DROP TABLE applied");',
      });
      for (let index = 1; index <= 15; index++) {
        const id = `r${String(index).padStart(3, "0")}`;
        const previous = `r${String(index - 1).padStart(3, "0")}`;
        project.addRevision({
          id,
          down: previous,
          // CREATE TABLE fails if a migration ever runs twice.
          upgrade: [
            `  await op.execute("CREATE TABLE t_${id} (id INTEGER)");`,
            `  await op.execute("INSERT INTO applied VALUES (?)", ["${id}"]);`,
          ].join("\n"),
        });
      }
      const runs = await Promise.all(Array.from({ length: 6 }, () => runAsync(project.dir, ["upgrade", "head"])));
      for (const run of runs) expect(run.status, run.stderr).toBe(0);
      const applied = queryAll(project.dbPath, "SELECT revision FROM applied ORDER BY revision").map(
        (row) => row.revision,
      );
      expect(applied).toEqual(Array.from({ length: 15 }, (_, index) => `r${String(index + 1).padStart(3, "0")}`));
      expect(versionRows(project.dbPath)).toEqual(["r015"]);
    });
  }
});
