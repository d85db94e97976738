import path from "node:path";
import type { Connection, Dialect, Driver } from "../driver/driver.js";
import type { DatabaseUrl } from "../config/database-url.js";
import { BadUrlError } from "../config/config-errors.js";
import { databaseUrlSource, maskUrl, parseDatabaseUrl } from "../config/database-url-parser.js";
import { resolveConfig, type ResolvedConfig, type RetortConfig } from "../config/retort-config.js";
import type { VersionTableOptions } from "../runtime/version-table.js";
import type { RunReporter } from "../runtime/run-reporter.js";
import { loadDriver } from "./driver-loader.js";
import { ScriptDirectory } from "./script-directory.js";
import { checkOptions, type OptionNames, optionNames } from "../schema/check-options.js";

/** Options every API command accepts besides the configuration. */
export interface CommandOptions {
  /** The folder relative paths and `.env` are taken from; default `process.cwd()`. */
  readonly cwd?: string;
  /** Database URL; wins over `DATABASE_URL` and the config's `url`. */
  readonly url?: string;
  /** Environment variables; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `-x KEY=VALUE` arguments, available to migrations as `op.getContext().xArgs`. */
  readonly xArgs?: readonly string[];
  readonly tag?: string;
  /** A driver to use instead of finding one by the URL's scheme. */
  readonly driver?: Driver;
  /**
   * Receives warnings: Alembic's (`downgrade -1 from multiple heads is
   * ambiguous; ...`) and the driver's (a SQLite batch CAST that changes values).
   */
  readonly onWarning?: (message: string) => void;
  /**
   * Told what happens as it happens: the database chosen (before
   * connecting, by every command that connects), the wait for the lock,
   * each migration's start and end with its duration, long copies, and the
   * run's summary. The CLI renders it on stderr.
   */
  readonly reporter?: RunReporter;
  /**
   * Aborting it stops a run before its next statement, asks the database to
   * cancel the running one, rolls back and releases the lock; the command
   * then fails with an `InterruptedError` (the CLI aborts it on SIGINT and
   * SIGTERM). The abort's `reason` may name the signal (`"SIGTERM"`).
   */
  readonly signal?: AbortSignal;
  /**
   * Sees every statement of the run before it is sent to the connection
   * (`BEGIN`/`COMMIT`/`ROLLBACK` included), for tracing and for tests that
   * compare a run's statements with what the database received.
   */
  readonly onStatement?: (sql: string) => void;
}

export interface OpenConnection {
  readonly connection: Connection;
  readonly url: DatabaseUrl;
}

/** The options every command takes (`CommandOptions`'s keys). */
export const COMMAND_OPTIONS: OptionNames = optionNames<CommandOptions>({
  cwd: true,
  url: true,
  env: true,
  xArgs: true,
  tag: true,
  driver: true,
  onWarning: true,
  reporter: true,
  signal: true,
  onStatement: true,
});

/** `COMMAND_OPTIONS` and a command's own options, for `Environment`'s check. */
export function commandOptions(...own: readonly string[]): OptionNames {
  const list = [...COMMAND_OPTIONS.list, ...own];
  return { keys: new Set(list), list };
}

/** How a command builds its environment. */
export interface EnvironmentSettings {
  /** The command runs migrations (imports their modules). */
  readonly runsMigrations?: boolean;
  /** The command's name: its options object is checked, an unknown key failing with the closest known one. */
  readonly command?: string;
  /** The keys the command takes; default `COMMAND_OPTIONS`. */
  readonly own?: OptionNames;
}

/**
 * Everything a command needs: the resolved configuration, the script
 * directory (read lazily, headers only) and a way to connect.
 */
export class Environment {
  readonly config: ResolvedConfig;
  readonly options: CommandOptions;
  readonly cwd: string;
  #scripts: ScriptDirectory | undefined;
  readonly #runsMigrations: boolean;

