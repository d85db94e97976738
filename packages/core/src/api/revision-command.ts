import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CommandError } from "../errors/retort-error.js";
import { RevisionGraph } from "../graph/revision-graph.js";
import type { Revision } from "../graph/revision.js";
import { MultipleHeadsError, resolveForCommand } from "../graph/revision-errors.js";
import type { ResolvedConfig, RetortConfig } from "../config/retort-config.js";
import { generateRevisionId, longRevisionIdWarning, validateRevisionId } from "../script/revision-id.js";
import { revisionFilePath } from "../script/revision-file-name.js";
import { renderRevisionFile } from "../script/render-revision.js";
import { readRevisionHeader } from "../script/read-revision-header.js";
import { runPostWriteHooks } from "../script/run-post-write-hooks.js";
import type { RevisionHeader } from "../script/revision-header.js";
import { type CommandOptions, commandOptions, Environment } from "./environment.js";
import { generateBodies } from "../autogenerate/autogenerate-api.js";

export interface RevisionOptions extends CommandOptions {
  readonly message?: string;
  /** The revision(s) to build on; default `head`. `base` starts a new root. */
  readonly head?: string | readonly string[];
  /** Allow a head that is not a head revision (a new branch from the middle). */
  readonly splice?: boolean;
  readonly branchLabel?: string;
  readonly dependsOn?: readonly string[];
  readonly revId?: string;
  readonly versionPath?: string;
  /** Write the differences between the config's declared schema and the database (`--autogenerate`). */
  readonly autogenerate?: boolean;
  /** `--sql`: refused, as Alembic does without a revision environment. */
  readonly sql?: boolean;
  /**
   * Called once the file is written, before the post-write hooks run (the
   * CLI prints `Generating <path> ...  done` then, as Alembic does), with
   * autogenerate's differences.
   */
  readonly onWritten?: (path: string, detected: readonly string[] | undefined) => void;
  /** Called around each post-write hook: `Running post write hook '<command>' ...`, then `done`. */
  readonly onHook?: (line: string) => void;
}

/** The options `merge` takes besides every command's: `revision`'s but the heads, `dependsOn` and `versionPath`. */
const MERGE_OWN = ["message", "splice", "branchLabel", "revId", "autogenerate", "sql", "onWritten", "onHook"];
/** `revision`'s options (`RevisionOptions`), checked by name. */
const REVISION_OPTIONS = commandOptions(...MERGE_OWN, "head", "dependsOn", "versionPath");
const MERGE_OPTIONS = commandOptions(...MERGE_OWN);

export interface RevisionResult {
  readonly revision: string;
  readonly path: string;
  readonly downRevisions: readonly string[];
  /** With `autogenerate`: the differences written, one line each (empty: an empty migration). */
  readonly detected?: readonly string[];
}

/**
 * Writes a new migration file from `script.ts.template`. The new graph is
 * checked before the file is written, so a bad `--rev-id` or label leaves
 * nothing behind.
 */
export async function revision(
  config: RetortConfig | ResolvedConfig,
  options: RevisionOptions = {},
): Promise<RevisionResult> {
  return writeRevision(new Environment(config, options, { command: "revision", own: REVISION_OPTIONS }), options);
}

/**
 * Writes a merge revision whose parents are `revisions` (`heads` merges
 * every head). Each must be a head unless `splice` is set (Alembic 1.18.5).
 */
export async function merge(
  config: RetortConfig | ResolvedConfig,
  revisions: string | readonly string[],
  options: Omit<RevisionOptions, "head" | "dependsOn" | "versionPath"> = {},
): Promise<RevisionResult> {
  return writeRevision(new Environment(config, options, { command: "merge", own: MERGE_OPTIONS }), {
    ...options,
    head: revisions,
  });
}

