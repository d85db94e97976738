import { describe, expect, it } from "vitest";
import defaultDriver, { driver, SqliteConnection, SqliteDialect, SqliteDriver } from "./index.js";
import { sqliteUrl } from "./test-support/temp-database.js";

describe("@retort/sqlite entry point", () => {
  it("exports the driver by name and as default", async () => {
    expect(defaultDriver).toBe(driver);
    expect(driver).toBeInstanceOf(SqliteDriver);
    expect(driver.schemes).toEqual(["sqlite"]);
    expect(driver.dialect).toBeInstanceOf(SqliteDialect);
    const connection = await driver.connect(sqliteUrl(""));
    expect(connection).toBeInstanceOf(SqliteConnection);
    expect(connection.dialect).toBe(driver.dialect);
    await connection.close();
  });
});
