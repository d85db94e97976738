import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Driver } from "@retort/core";
import { driver as sqliteDriver } from "@retort/sqlite";

/**
 * A database the scenarios run against. Each test file gets a fresh one
 * and drops it afterwards. PostgreSQL and MySQL join this list in their
 * own issues; a database listed here that cannot be reached fails the run.
 */
export interface TestDatabase {
  readonly dialect: string;
  readonly url: string;
  drop(): Promise<void>;
}

export interface DialectHarness {
  readonly name: string;
  readonly driver: Driver;
  create(): Promise<TestDatabase>;
}

export const sqliteHarness: DialectHarness = {
  name: "sqlite",
  driver: sqliteDriver,
  async create() {
    const dir = mkdtempSync(path.join(os.tmpdir(), "retort-it-"));
    return {
      dialect: "sqlite",
      url: `sqlite:///${path.join(dir, "test.db")}`,
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const harnesses: readonly DialectHarness[] = [sqliteHarness];
