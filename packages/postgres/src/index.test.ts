import { parseDatabaseUrl } from "@retort/core";
import { describe, expect, it } from "vitest";
import defaultDriver, { driver, PostgresConnection, PostgresDialect, PostgresDriver } from "./index.js";
import { SERVER_URL } from "./test-support/test-database.js";

describe("@retort/postgres entry point", () => {
  it("exports the driver by name and as default", async () => {
    expect(defaultDriver).toBe(driver);
    expect(driver).toBeInstanceOf(PostgresDriver);
    expect(driver.schemes).toEqual(["postgresql", "postgres"]);
    expect(driver.dialect).toBeInstanceOf(PostgresDialect);
    const connection = await driver.connect(parseDatabaseUrl(SERVER_URL));
    expect(connection).toBeInstanceOf(PostgresConnection);
    expect(connection.dialect).toBe(driver.dialect);
    expect((await connection.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await connection.close();
  });
});
