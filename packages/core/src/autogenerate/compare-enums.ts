import type { ReflectedEnum, ReflectedSchema } from "../introspection/reflected-schema.js";
import { enumSchemaOf } from "../schema/column-type.js";
import type { DeclaredSchema } from "./compare-schemas.js";
import type { SchemaDiff } from "./schema-diff.js";

/**
 * Native enum types (PostgreSQL's `CREATE TYPE ... AS ENUM`): the declared
 * ones the database lacks, values it lacks (added `BEFORE` the next value it
 * has), and the types it has that nothing declares.
 */
export function compareEnums(
  declared: DeclaredSchema,
  reflected: ReflectedSchema,
): { added: SchemaDiff[]; changed: SchemaDiff[]; removed: SchemaDiff[] } {
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
    reflected.enums.map((item) => [`${item.schema ?? ""}.${item.name}`, item]),
  );
  const added: SchemaDiff[] = [];
  const changed: SchemaDiff[] = [];
  const removed: SchemaDiff[] = [];
  for (const [key, item] of wanted) {
    const existing = present.get(key);
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
    if (wanted.has(key)) continue;
    const at = item.schema === undefined ? {} : { schema: item.schema };
    removed.push({ kind: "remove_enum", ...at, name: item.name, values: item.values });
  }
  return { added, changed, removed };
}
