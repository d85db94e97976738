/**
 * The longest revision id the version table can hold: its `version_num`
 * column is `VARCHAR(32)`, as in Alembic (see `runtime/version-table.ts`).
 * A longer id would be accepted by the graph but fail at the end of a run,
 * on PostgreSQL with a bare `value too long for type character varying(32)`,
 * so ids are checked where they enter: `revision --rev-id` and the graph.
 */
export const MAX_REVISION_ID_LENGTH = 32;

/**
 * Why `id` is too long for the version table, or undefined when it fits.
 * `fix` ends the message (what to shorten).
 *
 * ```ts
 * revisionIdTooLong("a".repeat(40), "shorten it"); // "Revision identifier 'aaa…' is 40 characters long; …"
 * ```
 */
export function revisionIdTooLong(id: string, fix: string, where = ""): string | undefined {
  if (id.length <= MAX_REVISION_ID_LENGTH) return undefined;
  return (
    `Revision identifier '${id}'${where} is ${id.length} characters long, but the version table's ` +
    `version_num column holds at most ${MAX_REVISION_ID_LENGTH} (VARCHAR(${MAX_REVISION_ID_LENGTH}), as in Alembic); ${fix}`
  );
}
