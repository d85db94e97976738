import { isStrictTable, quoteName, typeAffinity } from "./sqlite-batch-sql.js";
import type { BatchClause, BatchColumn, BatchConstraint, BatchIndex, BatchTable } from "./sqlite-batch-types.js";

/**
 * `CREATE TABLE "<name>" (...)` for a batch model. A reflected constraint
 * is written as it was declared (its text, on its column if it was a
 * column constraint), so collations, `ON CONFLICT`, `ASC`/`DESC` and
 * `DEFERRABLE` survive; one a step added or changed is rendered from its
 * fields. An AUTOINCREMENT key without text is written on its column
 * (`INTEGER PRIMARY KEY AUTOINCREMENT`, the only form SQLite accepts:
 * https://sqlite.org/autoinc.html); other keys as a table constraint, which
 * still makes a lone INTEGER column the rowid alias
 * (https://sqlite.org/lang_createtable.html#rowid).
 */
export function renderCreateTable(table: BatchTable, name: string): string {
  const onColumn = new Map<string, string[]>();
  const tableLevel: string[] = [];
  const hasColumn = (column: string | undefined) =>
    column !== undefined && table.columns.some((other) => other.name.toLowerCase() === column.toLowerCase());
  const place = (clause: BatchClause, text: string) => {
    if (clause.column !== undefined && hasColumn(clause.column)) {
      const key = clause.column.toLowerCase();
      onColumn.set(key, [...(onColumn.get(key) ?? []), text]);
    } else {
      tableLevel.push(text);
    }
  };
  const primaryKey = table.primaryKey;
  if (primaryKey !== undefined) {
    const autoincrementColumn =
      primaryKey.autoincrement && primaryKey.columns.length === 1 ? primaryKey.columns[0] : undefined;
    if (primaryKey.sql !== undefined && (primaryKey.column === undefined || hasColumn(primaryKey.column))) {
      place(primaryKey, `${constraintName(primaryKey.name)}${primaryKey.sql}`);
    } else if (autoincrementColumn !== undefined) {
      place({ column: autoincrementColumn }, `${constraintName(primaryKey.name)}PRIMARY KEY AUTOINCREMENT`);
    } else {
      tableLevel.push(
        `${constraintName(primaryKey.name)}PRIMARY KEY (${primaryKey.columns.map(quoteName).join(", ")})`,
      );
    }
  }
  for (const constraint of table.constraints) {
    if (constraint.kind !== "check" && constraint.sql !== undefined) {
      if (constraint.column === undefined || hasColumn(constraint.column)) {
        place(constraint, `${constraintName(constraint.name)}${constraint.sql}`);
        continue;
      }
    }
    tableLevel.push(renderConstraint(constraint));
  }
  const lines = [
    ...table.columns.map((column) => renderColumn(column, onColumn.get(column.name.toLowerCase()) ?? [])),
    ...tableLevel,
  ];
  const options = table.tableOptions.trim();
  return `CREATE TABLE ${quoteName(name)} (\n  ${lines.join(",\n  ")}\n)${options === "" ? "" : ` ${options}`}`;
}

/** A column definition; `clauses` are the key and constraint clauses written on it. */
function renderColumn(column: BatchColumn, clauses: readonly string[]): string {
  let text = quoteName(column.name);
  if (column.type !== "") text += ` ${column.type}`;
  if (column.generated !== undefined) {
    text += ` GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.stored ? "STORED" : "VIRTUAL"}`;
  }
  if (column.collate !== undefined) text += ` COLLATE ${column.collate}`;
  if (column.defaultSql !== undefined) text += ` DEFAULT ${column.defaultSql}`;
  for (const clause of clauses) text += ` ${clause}`;
  const implicitNotNull = clauses.some((clause) => /\bPRIMARY\s+KEY\b.*\bAUTOINCREMENT\b/i.test(clause));
  if (column.notNull && !implicitNotNull) text += ` ${column.notNullSql ?? "NOT NULL"}`;
  return text;
}

/** A constraint rendered from its fields (one a step added or changed, or a CHECK, whose condition is its text). */
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
export function copyColumns(
  table: BatchTable,
  keepRowid: boolean,
  sourceName: (source: string) => string = (source) => source,
  sourceRowid = "rowid",
): { targets: string[]; sources: string[] } {
  const targets: string[] = [];
  const sources: string[] = [];
  if (keepRowid) {
    targets.push(rowidName(table) ?? "rowid");
    sources.push(sourceRowid);
  }
  for (const column of table.columns) {
    if (column.source === undefined || column.generated !== undefined) continue;
    targets.push(quoteName(column.name));
    const source = quoteName(sourceName(column.source));
    sources.push(needsCast(column, table) ? `CAST(${source} AS ${column.type})` : source);
  }
  return { targets, sources };
}

/**
 * True when the copy converts the column through CAST: its type affinity
 * changes (https://sqlite.org/datatype3.html#determination_of_column_affinity),
 * and it is not JSON, as in Alembic (alembic.md §6.1). Not for an `ANY`
 * column of a STRICT table, which stores each value as it is
 * (https://sqlite.org/stricttables.html#the_any_datatype): `CAST(x AS ANY)`
 * would give it NUMERIC affinity first and turn `'007'` into 7.
 */
export function needsCast(column: BatchColumn, table: BatchTable): boolean {
  return (
    column.source !== undefined &&
    column.generated === undefined &&
    column.sourceType !== undefined &&
    column.type !== "" &&
    !/json/i.test(column.type) &&
    !(isStrictTable(table.tableOptions) && column.type.trim().toUpperCase() === "ANY") &&
    typeAffinity(column.type) !== typeAffinity(column.sourceType)
  );
}

/**
 * The column that is the table's rowid (https://sqlite.org/lang_createtable.html#rowid):
 * the one INTEGER column of a rowid table's primary key, except one
 * declared on the column as `PRIMARY KEY DESC`, which SQLite keeps as an
 * ordinary key beside a hidden rowid (a quirk it documents).
 */
export function rowidAlias(table: BatchTable): BatchColumn | undefined {
  if (/without\s+rowid/i.test(table.tableOptions)) return undefined;
  const key = table.primaryKey;
  if (key === undefined || key.columns.length !== 1) return undefined;
  if (key.column !== undefined && /^\s*PRIMARY\s+KEY\s+DESC\b/i.test(key.sql ?? "")) return undefined;
  return table.columns.find(
    (column) => column.name.toLowerCase() === key.columns[0]?.toLowerCase() && column.type.toUpperCase() === "INTEGER",
  );
}

/**
 * The name the table's own rowid answers to: `rowid`, `_rowid_` or `oid`,
 * the first that no column has taken (a column of that name hides it);
 * `undefined` for a table without rowid, or with all three taken.
 */
export function rowidName(table: BatchTable): string | undefined {
  if (/without\s+rowid/i.test(table.tableOptions)) return undefined;
  const taken = new Set(table.columns.map((column) => column.name.toLowerCase()));
  return ["rowid", "_rowid_", "oid"].find((name) => !taken.has(name));
}

/** True when the table has a rowid that no column aliases, and a name to reach it by. */
export function hasHiddenRowid(table: BatchTable): boolean {
  return rowidAlias(table) === undefined && rowidName(table) !== undefined;
}

function constraintName(name: string | undefined): string {
  return name === undefined ? "" : `CONSTRAINT ${quoteName(name)} `;
}

/** Alembic's temporary name, `_alembic_tmp_<table>` truncated to 50 characters (alembic.md §6.1). */
export function temporaryName(table: string): string {
  return `_alembic_tmp_${table}`.slice(0, 50);
}
