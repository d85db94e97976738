// Runs the sample project in examples/quickstart: a fresh SQLite file is
// migrated to head, then `history` and `current` are shown.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const project = fileURLToPath(new URL("../examples/quickstart/", import.meta.url));
const cli = fileURLToPath(new URL("../apps/cli/bin/retort.cjs", import.meta.url));

rmSync(new URL("quickstart.db", `file://${project}`), { force: true });

function retort(...args) {
  console.log(`\n$ retort ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: project, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

retort("upgrade", "head");
retort("history");
retort("current", "--verbose");
console.log(
  `\nThe database is ${project}quickstart.db; try 'retort downgrade 2a7e51c08b93' or 'retort downgrade base' in ${project}.`,
);
