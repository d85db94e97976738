import type {
  CheckDefinition,
  ColumnType,
  ConstraintDefinition,
  DatabaseIntrospector,
  ForeignKeyDefinition,
  IntrospectOptions,
  ReadQuery,
  ReflectedColumn,
  ReflectedIndex,
  ReflectedSchema,
  ReflectedTable,
  SqlExpression,
  TypeKey,
} from "@retort/core";
import { sql } from "@retort/core/dialect";
import { buildBatchTable, type TableFacts } from "./batch/sqlite-batch-reflect.js";
import { quoteName } from "./batch/sqlite-batch-sql.js";
import type { BatchTable } from "./batch/sqlite-batch-types.js";
import { renderSqliteType } from "./sqlite-types.js";

interface MasterRow {
  type: "table" | "index";
  name: string;
  tbl_name: string;
  sql: string | null;
}

type XInfoRow = TableFacts["columns"][number] & { tbl: string };
type ForeignKeyRow = TableFacts["foreignKeys"][number] & { tbl: string };

interface IndexRow {
  tbl: string;
  index_name: string;
  index_unique: number;
  origin: string;
  seq: number;
  seqno: number | null;
  column_name: string | null;
}

/**
 * Reads a SQLite database (the `main` schema) as core's table model, in
 * four queries whatever the number of tables: `sqlite_schema` for the
 * `CREATE TABLE`/`CREATE INDEX` text, and the pragma table-valued
 * functions (`pragma_table_xinfo`, `pragma_foreign_key_list`,
 * `pragma_index_list` + `pragma_index_info`) joined to it
 * (https://sqlite.org/pragma.html#pragfunc). What the pragmas lose
 * (constraint names, CHECKs, AUTOINCREMENT, DEFAULT expressions with
 * their text, generated expressions, DEFERRABLE, MATCH, partial and
 * expression indexes) comes from the original SQL, parsed by batch mode's
 * parser (`buildBatchTable`).
 *
 * Declared types are mapped back to core's vocabulary by the synonym table
 * of `sqliteColumnType` (`VARCHAR(36)` is `string(36)`, `DATETIME` is
 * `dateTime()`); an enum's CHECK (`CONSTRAINT "mood" CHECK ("c" IN (...))`
 * on a VARCHAR as wide as its longest value, as the compiler writes it) is
 * read back as `enumType("mood", [...])`. SQLite has no comments, schemas
 * or native enums: `enums` is empty and the `schema` option is ignored
 * (the `main` database is read; attached databases are out of scope).
 *
 * ```ts
 * const schema = await new SqliteIntrospector().introspect(read, { excludeTables: ["alembic_version"] });
 * ```
 */
export class SqliteIntrospector implements DatabaseIntrospector {
  /** DEFERRABLE and INITIALLY DEFERRED are read back: a change of either is a changed foreign key. */
  readonly readsForeignKeyDeferral = true;

  async introspect(read: ReadQuery, options: IntrospectOptions = {}): Promise<ReflectedSchema> {
    const excluded = new Set((options.excludeTables ?? []).map((name) => name.toLowerCase()));
    const tables = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
    const master = await read<MasterRow>(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY rowid",
    );
    const columns = await read<XInfoRow>(
      `SELECT m.name AS tbl, p.* FROM sqlite_master AS m JOIN pragma_table_xinfo(m.name) AS p WHERE ${tables} ORDER BY m.name, p.cid`,
    );
    const foreignKeys = await read<ForeignKeyRow>(
      `SELECT m.name AS tbl, p.* FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS p WHERE ${tables}`,
    );
    const indexes = await read<IndexRow>(
      'SELECT m.name AS tbl, l.name AS index_name, l."unique" AS index_unique, l.origin, l.seq, i.seqno, i.name AS column_name ' +
        "FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS l LEFT JOIN pragma_index_info(l.name) AS i " +
        `WHERE ${tables} ORDER BY m.name, l.seq DESC, i.seqno`,
    );
    const indexSql = new Map(
      master.filter((row) => row.type === "index" && row.sql !== null).map((row) => [row.name, row.sql as string]),
    );
    const result: ReflectedTable[] = [];
    const batchTables = new Map<string, BatchTable>();
    for (const row of master) {
      if (row.type !== "table" || row.sql === null || row.name.startsWith("sqlite_")) continue;
      if (excluded.has(row.name.toLowerCase())) continue;
      // Virtual tables (FTS, R*Tree) have no CREATE TABLE body to read.
      if (/^\s*CREATE\s+VIRTUAL\b/i.test(row.sql)) continue;
      const facts: TableFacts = {
        name: row.name,
        sql: row.sql,
        columns: columns.filter((column) => column.tbl === row.name),
        foreignKeys: foreignKeys.filter((foreignKey) => foreignKey.tbl === row.name),
        indexes: indexFacts(
          indexes.filter((index) => index.tbl === row.name),
          indexSql,
        ),
      };
      batchTables.set(row.name, buildBatchTable(facts));
    }
    for (const batch of batchTables.values()) result.push(toReflectedTable(batch, batchTables));
    return { tables: result, enums: [] };
  }

