import { describe, expect, it } from "vitest";
import { collectDowngrade, collectUpgrade, type Collected } from "./collect-revisions.js";
import { RevisionGraph } from "./revision-graph.js";
import type { RevisionSource } from "./revision-source.js";
import { exactSort, topologicalSort } from "./topological-sort.js";
import { seededRandom } from "../test-support/seeded-random.js";

/** A random DAG with merges, branches, several roots and dependencies, in shuffled file order. */
function randomGraph(seed: number): RevisionGraph {
  const next = seededRandom(seed);
  const count = 3 + Math.floor(next() * 18);
  const sources: RevisionSource[] = [];
  for (let index = 0; index < count; index++) {
    const pick = () => `r${Math.floor(next() * index)}`;
    const downs = index === 0 || next() < 0.1 ? [] : [...new Set([pick(), ...(next() < 0.25 ? [pick()] : [])])];
    const deps = index > 1 && next() < 0.25 ? [...new Set([pick(), ...(next() < 0.3 ? [pick()] : [])])] : [];
    sources.push({
      revision: `r${index}`,
      downRevision: downs,
      dependsOn: deps.filter((dep) => !downs.includes(dep)),
    });
  }
  for (let index = sources.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [sources[index], sources[other]] = [sources[other] as RevisionSource, sources[index] as RevisionSource];
  }
  return RevisionGraph.build(sources);
}

function startOf(collected: Collected<RevisionSource>) {
  return [...new Set(collected.heads.filter((head) => collected.todo[head.ordinal]))].sort(
    (a, b) => a.ordinal - b.ordinal,
  );
}

function attempt<T>(run: () => T): T | Error {
  try {
    return run();
  } catch (error) {
    return error as Error;
  }
}

describe("topologicalSort", () => {
  it("gives Alembic's order (the quadratic algorithm) on random graphs and ranges", () => {
    let compared = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const graph = randomGraph(seed);
      const next = seededRandom(seed * 7919);
      const ids = graph.revisions.map((revision) => revision.id);
      const some = () => {
        const chosen = ids.filter(() => next() < 0.2);
        return chosen.length > 0 ? chosen : [ids[Math.floor(next() * ids.length)] as string];
      };
      for (let query = 0; query < 12; query++) {
        const options = {
          inclusive: next() < 0.5,
          implicitBase: next() < 0.5,
          assertRelativeLength: true,
        };
        const downgrade = next() < 0.4;
        const upper = next() < 0.3 ? "heads" : some();
        const lower = downgrade ? (next() < 0.3 ? "base" : (some()[0] as string)) : next() < 0.3 ? [] : some();
        const collected = attempt(() =>
          downgrade
            ? collectDowngrade(graph.data, upper, lower as string, options)
            : collectUpgrade(graph.data, upper, lower, options),
        );
        if (collected instanceof Error) continue;
        const expected = attempt(() => exactSort(graph.data, collected.todo, startOf(collected)));
        const actual = attempt(() => topologicalSort(graph.data, collected.todo, collected.heads, collected.closed));
        if (expected instanceof Error) {
          expect(actual).toBeInstanceOf(Error);
          continue;
        }
        expect(actual instanceof Error ? actual.message : actual.map((r) => r.id)).toEqual(expected.map((r) => r.id));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
