import type {
  ColumnType,
  ConstraintDefinition,
  DatabaseIntrospector,
  IndexDefinition,
  IntrospectOptions,
  ReadQuery,
  ReferentialAction,
  ReflectedColumn,
  ReflectedForeignKey,
  ReflectedIndex,
  ReflectedSchema,
  ReflectedTable,
  SqlExpression,
  TableDefinition,
  TypeKey,
  TypeSide,
} from "@retort/core";
import { sql } from "@retort/core/dialect";
import { conventionName, MAX_IDENTIFIER_LENGTH, type MysqlFlavor } from "./mysql-dialect.js";
import { mysqlDefault, reflectedDefault, unquoteIdentifiers } from "./mysql-defaults.js";
import { reflectedIndexOptions, sameIndexKind, samePrefixLengths } from "./mysql-index-length.js";
import { renderMysqlType } from "./mysql-types.js";
import { comparableMysqlType, mysqlColumnType } from "./mysql-type-names.js";

/** Base tables of the connection's database, with their comments. */
const TABLES_SQL = `
SELECT table_name AS table_name, table_comment AS table_comment
FROM information_schema.TABLES
WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
ORDER BY table_name`;

const COLUMNS_SQL = `
SELECT table_name AS table_name, column_name AS column_name, column_type AS column_type,
  data_type AS data_type, is_nullable AS is_nullable, column_default AS column_default, extra AS extra,
  generation_expression AS generation_expression, column_comment AS column_comment
FROM information_schema.COLUMNS
WHERE table_schema = DATABASE()
ORDER BY table_name, ordinal_position`;

/** Primary keys, unique constraints and foreign keys, one row per column, with the foreign keys' actions. */
const KEYS_SQL = `
SELECT tc.table_name AS table_name, tc.constraint_name AS constraint_name, tc.constraint_type AS constraint_type,
  kcu.column_name AS column_name, kcu.referenced_table_schema AS referenced_schema,
  kcu.referenced_table_name AS referenced_table, kcu.referenced_column_name AS referenced_column,
  rc.update_rule AS update_rule, rc.delete_rule AS delete_rule
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.KEY_COLUMN_USAGE kcu
  ON kcu.constraint_schema = tc.constraint_schema AND kcu.table_name = tc.table_name
  AND kcu.constraint_name = tc.constraint_name
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc
  ON rc.constraint_schema = tc.constraint_schema AND rc.table_name = tc.table_name
  AND rc.constraint_name = tc.constraint_name
WHERE tc.table_schema = DATABASE() AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY tc.table_name, tc.constraint_name, kcu.ordinal_position`;

/**
 * CHECK constraints. MariaDB's CHECK_CONSTRAINTS names the table (a check's
 * name is unique per table there); MySQL 8's does not (unique per schema),
 * so the table comes from TABLE_CONSTRAINTS.
 */
const CHECKS_SQL: Readonly<Record<MysqlFlavor, string>> = {
  mariadb: `
SELECT table_name AS table_name, constraint_name AS constraint_name, check_clause AS check_clause
FROM information_schema.CHECK_CONSTRAINTS
WHERE constraint_schema = DATABASE()
ORDER BY table_name, constraint_name`,
  mysql: `
SELECT tc.table_name AS table_name, cc.constraint_name AS constraint_name, cc.check_clause AS check_clause
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc
  ON tc.constraint_schema = cc.constraint_schema AND tc.constraint_name = cc.constraint_name
  AND tc.constraint_type = 'CHECK'
WHERE cc.constraint_schema = DATABASE()
ORDER BY tc.table_name, cc.constraint_name`,
};

/** Index key parts; MySQL 8 reports a functional key part's expression (MariaDB has none). */
const INDEXES_SQL: Readonly<Record<MysqlFlavor, string>> = {
  mariadb: `
SELECT table_name AS table_name, index_name AS index_name, non_unique AS non_unique, column_name AS column_name,
  NULL AS expression, collation AS collation, sub_part AS sub_part, index_type AS index_type
FROM information_schema.STATISTICS
WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'
ORDER BY table_name, index_name, seq_in_index`,
  mysql: `
SELECT table_name AS table_name, index_name AS index_name, non_unique AS non_unique, column_name AS column_name,
  expression AS expression, collation AS collation, sub_part AS sub_part, index_type AS index_type
FROM information_schema.STATISTICS
WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'
ORDER BY table_name, index_name, seq_in_index`,
};

