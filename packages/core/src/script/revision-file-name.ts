import path from "node:path";
import { type CreateDate, createDateFor } from "./create-date.js";
import { FileTemplateError } from "./script-errors.js";

/** The tokens a `fileTemplate` may use, as in Alembic's `file_template`. */
export const FILE_TEMPLATE_TOKENS = [
  "rev",
  "slug",
  "epoch",
  "year",
  "month",
  "day",
  "hour",
  "minute",
  "second",
] as const;

export type FileTemplateToken = (typeof FILE_TEMPLATE_TOKENS)[number];

/**
 * The slug of a message, as Alembic makes it: the words (`\w+`, Unicode
 * aware) joined by `_` and lowercased. A slug longer than
 * `truncateSlugLength` is cut to that length, then back to its last `_`,
 * and ends with `_`. No message gives an empty slug.
 *
 * ```ts
 * slugify("Add a column, then an index!", 40); // "add_a_column_then_an_index"
 * ```
 */
export function slugify(message: string | undefined, truncateSlugLength = 40): string {
  const slug = (message?.match(/[\p{L}\p{N}_]+/gu) ?? []).join("_").toLowerCase();
  // Alembic counts and cuts code points, not UTF-16 units.
  const characters = Array.from(slug);
  if (characters.length <= truncateSlugLength) return slug;
  const cut = characters.slice(0, truncateSlugLength).join("");
  const lastUnderscore = cut.lastIndexOf("_");
  return `${lastUnderscore === -1 ? cut : cut.slice(0, lastUnderscore)}_`;
}

/**
 * Fills a `fileTemplate`: `{token}` is replaced by its value, `{token:02d}`
 * (or `{token:02}`) zero-pads a number to two digits, `{{` and `}}` are
 * literal braces. Unknown tokens, and Alembic's `%(rev)s` spelling, throw
 * `FileTemplateError` saying what to write instead.
 *
 * ```ts
 * renderFileTemplate("{year}_{month:02d}_{rev}_{slug}", tokens); // "2025_03_ae1027a6acf_add_a_column"
 * ```
 */
export function renderFileTemplate(
  fileTemplate: string,
  tokens: Readonly<Record<FileTemplateToken, string | number>>,
): string {
  if (/%\(\w+\)/.test(fileTemplate)) {
    throw new FileTemplateError(
      `fileTemplate "${fileTemplate}" uses Alembic's %(name)s tokens; write {name} instead, e.g. "{rev}_{slug}" (zero-padded: {month:02d})`,
    );
  }
  return fileTemplate.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (whole, inner: string | undefined) => {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    const match = inner === undefined ? null : /^\s*(\w+)\s*(?::\s*0?(\d+)d?\s*)?$/.exec(inner);
    const name = match?.[1];
    if (match === null || name === undefined || !(FILE_TEMPLATE_TOKENS as readonly string[]).includes(name)) {
      throw new FileTemplateError(
        `Unknown token ${whole} in fileTemplate "${fileTemplate}"; tokens: ${FILE_TEMPLATE_TOKENS.map((token) => `{${token}}`).join(" ")} (numbers may be zero-padded: {month:02d}); write {{ and }} for literal braces`,
      );
    }
    const value = String(tokens[name as FileTemplateToken]);
    const width = match[2] === undefined ? 0 : Number(match[2]);
    return /^\d+$/.test(value) ? value.padStart(width, "0") : value;
  });
}

/** What {@link revisionFilePath} needs. */
export interface RevisionFilePathOptions {
  /** The version location the file goes to. */
  readonly directory: string;
  readonly revision: string;
  readonly message?: string | undefined;
  /** Default `"{rev}_{slug}"`. */
  readonly fileTemplate?: string;
  /** Default 40. */
  readonly truncateSlugLength?: number;
  /** IANA zone for the date tokens; default local time. */
  readonly timezone?: string | undefined;
  /** When the revision is made; default now. */
  readonly date?: Date;
  /** Default `".ts"`. */
  readonly extension?: string;
}

/**
 * The absolute path of a new migration file: `directory` plus the filled
 * `fileTemplate` plus the extension. A `/` in the template makes
 * subfolders (found again only with `recursiveVersionLocations`); a
 * template that would leave `directory` throws `FileTemplateError`.
 *
 * ```ts
 * revisionFilePath({ directory: "/app/migrations/versions", revision: "ae1027a6acf", message: "Add a column" });
 * // "/app/migrations/versions/ae1027a6acf_add_a_column.ts"
 * ```
 */
export function revisionFilePath(options: RevisionFilePathOptions): string {
  const fileTemplate = options.fileTemplate ?? "{rev}_{slug}";
  const date: CreateDate = createDateFor(options.date ?? new Date(), options.timezone);
  const name = renderFileTemplate(fileTemplate, {
    rev: options.revision,
    slug: slugify(options.message, options.truncateSlugLength ?? 40),
    epoch: date.epoch,
    year: date.year,
    month: date.month,
    day: date.day,
    hour: date.hour,
    minute: date.minute,
    second: date.second,
  });
  const segments = name.split(/[/\\]/);
  if (name.startsWith("/") || segments.some((segment) => segment === ".." || segment === "." || segment === "")) {
    throw new FileTemplateError(
      `fileTemplate "${fileTemplate}" gives the file name "${name}", which is not a path inside the version location; use "/" only between non-empty folder names`,
    );
  }
  return path.join(path.resolve(options.directory), ...segments) + (options.extension ?? ".ts");
}
