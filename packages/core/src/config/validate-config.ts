import { describeValue } from "../schema/check-arguments.js";
import { closestName, type OptionNames, optionNames } from "../schema/check-options.js";
import { ConfigInvalidError } from "./config-errors.js";
import type { LockConfig, PostWriteHook, RetortConfig, SessionTimeouts } from "./retort-config.js";

/** What a value should be (`"a string"`), or a whole sentence about what is wrong with it; `undefined` when it is right. */
type Check = (value: unknown) => string | { readonly problem: string } | undefined;

const isString: Check = (value) => (typeof value === "string" ? undefined : "a string");
const isNonEmptyString: Check = (value) =>
  typeof value === "string" && value.trim() !== "" ? undefined : "a non-empty string";
const isBoolean: Check = (value) => (typeof value === "boolean" ? undefined : "true or false");
const isFunction: Check = (value) => (typeof value === "function" ? undefined : "a function");
const isBooleanOrFunction: Check = (value) =>
  typeof value === "boolean" || typeof value === "function" ? undefined : "true, false or a function";
const isPositiveInteger: Check = (value) =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? undefined : "a positive integer";
const isStringArray: Check = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === "string" && item !== "")
    ? undefined
    : "an array of non-empty strings (folder paths)";
const isSchemaModule = (value: unknown) =>
  typeof value === "string" || (typeof value === "object" && value !== null && !Array.isArray(value));
const isSchema: Check = (value) =>
  isSchemaModule(value) || (Array.isArray(value) && value.every(isSchemaModule))
    ? undefined
    : "a module path (string), the imported module, or a list of them";
const isHooks: Check = (value) => {
  const shape = 'an array of functions or { type: "exec", command, args? } objects';
  if (!Array.isArray(value)) return shape;
  for (const [index, hook] of value.entries()) {
    const problem = hookProblem(hook);
    // The element and what is wrong with it: "got an array" alone would not say.
    if (problem !== undefined) return { problem: `postWriteHooks[${index}] ${problem}` };
  }
  return undefined;
};

/** What is wrong with one post-write hook, if anything. */
function hookProblem(hook: unknown): string | undefined {
  if (typeof hook === "function") return undefined;
  if (typeof hook !== "object" || hook === null || Array.isArray(hook)) return "is neither a function nor an object";
  const candidate = hook as { type?: unknown; command?: unknown; args?: unknown; cwd?: unknown };
  if (candidate.type === "console_scripts" || candidate.type === "module") {
    return `has type "${candidate.type}", an Alembic hook type Retort does not run: run the tool with { type: "exec", command, args }`;
  }
  if (candidate.type !== "exec") return `has type ${JSON.stringify(candidate.type)} instead of "exec"`;
  if (typeof candidate.command !== "string") return "has no command (a string: the program to run)";
  if (
    candidate.args !== undefined &&
    (!Array.isArray(candidate.args) || !candidate.args.every((argument) => typeof argument === "string"))
  ) {
    return "has args that are not an array of strings";
  }
  if (candidate.cwd !== undefined && typeof candidate.cwd !== "string") return "has a cwd that is not a string";
  return undefined;
}
/** The longest wait a timer (and SQLite's busy timeout) takes: 2^31 - 1 ms, about 24.8 days. */
const MAX_TIMEOUT_MS = 2_147_483_647;

const isLock: Check = (value) => {
  const shape = "an object { enabled?: boolean, timeoutMs?: number }";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return shape;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (key === "enabled" && typeof item !== "boolean") {
      return { problem: `lock.enabled must be true or false, got ${describe(item)}` };
    }
    const wait = item as number;
    if (
      key === "timeoutMs" &&
      !(typeof item === "number" && Number.isFinite(wait) && wait >= 0 && wait <= MAX_TIMEOUT_MS)
    ) {
      return {
        problem: `lock.timeoutMs must be a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}, got ${describe(item)}`,
      };
    }
  }
  return undefined;
};

const isSessionTimeouts: Check = (value) => {
  const shape = "an object { lockTimeoutMs?: number, statementTimeoutMs?: number }";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return shape;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const known = key === "lockTimeoutMs" || key === "statementTimeoutMs";
    if (known && typeof item === "number" && Number.isInteger(item) && item >= 0) continue;
    return shape;
  }
  return undefined;
};