interface TableRow {
  table_name: string;
  table_comment: string | null;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  column_type: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
  extra: string | null;
  generation_expression: string | null;
  column_comment: string | null;
}

interface KeyRow {
  table_name: string;
  constraint_name: string;
  constraint_type: "PRIMARY KEY" | "UNIQUE" | "FOREIGN KEY";
  column_name: string;
  referenced_schema: string | null;
  referenced_table: string | null;
  referenced_column: string | null;
  update_rule: string | null;
  delete_rule: string | null;
}

interface CheckRow {
  table_name: string;
  constraint_name: string;
  check_clause: string;
}

interface IndexRow {
  table_name: string;
  index_name: string;
  non_unique: number | string;
  column_name: string | null;
  expression: string | null;
  collation: string | null;
  sub_part: number | string | null;
  index_type: string;
}

/**
 * InnoDB's actions: RESTRICT and NO ACTION are the same (checked at once),
 * and the default; both read back as no action.
 */
const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = {
  CASCADE: "CASCADE",
  "SET NULL": "SET NULL",
  "SET DEFAULT": "SET DEFAULT",
};

/**
 * Reads a MySQL 8 or MariaDB 10.11+ database (the connection's,
 * `DATABASE()`) as core's table model from `information_schema`, in five
 * queries whatever the number of tables: TABLES (comments), COLUMNS,
 * TABLE_CONSTRAINTS with KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS
 * (primary keys, unique constraints, foreign keys and their actions),
 * CHECK_CONSTRAINTS, and STATISTICS (indexes).
 *
 * What the two servers report differently is read into one shape:
 *
 * - types through `mysqlColumnType` (`int(11)` is `integer()`,
 *   `tinyint(1)` `boolean()`, an `enum('a','b')` column an enum named
 *   after the column); MariaDB's JSON, a `longtext` with a `json_valid`
 *   CHECK named after the column, is `json()` and the check is not
 *   reported;
 * - defaults as SQL text (`'abc'`, `0`, `CURRENT_TIMESTAMP`): MariaDB
 *   gives them so, MySQL 8 gives a literal's bare value;
 * - a unique index is a UNIQUE constraint (MySQL has no other kind),
 *   unless a key part is an expression or a prefix;
 * - the index InnoDB creates for a foreign key, named after the key (or
 *   after its column when the key has no name), is reported with
 *   `foreignKey` set, so that autogenerate does not take it for an index
 *   of its own;
 * - RESTRICT and NO ACTION (the same on InnoDB) read back as no action.
 *
 * ```ts
 * const schema = await new MysqlIntrospector("mariadb").introspect(read, { excludeTables: ["alembic_version"] });
 * ```
 */
export class MysqlIntrospector implements DatabaseIntrospector {
  /** RESTRICT is NO ACTION on InnoDB. */
  readonly restrictIsNoAction = true;

  constructor(readonly flavor: MysqlFlavor = "mysql") {}

