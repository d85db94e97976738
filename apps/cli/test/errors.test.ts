import { mkdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { TestProject } from "../../../tests/integration/support/test-project.js";

/** The integration suite's node_modules, which test projects link to. */
const integrationModules = fileURLToPath(new URL("../../../tests/integration/node_modules", import.meta.url));

let project: TestProject;
afterEach(() => project?.cleanup());

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

describe("errors in the script directory", () => {
  it("names the file of a downRevision that does not exist", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    const file = project.addRevision({ id: "b000", down: "zzzz" });
    const result = project.run("heads");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toMatch(/^FAILED: .*zzzz/);
    expect(result.stderr).toContain(file);
  });

  it("names both files of a revision id defined twice", () => {
    project = new TestProject();
    const first = project.addRevision({ id: "a000", down: null, file: "a000_first.ts" });
    const second = project.addRevision({ id: "a000", down: null, file: "a000_second.ts" });
    const result = project.run("history");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(first);
    expect(result.stderr).toContain(second);
  });

  it("reports cycles and self-loops with Alembic's texts", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.addRevision({ id: "b000", down: "c000" });
    project.addRevision({ id: "c000", down: "b000" });
    const cycle = project.run("heads");
    expect(cycle.status).toBe(1);
    expect(cycle.stderr).toContain("Cycle is detected in revisions (b000, c000)");
    project.cleanup();

    project = new TestProject();
    project.addRevision({ id: "a000", down: "a000" });
    const loop = project.run("heads");
    expect(loop.status).toBe(1);
    expect(loop.stderr).toContain("Self-loop is detected in revisions (a000)");
  });

  it("reports a dependency cycle, a missing dependsOn and a label defined twice", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null, dependsOn: ["b000"] });
    project.addRevision({ id: "b000", down: "a000" });
    const cycle = project.run("heads");
    expect(cycle.status).toBe(1);
    expect(cycle.stderr).toContain("Dependency cycle is detected in revisions (a000, b000)");
    project.cleanup();

    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    const file = project.addRevision({ id: "b000", down: "a000", dependsOn: ["nope"] });
    const missing = project.run("heads");
    expect(missing.status).toBe(1);
    expect(lastLine(missing.stderr)).toMatch(/^FAILED: .*nope/);
    expect(missing.stderr).toContain(file);
    project.cleanup();

    project = new TestProject();
    project.addRevision({ id: "a000", down: null, labels: ["lib"] });
    project.addRevision({ id: "b000", down: null, labels: ["lib"] });
    const labels = project.run("heads");
    expect(labels.status).toBe(1);
    expect(lastLine(labels.stderr)).toContain("Branch name 'lib' in revision b000 already used by revision a000");
  });

  it("reports a header it cannot read with the file and the reason", () => {
    project = new TestProject();
    const file = project.write(
      "migrations/versions/bad_m.ts",
      "export const revision = makeId();\nexport const downRevision = null;\n",
    );
    const result = project.run("heads");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(file);
    expect(lastLine(result.stderr)).toMatch(/^FAILED: /);
  });

  it("rejects a duplicate branch label", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null, labels: ["lib"] });
    project.addRevision({ id: "b000", down: "a000" });
    const result = project.run("revision", "-m", "x", "--branch-label", "lib", "--rev-id", "c000");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toBe("FAILED: Branch name 'lib' in revision c000 already used by revision a000");
  });
});

