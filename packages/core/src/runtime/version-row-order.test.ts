import { describe, expect, it } from "vitest";
import { type GraphSpec, graphOf } from "../graph/test-support/graph-of.js";
import type { RevisionGraph } from "../graph/revision-graph.js";
import { HeadMaintainer, type VersionRowChange } from "./head-maintainer.js";
import { type MigrationStep, planDowngrade, planStamp, planUpgrade } from "./migration-plan.js";

/**
 * Row ORDER of the version table after sequences of commands, as Alembic's
 * `HeadMaintainer` leaves it (reference alembic.md §3.5, §3.6;
 * `runtime/migration.py` `update_to_step`). The table is modelled as a
 * rowid-ordered heap (SQLite): an INSERT appends a row, an UPDATE rewrites
 * a row in place, a DELETE removes it. Every expected order below was
 * derived by hand from Alembic's rules; the comment names the rule:
 *
 *   R1 delete branch (downgrade; a base, or every parent still implied by another row) -> DELETE
 *   R2 create branch (upgrade; a base, or no parent is a row)                          -> INSERT
 *   R3 merge (upgrade; more than one parent is a row)   -> DELETE all `from` but the last, UPDATE the last
 *   R4 unmerge (downgrade of a row with several parents) -> INSERT all targets but the last, UPDATE to the last
 *   R5 update (one parent row)                          -> UPDATE in place
 *   S* stamp steps: S-create (INSERT), S-merge (DELETE from[0..-1], UPDATE from[-1]),
 *      S-update (UPDATE from[0] -> to[0]), S-delete (DELETE)
 *
 * Where Alembic HEAD takes the order from a Python `set` (R3 with other
 * rows, R4), it is not deterministic; Retort follows `downRevision` order
 * (what Alembic 1.8.1 did when there were no other rows). Those cases say so.
 *
 * `downgrade -1` from several rows walks down from the FIRST row (Alembic's
 * `get_current_heads()[0]`, in the order the SELECT returns), so the order
 * decides which branch goes down.
 */

type Command =
  | { readonly upgrade: string }
  | { readonly downgrade: string }
  | { readonly stamp: string | readonly string[] };

interface Expectation {
  readonly run: Command;
  /** The rows, in table order, after the command. */
  readonly rows: readonly string[];
  /** Optional: the row statements, in order, as Alembic writes them. */
  readonly changes?: readonly VersionRowChange[];
  /** Optional: the steps the plan runs, in order (revision ids, or `stamp` for stamp steps). */
  readonly steps?: readonly string[];
  readonly rule: string;
}

interface Case {
  readonly name: string;
  readonly graph: readonly GraphSpec[];
  readonly sequence: readonly Expectation[];
}

/** §3.5's trace graph, in file order: a, b, c1, d1, c2 (c2branch), d2, e = (d1, d2), f. */
const traceGraph: readonly GraphSpec[] = [
  ["a", null],
  ["b", "a"],
  ["c1", "b"],
  ["d1", "c1"],
  ["c2", "b", { labels: "c2branch" }],
  ["d2", "c2"],
  ["e", ["d1", "d2"]],
  ["f", "e"],
];

const ins = (revision: string): VersionRowChange => ({ kind: "insert", revision });
const upd = (from: string, to: string): VersionRowChange => ({ kind: "update", from, to });
const del = (revision: string): VersionRowChange => ({ kind: "delete", revision });

