import type { Command } from "../command.js";
import { checkCommand } from "./check-command.js";
import { checkTypesCommand } from "./check-types-command.js";
import { ensureVersionCommand } from "./ensure-version-command.js";
import { branchesCommand, currentCommand, headsCommand, historyCommand, showCommand } from "./inspect-commands.js";
import { downgradeCommand, stampCommand, upgradeCommand } from "./migrate-commands.js";
import { editCommand, initCommand, listTemplatesCommand, mergeCommand, revisionCommand } from "./script-commands.js";

// Every command needs these once it runs: exported here so that main.ts
// gets them with the commands, in one lazy load, instead of two more after it.
export { closestName } from "@retort/core/commands";
export { RunRenderer } from "../format/run-renderer.js";
export { loadProject } from "../project.js";

/** Every command, in the order `retort --help` lists them. */
export const commands: readonly Command[] = [
  initCommand,
  listTemplatesCommand,
  revisionCommand,
  mergeCommand,
  checkCommand,
  checkTypesCommand,
  upgradeCommand,
  downgradeCommand,
  stampCommand,
  currentCommand,
  historyCommand,
  headsCommand,
  branchesCommand,
  showCommand,
  editCommand,
  ensureVersionCommand,
];
