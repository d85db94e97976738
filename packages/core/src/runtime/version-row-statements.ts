import type { Dialect } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import type { RunStatement } from "../pipeline/statement-sink.js";
import type { VersionRowChange } from "./head-maintainer.js";

/** Where the version table is: its name and schema. */
export interface VersionTableName {
  readonly name: string;
  readonly schema?: string | undefined;
}

/**
 * The statement of one version-row change, as Alembic's `HeadMaintainer`
 * writes it (`runtime/migration.py`): a step from one head to the next is
 * an UPDATE of that row (it keeps its place), a new branch an INSERT, a
 * branch going to base a DELETE. Online, an UPDATE or DELETE must match
 * exactly one row. Pure: the same statements serve a live run and a script.
 *
 * ```ts
 * versionRowStatement({ kind: "update", from: "a1", to: "b2" }, { name: "alembic_version" }, dialect);
 * // UPDATE "alembic_version" SET version_num = ? WHERE version_num = ?   ["b2", "a1"]
 * ```
 */
export function versionRowStatement(change: VersionRowChange, table: VersionTableName, dialect: Dialect): RunStatement {
  const qualified = qualifiedName(table, dialect);
  const shown = table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
  const p = (index: number) => dialect.placeholder(index);
  switch (change.kind) {
    case "insert":
      return { sql: `INSERT INTO ${qualified} (version_num) VALUES (${p(1)})`, parameters: [change.revision] };
    case "update":
      return {
        sql: `UPDATE ${qualified} SET version_num = ${p(1)} WHERE version_num = ${p(2)}`,
        parameters: [change.to, change.from],
        expectRows: {
          count: 1,
          mismatch: (found) =>
            new CommandError(
              `Online migration expected to match one row when updating '${change.from}' to '${change.to}' in '${shown}'; ${found} found`,
              { code: "VERSION_TABLE_MISMATCH" },
            ),
        },
      };
    case "delete":
      return {
        sql: `DELETE FROM ${qualified} WHERE version_num = ${p(1)}`,
        parameters: [change.revision],
        expectRows: {
          count: 1,
          mismatch: (found) =>
            new CommandError(
              `Online migration expected to match one row when deleting '${change.revision}' in '${shown}'; ${found} found`,
              { code: "VERSION_TABLE_MISMATCH" },
            ),
        },
      };
    default: {
      const unreachable: never = change;
      throw new Error(`unknown version row change ${JSON.stringify(unreachable)}`);
    }
  }
}

/** `"schema"."alembic_version"`, quoted by the dialect. */
export function qualifiedName(table: VersionTableName, dialect: Dialect): string {
  const name = dialect.quoteIdentifier(table.name);
  return table.schema === undefined ? name : `${dialect.quoteIdentifier(table.schema)}.${name}`;
}
