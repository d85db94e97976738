import { describe, expect, it } from "vitest";
import { driverPackageForScheme } from "./driver-package.js";

describe("driverPackageForScheme", () => {
  it.each([
    ["sqlite", "@retort/sqlite"],
    ["postgresql", "@retort/postgres"],
    ["postgres", "@retort/postgres"],
    ["postgresql+asyncpg", "@retort/postgres"],
    ["mysql", "@retort/mysql"],
    ["mysql+pymysql", "@retort/mysql"],
    ["mariadb", "@retort/mysql"],
    ["MySQL", "@retort/mysql"],
  ])("%s → %s", (scheme, packageName) => {
    expect(driverPackageForScheme(scheme)).toBe(packageName);
  });

  it("lists the supported schemes for an unknown one", () => {
    expect(() => driverPackageForScheme("oracle")).toThrow(
      "No Retort driver for database URLs of scheme 'oracle'; supported schemes: sqlite, postgresql, postgres, mysql, mariadb",
    );
    expect(() => driverPackageForScheme("toString")).toThrow(/supported schemes/);
  });
});
