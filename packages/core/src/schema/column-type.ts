import { checkOptions, optionNames } from "./check-options.js";

/**
 * The column types every dialect understands. Each driver renders them in
 * its own syntax (see the driver's DDL compiler); `custom` passes a type
 * name through unchanged.
 */
export type ColumnType =
  | { readonly kind: "integer" }
  | { readonly kind: "bigInteger" }
  | { readonly kind: "smallInteger" }
  | { readonly kind: "string"; readonly length?: number }
  | { readonly kind: "text" }
  | { readonly kind: "boolean" }
  | { readonly kind: "date" }
  | { readonly kind: "dateTime"; readonly timezone: boolean }
  | { readonly kind: "time"; readonly timezone: boolean }
  | { readonly kind: "numeric"; readonly precision?: number; readonly scale?: number }
  | { readonly kind: "float"; readonly precision?: number }
  | { readonly kind: "json" }
  | { readonly kind: "jsonb" }
  | { readonly kind: "uuid" }
  | {
      readonly kind: "enum";
      readonly name: string;
      readonly values: readonly string[];
      /** The schema of the type (PostgreSQL); see `EnumTypeOptions`. */
      readonly schema?: string;
      /** The type is in its table's schema; see `EnumTypeOptions`. */
      readonly inheritSchema?: boolean;
      /**
       * Where the database has no native enums, the name of its CHECK
       * when not the enum's: the one a schema module's naming convention
       * gives it (`ck_users_mood`, as SQLAlchemy names it). The compilers
       * name the CHECK so; autogenerate compares it as the enum's name.
       */
      readonly checkName?: string;
    }
  | { readonly kind: "binary"; readonly length?: number }
  | { readonly kind: "custom"; readonly sql: string };

/** The options of `dateTime(...)` and `time(...)`. */
export interface TimeTypeOptions {
  /** `TIMESTAMP WITH TIME ZONE` / `TIME WITH TIME ZONE` where the dialect has it; default false. */
  readonly timezone?: boolean;
}

const TIME_TYPE_OPTIONS = optionNames<TimeTypeOptions>({ timezone: true });

export const integer = (): ColumnType => ({ kind: "integer" });
export const bigInteger = (): ColumnType => ({ kind: "bigInteger" });
export const smallInteger = (): ColumnType => ({ kind: "smallInteger" });
/** VARCHAR(length); without a length, VARCHAR where the dialect allows it. */
export const string = (length?: number): ColumnType =>
  length === undefined ? { kind: "string" } : { kind: "string", length };
export const text = (): ColumnType => ({ kind: "text" });
export const boolean = (): ColumnType => ({ kind: "boolean" });
export const date = (): ColumnType => ({ kind: "date" });
export const dateTime = (options: TimeTypeOptions = {}): ColumnType => {
  checkOptions(options, TIME_TYPE_OPTIONS, "dateTime");
  return { kind: "dateTime", timezone: options.timezone ?? false };
};
export const time = (options: TimeTypeOptions = {}): ColumnType => {
  checkOptions(options, TIME_TYPE_OPTIONS, "time");
  return { kind: "time", timezone: options.timezone ?? false };
};
export const numeric = (precision?: number, scale?: number): ColumnType => ({
  kind: "numeric",
  ...(precision === undefined ? {} : { precision }),
  ...(scale === undefined ? {} : { scale }),
});
export const float = (precision?: number): ColumnType =>
  precision === undefined ? { kind: "float" } : { kind: "float", precision };
export const json = (): ColumnType => ({ kind: "json" });
export const jsonb = (): ColumnType => ({ kind: "jsonb" });
/** Native UUID on PostgreSQL, CHAR(36) on MySQL, VARCHAR(36) on SQLite. */
export const uuid = (): ColumnType => ({ kind: "uuid" });
/**
 * Where PostgreSQL's type of an `enumType` lives, as SQLAlchemy's `Enum(schema=..., inherit_schema=...)`:
 * by default in the database's default schema (the search path), whatever
 * the schema of the table using it.
 */
export interface EnumTypeOptions {
  /** The type's schema. */
  readonly schema?: string;
  /** The type is in the schema of the table using it (ignored with `schema`). */
  readonly inheritSchema?: boolean;
  /**
   * Where the database has no native enums (SQLite), the name of the
   * CHECK that stands for the type; default the enum's name. Autogenerate
   * writes the one a schema module's `ck` naming convention gives
   * (`ck_users_mood`), as SQLAlchemy names it.
   */
  readonly checkName?: string;
}

/**
 * A native enum type on PostgreSQL (in the default schema unless
 * `options` say otherwise, as SQLAlchemy's), ENUM on MySQL, a CHECK
 * constraint on SQLite.
 */
export const enumType = (name: string, values: readonly string[], options: EnumTypeOptions = {}): ColumnType => ({
  kind: "enum",
  name,
  values: [...values],
  ...(options.schema === undefined ? {} : { schema: options.schema }),
  ...(options.inheritSchema === true && options.schema === undefined ? { inheritSchema: true } : {}),
  ...(options.checkName === undefined || options.checkName === name ? {} : { checkName: options.checkName }),
});

/**
 * The schema of an enum type used by a table in `tableSchema`: its own,
 * the table's when it inherits it, else none (the default schema).
 */
export function enumSchemaOf(
  type: { readonly schema?: string; readonly inheritSchema?: boolean },
  tableSchema: string | undefined,
): string | undefined {
  return type.schema ?? (type.inheritSchema === true ? tableSchema : undefined);
}
export const binary = (length?: number): ColumnType =>
  length === undefined ? { kind: "binary" } : { kind: "binary", length };
/** A type name passed to the database as written, e.g. `customType("CITEXT")`. */
export const customType = (sqlText: string): ColumnType => ({ kind: "custom", sql: sqlText });