  /** `runsMigrations`: the command imports migrations (upgrade, downgrade, their `--sql`). */
  constructor(
    config: RetortConfig | ResolvedConfig,
    options: CommandOptions = {},
    { runsMigrations = false, command, own }: EnvironmentSettings = {},
  ) {
    // A misspelt key (`{ URL: ... }`) would otherwise be ignored: here, migrate DATABASE_URL's database.
    if (command !== undefined) checkOptions(options, own ?? COMMAND_OPTIONS, command);
    this.cwd = options.cwd ?? process.cwd();
    this.config = resolveConfig(config, this.cwd);
    this.options = options;
    this.#runsMigrations = runsMigrations;
  }

  get scripts(): ScriptDirectory {
    this.#scripts ??= ScriptDirectory.load(this.config, { runsMigrations: this.#runsMigrations });
    return this.#scripts;
  }

  /** The URL in force (`--url`, then `DATABASE_URL`, then the config). */
  databaseUrl(): DatabaseUrl {
    const { url, source } = databaseUrlSource({
      cliUrl: this.options.url,
      env: this.options.env ?? process.env,
      configUrl: this.config.url,
      configFile: this.config.configFile === undefined ? undefined : path.basename(this.config.configFile),
    });
    try {
      return parseDatabaseUrl(url);
    } catch (error) {
      // Four places can give the URL: the message says which one did.
      if (error instanceof BadUrlError) throw new BadUrlError(`${error.message} (given by ${source})`);
      throw error;
    }
  }

  maskedUrl(): string {
    return maskUrl(this.databaseUrl());
  }

  /** The driver for the URL in force (its dialect renders offline scripts without connecting). */
  async driver(): Promise<Driver> {
    return this.options.driver ?? (await loadDriver(this.databaseUrl().scheme, this.cwd));
  }

  /** The dialect of a `--sql` script for this environment's URL (see `Driver.offlineDialect`); nothing is connected. */
  async offlineDialect(): Promise<Dialect> {
    const driver = await this.driver();
    return driver.offlineDialect?.(this.databaseUrl()) ?? driver.dialect;
  }

  async connect(): Promise<OpenConnection> {
    const url = this.databaseUrl();
    const driver = await this.driver();
    this.options.reporter?.databaseChosen?.({
      dialect: driver.dialect.name,
      url: maskUrl(url),
      ...(url.host === undefined ? {} : { host: url.host }),
      ...(url.port === undefined ? {} : { port: url.port }),
      ...(url.database === undefined || url.database === "" ? {} : { database: url.database }),
    });
    const connection = await driver.connect(url, {
      lockTimeoutMs: this.config.lock.timeoutMs,
      cwd: this.cwd,
      sessionTimeouts: this.config.sessionTimeouts,
      // Names this process in pg_stat_activity, so a lock holder can be found.
      applicationName: `retort (pid ${process.pid})`,
      ...(this.options.onWarning ? { onWarning: this.options.onWarning } : {}),
    });
    return { connection, url };
  }

  /** Runs `fn` with an open connection and always closes it. */
  async withConnection<T>(fn: (open: OpenConnection) => Promise<T>): Promise<T> {
    const open = await this.connect();
    try {
      return await fn(open);
    } finally {
      await open.connection.close();
    }
  }

  /** The migration lock's key: `<versionTableSchema>.<versionTable>`, so two version tables do not block each other. */
  get lockKey(): string {
    return `${this.config.versionTableSchema ?? ""}.${this.config.versionTable}`;
  }

  get versionTable(): VersionTableOptions {
    return {
      name: this.config.versionTable,
      schema: this.config.versionTableSchema,
      primaryKey: this.config.versionTablePk,
    };
  }
}

/** The options of a run's `ConnectionStatementSink` (the `onStatement` hook, when given). */
export function statementOptions(environment: Environment): { onStatement?: (sql: string) => void } {
  const onStatement = environment.options.onStatement;
  return onStatement ? { onStatement } : {};
}
