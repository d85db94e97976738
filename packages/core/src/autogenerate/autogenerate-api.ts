import { readFileSync } from "node:fs";
import type { Dialect } from "../driver/driver.js";
import { CommandError } from "../errors/retort-error.js";
import type { ReadQuery, ReflectedSchema } from "../introspection/reflected-schema.js";
import { ConnectionStatementSink } from "../pipeline/connection-statement-sink.js";
import type { StatementSink } from "../pipeline/statement-sink.js";
import type { ResolvedConfig, RetortConfig } from "../config/retort-config.js";
import { VersionTable } from "../runtime/version-table.js";
import { enumSchemaOf } from "../schema/column-type.js";
import { type CommandOptions, Environment, statementOptions } from "../api/environment.js";
import { compareSchemas, type DeclaredSchema, dialectTypeText } from "./compare-schemas.js";
import { loadDeclaredSchema } from "./declared-schema.js";
import { planMigration, type MigrationPlan } from "./plan-migration.js";
import { renderBody, renderImports } from "./render-operations.js";
import { describeDiff, type SchemaDiff } from "./schema-diff.js";

const READING_SCHEMA = {
  what: "Reading the database schema (autogenerate, check)",
  instead: "Run it against a live database; --sql cannot compare schemas.",
};

/** The differences between the declared schema and a database at its heads. */
export interface SchemaComparison {
  readonly diffs: readonly SchemaDiff[];
  /** One line per difference, as `check` prints them. */
  readonly lines: readonly string[];
  readonly dialect: Dialect;
}

/**
 * Compares the config's declared schema with the database (which must be
 * at the script directory's heads: `Target database is not up to date.`
 * otherwise). Reads through the run's statement sink; the version table is
 * left out.
 */
export async function compareDatabase(environment: Environment): Promise<SchemaComparison> {
  const config = environment.config;
  // Loaded for this database: a naming convention's names are shortened to its limit.
  const { dialect: driverDialect } = await environment.driver();
  const declared = await loadDeclaredSchema(config.schema, (file) => reflectSqlFile(environment, file), driverDialect);
  const heads = environment.scripts.graph.heads;
  return environment.withConnection(async ({ connection }) => {
    const sink: StatementSink = new ConnectionStatementSink(connection, statementOptions(environment));
    const current = await new VersionTable(sink, environment.versionTable).readHeads();
    const wanted = new Set(heads);
    if (current.length !== wanted.size || current.some((head) => !wanted.has(head))) {
      throw new CommandError("Target database is not up to date.", { code: "NOT_UP_TO_DATE" });
    }
    const dialect = connection.dialect;
    const read: ReadQuery = async <Row>(sql: string, parameters?: readonly unknown[]) =>
      (await sink.query<Row>({ sql, parameters: parameters ?? [] }, READING_SCHEMA)).rows;
    // A schema includeName rejects is left out on both sides.
    const schemaIncluded = schemaFilter(config);
    const included = { tables: declared.tables.filter((table) => schemaIncluded(table.options.schema)) };
    if (!dialect.capabilities.schemas) refuseSchemas(included, dialect);
    const reflected = await reflect(dialect, read, included, config, schemaIncluded);
    const diffs = compareSchemas(included, reflected, {
      dialect,
      nativeEnum: dialect.capabilities.nativeEnum,
      enumTypes: dialect.capabilities.enumTypes,
      comments: dialect.capabilities.comments,
      compareType: config.compareType,
      compareServerDefault: config.compareServerDefault,
      ...(config.includeObject ? { includeObject: config.includeObject } : {}),
      ...(config.includeName ? { includeName: config.includeName } : {}),
      ...(environment.options.onWarning ? { onWarning: environment.options.onWarning } : {}),
    });
    const lines = diffs.map((diff) => describeDiff(diff, dialectTypeText(dialect)));
    return { diffs, lines, dialect };
  });
}

/**
 * A `.sql` schema file applied to a scratch database of the run's dialect
 * (the driver's `scratchDatabase`: SQLite's is in memory, PostgreSQL's a
 * database created for it on the same server and dropped after), then
 * reflected.
 */
async function reflectSqlFile(environment: Environment, file: string): Promise<ReflectedSchema> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CommandError(`Can't read the schema file ${file}: ${(error as Error).message}`, { code: "NO_SCHEMA" });
  }
  const url = environment.databaseUrl();
  const driver = await environment.driver();
  const connectOptions = { cwd: environment.cwd, lockTimeoutMs: environment.config.lock.timeoutMs };
  if (driver.scratchDatabase === undefined) {
    throw new CommandError(
      `The ${driver.dialect.name} driver cannot make a scratch database: a .sql schema file needs one`,
      { code: "NO_SCRATCH_DATABASE" },
    );
  }
  const scratchDatabase = await driver.scratchDatabase(url, connectOptions);
  try {
    const scratch = scratchDatabase.connection;
    try {
      if (text.trim() !== "") await scratch.execute(text);
    } catch (error) {
      throw new CommandError(`The schema file ${file} failed on a scratch database: ${(error as Error).message}`, {
        code: "SCHEMA_SQL_FAILED",
        cause: error,
      });
    }
    const introspector = scratch.dialect.introspector;
    if (introspector === undefined) {
      throw new CommandError(`The ${scratch.dialect.name} driver cannot read a database's schema yet`, {
        code: "NO_INTROSPECTOR",
      });
    }
    return await introspector.introspect(
      async <Row>(sql: string, parameters?: readonly unknown[]) =>
        (await scratch.query<Row>(sql, parameters ?? [])).rows,
    );
  } finally {
    await scratchDatabase.drop();
  }
}

/**
 * A declared table in a schema, on a database without schemas (SQLite,
 * MySQL, where Retort works in the URL's database): it could never match,
 * and would be created again by every migration.
 */