async function writeRevision(environment: Environment, options: RevisionOptions): Promise<RevisionResult> {
  const config = environment.config;
  if (options.sql) {
    throw new CommandError(
      options.autogenerate
        ? "Using --sql with --autogenerate does not make any sense: autogenerate compares the schema with a live database. Leave out --sql."
        : "Using --sql with the revision command does not make any sense: revision writes a migration file and sends nothing to the database (Alembic accepts it only with revision_environment, which Retort does not have). Leave out --sql.",
      { code: "SQL_NOT_SUPPORTED" },
    );
  }
  const scripts = environment.scripts;
  const graph = scripts.graph;
  const revisionId = options.revId ?? generateRevisionId();
  if (options.revId !== undefined) validateRevisionId(revisionId);
  const existing = graph.get(revisionId);
  if (existing) {
    throw new CommandError(
      `Revision ${revisionId} already exists in ${existing.source.path}; choose another --rev-id`,
      {
        code: "DUPLICATE_REVISION",
      },
    );
  }
  const parents = resolveParents(graph, options.head ?? "head", options.splice ?? false);
  const branchLabels = options.branchLabel === undefined ? null : [options.branchLabel];
  if (options.branchLabel !== undefined) {
    const owner = graph.revisions.find((candidate) => candidate.ownBranchLabels.has(options.branchLabel as string));
    if (owner) {
      throw new CommandError(
        `Branch name '${options.branchLabel}' in revision ${revisionId} already used by revision ${owner.id}`,
        { code: "DUPLICATE_LABEL" },
      );
    }
  }
  const dependsOn = (options.dependsOn ?? []).map((dependency) => {
    const target = resolveForCommand(dependency, () => graph.getRevision(dependency));
    if (!target) throw new CommandError(`Can't locate revision identified by '${dependency}'`, { code: "RESOLUTION" });
    return target.branchLabels.has(dependency) ? dependency : target.id;
  });
  const directory = versionDirectory(config, parents, options.versionPath);
  const templatePath = path.join(config.scriptLocation, "script.ts.template");
  if (!existsSync(templatePath)) {
    throw new CommandError(
      `Template file ${templatePath} not found; restore it (retort init writes one) to create revisions`,
      { code: "TEMPLATE_MISSING" },
    );
  }
  const generated = options.autogenerate ? await generateBodies(environment) : undefined;
  const message = options.message;
  const now = new Date();
  const filePath = revisionFilePath({
    directory,
    revision: revisionId,
    message,
    fileTemplate: config.fileTemplate,
    truncateSlugLength: config.truncateSlugLength,
    timezone: config.timezone,
    date: now,
  });
  const text = renderRevisionFile(readFileSync(templatePath, "utf8"), {
    revision: revisionId,
    downRevision: parents.map((parent) => parent.id),
    branchLabels,
    dependsOn: dependsOn.length > 0 ? dependsOn : null,
    message,
    date: now,
    timezone: config.timezone,
    templatePath,
    ...(generated
      ? { upgrades: generated.upgrades, downgrades: generated.downgrades, imports: generated.imports }
      : {}),
  });
  // Check the graph with the new file before writing it.
  const header = readRevisionHeader(filePath, text);
  RevisionGraph.build([...graph.revisions.map((r) => r.source), header]);
  if (existsSync(filePath)) {
    throw new CommandError(`File ${filePath} already exists; choose another message or --rev-id`, {
      code: "FILE_EXISTS",
    });
  }
  const table =
    config.versionTableSchema === undefined
      ? config.versionTable
      : `${config.versionTableSchema}.${config.versionTable}`;
  const tooLong = longRevisionIdWarning(revisionId, table);
  if (tooLong !== undefined) options.onWarning?.(tooLong);
  mkdirSync(path.dirname(filePath), { recursive: true });
  writeFileSync(filePath, text);
  options.onWritten?.(filePath, generated?.lines);
  await runPostWriteHooks(config.postWriteHooks, filePath, config.directory, options.onHook);
  return {
    revision: revisionId,
    path: filePath,
    downRevisions: parents.map((parent) => parent.id),
    ...(generated ? { detected: generated.lines } : {}),
  };
}

function resolveParents(
  graph: RevisionGraph<RevisionHeader>,
  head: string | readonly string[],
  splice: boolean,
): Revision<RevisionHeader>[] {
  let parents: Revision<RevisionHeader>[];
  try {
    parents = graph.getRevisions(head);
  } catch (error) {
    if (MultipleHeadsError.isInstance?.(error) ?? error instanceof MultipleHeadsError) {
      throw new CommandError(
        "Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.",
        { code: "MULTIPLE_HEADS" },
      );
    }
    throw error;
  }
  const ids = parents.map((parent) => parent.id);
  if (new Set(ids).size !== ids.length)
    throw new CommandError("Duplicate head revisions specified", { code: "DUPLICATE_HEADS" });
  if (!splice) {
    for (const parent of parents) {
      if (!parent.isHead) {
        throw new CommandError(
          `Revision ${parent.id} is not a head revision; please specify --splice to create a new branch from this revision`,
          { code: "NOT_A_HEAD" },
        );
      }
    }
  }
  return parents;
}

function versionDirectory(
  config: ResolvedConfig,
  parents: readonly Revision<RevisionHeader>[],
  versionPath: string | undefined,
): string {
  const locations = config.versionLocations;
  if (versionPath !== undefined) {
    const wanted = path.resolve(versionPath);
    if (!locations.some((location) => path.resolve(location) === wanted)) {
      throw new CommandError(`Path ${versionPath} is not represented in current version locations`, {
        code: "VERSION_PATH",
      });
    }
    return wanted;
  }
  if (locations.length === 1) return locations[0] as string;
  const first = parents[0];
  if (first) {
    // Next to the parent's file; but with a fileTemplate that makes folders (`{year}/{month}/...`),
    // in the version location holding it, under which the template makes the new file's own folders
    // (from the parent's folder they would nest one level deeper with each revision).
    if (!config.fileTemplate.includes("/")) return path.dirname(first.source.path);
    const file = path.resolve(first.source.path);
    const holding = locations
      .map((location) => path.resolve(location))
      .filter((location) => file.startsWith(location + path.sep))
      .sort((a, b) => b.length - a.length)[0];
    return holding ?? path.dirname(first.source.path);
  }
  throw new CommandError("Multiple version locations present, please specify --version-path", {
    code: "VERSION_PATH",
  });
}
