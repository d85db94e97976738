import { RevisionGraph } from "../graph/revision-graph.js";
import {
  assertScriptLocation,
  listScriptFiles,
  type LoadScriptHeadersOptions,
  openHeaderCache,
  readScriptHeaders,
} from "./load-script-headers.js";
import type { RevisionHeader } from "./revision-header.js";

/**
 * The revision graph of the migration files (`loadScriptHeaders`, then
 * `RevisionGraph.build`). With a cache folder, the graph is stored beside
 * the headers once it has been built and validated, and given back without
 * building or validating it again while every file is unchanged (see
 * `HeaderCache.storedGraph`): on 10,000 files that is most of a graph
 * command's own time. While every file is unchanged, no file is read and
 * a revision (with its header) is made only when a query reaches it:
 * `heads` makes the heads. A graph that fails to build is never stored, so
 * its error is raised again on every run, exactly as without the cache.
 *
 * ```ts
 * const graph = loadScriptGraph({ versionLocations: config.versionLocations, cacheDirectory });
 * graph.heads; // ["ae1027a6acf"]
 * ```
 */
export function loadScriptGraph(options: LoadScriptHeadersOptions): RevisionGraph<RevisionHeader> {
  if (options.scriptLocation !== undefined) assertScriptLocation(options.scriptLocation);
  const cache = openHeaderCache(options);
  const listed = listScriptFiles(options, cache);
  // With a file reachable twice, the warning and the dropped duplicate come from reading.
  if (cache !== undefined && !listed.overlapping && cache.unchanged(listed.folders)) {
    const restored = RevisionGraph.restoreStored(
      cache.size,
      (ordinal) => cache.storedHeader(ordinal),
      cache.storedGraph(),
      () => cache.storedHeaders(),
    );
    if (restored !== undefined) {
      cache.settle();
      return restored;
    }
  }
  options.beforeReading?.();
  const headers = readScriptHeaders(options, cache, listed);
  if (cache === undefined) return RevisionGraph.build(headers);
  const stored = cache.storedGraph();
  const restored = stored === undefined ? undefined : RevisionGraph.restore(headers, stored);
  if (restored !== undefined) {
    cache.save();
    return restored;
  }
  let graph: RevisionGraph<RevisionHeader>;
  try {
    graph = RevisionGraph.build(headers);
  } catch (error) {
    // The headers are still worth keeping; the broken graph is not.
    cache.save();
    throw error;
  }
  cache.save(() => graph.store());
  return graph;
}
