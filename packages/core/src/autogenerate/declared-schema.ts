import { existsSync } from "node:fs";
import type { Dialect } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import { importModule } from "../config/module-loader.js";
import type { SchemaSource } from "../config/retort-config.js";
import type { ReflectedSchema } from "../introspection/reflected-schema.js";
import type { TableDefinition } from "../schema/table.js";
import type { DeclaredSchema } from "./compare-schemas.js";
import { applyNamingConvention, isNamingConvention } from "./naming-convention.js";

/**
 * The declared schema: every `table(...)` the schema module(s) export,
 * directly or inside exported arrays and plain objects (so tables may be
 * grouped, e.g. `export const billing = { invoices, payments }`). A table
 * exported twice counts once; two different tables with one name are an
 * error. A module may export `namingConvention` (`{ pk, fk, uq, ck, ix }`
 * templates, as SQLAlchemy's `MetaData(naming_convention=...)`) to name its
 * tables' unnamed constraints and indexes; the declared schema is loaded
 * for the database it is compared with, whose `maxIdentifierLength`
 * shortens the names it makes as SQLAlchemy does. A path ending in `.sql` is a
 * SQL file: `readSqlFile` applies it to a scratch database of the same
 * dialect and the tables it creates are the declared ones.
 */
export async function loadDeclaredSchema(
  source: SchemaSource | readonly SchemaSource[] | undefined,
  /** Reads a `.sql` schema file: applies it to a scratch database and reflects it. */
  readSqlFile?: (file: string) => Promise<ReflectedSchema>,
  /**
   * The database's dialect: a naming convention's names are shortened to its
   * `maxIdentifierLength`, and name an enum's CHECK only without native enums.
   */
  dialect?: Pick<Dialect, "maxIdentifierLength" | "capabilities">,
): Promise<DeclaredSchema> {
  if (source === undefined) {
    throw new CommandError(
      "No declared schema: set `schema` in the config to the module that exports your table(...) definitions",
      { code: "NO_SCHEMA" },
    );
  }
  const sources: readonly SchemaSource[] = Array.isArray(source) ? source : [source as SchemaSource];
  const modules = await Promise.all(
    sources.map(async (item) => {
      if (typeof item !== "string") return item;
      if (!item.toLowerCase().endsWith(".sql")) {
        if (!existsSync(item)) {
          throw new CommandError(
            `The schema module ${item} does not exist: fix the config's \`schema\` option (a path relative to the config file) or create the module`,
            { code: "NO_SCHEMA" },
          );
        }
        return importModule(item);
      }
      if (readSqlFile === undefined) {
        throw new CommandError(`A .sql schema (${item}) needs a database to apply it to`, { code: "NO_SCHEMA" });
      }
      // The tables of a SQL file are the ones it creates in a scratch database.
      return { tables: (await readSqlFile(item)).tables };
    }),
  );
  return collectTables(modules, dialect?.maxIdentifierLength, dialect?.capabilities.nativeEnum);
}

/**
 * The tables found in modules (their exports walked through arrays and
 * plain objects); names a module's `namingConvention` makes are shortened
 * past `maxLength` characters (`shortenConventionName`).
 */
export function collectTables(modules: readonly unknown[], maxLength?: number, nativeEnum = false): DeclaredSchema {
  const found = new Map<string, TableDefinition>();
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (value === null || typeof value !== "object" || seen.has(value) || depth > 8) return;
    seen.add(value);
    if (isTable(value)) {
      const key = `${value.options.schema ?? ""}.${value.name}`;
      const existing = found.get(key);
      if (existing !== undefined && existing !== value) {
        throw new CommandError(`Table ${qualified(value)} is declared twice in the schema modules`, {
          code: "DUPLICATE_TABLE",
        });
      }
      found.set(key, value);
      return;
    }
    const entries = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
    for (const entry of entries) visit(entry, depth + 1);
  };
  for (const module of modules) {
    const before = new Set(found.values());
    visit(module, 0);
    // A module's `namingConvention` export names the unnamed constraints of its own tables.
    const convention = (module as { namingConvention?: unknown } | null)?.namingConvention;
    if (!isNamingConvention(convention)) continue;
    for (const [key, table] of found) {
      if (!before.has(table)) found.set(key, applyNamingConvention(table, convention, maxLength, nativeEnum));
    }
  }
  return { tables: [...found.values()] };
}

function isTable(value: object): value is TableDefinition {
  const candidate = value as Partial<TableDefinition>;
  return candidate.kind === "table" && typeof candidate.name === "string" && Array.isArray(candidate.columns);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  // Module namespace objects have a null prototype.
  return prototype === null || prototype === Object.prototype;
}

function qualified(table: TableDefinition): string {
  return table.options.schema === undefined ? table.name : `${table.options.schema}.${table.name}`;
}
