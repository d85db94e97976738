import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { postgresHarness } from "../../../tests/integration/dialects.js";
import { TestProject } from "../../../tests/integration/support/test-project.js";

let project: TestProject;
afterEach(() => project?.cleanup());

/**
 * An upgrade that throws on line 16 of its .ts file. The interface above it
 * is erased from the compiled JavaScript, so only tsx's source map gives
 * line 16 back.
 */
function throwingMigration(): TestProject {
  const result = new TestProject();
  result.addRevision({ id: "a000", down: null });
  result.addRevision({
    id: "b000",
    down: "a000",
    upgrade: [
      "  interface Row {",
      "    readonly id: number;",
      "  }",
      "  const rows: Row[] = [];",
      '  if (rows.length === 0) throw new Error("no rows to copy");',
    ].join("\n"),
  });
  return result;
}

const location = `at ${path.join("migrations", "versions", "b000_m.ts")}:16:32`;

describe("where a migration failed", () => {
  it("names the file and the .ts line of the migration's frame, without a stack", () => {
    project = throwingMigration();
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    const failed = lines.findIndex((line) => line.startsWith("FAILED: Upgrade of revision b000"));
    expect(lines[failed]).toContain("failed: no rows to copy");
    expect(lines[failed + 1]).toBe(`  ${location}`);
    expect(result.stderr).not.toContain("Caused by:");
    expect(result.stderr).not.toContain("    at ");
  });

  it("says what a wrongly called operation expected, at the call's line, and rolls the run back", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    // A call type-checking would have refused (a migration run without check-types, or in JavaScript).
    project.addRevision({ id: "b000", down: "a000", upgrade: '  await op.addColumn("t_a000", "email" as never);' });
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'failed: op.addColumn("t_a000", ...): the column must be column(...), got the string "email"',
    );
    expect(result.stderr).toContain(`at ${path.join("migrations", "versions", "b000_m.ts")}:12:12`);
    expect(result.stderr).not.toContain("Cannot read properties");
    expect(project.ok("current")).toBe("");
  });

  it("prints the stack of the error and its causes before the closing FAILED line with --verbose, -v or RETORT_DEBUG=1", () => {
    project = throwingMigration();
    const runs = [
      project.run("--verbose", "upgrade", "head"),
      project.run("upgrade", "head", "-v"),
      project.runWith({ env: { RETORT_DEBUG: "1" } }, "upgrade", "head"),
    ];
    const file = path.join(project.dir, "migrations", "versions", "b000_m.ts");
    for (const result of runs) {
      expect(result.status).toBe(1);
      const failedAt = result.stderr.indexOf("FAILED: Upgrade of revision b000");
      const causeAt = result.stderr.indexOf("Caused by: Error: no rows to copy");
      expect(causeAt).toBeGreaterThanOrEqual(0);
      expect(failedAt).toBeGreaterThan(causeAt);
      expect(
        result.stderr
          .trimEnd()
          .split("\n")
          .some((line) => line.startsWith("FAILED: ")),
      ).toBe(true);
      expect(result.stderr.slice(causeAt, failedAt)).toMatch(
        new RegExp(`at (async )?upgrade \\(.*${path.basename(file)}:16:32\\)`),
      );
    }
  });

  it("names the .ts line of a migration whose batch loads with its V8 code cache (on a server)", async () => {
    const database = await postgresHarness.create();
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), "retort-batch-code-"));
    try {
      project = throwingMigration();
      const env = { RETORT_CACHE_DIR: cacheDir, DATABASE_URL: database.url };
      // The first run leaves empty entries, the second writes the code, the third and fourth load it.
      const runs = [1, 2, 3].map(() => project.runWith({ env }, "--url", database.url, "upgrade", "head"));
      const code = path.join(cacheDir, "code");
      const written = readdirSync(code).filter(
        (name) => name.endsWith("-upgrade.bin") && statSync(path.join(code, name)).size > 0,
      );
      // The CLI's, core's and the PostgreSQL driver's bundles, and the migrations' batch.
      expect(written.length).toBeGreaterThanOrEqual(4);
      for (const result of runs) {
        expect(result.status).toBe(1);
        const lines = result.stderr.trimEnd().split("\n");
        const failed = lines.findIndex((line) => line.startsWith("FAILED: Upgrade of revision b000"));
        expect(lines[failed + 1]).toBe(`  ${location}`);
      }
      const verbose = project.runWith({ env }, "--url", database.url, "-v", "upgrade", "head");
      expect(verbose.stderr).toMatch(/at (async )?upgrade \(.*b000_m\.ts:16:32\)/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
      await database.drop();
    }
  });

  it("compiles the batches of a SQLite run without the code cache", () => {
    project = throwingMigration();
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), "retort-batch-code-"));
    try {
      const env = { RETORT_CACHE_DIR: cacheDir };
      for (let run = 0; run < 3; run++) expect(project.runWith({ env }, "upgrade", "head").status).toBe(1);
      const code = path.join(cacheDir, "code");
      const written = readdirSync(code).filter((name) => name.endsWith("-upgrade.bin"));
      // The CLI's, core's and the SQLite driver's bundles only.
      expect(written).toHaveLength(3);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it("names the migration's line when a database error comes through two helpers in another file", () => {
    project = new TestProject();
    project.write(
      "migrations/helpers/tables.ts",
      [
        'import type { Operations } from "@retort/core";',
        "",
        "async function insertRow(op: Operations): Promise<void> {",
        '  await op.execute("INSERT INTO missing_table VALUES (1)");',
        "}",
        "",
        "export async function seed(op: Operations): Promise<void> {",
        "  await insertRow(op);",
        "}",
      ].join("\n"),
    );
    project.write(
      "migrations/versions/a000_seed.ts",
      [
        'import type { Operations } from "@retort/core";',
        'import { seed } from "../helpers/tables.js";',
        "",
        'export const revision = "a000";',
        "export const downRevision = null;",
        "",
        "export async function upgrade(op: Operations): Promise<void> {",
        '  await op.execute("CREATE TABLE seeded (id INTEGER)");',
        "  await seed(op);",
        "}",
        "",
        "export async function downgrade(op: Operations): Promise<void> {}",
      ].join("\n"),
    );
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    const failed = lines.findIndex((line) => line.startsWith("FAILED: Upgrade of revision a000"));
    expect(lines[failed]).toContain("missing_table");
    expect(lines[failed + 1]).toBe(`  at ${path.join("migrations", "versions", "a000_seed.ts")}:9:9`);
  });

  it("names the file in a CommonJS project, where tsx runs the compiled module from a data: URL", () => {
    project = throwingMigration();
    project.write("package.json", JSON.stringify({ name: "retort-test-project", type: "commonjs" }));
    // Compiled to the cache (as ES modules, with source maps), the line is known.
    const compiled = project.run("upgrade", "head");
    const compiledLines = compiled.stderr.trimEnd().split("\n");
    const compiledFailed = compiledLines.findIndex((line) => line.startsWith("FAILED: Upgrade of revision b000"));
    expect(compiledLines[compiledFailed + 1]).toBe(`  at ${path.join("migrations", "versions", "b000_m.ts")}:16:32`);
    // Through tsx's hooks (no cache folder), only the file.
    const env = { RETORT_CACHE_DIR: "" };
    const result = project.runWith({ env }, "upgrade", "head");
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    const failed = lines.findIndex((line) => line.startsWith("FAILED: Upgrade of revision b000"));
    expect(lines[failed + 1]).toBe(`  at ${path.join("migrations", "versions", "b000_m.ts")}`);
    const verbose = project.runWith({ env }, "-v", "upgrade", "head");
    expect(verbose.stderr).not.toContain("data:text/javascript");
    expect(verbose.stderr).toContain(`${path.join("migrations", "versions", "b000_m.ts")} (compiled):`);
  });

  it("names the line of a config that throws at top level", () => {
    project = new TestProject();
    project.write(
      "retort.config.ts",
      [
        'import { defineConfig } from "@retort/core";',
        "",
        "type Environment = {",
        "  readonly url?: string;",
        "};",
        "const environment: Environment = {};",
        'if (environment.url === undefined) throw new Error("APP_DATABASE_URL is not set");',
        'export default defineConfig({ scriptLocation: "migrations", url: environment.url });',
      ].join("\n"),
    );
    rmSync(path.join(project.dir, "retort.config.json"));
    const result = project.run("current");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /FAILED: Can't load .*retort\.config\.ts: APP_DATABASE_URL is not set\n {2}at retort\.config\.ts:7:42\n$/,
    );
  });

  it("keeps -v as the verbose listing of commands that have one", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null, message: "create accounts" });
    for (const args of [
      ["history", "-v"],
      ["-v", "history"],
    ]) {
      const output = project.ok(...args);
      expect(output).toContain("Rev: a000 (head)");
      expect(output).toContain("create accounts");
    }
  });
});
