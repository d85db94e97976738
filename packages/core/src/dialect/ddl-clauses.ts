import type { CompiledStatement, Operation } from "../operations/operation.js";
import type { SqlExpression } from "../schema/sql-expression.js";

/** A statement without parameters. */
export function statement(sql: string): CompiledStatement {
  return { sql, parameters: [] };
}

/** The SQL text of a condition or expression given as a string or ``sql`...` ``. */
export function expressionText(expression: SqlExpression | string): string {
  return typeof expression === "string" ? expression : expression.text;
}

/**
 * ` [NOT] DEFERRABLE [INITIALLY ...]` for a UNIQUE, PRIMARY KEY, EXCLUDE or
 * FOREIGN KEY constraint, or "" when neither is set. `INITIALLY DEFERRED`
 * implies DEFERRABLE, which is then written out; `deferrable: false` with
 * `INITIALLY DEFERRED` is a contradiction, refused.
 */
export function deferrability(
  options: { readonly deferrable?: boolean | undefined; readonly initially?: "DEFERRED" | "IMMEDIATE" | undefined },
  what: string,
): string {
  let text = "";
  if (options.deferrable === false) {
    if (options.initially === "DEFERRED") {
      throw new TypeError(`${what} cannot be NOT DEFERRABLE and INITIALLY DEFERRED`);
    }
    text += " NOT DEFERRABLE";
  } else if (options.deferrable === true || options.initially === "DEFERRED") {
    text += " DEFERRABLE";
  }
  if (options.initially !== undefined) text += ` INITIALLY ${options.initially}`;
  return text;
}

/** The table an operation names and the schema it was given, when it was given one. */
export function schemaOf(operation: Operation): { table: string; schema: string } | undefined {
  const found = ((): { table: string; schema: string | undefined } | undefined => {
    switch (operation.kind) {
      case "createTable":
        return { table: operation.table.name, schema: operation.table.options.schema };
      case "dropIndex":
        return { table: operation.table ?? operation.name, schema: operation.schema };
      case "bulkInsert": {
        const table = operation.table;
        if (typeof table === "string") return { table, schema: operation.schema };
        return { table: table.name, schema: operation.schema ?? table.options.schema };
      }
      case "createForeignKey":
        return { table: operation.sourceTable, schema: operation.sourceSchema ?? operation.referentSchema };
      case "execute":
      case "createSchema":
      case "dropSchema":
      case "batchAlterTable":
        return undefined;
      default:
        return { table: operation.table, schema: operation.schema };
    }
  })();
  return found?.schema === undefined ? undefined : { table: found.table, schema: found.schema };
}
