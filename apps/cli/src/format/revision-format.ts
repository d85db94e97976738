import type { ScriptRevision } from "@retort/core";
import { type Palette, plain } from "../style.js";

export interface LineOptions {
  /** Colours for ids and `(head)` (on a terminal); none by default. */
  readonly paint?: Pick<Palette, "revision" | "head">;
  readonly includeBranches?: boolean;
  readonly includeDoc?: boolean;
  readonly includeParents?: boolean;
  readonly treeIndicators?: boolean;
  readonly current?: boolean;
}

/**
 * Alembic's one-line form (`_head_only`): `[downs -> ]rev[ (labels)] (head)
 * (effective head) (current) (branchpoint) (mergepoint)[, doc]`.
 */
export function formatRevisionLine(revision: ScriptRevision, options: LineOptions = {}): string {
  const paint = options.paint ?? plain;
  const ids = (list: readonly string[]) => list.map(paint.revision).join(", ");
  let text = paint.revision(revision.id);
  if (options.includeParents) {
    const downs = revision.downRevisions.length > 0 ? ids(revision.downRevisions) : "<base>";
    const dependencies = revision.dependencies;
    text = dependencies.length > 0 ? `${downs} (${ids(dependencies)}) -> ${text}` : `${downs} -> ${text}`;
  }
  if (options.includeBranches && revision.branchLabels.size > 0) {
    text += ` (${[...revision.branchLabels].join(", ")})`;
  }
  if (revision.isRealHead) text += ` ${paint.head("(head)")}`;
  if (revision.isHead && !revision.isRealHead) text += " (effective head)";
  if (options.current) text += " (current)";
  if (options.treeIndicators ?? true) {
    if (revision.isBranchPoint) text += " (branchpoint)";
    if (revision.isMergePoint) text += " (mergepoint)";
  }
  if (options.includeDoc) text += `, ${revision.source.doc}`;
  return text;
}

/**
 * Alembic's verbose block (`log_entry`). It ends with a newline, so printed
 * as a line it is followed by one blank line, as Alembic's entries are.
 */
export function formatLogEntry(revision: ScriptRevision, options: { current?: boolean } = {}): string {
  const markers = [
    revision.isHead ? " (head)" : "",
    revision.isBranchPoint ? " (branchpoint)" : "",
    revision.isMergePoint ? " (mergepoint)" : "",
    options.current ? " (current)" : "",
  ].join("");
  const lines = [`Rev: ${revision.id}${markers}`];
  const downs = revision.downRevisions.length > 0 ? revision.downRevisions.join(", ") : "<base>";
  lines.push(revision.isMergePoint ? `Merges: ${downs}` : `Parent: ${downs}`);
  if (revision.dependencies.length > 0) lines.push(`Also depends on: ${revision.dependencies.join(", ")}`);
  if (revision.isBranchPoint) lines.push(`Branches into: ${[...revision.nextRevisions].join(", ")}`);
  if (revision.branchLabels.size > 0) lines.push(`Branch names: ${[...revision.branchLabels].join(", ")}`);
  lines.push(`Path: ${revision.source.path}`);
  lines.push("");
  for (const line of revision.source.longDoc.split(/\r?\n/)) lines.push(`    ${line}`);
  lines.push("");
  return lines.join("\n");
}

/** A revision as `--json` shows it. */
export function revisionJson(revision: ScriptRevision, extra: { current?: boolean } = {}): Record<string, unknown> {
  return {
    revision: revision.id,
    downRevisions: [...revision.downRevisions],
    dependsOn: [...revision.dependencies],
    branchLabels: [...revision.branchLabels],
    message: revision.source.message,
    doc: revision.source.doc,
    path: revision.source.path,
    isHead: revision.isHead,
    isRealHead: revision.isRealHead,
    isBase: revision.isBase,
    isBranchPoint: revision.isBranchPoint,
    isMergePoint: revision.isMergePoint,
    ...(extra.current === undefined ? {} : { current: extra.current }),
  };
}
