/**
 * The equality of a declared table and a reflected one, as the
 * introspector tests assert it ("no false positives") and as
 * autogenerate's comparison can reuse it: both sides are brought to one
 * canonical, plain shape, then compared with `toEqual`.
 *
 * The declared side is what `table(...)` says, with column flags moved
 * where the compilers put them (`primaryKey: true` becomes the primary
 * key, `unique: true` a UNIQUE constraint or, with `index: true`, a unique
 * index `ix_<table>_<column>`, `references` a foreign key), types through
 * the introspector's `normalizeType`, literal defaults rendered by the
 * dialect, and the defaults a database does not keep dropped (NO ACTION,
 * MATCH SIMPLE, NOT DEFERRABLE, INITIALLY IMMEDIATE, btree). A constraint
 * declared without a name matches the reflected one whatever name the
 * database generated for it. SQL text (defaults, checks, computed, index
 * expressions and WHERE) is compared after `canonicalSql`.
 */
import type { ColumnType } from "../../schema/column-type.js";
import type { SqlExpression } from "../../schema/sql-expression.js";
import type { ForeignKeyDefinition, ServerDefault } from "../../schema/table-elements.js";
import { parseReference } from "../../schema/table-elements.js";
import type { TableDefinition } from "../../schema/table.js";
import type { ReflectedTable } from "../reflected-schema.js";

/** What the comparison needs to know of the dialect. */
export interface ComparisonProfile {
  renderLiteral(value: unknown): string;
  normalizeType(type: ColumnType): ColumnType;
  /** The introspector's `normalizeDefault`, where it has one. */
  normalizeDefault?(sqlText: string, type: ColumnType): string;
  /** The database keeps comments (false on SQLite). */
  readonly comments: boolean;
  /** The index method a declared index gets (`btree` on PostgreSQL); undefined where there is one kind. */
  readonly defaultIndexMethod?: string;
  /** The name `index: true` gives a column's index (the compiler's convention). */
  columnIndexName?(table: string, column: string): string;
}

export interface CanonicalColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
  serverDefault?: string;
  autoincrement?: true;
  computed?: string;
  comment?: string;
}

export interface CanonicalTable {
  name: string;
  comment?: string;
  columns: CanonicalColumn[];
  primaryKey?: { columns: string[]; name?: string };
  uniques: { columns: string[]; name?: string }[];
  foreignKeys: {
    columns: string[];
    referredTable: string;
    referredColumns: string[];
    name?: string;
    onDelete?: string;
    onUpdate?: string;
    deferrable?: true;
    initially?: "DEFERRED";
    match?: string;
  }[];
  checks: { condition: string; name?: string }[];
  indexes: { name: string; columns: string[]; unique: boolean; where?: string; method?: string; include?: string[] }[];
}

/**
 * SQL text in a comparable form: whitespace collapsed, lower case outside
 * quoted strings, double quotes dropped around identifiers, and
 * parentheses around the whole text removed.
 */
export function canonicalSql(text: string): string {
  let result = "";
  let at = 0;
  const source = text.trim();
  while (at < source.length) {
    const char = source[at] as string;
    if (char === "'") {
      const end = closingQuote(source, at, "'");
      result += source.slice(at, end + 1);
      at = end + 1;
    } else if (char === '"') {
      const end = closingQuote(source, at, '"');
      const name = source.slice(at + 1, end).replaceAll('""', '"');
      result += /^[a-z_][a-z0-9_]*$/.test(name) ? name : source.slice(at, end + 1);
      at = end + 1;
    } else if (/\s/.test(char)) {
      while (at < source.length && /\s/.test(source[at] as string)) at++;
      result += " ";
    } else {
      result += char.toLowerCase();
      at++;
    }
  }
  result = result.replace(/\s*([(),])\s*/g, "$1").trim();
  while (result.startsWith("(") && wrapsAll(result)) result = result.slice(1, -1).trim();
  return result;
}

function closingQuote(text: string, open: number, quote: string): number {
  let at = open + 1;
  while (at < text.length) {
    if (text[at] === quote) {
      if (text[at + 1] === quote) at += 2;
      else return at;
    } else {
      at++;
    }
  }
  return text.length - 1;
}

function wrapsAll(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (inString) {
      if (char === "'") inString = false;
      continue;
    }
    if (char === "'") inString = true;
    else if (char === "(") depth++;
    else if (char === ")") {
      depth--;
      if (depth === 0) return at === text.length - 1;
    }
  }
  return false;
}

