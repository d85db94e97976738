import { UnknownOptionError } from "../errors/unknown-option-error.js";
import { isSqlExpression } from "./sql-expression.js";

/** The keys one options type allows, as a set (for the check) and in declaration order (for the message). */
export interface OptionNames {
  readonly keys: ReadonlySet<string>;
  readonly list: readonly string[];
}

/**
 * The allowed keys of an options type, from a record naming each of them.
 * TypeScript rejects a record that misses a key of `T` or names one `T`
 * does not have, so the list cannot fall behind the interface:
 *
 * ```ts
 * const COLUMN_OPTIONS = optionNames<ColumnOptions>({ nullable: true, primaryKey: true, ... });
 * ```
 */
export function optionNames<T extends object>(keys: { readonly [K in keyof T]-?: true }): OptionNames {
  const list = Object.keys(keys);
  return { keys: new Set(list), list };
}

/**
 * Throws `UnknownOptionError` for the first key of `options` that is not in
 * `allowed`, naming the call as `call(subject, ...)` (and `part of` it for a
 * nested object). A known key whose value is `undefined` is fine; an
 * unknown one is still a typo. One set lookup per key: the message is only
 * built on failure.
 */
export function checkOptions(
  options: unknown,
  allowed: OptionNames,
  call: string,
  subject?: unknown,
  part?: string,
): void {
  if (typeof options !== "object" || options === null) return;
  for (const key of Object.keys(options)) {
    if (allowed.keys.has(key)) continue;
    const args = subject === undefined ? "..." : `${describeSubject(subject)}, ...`;
    throw new UnknownOptionError({
      option: key,
      call: `${part === undefined ? "" : `${part} of `}${call}(${args})`,
      suggestion: closestName(key, allowed.list),
      validOptions: allowed.list,
    });
  }
}

/**
 * The candidate closest to `name` by edit distance (Damerau–Levenshtein in
 * its optimal-string-alignment form: a swap of neighbours is one edit),
 * ignoring case, `_` and `-` so that `server_default` finds
 * `serverDefault`; an Alembic-style dialect
 * prefix (`postgresql_using`) is tried without it too, a name ending in
 * `name` (Alembic's `table_name`, `tableName`) names the option it is
 * without that ending, and a name cut short (`uniq`, three characters at
 * least) names the one option it begins. `undefined` when nothing is close: a third of the name's length,
 * one edit at least and three at most.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = normalize(name);
  const unprefixed = wanted.replace(/^(postgresql|postgres|mysql|sqlite)/, "");
  // Alembic's `table_name` (op.drop_index, op.create_index) is `table` here.
  const unsuffixed = wanted.replace(/(?<=.)name$/, "");
  return (
    closest(wanted, candidates) ??
    (unprefixed === wanted ? undefined : closest(unprefixed, candidates)) ??
    (unsuffixed === wanted ? undefined : exactly(unsuffixed, candidates)) ??
    onlyCompletion(wanted, candidates)
  );
}

/** The candidate that is `wanted` once normalized, if any. */
function exactly(wanted: string, candidates: readonly string[]): string | undefined {
  return candidates.find((candidate) => normalize(candidate) === wanted);
}

/** ` (did you mean "sslmode"?)` after an unknown option's name in a message, or nothing when none is close. */
export function meantOption(name: string, candidates: readonly string[]): string {
  const meant = closestName(name, candidates);
  return meant === undefined ? "" : ` (did you mean "${meant}"?)`;
}

/** The one candidate that `wanted` (three characters or more) is the beginning of, if only one is. */
function onlyCompletion(wanted: string, candidates: readonly string[]): string | undefined {
  if (wanted.length < 3) return undefined;
  const completions = candidates.filter((candidate) => normalize(candidate).startsWith(wanted));
  return completions.length === 1 ? completions[0] : undefined;
}

function closest(wanted: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(wanted.length / 3))) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current.push(distance);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function describeSubject(subject: unknown): string {
  if (isSqlExpression(subject)) return `sql\`${subject.text}\``;
  return JSON.stringify(subject) ?? String(subject);
}
