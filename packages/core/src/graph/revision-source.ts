/**
 * What the revision graph needs to know about one migration file: its id,
 * its parent(s) and its cross-branch dependencies. The script loader reads
 * these from the file's header exports without running the module; tests
 * build them by hand.
 *
 * ```ts
 * const sources: RevisionSource[] = [
 *   { revision: "a1", downRevision: null },
 *   { revision: "b1", downRevision: "a1", branchLabels: ["feature"] },
 * ];
 * ```
 */
export interface RevisionSource {
  readonly revision: string;
  /** `null` for a root, one id, or several ids for a merge point. */
  readonly downRevision: string | readonly string[] | null;
  readonly branchLabels?: readonly string[] | null;
  /** Revision ids or branch labels this revision also needs applied first. */
  readonly dependsOn?: readonly string[] | null;
  /** where it was defined, for error messages (file path) */
  readonly path?: string;
}
