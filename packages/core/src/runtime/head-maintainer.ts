import { RetortError } from "../errors/retort-error.js";
import { isAncestorOrSelf } from "../graph/graph-walk.js";
import type { RevisionGraph } from "../graph/revision-graph.js";
import type { Revision } from "../graph/revision.js";
import type { RevisionSource } from "../graph/revision-source.js";
import type { MigrationStep, RevisionStep, StampStep } from "./migration-plan.js";

/** One change to the version table's rows. */
export type VersionRowChange =
  | { readonly kind: "insert"; readonly revision: string }
  | { readonly kind: "update"; readonly from: string; readonly to: string }
  | { readonly kind: "delete"; readonly revision: string };

/** A step that does not fit the rows it is applied to (a planning bug, or the table changed underneath). */
export class VersionStateError extends RetortError {
  readonly heads: readonly string[];

  constructor(message: string, heads: readonly string[]) {
    super("VERSION_STATE", `${message} (version table holds: ${heads.join(", ") || "no rows"})`);
    this.name = "VersionStateError";
    this.heads = heads;
  }
}

/**
 * Keeps the version table's rows (one per head) in step with the migrations
 * applied: Alembic's `HeadMaintainer`. For each step the first matching
 * rule applies: delete a branch, create a branch, merge, unmerge, update.
 * Where Alembic's choice depends on Python set order (which parent row gets
 * the UPDATE), this follows `downRevision` order.
 *
 * ```ts
 * const maintainer = new HeadMaintainer(graph, ["b"]);
 * for (const step of planUpgrade(graph, ["b"], "head")) {
 *   for (const change of maintainer.apply(step)) await versionTable.apply(change);
 * }
 * ```
 */
export class HeadMaintainer {
  readonly #graph: RevisionGraph;
  readonly #heads: string[];
  #changes: VersionRowChange[] = [];

  constructor(graph: RevisionGraph, heads: readonly string[]) {
    this.#graph = graph;
    this.#heads = [...new Set(heads)];
  }

