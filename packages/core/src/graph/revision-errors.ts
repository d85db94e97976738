import { RetortError } from "../errors/retort-error.js";

const revisionBrand = Symbol.for("retort.revision-error");

/**
 * Base class of the errors raised while building or walking the revision
 * graph. Each message is the text the CLI prints after `FAILED: ` (Alembic's
 * text where Alembic has one); the ids involved are kept as fields.
 *
 * `isInstance` is specific to each subclass (it compares `code`), because
 * the `instanceof` test fails when the package is loaded twice.
 */
export class RevisionError extends RetortError {
  readonly [revisionBrand] = true;

  constructor(code: string, message: string) {
    super(code, message);
    this.name = "RevisionError";
  }

  static override isInstance(value: unknown): value is RevisionError {
    return RetortError.isInstance(value) && revisionBrand in value;
  }
}

/**
 * An identifier (`head`, `label@head`, ...) names several heads where one is
 * needed; `heads` holds the heads found. The graph raises it with the text
 * of Alembic's `RevisionMap` (`Multiple heads are present for given argument
 * 'head'; c1, c2`); a command replaces it with the command line's text
 * (`forCommand`), as Alembic's `ScriptDirectory` does.
 */
export class MultipleHeadsError extends RevisionError {
  readonly heads: readonly string[];
  /** The identifier as the user gave it (e.g. `head`, `c1branch@head`). */
  readonly argument: string;

  constructor(heads: readonly string[], argument: string, message?: string) {
    super(
      "MULTIPLE_HEADS",
      message ?? `Multiple heads are present for given argument '${argument}'; ${heads.join(", ")}`,
    );
    this.name = "MultipleHeadsError";
    this.heads = heads;
    this.argument = argument;
  }

  /**
   * The error a command reports for `argument` (the target as the user gave
   * it): Alembic's command-line text, which says the ways out.
   */
  static forCommand(heads: readonly string[], argument: string): MultipleHeadsError {
    return new MultipleHeadsError(
      heads,
      argument,
      `Multiple head revisions are present for given argument '${argument}'; please specify a specific target revision, '<branchname>@${argument}' to narrow to a specific head, or 'heads' for all heads`,
    );
  }

  static override isInstance(value: unknown): value is MultipleHeadsError {
    return RevisionError.isInstance(value) && value.code === "MULTIPLE_HEADS";
  }
}

/** Runs a graph lookup for a command: several heads get the command line's text for `argument`. */
export function resolveForCommand<T>(argument: string, lookup: () => T): T {
  try {
    return lookup();
  } catch (error) {
    if (MultipleHeadsError.isInstance(error)) throw MultipleHeadsError.forCommand(error.heads, argument);
    throw error;
  }
}

/**
 * An identifier resolves to no revision: no such id or label, an ambiguous
 * prefix, an unknown branch, or a revision outside the named branch.
 * Alembic prints only the first part; Retort adds why.
 */
export class ResolutionError extends RevisionError {
  /** The part that failed to resolve (after `@`, or the label for an unknown branch). */
  readonly argument: string;
  /** Why, e.g. `No such revision or branch 'x'`. */
  readonly reason: string;
  /** For an ambiguous prefix: every revision id or label it matches. */
  readonly candidates: readonly string[];

  constructor(argument: string, reason: string, candidates: readonly string[] = []) {
    super("RESOLUTION", `Can't locate revision identified by '${argument}': ${reason}`);
    this.name = "ResolutionError";
    this.argument = argument;
    this.reason = reason;
    this.candidates = candidates;
  }

  static override isInstance(value: unknown): value is ResolutionError {
    return RevisionError.isInstance(value) && value.code === "RESOLUTION";
  }
}

/**
 * The lower end of a range is not an ancestor of the upper end. Commands
 * replace the message with their own (`Destination x is not a valid
 * downgrade target from current head(s)`, `Requested range a:b does not
 * refer to ...`).
 */
export class RangeNotAncestorError extends RevisionError {
  readonly lower: string;
  readonly upper: string;