const cases: readonly Case[] = [
  {
    name: "§3.5 trace: upgrade b, upgrade f, downgrade b",
    graph: traceGraph,
    sequence: [
      {
        run: { upgrade: "b" },
        rows: ["b"],
        changes: [ins("a"), upd("a", "b")],
        rule: "a: R2 (base) INSERT; b: R5 UPDATE a->b",
      },
      {
        run: { upgrade: "f" },
        rows: ["f"],
        steps: ["c2", "d2", "c1", "d1", "e", "f"],
        // c2: R5 UPDATE b->c2 [c2]; d2: R5 [d2]; c1: R2 (b is no longer a row) INSERT [d2, c1];
        // d1: R5 UPDATE c1->d1 in place [d2, d1]; e: R3 with no other rows, `from` in
        // down_revision order (d1, d2): DELETE d1, UPDATE d2->e [e]; f: R5 [f].
        changes: [
          upd("b", "c2"),
          upd("c2", "d2"),
          ins("c1"),
          upd("c1", "d1"),
          del("d1"),
          upd("d2", "e"),
          upd("e", "f"),
        ],
        rule: "R5, R5, R2, R5, R3, R5",
      },
      {
        run: { downgrade: "b" },
        rows: ["b"],
        steps: ["f", "e", "d1", "c1", "d2", "c2"],
        // f: R5 UPDATE f->e [e]; e: R4, no other rows, targets (d1, d2) (HEAD: set order;
        // Retort: down_revision order): INSERT d1 [e, d1], UPDATE e->d2 in place [d2, d1];
        // d1: R5 (c1 is not implied by d2) UPDATE d1->c1 [d2, c1]; c1: R1 (b is implied by d2)
        // DELETE c1 [d2]; d2: R5 [c2]; c2: R5 [b].
        changes: [
          upd("f", "e"),
          ins("d1"),
          upd("e", "d2"),
          upd("d1", "c1"),
          del("c1"),
          upd("d2", "c2"),
          upd("c2", "b"),
        ],
        rule: "R5, R4 (down_revision order), R5, R1, R5, R5",
      },
    ],
  },
  {
    name: "downgrade -1 from {d1, d2} reached as [d1, d2] goes down d1's branch",
    graph: traceGraph,
    sequence: [
      { run: { upgrade: "c1" }, rows: ["c1"], rule: "a R2 INSERT; b, c1 R5 UPDATE" },
      {
        run: { upgrade: "d2" },
        rows: ["c1", "d2"],
        changes: [ins("c2"), upd("c2", "d2")],
        rule: "c2: R2 (its parent b is not a row: c1 replaced it) INSERT appends; d2: R5 in place",
      },
      {
        run: { upgrade: "d1" },
        rows: ["d1", "d2"],
        changes: [upd("c1", "d1")],
        rule: "R5: the UPDATE keeps c1's place, first",
      },
      {
        run: { downgrade: "-1" },
        rows: ["c1", "d2"],
        changes: [upd("d1", "c1")],
        rule: "-1 walks from the first row, d1; R5 UPDATE d1->c1 in place",
      },
      {
        run: { downgrade: "-1" },
        rows: ["d2"],
        changes: [del("c1")],
        rule: "-1 from the first row, c1: R1 (its parent b is implied by d2) DELETE c1",
      },
    ],
  },
  {
    name: "downgrade -1 from {d1, d2} reached as [d2, d1] goes down d2's branch",
    graph: traceGraph,
    sequence: [
      { run: { upgrade: "d2" }, rows: ["d2"], steps: ["a", "b", "c2", "d2"], rule: "a R2; b, c2, d2 R5" },
      {
        run: { upgrade: "d1" },
        rows: ["d2", "d1"],
        changes: [ins("c1"), upd("c1", "d1")],
        rule: "c1: R2 INSERT appends; d1: R5 in place",
      },
      {
        run: { downgrade: "-1" },
        rows: ["c2", "d1"],
        changes: [upd("d2", "c2")],
        rule: "-1 walks from the first row, d2; R5 UPDATE d2->c2 in place",
      },
      {
        run: { upgrade: "heads" },
        rows: ["f"],
        steps: ["d2", "e", "f"],
        // d2: R5 [d2, d1]; e: R3 no other rows, from (d1, d2): DELETE d1, UPDATE d2->e [e]; f: R5.
        changes: [upd("c2", "d2"), del("d1"), upd("d2", "e"), upd("e", "f")],
        rule: "R5, R3, R5",
      },
    ],
  },
  {
    name: "a merge and an unmerge beside an unrelated branch",
    graph: [...traceGraph, ["x1", null, { labels: "side" }], ["x2", "x1"]],
    sequence: [
      { run: { upgrade: "c1" }, rows: ["c1"], rule: "a R2; b, c1 R5" },
      { run: { upgrade: "d2" }, rows: ["c1", "d2"], rule: "c2 R2 appends; d2 R5" },
      {
        run: { upgrade: "side@head" },
        rows: ["c1", "d2", "x2"],
        changes: [ins("x1"), upd("x1", "x2")],
        rule: "x1: R2 (base) appends; x2: R5",
      },
      { run: { upgrade: "d1" }, rows: ["d1", "d2", "x2"], rule: "R5 in place" },
      {
        run: { upgrade: "e" },
        rows: ["e", "x2"],
        changes: [del("d1"), upd("d2", "e")],
        // Other row x2 implies neither parent: from = {d1, d2} (HEAD: set order; Retort:
        // down_revision order). Either way e takes a place before x2.
        rule: "R3 beside another row",
      },
      {
        run: { downgrade: "d1" },
        rows: ["d2", "x2", "d1"],
        changes: [ins("d1"), upd("e", "d2")],
        // Targets: {d1, d2} minus the ancestors of x2 (HEAD: set order; Retort: down_revision
        // order): INSERT d1 appends, UPDATE e->d2 takes e's place.
        rule: "R4 beside another row",
      },
      {
        run: { downgrade: "-1" },
        rows: ["c2", "x2", "d1"],
        changes: [upd("d2", "c2")],
        rule: "-1 from the first row, d2: R5",
      },
      {
        run: { stamp: "b" },
        rows: ["x2", "b"],
        changes: [del("c2"), upd("d1", "b")],
        // filtered heads in row order [c2, d1]; b is below both: one downgrade step from
        // [c2, d1] to b, S-merge: DELETE c2, UPDATE d1->b (d1's place, after x2).
        rule: "S-merge (from in row order)",
      },
      {
        run: { stamp: "d2" },
        rows: ["x2", "d2"],
        changes: [upd("b", "d2")],
        rule: "S-update: b is below d2, one upgrade step b->d2",
      },
      {
        run: { upgrade: "heads" },
        rows: ["x2", "f"],
        steps: ["c1", "d1", "e", "f"],
        // c1: R2 appends [x2, d2, c1]; d1: R5 [x2, d2, d1]; e: R3 (x2 implies neither
        // parent; from in down_revision order) DELETE d1, UPDATE d2->e [x2, e]; f: R5.
        changes: [ins("c1"), upd("c1", "d1"), del("d1"), upd("d2", "e"), upd("e", "f")],
        rule: "R2, R5, R3, R5",
      },
      {
        run: { downgrade: "-1" },
        rows: ["x1", "f"],
        changes: [upd("x2", "x1")],
        rule: "-1 from the first row, x2 (not f): R5",
      },
    ],
  },
  {
    name: "dependsOn: the dependency's row is merged away (§3.5 third trace)",
    graph: [
      ["a001", null, { labels: "alib" }],
      ["b001", null, { labels: "blib" }],
      ["b002", "b001", { deps: "a001" }],
    ],
    sequence: [
      {
        run: { upgrade: "heads" },
        rows: ["b002"],
        steps: ["a001", "b001", "b002"],
        // a001, b001: R2 (bases) [a001, b001]; b002: R3, parents (b001, a001) (down_revision,
        // then dependencies), no other rows: DELETE b001, UPDATE a001->b002.
        changes: [ins("a001"), ins("b001"), del("b001"), upd("a001", "b002")],
        rule: "R2, R2, R3",
      },
      {
        run: { downgrade: "-1" },
        rows: ["a001", "b001"],
        // R4, no other rows, targets (b001, a001) (neither implies the other; HEAD: set
        // order; Retort: down_revision order): INSERT b001 [b002, b001], UPDATE b002->a001.
        changes: [ins("b001"), upd("b002", "a001")],
        rule: "R4",
      },
      {
        run: { upgrade: "alib@head" },
        rows: ["a001", "b001"],
        changes: [],
        rule: "nothing to run: a001 is already a row",
      },
      {
        run: { downgrade: "-1" },
        rows: ["b001"],
        changes: [del("a001")],
        rule: "-1 from the first row, a001: R1 (a base) DELETE",
      },
    ],
  },
  {
    name: "dependsOn: a dependency implied by another row is not a row of its own",
    graph: [
      ["a1", null],
      ["b1", "a1"],
      ["c1", "b1"],
      ["a2", null],
      ["b2", "a2"],
      ["c2", "b2", { deps: "c1" }],
      ["d1", "c1"],
    ],
    sequence: [
      { run: { upgrade: "b1" }, rows: ["b1"], rule: "a1 R2; b1 R5" },
      {
        run: { upgrade: "c2" },
        rows: ["c2"],
        steps: ["c1", "a2", "b2", "c2"],
        // c1: R5 UPDATE b1->c1 [c1]; a2: R2 appends [c1, a2]; b2: R5 [c1, b2];
        // c2 (parents b2, c1): R3, no other rows: DELETE b2, UPDATE c1->c2.
        changes: [upd("b1", "c1"), ins("a2"), upd("a2", "b2"), del("b2"), upd("c1", "c2")],
        rule: "R5, R2, R5, R3",
      },
      {
        run: { upgrade: "d1" },
        rows: ["c2", "d1"],
        changes: [ins("d1")],
        rule: "R2: d1's parent c1 is not a row (c2 took it), so d1 is INSERTed",
      },
      {
        run: { downgrade: "-1" },
        rows: ["b2", "d1"],
        changes: [upd("c2", "b2")],
        // -1 from the first row c2; R4 is not taken: targets = (b2, c1) minus the ancestors
        // of d1 = (b2): one target, UPDATE c2->b2 in place.
        rule: "R4 with one target (c1 implied by d1)",
      },
    ],
  },
  {
    name: "merge point whose other parent is implied by another row",
    graph: [
      ["a", null],
      ["b1", "a"],
      ["b2", "a"],
      ["m", ["b1", "b2"]],
      ["x", "b1"],
    ],
    sequence: [
      { run: { upgrade: "x" }, rows: ["x"], steps: ["a", "b1", "x"], rule: "R2, R5, R5" },
      { run: { upgrade: "b2" }, rows: ["x", "b2"], changes: [ins("b2")], rule: "R2: a is not a row" },
      {
        run: { upgrade: "m" },
        rows: ["x", "m"],
        changes: [upd("b2", "m")],
        rule: "R5: of m's parents only b2 is a row (b1 is implied by x), UPDATE b2->m",
      },
      {
        run: { downgrade: "b2" },
        rows: ["x", "b2"],
        changes: [upd("m", "b2")],
        rule: "R4: targets (b1, b2) minus the ancestors of x = (b2): UPDATE m->b2, no INSERT",
      },
    ],
  },
  {
    name: "stamps: new branches, merge, down, up",
    graph: [
      ["a", null],
      ["b", "a"],
      ["c", "a"],
      ["d", ["b", "c"]],
      ["z", null],
    ],
    sequence: [
      { run: { stamp: "z" }, rows: ["z"], changes: [ins("z")], rule: "S-create" },
      { run: { stamp: "b" }, rows: ["z", "b"], changes: [ins("b")], rule: "S-create: b shares no lineage with z" },
      { run: { stamp: "c" }, rows: ["z", "b", "c"], changes: [ins("c")], rule: "S-create: siblings share no lineage" },
      {
        run: { stamp: "d" },
        rows: ["z", "d"],
        changes: [del("b"), upd("c", "d")],
        rule: "S-merge: from = the rows below d in row order [b, c]: DELETE b, UPDATE c->d",
      },
      { run: { stamp: "a" }, rows: ["z", "a"], changes: [upd("d", "a")], rule: "S-update (downgrade step d->a)" },
      { run: { stamp: "c" }, rows: ["z", "c"], changes: [upd("a", "c")], rule: "S-update (upgrade step a->c)" },
      { run: { stamp: "b" }, rows: ["z", "c", "b"], changes: [ins("b")], rule: "S-create" },
      {
        run: { downgrade: "-1" },
        rows: ["c", "b"],
        changes: [del("z")],
        rule: "-1 from the first row, z (a base): R1 DELETE",
      },
      {
        run: { upgrade: "heads" },
        rows: ["d", "z"],
        // Independent heads: the one first in file order (d) is upgraded last (§3.3).
        steps: ["z", "d"],
        // z: R2 appends [c, b, z]; d: R3, other row z implies neither parent, from (b, c):
        // DELETE b, UPDATE c->d in c's place [d, z].
        changes: [ins("z"), del("b"), upd("c", "d")],
        rule: "R2, R3",
      },
      {
        run: { stamp: "base" },
        rows: [],
        changes: [del("d"), del("z")],
        rule: "S-delete for every row, in row order",
      },
    ],
  },
];

