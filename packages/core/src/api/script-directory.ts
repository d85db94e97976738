import type { RevisionGraph } from "../graph/revision-graph.js";
import type { Revision } from "../graph/revision.js";
import type { ResolvedConfig } from "../config/retort-config.js";
import path from "node:path";
import { cacheDirectory } from "../config/cache-directory.js";
import { isDefaultVersionLocation, VersionLocationNotFoundError } from "../config/config-errors.js";
import { importModule, prepareModules } from "../config/module-loader.js";
import { keepSourceText } from "../config/source-texts.js";
import { loadScriptGraph } from "../script/load-script-graph.js";
import type { RevisionHeader } from "../script/revision-header.js";
import type { MigrationModule } from "../runtime/migration-module.js";

/**
 * The migration files of a project and the graph they form. Reading it
 * parses each file's header only; a module is imported just before it runs.
 */
export class ScriptDirectory {
  readonly graph: RevisionGraph<RevisionHeader>;
  readonly config: ResolvedConfig;

  private constructor(config: ResolvedConfig, graph: RevisionGraph<RevisionHeader>) {
    this.config = config;
    this.graph = graph;
  }

  /**
   * With `runsMigrations`, a command that will import migrations: when the
   * files changed since the last run (a fresh deploy), the texts read for
   * their headers are kept for their compile.
   */
  static load(config: ResolvedConfig, options: { runsMigrations?: boolean } = {}): ScriptDirectory {
    let graph: RevisionGraph<RevisionHeader>;
    try {
      graph = loadScriptGraph({
        scriptLocation: config.scriptLocation,
        versionLocations: config.versionLocations,
        requireVersionLocations: !isDefaultVersionLocation(config),
        recursive: config.recursiveVersionLocations,
        cacheDirectory: headerCacheDirectory(),
        ...(options.runsMigrations ? { onRead: keepSourceText } : {}),
      });
    } catch (error) {
      if (!(error instanceof VersionLocationNotFoundError)) throw error;
      throw error.inConfig(config);
    }
    return new ScriptDirectory(config, graph);
  }

  get revisions(): readonly Revision<RevisionHeader>[] {
    return this.graph.revisions;
  }

  /** `options.codeCache`: see `ImportOptions` (for a run whose statements go to a server). */
  async loadModule(header: RevisionHeader, options: { readonly codeCache?: boolean } = {}): Promise<MigrationModule> {
    return (await importModule(header.path, options)) as MigrationModule;
  }

  /** Compiles the modules of `headers` not compiled yet, in one go, before a run imports them. */
  prepareModules(headers: readonly RevisionHeader[]): Promise<void> {
    return prepareModules(headers.map((header) => header.path));
  }
}

/** Where the headers of migration files are cached (`RETORT_CACHE_DIR=` turns it off). */
function headerCacheDirectory(): string | null {
  const root = cacheDirectory();
  return root === null ? null : path.join(root, "headers");
}
