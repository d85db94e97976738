import path from "node:path";
import { validateConfig } from "./validate-config.js";

/**
 * Decides whether autogenerate looks at a database object (Alembic's
 * `include_object`): `object` is the declared or reflected table, column,
 * index or constraint; `type` is `"table"`, `"column"`, `"index"`,
 * `"unique_constraint"` or `"foreign_key_constraint"`.
 */
export type IncludeObjectHook = (
  object: unknown,
  name: string | null,
  type: string,
  reflected: boolean,
  compareTo: unknown,
) => boolean;

/**
 * Decides whether autogenerate reflects a name at all (Alembic's
 * `include_name`), before any object is built; `parentNames` holds e.g.
 * `schema_name` and `table_name`.
 */
export type IncludeNameHook = (
  name: string | null,
  type: string,
  parentNames: Readonly<Record<string, string | null>>,
) => boolean;

/**
 * A custom comparison (Alembic's callable `compare_type` /
 * `compare_server_default`): `true` means different, `false` the same,
 * `undefined` lets Retort's own comparison decide.
 */
export type CompareHook = (details: {
  readonly table: string;
  readonly column: string;
  readonly inspected: unknown;
  readonly declared: unknown;
}) => boolean | undefined;

/** A schema module for autogenerate: its path, or the imported module. */
export type SchemaSource = string | Readonly<Record<string, unknown>>;

/**
 * Runs on each new migration file (Alembic's `post_write_hooks`), e.g. a
 * formatter. The `exec` form runs `command` with `args`, where the word
 * `REVISION_SCRIPT_FILENAME` is replaced by the file's path (the path is
 * appended when no argument names it). The function form gets the path.
 */
export type PostWriteHook =
  | {
      readonly type: "exec";
      readonly command: string;
      readonly args?: readonly string[];
      readonly cwd?: string;
    }
  | ((file: string) => void | Promise<void>);

/** The migration lock taken by commands that change the database. */
export interface LockConfig {
  /** Default true. */
  readonly enabled?: boolean;
  /** How long to wait for another run to finish; default 60000. */
  readonly timeoutMs?: number;
}

/**
 * Limits for the statements a migration runs, set on the migration's
 * session: PostgreSQL's `lock_timeout` and `statement_timeout`. A migration
 * that waits too long for a table lock fails instead of queueing every
 * other query behind it. 0 means no limit (the server's default).
 */
