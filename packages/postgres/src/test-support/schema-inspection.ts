import { type Operation, Operations, reverseOperation } from "@retort/core";
import { expect } from "vitest";
import type { PostgresConnection } from "../postgres-connection.js";
import type { PostgresDriver } from "../postgres-driver.js";

/**
 * An `op` whose operations are compiled by the driver's dialect and sent
 * through `connection`, as the migration runner sends them; its
 * `autocommitBlock` commits the open transaction, runs the block, and
 * begins a new one.
 */
export function operationsOn(driver: PostgresDriver, connection: PostgresConnection): Operations {
  return new Operations({
    run: (operation) => runOperation(driver, connection, operation),
    query: (text, parameters = []) => connection.query(text, parameters),
    context: {
      dialect: driver.dialect,
      xArgs: {},
      xArgList: [],
      tag: undefined,
      isOffline: false,
      autocommitBlock: async (fn) => {
        const wasInTransaction = connection.inTransaction;
        if (wasInTransaction) await connection.commit();
        try {
          return await fn();
        } finally {
          if (wasInTransaction) await connection.begin();
        }
      },
    },
  });
}

export async function runOperation(
  driver: PostgresDriver,
  connection: PostgresConnection,
  operation: Operation,
): Promise<void> {
  for (const statement of driver.dialect.compile(operation)) {
    await connection.execute(statement.sql, statement.parameters);
  }
}

export interface ColumnDescription {
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  /** `a` (ALWAYS), `d` (BY DEFAULT) or "" (not an identity). */
  readonly identity: string;
  readonly comment: string | null;
}

/** Everything the operations change in one schema, read from pg_catalog, so two states compare with `toEqual`. */
export interface SchemaSnapshot {
  /** Table name -> its comment. */
  readonly tables: Record<string, string | null>;
  /** `table.column` -> type (format_type), NOT NULL, default (pg_get_expr), identity, comment. */
  readonly columns: Record<string, ColumnDescription>;
  /** `table.constraint` -> pg_get_constraintdef. */
  readonly constraints: Record<string, string>;
  /** index name -> pg_get_indexdef. */
  readonly indexes: Record<string, string>;
  /** enum type name -> its labels. */
  readonly enums: Record<string, string[]>;
}

export async function snapshotSchema(connection: PostgresConnection, schema = "public"): Promise<SchemaSnapshot> {
  const query = async <Row>(text: string): Promise<Row[]> => (await connection.query<Row>(text, [schema])).rows;
  const tables = await query<{ name: string; comment: string | null }>(
    `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  const columns = await query<{ name: string } & ColumnDescription>(
    `SELECT c.relname || '.' || a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS default,
            a.attidentity::text AS identity, col_description(c.oid, a.attnum) AS comment
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const constraints = await query<{ name: string; definition: string }>(
    `SELECT c.relname || '.' || k.conname AS name, pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 ORDER BY 1`,
  );
  const indexes = await query<{ name: string; definition: string }>(
    "SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname",
  );
  const enums = await query<{ name: string; labels: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1 GROUP BY t.typname ORDER BY t.typname`,
  );
  return {
    tables: Object.fromEntries(tables.map((row) => [row.name, row.comment])),
    columns: Object.fromEntries(
      columns.map(({ name, ...description }) => [name, description as unknown as ColumnDescription]),
    ),
    constraints: Object.fromEntries(constraints.map((row) => [row.name, row.definition])),
    indexes: Object.fromEntries(indexes.map((row) => [row.name, row.definition])),
    enums: Object.fromEntries(enums.map((row) => [row.name, row.labels])),
  };
}

/**
 * Runs `operation`, hands the schema to `check`, then — when the operation
 * has a reverse (`reverseOperation`) — runs the reverse and returns the
 * schema it left, to compare with the one before.
 */
export async function applyAndReverse(
  driver: PostgresDriver,
  connection: PostgresConnection,
  operation: Operation,
  check: (after: SchemaSnapshot) => void | Promise<void>,
): Promise<{ before: SchemaSnapshot; reversed: SchemaSnapshot | undefined }> {
  const before = await snapshotSchema(connection);
  await runOperation(driver, connection, operation);
  const after = await snapshotSchema(connection);
  expect(after).not.toEqual(before);
  await check(after);
  const reverse = reverseOperation(operation);
  if (reverse === undefined) return { before, reversed: undefined };
  await runOperation(driver, connection, reverse);
  return { before, reversed: await snapshotSchema(connection) };
}