describe("errors about the database and the configuration", () => {
  it("loads @retort/mysql for a mysql:// URL and says why it cannot connect, without the password", () => {
    project = new TestProject();
    const result = project.run("--url", "mysql://root:secret@127.0.0.1:1/db", "current");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Cannot connect to MySQL at 127.0.0.1:1/db");
    expect(result.stderr).not.toContain("secret");
  });

  it("tells which package to install for a URL whose driver the project lacks", () => {
    project = new TestProject();
    // A project that has @retort/core but not @retort/mysql.
    const modules = path.join(project.dir, "node_modules");
    rmSync(modules);
    mkdirSync(path.join(modules, "@retort"), { recursive: true });
    symlinkSync(realpathSync(path.join(integrationModules, "@retort", "core")), path.join(modules, "@retort", "core"));
    // The test runner's NODE_PATH reaches the workspace's packages; a user's shell has none.
    const result = project.runWith(
      { env: { NODE_PATH: undefined } },
      "--url",
      "mariadb://root:secret@localhost/db",
      "current",
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("The driver for 'mariadb' URLs is not installed");
    expect(result.stderr).toMatch(/npm install @retort\/mysql/);
    expect(result.stderr).not.toContain("secret");
  });

  it("never prints a password", () => {
    project = new TestProject();
    const result = project.run("--url", "postgresql://u:hunter2@127.0.0.1:1/db", "current", "-v");
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).not.toContain("hunter2");
  });

  it("never prints a password given in the wrong place, or carried by a failed statement", () => {
    project = new TestProject();
    project.addRevision({
      id: "a000",
      down: null,
      upgrade: `  await op.execute("INSERT INTO no_such_table VALUES ('postgresql://app:hunter2@db/app')");`,
    });
    const url = "postgresql://app:hunter2@127.0.0.1:5432/app";
    for (const args of [
      [url, "upgrade", "head"],
      ["current", url],
      ["show", url],
      ["-c", url, "current"],
      ["revision", "-m", "x", "--rev-id", url],
      ["upgrade", "head", "-v"],
    ]) {
      const result = project.run(...args);
      expect(result.status, args.join(" ")).not.toBe(0);
      expect(result.stdout + result.stderr, args.join(" ")).not.toContain("hunter2");
      expect(result.stderr).toContain("FAILED: ");
    }
    expect(project.run("current", url).stderr).toContain("postgresql://app:***@127.0.0.1:5432/app");
    project.cleanup();

    // A role's password in the statement that failed (SQLite has no CREATE ROLE).
    project = new TestProject();
    project.addRevision({
      id: "a000",
      down: null,
      upgrade: `  await op.execute("CREATE ROLE app LOGIN PASSWORD 'hunter2'");`,
    });
    const role = project.run("upgrade", "head", "-v");
    expect(role.status).toBe(1);
    expect(role.stderr).toContain("statement: CREATE ROLE app LOGIN PASSWORD '***'");
    expect(role.stdout + role.stderr).not.toContain("hunter2");
  });

  it("fails clearly without a configuration", () => {
    project = new TestProject({ init: false });
    const result = project.run("heads");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toMatch(/^FAILED: .*retort init/);
  });

  it("exits 2 on wrong usage", () => {
    project = new TestProject();
    const unknown = project.run("upgrade", "head", "--bogus");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("FAILED: unrecognized argument: --bogus\n");
    // A misspelt option names the one meant, as a misspelt command does.
    const typo = project.run("upgrade", "--sqll", "head");
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("FAILED: unrecognized argument: --sqll; did you mean '--sql'?");
    expect(project.run("--urll", "sqlite:///x.db", "current").stderr).toContain("did you mean '--url'?");
    const missing = project.run("upgrade");
    expect(missing.status).toBe(2);
    const command = project.run("frobnicate");
    expect(command.status).toBe(2);
  });

  it("takes an option by a prefix that names it alone, as argparse does; names the candidates of one that does not", () => {
    project = new TestProject();
    const abbreviated = project.run("revision", "--mess", "short flag", "--rev-id", "ab12");
    expect(abbreviated.status).toBe(0);
    expect(project.ok("history")).toContain("short flag");
    const ambiguous = project.run("revision", "--he", "x");
    expect(ambiguous.status).toBe(2);
    expect(lastLine(ambiguous.stderr)).toBe("FAILED: ambiguous option: --he could match --head, --help");
  });

  it("points an Alembic command spelled with an underscore at Retort's", () => {
    project = new TestProject();
    const result = project.run("ensure_version");
    expect(result.status).toBe(2);
    expect(lastLine(result.stderr)).toMatch(
      /^FAILED: invalid command 'ensure_version'; did you mean 'ensure-version'\?/,
    );
  });

  it("names the command a misspelt one was probably meant to be, and none for a word far from all", () => {
    project = new TestProject();
    for (const [typed, meant] of [
      ["upgarde", "upgrade"],
      ["histroy", "history"],
      ["downgrad", "downgrade"],
      ["curent", "current"],
    ]) {
      const result = project.run(typed as string, "head");
      expect(result.status).toBe(2);
      expect(lastLine(result.stderr)).toMatch(
        new RegExp(`^FAILED: invalid command '${typed}'; did you mean '${meant}'\\? \\(choose from `),
      );
    }
    const far = project.run("frobnicate");
    expect(lastLine(far.stderr)).toMatch(/^FAILED: invalid command 'frobnicate' \(choose from /);
  });

  it("refuses ranges online", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    const result = project.run("upgrade", "base:a000");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toBe("FAILED: Range revision not allowed");
  });
});