  /** A declared default's SQL text as it reads back: without parentheses around the whole expression. */
  normalizeDefault(sqlText: string): string {
    return unwrap(sqlText);
  }

  /** What `type` reads back as: its SQLite name, through the synonym table. */
  normalizeType(type: ColumnType): ColumnType {
    if (type.kind === "enum") return type;
    return sqliteColumnType(renderSqliteType(type));
  }

  /** A column declared `INTEGER PRIMARY KEY` is the rowid's alias: INTEGER whatever integer type was declared. */
  readonly integerPrimaryKeyAlias = true;

  /** SQLite's spellings of a type in one word each, for autogenerate's type comparison. */
  comparableType(key: TypeKey): TypeKey {
    return { name: SQLITE_TYPE_SYNONYMS[key.name] ?? key.name, args: key.args };
  }
}

/** Synonyms: each spelling maps to one name (lower case, spaces collapsed). */
const SQLITE_TYPE_SYNONYMS: Readonly<Record<string, string>> = {
  int: "integer",
  "character varying": "varchar",
  decimal: "numeric",
  "double precision": "double",
  bool: "boolean",
  timestamp: "datetime",
};

function indexFacts(rows: readonly IndexRow[], indexSql: ReadonlyMap<string, string>): TableFacts["indexes"] {
  const byName = new Map<string, { name: string; unique: boolean; origin: string; columns: string[] }>();
  for (const row of rows) {
    let index = byName.get(row.index_name);
    if (index === undefined) {
      index = { name: row.index_name, unique: row.index_unique === 1, origin: row.origin, columns: [] };
      byName.set(row.index_name, index);
    }
    if (row.column_name !== null) index.columns.push(row.column_name);
  }
  return [...byName.values()].map((index) => ({ ...index, sql: indexSql.get(index.name) }));
}

