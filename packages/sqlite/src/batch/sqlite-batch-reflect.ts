import type Database from "better-sqlite3";
import type { ReferentialAction } from "@retort/core";
import { parseCreateIndex, parseCreateTable } from "./sqlite-batch-parse.js";
import { mentions, quoteName } from "./sqlite-batch-sql.js";
import {
  type BatchColumn,
  type BatchConstraint,
  type BatchForeignKey,
  type BatchIndex,
  SqliteBatchError,
  type BatchTable,
} from "./sqlite-batch-types.js";

/** Triggers and views that must be re-created after the swap (lang_altertable.html §7, steps 3 and 8). */
export interface DependentObject {
  readonly type: "trigger" | "view";
  readonly name: string;
  readonly sql: string;
}

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

/**
 * Reads a table into a batch model: columns from `PRAGMA table_xinfo`,
 * foreign keys from `foreign_key_list`, unique constraints and indexes from
 * `index_list`/`index_xinfo` (https://sqlite.org/pragma.html), and what the
 * pragmas do not report (constraint names, CHECKs, AUTOINCREMENT,
 * collations, generated expressions, partial-index WHERE, index expressions,
 * WITHOUT ROWID/STRICT) from the SQL in `sqlite_master`.
 */
export function reflectTable(database: Database.Database, table: string): BatchTable {
  const row = database
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")
    .get(table) as { name: string; sql: string } | undefined;
  if (row === undefined) throw new SqliteBatchError(`No such table: "${table}" (batchAlterTable reflects it first)`);
  const name = row.name;
  const parsed = parseCreateTable(row.sql);
  const pragma = <T>(sql: string) => database.prepare(`${sql}(${quoteName(name)})`).all() as T[];

  const xinfo = pragma<XInfoRow>("PRAGMA table_xinfo");
  const columns = xinfo.map((info): BatchColumn => {
    const extra = parsed.columns.get(info.name.toLowerCase());
    return {
      name: info.name,
      source: extra?.generated === undefined ? info.name : undefined,
      key: info.name,
      type: info.type,
      sourceType: info.type,
      notNull: info.notnull === 1,
      defaultSql: info.dflt_value ?? undefined,
      collate: extra?.collate,
      generated: extra?.generated,
    };
  });
  const pkColumns = xinfo
    .filter((info) => info.pk > 0)
    .sort((left, right) => left.pk - right.pk)
    .map((info) => info.name);
  const primaryKey =
    pkColumns.length === 0
      ? undefined
      : { name: parsed.primaryKeyName, columns: pkColumns, autoincrement: parsed.autoincrement };

  const sameColumns = (left: readonly string[], right: readonly string[]) =>
    left.length === right.length && left.every((column, at) => column.toLowerCase() === right[at]?.toLowerCase());
  const namedLike = (kind: string, columns: readonly string[]) =>
    parsed.constraints.find((constraint) => constraint.kind === kind && sameColumns(constraint.columns, columns));

  const constraints: BatchConstraint[] = [];
  const indexes: BatchIndex[] = [];
  const indexList = pragma<{ name: string; unique: number; origin: string; partial: number }>("PRAGMA index_list");
  for (const index of [...indexList].reverse()) {
    if (index.origin === "pk") continue;
    if (index.origin === "u") {
      const columnsOf = database.prepare(`PRAGMA index_info(${quoteName(index.name)})`).all() as {
        name: string;
        seqno: number;
      }[];
      const columnNames = columnsOf.sort((left, right) => left.seqno - right.seqno).map((info) => info.name);
      constraints.push({ kind: "unique", name: namedLike("unique", columnNames)?.name, columns: columnNames });
      continue;
    }
    const indexSql = database
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
      .pluck()
      .get(index.name) as string | null;
    if (indexSql === null) continue;
    const { terms, where } = parseCreateIndex(indexSql);
    indexes.push({ name: index.name, unique: index.unique === 1, terms, where });
  }

  // Foreign keys: one id per constraint, seq per column (PRAGMA foreign_key_list).
  const fkRows = pragma<ForeignKeyRow>("PRAGMA foreign_key_list");
  const parsedForeignKeys = parsed.constraints.filter((constraint) => constraint.kind === "foreignKey");
  for (const id of [...new Set(fkRows.map((fk) => fk.id))].sort((left, right) => right - left)) {
    const rows = fkRows.filter((fk) => fk.id === id).sort((left, right) => left.seq - right.seq);
    const first = rows[0] as ForeignKeyRow;
    const columnNames = rows.map((fk) => fk.from);
    const declared = parsedForeignKeys.find((constraint) => sameColumns(constraint.columns, columnNames));
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

/** Triggers on the table, and views whose SQL names it (views are not dropped with the table, but may break). */
export function dependentObjects(database: Database.Database, table: string): DependentObject[] {
  const rows = database
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') AND sql IS NOT NULL",
    )
    .all() as { type: "trigger" | "view"; name: string; tbl_name: string; sql: string }[];
  return rows
    .filter((row) =>
      row.type === "trigger" ? row.tbl_name.toLowerCase() === table.toLowerCase() : mentions(row.sql, table),
    )
    .map((row) => ({ type: row.type, name: row.name, sql: row.sql }));
}

function action(text: string): ReferentialAction | undefined {
  return text === "NO ACTION" ? undefined : (text as ReferentialAction);
}
