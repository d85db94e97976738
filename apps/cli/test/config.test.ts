import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { queryAll, versionRows } from "./database.js";
import { TestProject } from "../../../tests/integration/support/test-project.js";

let project: TestProject;
afterEach(() => project?.cleanup());

describe("where the database URL comes from", () => {
  it("--url wins over DATABASE_URL, which wins over .env and the config", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.write(".env", "DATABASE_URL=sqlite:///from-dotenv.db\n");
    project.ok("upgrade", "head");
    expect(existsSync(path.join(project.dir, "from-dotenv.db"))).toBe(true);
    expect(existsSync(project.dbPath)).toBe(false);

    const fromEnv = project.runWith({ env: { DATABASE_URL: "sqlite:///from-env.db" } }, "upgrade", "head");
    expect(fromEnv.status).toBe(0);
    expect(versionRows(path.join(project.dir, "from-env.db"))).toEqual(["a000"]);

    project.ok("--url", "sqlite:///from-flag.db", "upgrade", "head");
    expect(versionRows(path.join(project.dir, "from-flag.db"))).toEqual(["a000"]);
  });

  it("says where an unparseable URL came from, without showing it", () => {
    project = new TestProject();
    const fromEnv = project.runWith({ env: { DATABASE_URL: "s3cret-not-a-url" } }, "current");
    expect(fromEnv.status).toBe(1);
    expect(fromEnv.stderr).toContain("Could not parse the database URL '<not shown: no '://' in it>'");
    expect(fromEnv.stderr).toContain("(given by the DATABASE_URL environment variable (or a .env file))");
    expect(fromEnv.stderr).not.toContain("s3cret");
    expect(project.run("--url", "nope", "current").stderr).toContain("(given by --url)");
  });

  it("loads a TypeScript config given with -c, and RETORT_CONFIG", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.write(
      "config/custom.config.ts",
      [
        'import { defineConfig } from "@retort/core";',
        "export default defineConfig({",
        '  scriptLocation: "../migrations",',
        '  url: "sqlite:///custom.db",',
        '  versionTable: "my_versions",',
        "});",
      ].join("\n"),
    );
    project.ok("-c", "config/custom.config.ts", "upgrade", "head");
    // Relative paths in the config are relative to the config file's folder,
    // SQLite paths to the current folder, as SQLAlchemy does.
    const db = path.join(project.dir, "custom.db");
    expect(versionRows(db, "my_versions")).toEqual(["a000"]);
    const viaEnv = project.runWith({ env: { RETORT_CONFIG: "config/custom.config.ts" } }, "current");
    expect(viaEnv.stdout.trim()).toBe("a000 (head)");
  });

  it("passes -x arguments and --tag to migrations", () => {
    project = new TestProject();
    project.addRevision({
      id: "a000",
      down: null,
      upgrade: [
        "  const context = op.getContext();",
        '  await op.execute("CREATE TABLE seen (k TEXT, v TEXT)");',
        '  await op.execute("INSERT INTO seen VALUES (?, ?), (?, ?)", ["tenant", context.xArgs.tenant ?? "", "tag", context.tag ?? ""]);',
      ].join("\n"),
    });
    project.ok("-x", "tenant=acme", "upgrade", "head", "--tag", "release-1");
    expect(queryAll(project.dbPath, "SELECT k, v FROM seen ORDER BY k")).toEqual([
      { k: "tag", v: "release-1" },
      { k: "tenant", v: "acme" },
    ]);
  });

  it.each([
    [{ timeoutMs: -1 }, "lock.timeoutMs must be a number of milliseconds from 0 to 2147483647, got number -1"],
    [{ timeoutMs: "5s" }, 'lock.timeoutMs must be a number of milliseconds from 0 to 2147483647, got the string "5s"'],
    [
      { timeoutMs: 1e12 },
      "lock.timeoutMs must be a number of milliseconds from 0 to 2147483647, got number 1000000000000",
    ],
    [{ enabled: "yes" }, 'lock.enabled must be true or false, got the string "yes"'],
  ])("names the lock option that is wrong (%j)", (lock, problem) => {
    project = new TestProject({ config: { lock } });
    const result = project.run("current");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Option 'lock' in `);
    expect(result.stderr).toContain(problem);
  });

  it("uses a custom version table name and no primary key when configured", () => {
    project = new TestProject({ config: { versionTable: "schema_history", versionTablePk: false } });
    project.addRevision({ id: "a000", down: null });
    project.ok("upgrade", "head");
    expect(versionRows(project.dbPath, "schema_history")).toEqual(["a000"]);
  });
});

describe("init and revision", () => {
  it("init creates the config, the template and an empty versions folder; refuses a non-empty folder", () => {
    project = new TestProject({ init: false });
    const result = project.run("init", "db");
    expect(result.status).toBe(0);
    expect(existsSync(path.join(project.dir, "retort.config.ts"))).toBe(true);
    expect(existsSync(path.join(project.dir, "db", "script.ts.template"))).toBe(true);
    expect(existsSync(path.join(project.dir, "db", "versions"))).toBe(true);
    expect(readFileSync(path.join(project.dir, "retort.config.ts"), "utf8")).toContain('scriptLocation: "db"');
    const again = project.run("init", "db");
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists and is not empty");
    const templates = project.ok("list-templates");
    expect(templates).toContain("generic - ");
    expect(templates).toContain("multidb - ");
    const unknown = project.run("init", "other", "-t", "nope");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("No such template");
  });

  it("init writes the config where -c or RETORT_CONFIG says, where later commands find it", () => {
    project = new TestProject({ init: false });
    project.ok("-c", "conf/app.config.ts", "init", "db");
    const config = path.join(project.dir, "conf", "app.config.ts");
    expect(readFileSync(config, "utf8")).toContain('scriptLocation: "../db"');
    expect(existsSync(path.join(project.dir, "retort.config.ts"))).toBe(false);
    expect(project.run("-c", "conf/app.config.ts", "heads").status).toBe(0);

    const other = project.runWith({ env: { RETORT_CONFIG: "other.config.ts" } }, "init", "db2");
    expect(other.status).toBe(0);
    expect(readFileSync(path.join(project.dir, "other.config.ts"), "utf8")).toContain('scriptLocation: "db2"');
    expect(project.runWith({ env: { RETORT_CONFIG: "other.config.ts" } }, "heads").status).toBe(0);

    // A name the TypeScript template cannot be is refused before anything is written.
    const json = project.run("-c", "app.json", "init", "db3");
    expect(json.status).toBe(1);
    expect(json.stderr).toContain("name it with .ts, .mts, .js or .mjs");
    expect(existsSync(path.join(project.dir, "db3"))).toBe(false);
  });

  it("says the file was written before a post-write hook runs, and around each hook, as Alembic", () => {
    project = new TestProject({
      config: { postWriteHooks: [{ type: "exec", command: "sh", args: ["-c", "echo formatted"] }] },
    });
    const result = project.run("revision", "-m", "hooked", "--rev-id", "h001");
    expect(result.status).toBe(0);
    const file = path.join(project.dir, "migrations", "versions", "h001_hooked.ts");
    expect(result.stdout).toBe(`Generating ${file} ...  done\nRunning post write hook 'sh' ...\nformatted\ndone\n`);
    // A failing hook: the file was written, and the output says so before the failure.
    project.write(
      "retort.config.json",
      JSON.stringify({
        scriptLocation: "migrations",
        url: "sqlite:///app.db",
        postWriteHooks: [{ type: "exec", command: "sh", args: ["-c", "exit 3"] }],
      }),
    );
    const failed = project.run("revision", "-m", "broken", "--rev-id", "h002");
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain("Generating ");
    expect(failed.stderr).toContain("failed (exit status 3); the file");
  });

  it("revision --sql is refused with the reason and the way out, writing nothing", () => {
    project = new TestProject();
    const result = project.run("revision", "-m", "x", "--sql");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "FAILED: Using --sql with the revision command does not make any sense: revision writes a migration file and sends nothing to the database",
    );
    expect(result.stderr).toContain("Leave out --sql.");
  });

  it("revision writes a file that upgrade then runs; heads and merge follow", () => {
    project = new TestProject();
    const first = project.run("revision", "-m", "create account table", "--rev-id", "ae1027a6acf0");
    expect(first.status).toBe(0);
    const file = path.join(project.dir, "migrations", "versions", "ae1027a6acf0_create_account_table.ts");
    expect(first.stdout).toContain(`Generating ${file} ...  done`);
    const text = readFileSync(file, "utf8");
    expect(text).toContain('export const revision = "ae1027a6acf0";');
    expect(text).toContain("export const downRevision = null;");
    project.ok("revision", "-m", "second", "--rev-id", "b1b1b1b1b1b1");
    project.ok("revision", "-m", "branch", "--rev-id", "c2c2c2c2c2c2", "--head", "ae1027a6acf0", "--splice");
    const multiple = project.run("revision", "-m", "third");
    expect(multiple.status).toBe(1);
    expect(multiple.stderr).toContain(
      "FAILED: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.",
    );
    const notHead = project.run("revision", "-m", "x", "--head", "ae1027a6acf0");
    expect(notHead.stderr).toContain(
      "Revision ae1027a6acf0 is not a head revision; please specify --splice to create a new branch from this revision",
    );
    project.ok("merge", "heads", "-m", "merge branches", "--rev-id", "d3d3d3d3d3d3");
    expect(project.ok("heads").trim()).toBe("d3d3d3d3d3d3 (head)");
    project.ok("upgrade", "head");
    expect(versionRows(project.dbPath)).toEqual(["d3d3d3d3d3d3"]);
    const dependent = project.run("revision", "-m", "dep", "--rev-id", "e4e4e4e4e4e4", "--depends-on", "c2c2");
    expect(dependent.status).toBe(0);
    expect(project.ok("show", "e4e4e4e4e4e4")).toContain("Also depends on: c2c2c2c2c2c2");
  });

  it("rejects revision ids with reserved characters", () => {
    project = new TestProject();
    const result = project.run("revision", "-m", "x", "--rev-id", "ab:c-d");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("FAILED: Character(s) '-, :' not allowed in revision identifier 'ab:c-d'");
  });
});
