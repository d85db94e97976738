import { createServer, type Server, type Socket } from "node:net";
import { type ConnectionError, parseDatabaseUrl, RetortError } from "@retort/core";
import { afterEach, describe, expect, it } from "vitest";
import { sslAttempts } from "./postgres-driver.js";
import { PostgresDriver } from "./postgres-driver.js";
import { resolvePostgresUrl } from "./postgres-url.js";
import { SERVER_URL } from "./test-support/test-database.js";

const driver = new PostgresDriver();
const resolve = (text: string, options = {}) => resolvePostgresUrl(parseDatabaseUrl(text), options);

describe("resolvePostgresUrl", () => {
  it("reads user, password, host, port, database and the query options", () => {
    const config = resolve(
      "postgresql+psycopg2://app:s%40cret@db.example:6543/app_db?sslmode=require&application_name=deploy" +
        "&connect_timeout=5&options=-c%20search_path%3Dapp&client_encoding=UTF8",
    );
    expect(config).toMatchObject({
      host: "db.example",
      port: 6543,
      user: "app",
      password: "s@cret",
      database: "app_db",
      sslMode: "require",
      applicationName: "deploy",
      connectTimeoutMs: 5000,
      options: "-c search_path=app",
      clientEncoding: "UTF8",
      target: "db.example:6543/app_db",
      secrets: ["s@cret"],
    });
  });

  it("defaults to localhost:5432, sslmode=prefer and the caller's application name", () => {
    const config = resolve("postgres://app@/app", { applicationName: "retort", sessionTimeouts: { lockTimeoutMs: 5 } });
    expect(config).toMatchObject({
      host: "localhost",
      port: 5432,
      sslMode: "prefer",
      applicationName: "retort",
      sessionTimeouts: { lockTimeoutMs: 5 },
      target: "localhost:5432/app",
      secrets: [],
    });
    expect(config.connectTimeoutMs).toBeUndefined();
    expect(resolve("postgresql+asyncpg://localhost").database).toBeUndefined();
  });

  it("takes a Unix-socket folder from ?host= and an IPv6 host in brackets", () => {
    const socket = resolve("postgresql://app@/app?host=/var/run/postgresql");
    expect(socket.host).toBe("/var/run/postgresql");
    expect(socket.target).toBe("/var/run/postgresql:5432/app");
    expect(resolve("postgresql://app@[::1]:5433/app").target).toBe("[::1]:5433/app");
  });

  it("maps sslmode to connection attempts as libpq does", () => {
    const attempts = (mode: string, extra = "") => sslAttempts(resolve(`postgresql://h/db?sslmode=${mode}${extra}`));
    expect(attempts("disable")).toEqual([false]);
    expect(attempts("allow")).toEqual([false, "encrypt"]);
    expect(attempts("prefer")).toEqual(["encrypt", false]);
    expect(attempts("require")).toEqual(["encrypt"]);
    expect(attempts("require", "&sslrootcert=/ca.pem")).toEqual(["verify-ca"]);
    expect(attempts("verify-ca")).toEqual(["verify-ca"]);
    expect(attempts("verify-full")).toEqual(["verify-full"]);
    expect(sslAttempts(resolve("postgresql://u@/db?host=/tmp&sslmode=require"))).toEqual([false]);
  });

  it("refuses unknown options, bad values and other schemes with a clear error (not a usage error)", () => {
    const refused = (text: string): RetortError => {
      try {
        resolve(text);
      } catch (error) {
        if (RetortError.isInstance(error)) return error;
        throw error;
      }
      throw new Error(`${text} was accepted`);
    };
    const unknown = refused("postgresql://u:pw@h/db?sslmod=require");
    expect(unknown.code).toBe("BAD_URL");
    expect(unknown.name).toBe("CommandError");
    expect(unknown.message).toMatch(
      /^Unknown option "sslmod" in the PostgreSQL URL \(did you mean "sslmode"\?\); supported: \?sslmode= /,
    );
    // A word far from every option gets the list alone.
    expect(refused("postgresql://h/db?frobnicate=1").message).toMatch(
      /^Unknown option "frobnicate" in the PostgreSQL URL; supported: /,
    );
    expect(unknown.message).not.toContain("pw");
    expect(refused("postgresql://h/db?sslmode=no-verify").message).toMatch(/must be one of disable, allow, prefer/);
    expect(refused("postgresql://h/db?connect_timeout=1.5").message).toMatch(/whole number of seconds/);
    expect(refused("mysql://h/db").message).toMatch(/cannot open a "mysql" URL/);
  });
});

