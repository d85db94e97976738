/**
 * The catalog queries of `PostgresIntrospector`: four, whatever the number
 * of tables; the three large ones return their rows as one JSON array
 * (`asJson`). They return numbers where names can be looked up on the
 * client (a constraint's or an index's columns are attribute numbers of
 * the columns query, sent as text: pg's array parsing costs more than
 * splitting a string), and call the catalog functions that deparse
 * (`pg_get_indexdef`, `pg_get_expr`) only where the text is needed: with
 * 500 tables this is a few milliseconds of server time per query where
 * per-row subqueries and `pg_get_serial_sequence`/`col_description` calls
 * took 15-25 ms each.
 */

/**
 * A query's rows as one JSON array in `order` (one row, column `rows`):
 * pg makes a JavaScript object per row field by field, which for the
 * thousands of rows of a large schema costs more (about 25 ms, mostly
 * cold code) than the server's JSON and one `JSON.parse`.
 */
function asJson(query: string, order: string, extra = ""): string {
  return `SELECT coalesce(json_agg(q ORDER BY ${order}), '[]')::text AS rows${extra} FROM (${query}) AS q`;
}

/** The schema the queries read: the one asked for, else the first of the search path. */
const TARGET = "COALESCE($1::text, current_schema())";

/**
 * Tables (partitions left out) and their columns, in table name and
 * column order. `serial`: the column has a default and owns a sequence
 * (`pg_depend` type `a`, what `pg_get_serial_sequence` finds for SERIAL).
 * Beside the rows, once, `standard_strings`: whether the session has
 * `standard_conforming_strings` on, which decides how `pg_get_expr` writes
 * a string constant holding a backslash (`'C:\temp'` on, `'C:\\temp'` off).
 */
