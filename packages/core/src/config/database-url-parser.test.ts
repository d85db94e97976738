import { describe, expect, it } from "vitest";
import { isInMemorySqlite, maskUrl, parseDatabaseUrl, resolveDatabaseUrl } from "./database-url-parser.js";

describe("parseDatabaseUrl", () => {
  it.each([
    ["sqlite:///relative.db", { scheme: "sqlite", database: "relative.db" }],
    ["sqlite:////abs/path.db", { scheme: "sqlite", database: "/abs/path.db" }],
    ["sqlite://", { scheme: "sqlite" }],
    ["sqlite:///:memory:", { scheme: "sqlite", database: ":memory:" }],
    [
      "postgresql://user:pw@host:5433/db?sslmode=require",
      {
        scheme: "postgresql",
        username: "user",
        password: "pw",
        host: "host",
        port: 5433,
        database: "db",
        query: { sslmode: "require" },
      },
    ],
    ["postgres://u@localhost/app", { scheme: "postgres", username: "u", host: "localhost", database: "app" }],
    ["postgresql+psycopg2://u:p@h/d", { scheme: "postgresql", driverName: "psycopg2", password: "p" }],
    ["postgresql+asyncpg://u:p@h/d", { scheme: "postgresql", driverName: "asyncpg" }],
    ["mysql://root:secret@127.0.0.1:3306/shop", { scheme: "mysql", host: "127.0.0.1", port: 3306, database: "shop" }],
    [
      "mysql+pymysql://root@db/shop?charset=utf8mb4",
      { scheme: "mysql", driverName: "pymysql", query: { charset: "utf8mb4" } },
    ],
    ["mariadb://root@db/shop", { scheme: "mariadb" }],
    ["postgresql://u:p@[::1]:5432/d", { host: "::1", port: 5432 }],
    ["POSTGRESQL://u@h/d", { scheme: "postgresql" }],
  ])("parses %s", (raw, expected) => {
    const url = parseDatabaseUrl(raw);
    expect(url).toMatchObject(expected);
    expect(url.raw).toBe(raw);
  });

  it("percent-decodes the user name and password", () => {
    const url = parseDatabaseUrl("postgresql://app%40corp:p%40ss%3Aw%2Fd@db/app");
    expect(url.username).toBe("app@corp");
    expect(url.password).toBe("p@ss:w/d");
  });

  it("keeps a malformed escape as written, as Python's unquote does", () => {
    expect(parseDatabaseUrl("postgresql://u:100%@db/app").password).toBe("100%");
  });

  it("has no database, user or port keys when the URL has none", () => {
    const url = parseDatabaseUrl("sqlite://");
    expect(Object.keys(url).sort()).toEqual(["query", "raw", "scheme"]);
    expect(isInMemorySqlite(url)).toBe(true);
    expect(isInMemorySqlite(parseDatabaseUrl("sqlite:///:memory:"))).toBe(true);
    expect(isInMemorySqlite(parseDatabaseUrl("sqlite:///app.db"))).toBe(false);
  });

  it.each([
    ["not a url at all hunter2", "hunter2"],
    ["postgresql//user:hunter2@host/db", "hunter2"],
    ["postgresql://user:hunter2@host:port/db", "hunter2"],
    ["postgresql://user:hunt@er2@host/db", "hunt"],
  ])("rejects %s without echoing the password", (raw, secret) => {
    let message = "";
    try {
      parseDatabaseUrl(raw);
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code?: string }).code).toBe("BAD_URL");
    }
    expect(message).toMatch(/Could not parse the database URL/);
    expect(message).not.toContain(secret);
  });

  it("tells how to write an @ in a password", () => {
    expect(() => parseDatabaseUrl("postgresql://user:p@ss@host/db")).toThrow(/%40/);
  });
});

describe("maskUrl", () => {
  it.each([
    ["postgresql://app:secret@db:5432/app?sslmode=require", "postgresql://app:***@db:5432/app?sslmode=require"],
    ["postgresql+asyncpg://app:secret@db/app", "postgresql+asyncpg://app:***@db/app"],
    ["postgresql://app@db/app", "postgresql://app@db/app"],
    ["postgresql://app:@db/app", "postgresql://app:***@db/app"],
    ["sqlite:///relative.db", "sqlite:///relative.db"],
    ["sqlite:////abs/path.db", "sqlite:////abs/path.db"],
    ["sqlite://", "sqlite://"],
    ["mysql://root:x@[::1]:3306/shop", "mysql://root:***@[::1]:3306/shop"],
    ["postgresql://db/app?user=app&password=secret", "postgresql://db/app?user=app&password=***"],
    ["postgresql://us%40er:s%40cret@db/app", "postgresql://us%40er:***@db/app"],
  ])("masks %s", (raw, masked) => {
    expect(maskUrl(raw)).toBe(masked);
    expect(maskUrl(parseDatabaseUrl(raw))).toBe(masked);
  });

  it("masks a string that does not parse", () => {
    expect(maskUrl("postgresql://user:secret@host:port/db")).toBe("postgresql://***@host:port/db");
    expect(maskUrl("secret")).not.toContain("secret");
  });
});

describe("resolveDatabaseUrl", () => {
  it("prefers --url, then DATABASE_URL, then the config", () => {
    const env = { DATABASE_URL: "sqlite:///env.db" };
    expect(resolveDatabaseUrl({ cliUrl: "sqlite:///cli.db", env, configUrl: "sqlite:///config.db" })).toBe(
      "sqlite:///cli.db",
    );
    expect(resolveDatabaseUrl({ env, configUrl: "sqlite:///config.db" })).toBe("sqlite:///env.db");
    expect(resolveDatabaseUrl({ env: {}, configUrl: "sqlite:///config.db" })).toBe("sqlite:///config.db");
    expect(resolveDatabaseUrl({ env: { DATABASE_URL: "" }, configUrl: "sqlite:///config.db" })).toBe(
      "sqlite:///config.db",
    );
  });

  it("names the three ways when there is none", () => {
    expect(() => resolveDatabaseUrl({ env: {} })).toThrow(/--url.*DATABASE_URL.*url in retort\.config\.ts/);
    expect(() => resolveDatabaseUrl({ env: {}, configFile: "retort.config.json" })).toThrow(
      /or set url in retort\.config\.json$/,
    );
  });
});
