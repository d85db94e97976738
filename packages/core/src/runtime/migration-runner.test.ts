import { describe, expect, it } from "vitest";
import type { Dialect, DialectCapabilities } from "../driver/driver.js";
import { graphOf } from "../graph/test-support/graph-of.js";
import type { RevisionSource } from "../graph/revision-source.js";
import type { CompiledStatement, Operation } from "../operations/operation.js";
import type { Operations } from "../operations/operations.js";
import { ScriptStatementSink } from "../pipeline/script-statement-sink.js";
import { stubDialect } from "../test-support/stub-dialect.js";
import { MigrationFailedError } from "./migration-error.js";
import type { MigrationModule } from "./migration-module.js";
import { planDowngrade, planStamp, planUpgrade, type MigrationStep } from "./migration-plan.js";
import { runMigrations, type RunnerOptions } from "./migration-runner.js";

/**
 * The runner driven offline: a `ScriptStatementSink` (no database) and an
 * in-memory graph whose modules are plain objects. The script is what the
 * runner sent through the sink, in order.
 */

/** A small dialect: `$n` placeholders (or `?`), double-quoted names, a CREATE TABLE and raw SQL only. */
function testDialect(options: { transactionalDdl: boolean; placeholder?: "numbered" | "question" }): Dialect {
  const capabilities: DialectCapabilities = {
    ...stubDialect().capabilities,
    transactionalDdl: options.transactionalDdl,
  };
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return {
    name: "testdb",
    capabilities,
    quoteIdentifier: quote,
    renderLiteral: (value) =>
      value === null || value === undefined
        ? "NULL"
        : typeof value === "number"
          ? String(value)
          : `'${String(value).replaceAll("'", "''")}'`,
    placeholder: (index) => (options.placeholder === "question" ? "?" : `$${index}`),
    compile(operation: Operation): CompiledStatement[] {
      if (operation.kind === "execute") return [{ sql: operation.sql, parameters: operation.parameters ?? [] }];
      if (operation.kind === "createTable") {
        const { table } = operation;
        const name = table.options.schema ? `${quote(table.options.schema)}.${quote(table.name)}` : quote(table.name);
        const columns = table.columns.map((column) =>
          `${quote(column.name)} ${column.options.nullable === false ? "NOT NULL" : ""}`.trim(),
        );
        const pk = table.constraints.map((constraint) => `CONSTRAINT ${quote(constraint.name ?? "pk")} PRIMARY KEY`);
        return [{ sql: `CREATE TABLE ${name} (${[...columns, ...pk].join(", ")})`, parameters: [] }];
      }
      throw new Error(`testdb cannot compile ${operation.kind}`);
    },
  };
}

const transactional = testDialect({ transactionalDdl: true });
const nonTransactional = testDialect({ transactionalDdl: false, placeholder: "question" });

/** a <- b <- c, and x <- m, a merge of b and x: enough for updates, inserts, deletes and merges. */
const graph = graphOf([
  ["a", null],
  ["b", "a"],
  ["c", "b"],
  ["x", null],
  ["m", ["c", "x"]],
]);

/** Each revision's upgrade runs `-- up <id>`-like statements; downgrade the reverse. */
function modulesOf(
  overrides: Record<string, MigrationModule> = {},
): (source: RevisionSource) => Promise<MigrationModule> {
  return async (source) =>
    overrides[source.revision] ?? {
      upgrade: async (op: Operations) => {
        await op.execute(`CREATE TABLE t_${source.revision} (id INTEGER)`);
      },
      downgrade: async (op: Operations) => {
        await op.execute(`DROP TABLE t_${source.revision}`);
      },
    };
}

function run(
  dialect: Dialect,
  plan: (heads: readonly string[]) => MigrationStep[],
  options: Partial<RunnerOptions<RevisionSource>> = {},
) {
  const sink = new ScriptStatementSink(dialect);
  const result = runMigrations<RevisionSource>({
    sink,
    graph,
    versionTable: { name: "alembic_version", primaryKey: true },
    transactionPerMigration: false,
    lock: { enabled: true, timeoutMs: 1000, key: ".alembic_version" },
    plan,
    replannable: true,
    loadModule: modulesOf(),
    xArgList: [],
    tag: undefined,
    ...options,
  });
  return { sink, result };
}

/** The script as a list of statements and comments, without the blank lines. */
function lines(script: string): string[] {
  return script.split("\n\n").filter((line) => line !== "");
}

