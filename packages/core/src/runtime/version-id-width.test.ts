import { describe, expect, it } from "vitest";
import { stubDialect } from "../test-support/stub-dialect.js";
import type { Dialect } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import { graphOf } from "../graph/test-support/graph-of.js";
import type { RevisionSource } from "../graph/revision-source.js";
import type { CompiledStatement, Operation } from "../operations/operation.js";
import { ScriptStatementSink } from "../pipeline/script-statement-sink.js";
import { planUpgrade } from "./migration-plan.js";
import { runMigrations } from "./migration-runner.js";

/**
 * Offline runs (no database): a script that creates the version table
 * cannot hold an id longer than the VARCHAR(32) it creates, on a database
 * that enforces widths; from a start revision the width is unknown and the
 * script is written, as Alembic writes it.
 */

const longId = `b000_${"x".repeat(35)}`;
const graph = graphOf([
  ["a000", null],
  [longId, "a000"],
]);

/** A dialect that enforces widths (it has a `columnWidthQuery`) or not (SQLite's `undefined`). */
function dialect(enforcesWidth: boolean): Dialect {
  return stubDialect({
    columnWidthQuery: (table, column) =>
      enforcesWidth
        ? { sql: "SELECT width FROM columns WHERE t = $1 AND c = $2", parameters: [table, column] }
        : undefined,
    compile(operation: Operation): CompiledStatement[] {
      if (operation.kind === "execute") return [{ sql: operation.sql, parameters: [] }];
      if (operation.kind === "createTable") return [{ sql: `CREATE TABLE "${operation.table.name}"`, parameters: [] }];
      if (operation.kind === "alterColumn" && operation.type?.kind === "string") {
        const widened = `VARCHAR(${operation.type.length})`;
        return [
          { sql: `ALTER TABLE "${operation.table}" ALTER "${operation.column}" TYPE ${widened}`, parameters: [] },
        ];
      }
      throw new Error(`testdb cannot compile ${operation.kind}`);
    },
  });
}

async function script(enforcesWidth: boolean, start: readonly string[]): Promise<string> {
  const sink = new ScriptStatementSink(dialect(enforcesWidth));
  await runMigrations<RevisionSource>({
    sink,
    startHeads: start,
    graph,
    versionTable: { name: "alembic_version", primaryKey: true },
    transactionPerMigration: false,
    lock: { enabled: false, timeoutMs: 0, key: "" },
    plan: (heads) => planUpgrade(graph, heads, "heads"),
    replannable: true,
    loadModule: async (source) => ({
      upgrade: async (op) => {
        await op.execute(`CREATE TABLE t_${source.revision} (id INTEGER)`);
      },
    }),
    xArgList: [],
    tag: undefined,
  });
  return sink.script;
}

describe("offline, a revision id longer than the VARCHAR(32) the script creates", () => {
  it("is refused when the script creates the version table, naming the way out", async () => {
    const error = await script(true, []).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(CommandError.isInstance(error)).toBe(true);
    expect((error as CommandError).code).toBe("REVISION_ID_TOO_LONG");
    expect((error as Error).message).toBe(
      `Revision identifier '${longId}' is 40 characters long, but the script creates the version table 'alembic_version' with version_num VARCHAR(32), as Alembic does, so it would fail when run. Nothing was written. Either shorten the id (and every downRevision and dependsOn that names it), or run the command online instead, after creating the table with 'retort ensure-version' and widening its column: ALTER TABLE "alembic_version" ALTER "version_num" TYPE VARCHAR(64);`,
    );
  });

  it("is written on a database that enforces no width (SQLite)", async () => {
    expect(await script(false, [])).toContain(`'${longId}'`);
  });

  it("is written from a start revision: the existing table's width is unknown, as in Alembic", async () => {
    expect(await script(true, ["a000"])).toContain(`'${longId}'`);
  });
});