describe("a migration that fails", () => {
  it.each([
    ["an object", "throw { code: 42, detail: 'obj' };", 'the migration threw {"code":42,"detail":"obj"}, not an Error'],
    ["an object without a prototype", "throw Object.create(null);", "the migration threw {}, not an Error"],
    [
      "a proxy whose traps throw",
      "throw new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });",
      "the migration threw a value that cannot be read",
    ],
  ])("reports %s thrown instead of an Error, naming the revision, and rolls back", (_, line, reason) => {
    project = new TestProject();
    project.addRevision({
      id: "a000",
      down: null,
      upgrade: [`  await op.execute("CREATE TABLE made (id INTEGER)");`, `  ${line}`].join("\n"),
    });
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`FAILED: Upgrade of revision a000 (${project.dir}`);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain("The whole run was rolled back");
    expect(result.stderr).not.toContain("This is a bug in Retort");
    expect(project.ok("current").trim()).toBe("");
  });

  it("rolls the whole run back and says where the database is", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    project.addRevision({
      id: "b000",
      down: "a000",
      upgrade: [
        `  await op.execute("CREATE TABLE good_one (id INTEGER)");`,
        `  await op.execute("INSERT INTO no_such_table VALUES (1)");`,
      ].join("\n"),
    });
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("b000");
    expect(result.stderr).toContain("INSERT INTO no_such_table VALUES (1)");
    expect(result.stderr).toContain("no such table: no_such_table");
    expect(result.stderr).toMatch(/rolled back/i);
    const current = project.ok("current");
    expect(current.trim()).toBe("");
  });

  it("with transactionPerMigration keeps the migrations before the failing one", () => {
    project = new TestProject({ config: { transactionPerMigration: true } });
    project.addRevision({ id: "a000", down: null });
    project.addRevision({ id: "b000", down: "a000", upgrade: `  await op.execute("SELECT * FROM missing_table");` });
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("a000");
    expect(project.ok("current").trim()).toBe("a000");
  });
});

describe("more failures", () => {
  it("points to stamp --purge when the version table names a deleted revision", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null });
    const file = project.addRevision({ id: "b000", down: "a000" });
    project.ok("upgrade", "head");
    rmSync(file);
    const result = project.run("current");
    expect(result.status).toBe(1);
    expect(lastLine(result.stderr)).toContain("FAILED: Can't locate revision identified by 'b000'");
    expect(lastLine(result.stderr)).toContain("retort stamp --purge");
  });

  it("shows where a migration has a syntax error", () => {
    project = new TestProject();
    project.addRevision({ id: "a000", down: null, upgrade: "  await op.execute(;" });
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/a000_m\.ts:\d+:\d+: ERROR/);
  });

  it("names no statement when the failure is not SQL", () => {
    project = new TestProject();
    project.addRevision({
      id: "a000",
      down: null,
      upgrade: '  await op.execute("CREATE TABLE fine (id INTEGER)");\n  throw new Error("data check failed");',
    });
    const result = project.run("upgrade", "head");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Upgrade of revision a000");
    expect(result.stderr).toContain("data check failed");
    expect(result.stderr).not.toContain("statement:");
  });

  it("ends usage errors with the FAILED line", () => {
    project = new TestProject();
    const none = project.run();
    expect(none.status).toBe(2);
    expect(lastLine(none.stderr)).toBe("FAILED: no command given; run 'retort --help' for the list");
    const unknown = project.run("frobnicate");
    expect(lastLine(unknown.stderr)).toMatch(/^FAILED: invalid command 'frobnicate'/);
    expect(unknown.stderr).toContain("usage: retort [options] <command> [args] (see retort --help)");
  });
});