const CREATE = 'CREATE TABLE "alembic_version" ("version_num" NOT NULL, CONSTRAINT "alembic_version_pkc" PRIMARY KEY);';

describe("runMigrations offline (ScriptStatementSink)", () => {
  it("from base: BEGIN, the version table, each step's comment, statements and version row, COMMIT", async () => {
    const { sink, result } = run(transactional, (heads) => planUpgrade(graph, heads, "c"));
    expect((await result).headsAfter).toEqual(["c"]);
    expect(lines(sink.script)).toEqual([
      "BEGIN;",
      CREATE,
      "-- Running upgrade  -> a",
      "CREATE TABLE t_a (id INTEGER);",
      `INSERT INTO "alembic_version" (version_num) VALUES ('a');`,
      "-- Running upgrade a -> b",
      "CREATE TABLE t_b (id INTEGER);",
      `UPDATE "alembic_version" SET version_num = 'b' WHERE version_num = 'a';`,
      "-- Running upgrade b -> c",
      "CREATE TABLE t_c (id INTEGER);",
      `UPDATE "alembic_version" SET version_num = 'c' WHERE version_num = 'b';`,
      "COMMIT;",
    ]);
  });

  it("gives each migration a context of its own: -x values and the tag, a change by one not seen by the next", async () => {
    const seen: { xArgs: Record<string, string>; xArgList: readonly string[]; tag: string | undefined }[] = [];
    const record = (op: Operations) => {
      const context = op.getContext();
      seen.push({ xArgs: { ...context.xArgs }, xArgList: context.xArgList, tag: context.tag });
      context.xArgs.tenant = "changed";
      return Promise.resolve();
    };
    const { result } = run(transactional, (heads) => planUpgrade(graph, heads, "b"), {
      loadModule: modulesOf({ a: { upgrade: record }, b: { upgrade: record } }),
      xArgList: ["tenant=acme", "dry"],
      tag: "release-7",
    });
    await result;
    const expected = { xArgs: { tenant: "acme", dry: "" }, xArgList: ["tenant=acme", "dry"], tag: "release-7" };
    expect(seen).toEqual([expected, expected]);
  });

  it("with transactionPerMigration: one BEGIN/COMMIT per step, the version row inside it, no empty pair", async () => {
    const { sink, result } = run(transactional, (heads) => planUpgrade(graph, heads, "b"), {
      transactionPerMigration: true,
    });
    await result;
    expect(lines(sink.script)).toEqual([
      "BEGIN;",
      CREATE,
      "-- Running upgrade  -> a",
      "CREATE TABLE t_a (id INTEGER);",
      `INSERT INTO "alembic_version" (version_num) VALUES ('a');`,
      "COMMIT;",
      "BEGIN;",
      "-- Running upgrade a -> b",
      "CREATE TABLE t_b (id INTEGER);",
      `UPDATE "alembic_version" SET version_num = 'b' WHERE version_num = 'a';`,
      "COMMIT;",
    ]);
  });

  it("writes no BEGIN/COMMIT where DDL is not transactional, and `?` values inline", async () => {
    const { sink, result } = run(nonTransactional, (heads) => planUpgrade(graph, heads, "a"));
    await result;
    expect(lines(sink.script)).toEqual([
      CREATE,
      "-- Running upgrade  -> a",
      "CREATE TABLE t_a (id INTEGER);",
      `INSERT INTO "alembic_version" (version_num) VALUES ('a');`,
    ]);
  });

  it("does not create the version table when the script starts from a revision", async () => {
    const { sink, result } = run(transactional, (heads) => planUpgrade(graph, heads, "c"), { startHeads: ["b"] });
    expect((await result).headsBefore).toEqual(["b"]);
    expect(lines(sink.script)).toEqual([
      "BEGIN;",
      "-- Running upgrade b -> c",
      "CREATE TABLE t_c (id INTEGER);",
      `UPDATE "alembic_version" SET version_num = 'c' WHERE version_num = 'b';`,
      "COMMIT;",
    ]);
    expect(sink.script).not.toContain('CREATE TABLE "alembic_version"');
  });

  it("writes the merge's and the downgrade's row statements in Alembic's order (INSERT, DELETE, UPDATE)", async () => {
    const up = run(transactional, (heads) => planUpgrade(graph, heads, "m"), { startHeads: ["c"] });
    await up.result;
    expect(lines(up.sink.script).filter((line) => line.includes("alembic_version") || line.startsWith("--"))).toEqual([
      "-- Running upgrade  -> x",
      `INSERT INTO "alembic_version" (version_num) VALUES ('x');`,
      "-- Running upgrade c, x -> m",
      `DELETE FROM "alembic_version" WHERE version_num = 'c';`,
      `UPDATE "alembic_version" SET version_num = 'm' WHERE version_num = 'x';`,
    ]);
    const down = run(transactional, (heads) => planDowngrade(graph, heads, "base"), { startHeads: ["m"] });
    const result = await down.result;
    expect(result.headsAfter).toEqual([]);
    expect(lines(down.sink.script).filter((line) => line.includes("alembic_version") || line.startsWith("--"))).toEqual(
      [
        "-- Running downgrade m -> c, x",
        `INSERT INTO "alembic_version" (version_num) VALUES ('c');`,
        `UPDATE "alembic_version" SET version_num = 'x' WHERE version_num = 'm';`,
        "-- Running downgrade c -> b",
        `UPDATE "alembic_version" SET version_num = 'b' WHERE version_num = 'c';`,
        "-- Running downgrade b -> a",
        `UPDATE "alembic_version" SET version_num = 'a' WHERE version_num = 'b';`,
        "-- Running downgrade a -> ",
        `DELETE FROM "alembic_version" WHERE version_num = 'a';`,
        "-- Running downgrade x -> ",
        `DELETE FROM "alembic_version" WHERE version_num = 'x';`,
      ],
    );
    // Alembic HEAD drops nothing at the end of an offline downgrade to base (#1822).
    expect(down.sink.script).not.toContain('DROP TABLE "alembic_version"');
  });

  it("writes stamp steps as row statements only", async () => {
    const { sink, result } = run(transactional, (heads) => planStamp(graph, heads, ["c"]), { startHeads: ["a"] });
    await result;
    expect(lines(sink.script)).toEqual([
      "BEGIN;",
      "-- Running stamp_revision a -> c",
      `UPDATE "alembic_version" SET version_num = 'c' WHERE version_num = 'a';`,
      "COMMIT;",
    ]);
  });

  it("puts COMMIT before and BEGIN after an autocommit block, and commits that migration with its row", async () => {
    const loadModule = modulesOf({
      b: {
        upgrade: async (op) => {
          await op.execute("CREATE TYPE mood AS ENUM ('sad')");
          await op.getContext().autocommitBlock(async () => {
            await op.execute("ALTER TYPE mood ADD VALUE 'ok'");
          });
          await op.execute("INSERT INTO t_a VALUES ($1)", ["it's"]);
        },
      },
    });
    const { sink, result } = run(transactional, (heads) => planUpgrade(graph, heads, "c"), {
      startHeads: ["a"],
      loadModule,
    });
    await result;
    expect(lines(sink.script)).toEqual([
      "BEGIN;",
      "-- Running upgrade a -> b",
      "CREATE TYPE mood AS ENUM ('sad');",
      "COMMIT;",
      "ALTER TYPE mood ADD VALUE 'ok';",
      "BEGIN;",
      "INSERT INTO t_a VALUES ('it''s');",
      `UPDATE "alembic_version" SET version_num = 'b' WHERE version_num = 'a';`,
      // The migration that committed part of itself is committed with its row at once.
      "COMMIT;",
      "BEGIN;",
      "-- Running upgrade b -> c",
      "CREATE TABLE t_c (id INTEGER);",
      `UPDATE "alembic_version" SET version_num = 'c' WHERE version_num = 'b';`,
      "COMMIT;",
    ]);
  });

  it("writes an autocommit block without COMMIT/BEGIN where DDL is not transactional", async () => {
    const loadModule = modulesOf({
      a: {
        upgrade: async (op) => {
          await op.getContext().autocommitBlock(async () => {
            await op.execute("VACUUM");
          });
        },
      },
    });
    const { sink, result } = run(nonTransactional, (heads) => planUpgrade(graph, heads, "a"), { loadModule });
    await result;
    expect(lines(sink.script)).toEqual([
      CREATE,
      "-- Running upgrade  -> a",
      "VACUUM;",
      `INSERT INTO "alembic_version" (version_num) VALUES ('a');`,
    ]);
  });

  it("fails a step with the revision, the statement's reason and where the rows were; nothing after it runs", async () => {
    const loadModule = modulesOf({
      b: {
        upgrade: async (op) => {
          await op.execute("CREATE TABLE t_b (id INTEGER)");
          throw new Error("boom in b");
        },
      },
    });
    const started: string[] = [];
    const { sink, result } = run(transactional, (heads) => planUpgrade(graph, heads, "c"), {
      loadModule,
      reporter: { migrationStarted: ({ description }) => started.push(description) },
    });
    const error = await result.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MigrationFailedError);
    const failure = error as MigrationFailedError;
    expect(failure.revision).toBe("b");
    expect(failure.direction).toBe("Upgrade");
    expect(failure.headsAfter).toEqual([]);
    expect(failure.message).toContain("boom in b");
    expect(started).toEqual(["Running upgrade  -> a", "Running upgrade a -> b"]);
    // The step's row statement and everything after it were never written.
    expect(lines(sink.script)).toEqual([
      "BEGIN;",
      CREATE,
      "-- Running upgrade  -> a",
      "CREATE TABLE t_a (id INTEGER);",
      `INSERT INTO "alembic_version" (version_num) VALUES ('a');`,
      "-- Running upgrade a -> b",
      "CREATE TABLE t_b (id INTEGER);",
    ]);
    expect(sink.inTransaction).toBe(false);
  });

  it("fails a step whose module lacks the function, naming the file", async () => {
    const { result } = run(transactional, (heads) => planUpgrade(graph, heads, "a"), {
      loadModule: async () => ({}),
    });
    await expect(result).rejects.toThrow("does not export a function upgrade(op)");
  });

  it("refuses op.getBind().query() offline with the way out", async () => {
    const loadModule = modulesOf({
      a: {
        upgrade: async (op) => {
          await op.getBind().query("SELECT 1");
        },
      },
    });
    const { result } = run(transactional, (heads) => planUpgrade(graph, heads, "a"), { loadModule });
    await expect(result).rejects.toThrow("op.getBind().query() needs a live database");
  });

  it("tells its reporter each step's start before its statements, its end with the duration, then the summary", async () => {
    const events: string[] = [];
    const loadModule = modulesOf({
      b: {
        upgrade: async (op) => {
          events.push("b's statements");
          await op.execute("CREATE TABLE t_b (id INTEGER)");
        },
      },
    });
    const { result } = run(transactional, (heads) => planUpgrade(graph, heads, "b"), {
      loadModule,
      reporter: {
        planned: (steps) => events.push(`planned ${steps.length}`),
        migrationStarted: ({ description, index, total, blocking }) =>
          events.push(`start ${index + 1}/${total} ${description}${blocking ? " (blocking)" : ""}`),
        migrationFinished: ({ description, durationMs, headsAfter }) =>
          events.push(`end ${description} ${durationMs >= 0} ${headsAfter.join(",")}`),
        runFinished: ({ steps, headsBefore, headsAfter, durationMs }) =>
          events.push(
            `summary ${steps.length} [${headsBefore.join(",")}] -> [${headsAfter.join(",")}] ${durationMs >= 0}`,
          ),
      },
    });
    await result;
    expect(events).toEqual([
      "planned 2",
      // Offline, a script is written on this thread.
      "start 1/2 Running upgrade  -> a (blocking)",
      "end Running upgrade  -> a true a",
      "start 2/2 Running upgrade a -> b (blocking)",
      "b's statements",
      "end Running upgrade a -> b true b",
      "summary 2 [] -> [b] true",
    ]);
  });

  it("tells no summary when the run fails", async () => {
    const finished: string[] = [];
    const { result } = run(transactional, (heads) => planUpgrade(graph, heads, "a"), {
      loadModule: async () => ({}),
      reporter: { runFinished: () => finished.push("summary"), migrationFinished: () => finished.push("step") },
    });
    await expect(result).rejects.toThrow("does not export a function upgrade(op)");
    expect(finished).toEqual([]);
  });

  it("runs nothing and writes an empty transaction when there is nothing to do", async () => {
    const { sink, result } = run(transactional, (heads) => planUpgrade(graph, heads, "c"), { startHeads: ["c"] });
    expect((await result).steps).toEqual([]);
    expect(lines(sink.script)).toEqual(["BEGIN;", "COMMIT;"]);
  });
});