  async introspect(read: ReadQuery, options: IntrospectOptions = {}): Promise<ReflectedSchema> {
    const tableRows = await read<TableRow>(TABLES_SQL);
    const columnRows = await read<ColumnRow>(COLUMNS_SQL);
    const keyRows = await read<KeyRow>(KEYS_SQL);
    const checkRows = await read<CheckRow>(CHECKS_SQL[this.flavor]);
    const indexRows = await read<IndexRow>(INDEXES_SQL[this.flavor]);
    const excluded = new Set(options.excludeTables ?? []);
    const columns = groupBy(columnRows, (row) => row.table_name);
    const keys = groupBy(keyRows, (row) => row.table_name);
    const checks = groupBy(checkRows, (row) => row.table_name);
    const indexes = groupBy(indexRows, (row) => row.table_name);

    const tables: ReflectedTable[] = [];
    for (const row of tableRows) {
      if (excluded.has(row.table_name)) continue;
      tables.push(
        this.#table(
          row,
          columns.get(row.table_name) ?? [],
          keys.get(row.table_name) ?? [],
          checks.get(row.table_name) ?? [],
          indexes.get(row.table_name) ?? [],
        ),
      );
    }
    return { tables, enums: [] };
  }

  #table(
    row: TableRow,
    columnRows: readonly ColumnRow[],
    keyRows: readonly KeyRow[],
    checkRows: readonly CheckRow[],
    indexRows: readonly IndexRow[],
  ): ReflectedTable {
    // MariaDB's JSON: a longtext column with CHECK (json_valid(`column`)) named after it.
    const jsonChecks = new Set(
      checkRows
        .filter((check) => jsonValidColumn(check.check_clause) === check.constraint_name)
        .map((check) => check.constraint_name),
    );
    const reflectedColumns = columnRows.map((column) =>
      this.#column(column, jsonChecks.has(column.column_name) && column.data_type.toLowerCase() === "longtext"),
    );
    const jsonColumns = new Set(
      reflectedColumns.filter((column) => column.type.kind === "json").map((column) => column.name),
    );
    const constraints: ConstraintDefinition[] = [];
    const foreignKeys: ReflectedForeignKey[] = [];
    const indexGroups = groupBy(indexRows, (index) => index.index_name);
    // A unique index with an expression or a prefix is an index; any other is a UNIQUE constraint.
    const indexOnly = new Set(
      [...indexGroups]
        .filter(([, parts]) => parts.some((part) => part.column_name === null || part.sub_part !== null))
        .map(([name]) => name),
    );
    for (const [name, parts] of groupBy(keyRows, (key) => key.constraint_name)) {
      const first = parts[0] as KeyRow;
      const columnNames = parts.map((part) => part.column_name);
      if (first.constraint_type === "PRIMARY KEY") {
        // MySQL names every primary key PRIMARY, whatever was declared: it has no name of its own.
        constraints.push({ kind: "primaryKey", columns: columnNames });
      } else if (first.constraint_type === "UNIQUE") {
        if (!indexOnly.has(name)) constraints.push({ kind: "unique", name, columns: columnNames });
      } else {
        const onDelete = ACTIONS[first.delete_rule ?? ""];
        const onUpdate = ACTIONS[first.update_rule ?? ""];
        foreignKeys.push({
          kind: "foreignKey",
          name,
          columns: columnNames,
          referredTable: first.referenced_table as string,
          referredColumns: parts.map((part) => part.referenced_column as string),
          ...(onDelete === undefined ? {} : { onDelete }),
          ...(onUpdate === undefined ? {} : { onUpdate }),
        });
      }
    }
    for (const check of checkRows) {
      if (jsonChecks.has(check.constraint_name) && jsonColumns.has(check.constraint_name)) continue;
      constraints.push({
        kind: "check",
        name: check.constraint_name,
        condition: sql(unquoteIdentifiers(check.check_clause)),
      });
    }
    const indexes: ReflectedIndex[] = [];
    for (const [name, parts] of indexGroups) {
      const unique = Number((parts[0] as IndexRow).non_unique) === 0;
      if (unique && !indexOnly.has(name)) continue;
      const terms = parts.map((part): string | SqlExpression => {
        const descending = part.collation === "D" ? " DESC" : "";
        if (part.column_name === null) return sql(`${unquoteIdentifiers(part.expression ?? "")}${descending}`);
        return descending === "" ? part.column_name : sql(`${identifier(part.column_name)}${descending}`);
      });
      const backs = unique ? undefined : backedForeignKey(name, terms, foreignKeys);
      const options = reflectedIndexOptions(parts, (parts[0] as IndexRow).index_type);
      indexes.push({
        kind: "index",
        name,
        columns: terms,
        unique,
        ...(options === undefined ? {} : { dialectOptions: options }),
        ...(backs === undefined ? {} : { foreignKey: backs }),
      });
    }
    const comment = row.table_comment ?? "";
    return {
      kind: "table",
      name: row.table_name,
      columns: reflectedColumns,
      constraints: [...constraints, ...foreignKeys],
      indexes,
      options: comment === "" ? {} : { comment },
    };
  }

  #column(row: ColumnRow, json: boolean): ReflectedColumn {
    const type = mysqlColumnType(row.column_type, { column: row.column_name, jsonColumn: json });
    const extra = (row.extra ?? "").toLowerCase();
    const generated = row.generation_expression !== null && row.generation_expression !== "" && /generated/.test(extra);
    const computed = generated && !/default_generated/.test(extra);
    const serverDefault = computed ? undefined : reflectedDefault(row.column_default, extra, type, this.flavor);
    const comment = row.column_comment ?? "";
    return {
      kind: "column",
      name: row.column_name,
      type,
      reportedType: json ? "json" : row.column_type,
      // EXTRA says `STORED GENERATED` or `VIRTUAL GENERATED` (MySQL 8 and MariaDB alike; MariaDB also takes PERSISTENT for STORED).
      ...(computed ? { computedStored: /stored|persistent/.test(extra) } : {}),
      options: {
        nullable: row.is_nullable.toUpperCase() === "YES",
        ...(serverDefault === undefined ? {} : { serverDefault: sql(serverDefault) }),
        ...(/auto_increment/.test(extra) ? { autoincrement: true } : {}),
        ...(computed ? { computed: sql(unquoteIdentifiers(row.generation_expression as string)) } : {}),
        ...(comment === "" ? {} : { comment }),
      },
    };
  }

  /** What `type` reads back as: the compiler's MySQL type, through the server's synonyms. */
  normalizeType(type: ColumnType): ColumnType {
    if (type.kind === "enum") return type;
    if (type.kind === "jsonb") return { kind: "json" };
    return mysqlColumnType(renderMysqlType(type, (value) => `'${value.replaceAll("'", "''")}'`));
  }

  /** A declared default's SQL text as the server reports it back (see `mysqlDefault`). */
  normalizeDefault(sqlText: string, type: ColumnType): string {
    return mysqlDefault(sqlText, this.normalizeType(type));
  }

  /** MySQL's spellings of a type in one word each (see `comparableMysqlType`). */
  comparableType(key: TypeKey, side: TypeSide): TypeKey {
    return comparableMysqlType(key, side);
  }

  /**
   * Prefix lengths (`{ mysql: { length } }`) compare with SUB_PART, and the
   * kind (`{ mysql: { prefix: "FULLTEXT" } }`) with INDEX_TYPE, where the
   * declared index gives them.
   */
  sameIndexOptions(declared: IndexDefinition, reflected: ReflectedIndex, table: TableDefinition): boolean {
    return samePrefixLengths(declared, reflected, table.columns) && sameIndexKind(declared, reflected);
  }

  /** Names past 64 characters as MySQL would take them: a generated one shortened as the compiler does. */
  indexName(name: string, generated: boolean): string {
    if ([...name].length <= MAX_IDENTIFIER_LENGTH) return name;
    return generated ? conventionName(name) : name;
  }
}

/** `json_valid(`doc`)` names `doc`. */
function jsonValidColumn(clause: string): string | undefined {
  const match = /^\s*json_valid\s*\(\s*`((?:[^`]|``)+)`\s*\)\s*$/i.exec(clause);
  return match === null ? undefined : (match[1] as string).replaceAll("``", "`");
}

/**
 * The foreign key an index was made for by InnoDB: it carries the key's
 * name (a key declared without one gets an index named after its first
 * column), and its columns start with the key's.
 */
function backedForeignKey(
  name: string,
  terms: readonly (string | SqlExpression)[],
  foreignKeys: readonly ReflectedForeignKey[],
): string | undefined {
  const match = foreignKeys.find(
    (fk) =>
      (fk.name === name || fk.columns[0] === name) &&
      fk.columns.length <= terms.length &&
      fk.columns.every((column, at) => terms[at] === column),
  );
  return match?.name;
}

function identifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(name) ? name : `\`${name.replaceAll("`", "``")}\``;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const name = key(row);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [row]);
    else group.push(row);
  }
  return groups;
}
