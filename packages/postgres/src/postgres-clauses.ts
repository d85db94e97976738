import type { SqlExpression } from "@retort/core";

/**
 * Clauses shared by CREATE TABLE, ALTER TABLE ... ADD CONSTRAINT and
 * CREATE INDEX: deferrability, access methods, operators, expressions.
 */

/**
 * ` [NOT] DEFERRABLE [INITIALLY ...]` for a UNIQUE, PRIMARY KEY, EXCLUDE or
 * FOREIGN KEY constraint (https://www.postgresql.org/docs/current/sql-createtable.html),
 * or "" when neither is set. `INITIALLY DEFERRED` implies DEFERRABLE, which
 * is then written out to keep the intent readable; `deferrable: false` with
 * `INITIALLY DEFERRED` is a contradiction PostgreSQL refuses, so Retort does.
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

/**
 * An index access method (`btree`, `gin`, `gist`, `brin`, `hash`, `spgist`
 * or an extension's), written unquoted and lower-cased as SQLAlchemy writes
 * `postgresql_using`. Anything but a plain name is refused, since it is
 * written into the statement as is.
 */
export function accessMethod(method: string, what: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(method)) {
    throw new TypeError(
      `${what}: the access method must be a plain name such as gin or brin; got ${JSON.stringify(method)}`,
    );
  }
  return method.toLowerCase();
}

/**
 * An operator of an EXCLUDE constraint element (`=`, `&&`, `<>`, or
 * `OPERATOR(schema.op)`), written into the statement as is, so only
 * operator characters are accepted
 * (https://www.postgresql.org/docs/current/sql-createoperator.html lists them).
 */
export function excludeOperator(operator: string, what: string): string {
  if (/^[+\-*/<>=~!@#%^&|`?]+$/.test(operator)) return operator;
  if (/^OPERATOR\(\s*(?:[A-Za-z_][A-Za-z0-9_]*\.)?[+\-*/<>=~!@#%^&|`?]+\s*\)$/i.test(operator)) return operator;
  throw new TypeError(
    `${what}: ${JSON.stringify(operator)} is not an operator (such as =, && or OPERATOR(pg_catalog.=))`,
  );
}

/** The SQL text of a condition or expression given as a string or ``sql`...` ``. */
export function expressionText(expression: SqlExpression | string): string {
  return typeof expression === "string" ? expression : expression.text;
}