describe("connecting: errors never show the password", () => {
  const password = "Sup3r-S3cret-pw";
  let server: Server | undefined;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((resolveClose) => (server ? server.close(resolveClose) : resolveClose(undefined)));
    server = undefined;
  });

  async function connectionFailure(text: string, options = {}): Promise<ConnectionError> {
    try {
      const connection = await driver.connect(parseDatabaseUrl(text), options);
      await connection.close();
    } catch (error) {
      return error as ConnectionError;
    }
    throw new Error(`connecting to ${text} succeeded`);
  }

  function expectNoPassword(error: ConnectionError, secret = password): void {
    expect(error.message).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
    expect(String((error.cause as Error | undefined)?.message)).not.toContain(secret);
    expect(JSON.stringify({ ...error, cause: undefined })).not.toContain(secret);
  }

  it("names host:port/database for an unreachable port", async () => {
    const error = await connectionFailure(`postgresql://postgres:${password}@127.0.0.1:1/app_db`);
    expect(RetortError.isInstance(error)).toBe(true);
    expect(error.code).toBe("CONNECTION");
    expect(error.target).toBe("127.0.0.1:1/app_db");
    expect(error.message).toBe(
      "Cannot connect to PostgreSQL at 127.0.0.1:1/app_db: connect ECONNREFUSED 127.0.0.1:1. " +
        "Is the server running on 127.0.0.1 and accepting TCP/IP connections on port 1? Check the host and port in the database URL.",
    );
    expectNoPassword(error);
  });

  it("says when the database does not exist", async () => {
    const url = new URL(SERVER_URL);
    url.password = password;
    url.pathname = "/retort_no_such_database";
    const error = await connectionFailure(url.toString());
    expect(error.message).toMatch(
      /^Cannot connect to PostgreSQL at .+\/retort_no_such_database: database "retort_no_such_database" does not exist \(3D000\)\. Create the database/,
    );
    expectNoPassword(error);
  });

  it("masks the password even where the server echoes it", async () => {
    const url = new URL(SERVER_URL);
    url.username = password;
    url.password = password;
    const error = await connectionFailure(url.toString());
    expect(error.message).toMatch(/role "\*\*\*" does not exist \(28000\)\. Check the user name/);
    expect(error.message).not.toContain(password);
  });

  it("explains a host name that does not resolve", async () => {
    const error = await connectionFailure(`postgresql://u:${password}@no-such-host.invalid/db`);
    expect(error.message).toMatch(/does not resolve: check the host in the database URL\.$/);
    expectNoPassword(error);
  });

  it("gives up after connect_timeout on a server that never answers", async () => {
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((listening) => server?.listen(0, "127.0.0.1", listening));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const started = Date.now();
    const error = await connectionFailure(`postgresql://u:${password}@127.0.0.1:${port}/db?connect_timeout=1`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.message).toMatch(/No answer within connect_timeout \(1 s\)/);
    expectNoPassword(error);
  });

  it("refuses sslmode=require against a server without SSL, and falls back to plain with prefer", async () => {
    const url = new URL(SERVER_URL);
    const ssl = await driver.connect(parseDatabaseUrl(url.toString()));
    const { rows } = await ssl.query<{ ssl: boolean }>("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    await ssl.close();
    if (rows[0]?.ssl === true) return; // the server speaks SSL: prefer used it, require would too
    url.searchParams.set("sslmode", "require");
    const error = await connectionFailure(url.toString());
    expect(error.message).toMatch(
      /The server does not support SSL connections\. .*use \?sslmode=prefer or \?sslmode=disable/,
    );
  });

  it("reports an unreadable certificate file named in the URL", async () => {
    const error = await connectionFailure(
      `postgresql://u:${password}@127.0.0.1/db?sslmode=verify-full&sslrootcert=/no/such/ca.pem`,
    );
    expect(error.message).toMatch(/the file given as \?sslrootcert= cannot be read/);
    expectNoPassword(error);
  });

  it("connects through a Unix socket given as ?host=", async () => {
    const url = new URL(SERVER_URL);
    const connection = await driver.connect(
      parseDatabaseUrl(`postgresql://${url.username}@${url.pathname}?host=/var/run/postgresql`),
    );
    const { rows } = await connection.query("SELECT inet_client_addr() AS address");
    expect(rows).toEqual([{ address: null }]);
    await connection.close();
  });
});
