import type { RevisionGraph } from "../revision-graph.js";
import type { Revision } from "../revision.js";
import type { RevisionSource } from "../revision-source.js";

/**
 * Everything a graph's users can see of it, as plain data: each revision's
 * edges of every kind (ids, in order), labels in set order, depth and
 * flags, and the graph's heads and bases. Two graphs with the same shape
 * answer every query alike.
 */
export function graphShape(graph: RevisionGraph<RevisionSource>): unknown {
  const ids = (list: readonly Revision<RevisionSource>[]) => list.map((revision) => revision.id);
  return {
    heads: graph.heads,
    realHeads: graph.realHeads,
    bases: graph.bases,
    realBases: graph.realBases,
    labels: [...graph.data.labels].map(([label, revision]) => [label, revision.id]),
    keys: [...graph.data.keys.all()],
    revisions: graph.revisions.map((revision) => {
      const links = revision.links;
      return {
        id: revision.id,
        ordinal: revision.ordinal,
        source: revision.source,
        byId: graph.get(revision.id) === revision,
        downRevisions: revision.downRevisions,
        dependencies: revision.dependencies,
        ownBranchLabels: [...revision.ownBranchLabels],
        down: ids(links.down),
        allDown: ids(links.allDown),
        normalizedDown: ids(links.normalizedDown),
        next: ids(links.next),
        allNext: ids(links.allNext),
        normalizedNext: ids(links.normalizedNext),
        resolvedDependencies: ids(links.resolvedDependencies),
        normalizedDependencies: ids(links.normalizedDependencies),
        labels: [...links.labels],
        depth: links.depth,
      };
    }),
  };
}
