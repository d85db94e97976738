import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { tableNames } from "./database.js";
import { TestProject } from "../../../tests/integration/support/test-project.js";

const repository = fileURLToPath(new URL("../../../", import.meta.url));

let project: TestProject;
afterEach(() => project?.cleanup());

/**
 * The project's TypeScript: 5 (its compiler API checks) or 7 (the native
 * compiler, whose package has no such API: its `tsc` checks).
 */
const COMPILERS = {
  "5": path.join(repository, "node_modules/typescript"),
  "7": path.join(repository, "apps/cli/node_modules/typescript-7"),
} as const;

/** A project whose node_modules holds @retort/* and, unless `typescript: false`, the TypeScript compiler. */
function typedProject(options: { typescript?: false | keyof typeof COMPILERS } = {}): TestProject {
  const p = new TestProject();
  const modules = path.join(p.dir, "node_modules");
  rmSync(modules);
  mkdirSync(modules);
  symlinkSync(path.join(repository, "tests/integration/node_modules/@retort"), path.join(modules, "@retort"), "dir");
  if (options.typescript !== false) {
    symlinkSync(COMPILERS[options.typescript ?? "5"], path.join(modules, "typescript"), "dir");
  }
  p.write(
    "retort.config.ts",
    'import { defineConfig } from "@retort/core";\n\nexport default defineConfig({ scriptLocation: "migrations", url: "sqlite:///test.db" });\n',
  );
  rmSync(path.join(p.dir, "retort.config.json"));
  p.addRevision({ id: "a1a1", down: null });
  return p;
}

const typo = [
  "  // PostgreSQL's dialect is named postgresql",
  '  if (op.getBind().dialect.name === "postgres") return;',
  '  await op.createTable("t_b2b2", column("id", integer(), { primaryKey: true }));',
].join("\n");

describe("check-types", () => {
  it("init writes the script folder's tsconfig.json over the shipped preset", () => {
    project = typedProject();
    expect(JSON.parse(readFileSync(path.join(project.dir, "migrations", "tsconfig.json"), "utf8"))).toEqual({
      extends: "@retort/core/tsconfig",
      include: ["**/*.ts", "../retort.config.ts"],
    });
  });

  it("fails on a version location that does not exist, as the graph commands do", () => {
    project = typedProject();
    const config = project.write(
      "retort.config.ts",
      'import { defineConfig } from "@retort/core";\n\nexport default defineConfig({ scriptLocation: "migrations", versionLocations: ["migrations/versions", "migrations/nope"], url: "sqlite:///test.db" });\n',
    );
    const result = project.run("check-types");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `Version location ${path.join(project.dir, "migrations", "nope")} does not exist (versionLocations[1] in ${config}).`,
    );
  });

  it("says how to install TypeScript when the project has none", () => {
    project = typedProject({ typescript: false });
    const result = project.run("check-types");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `FAILED: TypeScript is not installed in this project (no 'typescript' package found from ${project.dir}). Type-checking uses the project's own compiler: install it with 'npm install --save-dev typescript' (or 'pnpm add -D typescript', 'yarn add -D typescript'), then run the command again.`,
    );
  });
});

describe.each(["5", "7"] as const)("check-types with TypeScript %s", (compiler) => {
  it("passes a clean project: the migrations and the config", () => {
    project = typedProject({ typescript: compiler });
    const out = project.ok("check-types");
    expect(out).toMatch(/^No type errors in 2 files \(TypeScript \d+\.\d+\.\d+\)\.\n$/);
  });

  it("names the file and line of each type error, the config's too, and fails", () => {
    project = typedProject({ typescript: compiler });
    const file = project.addRevision({ id: "b2b2", down: "a1a1", upgrade: typo });
    const line =
      readFileSync(file, "utf8").split("\n").indexOf('  if (op.getBind().dialect.name === "postgres") return;') + 1;
    project.write(
      "retort.config.ts",
      'import { defineConfig } from "@retort/core";\n\nconst timeout: number = "60s";\nexport default defineConfig({ scriptLocation: "migrations", url: "sqlite:///test.db", lock: { timeoutMs: 1 } });\n',
    );
    const result = project.run("check-types");
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toEqual([
      `migrations/versions/b2b2_m.ts:${line}:7 - error TS2367: This comparison appears to be unintentional because the types 'keyof DialectNames' and '"postgres"' have no overlap.`,
      "retort.config.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      /^FAILED: 2 type errors in 2 files \(TypeScript \d+\.\d+\.\d+, 3 files checked\)$/,
    );
  });

  it("checks the declared schema module the config names", () => {
    project = typedProject({ typescript: compiler });
    project.write(
      "src/schema.ts",
      'import { column, integer, table } from "@retort/core";\n\nexport const users = table("users", column("id", integer(), { primaryKey: "yes" }));\n',
    );
    project.write(
      "retort.config.ts",
      'import { defineConfig } from "@retort/core";\n\nexport default defineConfig({ scriptLocation: "migrations", url: "sqlite:///test.db", schema: "./src/schema.ts" });\n',
    );
    const result = project.run("check-types");
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      "src/schema.ts:3:63 - error TS2322: Type 'string' is not assignable to type 'boolean | undefined'.\n",
    );
    expect(result.stderr).toMatch(/FAILED: 1 type error in 1 file \(TypeScript [\d.]+, 3 files checked\)\n$/);
  });

  it("upgrade --typecheck runs nothing on a type error, and runs a clean project", () => {
    project = typedProject({ typescript: compiler });
    project.addRevision({ id: "b2b2", down: "a1a1", upgrade: typo });
    const failed = project.run("upgrade", "head", "--typecheck");
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("migrations/versions/b2b2_m.ts:");
    expect(failed.stderr).toMatch(
      /FAILED: 1 type error in 1 file \(TypeScript [\d.]+, 3 files checked\); nothing was run\n$/,
    );
    expect(existsSync(project.dbPath)).toBe(false);
    project.addRevision({ id: "b2b2", down: "a1a1" });
    const ran = project.run("upgrade", "head", "--typecheck");
    expect(ran.status).toBe(0);
    expect(ran.stderr).toMatch(/No type errors in 3 files/);
    expect(tableNames(project.dbPath)).toEqual(["alembic_version", "t_a1a1", "t_b2b2"]);
  });

  it("reports the compiler's version and leaves no file behind", () => {
    project = typedProject({ typescript: compiler });
    const out = project.ok("check-types");
    expect(out).toMatch(new RegExp(`\\(TypeScript ${compiler}\\.\\d+\\.\\d+\\)\\.\\n$`));
    expect(readdirSync(path.join(project.dir, "migrations")).sort()).toEqual([
      "script.ts.template",
      "tsconfig.json",
      "versions",
    ]);
  });
});
