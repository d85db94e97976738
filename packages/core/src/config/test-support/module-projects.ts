import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";

/**
 * Temporary folders for the config and module loading tests, removed
 * after each test of the file that calls `temporaryFolders()`: the
 * function it returns makes one holding `files` (names may have folders).
 */
export function temporaryFolders(prefix: string): (files: Record<string, string>) => string {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
  });
  return (files) => {
    const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    folders.push(folder);
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      fs.writeFileSync(path.join(folder, name), text);
    }
    return folder;
  };
}

/**
 * Like `temporaryFolders`, each folder a project (`"type": "module"`) with
 * a package `dual` whose `import` and `require` conditions lead to
 * different files, and an empty cache folder path inside it.
 */
export function moduleProjects(prefix: string): (files: Record<string, string>) => { folder: string; cache: string } {
  const folderWith = temporaryFolders(prefix);
  return (files) => {
    const folder = folderWith({
      "node_modules/dual/package.json": JSON.stringify({
        name: "dual",
        exports: { import: "./esm.mjs", require: "./cjs.cjs" },
      }),
      "node_modules/dual/esm.mjs": 'export const flavour = "esm";\n',
      "node_modules/dual/cjs.cjs": 'exports.flavour = "cjs";\n',
      "package.json": '{ "type": "module" }\n',
      ...files,
    });
    return { folder, cache: path.join(folder, "cache", "modules") };
  };
}

/**
 * Writes `node_modules/fakecjs` into `folder`: a CommonJS package whose
 * export `merge` Node's static analysis cannot see, so only tsx's hooks
 * link `import { merge } from "fakecjs"`.
 */
export function writeFakeCjsPackage(folder: string): void {
  const cjs = path.join(folder, "node_modules", "fakecjs");
  fs.mkdirSync(cjs, { recursive: true });
  fs.writeFileSync(path.join(cjs, "package.json"), '{ "name": "fakecjs", "main": "index.js" }');
  fs.writeFileSync(
    path.join(cjs, "index.js"),
    'const o = {};\no["mer" + "ge"] = (a, b) => a + b;\nmodule.exports = o;',
  );
}
