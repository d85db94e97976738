/**
 * What a migration file declares about itself, read from its header
 * exports without running it. This is what the revision graph is built
 * from.
 */
export interface RevisionHeader {
  /** `export const revision`. */
  readonly revision: string;
  /**
   * The parent(s) by `downRevision`: `null` for a root, one id, or several
   * for a merge point. Normalised as Alembic does: duplicates removed, a
   * list of one becomes the id, an empty list `null`.
   */
  readonly downRevision: string | string[] | null;
  /** `branchLabels` as a list (a single string becomes a list of one); `null` when none. */
  readonly branchLabels: string[] | null;
  /** `dependsOn` as a list (ids or branch labels); `null` when none. */
  readonly dependsOn: string[] | null;
  /** `export const message`, or `null` when the file has none. */
  readonly message: string | null;
  /** `export const createDate`, or `null`. */
  readonly createDate: string | null;
  /**
   * The one-line description shown by `history` and in progress lines: the
   * first paragraph of the file's leading `/** ... *\/` comment (Alembic's
   * docstring), else `message`, else empty.
   */
  readonly doc: string;
  /** The whole leading comment, for `show` and `history -v`; else `message`, else empty. */
  readonly longDoc: string;
  /** Absolute path of the file. */
  readonly path: string;
}
