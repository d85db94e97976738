import type { CompareHook, IncludeNameHook, IncludeObjectHook } from "../config/retort-config.js";
import { defaultIndexName } from "../schema/generated-names.js";
import type { Dialect } from "../driver/driver.js";
import type { ReflectedIndex, ReflectedSchema } from "../introspection/reflected-schema.js";
import {
  type CheckDefinition,
  type ColumnDefinition,
  type ForeignKeyDefinition,
  type IndexDefinition,
  parseReference,
  type UniqueDefinition,
} from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";
import type { SchemaDiff } from "./schema-diff.js";
import { compareColumn } from "./compare-columns.js";
import { compareEnums } from "./compare-enums.js";
import { foreignKeySignature, named, namedForeignKey, sameIndex, signature } from "./compare-keys.js";
import { conventionName, UNNAMED_FOREIGN_KEY_CONVENTION } from "./naming-convention.js";

/** The wanted schema: the `table(...)`s of the config's schema module. */
export interface DeclaredSchema {
  readonly tables: readonly TableDefinition[];
}

/**
 * What the comparison asks of the dialect: its type text and literals, and
 * its introspector's facts of how the database reads things back (type
 * synonyms, the rowid alias, index name lengths). Never its name.
 */
export type CompareDialect = Pick<Dialect, "renderLiteral" | "typeText" | "introspector">;

/** What the comparison needs to know of the database and the config. */
export interface CompareOptions {
  /** The connection's dialect (or any object with what `CompareDialect` picks). */
  readonly dialect: CompareDialect;
  /** Native enum types (`CREATE TYPE ... AS ENUM`): compare them. Default false. */
  readonly nativeEnum?: boolean;
  /**
   * Native enums are types of their own (`CREATE TYPE`, PostgreSQL): compared
   * as types by name. False where a native enum is written on the column
   * (MySQL's `ENUM('a', 'b')`): compared by its values, in order, as the
   * column's type. Default: `nativeEnum`.
   */
  readonly enumTypes?: boolean;
  /** The database keeps comments: compare them. Default true. */
  readonly comments?: boolean;
  /** Default true. */
  readonly compareType?: boolean | CompareHook;
  /** Default false. */
  readonly compareServerDefault?: boolean | CompareHook;
  readonly includeObject?: IncludeObjectHook;
  readonly includeName?: IncludeNameHook;
  /**
   * Told of each declared name the database would not keep as written (an
   * index or constraint name past PostgreSQL's 63 bytes): it is compared
   * as the database keeps it.
   */
  readonly onWarning?: (message: string) => void;
}

interface NormalTable {
  readonly table: TableDefinition;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  readonly uniques: readonly UniqueDefinition[];
  readonly indexes: readonly IndexDefinition[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  readonly checks: readonly (CheckDefinition & { name: string })[];
  /**
   * The table declares a CHECK without a name: the database named it
   * (PostgreSQL `items_qty_check`), so a CHECK read back under a name the
   * declaration does not have may be that one.
   */
  readonly unnamedChecks: boolean;
}

/**
 * Compares the declared schema with the reflected one (Alembic's
 * `compare_metadata`) and returns the differences, in the order a
 * migration applies them: new tables (referenced tables first), changes to
 * existing tables (by name: added columns, altered columns, removed
 * indexes/constraints/foreign keys, added ones, removed columns), removed
 * tables (referencing tables first), enum types. Pure: no database.
 *
 * ```ts
 * compareSchemas({ tables: [users] }, reflected, { dialect: connection.dialect });
 * // [{ kind: "add_column", table: "users", column: ... }]
 * ```
 */
export function compareSchemas(
  declared: DeclaredSchema,
  reflected: ReflectedSchema,
  options: CompareOptions,
): SchemaDiff[] {
  const includeName = options.includeName ?? (() => true);
  const includeObject = options.includeObject ?? (() => true);
  const key = (table: TableDefinition) => `${table.options.schema ?? ""}.${table.name}`;
  const reflectedTables = new Map<string, TableDefinition>();
  for (const table of reflected.tables) {
    const parent = { schema_name: table.options.schema ?? null };
    if (!includeName(table.name, "table", parent)) continue;
    reflectedTables.set(key(table), table);
  }
  const declaredTables = new Map<string, TableDefinition>();
  for (const table of declared.tables) declaredTables.set(key(table), table);

  const added: TableDefinition[] = [];
  const removed: TableDefinition[] = [];
  const changes: SchemaDiff[] = [];
  for (const [name, table] of declaredTables) {
    const existing = reflectedTables.get(name);
    if (!includeObject(table, table.name, "table", false, existing)) continue;
    if (existing === undefined) added.push(table);
  }
  for (const [name, table] of reflectedTables) {
    if (declaredTables.has(name)) continue;
    if (!includeObject(table, table.name, "table", true, undefined)) continue;
    removed.push(table);
  }
  const existingPairs = [...declaredTables]
    .filter(
      ([name, table]) =>
        reflectedTables.has(name) && includeObject(table, table.name, "table", false, reflectedTables.get(name)),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, table] of existingPairs) {
    changes.push(
      ...compareTable(table, reflectedTables.get(name) as TableDefinition, options, reflected.defaultSchema),
    );
  }
  const diffs: SchemaDiff[] = [];
  // Enums written on the column (MySQL) are compared as the column's type: there are no types of their own.
  const namedEnums = options.nativeEnum === true && options.enumTypes !== false;
  const compared = new Set([...existingPairs.map(([name]) => name), ...removed.map(key)]);
  const untouchedTables = reflected.tables.filter((table) => !compared.has(key(table)));
  const enums = namedEnums
    ? compareEnums(declared, reflected, { includeName, includeObject, untouchedTables })
    : { added: [], changed: [], removed: [] };
  diffs.push(...enums.changed);
  for (const table of dependencyOrder(added)) diffs.push({ kind: "add_table", table });
  diffs.push(...changes);
  for (const table of dependencyOrder(removed).reverse()) diffs.push({ kind: "remove_table", table });
  diffs.push(...enums.removed);
  // New enum types come first; a table or column using one would create it, so the
  // plan drops those creates (see planMigration).
  return [...enums.added, ...diffs];
}