const exprText = (value: SqlExpression | string): string =>
  canonicalSql(typeof value === "string" ? value : value.text);

function defaultText(value: ServerDefault, profile: ComparisonProfile, type?: ColumnType): string {
  const text = typeof value === "object" ? value.text : profile.renderLiteral(value);
  return canonicalSql(
    type === undefined || profile.normalizeDefault === undefined ? text : profile.normalizeDefault(text, type),
  );
}

function canonicalForeignKey(foreignKey: ForeignKeyDefinition): CanonicalTable["foreignKeys"][number] {
  const initially = foreignKey.initially === "DEFERRED" ? "DEFERRED" : undefined;
  const deferrable = foreignKey.deferrable === true || initially !== undefined;
  return {
    columns: [...foreignKey.columns],
    referredTable: foreignKey.referredTable,
    referredColumns: [...foreignKey.referredColumns],
    ...(foreignKey.name === undefined ? {} : { name: foreignKey.name }),
    ...(foreignKey.onDelete === undefined || foreignKey.onDelete === "NO ACTION"
      ? {}
      : { onDelete: foreignKey.onDelete }),
    ...(foreignKey.onUpdate === undefined || foreignKey.onUpdate === "NO ACTION"
      ? {}
      : { onUpdate: foreignKey.onUpdate }),
    ...(deferrable ? { deferrable: true as const } : {}),
    ...(initially === undefined ? {} : { initially }),
    ...(foreignKey.match === undefined || foreignKey.match === "SIMPLE" ? {} : { match: foreignKey.match }),
  };
}

/** The declared table as the database should describe it. */
export function canonicalDeclared(table: TableDefinition, profile: ComparisonProfile): CanonicalTable {
  const flagged = table.columns.filter((column) => column.options.primaryKey === true).map((column) => column.name);
  const declaredKey = table.constraints.find((constraint) => constraint.kind === "primaryKey");
  const keyColumns = declaredKey?.columns ?? flagged;
  const result: CanonicalTable = {
    name: table.name,
    ...(profile.comments && table.options.comment !== undefined ? { comment: table.options.comment } : {}),
    columns: table.columns.map((column) => {
      const { options } = column;
      return {
        name: column.name,
        type: profile.normalizeType(column.type),
        nullable: !(options.nullable === false || keyColumns.includes(column.name)),
        ...(options.serverDefault === undefined
          ? {}
          : { serverDefault: defaultText(options.serverDefault, profile, column.type) }),
        ...(options.autoincrement === true ? { autoincrement: true as const } : {}),
        ...(options.computed === undefined ? {} : { computed: exprText(options.computed) }),
        ...(profile.comments && options.comment !== undefined ? { comment: options.comment } : {}),
      };
    }),
    ...(keyColumns.length === 0
      ? {}
      : {
          primaryKey: {
            columns: [...keyColumns],
            ...(declaredKey?.name === undefined ? {} : { name: declaredKey.name }),
          },
        }),
    uniques: [],
    foreignKeys: [],
    checks: [],
    indexes: [],
  };
  for (const column of table.columns) {
    const { options } = column;
    if (options.unique === true && options.index !== true) result.uniques.push({ columns: [column.name] });
    if (options.references !== undefined) {
      const reference = parseReference(options.references);
      result.foreignKeys.push(
        canonicalForeignKey({
          kind: "foreignKey",
          columns: [column.name],
          referredTable: reference.table,
          referredColumns: [reference.column],
          ...(reference.onDelete === undefined ? {} : { onDelete: reference.onDelete }),
          ...(reference.onUpdate === undefined ? {} : { onUpdate: reference.onUpdate }),
        }),
      );
    }
    if (options.index === true) {
      result.indexes.push({
        name: profile.columnIndexName?.(table.name, column.name) ?? `ix_${table.name}_${column.name}`,
        columns: [column.name],
        unique: options.unique === true,
        ...(profile.defaultIndexMethod === undefined ? {} : { method: profile.defaultIndexMethod }),
      });
    }
  }
  for (const constraint of table.constraints) {
    if (constraint.kind === "unique") {
      result.uniques.push({
        columns: [...constraint.columns],
        ...(constraint.name === undefined ? {} : { name: constraint.name }),
      });
    } else if (constraint.kind === "foreignKey") {
      result.foreignKeys.push(canonicalForeignKey(constraint));
    } else if (constraint.kind === "check") {
      result.checks.push({
        condition: exprText(constraint.condition),
        ...(constraint.name === undefined ? {} : { name: constraint.name }),
      });
    }
  }
  for (const index of table.indexes) {
    result.indexes.push({
      name: index.name,
      columns: index.columns.map((term) => (typeof term === "string" ? term : exprText(term))),
      unique: index.unique === true,
      ...(index.where === undefined ? {} : { where: exprText(index.where) }),
      ...(profile.defaultIndexMethod === undefined ? {} : { method: profile.defaultIndexMethod }),
    });
  }
  return sortTable(result);
}

