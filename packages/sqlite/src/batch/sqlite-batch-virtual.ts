import type Database from "better-sqlite3";
import { sqlLiteral } from "./sqlite-batch-cast.js";
import type { RebuildCheck } from "./sqlite-batch-rebuild-checks.js";
import { hasHiddenRowid, rowidAlias, rowidName } from "./sqlite-batch-render.js";
import {
  closingParen,
  isKeyword,
  isName,
  quoteName,
  significant,
  splitTopLevel,
  tokenize,
} from "./sqlite-batch-sql.js";
import { type BatchTable, SqliteBatchError } from "./sqlite-batch-types.js";

/**
 * Virtual tables and a rebuild. A virtual table (FTS, R*Tree, ...) is not a
 * table the move-and-copy procedure can rebuild: copied into a plain table
 * it would lose its index; its shadow tables belong to its module. And an
 * FTS4/FTS5 table with external content (`content='docs'`) reads the rows
 * of another table by rowid (or `content_rowid`) and column name
 * (https://sqlite.org/fts5.html#external_content_tables,
 * https://sqlite.org/fts3.html#_external_content_fts4_tables_): a rebuild
 * that drops or renames a column it reads, or gives the table other
 * rowids, would leave an index that no longer matches its table.
 */

/** The shadow tables the built-in modules create, by suffix (fts5.html, fts3.html, rtree.html). */
const SHADOW_SUFFIXES = [
  "_data",
  "_idx",
  "_content",
  "_docsize",
  "_config",
  "_segments",
  "_segdir",
  "_stat",
  "_node",
  "_rowid",
  "_parent",
];

const VIRTUAL = /^\s*CREATE\s+VIRTUAL\s+TABLE\b/i;

/** A `CREATE VIRTUAL TABLE` statement: the module's name and its arguments (token lists). */
export function parseVirtualTable(sql: string): { module: string; args: ReturnType<typeof splitTopLevel> } | undefined {
  if (!VIRTUAL.test(sql)) return undefined;
  const tokens = significant(tokenize(sql));
  const using = tokens.findIndex((token) => isKeyword(token, "USING"));
  const module = tokens[using + 1];
  if (using === -1 || !isName(module)) return undefined;
  const open = using + 2;
  if (tokens[open]?.text !== "(") return { module: module.name.toLowerCase(), args: [] };
  return { module: module.name.toLowerCase(), args: splitTopLevel(tokens.slice(open + 1, closingParen(tokens, open))) };
}

/** An FTS4/FTS5 table that indexes the rows of another table or view (`content=`). */
export interface ExternalContentIndex {
  readonly name: string;
  readonly module: string;
  /** The table or view it reads. */
  readonly content: string;
  /** The column it reads as the rowid: FTS5's `content_rowid`, else `rowid`. */
  readonly contentRowid: string;
  /** Its columns, which it reads from the content table by name. */
  readonly columns: readonly string[];
}

/** An option's value as FTS reads it: a bareword, or a quoted string or name unquoted. */
function optionValue(tokens: ReturnType<typeof tokenize>): string {
  const value = tokens.map((token) => token.text).join("");
  const quote = value[0];
  if (quote === "'" || quote === '"' || quote === "`") return value.slice(1, -1).replaceAll(quote + quote, quote);
  if (quote === "[") return value.slice(1, -1);
  return value;
}

/** The FTS4/FTS5 tables with external content in the database, from their SQL. */
export function externalContentIndexes(database: Database.Database): ExternalContentIndex[] {
  const rows = database
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL ORDER BY rowid")
    .all() as { name: string; sql: string }[];
  const found: ExternalContentIndex[] = [];
  for (const row of rows) {
    const parsed = parseVirtualTable(row.sql);
    if (parsed === undefined || (parsed.module !== "fts4" && parsed.module !== "fts5")) continue;
    const options = new Map<string, string>();
    const columns: string[] = [];
    for (const arg of parsed.args) {
      if (arg[1]?.text === "=" && arg[0] !== undefined)
        options.set(arg[0].name.toLowerCase(), optionValue(arg.slice(2)));
      else if (isName(arg[0])) columns.push(arg[0].name);
    }
    const content = options.get("content");
    if (content === undefined || content === "") continue;
    const contentRowid = parsed.module === "fts5" ? (options.get("content_rowid") ?? "rowid") : "rowid";
    found.push({ name: row.name, module: parsed.module, content, contentRowid, columns });
  }
  return found;
}

