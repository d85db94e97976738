import { parseDatabaseUrl } from "@retort/core";
import { afterAll, beforeAll } from "vitest";
import type { DialectHarness, TestDatabase } from "../dialects.js";
import { TestProject } from "./test-project.js";

/** The database and project of a suite (see `suiteProject`), once its `beforeAll` has run. */
export interface SuiteProject {
  readonly database: TestDatabase;
  readonly project: TestProject;
  /** Runs `fn` on a connection of the suite's database, closed after. */
  withConnection<T>(
    fn: (connection: Awaited<ReturnType<DialectHarness["driver"]["connect"]>>) => Promise<T>,
  ): Promise<T>;
}

/**
 * A fresh database of `harness` and a project on it (its config given
 * `config`), made before the tests of the enclosing `describe` and removed
 * after them. Call it inside the `describe`.
 */
export function suiteProject(harness: DialectHarness, config: Record<string, unknown>): SuiteProject {
  let database: TestDatabase | undefined;
  let project: TestProject | undefined;
  beforeAll(async () => {
    database = await harness.create();
    project = new TestProject({ url: database.url, config });
  });
  afterAll(async () => {
    project?.cleanup();
    await database?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("suiteProject is used before its beforeAll ran");
    return value;
  };
  return {
    get database() {
      return ready(database);
    },
    get project() {
      return ready(project);
    },
    async withConnection(fn) {
      const connection = await harness.driver.connect(parseDatabaseUrl(ready(database).url), {
        cwd: ready(project).dir,
      });
      try {
        return await fn(connection);
      } finally {
        await connection.close();
      }
    },
  };
}
