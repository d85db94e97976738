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
  const id = options.formatId ?? ((text: string) => text);
  const list = (ids: readonly string[]) => ids.map(id).join(", ");
  if (step.kind === "stamp") {
    return `Running stamp_revision ${list(step.from)} -> ${list(step.to)}`;
  }
  const revision = step.revision;
  const downs = list(revision.downRevisions);
  const arrow = step.direction === "upgrade" ? `${downs} -> ${id(revision.id)}` : `${id(revision.id)} -> ${downs}`;
  const doc = options.message === false ? "" : docOf(revision.source);
  return `Running ${step.direction} ${arrow}${doc ? `, ${doc}` : ""}`;
}

function docOf(source: RevisionSource): string {
  const candidate = (source as { doc?: unknown; message?: unknown }).doc ?? (source as { message?: unknown }).message;
  return typeof candidate === "string" ? candidate : "";
}