const ROWID_NAMES = new Set(["rowid", "oid", "_rowid_"]);

/** Why the index cannot read its content table as the database is now, or undefined. */
export function contentProblem(database: Database.Database, index: ExternalContentIndex): string | undefined {
  const rows = database.prepare("SELECT name FROM pragma_table_xinfo(?)").all(index.content) as { name: string }[];
  if (rows.length === 0) return `its content table "${index.content}" does not exist`;
  const has = new Set(rows.map((row) => row.name.toLowerCase()));
  const missing = index.columns.filter((column) => !has.has(column.toLowerCase()));
  if (missing.length > 0) {
    const names = missing.map((column) => `"${column}"`).join(", ");
    return `it reads column${missing.length === 1 ? "" : "s"} ${names} of "${index.content}", which the batch drops or renames`;
  }
  const rowid = index.contentRowid;
  if (has.has(rowid.toLowerCase())) return undefined;
  if (!ROWID_NAMES.has(rowid.toLowerCase()))
    return `its content_rowid "${rowid}" is not a column of "${index.content}"`;
  try {
    database.prepare(`SELECT ${rowid} FROM ${quoteName(index.content)} LIMIT 0`);
    return undefined;
  } catch {
    return `"${index.content}" has no rowid for it to read`;
  }
}

/**
 * True when every row of the rebuilt table keeps its rowid: the new table's
 * hidden rowid is copied from the old rowid, or its INTEGER PRIMARY KEY is
 * the old one's.
 */
export function rowidValuesKept(original: BatchTable, target: BatchTable): boolean {
  if (hasHiddenRowid(target)) return rowidName(original) !== undefined;
  const before = rowidAlias(original);
  const after = rowidAlias(target);
  return before !== undefined && after?.source?.toLowerCase() === before.name.toLowerCase();
}

/**
 * Refuses the rebuild when it breaks an external-content FTS index that
 * worked before: `before` are the problems read before the batch (an index
 * already broken is not blamed on it), the scratch database now holds the
 * rebuilt table.
 */
export function assertExternalContentKept(
  database: Database.Database,
  table: string,
  indexes: readonly ExternalContentIndex[],
  before: ReadonlyMap<string, string | undefined>,
  rowidsKept: boolean,
): void {
  const broken: string[] = [];
  for (const index of indexes) {
    if (before.get(index.name) !== undefined) continue;
    let problem = contentProblem(database, index);
    if (
      problem === undefined &&
      !rowidsKept &&
      index.content.toLowerCase() === table.toLowerCase() &&
      ROWID_NAMES.has(index.contentRowid.toLowerCase())
    ) {
      problem = `it finds rows of "${table}" by rowid, and the batch gives them other rowids (a new INTEGER PRIMARY KEY)`;
    }
    if (problem !== undefined)
      broken.push(`${index.module} table "${index.name}" (content='${index.content}'): ${problem}`);
  }
  if (broken.length === 0) return;
  const names = indexes.filter((index) => broken.some((line) => line.includes(`table "${index.name}"`)));
  const drops = names.map((index) => `DROP TABLE ${quoteName(index.name)}`).join("; ");
  const fills = names
    .map((index) => `INSERT INTO ${quoteName(index.name)} (${quoteName(index.name)}) VALUES ('rebuild')`)
    .join("; ");
  throw new SqliteBatchError(
    `Batch rebuild of "${table}" refused: ${broken.join("; ")}. Its full-text index would no longer match the ` +
      `table (queries on it fail or find the wrong rows). Drop it, and the triggers that keep it in sync, before ` +
      `the block (op.execute('${drops}')), then after the block create them again for the new columns and fill ` +
      `the index (op.execute(\`${fills}\`)), in the same migration. Nothing was changed.`,
  );
}

