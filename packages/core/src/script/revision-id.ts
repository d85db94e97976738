import { createRequire } from "node:module";
import { RESERVED_IDS, reservedIdMessage } from "../graph/build-graph.js";
import { DEFAULT_VERSION_NUM_WIDTH } from "../runtime/version-id-width.js";
import { RevisionIdError } from "./script-errors.js";

/** Characters that have a meaning in revision identifiers (`label@rev`, `rev-1`, `+2`, `a:b`). */
const ILLEGAL_CHARACTERS = ["@", "-", "+", ":"];

/**
 * A new revision id: 12 random lowercase hex characters, the same shape as
 * Alembic's `uuid4().hex[-12:]`.
 *
 * ```ts
 * generateRevisionId(); // "ae1027a6acf0"
 * ```
 */
export function generateRevisionId(): string {
  // Loaded here: `node:crypto` costs a command that makes no revision about 2 ms.
  const { randomBytes } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return randomBytes(6).toString("hex");
}

/**
 * Checks a user-given id (`--rev-id`). Ids containing `@ - + :` are
 * rejected with Alembic's message, since those characters mean something in
 * revision identifiers; a path separator too, since the file's name is
 * made of the id. Any length is accepted, as in Alembic (see
 * `longRevisionIdWarning`).
 */
export function validateRevisionId(revision: string): void {
  const found = ILLEGAL_CHARACTERS.filter((character) => revision.includes(character)).sort();
  if (found.length > 0) {
    throw new RevisionIdError(
      `Character(s) '${found.join(", ")}' not allowed in revision identifier '${revision}'`,
      revision,
    );
  }
  if (revision.trim() === "") throw new RevisionIdError("A revision identifier can't be empty", revision);
  // The file name is made of the id (`{rev}_{slug}`): a separator would put the file in a folder
  // no one reads (Alembic has the same hole).
  if (/[/\\]/.test(revision)) {
    throw new RevisionIdError(
      `Revision identifier '${revision}' contains a path separator ('/' or '\\'); the file name is made of it, so the file would land in a subfolder: choose an id without one`,
      revision,
    );
  }
  if (RESERVED_IDS.has(revision)) throw new RevisionIdError(reservedIdMessage(revision), revision);
}

/**
 * The warning for an id longer than the `VARCHAR(32)` `version_num` column
 * Retort and Alembic create, or undefined when it fits. Such an id is
 * accepted (Alembic's projects have them, with the column widened); a run
 * that would write it into a narrower column is refused before it starts.
 */
export function longRevisionIdWarning(revision: string, table = "alembic_version"): string | undefined {
  if (revision.length <= DEFAULT_VERSION_NUM_WIDTH) return undefined;
  return (
    `Revision identifier '${revision}' is ${revision.length} characters long; the version table's version_num column is created as VARCHAR(${DEFAULT_VERSION_NUM_WIDTH}) (as in Alembic). ` +
    "SQLite accepts the id as it is; on PostgreSQL and MySQL/MariaDB upgrade, downgrade and stamp refuse to write it until the column is widened " +
    `(PostgreSQL: ALTER TABLE ${table} ALTER COLUMN version_num TYPE VARCHAR(64); MySQL/MariaDB: ALTER TABLE ${table} MODIFY version_num VARCHAR(64) NOT NULL), ` +
    "or choose a shorter --rev-id."
  );
}
