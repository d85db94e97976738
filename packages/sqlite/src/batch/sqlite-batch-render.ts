import { quoteName, typeAffinity } from "./sqlite-batch-sql.js";
import type { BatchColumn, BatchConstraint, BatchIndex, BatchTable } from "./sqlite-batch-types.js";

/**
 * `CREATE TABLE "<name>" (...)` for a batch model. An AUTOINCREMENT key is
 * written on its column (`INTEGER PRIMARY KEY AUTOINCREMENT`, the only form
 * SQLite accepts: https://sqlite.org/autoinc.html); other keys as a table
 * constraint, which still makes a lone INTEGER column the rowid alias
 * (https://sqlite.org/lang_createtable.html#rowid).
 */
export function renderCreateTable(table: BatchTable, name: string): string {
  const primaryKey = table.primaryKey;
  const autoincrementColumn =
    primaryKey?.autoincrement === true && primaryKey.columns.length === 1 ? primaryKey.columns[0] : undefined;
  const lines = table.columns.map((column) =>
    renderColumn(column, column.name.toLowerCase() === autoincrementColumn?.toLowerCase() ? primaryKey?.name : null),
  );
  if (primaryKey !== undefined && autoincrementColumn === undefined) {
    lines.push(`${constraintName(primaryKey.name)}PRIMARY KEY (${primaryKey.columns.map(quoteName).join(", ")})`);
  }
  for (const constraint of table.constraints) lines.push(renderConstraint(constraint));
  const options = table.tableOptions.trim();
  return `CREATE TABLE ${quoteName(name)} (\n  ${lines.join(",\n  ")}\n)${options === "" ? "" : ` ${options}`}`;
}

/** `autoincrementName`: null for a plain column, else the (optional) name of its PRIMARY KEY AUTOINCREMENT. */
function renderColumn(column: BatchColumn, autoincrementName: string | undefined | null): string {
  let text = quoteName(column.name);
  if (column.type !== "") text += ` ${column.type}`;
  if (column.generated !== undefined) {
    text += ` GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.stored ? "STORED" : "VIRTUAL"}`;
  }
  if (column.collate !== undefined) text += ` COLLATE ${column.collate}`;
  if (column.defaultSql !== undefined) text += ` DEFAULT ${column.defaultSql}`;
  if (autoincrementName !== null) text += ` ${constraintName(autoincrementName)}PRIMARY KEY AUTOINCREMENT`;
  if (column.notNull && autoincrementName === null) text += " NOT NULL";
  return text;
}

export function renderConstraint(constraint: BatchConstraint): string {
  const prefix = constraintName(constraint.name);
  switch (constraint.kind) {
    case "unique":
      return `${prefix}UNIQUE (${constraint.columns.map(quoteName).join(", ")})`;
    case "check":
      return `${prefix}CHECK (${constraint.condition})`;
    case "foreignKey": {
      const referred =
        constraint.referredColumns.length === 0 ? "" : ` (${constraint.referredColumns.map(quoteName).join(", ")})`;
      let text = `${prefix}FOREIGN KEY (${constraint.columns.map(quoteName).join(", ")}) REFERENCES ${quoteName(constraint.referredTable)}${referred}`;
      if (constraint.onDelete !== undefined) text += ` ON DELETE ${constraint.onDelete}`;
      if (constraint.onUpdate !== undefined) text += ` ON UPDATE ${constraint.onUpdate}`;
      if (constraint.match !== undefined) text += ` MATCH ${constraint.match}`;
      if (constraint.deferrable !== undefined) text += ` ${constraint.deferrable}`;
      return text;
    }
  }
}

/** `CREATE [UNIQUE] INDEX "ix" ON "t" (terms) [WHERE ...]`, partial and expression indexes included. */
export function renderCreateIndex(index: BatchIndex, table: string): string {
  const terms = index.terms
    .map((term) => {
      const body = term.column === undefined ? (term.expression as string) : quoteName(term.column);
      return term.suffix === "" ? body : `${body} ${term.suffix}`;
    })
    .join(", ");
  const where = index.where === undefined ? "" : ` WHERE ${index.where}`;
  return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${quoteName(index.name)} ON ${quoteName(table)} (${terms})${where}`;
}

/**
 * The column lists of `INSERT INTO new (targets) SELECT sources FROM old`:
 * every new-table column that has a source and is not generated (generated
 * columns cannot be written). A column whose type affinity changed is
 * copied through `CAST(... AS type)`, as Alembic does (alembic.md §6.1);
 * JSON is left alone. The implicit rowid is copied too when the table has
 * one, so rowids (and the chunked copy's ranges) stay the same.
 */
export function copyColumns(table: BatchTable, keepRowid: boolean): { targets: string[]; sources: string[] } {
  const targets: string[] = [];
  const sources: string[] = [];
  if (keepRowid) {
    targets.push("rowid");
    sources.push("rowid");
  }
  for (const column of table.columns) {
    if (column.source === undefined || column.generated !== undefined) continue;
    targets.push(quoteName(column.name));
    const source = quoteName(column.source);
    const cast =
      column.sourceType !== undefined &&
      column.type !== "" &&
      !/json/i.test(column.type) &&
      typeAffinity(column.type) !== typeAffinity(column.sourceType);
    sources.push(cast ? `CAST(${source} AS ${column.type})` : source);
  }
  return { targets, sources };
}

/** True when the table has a rowid that no column aliases and no column is called `rowid`. */
export function hasHiddenRowid(table: BatchTable): boolean {
  if (/without\s+rowid/i.test(table.tableOptions)) return false;
  const key = table.primaryKey;
  const aliased =
    key !== undefined &&
    key.columns.length === 1 &&
    table.columns.some(
      (column) =>
        column.name.toLowerCase() === key.columns[0]?.toLowerCase() && column.type.toUpperCase() === "INTEGER",
    );
  const reserved = table.columns.some((column) => ["rowid", "oid", "_rowid_"].includes(column.name.toLowerCase()));
  return !aliased && !reserved;
}

function constraintName(name: string | undefined): string {
  return name === undefined ? "" : `CONSTRAINT ${quoteName(name)} `;
}
