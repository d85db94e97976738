import type { IncludeNameHook, IncludeObjectHook } from "../config/retort-config.js";
import type { ReflectedEnum, ReflectedSchema } from "../introspection/reflected-schema.js";
import { enumSchemaOf } from "../schema/column-type.js";
import type { TableDefinition } from "../schema/table.js";
import type { DeclaredSchema } from "./compare-schemas.js";
import type { SchemaDiff } from "./schema-diff.js";

/** What `compareEnums` is told by the comparison of the tables. */
export interface EnumComparisonOptions {
  readonly includeName?: IncludeNameHook | undefined;
  readonly includeObject?: IncludeObjectHook | undefined;
  /**
   * The database's tables the comparison leaves as they are (excluded by
   * `includeName`/`includeObject`): a type one of them uses is kept.
   */
  readonly untouchedTables?: readonly TableDefinition[];
}

/**
 * Native enum types (PostgreSQL's `CREATE TYPE ... AS ENUM`): the declared
 * ones the database lacks, values it lacks (added `BEFORE` the next value it
 * has), and the types it has that nothing declares and no table left out of
 * the comparison uses. The hooks see each type as `"enum"`: `includeName`
 * each name read from the database, `includeObject` each type on either
 * side.
 */
export function compareEnums(
  declared: DeclaredSchema,
  reflected: ReflectedSchema,
  options: EnumComparisonOptions = {},
): { added: SchemaDiff[]; changed: SchemaDiff[]; removed: SchemaDiff[] } {
  const includeName = options.includeName ?? (() => true);
  const includeObject = options.includeObject ?? (() => true);
  const wanted = new Map<string, { name: string; schema?: string; values: readonly string[] }>();
  for (const table of declared.tables) {
    for (const column of table.columns) {
      if (column.type.kind !== "enum") continue;
      const schema = enumSchemaOf(column.type, table.options.schema);
      wanted.set(`${schema ?? ""}.${column.type.name}`, {
        name: column.type.name,
        ...(schema === undefined ? {} : { schema }),
        values: column.type.values,
      });
    }
  }
  const present = new Map<string, ReflectedEnum>(
    reflected.enums
      .filter((item) => includeName(item.name, "enum", { schema_name: item.schema ?? null }))
      .map((item) => [`${item.schema ?? ""}.${item.name}`, item]),
  );
  // Types a table left out of the comparison uses: that table keeps its column, and its type.
  const kept = new Set<string>();
  for (const table of options.untouchedTables ?? []) {
    for (const column of table.columns) {
      if (column.type.kind === "enum")
        kept.add(`${enumSchemaOf(column.type, table.options.schema) ?? ""}.${column.type.name}`);
    }
  }
  const added: SchemaDiff[] = [];
  const changed: SchemaDiff[] = [];
  const removed: SchemaDiff[] = [];
  for (const [key, item] of wanted) {
    const existing = present.get(key);
    if (!includeObject(item, item.name, "enum", false, existing)) continue;
    const at = item.schema === undefined ? {} : { schema: item.schema };
    if (existing === undefined) {
      added.push({ kind: "add_enum", ...at, name: item.name, values: item.values });
      continue;
    }
    item.values.forEach((value, index) => {
      if (existing.values.includes(value)) return;
      const before = item.values.slice(index + 1).find((next) => existing.values.includes(next));
      changed.push({
        kind: "add_enum_value",
        ...at,
        name: item.name,
        value,
        ...(before === undefined ? {} : { before }),
      });
    });
  }
  for (const [key, item] of present) {
    if (wanted.has(key) || kept.has(key)) continue;
    if (!includeObject(item, item.name, "enum", true, undefined)) continue;
    const at = item.schema === undefined ? {} : { schema: item.schema };
    removed.push({ kind: "remove_enum", ...at, name: item.name, values: item.values });
  }
  return { added, changed, removed };
}
