import { CommandError } from "../errors/retort-error.js";

/** A migration file whose header exports cannot be read without running it. */
export class ScriptHeaderError extends CommandError {
  readonly path: string;
  /** 1-based line of the offending token, when there is one. */
  readonly line: number | undefined;

  constructor(path: string, reason: string, fix: string, line?: number) {
    super(`Can't read the header of ${path}${line === undefined ? "" : ` (line ${line})`}: ${reason}. ${fix}`, {
      code: "SCRIPT_HEADER",
    });
    this.name = "ScriptHeaderError";
    this.path = path;
    this.line = line;
  }
}

/**
 * A migration file whose header cannot be found because of a syntax error
 * before it (an unterminated string, comment or template, an unclosed
 * bracket...). The message starts with `file:line:column:` as compilers do.
 */
export class ScriptSyntaxError extends CommandError {
  readonly path: string;
  /** 1-based line and column of the problem, when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The syntax problem, e.g. `unterminated string literal`. */
  readonly problem: string;

  constructor(path: string, problem: string, line?: number, column?: number) {
    const where = line === undefined ? path : `${path}:${line}${column === undefined ? "" : `:${column}`}`;
    super(
      `${where}: ${problem} before 'export const revision'. The header is read without running the file, so the code above it must be valid: fix the syntax error, or move the file out of the version locations if it is not a migration.`,
      { code: "SCRIPT_SYNTAX" },
    );
    this.name = "ScriptSyntaxError";
    this.path = path;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }
}

/** A user-given revision id with a character Alembic forbids, or too long for the version table. */
export class RevisionIdError extends CommandError {
  readonly revision: string;

  constructor(message: string, revision: string) {
    super(message, { code: "BAD_REVISION_ID" });
    this.name = "RevisionIdError";
    this.revision = revision;
  }
}

/** A `timezone` option that names no known zone. */
export class TimezoneError extends CommandError {
  readonly timezone: string;

  constructor(timezone: string) {
    // Alembic's text.
    super(`Can't locate timezone: ${timezone}`, { code: "BAD_TIMEZONE" });
    this.name = "TimezoneError";
    this.timezone = timezone;
  }
}

/** A `fileTemplate` that cannot make a file name. */
export class FileTemplateError extends CommandError {
  constructor(message: string) {
    super(message, { code: "FILE_TEMPLATE" });
    this.name = "FileTemplateError";
  }
}

/** A script or init template with a placeholder Retort does not know, or a template that cannot be found. */
export class TemplateError extends CommandError {
  constructor(message: string, code = "TEMPLATE") {
    super(message, { code });
    this.name = "TemplateError";
  }
}

/** `init` into a folder that is in the way, or with an unknown template. */
export class InitError extends CommandError {
  constructor(message: string, code: string) {
    super(message, { code });
    this.name = "InitError";
  }
}
