import type { RevisionSource } from "../revision-source.js";

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A valid graph of `size` revisions with branches, merges, dependencies
 * (on ids and on labels) and labels, listed in a shuffled file order.
 */
export function randomSources(seed: number, size: number): RevisionSource[] {
  const next = random(seed);
  const pick = (below: number) => Math.floor(next() * below);
  const sources: RevisionSource[] = [];
  const labelOwners: string[] = [];
  for (let index = 0; index < size; index++) {
    const id = `r${seed}x${index}`;
    let downRevision: string | string[] | null = null;
    if (index > 0 && next() > 0.1) {
      const first = `r${seed}x${pick(index)}`;
      const second = `r${seed}x${pick(index)}`;
      downRevision = next() < 0.2 && second !== first ? [first, second] : first;
    }
    const dependsOn: string[] = [];
    if (index > 1 && next() < 0.25) dependsOn.push(`r${seed}x${pick(index)}`);
    if (labelOwners.length > 0 && next() < 0.1) dependsOn.push(`label${pick(labelOwners.length)}`);
    let branchLabels: string[] | null = null;
    if (next() < 0.1) {
      branchLabels = [`label${labelOwners.length}`];
      labelOwners.push(id);
    }
    sources.push({ revision: id, downRevision, dependsOn: dependsOn.length > 0 ? dependsOn : null, branchLabels });
  }
  for (let index = sources.length - 1; index > 0; index--) {
    const other = pick(index + 1);
    [sources[index], sources[other]] = [sources[other] as RevisionSource, sources[index] as RevisionSource];
  }
  return sources;
}