export interface SessionTimeouts {
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

/**
 * Everything a `retort.config.*` file may set. All options are optional;
 * relative paths are relative to the folder of the config file.
 */
export interface RetortConfig {
  /** Folder holding `script.ts.template` and `versions/`; default `"migrations"` (Alembic: script_location). */
  readonly scriptLocation?: string;
  /** Database URL in SQLAlchemy's form; `DATABASE_URL` and `--url` override it (Alembic: sqlalchemy.url). */
  readonly url?: string;
  /** Folders of migration files, in search order; default `[scriptLocation + "/versions"]`. */
  readonly versionLocations?: readonly string[];
  /** Also read the subfolders of the version locations; default false. */
  readonly recursiveVersionLocations?: boolean;
  /** Name of new files without extension; tokens `{rev} {slug} {epoch} {year} {month} {day} {hour} {minute} {second}`, `/` makes subfolders; default `"{rev}_{slug}"`. */
  readonly fileTemplate?: string;
  /** Longest slug before it is cut at a word boundary; default 40. */
  readonly truncateSlugLength?: number;
  /** IANA time zone for Create Date and file names (e.g. `"UTC"`); default local time. */
  readonly timezone?: string;
  /** Default `"alembic_version"`, so a database Alembic migrated can be taken over. */
  readonly versionTable?: string;
  /** Schema of the version table; default the connection's. */
  readonly versionTableSchema?: string;
  /** Give the version table its primary key (`alembic_version_pkc`); default true. */
  readonly versionTablePk?: boolean;
  /** Commit after each migration instead of once for the whole run; default false. */
  readonly transactionPerMigration?: boolean;
  /** The declared schema for autogenerate: a module path whose exported `table(...)`s count, that module itself, or a list of them. */
  readonly schema?: SchemaSource | readonly SchemaSource[];
  /** Compare column types in autogenerate; default true. */
  readonly compareType?: boolean | CompareHook;
  /** Compare server defaults in autogenerate; default false. */
  readonly compareServerDefault?: boolean | CompareHook;
  readonly includeObject?: IncludeObjectHook;
  readonly includeName?: IncludeNameHook;
  readonly postWriteHooks?: readonly PostWriteHook[];
  /** Default `{ enabled: true, timeoutMs: 60000 }`. */
  readonly lock?: LockConfig;
  /** `lock_timeout` / `statement_timeout` for migration sessions; default none (the server's settings). */
  readonly sessionTimeouts?: SessionTimeouts;
}

/** A configuration with every default applied and every path absolute. */
export interface ResolvedConfig {
  /** The file it was read from, when there was one. */
  readonly configFile: string | undefined;
  /** The folder relative paths were taken from. */
  readonly directory: string;
  readonly scriptLocation: string;
  readonly url: string | undefined;
  readonly versionLocations: readonly string[];
  readonly recursiveVersionLocations: boolean;
  readonly fileTemplate: string;
  readonly truncateSlugLength: number;
  readonly timezone: string | undefined;
  readonly versionTable: string;
  readonly versionTableSchema: string | undefined;
  readonly versionTablePk: boolean;
  readonly transactionPerMigration: boolean;
  /** Absolute path of the schema module, or the module itself (or a list of them). */
  readonly schema: SchemaSource | readonly SchemaSource[] | undefined;
  readonly compareType: boolean | CompareHook;
  readonly compareServerDefault: boolean | CompareHook;
  readonly includeObject: IncludeObjectHook | undefined;
  readonly includeName: IncludeNameHook | undefined;
  readonly postWriteHooks: readonly PostWriteHook[];
  readonly lock: { readonly enabled: boolean; readonly timeoutMs: number };
  readonly sessionTimeouts: SessionTimeouts;
}

/**
 * Types a configuration; returns it unchanged.
 *
 * ```ts
 * // retort.config.ts
 * import { defineConfig } from "@retort/core";
 * export default defineConfig({ scriptLocation: "migrations", url: "sqlite:///app.db" });
 * ```
 */
export function defineConfig(config: RetortConfig): RetortConfig {
  return config;
}

/**
 * Checks a configuration and applies the defaults. Relative paths are taken
 * from `directory` (the config file's folder). Resolving a resolved
 * configuration again gives the same one (its own `directory` and
 * `configFile` are kept). Throws `ConfigInvalidError` naming `configFile`
 * and the key for an unknown option or a wrong type.
 */
export function resolveConfig(
  config: RetortConfig | ResolvedConfig,
  directory: string,
  configFile?: string,
): ResolvedConfig {
  const resolved = config as Partial<ResolvedConfig>;
  const file = configFile ?? resolved.configFile;
  const checked = validateConfig(config, file);
  const base = path.resolve(resolved.directory ?? directory);
  const scriptLocation = path.resolve(base, checked.scriptLocation ?? "migrations");
  const versionLocations =
    checked.versionLocations === undefined
      ? [path.join(scriptLocation, "versions")]
      : checked.versionLocations.map((location) => path.resolve(base, location));
  return {
    configFile: file === undefined ? undefined : path.resolve(base, file),
    directory: base,
    scriptLocation,
    url: checked.url,
    versionLocations,
    recursiveVersionLocations: checked.recursiveVersionLocations ?? false,
    fileTemplate: checked.fileTemplate ?? "{rev}_{slug}",
    truncateSlugLength: checked.truncateSlugLength ?? 40,
    timezone: checked.timezone,
    versionTable: checked.versionTable ?? "alembic_version",
    versionTableSchema: checked.versionTableSchema,
    versionTablePk: checked.versionTablePk ?? true,
    transactionPerMigration: checked.transactionPerMigration ?? false,
    schema: Array.isArray(checked.schema)
      ? checked.schema.map((source: SchemaSource) => (typeof source === "string" ? path.resolve(base, source) : source))
      : typeof checked.schema === "string"
        ? path.resolve(base, checked.schema)
        : (checked.schema as SchemaSource | undefined),
    compareType: checked.compareType ?? true,
    compareServerDefault: checked.compareServerDefault ?? false,
    includeObject: checked.includeObject,
    includeName: checked.includeName,
    postWriteHooks: checked.postWriteHooks ?? [],
    lock: { enabled: checked.lock?.enabled ?? true, timeoutMs: checked.lock?.timeoutMs ?? 60_000 },
    sessionTimeouts: checked.sessionTimeouts ?? {},
  };
}