/** Every option and what it must be; the order is the one shown in messages. */
const OPTIONS: Readonly<Record<keyof RetortConfig, Check>> = {
  scriptLocation: isNonEmptyString,
  url: isString,
  versionLocations: isStringArray,
  recursiveVersionLocations: isBoolean,
  fileTemplate: isNonEmptyString,
  truncateSlugLength: isPositiveInteger,
  timezone: isNonEmptyString,
  versionTable: isNonEmptyString,
  versionTableSchema: isNonEmptyString,
  versionTablePk: isBoolean,
  transactionPerMigration: isBoolean,
  schema: isSchema,
  compareType: isBooleanOrFunction,
  compareServerDefault: isBooleanOrFunction,
  includeObject: isFunction,
  includeName: isFunction,
  postWriteHooks: isHooks,
  lock: isLock,
  sessionTimeouts: isSessionTimeouts,
};

/** The keys of the options that are objects, so that a typo inside one is named as well. */
const LOCK_KEYS = optionNames<LockConfig>({ enabled: true, timeoutMs: true });
const SESSION_TIMEOUT_KEYS = optionNames<SessionTimeouts>({ lockTimeoutMs: true, statementTimeoutMs: true });
const EXEC_HOOK_KEYS = optionNames<Extract<PostWriteHook, { type: "exec" }>>({
  type: true,
  command: true,
  args: true,
  cwd: true,
});

/** Keys a resolved configuration carries besides the options; accepted so resolving twice works. */
const RESOLVED_KEYS = new Set(["configFile", "directory"]);

/** Alembic's names, so a user porting an ini file is told the new spelling. */
const ALEMBIC_NAMES: Readonly<Record<string, string>> = {
  "sqlalchemy.url": "url",
  target_metadata: "schema",
};

/**
 * Checks that a configuration object only holds known options with values
 * of the right type. Throws `ConfigInvalidError` naming the file and the key.
 */
export function validateConfig(value: unknown, file: string | undefined): RetortConfig {
  const where = file === undefined ? "the configuration" : file;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigInvalidError(
      `${where} must export a configuration object as default (export default defineConfig({ ... })), got ${describe(value)}`,
      file === undefined ? {} : { path: file },
    );
  }
  for (const [key, item] of Object.entries(value)) {
    if (RESOLVED_KEYS.has(key)) continue;
    const check = Object.hasOwn(OPTIONS, key) ? OPTIONS[key as keyof RetortConfig] : undefined;
    if (check === undefined) {
      const suggestion = suggest(key);
      throw new ConfigInvalidError(
        `Unknown option '${key}' in ${where}${suggestion === undefined ? "." : `; did you mean '${suggestion}'?`} Known options: ${Object.keys(OPTIONS).join(", ")}`,
        { key, ...(file === undefined ? {} : { path: file }) },
      );
    }
    if (item === undefined) continue;
    checkNestedKeys(key, item, where, file);
    const expected = check(item);
    if (expected !== undefined) {
      const message =
        typeof expected === "string"
          ? `Option '${key}' in ${where} must be ${expected}, got ${describe(item)}`
          : `Option '${key}' in ${where}: ${expected.problem}`;
      throw new ConfigInvalidError(message, {
        key,
        ...(file === undefined ? {} : { path: file }),
      });
    }
  }
  return value as RetortConfig;
}

/** An unknown key inside `lock`, `sessionTimeouts` or an exec hook: `Unknown option 'enable' in 'lock' of ...`. */
function checkNestedKeys(key: string, value: unknown, where: string, file: string | undefined): void {
  if (key === "lock") checkKeys(value, LOCK_KEYS, key, where, file);
  if (key === "sessionTimeouts") checkKeys(value, SESSION_TIMEOUT_KEYS, key, where, file);
  if (key === "postWriteHooks" && Array.isArray(value)) {
    value.forEach((hook, index) => {
      // Only an exec hook's keys are known; another type is refused as a whole (see `hookProblem`).
      if (typeof hook === "object" && (hook as { type?: unknown } | null)?.type === "exec") {
        checkKeys(hook, EXEC_HOOK_KEYS, `${key}[${index}]`, where, file);
      }
    });
  }
}

function checkKeys(value: unknown, allowed: OptionNames, option: string, where: string, file: string | undefined) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (allowed.keys.has(key)) continue;
    const suggestion = closestName(key, allowed.list);
    throw new ConfigInvalidError(
      `Unknown option '${key}' in '${option}' of ${where}${suggestion === undefined ? "." : `; did you mean '${suggestion}'?`} Known options: ${allowed.list.join(", ")}`,
      { key: `${option}.${key}`, ...(file === undefined ? {} : { path: file }) },
    );
  }
}

/** A config value as a message shows it: `describeValue`'s words, numbers and booleans as `number 5`. */
function describe(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return describeValue(value);
}

/** The known option closest to a misspelt or snake_case key, if any is close. */
function suggest(key: string): string | undefined {
  return ALEMBIC_NAMES[key] ?? closestName(key, Object.keys(OPTIONS));
}
