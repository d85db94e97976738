import { CommandError } from "../errors/retort-error.js";
import { formatLocation, locationIn, type SourceLocation } from "../errors/source-location.js";

/** No configuration file where one was expected. */
export class ConfigNotFoundError extends CommandError {
  /** The file that was looked for (absolute), or the folder searched. */
  readonly path: string;

  constructor(message: string, path: string) {
    super(message, { code: "CONFIG_NOT_FOUND" });
    this.name = "ConfigNotFoundError";
    this.path = path;
  }
}

/** A configuration file that cannot be loaded, or holds an unknown option or a value of the wrong type. */
export class ConfigInvalidError extends CommandError {
  readonly path: string | undefined;
  /** The offending option, when one is to blame. */
  readonly key: string | undefined;

  constructor(message: string, details: { path?: string; key?: string; cause?: unknown } = {}) {
    super(message, { code: "CONFIG_INVALID", cause: details.cause });
    this.name = "ConfigInvalidError";
    this.path = details.path;
    this.key = details.key;
  }
}

/** The script folder named by `scriptLocation` does not exist. */
export class ScriptLocationNotFoundError extends CommandError {
  readonly path: string;

  constructor(path: string) {
    // Alembic's text, two spaces included.
    super(`Path doesn't exist: ${path}.  Please use the 'init' command to create a new scripts folder.`, {
      code: "SCRIPT_LOCATION_NOT_FOUND",
    });
    this.name = "ScriptLocationNotFoundError";
    this.path = path;
  }
}

/** A database URL that cannot be parsed. The message never contains the password. */
export class BadUrlError extends CommandError {
  constructor(message: string) {
    super(message, { code: "BAD_URL" });
    this.name = "BadUrlError";
  }
}

/** No database URL was given by any of the three ways. */
export class NoDatabaseUrlError extends CommandError {
  constructor(message: string) {
    super(message, { code: "NO_URL" });
    this.name = "NoDatabaseUrlError";
  }
}

/** A URL scheme no Retort driver handles. */
export class UnknownSchemeError extends CommandError {
  readonly scheme: string;

  constructor(message: string, scheme: string) {
    super(message, { code: "UNKNOWN_SCHEME" });
    this.name = "UnknownSchemeError";
    this.scheme = scheme;
  }
}

/**
 * A TypeScript or JavaScript module (config, migration, schema) that failed
 * to load. When the error was thrown by the module's own top-level code, the
 * message ends with the line that threw it (`  at migrations/versions/ab12_add.ts:3:7`).
 */
export class ModuleLoadError extends CommandError {
  readonly path: string;
  /** Where in the module the error was thrown, when a frame of its stack is in the module. */
  readonly location: SourceLocation | undefined;

  constructor(message: string, path: string, cause: unknown) {
    const location = locationIn(cause, path);
    super(location === undefined ? message : `${message}\n  at ${formatLocation(location)}`, {
      code: "MODULE_LOAD",
      cause,
    });
    this.name = "ModuleLoadError";
    this.path = path;
    this.location = location;
  }
}