/** The reflected table in the same shape. */
export function canonicalReflected(table: ReflectedTable): CanonicalTable {
  const key = table.constraints.find((constraint) => constraint.kind === "primaryKey");
  const result: CanonicalTable = {
    name: table.name,
    ...(table.options.comment === undefined ? {} : { comment: table.options.comment }),
    columns: table.columns.map((column) => {
      const { options } = column;
      return {
        name: column.name,
        type: column.type,
        nullable: options.nullable !== false,
        ...(options.serverDefault === undefined
          ? {}
          : { serverDefault: defaultText(options.serverDefault, literalOnly) }),
        ...(options.autoincrement === true ? { autoincrement: true as const } : {}),
        ...(options.computed === undefined ? {} : { computed: exprText(options.computed) }),
        ...(options.comment === undefined ? {} : { comment: options.comment }),
      };
    }),
    ...(key === undefined
      ? {}
      : { primaryKey: { columns: [...key.columns], ...(key.name === undefined ? {} : { name: key.name }) } }),
    uniques: [],
    foreignKeys: [],
    checks: [],
    indexes: table.indexes.map((index) => ({
      name: index.name,
      columns: index.columns.map((term) => (typeof term === "string" ? term : exprText(term))),
      unique: index.unique === true,
      ...(index.where === undefined ? {} : { where: exprText(index.where) }),
      ...(index.method === undefined ? {} : { method: index.method }),
      ...(index.include === undefined || index.include.length === 0 ? {} : { include: [...index.include] }),
    })),
  };
  for (const constraint of table.constraints) {
    if (constraint.kind === "unique") {
      result.uniques.push({
        columns: [...constraint.columns],
        ...(constraint.name === undefined ? {} : { name: constraint.name }),
      });
    } else if (constraint.kind === "foreignKey") {
      result.foreignKeys.push(canonicalForeignKey(constraint));
    } else if (constraint.kind === "check") {
      result.checks.push({
        condition: exprText(constraint.condition),
        ...(constraint.name === undefined ? {} : { name: constraint.name }),
      });
    }
  }
  return sortTable(result);
}

const literalOnly: ComparisonProfile = {
  renderLiteral: (value) => String(value),
  normalizeType: (type) => type,
  comments: true,
};

/**
 * The pair to assert `toEqual` on: the declared table's canonical form and
 * the reflected one's, where a name the declaration left out (primary key,
 * unique, foreign key, check) is dropped from the reflected side too.
 *
 * ```ts
 * const { expected, actual } = normalizeForComparison(declared, reflected, profile);
 * expect(actual).toEqual(expected);
 * ```
 */
export function normalizeForComparison(
  declared: TableDefinition,
  reflected: ReflectedTable,
  profile: ComparisonProfile,
): { expected: CanonicalTable; actual: CanonicalTable } {
  const expected = canonicalDeclared(declared, profile);
  const actual = canonicalReflected(reflected);
  if (actual.primaryKey !== undefined && expected.primaryKey?.name === undefined) delete actual.primaryKey.name;
  const unnamed = <T extends { name?: string }>(
    expectedList: readonly T[],
    actualList: T[],
    key: (item: T) => string,
  ): void => {
    for (const item of actualList) {
      const match = expectedList.find((candidate) => key(candidate) === key(item));
      if (match !== undefined && match.name === undefined) delete item.name;
    }
  };
  unnamed(expected.uniques, actual.uniques, (item) => item.columns.join(","));
  unnamed(expected.foreignKeys, actual.foreignKeys, (item) => JSON.stringify({ ...item, name: undefined }));
  unnamed(expected.checks, actual.checks, (item) => item.condition);
  return { expected: sortTable(expected), actual: sortTable(actual) };
}

function sortTable(table: CanonicalTable): CanonicalTable {
  const byJson = <T>(list: T[]): T[] =>
    list.sort((left, right) => (JSON.stringify(left) < JSON.stringify(right) ? -1 : 1));
  byJson(table.uniques);
  byJson(table.foreignKeys);
  byJson(table.checks);
  table.indexes.sort((left, right) => (left.name < right.name ? -1 : 1));
  return table;
}
