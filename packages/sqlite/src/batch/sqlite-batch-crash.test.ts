import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { TestProject } from "../../../../tests/integration/support/test-project.js";
import { temporaryFolder } from "../test-support/temp-database.js";

// Both tests run built code (the CLI and a child process): `pnpm tsc -b packages/sqlite` first.
const distIndex = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

describe("a failed batch inside a migration run (CLI)", () => {
  let project: TestProject | undefined;
  afterEach(() => project?.cleanup());

  it("leaves the table, its data and the version table as they were", () => {
    project = new TestProject();
    project.addRevision({
      id: "a1",
      upgrade: [
        `  await op.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)");`,
        `  await op.execute("INSERT INTO t (a) VALUES (1), (NULL)");`,
      ].join("\n"),
      downgrade: `  await op.dropTable("t");`,
    });
    project.addRevision({
      id: "b2",
      down: "a1",
      upgrade: `  await op.batchAlterTable("t", {}, async (batch) => { await batch.alterColumn("a", { nullable: false }); });`,
      downgrade: "",
    });
    project.ok("upgrade", "a1");
    const schemaBefore = readSchema(project.dbPath);
    const failed = project.run("upgrade", "head");
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/NOT NULL constraint failed/);
    const database = new Database(project.dbPath, { readonly: true });
    try {
      expect(database.prepare("SELECT version_num FROM alembic_version").all()).toEqual([{ version_num: "a1" }]);
      expect(database.prepare("SELECT id, a FROM t ORDER BY id").all()).toEqual([
        { id: 1, a: 1 },
        { id: 2, a: null },
      ]);
    } finally {
      database.close();
    }
    expect(readSchema(project.dbPath)).toEqual(schemaBefore);
  });
});

describe("a process killed during the copy", () => {
  let folder: ReturnType<typeof temporaryFolder>;
  afterEach(() => folder.remove());

  it("leaves the file intact: integrity ok, original rows and schema", async () => {
    folder = temporaryFolder();
    const file = folder.file();
    const setup = new Database(file);
    setup.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY, a INTEGER, s TEXT);
      CREATE INDEX ix_big_a ON big (a);
      WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000)
      INSERT INTO big (a, s) SELECT x, 'row ' || x FROM c;`);
    setup.close();
    const schemaBefore = readSchema(file);

    // The child runs the batch inside BEGIN IMMEDIATE, as a migration run
    // does, and reports each copied chunk; we kill it at the first one.
    const script = join(folder.path, "child.mjs");
    writeFileSync(
      script,
      `import { driver } from ${JSON.stringify(distIndex)};
const connection = await driver.connect({ scheme: "sqlite", database: ${JSON.stringify(file)}, query: {}, raw: "" });
const operation = { kind: "batchAlterTable", table: "big", options: {}, steps: [
  { kind: "alterColumn", table: "big", column: "s", nullable: false },
] };
await connection.begin();
// As the run's operation sink does: compile the rebuild, send each statement, report each chunk.
const statements = await connection.dialect.compileRebuild(operation, {
  offline: false,
  read: async (sql, parameters) => (await connection.query(sql, parameters)).rows,
  warn: () => {},
  progress: true,
});
for (const statement of statements) {
  await connection.execute(statement.sql, statement.parameters);
  if (statement.progress) process.stdout.write("progress " + statement.progress.copied + "\\n");
}
await connection.commit();
process.stdout.write("done\\n");
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_, signal) => resolve(signal)));
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("progress") && child.exitCode === null) child.kill("SIGKILL");
    });
    expect(await exit, stderr).toBe("SIGKILL");
    expect(output).toMatch(/^progress \d+/);
    expect(output).not.toContain("done");

    const database = new Database(file);
    try {
      expect(database.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(database.prepare("SELECT count(*) AS n, sum(a) AS s FROM big").get()).toEqual({
        n: 2_000_000,
        s: 2_000_001_000_000,
      });
    } finally {
      database.close();
    }
    expect(readSchema(file)).toEqual(schemaBefore);
  }, 120_000);
});

function readSchema(file: string): unknown[] {
  const database = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return database.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
  } finally {
    database.close();
  }
}
