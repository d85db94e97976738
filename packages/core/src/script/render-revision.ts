import { createDateFor } from "./create-date.js";
import { code, literal, renderTemplate, type TemplateValue } from "./script-template.js";

/** What goes into a new migration file. */
export interface RenderRevisionOptions {
  readonly revision: string;
  /** The parent(s): none (a new root), one, or several (a merge). */
  readonly downRevision: string | readonly string[] | null;
  readonly branchLabels?: string | readonly string[] | null;
  readonly dependsOn?: string | readonly string[] | null;
  /** Default `"empty message"`, as Alembic writes without `-m`. */
  readonly message?: string | undefined;
  /** When the revision is made; default now. */
  readonly date?: Date;
  /** IANA zone of the Create Date; default local time. */
  readonly timezone?: string | undefined;
  /** Body of `upgrade()`; default a comment saying to write it. */
  readonly upgrades?: string;
  /** Body of `downgrade()`; default a comment saying to write it. */
  readonly downgrades?: string;
  /** Extra import lines (autogenerate's); default none. */
  readonly imports?: string;
  /** More placeholders for a customised template. */
  readonly extra?: Readonly<Record<string, TemplateValue>>;
  /** Where the template came from, for error messages. */
  readonly templatePath?: string;
}

/**
 * Renders a new migration file from `script.ts.template`. The template
 * sees `upRevision`, `downRevision`, `branchLabels`, `dependsOn`,
 * `message`, `createDate` (data: `${name}` gives a TypeScript literal,
 * `${name | comment}` text for the doc comment) and `upgrades`,
 * `downgrades`, `imports` (code). Lists of one are written as a string and
 * empty lists as `null`, as Alembic does.
 *
 * ```ts
 * renderRevisionFile(readFileSync("migrations/script.ts.template", "utf8"), {
 *   revision: "ae1027a6acf", downRevision: "1975ea83b712", message: "Add a column",
 * });
 * ```
 */
export function renderRevisionFile(template: string, options: RenderRevisionOptions): string {
  const message = options.message === undefined || options.message.trim() === "" ? "empty message" : options.message;
  const createDate = createDateFor(options.date ?? new Date(), options.timezone).text;
  return renderTemplate(
    template,
    {
      ...options.extra,
      upRevision: literal(options.revision),
      downRevision: literal(normalizeIds(options.downRevision)),
      branchLabels: literal(normalizeIds(options.branchLabels ?? null)),
      dependsOn: literal(normalizeIds(options.dependsOn ?? null)),
      message: literal(message),
      createDate: literal(createDate),
      upgrades: code(options.upgrades ?? "// write the upgrade here"),
      downgrades: code(options.downgrades ?? "// write the downgrade here"),
      imports: code(options.imports ?? ""),
    },
    options.templatePath,
  );
}

/** `[]` → `null`, `["a"]` → `"a"`, longer lists stay lists. */
function normalizeIds(value: string | readonly string[] | null): string | readonly string[] | null {
  if (value === null || typeof value === "string") return value;
  if (value.length === 0) return null;
  if (value.length === 1) return value[0] ?? null;
  return value;
}
