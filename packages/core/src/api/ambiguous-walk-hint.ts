import { AmbiguousWalkError } from "../graph/revision-errors.js";
import type { RevisionGraph } from "../graph/revision-graph.js";
import type { RevisionSource } from "../graph/revision-source.js";

/**
 * Runs `plan` and, when a relative `downgrade` target meets a merge point
 * (`downgrade -1` with the database at a merge revision), keeps Alembic's
 * `Ambiguous walk` and adds which revisions are involved and what to type
 * instead: the revision to go down to, then `label@-1` for one branch.
 */
export function explainAmbiguousDowngrade<S extends RevisionSource, T>(
  graph: RevisionGraph<S>,
  target: string,
  plan: () => T,
  spell: CommandSpelling = (to) => `retort downgrade ${to}`,
): T {
  return explained(plan, (error) => downgradeHint(graph, target, error, spell));
}

/** The command a hint suggests for a target: `retort upgrade c1`, `retort upgrade --sql a1:c1` offline. */
export type CommandSpelling = (target: string) => string;

/**
 * Runs `plan` and, when a relative `upgrade` target meets a branch point
 * (`upgrade +1` from a revision two branches start at), keeps Alembic's
 * `Ambiguous walk` and adds the branch point, its children and what to type
 * instead: a child, or `label@+1` for a labelled branch.
 */
export function explainAmbiguousUpgrade<S extends RevisionSource, T>(
  graph: RevisionGraph<S>,
  target: string,
  plan: () => T,
  spell: CommandSpelling = (to) => `retort upgrade ${to}`,
): T {
  return explained(plan, (error) => upgradeHint(graph, target, error, spell));
}

/** `plan`'s result, or its bare `Ambiguous walk` again with `hint`'s detail after Alembic's text. */
function explained<T>(plan: () => T, hint: (error: AmbiguousWalkError) => string): T {
  try {
    return plan();
  } catch (error) {
    if (!AmbiguousWalkError.isInstance(error) || error.message !== "Ambiguous walk") throw error;
    throw new AmbiguousWalkError(error.from, error.choices, hint(error));
  }
}

/** `'retort upgrade a' or 'retort upgrade b'`, or `one of ...` for more than two. */
function commandChoices(spell: CommandSpelling, choices: readonly string[]): string {
  const quoted = choices.map((id) => `'${spell(id)}'`);
  return choices.length === 2 ? quoted.join(" or ") : `one of ${quoted.join(", ")}`;
}

function upgradeHint<S extends RevisionSource>(
  graph: RevisionGraph<S>,
  target: string,
  error: AmbiguousWalkError,
  spell: CommandSpelling,
): string {
  const choices = error.choices;
  const either = commandChoices(spell, choices);
  const labels = choices.flatMap((id) => [...(graph.get(id)?.branchLabels ?? [])]);
  const labelled = labels.length > 0 ? `, or ${labels.map((label) => `'${spell(`${label}@+1`)}'`).join(" or ")}` : "";
  const at = error.from === "base" ? "base, where several branches start" : `${error.from}, a branch point`;
  return (
    `'${target}' meets ${at} (${choices.join(", ")}) and cannot choose which branch to go up. ` +
    `Name the revision to go to instead: ${either}${labelled}.`
  );
}

function downgradeHint<S extends RevisionSource>(
  graph: RevisionGraph<S>,
  target: string,
  error: AmbiguousWalkError,
  spell: CommandSpelling,
): string {
  const choices = error.choices;
  const either = commandChoices(spell, choices);
  const from = graph.get(error.from);
  if (from === undefined || !choices.every((id) => from.downRevisions.includes(id))) {
    return `'${target}' meets a fork at ${error.from} (${choices.join(", ")}) and cannot choose; name the revision to go to instead.`;
  }
  // A label that marks one parent's line and not the others' steps down that branch alone.
  const labels = choices.flatMap((id) => {
    const own = graph.get(id)?.branchLabels ?? new Set<string>();
    const others = choices.filter((other) => other !== id).map((other) => graph.get(other)?.branchLabels);
    return [...own].filter((label) => !others.some((set) => set?.has(label)));
  });
  const then =
    labels.length > 0
      ? ` After that, ${labels.map((label) => `'${spell(`${label}@-1`)}'`).join(" or ")} steps down one branch.`
      : "";
  return (
    `'${target}' cannot choose which parent of ${from.id} to go down to: ${from.id} is a merge point of ${choices.join(", ")}. ` +
    `Name the revision to go down to instead: ${either} undoes ${from.id} and keeps the branches it merged.${then}`
  );
}
