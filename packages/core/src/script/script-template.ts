import { TemplateError } from "./script-errors.js";

/**
 * A value for a template placeholder. A `literal` is data (a message, an
 * id, a list of ids): `${name}` renders it as a TypeScript literal and
 * `${name | comment}` as plain text safe inside a `/** ... *\/` comment, so
 * no value can inject code. A `code` value is TypeScript written by Retort
 * itself (autogenerate's operations, imports), inserted as is.
 */
export type TemplateValue =
  | { readonly kind: "literal"; readonly value: string | readonly string[] | null }
  | { readonly kind: "code"; readonly code: string };

/** A data value for {@link renderTemplate}. */
export function literal(value: string | readonly string[] | null): TemplateValue {
  return { kind: "literal", value };
}

/** A code value for {@link renderTemplate}. */
export function code(text: string): TemplateValue {
  return { kind: "code", code: text };
}

const PLACEHOLDER = /\$\$\{|\$\{([^}\n]*)\}|\$\{/g;
const EXPRESSION = /^\s*([A-Za-z_]\w*)\s*(?:\|\s*([A-Za-z_]\w*)\s*)?$/;

/**
 * Renders a template (`script.ts.template`, `retort.config.ts.template`).
 *
 * The syntax is deliberately tiny: `${name}` and `${name | comment}` for a
 * value, `$${` for a literal `${` (so template literals can be written in
 * the template). A code value alone on its line takes that line's
 * indentation on every line, and an empty one removes the line. Anything
 * else inside `${...}`, or an unknown name, throws `TemplateError` naming
 * the template and the line.
 *
 * ```ts
 * renderTemplate('export const revision = ${upRevision};\n', { upRevision: literal("ae10") });
 * // 'export const revision = "ae10";\n'
 * ```
 */
export function renderTemplate(
  template: string,
  variables: Readonly<Record<string, TemplateValue>>,
  templatePath = "the template",
): string {
  const lines = template.split(/(?<=\n)/);
  const output: string[] = [];
  lines.forEach((line, index) => {
    const content = line.replace(/\r?\n$/, "");
    const ending = line.slice(content.length);
    const indentation = /^[ \t]*/.exec(content)?.[0] ?? "";
    const alone = /^[ \t]*\$\{[^}\n]*\}[ \t]*$/.test(content);
    let dropLine = false;
    const rendered = content.replace(PLACEHOLDER, (whole, expression: string | undefined) => {
      if (whole === "$${") return "${";
      const fail = (reason: string): never => {
        throw new TemplateError(
          `${templatePath}, line ${index + 1}: ${reason}. Placeholders are \${name} and \${name | comment}; write $\${ for a literal \${`,
        );
      };
      if (expression === undefined) return fail(`unclosed ${whole}`);
      const parsed = EXPRESSION.exec(expression);
      if (parsed === null) return fail(`unsupported placeholder ${whole}`);
      const name = parsed[1] ?? "";
      const filter = parsed[2];
      const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
      if (value === undefined) {
        return fail(`unknown placeholder ${whole} (known: ${Object.keys(variables).sort().join(", ")})`);
      }
      if (value.kind === "code") {
        if (filter !== undefined) return fail(`${name} is code and takes no filter`);
        if (value.code === "" && alone) dropLine = true;
        return value.code.replace(/\r?\n(?=.)/g, (newline) => newline + indentation);
      }
      if (filter === undefined) return renderLiteral(value.value);
      if (filter === "comment") return renderCommentText(value.value);
      return fail(`unknown filter '${filter}' (known: comment)`);
    });
    if (!dropLine) output.push(rendered + ending);
  });
  return output.join("");
}

/** A TypeScript literal: a double-quoted string, an array of them, or `null`. */
export function renderLiteral(value: string | readonly string[] | null): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  return `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
}

/**
 * Text safe inside a `/** *\/` comment: lists comma-joined (as Alembic's
 * `comma` filter), `null` empty, `*\/` defused, and new lines continued
 * with ` * `.
 */
export function renderCommentText(value: string | readonly string[] | null): string {
  const text = value === null ? "" : typeof value === "string" ? value : value.join(", ");
  return text.replaceAll("*/", "*\\/").replace(/\r?\n/g, "\n * ");
}
