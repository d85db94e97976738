import type Database from "better-sqlite3";
import type { ReferentialAction } from "@retort/core";
import { parseCreateIndex, parseCreateTable } from "./sqlite-batch-parse.js";
import { quoteName } from "./sqlite-batch-sql.js";
import {
  type BatchColumn,
  type BatchConstraint,
  type BatchForeignKey,
  type BatchIndex,
  type SchemaObject,
  SqliteBatchError,
  type BatchTable,
} from "./sqlite-batch-types.js";

interface XInfoRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
  match: string;
}

/** What the database says about one table: its `CREATE TABLE` text and the pragmas' rows. */
export interface TableFacts {
  readonly name: string;
  readonly sql: string;
  readonly columns: readonly XInfoRow[];
  /** `PRAGMA index_list` rows, each with its columns (`index_info`) and, for a CREATE INDEX, its SQL. */
  readonly indexes: readonly {
    readonly name: string;
    readonly unique: boolean;
    readonly origin: string;
    readonly columns: readonly string[];
    readonly sql: string | undefined;
  }[];
  readonly foreignKeys: readonly ForeignKeyRow[];
}

/**
 * Reads a table into a batch model: columns from `PRAGMA table_xinfo`,
 * foreign keys from `foreign_key_list`, indexes from
 * `index_list`/`index_info` (https://sqlite.org/pragma.html), and what the
 * pragmas do not report or report lossily (DEFAULT expressions with their
 * parentheses, constraint names and their text as written, CHECKs,
 * AUTOINCREMENT, collations, generated expressions, partial-index WHERE,
 * index expressions, WITHOUT ROWID/STRICT) from the SQL in `sqlite_schema`.
 */
export function reflectTable(database: Database.Database, table: string): BatchTable {
  return buildBatchTable(readTableFacts(database, table));
}

/** The database reads behind `reflectTable`. */
export function readTableFacts(database: Database.Database, table: string): TableFacts {
  const row = database
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")
    .get(table) as { name: string; sql: string } | undefined;
  if (row === undefined) throw new SqliteBatchError(`No such table: "${table}" (batchAlterTable reflects it first)`);
  const name = row.name;
  const pragma = <T>(sql: string, of = name) => database.prepare(`${sql}(${quoteName(of)})`).all() as T[];
  const indexList = pragma<{ name: string; unique: number; origin: string }>("PRAGMA index_list");
  const indexes = indexList.reverse().map((index) => ({
    name: index.name,
    unique: index.unique === 1,
    origin: index.origin,
    columns: pragma<{ name: string; seqno: number }>("PRAGMA index_info", index.name)
      .sort((left, right) => left.seqno - right.seqno)
      .map((info) => info.name),
    sql:
      (database.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index.name) as
        | string
        | null) ?? undefined,
  }));
  return {
    name,
    sql: row.sql,
    columns: pragma<XInfoRow>("PRAGMA table_xinfo"),
    indexes,
    foreignKeys: pragma<ForeignKeyRow>("PRAGMA foreign_key_list"),
  };
}

const sameColumns = (left: readonly string[], right: readonly string[]) =>
  left.length === right.length && left.every((column, at) => column.toLowerCase() === right[at]?.toLowerCase());

