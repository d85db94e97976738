import path from "node:path";
import { CommandError } from "../errors/retort-error.js";
import type { ResolvedConfig } from "./retort-config.js";
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
  /** The config file whose `scriptLocation` names it, when known. */
  readonly configFile: string | undefined;

  constructor(path: string, configFile?: string, defaulted = false) {
    // Alembic's text, two spaces included; then where the path came from.
    const origin =
      configFile === undefined
        ? ""
        : defaulted
          ? ` ${configFile} sets no scriptLocation, so the default "migrations" (next to that file) is used: create it with 'retort init migrations', or set scriptLocation to the folder of your migrations.`
          : ` It is scriptLocation in ${configFile} (relative to that file's folder): fix it if it is mistyped.`;
    super(`Path doesn't exist: ${path}.  Please use the 'init' command to create a new scripts folder.${origin}`, {
      code: "SCRIPT_LOCATION_NOT_FOUND",
    });
    this.name = "ScriptLocationNotFoundError";
    this.path = path;
    this.configFile = configFile;
  }
}

/**
 * The config's version locations are the default one, `<scriptLocation>/versions`
 * (written by `retort init`, empty until the first revision: git does not keep
 * it). Missing, it holds no revisions and `revision` creates it, as in Alembic;
 * a location named in `versionLocations` must exist.
 */
export function isDefaultVersionLocation(config: Pick<ResolvedConfig, "scriptLocation" | "versionLocations">): boolean {
  const locations = config.versionLocations;
  return locations.length === 1 && locations[0] === path.join(config.scriptLocation, "versions");
}

/** Where a version location came from, for `VersionLocationNotFoundError`'s message. */
export interface VersionLocationOrigin {
  /** The config file that names it, when there is one. */
  readonly configFile?: string | undefined;
  /** The option, e.g. `versionLocations[1]`. */
  readonly key: string;
}

/**
 * A version location named in `versionLocations` that does not exist or is
 * not a folder. Alembic skips it and sees fewer revisions (a mistyped path
 * makes `upgrade head` do nothing); Retort refuses, and does not create it
 * either, not even for `revision`. The default location is exempt (see
 * `isDefaultVersionLocation`).
 */
export class VersionLocationNotFoundError extends CommandError {
  readonly path: string;
  /** Its position in `versionLocations`. */
  readonly index: number;
  /** The folder is there but is a file (`ENOTDIR`). */
  readonly notAFolder: boolean;
  readonly configFile: string | undefined;

  constructor(path: string, index: number, notAFolder: boolean, origin?: VersionLocationOrigin) {
    const key = origin?.key ?? `versionLocations[${index}]`;
    const where = origin?.configFile === undefined ? key : `${key} in ${origin.configFile}`;
    super(
      `Version location ${path} ${notAFolder ? "is not a folder" : "does not exist"} (${where}). ` +
        "Fix the path, or create the folder if it is new (git keeps no empty folder: add a .gitkeep to it). " +
        "Retort does not create a location named in versionLocations, not even for 'revision' (Alembic's " +
        "revision does): a mistyped path would hide the migrations it should hold.",
      { code: "VERSION_LOCATION_NOT_FOUND" },
    );
    this.name = "VersionLocationNotFoundError";
    this.path = path;
    this.index = index;
    this.notAFolder = notAFolder;
    this.configFile = origin?.configFile;
  }

  /** The same error, saying which config file and option name the folder. */
  inConfig(config: Pick<ResolvedConfig, "configFile">): VersionLocationNotFoundError {
    return new VersionLocationNotFoundError(this.path, this.index, this.notAFolder, {
      configFile: config.configFile,
      key: `versionLocations[${this.index}]`,
    });
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
