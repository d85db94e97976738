import path from "node:path";
import { type RetortConfig, stamp, upgrade, upgradeSql } from "@retort/core";
import { afterAll, describe, expect, it } from "vitest";
import { harnesses, type TestDatabase } from "./dialects.js";
import { TestProject } from "./support/test-project.js";

/**
 * A statement's values and placeholders: `--sql` refuses exactly what the
 * driver refuses online, so a script is never printed for a migration
 * that cannot run, and never refused for one that can. Each case runs
 * online on the real server, then offline; both must end as expected.
 */
type Case = readonly [sql: string, parameters: readonly unknown[], runs: boolean];

const cases: Record<string, readonly Case[]> = {
  sqlite: [
    ["SELECT 1", [5], false],
    ["SELECT ?", [1, 2], false],
    ["SELECT ?, ?", [1], false],
    ["SELECT ?", [], false],
    ["SELECT :a", [1], false],
    ["SELECT :a", [], false],
    ["SELECT ?1", [1], false],
    ["SELECT ?", [1], true],
    ["SELECT '?', ?, x$y FROM (SELECT 1 AS x$y)", [1], true],
    // Several statements without values run as a script: an unbound placeholder is NULL.
    ["CREATE TEMP TABLE p (a); INSERT INTO p VALUES (?)", [], true],
  ],
  postgresql: [
    ["SELECT 1", [5], false],
    ["SELECT $1::int", [1, 2], false],
    ["SELECT $2::int", [1, 2], false],
    ["SELECT $1", [], false],
    ["SELECT $1::int, $1::int", [1], true],
    ["SELECT '$1', $1::int", [1], true],
    ["SELECT 1 AS a$1", [], true],
  ],
  mysql: [
    // mysql2 writes the values into the text itself and would drop the ones left over, and send a
    // `?` without a value as it is: the connection refuses both before sending.
    ["SELECT 1", [5], false],
    ["SELECT ?", [1, 2], false],
    ["SELECT ?, ?", [1, 2, 3], false],
    ["SELECT ?, ?", [1], false],
    ["SELECT ?", [], false],
    ["SELECT '?', ?", [1], true],
    // As mysql2 reads them: a backslash escape in a string, a # comment, ?? for a name.
    ["SELECT 'it\\'s ?', ?", [1], true],
    ["SELECT ? # a comment, or ?\n", [1], true],
    ["SELECT ?? FROM (SELECT 1 AS a) AS t", ["a"], true],
  ],
};

for (const harness of harnesses) {
  describe(`statement values on ${harness.name}, online and with --sql`, () => {
    let database: TestDatabase | undefined;
    const projects: TestProject[] = [];
    afterAll(async () => {
      for (const project of projects) project.cleanup();
      await database?.drop();
    });

    const dialectCases = cases[harness.driver.dialect.name] ?? [];
    it("has cases for this dialect", () => {
      expect(dialectCases.length).toBeGreaterThan(4);
    });

    dialectCases.forEach(([sql, parameters, runs], index) => {
      it(`${sql} with ${JSON.stringify(parameters)} ${runs ? "runs" : "fails"} both ways`, async () => {
        database ??= await harness.create();
        const project = new TestProject({ url: database.url });
        projects.push(project);
        const id = `p${String(index).padStart(3, "0")}`;
        project.addRevision({
          id,
          down: null,
          upgrade: `  await op.execute(${JSON.stringify(sql)}, ${JSON.stringify(parameters)});`,
          downgrade: "",
        });
        const config: RetortConfig = { scriptLocation: path.join(project.dir, "migrations"), url: database.url };
        const options = { cwd: project.dir, env: {}, driver: harness.driver };

        const online = await upgrade(config, "head", options).then(
          () => undefined,
          (error: unknown) => error as Error,
        );
        expect(online === undefined, online?.message).toBe(runs);
        if (online === undefined) await stamp(config, "base", options);
        if (online !== undefined && harness.driver.dialect.name === "mysql" && parameters.length > 0) {
          // Refused before mysql2 writes the values in (it would have run the statement anyway).
          expect(online.message).toContain(`statement: ${sql}`);
          expect(online.message).toContain("the statement was not sent to mysql");
        }

        const offline = await upgradeSql(config, "head", options).then(
          (result) => result.script,
          (error: unknown) => error as Error,
        );
        if (runs) {
          expect(typeof offline === "string" ? offline : offline.message).toContain(`-- Running upgrade  -> ${id}`);
          return;
        }
        expect(offline).toBeInstanceOf(Error);
        const message = (offline as Error).message;
        expect(message).toContain(`Upgrade of revision ${id} (${path.join(project.dir, "migrations", "versions")}`);
        expect(message).toContain(`statement: ${sql}`);
        expect(message).toContain("so --sql does not write it either");
      });
    });
  });
}