/** The batch model of a table, in core's table model. */
function toReflectedTable(batch: BatchTable, tables: ReadonlyMap<string, BatchTable>): ReflectedTable {
  const constraints: ConstraintDefinition[] = [];
  const primaryKey = batch.primaryKey;
  const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(batch.tableOptions);
  const rowidAlias =
    primaryKey !== undefined &&
    primaryKey.columns.length === 1 &&
    !withoutRowid &&
    batch.columns.find((column) => column.name === primaryKey.columns[0])?.type.toUpperCase() === "INTEGER"
      ? primaryKey.columns[0]
      : undefined;
  if (primaryKey !== undefined) {
    constraints.push({
      kind: "primaryKey",
      columns: primaryKey.columns,
      ...(primaryKey.name === undefined ? {} : { name: primaryKey.name }),
    });
  }
  const enumChecks = new Map<string, { name: string; values: string[] }>();
  for (const constraint of batch.constraints) {
    if (constraint.kind !== "check" || constraint.name === undefined) continue;
    const match = enumCheck(constraint.condition);
    if (match === undefined) continue;
    const column = batch.columns.find((candidate) => candidate.name.toLowerCase() === match.column.toLowerCase());
    const type = column === undefined ? undefined : sqliteColumnType(column.type);
    const width = Math.max(...match.values.map((value) => value.length));
    if (column === undefined || type?.kind !== "string" || type.length !== width || enumChecks.has(column.name)) {
      continue;
    }
    enumChecks.set(column.name, { name: constraint.name, values: match.values });
  }
  for (const constraint of batch.constraints) {
    switch (constraint.kind) {
      case "unique":
        constraints.push({
          kind: "unique",
          columns: constraint.columns,
          ...(constraint.name === undefined ? {} : { name: constraint.name }),
        });
        break;
      case "check": {
        const isEnum = [...enumChecks.values()].some((found) => found.name === constraint.name);
        if (isEnum) break;
        const check: CheckDefinition = {
          kind: "check",
          condition: sql(constraint.condition.trim()),
          ...(constraint.name === undefined ? {} : { name: constraint.name }),
        };
        constraints.push(check);
        break;
      }
      case "foreignKey": {
        const referredColumns =
          constraint.referredColumns.length > 0
            ? constraint.referredColumns
            : (findTable(tables, constraint.referredTable)?.primaryKey?.columns ?? []);
        const deferrable = constraint.deferrable;
        const match = /\bMATCH\s+(FULL|PARTIAL|SIMPLE)\b/i.exec(constraint.sql ?? "")?.[1]?.toUpperCase();
        const foreignKey: ForeignKeyDefinition = {
          kind: "foreignKey",
          columns: constraint.columns,
          referredTable: constraint.referredTable,
          referredColumns,
          ...(constraint.name === undefined ? {} : { name: constraint.name }),
          ...(constraint.onDelete === undefined ? {} : { onDelete: constraint.onDelete }),
          ...(constraint.onUpdate === undefined ? {} : { onUpdate: constraint.onUpdate }),
          ...(deferrable === undefined ? {} : { deferrable: !/^\s*NOT\b/i.test(deferrable) }),
          ...(deferrable === undefined || !/\bINITIALLY\s+DEFERRED\b/i.test(deferrable)
            ? deferrable !== undefined && /\bINITIALLY\s+IMMEDIATE\b/i.test(deferrable)
              ? { initially: "IMMEDIATE" as const }
              : {}
            : { initially: "DEFERRED" as const }),
          ...(match === undefined ? {} : { match: match as ForeignKeyDefinition["match"] }),
        };
        constraints.push(foreignKey);
        break;
      }
    }
  }
  const columns = batch.columns.map((column): ReflectedColumn => {
    const enumFound = enumChecks.get(column.name);
    const type: ColumnType =
      enumFound === undefined
        ? sqliteColumnType(column.type)
        : { kind: "enum", name: enumFound.name, values: enumFound.values };
    const inPrimaryKey = primaryKey?.columns.includes(column.name) === true;
    return {
      kind: "column",
      name: column.name,
      type,
      reportedType: column.type,
      ...(column.generated === undefined ? {} : { computedStored: column.generated.stored }),
      options: {
        nullable: !(column.notNull || column.name === rowidAlias),
        ...(column.defaultSql === undefined || column.generated !== undefined
          ? {}
          : { serverDefault: sql(unwrap(column.defaultSql)) }),
        ...(inPrimaryKey && primaryKey?.autoincrement === true ? { autoincrement: true } : {}),
        ...(column.generated === undefined ? {} : { computed: sql(column.generated.expression.trim()) }),
      },
    };
  });
  const indexes = batch.indexes.map(
    (index): ReflectedIndex => ({
      kind: "index",
      name: index.name,
      // A term's COLLATE/ASC/DESC is kept, as ``sql`"name" DESC` `` declares it.
      columns: index.terms.map((term): string | SqlExpression => {
        const suffix = term.suffix.trim() === "" ? "" : ` ${term.suffix.trim()}`;
        if (term.column !== undefined) return suffix === "" ? term.column : sql(`${quoteName(term.column)}${suffix}`);
        return sql(`${(term.expression ?? "").trim()}${suffix}`);
      }),
      unique: index.unique,
      ...(index.where === undefined ? {} : { where: sql(index.where.trim()) }),
    }),
  );
  return { kind: "table", name: batch.name, columns, constraints, indexes, options: {} };
}

function findTable(tables: ReadonlyMap<string, BatchTable>, name: string): BatchTable | undefined {
  return tables.get(name) ?? [...tables.values()].find((table) => table.name.toLowerCase() === name.toLowerCase());
}

