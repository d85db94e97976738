import { parseDatabaseUrl } from "@retort/core";
import { describe, expect, it } from "vitest";
import { driver, mariadbDriver } from "./index.js";

/** What a `--sql` script is written in: it has no server to ask, so the URL decides. */
describe("MysqlDriver.offlineDialect", () => {
  it("writes MariaDB's SQL for a mariadb:// URL, whatever the driver part", () => {
    for (const url of ["mariadb://app@db/app", "mariadb+mariadbconnector://app@db/app", "MariaDB://app@db/app"]) {
      const dialect = driver.offlineDialect(parseDatabaseUrl(url));
      expect(dialect.flavor).toBe("mariadb");
      expect(dialect.compile({ kind: "dropConstraint", name: "ck", table: "t", type: "check" })).toEqual([
        { sql: "ALTER TABLE `t` DROP CONSTRAINT `ck`", parameters: [] },
      ]);
    }
    // One dialect object, made once.
    expect(driver.offlineDialect(parseDatabaseUrl("mariadb://x@h/d"))).toBe(
      driver.offlineDialect(parseDatabaseUrl("mariadb://y@h/e")),
    );
  });

  it("writes the driver's own dialect for mysql:// (MySQL 8's, or MariaDB's for mariadbDriver)", () => {
    const mysqlUrl = parseDatabaseUrl("mysql+pymysql://app@db/app");
    expect(driver.offlineDialect(mysqlUrl)).toBe(driver.dialect);
    expect(
      driver.offlineDialect(mysqlUrl).compile({ kind: "dropConstraint", name: "ck", table: "t", type: "check" }),
    ).toEqual([{ sql: "ALTER TABLE `t` DROP CHECK `ck`", parameters: [] }]);
    expect(mariadbDriver.offlineDialect(mysqlUrl)).toBe(mariadbDriver.dialect);
    expect(mariadbDriver.offlineDialect(parseDatabaseUrl("mariadb://app@db/app"))).toBe(mariadbDriver.dialect);
  });
});
