import { parseDatabaseUrl } from "@retort/core";
import { describe, expect, it } from "vitest";
import { resolveMysqlUrl } from "./mysql-url.js";

const resolve = (text: string) => resolveMysqlUrl(parseDatabaseUrl(text));

describe("resolveMysqlUrl", () => {
  it("names the option a misspelt one was probably meant to be, never the password", () => {
    expect(() => resolve("mysql://app:hunter2@db/app?charst=utf8mb4")).toThrow(
      /^Unknown option "charst" in the MySQL URL \(did you mean "charset"\?\); supported: \?charset= /,
    );
    expect(() => resolve("mysql://app:hunter2@db/app?sslmode=REQUIRED")).toThrow(/\(did you mean "ssl_mode"\?\)/);
    expect(() => resolve("mysql://app:hunter2@db/app?frobnicate=1")).toThrow(
      /^Unknown option "frobnicate" in the MySQL URL; supported: /,
    );
    try {
      resolve("mysql://app:hunter2@db/app?charst=utf8mb4");
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});
