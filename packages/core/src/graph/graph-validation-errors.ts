import { RevisionError } from "./revision-errors.js";

// The errors of an invalid set of migration files, raised by
// `RevisionGraph.build`. Messages follow Alembic where it has one.

/** `downRevision` links form a cycle; `revisions` are the ids caught in it. */
export class CycleError extends RevisionError {
  readonly revisions: readonly string[];

  constructor(revisions: readonly string[]) {
    super("CYCLE", `Cycle is detected in revisions (${revisions.join(", ")})`);
    this.name = "CycleError";
    this.revisions = revisions;
  }

  static override isInstance(value: unknown): value is CycleError {
    return RevisionError.isInstance(value) && value.code === "CYCLE";
  }
}

/** `downRevision` and `dependsOn` links together form a cycle. */
export class DependencyCycleError extends RevisionError {
  readonly revisions: readonly string[];

  constructor(revisions: readonly string[]) {
    super("DEPENDENCY_CYCLE", `Dependency cycle is detected in revisions (${revisions.join(", ")})`);
    this.name = "DependencyCycleError";
    this.revisions = revisions;
  }

  static override isInstance(value: unknown): value is DependencyCycleError {
    return RevisionError.isInstance(value) && value.code === "DEPENDENCY_CYCLE";
  }
}

/** A revision names itself as its own `downRevision`. */
export class SelfLoopError extends RevisionError {
  readonly revision: string;
  readonly path: string | undefined;

  constructor(revision: string, path?: string) {
    super("SELF_LOOP", `Self-loop is detected in revisions (${revision})`);
    this.name = "SelfLoopError";
    this.revision = revision;
    this.path = path;
  }

  static override isInstance(value: unknown): value is SelfLoopError {
    return RevisionError.isInstance(value) && value.code === "SELF_LOOP";
  }
}

/** A revision names itself in its own `dependsOn`. */
export class DependencySelfLoopError extends RevisionError {
  readonly revision: string;
  readonly path: string | undefined;

  constructor(revision: string, path?: string) {
    super("DEPENDENCY_SELF_LOOP", `Dependency self-loop is detected in revisions (${revision})`);
    this.name = "DependencySelfLoopError";
    this.revision = revision;
    this.path = path;
  }

  static override isInstance(value: unknown): value is DependencySelfLoopError {
    return RevisionError.isInstance(value) && value.code === "DEPENDENCY_SELF_LOOP";
  }
}

/** A revision id that is empty or contains a character with a meaning in identifiers (`@ - + :`). */
export class InvalidRevisionIdError extends RevisionError {
  readonly revision: string;
  readonly path: string | undefined;

  constructor(revision: string, message: string, path?: string) {
    super("INVALID_REVISION_ID", message);
    this.name = "InvalidRevisionIdError";
    this.revision = revision;
    this.path = path;
  }

  static override isInstance(value: unknown): value is InvalidRevisionIdError {
    return RevisionError.isInstance(value) && value.code === "INVALID_REVISION_ID";
  }
}

/**
 * A `downRevision` or `dependsOn` that is an empty or blank string (alone or
 * in a list). `null` marks a root; `""` used to make one silently.
 */
export class EmptyReferenceError extends RevisionError {
  readonly revision: string;
  readonly path: string | undefined;
  readonly field: "downRevision" | "dependsOn";

  constructor(revision: string, field: "downRevision" | "dependsOn", value: string, path?: string) {
    const where = path === undefined ? "" : ` (in ${path})`;
    const fix =
      field === "downRevision"
        ? "write export const downRevision = null; for a root revision, or the parent's revision id"
        : "remove it, or write the revision id or branch label it needs";
    super(
      "EMPTY_REFERENCE",
      `Revision ${revision}${where} has an empty ${field} (${JSON.stringify(value)}), which names no revision; ${fix}`,
    );
    this.name = "EmptyReferenceError";
    this.revision = revision;
    this.path = path;
    this.field = field;
  }

  static override isInstance(value: unknown): value is EmptyReferenceError {
    return RevisionError.isInstance(value) && value.code === "EMPTY_REFERENCE";
  }
}

/** Two files define the same revision id (Alembic warns and keeps a phantom head). */
export class DuplicateRevisionError extends RevisionError {
  readonly revision: string;
  /** The files, in load order (undefined where a source has no path). */
  readonly paths: readonly (string | undefined)[];

  constructor(revision: string, paths: readonly (string | undefined)[]) {
    const [first, second] = paths;
    const where =
      first !== undefined && second !== undefined ? ` in two files: ${first} and ${second}` : " more than once";
    super(
      "DUPLICATE_REVISION",
      `Revision ${revision} is defined${where}; revision ids must be unique: give one of them a new id (and update any downRevision or dependsOn that should point to it)`,
    );
    this.name = "DuplicateRevisionError";
    this.revision = revision;
    this.paths = paths;
  }

  static override isInstance(value: unknown): value is DuplicateRevisionError {
    return RevisionError.isInstance(value) && value.code === "DUPLICATE_REVISION";
  }
}

/**
 * A `downRevision` or `dependsOn` names a revision that no file defines
 * (Alembic crashes with a `KeyError` here).
 */
export class MissingRevisionError extends RevisionError {
  /** The revision whose header is wrong. */
  readonly revision: string;
  readonly path: string | undefined;
  /** The id or label it names that does not exist. */
  readonly missing: string;
  readonly field: "downRevision" | "dependsOn";

  constructor(details: {
    revision: string;
    path: string | undefined;
    missing: string;
    field: "downRevision" | "dependsOn";
    hint?: string;
  }) {
    const where = details.path === undefined ? "" : ` (in ${details.path})`;
    const what = details.field === "downRevision" ? "revision id" : "revision id or branch label";
    const hint =
      details.hint ??
      `fix the ${details.field} in that file, or restore the migration file that defines '${details.missing}'`;
    super(
      "MISSING_REVISION",
      `Revision ${details.revision}${where} has ${details.field} '${details.missing}', which is not a ${what} present in the migration files; ${hint}`,
    );
    this.name = "MissingRevisionError";
    this.revision = details.revision;
    this.path = details.path;
    this.missing = details.missing;
    this.field = details.field;
  }

  static override isInstance(value: unknown): value is MissingRevisionError {
    return RevisionError.isInstance(value) && value.code === "MISSING_REVISION";
  }
}

/** A branch label declared twice, or equal to a revision id. */
export class DuplicateLabelError extends RevisionError {
  readonly label: string;
  readonly revision: string;
  /** The revision that already uses the name. */
  readonly usedBy: string;

  constructor(label: string, revision: string, usedBy: string) {
    super("DUPLICATE_LABEL", `Branch name '${label}' in revision ${revision} already used by revision ${usedBy}`);
    this.name = "DuplicateLabelError";
    this.label = label;
    this.revision = revision;
    this.usedBy = usedBy;
  }

  static override isInstance(value: unknown): value is DuplicateLabelError {
    return RevisionError.isInstance(value) && value.code === "DUPLICATE_LABEL";
  }
}
