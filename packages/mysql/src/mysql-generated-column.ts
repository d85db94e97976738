import type { AlterColumnOperation } from "@retort/core";
import { isSqlExpression } from "@retort/core/dialect";

/**
 * What a `MODIFY` (or `CHANGE COLUMN`) of a generated column restates
 * after its type: `GENERATED ALWAYS AS (expr) STORED` (or `VIRTUAL`),
 * from `existingComputed`, then `NULL` or `NOT NULL` on MySQL (MariaDB
 * takes neither there); undefined for a plain column. MySQL rewrites the
 * whole column: a MODIFY without it makes a generated column a plain one,
 * its values frozen as they were
 * (https://dev.mysql.com/doc/refman/8.0/en/create-table-generated-columns.html).
 *
 * A generated column has no server default and no AUTO_INCREMENT: an
 * `alterColumn` that sets one (or says the column has one) on it is
 * refused through `refuse`, naming the column.
 */
export function generatedClause(
  operation: AlterColumnOperation,
  nullable: boolean,
  mariadb: boolean,
  refuse: (message: string) => never,
): string | undefined {
  const computed = operation.existingComputed;
  if (computed === undefined) return undefined;
  const { expression, stored } = isSqlExpression(computed) ? { expression: computed, stored: true } : computed;
  const where = `op.alterColumn("${operation.table}", "${operation.column}")`;
  const generated = `column "${operation.column}" of "${operation.table}" is generated (GENERATED ALWAYS AS (${expression.text}), existingComputed)`;
  if (operation.serverDefault !== undefined) {
    refuse(
      `${where}: ${generated}, and a generated column has no server default to ${operation.serverDefault === null ? "drop" : "set"}. ` +
        "Leave serverDefault out, or drop the column and add it again as a plain column",
    );
  }
  if (operation.existingServerDefault !== undefined && operation.existingServerDefault !== null) {
    refuse(`${where}: ${generated}, and a generated column has no server default: leave existingServerDefault out`);
  }
  if (operation.autoincrement === true || operation.existingAutoincrement === true) {
    refuse(`${where}: ${generated}, and a generated column cannot be AUTO_INCREMENT`);
  }
  const clause = `GENERATED ALWAYS AS (${expression.text}) ${stored ? "STORED" : "VIRTUAL"}`;
  if (!mariadb) return `${clause} ${nullable ? "NULL" : "NOT NULL"}`;
  // MariaDB takes neither NULL nor NOT NULL on a generated column (a syntax error): it is always nullable.
  if (!nullable) {
    refuse(`${where}: ${generated}, and MariaDB has no NOT NULL generated columns: leave nullable out (or true)`);
  }
  return clause;
}
