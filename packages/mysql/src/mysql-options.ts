import type { TableDefinition } from "@retort/core";
import { checkOptions, optionNames } from "@retort/core/dialect";

/**
 * `{ mysql: {...} }` options of `op.createIndex` (SQLAlchemy's `mysql_length`
 * and `mysql_prefix`): `length` is the prefix length of every column (a
 * number) or of some (`{ body: 10 }`), needed to index TEXT and BLOB
 * columns; `prefix` the kind of index, `FULLTEXT` or `SPATIAL`
 * (`CREATE FULLTEXT INDEX ...`).
 */
export type MysqlIndexOptions = {
  readonly length?: number | Readonly<Record<string, number>> | undefined;
  readonly prefix?: "FULLTEXT" | "SPATIAL" | undefined;
};

export const INDEX_OPTIONS = optionNames<MysqlIndexOptions>({ length: true, prefix: true });

/** The kinds of index `{ mysql: { prefix } }` names. */
export const INDEX_PREFIXES: ReadonlySet<string> = new Set(["FULLTEXT", "SPATIAL"]);

/**
 * `{ mysql: {...} }` options of `op.createTable` / `table(...)`
 * (SQLAlchemy's `mysql_engine`, `mysql_charset`, `mysql_collate`): written
 * after the column list as `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE
 * utf8mb4_bin`.
 */
export type MysqlTableOptions = {
  readonly engine?: string | undefined;
  readonly charset?: string | undefined;
  readonly collate?: string | undefined;
};

const TABLE_OPTIONS = optionNames<MysqlTableOptions>({ engine: true, charset: true, collate: true });

/** An engine, character set or collation name: letters, digits and underscores. */
const OPTION_WORD = /^[A-Za-z0-9_]+$/;
/**
 * The clause after a created table's column list from its `{ mysql: {...} }`
 * block: `ENGINE=... DEFAULT CHARSET=... COLLATE ...`; a value that is not
 * a plain name is refused through `refuse` (nothing is written into the
 * statement that could be SQL).
 */
export function mysqlTableOptionsClause(
  table: TableDefinition,
  databaseName: string,
  refuse: (message: string) => never,
): string {
  const block = table.options.mysql;
  if (block === undefined) return "";
  checkOptions(block, TABLE_OPTIONS, "op.createTable", table.name, "mysql");
  const { engine, charset, collate } = block as MysqlTableOptions;
  const clauses: string[] = [];
  for (const [key, value, sql] of [
    ["engine", engine, "ENGINE="],
    ["charset", charset, "DEFAULT CHARSET="],
    ["collate", collate, "COLLATE "],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== "string" || !OPTION_WORD.test(value)) {
      refuse(
        `op.createTable("${table.name}"): { mysql: { ${key}: ${JSON.stringify(value)} } } is not a name ` +
          `${databaseName} knows (letters, digits and underscores, e.g. ${key === "engine" ? "InnoDB" : "utf8mb4"})`,
      );
    }
    clauses.push(`${sql}${value}`);
  }
  return clauses.length === 0 ? "" : ` ${clauses.join(" ")}`;
}
