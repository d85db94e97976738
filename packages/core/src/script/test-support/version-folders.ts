import fs from "node:fs";
import path from "node:path";
import { temporaryFolders } from "../../config/test-support/module-projects.js";

/**
 * For the header cache and script graph tests: the function it returns
 * makes a temporary folder (removed after each test) holding an empty
 * `versions` folder, and names a cache folder beside it, not yet created.
 */
export function versionFolders(prefix: string): () => { versions: string; cache: string } {
  const folderWith = temporaryFolders(prefix);
  return () => {
    const root = folderWith({});
    const versions = path.join(root, "versions");
    fs.mkdirSync(versions);
    return { versions, cache: path.join(root, "cache") };
  };
}
