import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { templatesDirectory } from "./template-directory.js";

/** An `init` template. */
export interface ProjectTemplate {
  readonly name: string;
  /** First line of its README. */
  readonly description: string;
  /** Its folder. */
  readonly path: string;
}

/**
 * The templates `retort init -t NAME` accepts (`generic`, `multidb`),
 * sorted by name, each with the first line of its README as description.
 *
 * ```ts
 * for (const t of listTemplates()) console.log(`${t.name} - ${t.description}`);
 * ```
 */
export function listTemplates(): ProjectTemplate[] {
  const root = templatesDirectory();
  const templates: ProjectTemplate[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = path.join(root, entry.name);
    const readme = path.join(folder, "README");
    const description = existsSync(readme) ? (readFileSync(readme, "utf8").split(/\r?\n/)[0] ?? "").trim() : "";
    templates.push({ name: entry.name, description, path: folder });
  }
  return templates.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