/** `"col" IN ('a', 'b')`, as the compiler writes an enum's CHECK. */
function enumCheck(condition: string): { column: string; values: string[] } | undefined {
  const match = /^\s*(?:"((?:[^"]|"")+)"|(\w+))\s+IN\s*\(((?:\s*'(?:[^']|'')*'\s*,?)+)\)\s*$/i.exec(condition);
  if (match === null) return undefined;
  const column = match[1] === undefined ? (match[2] as string) : match[1].replaceAll('""', '"');
  const values = [...(match[3] as string).matchAll(/'((?:[^']|'')*)'/g)].map((value) =>
    (value[1] as string).replaceAll("''", "'"),
  );
  return values.length === 0 ? undefined : { column, values };
}

/**
 * Removes parentheses around a whole DEFAULT expression: the compiler
 * writes ``sql`lower(x)` `` as `DEFAULT (lower(x))`, as SQLite requires.
 */
export function unwrap(text: string): string {
  let result = text.trim();
  while (result.startsWith("(") && closesAtEnd(result)) result = result.slice(1, -1).trim();
  return result;
}

/** True when the `(` at position 0 is closed by the last character (quotes skipped). */
function closesAtEnd(text: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"' || char === "`") quote = char;
    else if (char === "(") depth++;
    else if (char === ")") {
      depth--;
      if (depth === 0) return at === text.length - 1;
    }
  }
  return false;
}

/**
 * A declared SQLite type in core's vocabulary: the names Retort's compiler
 * writes (`renderSqliteType`) and their common synonyms; anything else is
 * `customType(<declared text>)`. SQLite keeps the declared text
 * (https://sqlite.org/datatype3.html), so this reads names, not affinities:
 * `INT` is `integer()` but `MEDIUMINT` stays custom.
 *
 * ```ts
 * sqliteColumnType("VARCHAR(255)"); // string(255)
 * sqliteColumnType("NUMERIC(10, 2)"); // numeric(10, 2)
 * ```
 */
export function sqliteColumnType(declared: string): ColumnType {
  const text = declared.trim().replace(/\s+/g, " ");
  const match = /^([A-Za-z_][A-Za-z_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(text);
  const custom: ColumnType = { kind: "custom", sql: declared };
  if (match === null) return custom;
  const name = (match[1] as string).toUpperCase();
  const first = match[2] === undefined ? undefined : Number(match[2]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  const bare = first === undefined;
  switch (name) {
    case "INTEGER":
    case "INT":
      return bare ? { kind: "integer" } : custom;
    case "BIGINT":
    case "INT8":
      return bare ? { kind: "bigInteger" } : custom;
    case "SMALLINT":
    case "INT2":
      return bare ? { kind: "smallInteger" } : custom;
    case "VARCHAR":
    case "CHARACTER VARYING":
    case "VARYING CHARACTER":
    case "NVARCHAR":
      if (second !== undefined) return custom;
      return first === undefined ? { kind: "string" } : { kind: "string", length: first };
    case "TEXT":
    case "CLOB":
      return bare ? { kind: "text" } : custom;
    case "BOOLEAN":
    case "BOOL":
      return bare ? { kind: "boolean" } : custom;
    case "DATE":
      return bare ? { kind: "date" } : custom;
    case "DATETIME":
    case "TIMESTAMP":
      return bare ? { kind: "dateTime", timezone: false } : custom;
    case "TIME":
      return bare ? { kind: "time", timezone: false } : custom;
    case "NUMERIC":
    case "DECIMAL":
      if (first === undefined) return { kind: "numeric" };
      return second === undefined
        ? { kind: "numeric", precision: first }
        : { kind: "numeric", precision: first, scale: second };
    case "FLOAT":
    case "REAL":
    case "DOUBLE":
    case "DOUBLE PRECISION":
      // SQLite stores every one as an 8-byte REAL: a precision means nothing.
      return { kind: "float" };
    case "JSON":
      return bare ? { kind: "json" } : custom;
    case "BLOB":
      return bare ? { kind: "binary" } : custom;
    default:
      return custom;
  }
}