/** The batch model of a table from what the database says about it (no database access). */
export function buildBatchTable(facts: TableFacts): BatchTable {
  const { name } = facts;
  const parsed = parseCreateTable(facts.sql);
  const columns = facts.columns.map((info): BatchColumn => {
    const extra = parsed.columns.get(info.name.toLowerCase());
    return {
      name: info.name,
      source: extra?.generated === undefined ? info.name : undefined,
      key: info.name,
      type: info.type,
      sourceType: info.type,
      notNull: info.notnull === 1,
      defaultSql: extra?.defaultSql ?? pragmaDefault(info.dflt_value),
      notNullSql: info.notnull === 1 ? extra?.notNullSql : undefined,
      collate: extra?.collate,
      generated: extra?.generated,
    };
  });
  const pkColumns = facts.columns
    .filter((info) => info.pk > 0)
    .sort((left, right) => left.pk - right.pk)
    .map((info) => info.name);
  const declaredKey = parsed.primaryKey;
  const keyText =
    declaredKey !== undefined && sameColumns(declaredKey.columns, pkColumns)
      ? { sql: declaredKey.sql, column: declaredKey.column }
      : {};
  const primaryKey =
    pkColumns.length === 0
      ? undefined
      : { name: declaredKey?.name, columns: pkColumns, autoincrement: parsed.autoincrement, ...keyText };

  // Each declared constraint is matched once, in declaration order.
  const unmatched = [...parsed.constraints];
  const takeDeclared = (kind: string, columnNames: readonly string[]) => {
    const at = unmatched.findIndex(
      (constraint) => constraint.kind === kind && sameColumns(constraint.columns, columnNames),
    );
    return at === -1 ? undefined : unmatched.splice(at, 1)[0];
  };
  const constraints: BatchConstraint[] = [];
  // UNIQUE constraints as declared, with their text (COLLATE, ON CONFLICT);
  // one the text does not show (it should not happen) from its index.
  const uniqueIndexes = facts.indexes.filter((index) => index.origin === "u");
  for (const declared of parsed.constraints.filter((constraint) => constraint.kind === "unique")) {
    if (!uniqueIndexes.some((index) => sameColumns(index.columns, declared.columns))) continue;
    takeDeclared("unique", declared.columns);
    constraints.push({
      kind: "unique",
      name: declared.name,
      columns: declared.columns,
      sql: declared.sql,
      column: declared.column,
    });
  }
  for (const index of uniqueIndexes) {
    if (
      constraints.some((constraint) => constraint.kind === "unique" && sameColumns(constraint.columns, index.columns))
    ) {
      continue;
    }
    constraints.push({ kind: "unique", name: undefined, columns: index.columns });
  }
  const indexes: BatchIndex[] = [];
  for (const index of facts.indexes) {
    if (index.origin !== "c" || index.sql === undefined) continue;
    const { terms, where } = parseCreateIndex(index.sql);
    indexes.push({ name: index.name, unique: index.unique, terms, where });
  }

  // Foreign keys: one id per constraint, seq per column (PRAGMA foreign_key_list).
  const fkRows = facts.foreignKeys;
  for (const id of [...new Set(fkRows.map((fk) => fk.id))].sort((left, right) => right - left)) {
    const rows = fkRows.filter((fk) => fk.id === id).sort((left, right) => left.seq - right.seq);
    const first = rows[0] as ForeignKeyRow;
    const columnNames = rows.map((fk) => fk.from);
    const declared = takeDeclared("foreignKey", columnNames);
    const foreignKey: BatchForeignKey = {
      kind: "foreignKey",
      name: declared?.name,
      columns: columnNames,
      referredTable: first.table,
      // A NULL `to` means the parent's primary key (https://sqlite.org/foreignkeys.html).
      referredColumns: rows.every((fk) => fk.to !== null) ? rows.map((fk) => fk.to as string) : [],
      onDelete: action(first.on_delete),
      onUpdate: action(first.on_update),
      match: first.match === "NONE" ? undefined : (first.match as BatchForeignKey["match"]),
      deferrable: declared?.deferrable,
      sql: declared?.sql,
      column: declared?.column,
    };
    constraints.push(foreignKey);
  }
  for (const constraint of parsed.constraints) {
    if (constraint.kind === "check") {
      constraints.push({ kind: "check", name: constraint.name, condition: constraint.condition });
    }
  }
  return {
    name,
    columns,
    primaryKey,
    constraints,
    indexes,
    tableOptions: parsed.tableOptions,
  };
}

/**
 * A DEFAULT from `PRAGMA table_xinfo`, for when the table's text does not
 * show it: the pragma drops an expression's parentheses, which SQLite
 * requires back (`DEFAULT lower(x)` is a syntax error).
 */
export function pragmaDefault(value: string | null): string | undefined {
  if (value === null) return undefined;
  const literal =
    /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|0x[0-9a-f]+|'(?:[^']|'')*'|x'[0-9a-f]*'|null|true|false|current_(?:time|date|timestamp))$/i;
  const text = value.trim();
  return literal.test(text) || (text.startsWith("(") && text.endsWith(")")) ? text : `(${text})`;
}

/** Every trigger and view of the main schema, in `sqlite_schema` order. */
export function readSchemaObjects(database: Database.Database): SchemaObject[] {
  const rows = database
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') AND sql IS NOT NULL ORDER BY rowid",
    )
    .all() as { type: "trigger" | "view"; name: string; tbl_name: string; sql: string }[];
  return rows.map((row) => ({ type: row.type, name: row.name, tableName: row.tbl_name, sql: row.sql }));
}

function action(text: string): ReferentialAction | undefined {
  return text === "NO ACTION" ? undefined : (text as ReferentialAction);
}