  constructor(lower: string, upper: string, message?: string) {
    super("RANGE_NOT_ANCESTOR", message ?? `Revision ${lower} is not an ancestor of revision ${upper}`);
    this.name = "RangeNotAncestorError";
    this.lower = lower;
    this.upper = upper;
  }

  static override isInstance(value: unknown): value is RangeNotAncestorError {
    return RevisionError.isInstance(value) && value.code === "RANGE_NOT_ANCESTOR";
  }
}

/** A relative target (`+3`, `-2`, `rev+1`) walks past the end of the graph. */
export class RelativeRevisionError extends RevisionError {
  readonly target: string;

  constructor(target: string, message: string) {
    super("RELATIVE_REVISION", message);
    this.name = "RelativeRevisionError";
    this.target = target;
  }

  static override isInstance(value: unknown): value is RelativeRevisionError {
    return RevisionError.isInstance(value) && value.code === "RELATIVE_REVISION";
  }
}

/** A relative step meets a branch point or merge point and cannot choose. */
export class AmbiguousWalkError extends RevisionError {
  /** Where the walk stood (`base` when before the first revision). */
  readonly from: string;
  readonly choices: readonly string[];

  /**
   * `detail` follows Alembic's text (`Ambiguous walk: <detail>`); the
   * commands add the revisions involved and the way out, the graph API
   * keeps Alembic's bare text.
   */
  constructor(from: string, choices: readonly string[], detail?: string) {
    super("AMBIGUOUS_WALK", detail === undefined ? "Ambiguous walk" : `Ambiguous walk: ${detail}`);
    this.name = "AmbiguousWalkError";
    this.from = from;
    this.choices = choices;
  }

  static override isInstance(value: unknown): value is AmbiguousWalkError {
    return RevisionError.isInstance(value) && value.code === "AMBIGUOUS_WALK";
  }
}

/** `upgrade +N` while the database has several heads. */
export class AmbiguousUpgradeError extends RevisionError {
  readonly currentHeads: readonly string[];

  constructor(currentHeads: readonly string[]) {
    super("AMBIGUOUS_UPGRADE", "Ambiguous upgrade from multiple current revisions");
    this.name = "AmbiguousUpgradeError";
    this.currentHeads = currentHeads;
  }

  static override isInstance(value: unknown): value is AmbiguousUpgradeError {
    return RevisionError.isInstance(value) && value.code === "AMBIGUOUS_UPGRADE";
  }
}

/** Two requested revisions where one is an ancestor of the other (`upgrade a b` with `a` below `b`). */
export class RevisionOverlapError extends RevisionError {
  readonly revision: string;
  readonly overlaps: readonly string[];

  constructor(revision: string, overlaps: readonly string[]) {
    super(
      "REVISION_OVERLAP",
      `Requested revision ${revision} overlaps with other requested revisions ${overlaps.join(", ")}`,
    );
    this.name = "RevisionOverlapError";
    this.revision = revision;
    this.overlaps = overlaps;
  }

  static override isInstance(value: unknown): value is RevisionOverlapError {
    return RevisionError.isInstance(value) && value.code === "REVISION_OVERLAP";
  }
}

/** `label@rev` downgrade where the label's branch does not pass through `rev`'s children. */
export class InvalidDowngradeTargetError extends RevisionError {
  readonly target: string;

  constructor(target: string) {
    super("INVALID_DOWNGRADE_TARGET", "Not a valid downgrade target from current heads");
    this.name = "InvalidDowngradeTargetError";
    this.target = target;
  }

  static override isInstance(value: unknown): value is InvalidDowngradeTargetError {
    return RevisionError.isInstance(value) && value.code === "INVALID_DOWNGRADE_TARGET";
  }
}

/** An identifier that is not text (e.g. bytes read from the version table by a misconfigured driver). */
export class InvalidIdentifierError extends RevisionError {
  constructor(message: string) {
    super("INVALID_IDENTIFIER", message);
    this.name = "InvalidIdentifierError";
  }

  static override isInstance(value: unknown): value is InvalidIdentifierError {
    return RevisionError.isInstance(value) && value.code === "INVALID_IDENTIFIER";
  }
}
