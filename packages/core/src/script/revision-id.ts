import { createRequire } from "node:module";
import { RESERVED_IDS, reservedIdMessage } from "../graph/build-graph.js";
import { revisionIdTooLong } from "../graph/revision-id-length.js";
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
 * revision identifiers; so are ids longer than the version table's
 * `version_num` column (32 characters), before anything is written.
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
  if (RESERVED_IDS.has(revision)) throw new RevisionIdError(reservedIdMessage(revision), revision);
  const tooLong = revisionIdTooLong(revision, "choose a shorter --rev-id");
  if (tooLong !== undefined) throw new RevisionIdError(tooLong, revision);
}