  /** The rows as they stand after the steps applied so far. */
  get heads(): readonly string[] {
    return [...this.#heads];
  }

  /** Applies `step` to the rows and returns the row changes it takes, in order. */
  apply(step: MigrationStep): VersionRowChange[] {
    this.#changes = [];
    if (step.kind === "revision") this.#applyRevision(step);
    else this.#applyStamp(step);
    return this.#changes;
  }

  #applyRevision(step: RevisionStep): void {
    const revision = this.#graph.get(step.revision.id) ?? step.revision;
    const id = revision.id;
    const downs = revision.links.normalizedDown;
    if (step.direction === "downgrade") {
      if (!this.#has(id)) throw this.#stateError(`Cannot record the downgrade of ${id}: it is not a current head`);
      const targets = downs.length === 0 ? [] : this.#unmergeTargets(revision);
      if (targets.length === 0) {
        // A base, or every parent is still implied by another head.
        this.#delete(id);
      } else if (downs.length > 1) {
        for (const target of targets.slice(0, -1)) this.#insert(target.id);
        this.#update(id, (targets[targets.length - 1] as Revision<RevisionSource>).id);
      } else {
        this.#update(id, (downs[0] as Revision<RevisionSource>).id);
      }
      return;
    }
    if (this.#has(id)) throw this.#stateError(`Cannot record the upgrade to ${id}: it is already a current head`);
    const present = downs.filter((down) => this.#has(down.id));
    if (present.length === 0) {
      this.#insert(id);
    } else if (downs.length > 1 && present.length > 1) {
      this.#merge(revision, present);
    } else if (present.length === 1) {
      this.#update((present[0] as Revision<RevisionSource>).id, id);
    } else {
      throw this.#stateError(`Cannot record the upgrade to ${id}: its parents are ambiguous`);
    }
  }

  /**
   * Merge: the parent rows not implied by another head are replaced by one
   * row for `revision` (DELETE all but the last, UPDATE the last).
   */
  #merge(revision: Revision<RevisionSource>, present: readonly Revision<RevisionSource>[]): void {
    const downs = revision.links.normalizedDown;
    const downIds = new Set(downs.map((down) => down.id));
    const others = this.#revisionsOf(this.#heads.filter((head) => !downIds.has(head)));
    let from = others.length === 0 ? [...downs] : downs.filter((down) => !this.#belowAny(down, others));
    // Alembic would fail on a parent that is not a row (it is implied by
    // another parent); only rows can be deleted or updated.
    from = from.filter((down) => this.#has(down.id));
    if (from.length === 0) from = [...present];
    for (const down of from.slice(0, -1)) this.#delete(down.id);
    this.#update((from[from.length - 1] as Revision<RevisionSource>).id, revision.id);
  }

  /**
   * The parents that get rows back when `revision` is taken down: those not
   * implied by another head. With no other head, a parent that is an
   * ancestor of another parent is implied by it (Alembic #1373).
   */
  #unmergeTargets(revision: Revision<RevisionSource>): Revision<RevisionSource>[] {
    const downs = revision.links.normalizedDown;
    const others = this.#revisionsOf(this.#heads.filter((head) => head !== revision.id));
    if (others.length > 0) return downs.filter((down) => !this.#belowAny(down, others));
    return downs.filter((down) => !downs.some((other) => other !== down && isAncestorOrSelf(down, other, true)));
  }

  #applyStamp(step: StampStep): void {
    const present = step.from.filter((id) => this.#has(id));
    if (!step.isUpgrade && step.branchMove) {
      for (const id of present.slice(0, 1)) this.#delete(id);
      return;
    }
    const absentTargets = step.to.filter((id) => !this.#has(id));
    if (step.isUpgrade && (step.branchMove || present.length === 0) && absentTargets.length > 0) {
      // A new branch; Alembic's rule also covers rows an earlier step of the
      // same stamp already moved.
      this.#insert(step.to[0] as string);
      return;
    }
    if (present.length === 0) {
      for (const id of absentTargets) this.#insert(id);
      return;
    }
    if (step.to.length > 1) {
      for (const id of absentTargets.slice(0, -1)) this.#insert(id);
      this.#moveRow(present[0] as string, step.to[step.to.length - 1] as string);
      return;
    }
    for (const id of present.slice(0, -1)) this.#delete(id);
    this.#moveRow(present[present.length - 1] as string, step.to[0] as string);
  }

  /** UPDATE `from` to `to`, or just DELETE `from` when `to` already has a row. */
  #moveRow(from: string, to: string | undefined): void {
    if (to === undefined) this.#delete(from);
    else if (this.#has(to)) {
      if (from !== to) this.#delete(from);
    } else this.#update(from, to);
  }

  #belowAny(revision: Revision<RevisionSource>, heads: readonly Revision<RevisionSource>[]): boolean {
    return heads.some((head) => isAncestorOrSelf(revision, head, true));
  }

  #revisionsOf(ids: readonly string[]): Revision<RevisionSource>[] {
    return ids.map((id) => this.#graph.get(id) ?? (this.#graph.getRevision(id) as Revision<RevisionSource>));
  }

  #has(id: string): boolean {
    return this.#heads.includes(id);
  }

  #insert(id: string): void {
    if (this.#has(id)) throw this.#stateError(`Cannot insert a row for ${id}: it is already there`);
    this.#heads.push(id);
    this.#changes.push({ kind: "insert", revision: id });
  }

  #delete(id: string): void {
    const index = this.#heads.indexOf(id);
    if (index < 0) throw this.#stateError(`Cannot delete the row of ${id}: there is none`);
    this.#heads.splice(index, 1);
    this.#changes.push({ kind: "delete", revision: id });
  }

  #update(from: string, to: string): void {
    const index = this.#heads.indexOf(from);
    if (index < 0) throw this.#stateError(`Cannot move the row of ${from} to ${to}: there is none`);
    if (this.#has(to)) throw this.#stateError(`Cannot move the row of ${from} to ${to}: ${to} already has one`);
    this.#heads[index] = to;
    this.#changes.push({ kind: "update", from, to });
  }

  #stateError(message: string): VersionStateError {
    return new VersionStateError(message, this.#heads);
  }
}
