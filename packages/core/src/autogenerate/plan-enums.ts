import type { Operation } from "../operations/operation.js";
import { type ColumnType, customType, enumSchemaOf } from "../schema/column-type.js";
import type { ColumnDefinition } from "../schema/table-elements.js";
import type { PlanStep } from "./plan-migration.js";
import type { SchemaDiff } from "./schema-diff.js";

/**
 * PostgreSQL's enum types in a planned migration: which types the plan's
 * tables and columns use, the `CREATE TYPE` / `DROP TYPE` of a type no
 * table creates, and one `CREATE TYPE` per type (see `eachEnumCreatedOnce`).
 */

/** The enum types the tables and columns of `diffs` use, by `enumKey`. */
export function enumsUsed(diffs: readonly SchemaDiff[]): Set<string> {
  const used = new Set<string>();
  const note = (columns: readonly ColumnDefinition[], schema: string | undefined) => {
    for (const column of columns) {
      if (column.type.kind === "enum") used.add(enumKey(column.type.name, enumSchemaOf(column.type, schema)));
    }
  };
  for (const diff of diffs) {
    if (diff.kind === "add_table" || diff.kind === "remove_table") note(diff.table.columns, diff.table.options.schema);
    if (diff.kind === "add_column" || diff.kind === "remove_column") note([diff.column], diff.schema);
    if (diff.kind === "modify_type") {
      if (diff.to.kind === "enum") used.add(enumKey(diff.to.name, enumSchemaOf(diff.to, diff.schema)));
      if (diff.from.kind === "enum") used.add(enumKey(diff.from.name, enumSchemaOf(diff.from, diff.schema)));
    }
  }
  return used;
}

/** The enum types that `kind` diffs create (`add_enum`, going up) or that going down re-creates (`remove_enum`). */
export function enumKeys(diffs: readonly SchemaDiff[], kind: "add_enum" | "remove_enum"): Set<string> {
  return new Set(diffs.flatMap((diff) => (diff.kind === kind ? [enumKey(diff.name, diff.schema)] : [])));
}

/**
 * PostgreSQL creates an enum type with the first table or column that
 * uses it (the compiler writes its `CREATE TYPE`). A later table or
 * column of the same migration that uses it, and any that uses a type the
 * database already has (one not in `created`), names the type instead
 * (``customType('"mood"')``): a second `CREATE TYPE` would fail.
 */
export function eachEnumCreatedOnce(steps: readonly PlanStep[], created: ReadonlySet<string>): PlanStep[] {
  const made = new Set<string>();
  const typeFor = (type: ColumnType, schema: string | undefined): ColumnType => {
    if (type.kind !== "enum") return type;
    const typeSchema = enumSchemaOf(type, schema);
    const key = enumKey(type.name, typeSchema);
    if (created.has(key) && !made.has(key)) {
      made.add(key);
      return type;
    }
    return customType(qualified(type.name, typeSchema));
  };
  return steps.map((step): PlanStep => {
    if (step.kind === "createTable") {
      const schema = step.table.options.schema;
      const columns = step.table.columns.map((column) => ({ ...column, type: typeFor(column.type, schema) }));
      return { ...step, table: { ...step.table, columns } };
    }
    if (step.kind === "addColumn")
      return { ...step, column: { ...step.column, type: typeFor(step.column.type, step.schema) } };
    if (step.kind === "alterColumn" && step.type !== undefined)
      return { ...step, type: typeFor(step.type, step.schema) };
    return step;
  });
}

/** An enum type's key: its schema (empty for the default one) and name. */
export function enumKey(name: string, schema: string | undefined): string {
  return `${schema ?? ""}.${name}`;
}

export function createEnum(diff: { schema?: string; name: string; values: readonly string[] }): Operation {
  return {
    kind: "execute",
    sql: `CREATE TYPE ${qualified(diff.name, diff.schema)} AS ENUM (${diff.values.map(sqlLiteral).join(", ")})`,
  };
}

export function dropEnum(diff: { schema?: string; name: string }): Operation {
  return { kind: "execute", sql: `DROP TYPE IF EXISTS ${qualified(diff.name, diff.schema)}` };
}

/** A name quoted for PostgreSQL, with its schema when it has one. */
export function qualified(name: string, schema: string | undefined): string {
  const quote = (part: string) => `"${part.replaceAll('"', '""')}"`;
  return schema === undefined ? quote(name) : `${quote(schema)}.${quote(name)}`;
}

/** A string as a SQL literal. */
export function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
