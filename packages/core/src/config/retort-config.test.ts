import path from "node:path";
import { describe, expect, it } from "vitest";
import { defineConfig, resolveConfig } from "./retort-config.js";

describe("defineConfig", () => {
  it("returns the configuration unchanged", () => {
    const config = { scriptLocation: "db/migrations", url: "sqlite:///app.db" };
    expect(defineConfig(config)).toBe(config);
  });
});

describe("resolveConfig", () => {
  const base = path.resolve("/project");

  it("applies every default", () => {
    const resolved = resolveConfig({}, base);
    expect(resolved).toEqual({
      configFile: undefined,
      directory: base,
      scriptLocation: path.join(base, "migrations"),
      url: undefined,
      versionLocations: [path.join(base, "migrations", "versions")],
      recursiveVersionLocations: false,
      fileTemplate: "{rev}_{slug}",
      truncateSlugLength: 40,
      timezone: undefined,
      versionTable: "alembic_version",
      versionTableSchema: undefined,
      versionTablePk: true,
      transactionPerMigration: false,
      schema: undefined,
      compareType: true,
      compareServerDefault: false,
      includeObject: undefined,
      includeName: undefined,
      postWriteHooks: [],
      lock: { enabled: true, timeoutMs: 60000 },
      sessionTimeouts: {},
    });
  });

  it("makes paths absolute from the config file's folder", () => {
    const resolved = resolveConfig(
      { scriptLocation: "db", versionLocations: ["db/a", "/elsewhere/b"], schema: "./src/schema.ts" },
      base,
      "retort.config.ts",
    );
    expect(resolved.configFile).toBe(path.join(base, "retort.config.ts"));
    expect(resolved.scriptLocation).toBe(path.join(base, "db"));
    expect(resolved.versionLocations).toEqual([path.join(base, "db", "a"), path.resolve("/elsewhere/b")]);
    expect(resolved.schema).toBe(path.join(base, "src", "schema.ts"));
  });

  it("gives the same result when resolving a resolved configuration", () => {
    const once = resolveConfig({ scriptLocation: "db", lock: { timeoutMs: 5 } }, base, "retort.config.ts");
    const twice = resolveConfig(once, "/somewhere/else");
    expect(twice).toEqual(once);
    expect(twice.lock).toEqual({ enabled: true, timeoutMs: 5 });
  });

  it("keeps a schema module object as it is", () => {
    const schema = { users: {} };
    expect(resolveConfig({ schema }, base).schema).toBe(schema);
  });

  it.each([
    [{ scriptLoction: "x" }, "Unknown option 'scriptLoction' in /p/retort.config.ts; did you mean 'scriptLocation'?"],
    [{ script_location: "x" }, "did you mean 'scriptLocation'?"],
    [{ "sqlalchemy.url": "x" }, "did you mean 'url'?"],
    [
      { truncateSlugLength: "40" },
      "Option 'truncateSlugLength' in /p/retort.config.ts must be a positive integer, got the string \"40\"",
    ],
    [
      { versionLocations: "a b" },
      "Option 'versionLocations' in /p/retort.config.ts must be an array of non-empty strings",
    ],
    [{ recursiveVersionLocations: "true" }, "must be true or false"],
    [{ lock: { timeoutMs: "1" } }, "Option 'lock'"],
    [{ sessionTimeouts: { lockTimeoutMs: -1 } }, "Option 'sessionTimeouts'"],
    [
      { sessionTimeouts: { idle: 5 } },
      "Unknown option 'idle' in 'sessionTimeouts' of /p/retort.config.ts. Known options: lockTimeoutMs, statementTimeoutMs",
    ],
    [
      { lock: { enable: true } },
      "Unknown option 'enable' in 'lock' of /p/retort.config.ts; did you mean 'enabled'? Known options: enabled, timeoutMs",
    ],
    [
      { lock: { timeoutMS: 5, enabled: undefined } },
      "Unknown option 'timeoutMS' in 'lock' of /p/retort.config.ts; did you mean 'timeoutMs'?",
    ],
    [{ sessionTimeouts: { lock_timeout_ms: 5 } }, "did you mean 'lockTimeoutMs'?"],
    [
      { postWriteHooks: [{ type: "exec", command: "prettier", arg: ["--write"] }] },
      "Unknown option 'arg' in 'postWriteHooks[0]' of /p/retort.config.ts; did you mean 'args'?",
    ],
    [{ transactionPerMigraton: true }, "did you mean 'transactionPerMigration'?"],
    [
      { postWriteHooks: [{ command: "prettier" }] },
      `Option 'postWriteHooks' in /p/retort.config.ts: postWriteHooks[0] has type undefined instead of "exec"`,
    ],
    [
      { postWriteHooks: [() => undefined, { type: "exec" }] },
      "Option 'postWriteHooks' in /p/retort.config.ts: postWriteHooks[1] has no command (a string: the program to run)",
    ],
    [
      { postWriteHooks: [{ type: "console_scripts", entrypoint: "black" }] },
      `postWriteHooks[0] has type "console_scripts", an Alembic hook type Retort does not run: run the tool with { type: "exec", command, args }`,
    ],
    [{ zzzqqq: 1 }, "Unknown option 'zzzqqq' in /p/retort.config.ts. Known options: scriptLocation"],
    [{ includeObject: true }, "Option 'includeObject' in /p/retort.config.ts must be a function"],
  ])("rejects %j naming the file and the key", (config, message) => {
    expect(() => resolveConfig(config as never, "/p", "/p/retort.config.ts")).toThrow(message);
    try {
      resolveConfig(config as never, "/p", "/p/retort.config.ts");
    } catch (error) {
      expect((error as { code?: string }).code).toBe("CONFIG_INVALID");
    }
  });

  it("accepts hooks and callbacks", () => {
    const hook = (file: string) => void file;
    const resolved = resolveConfig(
      {
        postWriteHooks: [
          hook,
          { type: "exec", command: "npx", args: ["prettier", "--write", "REVISION_SCRIPT_FILENAME"] },
        ],
        compareType: () => undefined,
        includeName: () => true,
        lock: { enabled: false },
      },
      base,
    );
    expect(resolved.postWriteHooks).toHaveLength(2);
    expect(resolved.lock).toEqual({ enabled: false, timeoutMs: 60000 });
  });

  it("rejects a configuration that is not an object", () => {
    expect(() => resolveConfig([] as never, "/p", "/p/retort.config.json")).toThrow(
      "/p/retort.config.json must export a configuration object as default",
    );
  });
});
