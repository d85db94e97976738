import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Database, databaseOptions } from "./better-sqlite3.js";

describe("databaseOptions", () => {
  it("names better-sqlite3's compiled addon, so that the bindings package's search is skipped", () => {
    const options = databaseOptions({ timeout: 1234 });
    expect(options.timeout).toBe(1234);
    const addon = options.nativeBinding;
    expect(typeof addon).toBe("string");
    expect(path.isAbsolute(addon as string)).toBe(true);
    expect(path.basename(addon as string)).toBe("better_sqlite3.node");
    expect(fs.statSync(addon as string).isFile()).toBe(true);
  });

  it("opens databases with it, more than once", () => {
    for (let round = 0; round < 2; round++) {
      const database = new Database(":memory:", databaseOptions());
      try {
        expect(database.prepare("SELECT 1 AS one").get()).toEqual({ one: 1 });
      } finally {
        database.close();
      }
    }
  });
});