/** The version table of a rowid-ordered heap (SQLite): what the statements do to row order. */
function applyToTable(table: string[], change: VersionRowChange): void {
  if (change.kind === "insert") {
    table.push(change.revision);
    return;
  }
  const at = table.indexOf(change.kind === "update" ? change.from : change.revision);
  if (at < 0) throw new Error(`no row ${JSON.stringify(change)} in [${table.join(", ")}]`);
  if (change.kind === "update") table[at] = change.to;
  else table.splice(at, 1);
}

function plan(graph: RevisionGraph, rows: readonly string[], command: Command): MigrationStep[] {
  if ("upgrade" in command) return planUpgrade(graph, rows, command.upgrade);
  if ("downgrade" in command) return planDowngrade(graph, rows, command.downgrade, { onWarning: () => undefined });
  return planStamp(graph, rows, typeof command.stamp === "string" ? [command.stamp] : command.stamp);
}

function describeCommand(command: Command): string {
  if ("upgrade" in command) return `upgrade ${command.upgrade}`;
  if ("downgrade" in command) return `downgrade ${command.downgrade}`;
  return `stamp ${[command.stamp].flat().join(" ")}`;
}

describe("version table row order (Alembic's HeadMaintainer)", () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const graph = graphOf(testCase.graph);
      const table: string[] = [];
      for (const expected of testCase.sequence) {
        const label = `${describeCommand(expected.run)} (${expected.rule})`;
        // The runner starts each command from the rows as the SELECT returns them.
        const steps = plan(graph, table, expected.run);
        const maintainer = new HeadMaintainer(graph, table);
        const changes = steps.flatMap((step) => maintainer.apply(step));
        for (const change of changes) applyToTable(table, change);
        if (expected.steps) {
          expect(
            steps.map((step) => (step.kind === "revision" ? step.revision.id : "stamp")),
            label,
          ).toEqual(expected.steps);
        }
        if (expected.changes) expect(changes, label).toEqual(expected.changes);
        expect(table, label).toEqual(expected.rows);
        // The maintainer's own view of the rows keeps the same order.
        expect(maintainer.heads, label).toEqual(expected.rows);
      }
    });
  }

  it("downgrade -1 from the same rows in another order takes another branch", () => {
    const graph = graphOf(traceGraph);
    const first = planDowngrade(graph, ["d1", "d2"], "-1", { onWarning: () => undefined });
    const second = planDowngrade(graph, ["d2", "d1"], "-1", { onWarning: () => undefined });
    expect(first.map((step) => step.revision.id)).toEqual(["d1"]);
    expect(second.map((step) => step.revision.id)).toEqual(["d2"]);
  });
});