/** Tables sorted so that a referenced table comes before the tables that reference it (cycles keep their order). */
export function dependencyOrder(tables: readonly TableDefinition[]): TableDefinition[] {
  const names = new Set(tables.map((table) => table.name));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: TableDefinition[] = [];
  const byName = new Map(tables.map((table) => [table.name, table]));
  const visit = (table: TableDefinition) => {
    if (done.has(table.name) || visiting.has(table.name)) return;
    visiting.add(table.name);
    for (const fk of normalizeTable(table).foreignKeys) {
      const target = byName.get(fk.referredTable);
      if (target && fk.referredTable !== table.name && names.has(fk.referredTable)) visit(target);
    }
    visiting.delete(table.name);
    done.add(table.name);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

/**
 * The table's column-level shortcuts as table-level elements, so that a
 * declared table and a reflected one compare alike: `primaryKey: true`,
 * `unique: true` (a UNIQUE constraint, or with `index: true` a unique
 * index), `index: true` (`ix_<table>_<column>`), `references` (a foreign key).
 */
export function normalizeTable(table: TableDefinition): NormalTable {
  const primaryKey: string[] = [];
  const uniques: UniqueDefinition[] = [];
  const indexes: IndexDefinition[] = [];
  const foreignKeys: ForeignKeyDefinition[] = [];
  const checks: (CheckDefinition & { name: string })[] = [];
  let unnamedChecks = false;
  for (const column of table.columns) {
    const options = column.options;
    if (options.primaryKey) primaryKey.push(column.name);
    if (options.index) {
      indexes.push({
        kind: "index",
        name: defaultIndexName(table.name, table.options.schema, column.name),
        columns: [column.name],
        ...(options.unique ? { unique: true } : {}),
      });
    } else if (options.unique) {
      uniques.push({ kind: "unique", columns: [column.name] });
    }
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      foreignKeys.push({
        kind: "foreignKey",
        columns: [column.name],
        referredTable: reference.table,
        referredColumns: [reference.column],
        ...(reference.onDelete ? { onDelete: reference.onDelete } : {}),
        ...(reference.onUpdate ? { onUpdate: reference.onUpdate } : {}),
      });
    }
  }
  for (const constraint of table.constraints) {
    if (constraint.kind === "primaryKey") {
      for (const name of constraint.columns) if (!primaryKey.includes(name)) primaryKey.push(name);
    } else if (constraint.kind === "unique") uniques.push(constraint);
    else if (constraint.kind === "foreignKey") foreignKeys.push(constraint);
    else if (constraint.name !== undefined) checks.push(constraint as CheckDefinition & { name: string });
    else unnamedChecks = true;
  }
  // The CHECK a dialect without native enums writes for an enum column carries the enum's name: it is the type, not a constraint.
  if (checks.length > 0) {
    const enumNames = new Set(
      table.columns.flatMap((column) => (column.type.kind === "enum" ? [column.type.name] : [])),
    );
    for (let position = checks.length - 1; position >= 0; position--) {
      if (enumNames.has((checks[position] as { name: string }).name)) checks.splice(position, 1);
    }
  }
  const uniqueNames = new Set<string>();
  for (const unique of uniques) if (unique.name !== undefined) uniqueNames.add(unique.name);
  const foreignKeyNames = new Set<string>();
  for (const fk of foreignKeys) if (fk.name !== undefined) foreignKeyNames.add(fk.name);
  for (const index of table.indexes) {
    // The index behind a UNIQUE constraint, and SQLite's automatic ones, are not indexes of their own.
    if (uniqueNames.has(index.name) || index.name.startsWith("sqlite_autoindex_")) continue;
    // Nor is the one the database made for a foreign key that is there (InnoDB's).
    const backs = (index as ReflectedIndex).foreignKey;
    if (backs !== undefined && foreignKeyNames.has(backs)) continue;
    indexes.push(index);
  }
  const columns = table.columns.map((column) =>
    column.options.nullable !== false && primaryKey.includes(column.name)
      ? { ...column, options: { ...column.options, nullable: false } }
      : column,
  );
  return { table, columns, primaryKey, uniques, indexes, foreignKeys, checks, unnamedChecks };
}

function compareTable(
  declaredTable: TableDefinition,
  reflectedTable: TableDefinition,
  options: CompareOptions,
  defaultSchema: string | undefined,
): SchemaDiff[] {
  const includeName = options.includeName ?? (() => true);
  const includeObject = options.includeObject ?? (() => true);
  const tableName = declaredTable.name;
  const schema = declaredTable.options.schema;
  const at = schema === undefined ? {} : { schema };
  const parents = {
    schema_name: schema ?? null,
    table_name: tableName,
    schema_qualified_table_name: schema === undefined ? tableName : `${schema}.${tableName}`,
  };
  const declared = withDatabaseNames(
    normalizeTable(declaredTable),
    options.dialect.introspector?.indexName,
    options.onWarning,
  );
  const reflected = normalizeTable(reflectedTable);
  const reflectedColumns = new Map(
    reflected.columns
      .filter((column) => includeName(column.name, "column", parents))
      .map((column) => [column.name, column]),
  );
  const declaredColumns = new Map(declared.columns.map((column) => [column.name, column]));

  const addedColumns: SchemaDiff[] = [];
  const alterations: SchemaDiff[] = [];
  const removedColumns: SchemaDiff[] = [];
  for (const column of declared.columns) {
    const existing = reflectedColumns.get(column.name);
    if (!includeObject(column, column.name, "column", false, existing)) continue;
    if (existing === undefined) {
      addedColumns.push({ kind: "add_column", ...at, table: tableName, column });
    } else {
      const rowid =
        options.dialect.introspector?.integerPrimaryKeyAlias === true &&
        reflected.primaryKey.length === 1 &&
        reflected.primaryKey[0] === column.name;
      const changes = compareColumn(tableName, schema, column, existing, options, rowid);
      if (changes.length > 0) alterations.push(...changes);
    }
  }
  for (const column of reflected.columns) {
    if (!reflectedColumns.has(column.name) || declaredColumns.has(column.name)) continue;
    if (!includeObject(column, column.name, "column", true, undefined)) continue;
    removedColumns.push({ kind: "remove_column", ...at, table: tableName, column });
  }

  const removals: SchemaDiff[] = [];
  const additions: SchemaDiff[] = [];
  // Indexes, by name; a changed definition is a drop and an add.
  const reflectedIndexes = reflected.indexes.filter((index) => includeName(index.name, "index", parents));
  const declaredIndexNames = new Set(declared.indexes.map((index) => index.name));
  const reflectedUniqueSignatures = new Set(reflected.uniques.map((unique) => signature(unique.columns)));
  const declaredUniqueSignatures = new Set(declared.uniques.map((unique) => signature(unique.columns)));
  for (const index of declared.indexes) {
    const existing = reflectedIndexes.find((candidate) => candidate.name === index.name);
    if (!includeObject(index, index.name, "index", false, existing)) continue;
    if (existing === undefined) {
      // A unique index the database keeps as a UNIQUE constraint (or the reverse) is the same thing.
      if (index.unique && reflectedUniqueSignatures.has(signature(index.columns))) continue;
      additions.push({ kind: "add_index", ...at, table: tableName, index });
    } else if (
      !sameIndex(index, existing) ||
      options.dialect.introspector?.sameIndexOptions?.(index, existing as ReflectedIndex, reflectedTable) === false
    ) {
      removals.push({ kind: "remove_index", ...at, table: tableName, index: existing });
      additions.push({ kind: "add_index", ...at, table: tableName, index });
    }
  }
  for (const index of reflectedIndexes) {
    if (declaredIndexNames.has(index.name)) continue;
    if (index.unique && declaredUniqueSignatures.has(signature(index.columns))) continue;
    if (!includeObject(index, index.name, "index", true, undefined)) continue;
    removals.push({ kind: "remove_index", ...at, table: tableName, index });
  }

  // Unique constraints: a named one by name, an unnamed one by its columns.
  const reflectedUniques = reflected.uniques.filter(
    (unique) => unique.name === undefined || includeName(unique.name, "unique_constraint", parents),
  );
  const matched = new Set<UniqueDefinition>();
  const declaredIndexSignatures = new Set(declared.indexes.filter((i) => i.unique).map((i) => signature(i.columns)));
  const reflectedIndexSignatures = new Set(reflectedIndexes.filter((i) => i.unique).map((i) => signature(i.columns)));
  for (const unique of declared.uniques) {
    const existing =
      (unique.name === undefined ? undefined : reflectedUniques.find((candidate) => candidate.name === unique.name)) ??
      reflectedUniques.find(
        (candidate) =>
          !matched.has(candidate) &&
          (unique.name === undefined || candidate.name === undefined) &&
          signature(candidate.columns) === signature(unique.columns),
      );
    if (!includeObject(unique, unique.name ?? null, "unique_constraint", false, existing)) continue;
    if (existing !== undefined) {
      matched.add(existing);
      if (signature(existing.columns) !== signature(unique.columns) && existing.name !== undefined) {
        removals.push({
          kind: "remove_constraint",
          ...at,
          table: tableName,
          constraint: { ...existing, name: existing.name },
        });
        additions.push({ kind: "add_constraint", ...at, table: tableName, constraint: named(unique, tableName) });
      }
      continue;
    }
    if (reflectedIndexSignatures.has(signature(unique.columns))) continue;
    additions.push({ kind: "add_constraint", ...at, table: tableName, constraint: named(unique, tableName) });
  }
  for (const unique of reflectedUniques) {
    if (matched.has(unique) || unique.name === undefined) continue;
    if (declaredIndexSignatures.has(signature(unique.columns))) continue;
    if (!includeObject(unique, unique.name, "unique_constraint", true, undefined)) continue;
    removals.push({ kind: "remove_constraint", ...at, table: tableName, constraint: { ...unique, name: unique.name } });
  }

  // Named CHECK constraints, by name only (a changed condition is not seen). A table that declares an
  // unnamed one keeps every CHECK the database has: the database named that one, and its name or
  // condition as read back cannot be told from another's (Alembic compares no CHECK at all).
  const reflectedChecks = reflected.checks.filter((check) => includeName(check.name, "check_constraint", parents));
  for (const check of declared.checks) {
    const existing = reflectedChecks.find((candidate) => candidate.name === check.name);
    if (!includeObject(check, check.name, "check_constraint", false, existing)) continue;
    if (existing === undefined) additions.push({ kind: "add_constraint", ...at, table: tableName, constraint: check });
  }
  for (const check of reflectedChecks) {
    if (declared.unnamedChecks || declared.checks.some((candidate) => candidate.name === check.name)) continue;
    if (!includeObject(check, check.name, "check_constraint", true, undefined)) continue;
    removals.push({ kind: "remove_constraint", ...at, table: tableName, constraint: check });
  }

  // Foreign keys, by signature: columns, referred table and columns, actions.
  const reflectedFks = reflected.foreignKeys.filter(
    (fk) => fk.name === undefined || includeName(fk.name, "foreign_key_constraint", parents),
  );
  const matchedFks = new Set<ForeignKeyDefinition>();
  const removedFks: SchemaDiff[] = [];
  const addedFks: SchemaDiff[] = [];
  const signatureOptions = {
    restrictIsNoAction: options.dialect.introspector?.restrictIsNoAction === true,
    defaultSchema,
    deferral: options.dialect.introspector?.readsForeignKeyDeferral === true,
  };
  const fkSignature = (fk: ForeignKeyDefinition) => foreignKeySignature(fk, signatureOptions);
  const reflectedFkSignatures = reflectedFks.map(fkSignature);
  for (const fk of declared.foreignKeys) {
    const wanted = fkSignature(fk);
    const existing = reflectedFks.find(
      (candidate, at) => !matchedFks.has(candidate) && reflectedFkSignatures[at] === wanted,
    );
    if (!includeObject(fk, fk.name ?? null, "foreign_key_constraint", false, existing)) continue;
    if (existing !== undefined) {
      matchedFks.add(existing);
      continue;
    }
    addedFks.push({ kind: "add_fk", ...at, table: tableName, foreignKey: namedForeignKey(fk, tableName) });
  }
  for (const fk of reflectedFks) {
    if (matchedFks.has(fk)) continue;
    if (fk.name === undefined) {
      // Kept without a name (SQLite): dropped in a batch that names it by a convention first.
      const name = conventionName(UNNAMED_FOREIGN_KEY_CONVENTION, tableName, fk.columns, {
        table: fk.referredTable,
        columns: fk.referredColumns,
      });
      if (name === undefined || !includeObject(fk, null, "foreign_key_constraint", true, undefined)) continue;
      removedFks.push({ kind: "remove_fk", ...at, table: tableName, foreignKey: { ...fk, name }, unnamed: true });
      continue;
    }
    if (!includeObject(fk, fk.name, "foreign_key_constraint", true, undefined)) continue;
    removedFks.push({ kind: "remove_fk", ...at, table: tableName, foreignKey: { ...fk, name: fk.name } });
    // The index the database made for the key goes with it, unless it is declared or a
    // key added on the same columns (a changed key: a drop and an add) takes it over.
    const backing = (reflectedTable.indexes as readonly ReflectedIndex[]).find(
      (index) => index.foreignKey === fk.name && !declaredIndexNames.has(index.name),
    );
    const takenOver = addedFks.some(
      (added) => added.kind === "add_fk" && signature(added.foreignKey.columns) === signature(fk.columns),
    );
    if (backing !== undefined && !takenOver) {
      removals.push({ kind: "remove_index", ...at, table: tableName, index: backing });
    }
  }

  const tableComment: SchemaDiff[] = [];
  if (options.comments !== false) {
    const wanted = declaredTable.options.comment ?? null;
    const current = reflectedTable.options.comment ?? null;
    if (wanted !== current) {
      tableComment.push(
        wanted === null
          ? { kind: "remove_table_comment", ...at, table: tableName, existing: current as string }
          : { kind: "add_table_comment", ...at, table: tableName, comment: wanted, existing: current },
      );
    }
  }
  return [
    ...addedColumns,
    ...alterations,
    ...tableComment,
    ...removedFks,
    ...removals,
    ...additions,
    ...addedFks,
    ...removedColumns,
  ];
}

/**
 * Index and constraint names as the database keeps them (the
 * introspector's `indexName`): on PostgreSQL a generated
 * `ix_<table>_<column>` longer than 63 characters is shortened as the
 * compiler does, and any name past 63 bytes is cut there, as the server
 * cuts it. A declared name that is cut is compared cut, and `warn` told.
 * Foreign keys are matched by what they are, not by name.
 */
function withDatabaseNames(
  table: NormalTable,
  indexName: ((name: string, generated: boolean) => string) | undefined,
  warn: ((message: string) => void) | undefined,
): NormalTable {
  if (indexName === undefined) return table;
  const generated = new Set(
    table.table.columns
      .filter((column) => column.options.index)
      .map((column) => defaultIndexName(table.table.name, table.table.options.schema, column.name)),
  );
  const kept = (what: string, name: string, isGenerated = false): string => {
    const result = indexName(name, isGenerated);
    if (result !== name && !isGenerated) {
      const schema = table.table.options.schema;
      const on = schema === undefined ? table.table.name : `${schema}.${table.table.name}`;
      warn?.(
        `The ${what} "${name}" on table "${on}" has a name longer than the database keeps: it is compared as ` +
          `"${result}", the name the database gives it. Declare it as "${result}" (or a shorter name).`,
      );
    }
    return result;
  };
  return {
    ...table,
    indexes: table.indexes.map((index) => ({ ...index, name: kept("index", index.name, generated.has(index.name)) })),
    uniques: table.uniques.map((unique) =>
      unique.name === undefined ? unique : { ...unique, name: kept("unique constraint", unique.name) },
    ),
    checks: table.checks.map((check) => ({ ...check, name: kept("CHECK constraint", check.name) })),
  };
}

export { dialectTypeText, typeDiffers } from "./compare-columns.js";
