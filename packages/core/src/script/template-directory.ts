import { fileURLToPath } from "node:url";

/**
 * The folder of the `init` templates, `packages/core/templates/`. Both
 * this source file (`src/script/`, run by vitest or tsx) and its build
 * (`dist/script/`) sit two levels below the package root, and the package
 * ships `templates/` next to `dist/` (see `files` in package.json).
 */
export function templatesDirectory(): string {
  return fileURLToPath(new URL("../../templates/", import.meta.url));
}