/**
 * Refuses, before anything changes, a rebuild of a virtual table or of a
 * virtual table's shadow table. `schema` is the live database's
 * `sqlite_master` (a virtual table whose module this connection lacks is
 * not in the scratch database); the scratch database lists the shadow
 * tables of the modules it has.
 */
export function assertNotVirtual(
  scratch: Database.Database,
  table: string,
  schema: readonly { readonly type: string; readonly name: string; readonly sql: string }[],
): void {
  const virtuals = schema.filter((row) => row.type === "table" && VIRTUAL.test(row.sql));
  const own = virtuals.find((row) => row.name.toLowerCase() === table.toLowerCase());
  if (own !== undefined) {
    throw new SqliteBatchError(
      `Batch rebuild of "${table}" refused: it is a virtual table (USING ${parseVirtualTable(own.sql)?.module ?? "?"}), ` +
        "which the move-and-copy procedure cannot rebuild: it would become a plain table, its index lost. Drop it " +
        `and create it again in the migration (op.execute('DROP TABLE ${quoteName(table)}'), then CREATE VIRTUAL ` +
        "TABLE with the new columns, and fill it). Nothing was changed.",
    );
  }
  const owner = virtuals.find((virtual) => isShadowOf(table, virtual.name));
  const listed = scratch
    .prepare("SELECT 1 FROM pragma_table_list WHERE name = ? COLLATE NOCASE AND type = 'shadow'")
    .get(table);
  if (owner !== undefined || listed !== undefined) {
    throw new SqliteBatchError(
      `Batch rebuild of "${table}" refused: it is a shadow table${owner === undefined ? "" : ` of virtual table "${owner.name}"`}, ` +
        "which that table's module keeps; changing it would corrupt the virtual table. Change the virtual table " +
        "instead (drop it and create it again). Nothing was changed.",
    );
  }
}

function isShadowOf(table: string, virtual: string): boolean {
  const name = table.toLowerCase();
  return SHADOW_SUFFIXES.some((suffix) => name === `${virtual.toLowerCase()}${suffix}`);
}

/**
 * Offline: the table is neither a virtual table nor one of the built-in
 * modules' shadow tables (a --sql script knows the table from copyFrom only).
 */
export function notVirtualCheck(table: string): RebuildCheck {
  const name = sqlLiteral(table.toLowerCase());
  const shadows = SHADOW_SUFFIXES.map((suffix) => `lower("name") || ${sqlLiteral(suffix)}`).join(", ");
  return {
    column: "not_virtual",
    condition:
      `NOT EXISTS (SELECT 1 FROM sqlite_master WHERE "type" = 'table' AND "sql" LIKE 'CREATE VIRTUAL TABLE%' ` +
      `AND (lower("name") = ${name} OR ${name} IN (${shadows})))`,
    message:
      "the table is a virtual table or a virtual table's shadow table, which a rebuild would turn into a plain table " +
      "(drop the virtual table and create it again instead)",
  };
}

/**
 * Offline, when the batch drops or renames a column or changes the rowids:
 * no virtual table mentions the table with a `content` option (an FTS
 * index reading its rows; a cautious test on the SQL's text).
 */
export function noExternalContentCheck(table: string): RebuildCheck {
  const name = sqlLiteral(table.toLowerCase());
  return {
    column: "no_external_content",
    condition:
      `NOT EXISTS (SELECT 1 FROM sqlite_master WHERE "type" = 'table' AND "sql" LIKE 'CREATE VIRTUAL TABLE%' ` +
      `AND instr(lower("sql"), 'content') > 0 AND instr(lower("sql"), ${name}) > 0)`,
    message:
      "an FTS table reads the table (content=), and the batch drops or renames a column or changes rowids, which " +
      "would leave its index not matching the table: drop it (and its triggers) before the block, create it again " +
      "after it and fill it with INSERT INTO fts(fts) VALUES('rebuild')",
  };
}
