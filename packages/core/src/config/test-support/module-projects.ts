import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";

/**
 * Temporary project folders for the module loading tests, removed after
 * each test of the file that calls `moduleProjects()`.
 */
export function moduleProjects(prefix: string): (files: Record<string, string>) => { folder: string; cache: string } {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
  });
  /**
   * A project folder (`"type": "module"`) with `files` and a package `dual`
   * whose `import` and `require` conditions lead to different files, and
   * an empty cache folder path inside it.
   */
  return (files) => {
    const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    folders.push(folder);
    const dual = path.join(folder, "node_modules", "dual");
    fs.mkdirSync(dual, { recursive: true });
    fs.writeFileSync(
      path.join(dual, "package.json"),
      JSON.stringify({ name: "dual", exports: { import: "./esm.mjs", require: "./cjs.cjs" } }),
    );
    fs.writeFileSync(path.join(dual, "esm.mjs"), 'export const flavour = "esm";\n');
    fs.writeFileSync(path.join(dual, "cjs.cjs"), 'exports.flavour = "cjs";\n');
    fs.writeFileSync(path.join(folder, "package.json"), '{ "type": "module" }\n');
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
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
