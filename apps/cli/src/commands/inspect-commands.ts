import { branches, current, heads, history, show } from "@retort/core/commands";
import type { ScriptRevision } from "@retort/core";
import { optionValue } from "../argv.js";
import { type Command, jsonOption, verboseOption } from "../command.js";
import { drawHistoryGraph } from "../format/history-graph.js";
import { formatLogEntry, formatRevisionLine, revisionJson } from "../format/revision-format.js";

export const currentCommand: Command = {
  name: "current",
  summary: "Display the current revision for a database.",
  usage: "",
  options: [
    verboseOption,
    jsonOption,
    { name: "check-heads", short: "c", takesValue: false, help: "fail unless the database is on all head revisions" },
  ],
  positionals: [0, 0],
  async run(context) {
    const { config, options } = await context.project();
    const verbose = context.parsed.flags.has("verbose");
    const result = await current(config, { ...options, checkHeads: context.parsed.flags.has("check-heads") });
    if (context.parsed.flags.has("json")) {
      context.output.data(
        JSON.stringify(
          {
            url: result.url,
            databaseHeads: result.databaseHeads,
            revisions: result.revisions.map((r) => revisionJson(r)),
          },
          null,
          2,
        ),
      );
      return;
    }
    if (verbose) context.output.message(`Current revision(s) for ${result.url}:`);
    for (const revision of result.revisions) {
      context.output.message(
        verbose ? formatLogEntry(revision) : formatRevisionLine(revision, { paint: context.output.stdoutPaint }),
      );
    }
  },
};

export const historyCommand: Command = {
  name: "history",
  summary: "List changeset scripts in chronological order.",
  usage: "",
  options: [
    { name: "rev-range", short: "r", takesValue: true, help: "range of revisions, [start]:[end]", metavar: "RANGE" },
    verboseOption,
    { name: "indicate-current", short: "i", takesValue: false, help: "indicate the current revision" },
    jsonOption,
    { name: "graph", takesValue: false, help: "draw the revision graph" },
  ],
  positionals: [0, 0],
  async run(context) {
    const { config, options } = await context.project();
    const range = optionValue(context.parsed, "rev-range");
    const indicateCurrent = context.parsed.flags.has("indicate-current");
    const result = await history(config, { ...options, ...(range === undefined ? {} : { range }), indicateCurrent });
    const currentSet = new Set(indicateCurrent ? (result.currentHeads ?? []) : []);
    const isCurrent = (revision: ScriptRevision) => currentSet.has(revision.id);
    if (context.parsed.flags.has("json")) {
      const rows = result.revisions.map((r) => revisionJson(r, indicateCurrent ? { current: isCurrent(r) } : {}));
      context.output.data(JSON.stringify(rows, null, 2));
      return;
    }
    const verbose = context.parsed.flags.has("verbose");
    const line = (revision: ScriptRevision) =>
      verbose
        ? formatLogEntry(revision, { current: isCurrent(revision) })
        : formatRevisionLine(revision, {
            includeBranches: true,
            includeDoc: true,
            includeParents: true,
            current: isCurrent(revision),
            paint: context.output.stdoutPaint,
          });
    if (context.parsed.flags.has("graph")) {
      const label = (revision: ScriptRevision) =>
        formatRevisionLine(revision, { includeBranches: true, includeDoc: true, current: isCurrent(revision) });
      const drawn = drawHistoryGraph(result.revisions, label);
      // One write for the listing: a write per line was a system call each.
      if (drawn.length > 0) context.output.message(drawn.join("\n"));
      return;
    }
    if (result.revisions.length > 0) context.output.message(result.revisions.map(line).join("\n"));
  },
};

export const headsCommand: Command = {
  name: "heads",
  summary: "Show current available heads in the script directory.",
  usage: "",
  options: [
    verboseOption,
    { name: "resolve-dependencies", takesValue: false, help: "treat dependency versions as down revisions" },
    jsonOption,
  ],
  positionals: [0, 0],
  async run(context) {
    const { config, options } = await context.project();
    const revisions = heads(config, {
      ...options,
      resolveDependencies: context.parsed.flags.has("resolve-dependencies"),
    });
    printRevisions(context, revisions, (revision) =>
      formatRevisionLine(revision, { includeBranches: true, treeIndicators: false, paint: context.output.stdoutPaint }),
    );
  },
};

export const branchesCommand: Command = {
  name: "branches",
  summary: "Show current branch points.",
  usage: "",
  options: [verboseOption, jsonOption],
  positionals: [0, 0],
  async run(context) {
    const { config, options } = await context.project();
    const points = branches(config, options);
    if (context.parsed.flags.has("json")) {
      const rows = points.map((point) => ({
        ...revisionJson(point.revision),
        children: point.children.map((c) => c.id),
      }));
      context.output.data(JSON.stringify(rows, null, 2));
      return;
    }
    const verbose = context.parsed.flags.has("verbose");
    for (const { revision, children } of points) {
      const paint = context.output.stdoutPaint;
      const header = verbose
        ? formatLogEntry(revision)
        : formatRevisionLine(revision, { includeBranches: true, paint });
      const indent = " ".repeat(revision.id.length);
      const lines = children.map(
        (child) => `${indent} -> ${formatRevisionLine(child, { includeBranches: true, includeDoc: verbose, paint })}`,
      );
      context.output.message(`${header}\n${lines.join("\n")}\n`);
    }
  },
};

export const showCommand: Command = {
  name: "show",
  summary: "Show the revision(s) denoted by the given symbol.",
  usage: "REV",
  options: [jsonOption],
  positionals: [1, 1],
  async run(context) {
    const { config, options } = await context.project();
    const revisions = await show(config, context.parsed.positionals[0] as string, options);
    printRevisions(context, revisions, (revision) => formatLogEntry(revision), true);
  },
};

function printRevisions(
  context: Parameters<Command["run"]>[0],
  revisions: readonly ScriptRevision[],
  line: (revision: ScriptRevision) => string,
  alwaysVerbose = false,
): void {
  if (context.parsed.flags.has("json")) {
    context.output.data(
      JSON.stringify(
        revisions.map((r) => revisionJson(r)),
        null,
        2,
      ),
    );
    return;
  }
  const verbose = alwaysVerbose || context.parsed.flags.has("verbose");
  for (const revision of revisions) context.output.message(verbose ? formatLogEntry(revision) : line(revision));
}
