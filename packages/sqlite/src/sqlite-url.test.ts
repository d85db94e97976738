import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sqliteUrl } from "./test-support/temp-database.js";
import { isInMemorySqlite, parseDatabaseUrl } from "@retort/core";
import { DEFAULT_BUSY_TIMEOUT_MS, resolveSqliteUrl } from "./sqlite-url.js";

describe("resolveSqliteUrl", () => {
  it("resolves a relative path against cwd, keeps an absolute one", () => {
    expect(resolveSqliteUrl(sqliteUrl("data/app.db"), { cwd: "/srv/project" }).filename).toBe(
      join("/srv/project", "data/app.db"),
    );
    expect(resolveSqliteUrl(sqliteUrl("app.db")).filename).toBe(join(process.cwd(), "app.db"));
    expect(resolveSqliteUrl(sqliteUrl("/var/db/app.db"), { cwd: "/srv" }).filename).toBe("/var/db/app.db");
  });

  it("refuses a URL with a host (sqlite://app.db, two slashes), as SQLAlchemy, naming the form meant", () => {
    expect(() => resolveSqliteUrl(parseDatabaseUrl("sqlite://app.db"))).toThrow(
      'Invalid SQLite URL: sqlite://app.db has a host part (before the third "/"), which a SQLite file has not. ' +
        "Valid SQLite URL forms are: sqlite:///:memory: (or, sqlite://), sqlite:///relative/path/to/file.db, " +
        "sqlite:////absolute/path/to/file.db. Did you mean sqlite:///app.db?",
    );
    expect(() => resolveSqliteUrl(parseDatabaseUrl("sqlite://data/app.db"))).toThrow(
      "Did you mean sqlite:///data/app.db?",
    );
    // No password in the message.
    expect(() => resolveSqliteUrl(parseDatabaseUrl("sqlite://u:S3cret@host/app.db"))).toThrow(
      /^Invalid SQLite URL: sqlite:\/\/host\/app\.db has a host part/,
    );
    expect(isInMemorySqlite(parseDatabaseUrl("sqlite://app.db"))).toBe(false);
    expect(isInMemorySqlite(parseDatabaseUrl("sqlite://"))).toBe(true);
  });

  it("opens memory for an empty path and :memory:", () => {
    expect(resolveSqliteUrl(sqliteUrl(""))).toMatchObject({ filename: ":memory:", memory: true });
    expect(resolveSqliteUrl({ scheme: "sqlite", query: {}, raw: "sqlite://" })).toMatchObject({ memory: true });
    expect(resolveSqliteUrl(sqliteUrl(":memory:"))).toMatchObject({ filename: ":memory:", memory: true });
  });

  it("reads timeout in seconds and foreign_keys; the URL's timeout wins over lockTimeoutMs", () => {
    expect(resolveSqliteUrl(sqliteUrl("a.db")).busyTimeoutMs).toBe(DEFAULT_BUSY_TIMEOUT_MS);
    expect(resolveSqliteUrl(sqliteUrl("a.db", { timeout: "2.5" })).busyTimeoutMs).toBe(2500);
    expect(resolveSqliteUrl(sqliteUrl("a.db", { timeout: "2.5" }), { lockTimeoutMs: 100 }).busyTimeoutMs).toBe(2500);
    expect(resolveSqliteUrl(sqliteUrl("a.db"), { lockTimeoutMs: 100 }).busyTimeoutMs).toBe(100);
    expect(resolveSqliteUrl(sqliteUrl("a.db")).foreignKeys).toBe(false);
    expect(resolveSqliteUrl(sqliteUrl("a.db", { foreign_keys: "on" })).foreignKeys).toBe(true);
    expect(resolveSqliteUrl(sqliteUrl("a.db", { foreign_keys: "OFF" })).foreignKeys).toBe(false);
    expect(resolveSqliteUrl(sqliteUrl("a.db", { check_same_thread: "false" })).filename).toContain("a.db");
  });

  it("refuses bad options and other schemes", () => {
    expect(() => resolveSqliteUrl(sqliteUrl("a.db", { timeout: "soon" }))).toThrow(/must be a number of seconds/);
    expect(() => resolveSqliteUrl(sqliteUrl("a.db", { foreign_keys: "maybe" }))).toThrow(/must be on or off/);
    expect(() => resolveSqliteUrl(sqliteUrl("a.db", { journal: "wal" }))).toThrow(/Unknown option "journal"/);
    expect(() => resolveSqliteUrl(sqliteUrl("a.db", { timout: "5" }))).toThrow(
      /^Unknown option "timout" in the SQLite URL \(did you mean "timeout"\?\); supported: /,
    );
    expect(() => resolveSqliteUrl({ scheme: "postgresql", query: {}, raw: "postgresql://x" })).toThrow(/postgresql/);
  });
});