export const COLUMNS_SQL = asJson(
  `
SELECT c.oid::int8 AS table_oid, c.relname AS table_name, current_schema() AS current_schema,
  td.description AS table_comment,
  a.attnum, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS formatted_type,
  t.typname AS type_name, tn.nspname AS type_schema, t.typtype AS type_kind, a.attnotnull AS not_null,
  pg_get_expr(d.adbin, d.adrelid, true) AS default_expr, a.attidentity AS identity, a.attgenerated AS generated,
  cd.description AS column_comment,
  d.oid IS NOT NULL AND EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
    WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum
      AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'a') AS serial
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description td ON td.objoid = c.oid AND td.classoid = 'pg_class'::regclass AND td.objsubid = 0
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = ${TARGET} AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
  "q.table_name, q.attnum",
  ", current_setting('standard_conforming_strings') = 'on' AS standard_strings",
);

/**
 * Primary keys, unique, foreign key and check constraints. The columns are
 * attribute numbers (`conkey`, `confkey`); the referred columns' names
 * come from the server only when the referred table is not one the
 * columns query reads (another schema, a partition).
 */
export const CONSTRAINTS_SQL = asJson(
  `
SELECT con.conrelid::int8 AS table_oid, con.conname AS name, con.contype AS kind,
  array_to_string(con.conkey, ' ') AS keys, con.confrelid::int8 AS referred_oid,
  array_to_string(con.confkey, ' ') AS referred_keys,
  fc.relname AS referred_table, fn.nspname AS referred_schema,
  CASE WHEN con.contype = 'f' AND (fn.nspname <> n.nspname OR fc.relispartition OR fc.relkind NOT IN ('r', 'p')) THEN
    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
  END AS referred_columns,
  con.confupdtype AS on_update, con.confdeltype AS on_delete, con.confmatchtype AS match,
  con.condeferrable AS deferrable, con.condeferred AS deferred,
  CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END AS check_expr
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname = ${TARGET} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND con.contype IN ('p', 'u', 'f', 'c')`,
  "q.table_oid, q.name",
);

/**
 * Indexes that do not back a constraint (not the primary key's, not an
 * exclusion constraint's, not a UNIQUE constraint's). `keys`: attribute
 * numbers, 0 for an expression; `terms` (`pg_get_indexdef` per column) only
 * for an index with an expression, a sort order other than the default or
 * an operator class other than its column type's default; `opclasses`, for
 * the last, per key column (empty where the default).
 */
export const INDEXES_SQL = asJson(
  `
SELECT i.indrelid::int8 AS table_oid, ic.relname AS name, i.indisunique AS is_unique, am.amname AS method,
  i.indnkeyatts AS key_count, i.indkey::text AS keys, i.indoption::text AS options,
  CASE WHEN 0 = ANY (i.indkey::int2[]) OR 0 <> ANY (i.indoption::int2[]) OR opc.named THEN
    ARRAY(SELECT pg_get_indexdef(i.indexrelid, k.ord, true) FROM generate_series(1, i.indnatts) AS k(ord) ORDER BY k.ord)
  END AS terms,
  CASE WHEN opc.named THEN opc.names END AS opclasses,
  pg_get_expr(i.indpred, i.indrelid, true) AS predicate
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL (
  SELECT bool_or(NOT o.opcdefault) AS named,
    array_agg(CASE WHEN o.opcdefault THEN '' WHEN pg_opclass_is_visible(o.oid) THEN quote_ident(o.opcname)
      ELSE quote_ident(ons.nspname) || '.' || quote_ident(o.opcname) END ORDER BY k.ord) AS names
  FROM unnest(i.indclass::oid[]) WITH ORDINALITY AS k(oid, ord)
  JOIN pg_opclass o ON o.oid = k.oid
  JOIN pg_namespace ons ON ons.oid = o.opcnamespace
) opc
WHERE n.nspname = ${TARGET} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND NOT i.indisprimary AND NOT i.indisexclusion
  AND NOT (i.indisunique AND EXISTS (SELECT 1 FROM pg_constraint con
    WHERE con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype = 'u'))`,
  "q.table_oid, q.name",
);

/** Enum types of every schema but the system ones; `in_target`: of the schema read. */
export const ENUMS_SQL = `
SELECT t.typname AS name, n.nspname AS schema, current_schema() AS current_schema,
  ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
  n.nspname = ${TARGET} AS in_target
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY n.nspname, t.typname`;

export interface ColumnRow {
  table_oid: number;
  table_name: string;
  current_schema: string | null;
  table_comment: string | null;
  attnum: number | null;
  column_name: string | null;
  formatted_type: string;
  type_name: string;
  type_schema: string;
  type_kind: string;
  not_null: boolean;
  default_expr: string | null;
  identity: string;
  generated: string;
  column_comment: string | null;
  serial: boolean | null;
}

export interface ConstraintRow {
  table_oid: number;
  name: string;
  kind: "p" | "u" | "f" | "c";
  /** `conkey`: attribute numbers separated by spaces. */
  keys: string | null;
  referred_oid: number;
  referred_keys: string | null;
  referred_table: string | null;
  referred_schema: string | null;
  /** Only for a table the columns query does not read. */
  referred_columns: string[] | null;
  on_update: string;
  on_delete: string;
  match: string;
  deferrable: boolean;
  deferred: boolean;
  check_expr: string | null;
}

export interface IndexRow {
  table_oid: number;
  name: string;
  is_unique: boolean;
  method: string;
  key_count: number;
  /** `indkey`: attribute numbers separated by spaces, 0 for an expression. */
  keys: string;
  /** `indoption` per key column, separated by spaces: bit 1 DESC, bit 2 NULLS FIRST. */
  options: string;
  /** `pg_get_indexdef` per column, when an expression, an ordering or an operator class needs it. */
  terms: string[] | null;
  /** Per key column, its operator class where it is not the type's default, else ''; null when all are. */
  opclasses: string[] | null;
  predicate: string | null;
}

export interface EnumRow {
  name: string;
  schema: string;
  current_schema: string | null;
  labels: string[];
  in_target: boolean;
}
