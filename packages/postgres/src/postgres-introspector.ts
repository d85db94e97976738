import type {
  ColumnType,
  ConstraintDefinition,
  DatabaseIntrospector,
  ForeignKeyDefinition,
  IntrospectOptions,
  ReadQuery,
  ReferentialAction,
  ReflectedColumn,
  ReflectedEnum,
  ReflectedIndex,
  ReflectedSchema,
  ReflectedTable,
  SqlExpression,
  TypeKey,
  TypeSide,
} from "@retort/core";
import { CommandError } from "@retort/core/errors";
import { NUMBER_TEXT, sql, withoutOuterParentheses } from "@retort/core/dialect";
import {
  COLUMNS_SQL,
  CONSTRAINTS_SQL,
  type ColumnRow,
  type ConstraintRow,
  ENUMS_SQL,
  type EnumRow,
  INDEXES_SQL,
  type IndexRow,
} from "./postgres-catalog.js";
import { conventionName, MAX_IDENTIFIER_BYTES } from "./postgres-dialect.js";
import { postgresStringLiteral, readStringConstant, type StringReading } from "./postgres-string-literal.js";
import { comparablePostgresType, postgresColumnType } from "./postgres-type-names.js";
import { renderPostgresType } from "./postgres-types.js";

/** `pg_constraint.confdeltype`/`confupdtype` (https://www.postgresql.org/docs/current/catalog-pg-constraint.html). */
const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = {
  a: undefined,
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

/**
 * Reads a PostgreSQL schema as core's table model from the catalogs, in
 * four queries whatever the number of tables (not one per table, as
 * `information_schema` walks would be): tables and columns
 * (`pg_class`/`pg_attribute`/`pg_attrdef`, with `format_type`, comments,
 * identity and SERIAL detection), constraints (`pg_constraint`), indexes
 * not backing a constraint (`pg_index`, `pg_get_indexdef`, `pg_get_expr`,
 * the access method and INCLUDE columns), and enum types (`pg_enum`).
 *
 * Types go through `postgresColumnType`'s synonym table (`integer`,
 * `character varying(255)`, `timestamp with time zone`); a SERIAL column is
 * `autoincrement` without its `nextval(...)` default, an identity column
 * `autoincrement` with `identity`. Defaults lose the cast PostgreSQL adds to
 * a literal of the column's own type (`'x'::character varying` is `'x'`).
 * A table's `options.schema` is set only when it is not the current
 * schema, as a declared table leaves it out.
 *
 * ```ts
 * const schema = await new PostgresIntrospector().introspect(read, { schema: "app", excludeTables: ["alembic_version"] });
 * ```
 */
export class PostgresIntrospector implements DatabaseIntrospector {
  /** DEFERRABLE and INITIALLY DEFERRED are read back: a change of either is a changed foreign key. */
  readonly readsForeignKeyDeferral = true;

  async introspect(read: ReadQuery, options: IntrospectOptions = {}): Promise<ReflectedSchema> {
    const parameters = [options.schema ?? null];
    const rows = async <Row>(query: string): Promise<Row[]> =>
      JSON.parse((await read<{ rows: string }>(query, parameters))[0]?.rows ?? "[]") as Row[];
    const columnsAnswer = (await read<{ rows: string; standard_strings: boolean }>(COLUMNS_SQL, parameters))[0];
    const columnRows = JSON.parse(columnsAnswer?.rows ?? "[]") as ColumnRow[];
    const strings: StringReading = { standardStrings: columnsAnswer?.standard_strings !== false };
    const constraintRows = await rows<ConstraintRow>(CONSTRAINTS_SQL);
    const indexRows = await rows<IndexRow>(INDEXES_SQL);
    const enumRows = await read<EnumRow>(ENUMS_SQL, parameters);
    const current = enumRows[0]?.current_schema ?? columnRows[0]?.current_schema ?? undefined;
    const target = options.schema ?? current;
    const excluded = new Set(options.excludeTables ?? []);
    const enumValues = new Map(enumRows.map((row) => [`${row.schema}.${row.name}`, row.labels]));

    const tables = new Map<number, { name: string; comment: string | null; columns: ReflectedColumn[] }>();
    // Column names by table and attribute number, for the constraints' and indexes' keys.
    const attributes: AttributeNames = new Map();
    for (const row of columnRows) {
      if (row.column_name !== null) {
        let names = attributes.get(row.table_oid);
        if (names === undefined) {
          names = [];
          attributes.set(row.table_oid, names);
        }
        names[row.attnum as number] = row.column_name;
      }
      if (excluded.has(row.table_name)) continue;
      let entry = tables.get(row.table_oid);
      if (entry === undefined) {
        entry = { name: row.table_name, comment: row.table_comment, columns: [] };
        tables.set(row.table_oid, entry);
      }
      if (row.column_name !== null) entry.columns.push(reflectColumn(row, enumValues, strings));
    }
    const constraints = groupBy(constraintRows, (row) => row.table_oid);
    const indexes = groupBy(indexRows, (row) => row.table_oid);

    const result: ReflectedTable[] = [];
    for (const [oid, entry] of tables) {
      result.push({
        kind: "table",
        name: entry.name,
        columns: entry.columns,
        constraints: (constraints.get(oid) ?? []).map((row) => reflectConstraint(row, attributes, current)),
        indexes: (indexes.get(oid) ?? []).map((row) => reflectIndex(row, attributes)),
        options: {
          ...(target !== undefined && target !== current ? { schema: target } : {}),
          ...(entry.comment === null ? {} : { comment: entry.comment }),
        },
      });
    }
    const enums = enumRows
      .filter((row) => row.in_target)
      .map(
        (row): ReflectedEnum => ({
          name: row.name,
          ...(row.schema === current ? {} : { schema: row.schema }),
          values: row.labels,
        }),
      );
    return { tables: result, enums, ...(current === undefined ? {} : { defaultSchema: current }) };
  }

  /**
   * A declared default's SQL text as the catalogs give it back (see
   * `postgresDefault`). A quoted literal on a number or boolean column
   * (`serverDefault: "5"`, `"false"`) is stored as PostgreSQL reads it:
   * `5`, `false`.
   */
  normalizeDefault(sqlText: string, type: ColumnType): string {
    const normalized = this.normalizeType(type);
    const text = postgresDefault(sqlText, normalized);
    const quoted = /^'((?:[^']|'')*)'$/s.exec(text);
    if (quoted === null) return text;
    const inner = (quoted[1] as string).trim();
    if (NUMERIC_KINDS.has(normalized.kind) && NUMBER_TEXT.test(inner)) return inner;
    if (normalized.kind === "boolean") return BOOLEAN_WORDS.get(inner.toLowerCase()) ?? text;
    return text;
  }

  /** What `type` reads back as: its PostgreSQL name, through the synonym table. */
  normalizeType(type: ColumnType): ColumnType {
    switch (type.kind) {
      case "enum":
        return type;
      case "custom":
        return postgresColumnType(/["]/.test(type.sql) ? type.sql : type.sql.toLowerCase());
      default:
        return postgresColumnType(renderPostgresType(type).toLowerCase());
    }
  }

  /** PostgreSQL's spellings of a type in one word each (see `comparablePostgresType`). */
  comparableType(key: TypeKey, side: TypeSide = "declared"): TypeKey {
    return comparablePostgresType(key, side);
  }

  /**
   * Names past 63 bytes as PostgreSQL keeps them: a generated one shortened
   * as the compiler does (past 63 characters, as SQLAlchemy), and any name
   * still longer than 63 bytes cut there, counting UTF-8 bytes, before the
   * character that would not fit whole (`truncate_identifier`).
   */
  indexName(name: string, generated: boolean): string {
    // A UTF-16 unit is at most 3 bytes in UTF-8: a short name needs no count.
    if (name.length * 3 <= MAX_IDENTIFIER_BYTES) return name;
    return truncatedIdentifier(generated ? conventionName(name) : name);
  }
}

function reflectColumn(
  row: ColumnRow,
  enumValues: ReadonlyMap<string, readonly string[]>,
  strings: StringReading,
): ReflectedColumn {
  const values = row.type_kind === "e" ? enumValues.get(`${row.type_schema}.${row.type_name}`) : undefined;
  const type: ColumnType =
    values === undefined
      ? postgresColumnType(row.formatted_type)
      : {
          kind: "enum",
          name: row.type_name,
          values: [...values],
          // A type outside the default schema says where it is (a table may use a type of another schema).
          ...(row.type_schema === row.current_schema ? {} : { schema: row.type_schema }),
        };
  const identity = row.identity === "a" ? "always" : row.identity === "d" ? "byDefault" : undefined;
  const generated = row.generated === "s" || row.generated === "v";
  const serial =
    identity === undefined && row.serial === true && row.default_expr !== null && /^nextval\(/i.test(row.default_expr);
  const defaultExpr = serial || generated || row.default_expr === null ? undefined : row.default_expr;
  return {
    kind: "column",
    name: row.column_name as string,
    type,
    reportedType: row.formatted_type,
    ...(identity === undefined ? {} : { identity }),
    // PostgreSQL 18 has VIRTUAL generated columns too.
    ...(generated ? { computedStored: row.generated === "s" } : {}),
    options: {
      nullable: !row.not_null,
      ...(defaultExpr === undefined
        ? {}
        : { serverDefault: sql(postgresDefault(defaultExpr, type, row.type_name, strings)) }),
      ...(serial || identity !== undefined ? { autoincrement: true } : {}),
      ...(generated && row.default_expr !== null ? { computed: sql(withoutOuterParentheses(row.default_expr)) } : {}),
      ...(row.column_comment === null ? {} : { comment: row.column_comment }),
    },
  };
}

/**
 * A default as PostgreSQL deparses it, without the parentheses around the
 * whole expression and without the cast it adds to a literal of the
 * column's own type: `'x'::character varying` is `'x'`, `'-1'::integer`
 * is `-1`, `'{}'::jsonb` is `'{}'` on a jsonb column, `'on'::state` is
 * `'on'` on an enum column. A string constant is written one way,
 * whichever way it came (`postgresStringLiteral`): `'C:\temp'` from the
 * catalogs and a declared `E'C:\\temp'` are both `E'C:\\temp'`, so they
 * compare equal. `type` is the column's type in core's vocabulary;
 * `catalogName` its `pg_type` name, where known (`bpchar`); `strings` how
 * the session that read `expression` reads a standard string (with
 * `standard_conforming_strings` off, `pg_get_expr` writes `'C:\\temp'`).
 */
export function postgresDefault(
  expression: string,
  type: ColumnType,
  catalogName?: string,
  strings: StringReading = { standardStrings: true },
): string {
  const text = withoutOuterParentheses(expression);
  // One spelling of a string: the catalogs write 'C:\temp' where Retort
  // wrote E'C:\\temp' (see postgres-string-literal.ts).
  const constant = readStringConstant(text, strings);
  if (constant === undefined) return text;
  const literal = postgresStringLiteral(constant.value);
  const match = /^::(.+)$/s.exec(text.slice(constant.end));
  if (match === null) return text.length === constant.end ? literal : text;
  const cast = (match[1] as string).trim();
  const castType = postgresColumnType(cast);
  let sameType: boolean;
  if (type.kind === "enum") {
    sameType = cast.split(".").pop()?.replaceAll('"', "") === type.name;
  } else if (type.kind === "custom") {
    sameType = cast.toLowerCase() === type.sql.toLowerCase();
  } else {
    sameType = castType.kind === type.kind;
  }
  if (catalogName !== undefined && cast.split(".").pop()?.replaceAll('"', "") === catalogName) sameType = true;
  const inner = constant.value;
  // A number on a number column, whatever number type PostgreSQL cast it to:
  // a negative or large default is stored with its literal's own type
  // (`'-1'::integer` on a smallint or float column, `'-0.5'::numeric` on a float one).
  if (NUMBER_TEXT.test(inner) && NUMERIC_KINDS.has(type.kind) && NUMERIC_KINDS.has(castType.kind)) return inner;
  return sameType ? literal : `${literal}::${cast}`;
}

const NUMERIC_KINDS: ReadonlySet<string> = new Set(["integer", "bigInteger", "smallInteger", "numeric", "float"]);

/** What PostgreSQL's boolean input accepts, and the value it stores (https://www.postgresql.org/docs/current/datatype-boolean.html). */
const BOOLEAN_WORDS: ReadonlyMap<string, string> = new Map([
  ...["t", "true", "y", "yes", "on", "1"].map((word): [string, string] => [word, "true"]),
  ...["f", "false", "n", "no", "off", "0"].map((word): [string, string] => [word, "false"]),
]);

/** Column names by table oid, indexed by attribute number. */
type AttributeNames = Map<number, string[]>;

/** Numbers separated by spaces (`int2vector` text, `array_to_string(..., ' ')`). */
function numbers(text: string | null): number[] {
  return text === null || text === "" ? [] : text.split(" ").map(Number);
}

/** A catalog row that names something another query did not return: DDL ran between the queries. */
function schemaChanged(what: string): CommandError {
  return new CommandError(
    `The PostgreSQL schema changed while it was being read (${what} is unknown); run the command again when no migration or DDL is running`,
    { code: "SCHEMA_CHANGED" },
  );
}

/** Names for attribute numbers of a table the columns query read. */
function attributeNames(attributes: AttributeNames, table: number, keys: string | null): string[] {
  const names = attributes.get(table);
  return numbers(keys).map((attnum) => {
    const name = names?.[attnum];
    if (name === undefined) throw schemaChanged(`column ${attnum} of the table with oid ${table}`);
    return name;
  });
}

/**
 * A constraint as declared. A foreign key's referred table is qualified
 * unless it is in the current schema, which is where an unqualified name
 * in `REFERENCES` resolves (as SQLAlchemy reflects `referred_schema`): a
 * table of `billing` referring to another of `billing` says
 * `billing.invoices`, one referring to `public.accounts` says `accounts`.
 */
function reflectConstraint(
  row: ConstraintRow,
  attributes: AttributeNames,
  current: string | undefined,
): ConstraintDefinition {
  const columns = row.kind === "c" ? [] : attributeNames(attributes, row.table_oid, row.keys);
  switch (row.kind) {
    case "p":
      return { kind: "primaryKey", name: row.name, columns };
    case "u":
      return { kind: "unique", name: row.name, columns };
    case "c":
      return { kind: "check", name: row.name, condition: sql(withoutOuterParentheses(row.check_expr ?? "")) };
    default: {
      const referredTable =
        row.referred_schema === null || row.referred_schema === current
          ? (row.referred_table as string)
          : `${row.referred_schema}.${row.referred_table}`;
      const onDelete = ACTIONS[row.on_delete];
      const onUpdate = ACTIONS[row.on_update];
      const foreignKey: ForeignKeyDefinition & { name: string } = {
        kind: "foreignKey",
        name: row.name,
        columns,
        referredTable,
        referredColumns: row.referred_columns ?? attributeNames(attributes, row.referred_oid, row.referred_keys),
        ...(onDelete === undefined ? {} : { onDelete }),
        ...(onUpdate === undefined ? {} : { onUpdate }),
        ...(row.deferrable ? { deferrable: true } : {}),
        ...(row.deferred ? { initially: "DEFERRED" as const } : {}),
        ...(row.match === "f" ? { match: "FULL" as const } : row.match === "p" ? { match: "PARTIAL" as const } : {}),
      };
      return foreignKey;
    }
  }
}

function reflectIndex(row: IndexRow, attributes: AttributeNames): ReflectedIndex {
  const names = attributes.get(row.table_oid);
  const options = numbers(row.options);
  const terms = numbers(row.keys).map((attnum, at): string | SqlExpression => {
    const order = at < row.key_count ? ordering(options[at] ?? 0) : "";
    // An operator class other than the type's default is written after the term, as it is declared.
    const opclass = at < row.key_count && row.opclasses?.[at] ? ` ${row.opclasses[at]}` : "";
    const name = attnum === 0 ? undefined : names?.[attnum];
    if (name !== undefined && order === "" && opclass === "") return name;
    const term = row.terms?.[at];
    if (term === undefined) throw schemaChanged(`column ${at + 1} of index ${row.name}`);
    return sql(`${term}${opclass}${order}`);
  });
  const include = terms.slice(row.key_count).map((term) => (typeof term === "string" ? term : term.text));
  return {
    kind: "index",
    name: row.name,
    columns: terms.slice(0, row.key_count),
    unique: row.is_unique,
    ...(row.predicate === null ? {} : { where: sql(withoutOuterParentheses(row.predicate)) }),
    method: row.method,
    ...(include.length === 0 ? {} : { include }),
  };
}

/**
 * ` DESC`, ` NULLS FIRST`... from `indoption` (a sort order other than the
 * default is kept on the term, as ``sql`"name" DESC` `` declares it).
 */
function ordering(option: number): string {
  const descending = (option & 1) !== 0;
  const nullsFirst = (option & 2) !== 0;
  if (descending) return nullsFirst ? " DESC" : " DESC NULLS LAST";
  return nullsFirst ? " NULLS FIRST" : "";
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const name = key(row);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [row]);
    else group.push(row);
  }
  return groups;
}

/**
 * A name as PostgreSQL keeps it: its first 63 bytes of UTF-8, cut before a
 * character that does not fit whole (`truncate_identifier` with
 * `pg_mbcliplen`).
 *
 * ```ts
 * truncatedIdentifier("ix_" + "é".repeat(40)); // "ix_" and 30 "é": 63 bytes
 * ```
 */
export function truncatedIdentifier(name: string): string {
  if (Buffer.byteLength(name, "utf8") <= MAX_IDENTIFIER_BYTES) return name;
  let bytes = 0;
  let kept = "";
  for (const character of name) {
    bytes += Buffer.byteLength(character, "utf8");
    if (bytes > MAX_IDENTIFIER_BYTES) break;
    kept += character;
  }
  return kept;
}
