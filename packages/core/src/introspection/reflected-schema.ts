import type { ColumnType } from "../schema/column-type.js";
import type { ColumnDefinition, ForeignKeyDefinition, IndexDefinition } from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";

/**
 * A column as the database describes it: core's column (its type
 * normalised to core's vocabulary, `custom` when there is no match;
 * `nullable`, `serverDefault` as ``sql`...` `` text, `autoincrement` for
 * SERIAL/IDENTITY/AUTOINCREMENT, `computed`, `comment`), plus the type as
 * the database reports it (`int4`, `character varying(255)`, `INTEGER`),
 * for messages and for `compareType` functions.
 */
export interface ReflectedColumn extends ColumnDefinition {
  readonly reportedType: string;
  /**
   * PostgreSQL's identity columns (`GENERATED ALWAYS|BY DEFAULT AS
   * IDENTITY`), which also set `autoincrement`; absent for SERIAL and
   * elsewhere.
   */
  readonly identity?: "always" | "byDefault";
  /**
   * A generated column's values are stored (`STORED`, MariaDB's
   * `PERSISTENT`: true) or computed when read (`VIRTUAL`: false); absent
   * where the introspector does not say.
   */
  readonly computedStored?: boolean;
}

/** An index as the database describes it, with PostgreSQL's method and INCLUDE columns where they apply. */
export interface ReflectedIndex extends IndexDefinition {
  /** `btree`, `gin`, ... (PostgreSQL); absent where the database has one kind. */
  readonly method?: string;
  readonly include?: readonly string[];
  /**
   * The foreign key (by name) this index was made for by the database, not
   * declared: InnoDB creates one, named after the key, when no index covers
   * its columns. Autogenerate leaves it out while the key is there and
   * drops it with the key.
   */
  readonly foreignKey?: string;
}

/**
 * A table as the database describes it, in core's table model: the same
 * shape `table(...)` declares, so that autogenerate compares like with
 * like. Constraint names are the database's (generated ones included); a
 * foreign key carries `deferrable`/`initially` where the database has them.
 */
export interface ReflectedTable extends TableDefinition {
  readonly columns: readonly ReflectedColumn[];
  readonly indexes: readonly ReflectedIndex[];
}

/** A PostgreSQL enum type (`CREATE TYPE ... AS ENUM`), with its labels in order. */
export interface ReflectedEnum {
  readonly name: string;
  readonly schema?: string;
  readonly values: readonly string[];
}

/** The live schema: every table (the version table excluded) and, where the database has them, enum types. */
export interface ReflectedSchema {
  readonly tables: readonly ReflectedTable[];
  readonly enums: readonly ReflectedEnum[];
  /**
   * The schema an unqualified name resolves to (PostgreSQL's current
   * schema, usually `public`), where the database has schemas: a foreign
   * key declared to `public.users` and one declared to `users` then
   * compare as the same key.
   */
  readonly defaultSchema?: string;
}

/**
 * Runs one read-only query and returns its rows. Introspectors read only
 * through it: during a run it is the statement sink's reading side.
 */
export type ReadQuery = <Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]) => Promise<Row[]>;

export interface IntrospectOptions {
  /** The schema to read (PostgreSQL; default: the first schema of the search path, usually `public`). */
  readonly schema?: string;
  /** Tables left out, by name: the version table. */
  readonly excludeTables?: readonly string[];
}

/**
 * Reads the live schema as core's table model, for autogenerate, `check`,
 * batch mode and tests: one model, not one per use. Kysely's
 * `DatabaseIntrospector` is the model. An introspector reads the whole
 * schema in a constant number of queries where the database allows it
 * (PostgreSQL's catalogs), not one query per table.
 *
 * ```ts
 * const schema = await dialect.introspector.introspect(read, { excludeTables: ["alembic_version"] });
 * schema.tables.map((table) => table.name);
 * ```
 */
export interface DatabaseIntrospector {
  introspect(read: ReadQuery, options?: IntrospectOptions): Promise<ReflectedSchema>;
  /**
   * The type a column declared with `type` reads back as on this database:
   * what the dialect's compiler writes for it, mapped back through the
   * introspector's synonym table (`uuid()` is `string(36)` on SQLite,
   * `numeric(10)` is `numeric(10, 0)` on PostgreSQL). Comparing
   * `normalizeType(declared)` with a reflected column's `type` gives no
   * false positives for the types of core's vocabulary.
   */
  normalizeType?(type: ColumnType): ColumnType;
  /**
   * A declared server default's SQL text (``sql`...` `` or the dialect's
   * rendering of a literal) as this database reports it back for a column
   * of `type`: PostgreSQL drops the cast it adds to a literal of the
   * column's own type (`'{}'::jsonb` is `'{}'` on a jsonb column).
   * Without it, compare the text as it is.
   */
  normalizeDefault?(sqlText: string, type: ColumnType): string;
  /**
   * A type's key (parsed from SQL type text: lower case, arguments apart)
   * in this database's own words, so that synonyms compare equal:
   * `int4`/`integer`, `character varying`/`varchar` on PostgreSQL.
   * Autogenerate applies it to the declared and the reported type alike;
   * `side` says which one `key` is, for what only the database's answer
   * implies: a reported `timestamp` without a precision has PostgreSQL's
   * default one, 6, which a declared `TIMESTAMP(3)` must be compared with,
   * while a declared `TIMESTAMP` without one states none. Without it,
   * names compare as written.
   */
  comparableType?(key: TypeKey, side: TypeSide): TypeKey;
  /**
   * A single-column integer primary key reads back as INTEGER whatever
   * integer type was declared for it (SQLite's rowid alias): autogenerate
   * sees no type change there. Default false.
   */
  readonly integerPrimaryKeyAlias?: boolean;
  /**
   * The name the database keeps for a declared index name, and for a
   * declared UNIQUE or CHECK constraint's (`generated` false): PostgreSQL
   * cuts names at 63 bytes, and the compiler shortens a generated one
   * (`generated`: `ix_<table>_<column>`) with a hash. Without it, names are
   * kept as written.
   */
  indexName?(name: string, generated: boolean): string;
  /**
   * Whether a declared index's options for this database (its dialect
   * block) match what the database reports for the index of that name,
   * beyond the columns, uniqueness and condition core compares: MySQL's
   * prefix lengths. `table` is the reflected table the index is on (a
   * prefix as long as its column is the whole column). Without it, dialect
   * options are not compared.
   */
  sameIndexOptions?(declared: IndexDefinition, reflected: ReflectedIndex, table: TableDefinition): boolean;
  /**
   * RESTRICT is NO ACTION (InnoDB checks both at once): a foreign key
   * declared with either matches one reflected with no action. Default false.
   */
  readonly restrictIsNoAction?: boolean;
  /**
   * A foreign key's DEFERRABLE and INITIALLY DEFERRED are read back
   * (PostgreSQL, SQLite): a change of either is a changed key, dropped and
   * added again (Alembic's `fk_deferrable_is_reflected`). Default false: a
   * database that ignores them (MySQL) would report them forever.
   */
  readonly readsForeignKeyDeferral?: boolean;
}

/**
 * A type reduced to a name and its arguments, for comparison: `varchar`
 * with `["255"]`.
 */
export interface TypeKey {
  readonly name: string;
  readonly args: readonly string[];
}

/** Which side of autogenerate's type comparison a type is: the schema's declaration, or the database's column. */
export type TypeSide = "declared" | "reflected";

/** A reflected foreign key: core's, always named. */
export type ReflectedForeignKey = ForeignKeyDefinition & { readonly name: string };
