import type { RevisionSource } from "../graph/revision-source.js";
import type { MigrationStep } from "./migration-plan.js";

/**
 * Alembic's progress line: `Running upgrade a -> b, message`; without the
 * message (`{ message: false }`) it is the comment of an offline script.
 * `formatId` dresses each revision id (the CLI colours them on a terminal).
 */
export function describeStep(
  step: MigrationStep,
  options: { message?: boolean; formatId?: (id: string) => string } = {},
): string {
  // Written out for the common case (no colours, one parent): the runner and
  // the CLI describe every step, and a long run's steps are each described
  // a few times while the run's code is still interpreted.
  const format = options.formatId;
  if (step.kind === "stamp") {
    return `Running stamp_revision ${idList(step.from, format)} -> ${idList(step.to, format)}`;
  }
  const revision = step.revision;
  const downs = idList(revision.downRevisions, format);
  const own = format === undefined ? revision.id : format(revision.id);
  const arrow = step.direction === "upgrade" ? `${downs} -> ${own}` : `${own} -> ${downs}`;
  const doc = options.message === false ? "" : docOf(revision.source);
  return doc === "" ? `Running ${step.direction} ${arrow}` : `Running ${step.direction} ${arrow}, ${doc}`;
}

/** `a, b`, each id dressed by `format`. */
function idList(ids: readonly string[], format: ((id: string) => string) | undefined): string {
  if (ids.length === 1 && format === undefined) return ids[0] as string;
  return format === undefined ? ids.join(", ") : ids.map(format).join(", ");
}

function docOf(source: RevisionSource): string {
  const candidate = (source as { doc?: unknown; message?: unknown }).doc ?? (source as { message?: unknown }).message;
  return typeof candidate === "string" ? candidate : "";
}

/** `upgrade of revision b (migrations/versions/b_add.ts)`, for messages. */
export function describeStepShort(step: MigrationStep): string {
  if (step.kind === "stamp") return `stamp to ${step.to.join(", ") || "base"}`;
  const path = step.revision.source.path;
  return `${step.direction} of revision ${step.revision.id}${path === undefined ? "" : ` (${path})`}`;
}