function refuseSchemas(declared: DeclaredSchema, dialect: Dialect): void {
  const table = declared.tables.find((candidate) => candidate.options.schema !== undefined);
  if (table === undefined) return;
  throw new CommandError(
    `Table "${table.name}" of the declared schema is in schema "${table.options.schema}", but ${dialect.name} has no ` +
      "schemas here: autogenerate and check compare the tables of the URL's database. Remove the schema option " +
      'from the table, or leave that schema out with includeName (type "schema").',
    { code: "NO_SCHEMAS" },
  );
}

/** `includeName` sees each schema once, first (`null`: the default one), as Alembic's. */
function schemaFilter(config: ResolvedConfig): (schema: string | undefined) => boolean {
  const answers = new Map<string | undefined, boolean>();
  return (schema) => {
    let answer = answers.get(schema);
    if (answer === undefined) {
      answer = config.includeName?.(schema ?? null, "schema", {}) ?? true;
      answers.set(schema, answer);
    }
    return answer;
  };
}

/** Reads the default schema and every schema a declared table names. */
async function reflect(
  dialect: Dialect,
  read: ReadQuery,
  declared: DeclaredSchema,
  config: ResolvedConfig,
  schemaIncluded: (schema: string | undefined) => boolean,
): Promise<ReflectedSchema> {
  const introspector = dialect.introspector;
  if (introspector === undefined) {
    throw new CommandError(
      `The ${dialect.name} driver cannot read a database's schema yet (it has no introspector): autogenerate and check need one`,
      { code: "NO_INTROSPECTOR" },
    );
  }
  const schemas = new Set<string | undefined>([undefined]);
  if (dialect.capabilities.schemas) for (const table of declared.tables) schemas.add(table.options.schema);
  // A schema only an enum type is declared in (`enumType(..., { schema })`): its types are read, and of
  // them only those declared (its tables and other types belong to something else).
  const enumOnly = new Map<string, Set<string>>();
  if (dialect.capabilities.schemas) {
    for (const table of declared.tables) {
      for (const column of table.columns) {
        if (column.type.kind !== "enum") continue;
        const schema = enumSchemaOf(column.type, table.options.schema);
        if (schema === undefined || schemas.has(schema)) continue;
        enumOnly.set(schema, (enumOnly.get(schema) ?? new Set()).add(column.type.name));
      }
    }
  }
  for (const schema of enumOnly.keys()) schemas.add(schema);
  for (const schema of [...schemas]) if (!schemaIncluded(schema)) schemas.delete(schema);
  const tables: ReflectedSchema["tables"][number][] = [];
  const enums: ReflectedSchema["enums"][number][] = [];
  let defaultSchema: string | undefined;
  for (const schema of schemas) {
    // The version table is left out of the default schema's read (where it lives unless
    // versionTableSchema says otherwise: `public` named explicitly is the default one too) and of its own.
    const versionHere = schema === undefined || schema === config.versionTableSchema;
    const result = await introspector.introspect(read, {
      ...(schema === undefined ? {} : { schema }),
      excludeTables: versionHere ? [config.versionTable] : [],
    });
    defaultSchema ??= result.defaultSchema;
    const onlyEnums = schema === undefined ? undefined : enumOnly.get(schema);
    if (onlyEnums !== undefined) {
      for (const item of result.enums) if (onlyEnums.has(item.name)) enums.push({ ...item, schema });
      continue;
    }
    for (const table of result.tables) {
      const tagged = schema !== undefined && table.options.schema === undefined;
      tables.push(tagged ? { ...table, options: { ...table.options, schema } } : table);
    }
    for (const item of result.enums)
      enums.push(schema !== undefined && item.schema === undefined ? { ...item, schema } : item);
  }
  return { tables, enums, ...(defaultSchema === undefined ? {} : { defaultSchema }) };
}

export interface CheckResult {
  readonly diffs: readonly SchemaDiff[];
  readonly lines: readonly string[];
}

/**
 * `retort check`: the differences between the declared schema and the
 * database (none: the database matches). CI fails on a non-empty list.
 */
export async function checkSchema(
  config: RetortConfig | ResolvedConfig,
  options: CommandOptions = {},
): Promise<CheckResult> {
  const { diffs, lines } = await compareDatabase(new Environment(config, options, { command: "checkSchema" }));
  return { diffs, lines };
}

/** What `revision --autogenerate` writes into the template. */
export interface GeneratedBodies {
  readonly diffs: readonly SchemaDiff[];
  readonly lines: readonly string[];
  readonly plan: MigrationPlan;
  readonly upgrades: string;
  readonly downgrades: string;
  readonly imports: string;
}

/** Compares and renders the `upgrade`/`downgrade` bodies and their imports. */
export async function generateBodies(environment: Environment): Promise<GeneratedBodies> {
  const { diffs, lines, dialect } = await compareDatabase(environment);
  return renderPlan(diffs, lines, dialect);
}

/** Renders differences as migration bodies for a dialect (pure; `generateBodies` without the database). */
export function renderPlan(
  diffs: readonly SchemaDiff[],
  lines: readonly string[],
  dialect: Pick<Dialect, "name" | "capabilities">,
): GeneratedBodies {
  const plan = planMigration(diffs, {
    alterInPlace: dialect.capabilities.alterInPlace,
    dialect: dialect.name,
    schemas: dialect.capabilities.schemas,
  });
  const upgrade = renderBody(plan.upgrade);
  const downgrade = renderBody(plan.downgrade);
  return {
    diffs,
    lines,
    plan,
    upgrades: upgrade.code,
    downgrades: downgrade.code,
    imports: renderImports([...upgrade.imports, ...downgrade.imports]),
  };
}
